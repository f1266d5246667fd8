//! Findings of the runtime agent (`moat-iast`), read from its JSONL output and placed in
//! the scanned files, so they go through the same suppressions, baseline, severity
//! threshold and writers as every other pillar's.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result};
use moat_core::output::RuleInfo;
use moat_core::scan::{FileReport, FileScanner};
use moat_core::walk::SourceFile;
use moat_core::{Finding, Location, Position, Severity};
use moat_iast::{Report, VulnType};

/// The agent's reports, by the application path they point at.
pub(crate) struct RuntimeReports {
    by_path: HashMap<String, Vec<Report>>,
    types: Vec<VulnType>,
    /// Report paths some scanned file took, to tell the user about the others.
    placed: Mutex<HashSet<String>>,
}

impl RuntimeReports {
    /// Reads every report file; the same vulnerability (same hash) is kept once.
    pub(crate) fn load(paths: &[PathBuf]) -> Result<RuntimeReports> {
        let mut by_path: HashMap<String, Vec<Report>> = HashMap::new();
        let mut seen = HashSet::new();
        let mut types = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "{}: cannot read the runtime report; pass the file the agent wrote (MOAT_IAST_OUTPUT)",
                    path.display()
                )
            })?;
            let reports = Report::parse_lines(&text).with_context(|| {
                format!(
                    "{}: not a runtime report written by moat-iast",
                    path.display()
                )
            })?;
            for report in reports {
                if !seen.insert(report.hash.clone()) {
                    continue;
                }
                if !types.contains(&report.kind) {
                    types.push(report.kind);
                }
                let key = report.location.path.replace('\\', "/");
                by_path.entry(key).or_default().push(report);
            }
        }
        Ok(RuntimeReports {
            by_path,
            types,
            placed: Mutex::default(),
        })
    }

    /// The report path a scanned file stands for: the same relative path, or else the
    /// one that ends the scanned path at a directory boundary (the agent writes paths
    /// relative to the application root, which may sit below the scanned directory).
    fn key_for(&self, rel_path: &str) -> Option<&str> {
        if let Some((key, _)) = self.by_path.get_key_value(rel_path) {
            return Some(key);
        }
        self.by_path
            .keys()
            .filter(|key| {
                rel_path
                    .strip_suffix(key.as_str())
                    .is_some_and(|head| head.ends_with('/'))
            })
            .max_by_key(|key| key.len())
            .map(String::as_str)
    }

    /// Report paths no scanned file matched, with how many reports each holds.
    pub(crate) fn unplaced(&self) -> Vec<(String, usize)> {
        let placed = self.placed.lock().map(|p| p.clone()).unwrap_or_default();
        let mut left: Vec<(String, usize)> = self
            .by_path
            .iter()
            .filter(|(path, _)| !placed.contains(*path))
            .map(|(path, reports)| (path.clone(), reports.len()))
            .collect();
        left.sort();
        left
    }

    /// What outputs show about each runtime type found.
    pub(crate) fn infos(&self) -> Vec<RuleInfo> {
        self.types
            .iter()
            .map(|kind| {
                let info = kind.info();
                RuleInfo {
                    id: kind.rule_id(),
                    title: info.title.to_owned(),
                    description: info.description.to_owned(),
                    remediation: info.remediation.to_owned(),
                    severity: severity(info.severity),
                    cwe: vec![info.cwe.to_owned()],
                    owasp: Vec::new(),
                    references: Vec::new(),
                    confidence: Some("high".to_owned()),
                }
            })
            .collect()
    }
}

fn severity(name: &str) -> Severity {
    name.parse().unwrap_or(Severity::Medium)
}

/// One report as a finding at its line of `file`, spanning the line's code.
fn finding(report: &Report, file: &SourceFile) -> Finding {
    let mut finding = report.to_finding();
    let line = finding.location.start.line;
    let text = file.text.lines().nth(line - 1).unwrap_or_default();
    let first = text.chars().take_while(|c| c.is_whitespace()).count() + 1;
    let end = text.chars().count() + 1;
    finding.location = Location::new(
        file.rel_path.clone(),
        Position::new(line, first),
        Position::new(line, end.max(first)),
    );
    text.clone_into(&mut finding.snippet);
    finding
}

impl FileScanner for RuntimeReports {
    fn scan_file(&self, file: &SourceFile) -> FileReport {
        let Some(key) = self.key_for(&file.rel_path) else {
            return FileReport::default();
        };
        if let Ok(mut placed) = self.placed.lock() {
            placed.insert(key.to_owned());
        }
        FileReport {
            findings: self.by_path[key].iter().map(|r| finding(r, file)).collect(),
            partial: None,
            // The file was already counted by the engine that scans its language.
            scanned: false,
        }
    }

    fn rule_count(&self) -> usize {
        0
    }

    fn wants(&self, rel_path: &str) -> bool {
        self.key_for(rel_path).is_some()
    }
}
