//! A loaded set of rules, ready to scan files: rules compiled once, grouped by language,
//! with one Aho-Corasick automaton per language to skip rules whose required identifiers
//! a file does not contain.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use include_dir::{Dir, include_dir};
use moat_core::output::RuleInfo;
use moat_core::scan::{FileReport, FileScanner};
use moat_core::walk::SourceFile;
use moat_core::{Edit, Finding, Fix, Kind, Location, Position};

use crate::imports;
use crate::language::{Language, spec};
use crate::matcher::{Env, Match, Matcher};
use crate::rule::{Formula, Rule, RuleError, parse_rules};
use crate::tree::Tree;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../rules");

struct LanguageRules {
    /// (rule index, formula, literal ids it needs — empty means none)
    entries: Vec<(usize, Arc<Formula>, Vec<usize>)>,
    automaton: Option<AhoCorasick>,
    literal_count: usize,
}

/// Rules compiled for scanning.
pub struct RuleSet {
    rules: Vec<Rule>,
    by_language: BTreeMap<Language, LanguageRules>,
}

/// Whether a path is a rule file (`.yaml` / `.yml`).
pub fn is_rule_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Every rule file (`.yaml`, `.yml`) at or under `path`, sorted.
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let meta = std::fs::metadata(path).map_err(|source| RuleError::Read {
        path: path.to_owned(),
        source,
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| RuleError::Read {
            path: dir.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() && is_rule_file(&p) {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

impl RuleSet {
    /// Loads every rule file under the given files or directories.
    pub fn load(paths: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        for path in paths {
            for file in rule_files(path)? {
                let text = std::fs::read_to_string(&file).map_err(|source| RuleError::Read {
                    path: file.clone(),
                    source,
                })?;
                rules.extend(parse_rules(&file, &text)?);
            }
        }
        Ok(RuleSet::new(rules))
    }

    /// The rules that ship inside the binary.
    pub fn bundled() -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        let mut files: Vec<&include_dir::File<'_>> = Vec::new();
        let mut stack: Vec<&Dir<'_>> = vec![&BUNDLED];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            files.extend(dir.files().filter(|f| is_rule_file(f.path())));
        }
        files.sort_by_key(|f| f.path());
        for file in files {
            let path = Path::new("rules").join(file.path());
            let text = file.contents_utf8().ok_or_else(|| RuleError::Yaml {
                path: path.clone(),
                message: "not UTF-8".into(),
            })?;
            rules.extend(parse_rules(&path, text)?);
        }
        Ok(RuleSet::new(rules))
    }

    /// Builds the per-language indexes over compiled rules.
    pub fn new(mut rules: Vec<Rule>) -> RuleSet {
        rules.sort_by(|a, b| a.id().cmp(b.id()));
        let mut by_language = BTreeMap::new();
        for language in Language::ALL {
            let mut literals: Vec<String> = Vec::new();
            let mut entries = Vec::new();
            for (index, rule) in rules.iter().enumerate() {
                let Some(formula) = rule.formula(language) else {
                    continue;
                };
                let ids = formula
                    .literals()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|lit| {
                        if let Some(i) = literals.iter().position(|l| *l == lit) {
                            i
                        } else {
                            literals.push(lit);
                            literals.len() - 1
                        }
                    })
                    .collect();
                entries.push((index, formula.clone(), ids));
            }
            if entries.is_empty() {
                continue;
            }
            let automaton = (!literals.is_empty()).then(|| {
                AhoCorasick::new(&literals).expect("identifier literals always build an automaton")
            });
            by_language.insert(
                language,
                LanguageRules {
                    entries,
                    automaton,
                    literal_count: literals.len(),
                },
            );
        }
        RuleSet { rules, by_language }
    }

    /// The rules, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// What outputs say about each rule.
    pub fn infos(&self) -> Vec<RuleInfo> {
        self.rules.iter().map(|r| r.info.clone()).collect()
    }

    /// Keeps only the rules for which `keep` holds.
    #[must_use]
    pub fn filtered(self, keep: impl Fn(&Rule) -> bool) -> RuleSet {
        RuleSet::new(self.rules.into_iter().filter(|r| keep(r)).collect())
    }

    /// Scans `text` as `language`, reporting paths as `rel_path`.
    pub fn scan_text(&self, language: Language, rel_path: &str, text: &str) -> FileReport {
        let Some(lang_rules) = self.by_language.get(&language) else {
            return FileReport::default();
        };
        let mut present = vec![false; lang_rules.literal_count];
        if let Some(ac) = &lang_rules.automaton {
            for m in ac.find_overlapping_iter(text) {
                present[m.pattern().as_usize()] = true;
            }
        }
        let runnable: Vec<&(usize, Arc<Formula>, Vec<usize>)> = lang_rules
            .entries
            .iter()
            .filter(|(index, _, ids)| {
                (ids.is_empty() || ids.iter().any(|i| present[*i]))
                    && self.rules[*index]
                        .paths
                        .as_ref()
                        .is_none_or(|p| p.allows(rel_path))
            })
            .collect();
        let mut report = FileReport {
            scanned: true,
            ..FileReport::default()
        };
        // No rule can match: skip the parse, the biggest cost of a file.
        if runnable.is_empty() {
            return report;
        }
        if text.len() > crate::tree::MAX_SOURCE {
            report.partial = Some("too large to parse".into());
            return report;
        }
        let Some((tree, ts)) = Tree::parse(spec(language), text) else {
            report.partial = Some("the parser gave up on this file".into());
            return report;
        };
        if let Some((line, col)) = tree.error {
            report.partial = Some(format!("syntax error at {line}:{col}"));
        }
        let aliases = imports::collect(language, &tree, ts.root_node());
        let matcher = Matcher {
            tree: &tree,
            aliases: &aliases,
        };
        // Most files have no finding: index their lines only when one appears.
        let lines = std::cell::OnceCell::new();
        for (index, formula, _) in runnable {
            let rule = &self.rules[*index];
            let mut found = matcher.eval(formula, matcher.whole());
            crate::eval::one_per_span(&mut found);
            for m in found {
                report.findings.push(finding(
                    rule,
                    &matcher,
                    lines.get_or_init(|| LineIndex::new(text)),
                    rel_path,
                    &m,
                ));
            }
        }
        report
    }
}

impl FileScanner for RuleSet {
    fn scan_file(&self, file: &SourceFile) -> FileReport {
        match Language::of_path(Path::new(&file.rel_path)) {
            Some(language) => self.scan_text(language, &file.rel_path, &file.text),
            None => FileReport::default(),
        }
    }

    fn rule_count(&self) -> usize {
        self.rules.len()
    }

    fn wants(&self, rel_path: &str) -> bool {
        Language::of_path(Path::new(rel_path)).is_some_and(|l| self.by_language.contains_key(&l))
    }
}

/// Byte offset → 1-based line and character column.
pub(crate) struct LineIndex<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub(crate) fn new(text: &'s str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub(crate) fn position(&self, byte: usize) -> Position {
        let line = self.starts.partition_point(|s| *s <= byte).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..byte)
            .map_or(byte - start, |s| s.chars().count())
            + 1;
        Position::new(line, column)
    }

    /// The whole lines covering `start..end`, without the final newline.
    pub(crate) fn lines(&self, start: usize, end: usize) -> &'s str {
        let first = self.starts[self.position(start).line - 1];
        let last_line = self.position(end.saturating_sub(1).max(start)).line;
        let stop = self
            .starts
            .get(last_line)
            .map_or(self.text.len(), |s| s.saturating_sub(1));
        self.text
            .get(first..stop.max(first))
            .unwrap_or_default()
            .trim_end_matches('\r')
    }
}

