//! The one way to hide a finding, shared by every pillar: an inline comment on the finding's
//! line or the line before (`moat-ignore`, or `nosemgrep` for compatibility), or a baseline
//! file of fingerprints written by an earlier scan.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Finding;

const MARKERS: [&str; 2] = ["moat-ignore", "nosemgrep"];
const COMMENT_OPENERS: [&str; 5] = ["#", "//", "/*", "<!--", "--"];

/// Whether an inline comment hides a finding of `rule_id` whose first line is `line`
/// (1-based) in `text`.
///
/// A marker on the finding's own line counts when it sits in a comment; on the line before,
/// only when that line is nothing but the comment. `moat-ignore` alone hides every rule;
/// `moat-ignore: a, b` hides the named ones (a rule id or its last dotted segments).
pub fn inline_suppressed(text: &str, line: usize, rule_id: &str) -> bool {
    let mut lines = text.lines().skip(line.saturating_sub(2));
    let previous = if line >= 2 { lines.next() } else { None };
    let current = lines.next();
    current.is_some_and(|l| line_suppresses(l, rule_id, false))
        || previous.is_some_and(|l| line_suppresses(l, rule_id, true))
}

fn line_suppresses(line: &str, rule_id: &str, whole_line: bool) -> bool {
    for marker in MARKERS {
        let Some(at) = line.find(marker) else {
            continue;
        };
        let before = &line[..at];
        let Some(opener) = COMMENT_OPENERS.iter().filter_map(|o| before.find(o)).min() else {
            continue;
        };
        if whole_line && !before[..opener].trim().is_empty() {
            continue;
        }
        let rest = line[at + marker.len()..].trim_start();
        let Some(ids) = rest.strip_prefix(':') else {
            return true;
        };
        let ids = ids.split("*/").next().unwrap_or(ids);
        if ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .any(|id| id == rule_id || rule_id.ends_with(&format!(".{id}")))
        {
            return true;
        }
    }
    false
}

/// One baseline entry: enough for a person reading the file to know what it hides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule, for readers.
    #[serde(default)]
    pub rule_id: String,
    /// Its file, for readers.
    #[serde(default)]
    pub path: String,
}

/// Findings accepted as they are: later scans hide findings with these fingerprints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version; 1.
    pub version: u32,
    /// The accepted findings, sorted.
    pub findings: Vec<BaselineEntry>,
    #[serde(skip)]
    index: BTreeSet<String>,
}

/// A baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Cannot read or write the file.
    #[error("{path}: cannot access the baseline file")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a Moat baseline.
    #[error(
        "{path}: not a moat baseline ({message}); write one with `moat scan --write-baseline {path}`"
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        message: String,
    },
}

impl Baseline {
    /// A baseline accepting every given finding.
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                path: f.location.path.clone(),
            })
            .collect();
        entries.sort();
        entries.dedup();
        Baseline::from_entries(entries)
    }

    fn from_entries(findings: Vec<BaselineEntry>) -> Baseline {
        let index = findings.iter().map(|e| e.fingerprint.clone()).collect();
        Baseline {
            version: 1,
            findings,
            index,
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.to_owned(),
            source,
        })?;
        let parsed: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Ok(Baseline::from_entries(parsed.findings))
    }

    /// Writes the baseline as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline always serialises");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Io {
            path: path.to_owned(),
            source,
        })
    }

    /// Whether the baseline accepts this finding.
    pub fn contains(&self, finding: &Finding) -> bool {
        self.index.contains(&finding.fingerprint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Kind, Severity, assign_fingerprints};

    #[test]
    fn inline_markers() {
        let text = "a = 1\neval(x)  # moat-ignore\n";
        assert!(inline_suppressed(text, 2, "python.eval"));
        let text = "# nosemgrep: python.eval\neval(x)\n";
        assert!(inline_suppressed(text, 2, "python.eval"));
        let text = "// moat-ignore: other-rule\neval(x)\n";
        assert!(!inline_suppressed(text, 2, "js.eval"));
        let text = "eval(x) // moat-ignore: eval, js.other\n";
        assert!(inline_suppressed(text, 1, "js.lang.eval"));
        // A marker in code, not a comment, hides nothing.
        let text = "x = 'moat-ignore'; eval(x)\n";
        assert!(!inline_suppressed(text, 1, "js.eval"));
        // The line before must be only the comment.
        let text = "foo() # moat-ignore\neval(x)\n";
        assert!(!inline_suppressed(text, 2, "python.eval"));
        assert!(!inline_suppressed("", 1, "r"));
        assert!(!inline_suppressed("x\n", 7, "r"));
    }

    #[test]
    fn baseline_round_trip_hides_known_findings() {
        let mut findings = vec![
            Finding::new("r1", Kind::Sast, Severity::High, "t", "m"),
            Finding::new("r2", Kind::Sast, Severity::High, "t", "m"),
        ];
        assign_fingerprints(&mut findings);
        let baseline = Baseline::of(&findings[..1]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        baseline.write(&path).unwrap();
        let loaded = Baseline::load(&path).unwrap();
        assert!(loaded.contains(&findings[0]));
        assert!(!loaded.contains(&findings[1]));
    }

    #[test]
    fn malformed_baseline_is_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = Baseline::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("b.json") && err.contains("--write-baseline"),
            "{err}"
        );
        assert!(Baseline::load(&dir.path().join("missing.json")).is_err());
    }
}
