//! What the agent reports: one vulnerability, serialised as one JSON line with the fields
//! of the `MOAT_IAST_OUTPUT` interface (`type`, `location`, `request`, `evidence`,
//! `source`, `hash`).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::taint::{Origin, Taint};

/// A sink check: the text that reached the sink and its unsanitised tainted byte ranges
/// to a verdict.
pub type Analyser = fn(&str, &[std::ops::Range<usize>]) -> bool;

/// Source names whose values are credentials: their text is redacted from evidence.
const SENSITIVE_NAMES: [&str; 9] = [
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "auth",
    "session",
    "cookie",
    "credential",
];

/// Whether a source name (a parameter, header or cookie) holds a credential.
fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SENSITIVE_NAMES.iter().any(|s| name.contains(s))
}

/// What evidence shows instead of a credential.
pub const REDACTED: &str = "<redacted>";

/// Vulnerability types, named as users of commercial IAST products know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VulnType {
    /// Tainted text changes an SQL statement.
    SqlInjection,
    /// Tainted operators reach a document database query.
    NosqlInjection,
    /// Tainted text changes a shell command or picks the program.
    CommandInjection,
    /// Tainted text reaches `eval`, `exec` or `compile`.
    CodeInjection,
    /// A tainted path escapes the intended directory.
    PathTraversal,
    /// A tainted scheme, host or port in an outgoing request.
    Ssrf,
    /// Tainted text changes an LDAP filter.
    LdapInjection,
    /// Tainted text changes an `XPath` expression.
    XpathInjection,
    /// CR or LF from the request reaches a response header.
    HeaderInjection,
    /// A redirect to a tainted location.
    UnvalidatedRedirect,
    /// Tainted, unescaped text in an HTML response.
    Xss,
    /// Tainted data stored in the session.
    TrustBoundaryViolation,
    /// Tainted data deserialised by an unsafe loader.
    UntrustedDeserialization,
    /// Tainted XML parsed with external entities on.
    Xxe,
    /// MD5 or SHA-1 used.
    WeakHash,
    /// DES, 3DES, RC4, Blowfish or ECB used.
    WeakCipher,
    /// A `random` value reaches a token, cookie, session or password.
    WeakRandomness,
    /// A cookie without `Secure`.
    InsecureCookie,
    /// A cookie without `HttpOnly`.
    NoHttponlyCookie,
    /// A cookie without `SameSite`.
    NoSamesiteCookie,
    /// An HTML response without `Strict-Transport-Security`.
    HstsHeaderMissing,
    /// An HTML response without `X-Content-Type-Options: nosniff`.
    XcontenttypeHeaderMissing,
    /// A stack trace in a response.
    StacktraceLeak,
    /// A hardcoded secret reaches an authentication call.
    HardcodedSecret,
    /// A hardcoded password reaches an authentication call.
    HardcodedPassword,
}

impl VulnType {
    /// Every type, in declaration order.
    pub const ALL: [VulnType; 25] = [
        VulnType::SqlInjection,
        VulnType::NosqlInjection,
        VulnType::CommandInjection,
        VulnType::CodeInjection,
        VulnType::PathTraversal,
        VulnType::Ssrf,
        VulnType::LdapInjection,
        VulnType::XpathInjection,
        VulnType::HeaderInjection,
        VulnType::UnvalidatedRedirect,
        VulnType::Xss,
        VulnType::TrustBoundaryViolation,
        VulnType::UntrustedDeserialization,
        VulnType::Xxe,
        VulnType::WeakHash,
        VulnType::WeakCipher,
        VulnType::WeakRandomness,
        VulnType::InsecureCookie,
        VulnType::NoHttponlyCookie,
        VulnType::NoSamesiteCookie,
        VulnType::HstsHeaderMissing,
        VulnType::XcontenttypeHeaderMissing,
        VulnType::StacktraceLeak,
        VulnType::HardcodedSecret,
        VulnType::HardcodedPassword,
    ];

    /// The interface name (`SQL_INJECTION`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The type with interface name `name`, if any.
    pub fn from_name(name: &str) -> Option<VulnType> {
        VulnType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The check that decides whether tainted text reaching a sink of this type is
    /// exploitable. Types without a structural check (code injection, deserialisation,
    /// trust boundary, `NoSQL` operators, XXE) report any unsanitised tainted text.
    pub fn analyser(self) -> Analyser {
        match self {
            VulnType::SqlInjection => crate::sql::injected,
            VulnType::CommandInjection => crate::shell::injected,
            VulnType::PathTraversal => crate::path::traversal,
            VulnType::Ssrf | VulnType::UnvalidatedRedirect => crate::url::ssrf,
            VulnType::Xss => crate::markup::xss,
            VulnType::HeaderInjection => crate::markup::crlf,
            VulnType::LdapInjection => crate::markup::ldap,
            VulnType::XpathInjection => crate::markup::xpath,
            _ => |_, tainted| tainted.iter().any(|r| !r.is_empty()),
        }
    }

    /// The bit a sanitiser sets in [`crate::TaintRange::secure`] when it neutralises this
    /// type for the characters it returns (`html.escape` sets [`VulnType::Xss`]'s).
    pub fn secure_bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Where in the application the sink was called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLocation {
    /// The application file, relative to its root when known.
    pub path: String,
    /// 1-based line.
    pub line: u32,
}

/// The request being served when the sink was called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInfo {
    /// HTTP method.
    pub method: String,
    /// Path of the request, or the route pattern when the framework gives one.
    pub path: String,
}

/// One part of the evidence: untainted text, or tainted text with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidencePart {
    /// The text.
    pub value: String,
    /// Set for tainted parts.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<Origin>,
}

