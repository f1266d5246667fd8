use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Report;
use crate::{Finding, ScanStats, Severity, Skipped};

/// The JSON report; its shape is documented in `docs/output.md`.
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: &'a [Finding],
    skipped: &'a [Skipped],
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary<'a> {
    findings: usize,
    by_severity: BTreeMap<Severity, usize>,
    #[serde(flatten)]
    stats: &'a ScanStats,
}

/// Writes the JSON report: findings sorted by path, position and rule id.
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let outcome = report.outcome;
    let json = JsonReport {
        version: 1,
        tool: Tool {
            name: "moat",
            version: report.tool_version,
        },
        findings: &outcome.findings,
        skipped: &outcome.skipped,
        summary: Summary {
            findings: outcome.findings.len(),
            by_severity: outcome.by_severity(),
            stats: &outcome.stats,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
