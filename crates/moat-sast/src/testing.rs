//! `moat rules test`: runs rule test files, like `semgrep --test`.
//!
//! A rule file `x.yaml` is tested by the files beside it with the same stem (`x.py`,
//! `x.ts`...). In them, `# ruleid: <id>` (`// ruleid:` in JS/TS) on the line before a line
//! says a finding of `<id>` must start there; `# ok: <id>` says none may. Any other finding
//! is a failure too.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use moat_core::suppress::inline_suppressed;

use crate::language::Language;
use crate::rule::{Rule, parse_rules};
use crate::ruleset::{RuleSet, is_rule_file, rule_files};

/// What went wrong with one expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// A `ruleid` line had no finding.
    Missed,
    /// A finding on a line not annotated with `ruleid`.
    Unexpected,
    /// The rule file has no test file beside it.
    NoTestFile,
    /// The rule file or test file could not be loaded.
    Error(String),
    /// A rule has no `ruleid` case or no `ok` case: every rule needs both.
    MissingCases,
}

/// One failed expectation.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The test file (or the rule file, for load errors).
    pub path: PathBuf,
    /// 1-based line, 0 when not about a line.
    pub line: usize,
    /// The rule.
    pub rule_id: String,
    /// What happened.
    pub kind: FailureKind,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.kind {
            FailureKind::Missed => write!(
                f,
                "{path}:{}: missed: expected `{}` to match here",
                self.line, self.rule_id
            ),
            FailureKind::Unexpected => {
                write!(
                    f,
                    "{path}:{}: surprise: `{}` matched a line not marked `ruleid`",
                    self.line, self.rule_id
                )
            }
            FailureKind::NoTestFile => write!(
                f,
                "{path}: no test file; add one with the same name and the language's extension (`.py`, `.js`, `.ts`...)"
            ),
            FailureKind::Error(e) => write!(f, "{path}: {e}"),
            FailureKind::MissingCases => write!(
                f,
                "{path}: rule `{}` needs at least one `ruleid:` case and one `ok:` case",
                self.rule_id
            ),
        }
    }
}

/// The outcome of testing rules.
#[derive(Debug, Default)]
pub struct TestReport {
    /// Rule files tested.
    pub rule_files: usize,
    /// Rules tested.
    pub rules: usize,
    /// Annotations checked (`ruleid` and `ok` lines).
    pub cases: usize,
    /// Failed expectations, by file and line.
    pub failures: Vec<Failure>,
}

impl TestReport {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Tests every rule file under `path` (a file or a directory).
pub fn run(path: &Path) -> TestReport {
    let mut report = TestReport::default();
    let files = rule_files(path).unwrap_or_default();
    if files.is_empty() {
        report.failures.push(Failure {
            path: path.to_owned(),
            line: 0,
            rule_id: String::new(),
            kind: FailureKind::Error("no rule files (.yaml) found".into()),
        });
    }
    for file in files {
        test_rule_file(&file, &mut report);
    }
    report
}

fn error(report: &mut TestReport, path: &Path, message: String) {
    report.failures.push(Failure {
        path: path.to_owned(),
        line: 0,
        rule_id: String::new(),
        kind: FailureKind::Error(message),
    });
}

fn test_rule_file(file: &Path, report: &mut TestReport) {
    report.rule_files += 1;
    let rules: Vec<Rule> = match std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|text| parse_rules(file, &text).map_err(|e| e.to_string()))
    {
        Ok(rules) => rules,
        Err(e) => {
            return error(
                report,
                file,
                e.replace(&format!("{}: ", file.display()), ""),
            );
        }
    };
    report.rules += rules.len();
    let stem = file.file_stem().unwrap_or_default();
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut tests: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_stem() == Some(stem)
                        && !is_rule_file(p)
                        && Language::of_path(p).is_some()
                })
                .collect()
        })
        .unwrap_or_default();
    tests.sort();
    if tests.is_empty() {
        report.failures.push(Failure {
            path: file.to_owned(),
            line: 0,
            rule_id: rules.first().map(|r| r.id().to_owned()).unwrap_or_default(),
            kind: FailureKind::NoTestFile,
        });
        return;
    }
    let ids: Vec<String> = rules.iter().map(|r| r.id().to_owned()).collect();
    let mut seen_expected = BTreeSet::new();
    let mut seen_ok = BTreeSet::new();
    let set = RuleSet::new(rules);
    for test in &tests {
        let Some(language) = Language::of_path(test) else {
            continue;
        };
        let text = match std::fs::read_to_string(test) {
            Ok(t) => t,
            Err(e) => {
                error(report, test, format!("cannot read: {e}"));
                continue;
            }
        };
        let annotations = annotations(&text, language);
        report.cases += annotations.expected.len() + annotations.ok.len();
        seen_expected.extend(annotations.expected.iter().map(|(_, id)| id.clone()));
        seen_ok.extend(annotations.ok.iter().map(|(_, id)| id.clone()));
        let scan = set.scan_text(language, &test.to_string_lossy(), &text);
        let found: BTreeSet<(usize, String)> = scan
            .findings
            .iter()
            .filter(|f| !inline_suppressed(&text, f.location.start.line, &f.rule_id))
            .map(|f| (f.location.start.line, f.rule_id.clone()))
            .collect();
        for (line, id) in annotations.expected.difference(&found) {
            report.failures.push(Failure {
                path: test.clone(),
                line: *line,
                rule_id: id.clone(),
                kind: FailureKind::Missed,
            });
        }
        for (line, id) in found.difference(&annotations.expected) {
            report.failures.push(Failure {
                path: test.clone(),
                line: *line,
                rule_id: id.clone(),
                kind: FailureKind::Unexpected,
            });
        }
    }
    for id in ids {
        if !seen_expected.contains(&id) || !seen_ok.contains(&id) {
            report.failures.push(Failure {
                path: file.to_owned(),
                line: 0,
                rule_id: id,
                kind: FailureKind::MissingCases,
            });
        }
    }
}

struct Annotations {
    expected: BTreeSet<(usize, String)>,
    ok: BTreeSet<(usize, String)>,
}

fn annotation(line: &str, language: Language) -> Option<(bool, Vec<String>)> {
    let body = line.trim().strip_prefix(language.comment_prefix())?.trim();
    let body = body.strip_prefix("/*").unwrap_or(body).trim();
    let (expect, ids) = if let Some(ids) = body.strip_prefix("ruleid:") {
        (true, ids)
    } else if let Some(ids) = body.strip_prefix("ok:") {
        (false, ids)
    } else {
        return None;
    };
    let ids = ids
        .trim_end_matches("*/")
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    Some((expect, ids))
}

fn annotations(text: &str, language: Language) -> Annotations {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Annotations {
        expected: BTreeSet::new(),
        ok: BTreeSet::new(),
    };
    for (i, line) in lines.iter().enumerate() {
        let Some((expect, ids)) = annotation(line, language) else {
            continue;
        };
        // The target is the next line that is not itself an annotation.
        let target = (i + 1..lines.len()).find(|j| annotation(lines[*j], language).is_none());
        let Some(target) = target else { continue };
        for id in ids {
            if expect {
                out.expected.insert((target + 1, id));
            } else {
                out.ok.insert((target + 1, id));
            }
        }
    }
    out
}
