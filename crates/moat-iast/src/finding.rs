//! A report as a finding of the shared model, for the tools that show or store runtime
//! reports beside static ones (`moat scan --format` rendering an agent's file, the
//! server ingesting agents' batches). Behind the `findings` feature so the Python
//! extension, which only writes reports, does not build the finding model.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use moat_core::{Finding, Kind, Location, Position, Severity};

use crate::Report;

impl Report {
    /// This report as an `iast` finding at its line (first column): the type's title,
    /// severity, CWE and remediation from the catalog, the source and request in the
    /// message, the evidence, hash, request and source in `evidence`.
    pub fn to_finding(&self) -> Finding {
        let info = self.kind.info();
        let line = usize::try_from(self.location.line).unwrap_or(1).max(1);
        let mut message = info.description.to_owned();
        if let Some(source) = &self.source {
            let name = if source.name.is_empty() {
                String::new()
            } else {
                format!(" `{}`", source.name)
            };
            let _ = write!(message, " Source: {}{name}.", source.kind.as_str());
        }
        if let Some(request) = &self.request {
            let _ = write!(message, " Seen on {} {}.", request.method, request.path);
        }
        let mut evidence = BTreeMap::new();
        evidence.insert("evidence".to_owned(), self.evidence.value.clone());
        evidence.insert("hash".to_owned(), self.hash.clone());
        if let Some(request) = &self.request {
            evidence.insert(
                "request".to_owned(),
                format!("{} {}", request.method, request.path),
            );
        }
        if let Some(source) = &self.source {
            evidence.insert(
                "source".to_owned(),
                format!("{} {}", source.kind.as_str(), source.name),
            );
        }
        let mut finding = Finding::new(
            self.kind.rule_id(),
            Kind::Iast,
            info.severity.parse().unwrap_or(Severity::Medium),
            info.title,
            message,
        )
        .at(Location::new(
            self.location.path.replace('\\', "/"),
            Position::new(line, 1),
            Position::new(line, 1),
        ));
        finding.confidence = Some("high".to_owned());
        finding.cwe = vec![info.cwe.to_owned()];
        info.remediation.clone_into(&mut finding.remediation);
        finding.evidence = evidence;
        finding
    }
}
