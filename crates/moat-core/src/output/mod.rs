//! The output layer: one writer per format, all fed the same [`Report`].
//!
//! Machine formats (JSON, SARIF) are sorted, uncoloured and stable from run to run apart
//! from the timing in the summary; text is for people.

mod json;
mod sarif;
mod text;

use std::io::{self, Write};

use serde::Serialize;

use crate::{ScanOutcome, Severity};

pub use json::write_json;
pub use sarif::{sarif_value, write_sarif};
pub use text::{summary_line, write_text};

/// What outputs say about a rule (SARIF's `reportingDescriptor`, text's fix line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Why it matters.
    pub description: String,
    /// How to fix it, with an example.
    pub remediation: String,
    /// Default severity.
    pub severity: Severity,
    /// CWE ids (`CWE-79`).
    pub cwe: Vec<String>,
    /// OWASP ids (`A03:2021`).
    pub owasp: Vec<String>,
    /// Links.
    pub references: Vec<String>,
    /// `high`, `medium` or `low` when the rule says.
    pub confidence: Option<String>,
}

/// Everything a writer needs: the outcome, the rules that ran, and who wrote it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// Findings, skipped files and counts.
    pub outcome: &'a ScanOutcome,
    /// Every rule that ran, for SARIF's rule table.
    pub rules: &'a [RuleInfo],
    /// The version of moat that wrote the report.
    pub tool_version: &'a str,
}

/// An output format users can pick with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human text with code frames.
    Text,
    /// Moat's JSON report.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// Writes a report in `format`; `color` only matters for text.
pub fn write(
    format: Format,
    report: &Report<'_>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => write_text(report, color, out),
        Format::Json => write_json(report, out),
        Format::Sarif => write_sarif(report, out),
    }
}
