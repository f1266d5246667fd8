//! SARIF 2.1.0 from any tool, read result by result.
//!
//! A run's `tool` (with its rules) comes before its `results` in every tool's output we
//! know of; a result read before its rules still gets in, with what it carries itself.
//! How a result becomes a finding:
//! - rule: `ruleId`, else `rule.id`, else the id at `ruleIndex` in the driver's rules;
//! - severity: Moat's own `properties.severity`, else `security-severity` (of the result,
//!   then the rule: 9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low), else the
//!   `level` (of the result, then the rule: error high, warning medium, note low);
//! - kind: Moat's `properties.kind`, else guessed from the tool's name (secret scanners,
//!   dependency scanners, infrastructure-as-code scanners), else `sast`;
//! - fingerprint: Moat's `moat/v1`, else another partial fingerprint or fingerprint of
//!   the result, else computed like Moat's own from rule, path and snippet.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

use moat_core::{CodeFlow, Finding, Kind, Location, Position, Severity};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Emitter, IngestError, Parsed, stop};

/// Reads a SARIF log from `reader`, emitting each result as soon as it is parsed.
pub(crate) fn parse(reader: &mut dyn Read, emitter: &mut Emitter) -> Result<Parsed, IngestError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = Log {
        emitter: &mut *emitter,
    }
    .deserialize(&mut de)
    .and_then(|parsed| de.end().map(|()| parsed))
    .map_err(|e| IngestError::from_json("not a SARIF 2.1.0 log", &e))?;
    emitter.flush()?;
    Ok(parsed)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tool {
    #[serde(default)]
    driver: Driver,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    short_description: Option<Text>,
    #[serde(default)]
    full_description: Option<Text>,
    #[serde(default)]
    help: Option<Text>,
    #[serde(default)]
    help_uri: Option<String>,
    #[serde(default)]
    default_configuration: Option<Configuration>,
    #[serde(default)]
    properties: Properties,
}

#[derive(Debug, Default, Deserialize)]
struct Text {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Configuration {
    #[serde(default)]
    level: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Properties {
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default, rename = "security-severity")]
    security_severity: Option<serde_json::Value>,
    /// Written by Moat.
    #[serde(default)]
    kind: Option<String>,
    /// Written by Moat.
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    precision: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    #[serde(default)]
    rule_id: Option<String>,
    #[serde(default)]
    rule_index: Option<usize>,
    #[serde(default)]
    rule: Option<RuleReference>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    message: Text,
    #[serde(default)]
    locations: Vec<ResultLocation>,
    #[serde(default)]
    partial_fingerprints: BTreeMap<String, String>,
    #[serde(default)]
    fingerprints: BTreeMap<String, String>,
    #[serde(default)]
    code_flows: Vec<SarifCodeFlow>,
    #[serde(default)]
    properties: Properties,
}

#[derive(Debug, Default, Deserialize)]
struct RuleReference {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    index: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    #[serde(default)]
    physical_location: Option<PhysicalLocation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    #[serde(default)]
    artifact_location: Option<ArtifactLocation>,
    #[serde(default)]
    region: Option<Region>,
}

#[derive(Debug, Default, Deserialize)]
struct ArtifactLocation {
    #[serde(default)]
    uri: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(default)]
    start_line: Option<usize>,
    #[serde(default)]
    start_column: Option<usize>,
    #[serde(default)]
    end_line: Option<usize>,
    #[serde(default)]
    end_column: Option<usize>,
    #[serde(default)]
    snippet: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SarifCodeFlow {
    #[serde(default)]
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Debug, Default, Deserialize)]
struct ThreadFlow {
    #[serde(default)]
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Debug, Default, Deserialize)]
struct ThreadFlowLocation {
    #[serde(default)]
    location: Option<ResultLocation>,
}

struct Log<'a> {
    emitter: &'a mut Emitter,
}

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = Parsed;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF log object with `version` and `runs`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut parsed = Parsed::default();
        let mut version = None;
        let mut runs = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => {
                    let v: String = map.next_value()?;
                    if v != "2.1.0" {
                        return Err(serde::de::Error::custom(format!(
                            "SARIF version `{v}` is not supported; send SARIF 2.1.0"
                        )));
                    }
                    version = Some(v);
                }
                "runs" => {
                    parsed.tool = map.next_value_seed(Runs {
                        emitter: &mut *self.emitter,
                    })?;
                    runs = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if version.is_none() {
            return Err(serde::de::Error::missing_field("version"));
        }
        if !runs {
            return Err(serde::de::Error::missing_field("runs"));
        }
        Ok(parsed)
    }
}

