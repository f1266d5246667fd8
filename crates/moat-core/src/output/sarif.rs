//! SARIF 2.1.0, as GitHub code scanning reads it.
//!
//! Built with `serde_json::json!` rather than a typed SARIF crate: the subset we emit is
//! small, and a test validates every shape against the official schema, which catches more
//! than typed builders would.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, RuleInfo};
use crate::{Finding, Location, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for an `artifactLocation.uri`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn physical(location: &Location, snippet: Option<&str>) -> Value {
    let mut region = json!({
        "startLine": location.start.line,
        "startColumn": location.start.column,
        "endLine": location.end.line,
        "endColumn": location.end.column,
    });
    if let Some(text) = snippet.filter(|s| !s.is_empty()) {
        region["snippet"] = json!({ "text": text });
    }
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&location.path), "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    })
}

fn rule_descriptor(rule: &RuleInfo) -> Value {
    let mut tags = vec!["security".to_owned()];
    for cwe in &rule.cwe {
        tags.push(cwe.clone());
        if let Some(number) = cwe.strip_prefix("CWE-") {
            tags.push(format!("external/cwe/cwe-{number}"));
        }
    }
    tags.extend(rule.owasp.iter().map(|o| format!("OWASP-{o}")));
    let mut markdown = format!("{}\n\n## Fix\n\n{}", rule.description, rule.remediation);
    if !rule.references.is_empty() {
        markdown.push_str("\n\n## References\n\n");
        for reference in &rule.references {
            let _ = writeln!(markdown, "- <{reference}>");
        }
    }
    let mut descriptor = json!({
        "id": rule.id,
        "name": rule.id,
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.description },
        "help": { "text": format!("{}\n\nFix: {}", rule.description, rule.remediation), "markdown": markdown },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": tags,
            "security-severity": rule.severity.security_score(),
            "precision": match rule.confidence.as_deref() {
                Some("high") => "high",
                Some("low") => "low",
                _ => "medium",
            },
        },
    });
    if let Some(first) = rule.references.first() {
        descriptor["helpUri"] = json!(first);
    }
    descriptor
}

fn result(finding: &Finding, rule_index: Option<usize>) -> Value {
    let mut value = json!({
        "ruleId": finding.rule_id,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [physical(&finding.location, Some(&finding.snippet))],
        "partialFingerprints": { "moat/v1": finding.fingerprint },
        "properties": {
            "kind": finding.kind.as_str(),
            "severity": finding.severity.as_str(),
            "security-severity": finding.severity.security_score(),
        },
    });
    if let Some(index) = rule_index {
        value["ruleIndex"] = json!(index);
    }
    if !finding.fixes.is_empty() {
        value["fixes"] = finding
            .fixes
            .iter()
            .map(|fix| {
                json!({
                    "description": { "text": fix.description },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri(&finding.location.path), "uriBaseId": "%SRCROOT%" },
                        "replacements": fix.edits.iter().map(|edit| json!({
                            "deletedRegion": {
                                "startLine": edit.start.line,
                                "startColumn": edit.start.column,
                                "endLine": edit.end.line,
                                "endColumn": edit.end.column,
                            },
                            "insertedContent": { "text": edit.replacement },
                        })).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
    }
    if !finding.code_flows.is_empty() {
        value["codeFlows"] = finding
            .code_flows
            .iter()
            .map(|flow| {
                json!({
                    "threadFlows": [{
                        "locations": flow.steps.iter().map(|step| json!({ "location": physical(step, None) })).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
    }
    value
}

/// The SARIF log as a JSON value.
pub fn sarif_value(report: &Report<'_>) -> Value {
    let outcome = report.outcome;
    let index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.id.as_str(), i))
        .collect();
    let notifications: Vec<Value> = outcome
        .skipped
        .iter()
        .map(|skipped| {
            json!({
                "level": "warning",
                "message": { "text": format!("{}: {}", skipped.path, skipped.reason) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&skipped.path), "uriBaseId": "%SRCROOT%" },
                    }
                }],
                "descriptor": { "id": format!("skipped/{}", skipped.reason.label().replace(' ', "-")) },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "moat",
                    "semanticVersion": report.tool_version,
                    "version": report.tool_version,
                    "informationUri": "https://example.invalid/moat",
                    "rules": report.rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": outcome
                .findings
                .iter()
                .map(|f| result(f, index.get(f.rule_id.as_str()).copied()))
                .collect::<Vec<_>>(),
            "columnKind": "unicodeCodePoints",
        }],
    })
}

/// Writes the SARIF log.
pub fn write_sarif(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif_value(report))?;
    writeln!(out)
}