/// The value that reached the sink, cut into tainted and untainted parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The whole value.
    pub value: String,
    /// The value in order, tainted parts marked.
    pub parts: Vec<EvidencePart>,
}

impl Evidence {
    /// Evidence of a tainted value, its parts cut at range boundaries.
    pub fn of(taint: &Taint) -> Evidence {
        let text = taint.text();
        let mut parts = Vec::new();
        let mut at = 0;
        for (range, bytes) in taint.ranges().iter().zip(taint.byte_ranges()) {
            if at < bytes.start {
                parts.push(EvidencePart {
                    value: text[at..bytes.start].to_owned(),
                    source: None,
                });
            }
            let value = if is_sensitive(&range.origin.name) {
                REDACTED.to_owned()
            } else {
                text[bytes.clone()].to_owned()
            };
            parts.push(EvidencePart {
                value,
                source: Some((*range.origin).clone()),
            });
            at = bytes.end;
        }
        if at < text.len() {
            parts.push(EvidencePart {
                value: text[at..].to_owned(),
                source: None,
            });
        }
        Evidence {
            value: parts.iter().map(|p| p.value.as_str()).collect(),
            parts,
        }
    }

    /// Evidence that holds no request data: an algorithm name, a cookie, a header.
    pub fn plain(text: impl Into<String>) -> Evidence {
        let value = text.into();
        Evidence {
            parts: vec![EvidencePart {
                value: value.clone(),
                source: None,
            }],
            value,
        }
    }
}

/// A line of the agent's output that is not a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// One vulnerability as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The type.
    #[serde(rename = "type")]
    pub kind: VulnType,
    /// The application frame that called the sink.
    pub location: CodeLocation,
    /// The request, when the sink ran inside one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request: Option<RequestInfo>,
    /// What reached the sink.
    pub evidence: Evidence,
    /// The first tainted source in the evidence not sanitised for this type.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<Origin>,
    /// Identity for deduplication: type, file and line, so the same flaw hit by many
    /// requests is one vulnerability.
    pub hash: String,
}

impl Report {
    /// A report of `kind` at `location` for the value `taint`.
    pub fn new(
        kind: VulnType,
        location: CodeLocation,
        request: Option<RequestInfo>,
        taint: &Taint,
    ) -> Report {
        let evidence = Evidence::of(taint);
        // The source that makes it exploitable: the first range not already sanitised
        // for this type (an escaped name beside a raw bio is about the bio).
        let source = taint
            .ranges()
            .iter()
            .find(|r| r.secure & kind.secure_bit() == 0)
            .or_else(|| taint.ranges().first())
            .map(|r| (*r.origin).clone());
        let hash = Report::hash_of(kind, &location);
        Report {
            kind,
            location,
            request,
            evidence,
            source,
            hash,
        }
    }

    /// A report of a check that follows no data flow (a weak hash, a cookie without
    /// flags): `evidence` says what was seen.
    pub fn plain(
        kind: VulnType,
        location: CodeLocation,
        request: Option<RequestInfo>,
        evidence: Evidence,
    ) -> Report {
        let hash = Report::hash_of(kind, &location);
        Report {
            kind,
            location,
            request,
            evidence,
            source: None,
            hash,
        }
    }

    fn hash_of(kind: VulnType, location: &CodeLocation) -> String {
        let mut hasher = Sha256::new();
        let kind = serde_json::to_string(&kind).expect("a unit variant always serialises");
        for part in [
            kind.as_str(),
            location.path.as_str(),
            &location.line.to_string(),
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let mut hex = String::with_capacity(16);
        for byte in &hasher.finalize()[..8] {
            let _ = write!(hex, "{byte:02x}");
        }
        hex
    }

    /// Reads the agent's JSONL output (the `MOAT_IAST_OUTPUT` file): one report per
    /// non-empty line. Lines of other record kinds the agent writes (`"kind":
    /// "libraries"`) are skipped.
    pub fn parse_lines(text: &str) -> Result<Vec<Report>, ParseError> {
        let mut reports = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let error = |message: String| ParseError {
                line: index + 1,
                message,
            };
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
            if value.get("type").is_none() && value.get("kind").is_some() {
                continue;
            }
            reports.push(serde_json::from_value(value).map_err(|e| error(e.to_string()))?);
        }
        Ok(reports)
    }

