//! The runtime protocol, version 1: what agents send (docs/server.md, schema in
//! `schemas/runtime-v1.schema.json`). A batch names its service and environment and
//! carries vulnerabilities in the agent's own report format (`MOAT_IAST_OUTPUT` lines,
//! `moat_iast::Report`) and, optionally, the libraries loaded now.

use std::io::Read;

use moat_iast::Report;
use serde::Deserialize;

use super::IngestError;
use crate::store::{ComponentRow, Staged};

/// The protocol version this server speaks.
pub(crate) const VERSION: u64 = 1;

/// One batch from an agent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct RuntimeBatch {
    /// Always 1.
    pub(crate) version: u64,
    /// Unique per batch: a batch sent again with the same id changes nothing.
    #[serde(default)]
    pub(crate) batch_id: Option<String>,
    /// The service the agent runs in (`MOAT_IAST_SERVICE`).
    pub(crate) service: String,
    /// Its environment (`MOAT_IAST_ENV`): `production`, `staging`...
    #[serde(default)]
    pub(crate) env: Option<String>,
    /// Who sent it.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub(crate) agent: Option<serde_json::Value>,
    /// Vulnerabilities, each as one line of the agent's `MOAT_IAST_OUTPUT`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub(crate) vulnerabilities: Vec<Report>,
    /// When present, every library the service has loaded now; it replaces the set
    /// recorded for this service and environment.
    #[serde(default)]
    pub(crate) libraries: Option<Vec<Library>>,
}

/// A library a service has loaded.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct Library {
    pub(crate) name: String,
    pub(crate) version: String,
}

/// Longest service or environment name.
const MAX_NAME: usize = 256;

/// Reads and checks a batch.
pub(crate) fn parse(reader: &mut dyn Read) -> Result<RuntimeBatch, IngestError> {
    let batch: RuntimeBatch = serde_json::from_reader(reader)
        .map_err(|e| IngestError::from_json("not a runtime batch (protocol version 1)", &e))?;
    if batch.version != VERSION {
        return Err(IngestError::Invalid(format!(
            "runtime protocol version {} is not supported; this server speaks version {VERSION}",
            batch.version
        )));
    }
    if batch.service.trim().is_empty() || batch.service.len() > MAX_NAME {
        return Err(IngestError::Invalid(
            "`service` must be a name of 1 to 256 characters".to_owned(),
        ));
    }
    if batch.env.as_ref().is_some_and(|e| e.len() > MAX_NAME) {
        return Err(IngestError::Invalid(
            "`env` must be at most 256 characters".to_owned(),
        ));
    }
    for (i, report) in batch.vulnerabilities.iter().enumerate() {
        if report.hash.is_empty() || report.hash.len() > 128 {
            return Err(IngestError::Invalid(format!(
                "vulnerabilities[{i}]: `hash` must be 1 to 128 characters"
            )));
        }
    }
    Ok(batch)
}

/// A report as a finding (`Report::to_finding`), with the report's hash as its
/// fingerprint (type, file and line).
pub(crate) fn staged(report: &Report) -> Staged {
    let mut finding = report.to_finding();
    finding.fingerprint.clone_from(&report.hash);
    let mut staged = Staged::of(&finding);
    // The parts say which characters came from the request: the UI highlights them.
    staged.evidence = serde_json::json!({
        "value": report.evidence.value,
        "parts": report.evidence.parts,
        "request": report.request,
        "source": report.source,
        "type": report.kind.name(),
        "hash": report.hash,
    });
    staged
}

/// The libraries as components, with a package URL when the agent's language names an
/// ecosystem.
pub(crate) fn components(batch: &RuntimeBatch) -> Vec<ComponentRow> {
    let language = batch
        .agent
        .as_ref()
        .and_then(|agent| agent.get("language"))
        .and_then(serde_json::Value::as_str);
    let ecosystem = match language {
        Some("python") => Some("pypi"),
        Some("javascript" | "node" | "nodejs") => Some("npm"),
        Some("java") => Some("maven"),
        Some("ruby") => Some("gem"),
        Some("go") => Some("golang"),
        _ => None,
    };
    batch
        .libraries
        .iter()
        .flatten()
        .map(|library| ComponentRow {
            name: library.name.clone(),
            version: library.version.clone(),
            purl: ecosystem.map(|e| {
                format!(
                    "pkg:{e}/{}@{}",
                    library.name.to_ascii_lowercase(),
                    library.version
                )
            }),
            component_type: Some("library".to_owned()),
            licenses: Vec::new(),
        })
        .collect()
}