/// Replaces `$X` placeholders with the code they are bound to, longest names first so
/// `$XY` is not read as `$X` followed by `Y`.
fn interpolate(template: &str, matcher: &Matcher<'_, '_>, env: &Env) -> String {
    let mut names: Vec<&(Arc<str>, crate::matcher::Binding)> = env.iter().collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut out = template.to_owned();
    for (name, binding) in names {
        if out.contains(&**name) {
            out = out.replace(&**name, matcher.text(binding));
        }
    }
    out
}

fn finding(
    rule: &Rule,
    matcher: &Matcher<'_, '_>,
    lines: &LineIndex<'_>,
    rel_path: &str,
    m: &Match,
) -> Finding {
    let (start, end) = (m.start as usize, m.end as usize);
    let info = &rule.info;
    let mut finding = Finding::new(
        info.id.clone(),
        Kind::Sast,
        info.severity,
        info.title.clone(),
        interpolate(&rule.message, matcher, &m.env),
    )
    .at(Location::new(
        rel_path,
        lines.position(start),
        lines.position(end),
    ));
    finding.confidence.clone_from(&info.confidence);
    finding.cwe.clone_from(&info.cwe);
    finding.owasp.clone_from(&info.owasp);
    finding.remediation.clone_from(&info.remediation);
    finding.references.clone_from(&info.references);
    lines.lines(start, end).clone_into(&mut finding.snippet);
    matcher.tree.src[start..end].clone_into(&mut finding.matched_code);
    for (name, binding) in &m.env {
        finding
            .evidence
            .insert(name.to_string(), matcher.text(binding).to_owned());
    }
    if let Some(template) = &rule.fix {
        finding.fixes.push(Fix {
            description: format!("Apply the fix of {}", info.id),
            edits: vec![Edit {
                start: finding.location.start,
                end: finding.location.end,
                byte_range: (start, end),
                replacement: interpolate(template.trim_end_matches('\n'), matcher, &m.env),
            }],
        });
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let idx = LineIndex::new("ab\né x\n");
        assert_eq!(idx.position(0), Position::new(1, 1));
        assert_eq!(idx.position(3), Position::new(2, 1));
        assert_eq!(idx.position(6), Position::new(2, 3));
        assert_eq!(idx.lines(3, 7), "é x");
        assert_eq!(idx.lines(0, 1), "ab");
    }
}