    /// The report as one line of JSON, without the newline.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("reports hold only strings and numbers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taint::SourceKind;

    fn report() -> Report {
        let id = Taint::whole("1 OR 1=1", Origin::new(SourceKind::Parameter, "id"));
        let query = Taint::untainted("SELECT * FROM t WHERE id = ").concat(&id);
        Report::new(
            VulnType::SqlInjection,
            CodeLocation {
                path: "app.py".into(),
                line: 12,
            },
            Some(RequestInfo {
                method: "GET".into(),
                path: "/items".into(),
            }),
            &query,
        )
    }

    #[test]
    fn json_line_has_the_interface_fields() {
        let json: serde_json::Value = serde_json::from_str(&report().to_json_line()).unwrap();
        assert_eq!(json["type"], "SQL_INJECTION");
        assert_eq!(json["location"]["path"], "app.py");
        assert_eq!(json["location"]["line"], 12);
        assert_eq!(json["request"]["method"], "GET");
        assert_eq!(json["source"]["origin"], "parameter");
        assert_eq!(json["source"]["name"], "id");
        assert_eq!(json["evidence"]["parts"][1]["value"], "1 OR 1=1");
        assert_eq!(
            json["evidence"]["parts"][0]["value"],
            "SELECT * FROM t WHERE id = "
        );
        assert!(json["evidence"]["parts"][0].get("source").is_none());
        assert_eq!(json["hash"].as_str().unwrap().len(), 16);
    }

    #[test]
    fn json_lines_read_back_and_bad_lines_say_where() {
        let line = report().to_json_line();
        let text = format!("{line}\n\n{{\"kind\":\"libraries\",\"libraries\":[]}}\n{line}\n");
        let reports = Report::parse_lines(&text).unwrap();
        assert_eq!(reports, vec![report(), report()]);
        let error = Report::parse_lines(&format!("{line}\n{{\"type\":\"NOPE\"}}")).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            Report::parse_lines("not json")
                .unwrap_err()
                .to_string()
                .starts_with("line 1: ")
        );
    }

    #[test]
    fn the_source_named_is_the_unsanitised_one() {
        let name = Taint::whole("<b>", Origin::new(SourceKind::Parameter, "name"))
            .mark_secure(VulnType::Xss.secure_bit());
        let bio = Taint::whole("<script>", Origin::new(SourceKind::Parameter, "bio"));
        let html = name.concat(&Taint::untainted(" ")).concat(&bio);
        let location = CodeLocation {
            path: "v.py".into(),
            line: 1,
        };
        let report = Report::new(VulnType::Xss, location.clone(), None, &html);
        assert_eq!(report.source.unwrap().name, "bio");
        let sql = Report::new(VulnType::SqlInjection, location, None, &html);
        assert_eq!(sql.source.unwrap().name, "name");
    }

    #[test]
    fn type_names_match_what_iast_users_know() {
        let name = |t: VulnType| serde_json::to_string(&t).unwrap();
        assert_eq!(name(VulnType::NoHttponlyCookie), "\"NO_HTTPONLY_COOKIE\"");
        assert_eq!(
            name(VulnType::XcontenttypeHeaderMissing),
            "\"XCONTENTTYPE_HEADER_MISSING\""
        );
        assert_eq!(name(VulnType::Ssrf), "\"SSRF\"");
        assert_eq!(name(VulnType::NosqlInjection), "\"NOSQL_INJECTION\"");
        assert_ne!(
            VulnType::Xss.secure_bit(),
            VulnType::SqlInjection.secure_bit()
        );
    }

    #[test]
    fn names_round_trip_and_credentials_are_redacted() {
        for t in VulnType::ALL {
            assert_eq!(VulnType::from_name(&t.name()), Some(t));
        }
        assert_eq!(VulnType::from_name("sql"), None);
        let password = Taint::whole("hunter22", Origin::new(SourceKind::Parameter, "Password"));
        let query = Taint::untainted("pw = '")
            .concat(&password)
            .concat(&Taint::untainted("'"));
        let evidence = Evidence::of(&query);
        assert_eq!(evidence.value, "pw = '<redacted>'");
        assert!(
            !serde_json::to_string(&evidence)
                .unwrap()
                .contains("hunter22")
        );
    }

    #[test]
    fn hash_depends_on_type_and_place_not_on_the_value() {
        let a = report();
        let mut b = report();
        b.evidence = Evidence::of(&Taint::untainted("other"));
        assert_eq!(a.hash, Report::hash_of(b.kind, &b.location));
        let moved = Report::hash_of(
            VulnType::SqlInjection,
            &CodeLocation {
                path: "app.py".into(),
                line: 13,
            },
        );
        assert_ne!(a.hash, moved);
    }
}
