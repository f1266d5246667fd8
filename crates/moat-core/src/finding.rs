use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad a finding is, from `Info` to `Critical`. Ordered: `Critical > High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, not a vulnerability by itself.
    Info,
    /// A weakness that needs unlikely conditions to be exploited.
    Low,
    /// Exploitable under some conditions.
    Medium,
    /// Exploitable; fix soon.
    High,
    /// Exploitable with little effort and great impact; fix now.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The CVSS-like score GitHub code scanning reads from `security-severity`.
    pub fn security_score(self) -> &'static str {
        match self {
            Severity::Info => "0.0",
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A severity name that is not one Moat or Semgrep knows.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "unknown severity `{0}`; use critical, high, medium, low or info (ERROR, WARNING and INFO are accepted too)"
)]
pub struct SeverityParseError(pub String);

impl FromStr for Severity {
    type Err = SeverityParseError;

    /// Accepts Moat's names and Semgrep's (`ERROR` = high, `WARNING` = medium, `INFO` = low).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" | "error" => Ok(Severity::High),
            "medium" | "warning" | "moderate" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            "info" | "note" => Ok(Severity::Info),
            _ => Err(SeverityParseError(s.to_owned())),
        }
    }
}

/// Which pillar produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Static analysis of source code.
    Sast,
    /// A vulnerable or unwanted dependency.
    Sca,
    /// A leaked credential.
    Secret,
    /// An infrastructure-as-code misconfiguration.
    Iac,
    /// A vulnerability observed by the runtime agent.
    Iast,
    /// A vulnerable library seen loaded at runtime.
    RuntimeSca,
}

impl Kind {
    /// The kebab-case name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sast => "sast",
            Kind::Sca => "sca",
            Kind::Secret => "secret",
            Kind::Iac => "iac",
            Kind::Iast => "iast",
            Kind::RuntimeSca => "runtime-sca",
        }
    }
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl Position {
    /// A position from 1-based line and column.
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// Where a finding is: a path relative to the scan root and a span in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
    /// First character of the span.
    pub start: Position,
    /// Position just after the last character of the span.
    pub end: Position,
}

impl Location {
    /// A location in `path` from `start` to `end`.
    pub fn new(path: impl Into<String>, start: Position, end: Position) -> Self {
        Location {
            path: path.into(),
            start,
            end,
        }
    }
}

/// One replacement in a file: the text between `start` and `end` becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// Start of the replaced span.
    pub start: Position,
    /// End of the replaced span.
    pub end: Position,
    /// Byte offsets of the replaced span, for tools that apply edits.
    pub byte_range: (usize, usize),
    /// The new text.
    pub replacement: String,
}

/// A machine-applicable fix for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, in a few words.
    pub description: String,
    /// The edits, all in the finding's file.
    pub edits: Vec<Edit>,
}

/// A path of locations data took from a source to a sink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFlow {
    /// Steps, source first.
    pub steps: Vec<Location>,
}

/// One problem found by any pillar: the single model every output and the server use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable, namespaced rule id (`python.flask.flask-debug-enabled`).
    pub rule_id: String,
    /// The pillar that found it.
    pub kind: Kind,
    /// How bad it is.
    pub severity: Severity,
    /// How sure the rule is (`high`, `medium`, `low`), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// CWE ids, as `CWE-89`.
    pub cwe: Vec<String>,
    /// OWASP Top 10 ids, as `A03:2021`.
    pub owasp: Vec<String>,
    /// A short title.
    pub title: String,
    /// What is wrong here and why it matters.
    pub message: String,
    /// Where.
    pub location: Location,
    /// The source lines of the span.
    pub snippet: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub remediation: String,
    /// Links to read more.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub references: Vec<String>,
    /// Fixes a tool may apply.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub fixes: Vec<Fix>,
    /// Facts that support the finding (bound metavariables, a package version...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub evidence: BTreeMap<String, String>,
    /// Data flows, when a dataflow engine found the finding.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub code_flows: Vec<CodeFlow>,
    /// Identity that survives unrelated edits; set by [`crate::assign_fingerprints`].
    pub fingerprint: String,
    /// The normalised code the fingerprint is computed from.
    #[serde(skip)]
    pub matched_code: String,
}

impl Finding {
    /// A finding with the required fields; the rest are empty until set.
    pub fn new(
        rule_id: impl Into<String>,
        kind: Kind,
        severity: Severity,
        title: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule_id: rule_id.into(),
            kind,
            severity,
            confidence: None,
            cwe: Vec::new(),
            owasp: Vec::new(),
            title: title.into(),
            message: message.into(),
            location: Location::new("", Position::new(1, 1), Position::new(1, 1)),
            snippet: String::new(),
            remediation: String::new(),
            references: Vec::new(),
            fixes: Vec::new(),
            evidence: BTreeMap::new(),
            code_flows: Vec::new(),
            fingerprint: String::new(),
            matched_code: String::new(),
        }
    }

    /// Sets the location.
    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// The order every output uses: path, position, then rule id.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.location.path, self.location.start, &self.rule_id)
    }
}