struct Runs<'a> {
    emitter: &'a mut Emitter,
}

impl<'de> DeserializeSeed<'de> for Runs<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Runs<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of runs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut tools: Vec<String> = Vec::new();
        while let Some(tool) = seq.next_element_seed(Run {
            emitter: &mut *self.emitter,
        })? {
            if !tool.is_empty() && !tools.contains(&tool) {
                tools.push(tool);
            }
        }
        Ok((!tools.is_empty()).then(|| tools.join(", ")))
    }
}

struct Run<'a> {
    emitter: &'a mut Emitter,
}

impl<'de> DeserializeSeed<'de> for Run<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Run<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a run object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let mut tool = Tool::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "tool" => tool = map.next_value()?,
                "results" => map.next_value_seed(Results {
                    emitter: &mut *self.emitter,
                    tool: &tool,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(match &tool.driver.version {
            Some(version) => format!("{} {version}", tool.driver.name),
            None => tool.driver.name.clone(),
        })
    }
}

struct Results<'a> {
    emitter: &'a mut Emitter,
    tool: &'a Tool,
}

impl<'de> DeserializeSeed<'de> for Results<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Results<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of results")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(result) = seq.next_element::<SarifResult>()? {
            self.emitter
                .emit(finding(self.tool, &result))
                .map_err(|e| stop(&e))?;
        }
        Ok(())
    }
}

/// Decodes `%XX` escapes and drops a `file://` scheme, leaving a relative path as is.
fn path_of(uri: &str) -> String {
    let uri = uri.strip_prefix("file://").unwrap_or(uri);
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = uri.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn location_of(location: &ResultLocation) -> Option<(Location, String)> {
    let physical = location.physical_location.as_ref()?;
    let path = physical
        .artifact_location
        .as_ref()
        .and_then(|a| a.uri.as_deref())
        .map(path_of)?;
    let region = physical.region.as_ref();
    let line = region.and_then(|r| r.start_line).unwrap_or(1).max(1);
    let column = region.and_then(|r| r.start_column).unwrap_or(1).max(1);
    let end_line = region.and_then(|r| r.end_line).unwrap_or(line).max(line);
    let end_column = region.and_then(|r| r.end_column).unwrap_or(column).max(1);
    let snippet = region
        .and_then(|r| r.snippet.as_ref())
        .and_then(|s| s.text.clone())
        .unwrap_or_default();
    Some((
        Location::new(
            path,
            Position::new(line, column),
            Position::new(end_line, end_column),
        ),
        snippet,
    ))
}

fn score_severity(value: &serde_json::Value) -> Option<Severity> {
    let score = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    Some(if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    })
}

fn level_severity(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "note" => Severity::Low,
        "none" => Severity::Info,
        _ => Severity::Medium,
    }
}

fn kind_of(name: &str) -> Option<Kind> {
    Some(match name {
        "sast" => Kind::Sast,
        "sca" => Kind::Sca,
        "secret" => Kind::Secret,
        "iac" => Kind::Iac,
        "iast" => Kind::Iast,
        "runtime-sca" => Kind::RuntimeSca,
        _ => return None,
    })
}

/// What a tool that does not say probably found, from its name.
fn guess_kind(tool: &str) -> Kind {
    let tool = tool.to_ascii_lowercase();
    let any = |names: &[&str]| names.iter().any(|n| tool.contains(n));
    if any(&["gitleaks", "trufflehog", "detect-secrets", "secret"]) {
        Kind::Secret
    } else if any(&[
        "checkov",
        "tfsec",
        "kics",
        "terrascan",
        "tflint",
        "trivy config",
    ]) {
        Kind::Iac
    } else if any(&[
        "trivy",
        "grype",
        "osv",
        "dependabot",
        "snyk",
        "dependency",
        "npm audit",
        "pip-audit",
    ]) {
        Kind::Sca
    } else {
        Kind::Sast
    }
}

/// The severity of a result: see the module's documentation.
fn severity_of(result: &SarifResult, rule: Option<&Rule>) -> Severity {
    result
        .properties
        .severity
        .as_deref()
        .and_then(|s| s.parse().ok())
        .or_else(|| {
            result
                .properties
                .security_severity
                .as_ref()
                .and_then(score_severity)
        })
        .or_else(|| {
            rule.and_then(|r| r.properties.security_severity.as_ref())
                .and_then(score_severity)
        })
        .unwrap_or_else(|| {
            level_severity(
                result
                    .level
                    .as_deref()
                    .or_else(|| {
                        rule.and_then(|r| r.default_configuration.as_ref()?.level.as_deref())
                    })
                    .unwrap_or("warning"),
            )
        })
}

