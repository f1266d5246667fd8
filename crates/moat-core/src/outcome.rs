use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::{Finding, Severity};

/// Why a file was not scanned (or only partly).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum SkipReason {
    /// Holds NUL bytes in its first block.
    Binary,
    /// Bigger than the size limit (the limit in bytes).
    TooLarge(u64),
    /// Not valid UTF-8.
    NotUtf8,
    /// A symbolic link; links are never followed so a scan stays inside its root.
    Symlink,
    /// The file could not be read (the I/O error).
    Unreadable(String),
    /// The parser recovered from syntax errors; the rest of the file was still scanned.
    PartiallyParsed(String),
}

impl SkipReason {
    /// A short name for summaries.
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge(_) => "too large",
            SkipReason::NotUtf8 => "not UTF-8",
            SkipReason::Symlink => "symlink",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::PartiallyParsed(_) => "partially parsed",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary file"),
            SkipReason::TooLarge(limit) => write!(f, "larger than the {limit}-byte limit"),
            SkipReason::NotUtf8 => f.write_str("not valid UTF-8"),
            SkipReason::Symlink => f.write_str("symbolic link, not followed"),
            SkipReason::Unreadable(e) => write!(f, "cannot be read: {e}"),
            SkipReason::PartiallyParsed(e) => write!(f, "partially parsed: {e}"),
        }
    }
}

/// A file left out of the scan, or scanned only in part, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    /// Path relative to the scan root.
    pub path: String,
    /// Why.
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// Counts for the closing summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanStats {
    /// Files read and scanned (including partially parsed ones).
    pub files: usize,
    /// Lines in those files.
    pub lines: usize,
    /// Rules run.
    pub rules: usize,
    /// Findings hidden by an inline comment.
    pub suppressed_inline: usize,
    /// Findings hidden because the baseline holds their fingerprint.
    pub suppressed_baseline: usize,
    /// Findings below the `--severity` threshold.
    pub below_threshold: usize,
    /// Wall time of the scan.
    #[serde(serialize_with = "as_millis")]
    pub duration: Duration,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Everything a scan produced: findings (sorted and fingerprinted), skipped files, counts.
#[derive(Debug, Clone, Default)]
pub struct ScanOutcome {
    /// The findings to report, sorted by path, position and rule id.
    pub findings: Vec<Finding>,
    /// Files not scanned or partly scanned, sorted by path.
    pub skipped: Vec<Skipped>,
    /// Counts.
    pub stats: ScanStats,
}

impl ScanOutcome {
    /// Number of findings per severity, every severity present (zero when none).
    pub fn by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut counts: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for finding in &self.findings {
            *counts.entry(finding.severity).or_default() += 1;
        }
        counts
    }

    /// Sorts findings and skipped files into the stable order every output uses.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.skipped.sort();
    }
}