/// CWE ids from the rule's and the result's tags (`CWE-89: ...`, `external/cwe/cwe-89`).
fn cwes_of(result: &SarifResult, rule: Option<&Rule>) -> Vec<String> {
    let mut cwes: Vec<String> = Vec::new();
    let tags = rule.map(|r| r.properties.tags.iter()).into_iter().flatten();
    for tag in tags.chain(&result.properties.tags) {
        let upper = tag.to_ascii_uppercase();
        let cwe = if let Some(n) = upper.strip_prefix("EXTERNAL/CWE/CWE-") {
            format!("CWE-{n}")
        } else if upper.starts_with("CWE-") {
            upper
                .split([':', ' '])
                .next()
                .unwrap_or_default()
                .to_owned()
        } else {
            continue;
        };
        if !cwes.contains(&cwe) {
            cwes.push(cwe);
        }
    }
    cwes
}

fn code_flows_of(result: &SarifResult) -> Vec<CodeFlow> {
    result
        .code_flows
        .iter()
        .flat_map(|flow| &flow.thread_flows)
        .map(|thread| CodeFlow {
            steps: thread
                .locations
                .iter()
                .filter_map(|l| l.location.as_ref().and_then(location_of))
                .map(|(location, _)| location)
                .collect(),
        })
        .filter(|flow| !flow.steps.is_empty())
        .collect()
}

/// One SARIF result as a finding.
fn finding(tool: &Tool, result: &SarifResult) -> Finding {
    let rules = &tool.driver.rules;
    let index = result
        .rule_index
        .or_else(|| result.rule.as_ref().and_then(|r| r.index));
    let id = result
        .rule_id
        .clone()
        .or_else(|| result.rule.as_ref().and_then(|r| r.id.clone()))
        .or_else(|| index.and_then(|i| rules.get(i)).map(|r| r.id.clone()))
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| "unknown-rule".to_owned());
    let rule = index
        .and_then(|i| rules.get(i))
        .filter(|r| r.id == id)
        .or_else(|| rules.iter().find(|r| r.id == id));
    let kind = result
        .properties
        .kind
        .as_deref()
        .and_then(kind_of)
        .unwrap_or_else(|| guess_kind(&tool.driver.name));
    let text = |t: &Option<Text>| {
        t.as_ref()
            .and_then(|t| t.text.clone())
            .filter(|t| !t.is_empty())
    };
    let title = rule
        .and_then(|r| text(&r.short_description).or_else(|| r.name.clone()))
        .unwrap_or_else(|| id.clone());
    let message = result
        .message
        .text
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| rule.and_then(|r| text(&r.full_description)))
        .unwrap_or_else(|| title.clone());
    let mut finding = Finding::new(id, kind, severity_of(result, rule), title, message);
    if let Some((location, snippet)) = result.locations.first().and_then(location_of) {
        finding.location = location;
        finding.snippet = snippet;
    }
    if let Some(rule) = rule {
        finding.remediation = text(&rule.help).unwrap_or_default();
        finding.references.extend(rule.help_uri.clone());
        finding.confidence.clone_from(&rule.properties.precision);
    }
    finding.cwe = cwes_of(result, rule);
    finding.code_flows = code_flows_of(result);
    finding.fingerprint = result
        .partial_fingerprints
        .get("moat/v1")
        .or_else(|| result.partial_fingerprints.values().next())
        .or_else(|| result.fingerprints.values().next())
        .cloned()
        .unwrap_or_default();
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_uris_to_paths() {
        assert_eq!(path_of("src/my%20app.py"), "src/my app.py");
        assert_eq!(path_of("file:///home/x/a.py"), "/home/x/a.py");
        assert_eq!(path_of("bad%zzescape%"), "bad%zzescape%");
    }

    #[test]
    fn severities_from_scores_and_levels() {
        assert_eq!(
            score_severity(&serde_json::json!("9.8")),
            Some(Severity::Critical)
        );
        assert_eq!(
            score_severity(&serde_json::json!(7.5)),
            Some(Severity::High)
        );
        assert_eq!(score_severity(&serde_json::json!("n/a")), None);
        assert_eq!(level_severity("error"), Severity::High);
        assert_eq!(level_severity("anything"), Severity::Medium);
    }

    #[test]
    fn guesses_kinds_from_tool_names() {
        assert_eq!(guess_kind("Gitleaks"), Kind::Secret);
        assert_eq!(guess_kind("Trivy"), Kind::Sca);
        assert_eq!(guess_kind("checkov"), Kind::Iac);
        assert_eq!(guess_kind("Semgrep OSS"), Kind::Sast);
    }
}
