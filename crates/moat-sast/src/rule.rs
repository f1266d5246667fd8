//! Compiled rules: [`Rule::compile`] turns the YAML as written into formulas per grammar.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use moat_core::Severity;
use moat_core::output::RuleInfo;
use regex::Regex;
use serde_yaml_ng::Value;

use crate::comparison;
use crate::language::{Language, spec};
use crate::pattern::Pattern;
use crate::syntax::{
    ClauseSyntax, FormulaSyntax, NotSyntax, OneOrMany, RuleFileSyntax, RuleSyntax,
};

/// A rule file or rule could not be loaded. Every variant names the file, and the rule
/// when there is one, and says what to change.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file or directory cannot be read.
    #[error("{path}: cannot read rules")]
    Read {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Not YAML, or no top-level `rules:` list.
    #[error(
        "{path}: not a rule file: {message}; a rule file is YAML with a top-level `rules:` list"
    )]
    Yaml {
        /// The file.
        path: PathBuf,
        /// What the YAML parser said.
        message: String,
    },
    /// A rule has an unknown key, a missing key or a value of the wrong type.
    #[error("{path}: rule `{id}`: {message}{hint}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The rule id (or `?` when it has none).
        id: String,
        /// What is wrong.
        message: String,
        /// A suggestion, with its leading separator, or empty.
        hint: String,
    },
    /// A pattern does not parse in one of the rule's languages.
    #[error(
        "{path}: rule `{id}`: pattern does not parse as {language}: {message}\n  pattern: {pattern}"
    )]
    Pattern {
        /// The file.
        path: PathBuf,
        /// The rule id.
        id: String,
        /// The language it was parsed as.
        language: Language,
        /// The pattern text.
        pattern: String,
        /// Why.
        message: String,
    },
}

/// Facts about a rule for outputs: everything but its formula.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Description, remediation and tags, as outputs show them.
    pub info: RuleInfo,
    /// The message with `$X` placeholders.
    pub message: String,
    /// The grammars the rule runs on.
    pub languages: Vec<Language>,
    /// The file the rule came from.
    pub source: PathBuf,
    pub(crate) fix: Option<String>,
    pub(crate) paths: Option<PathFilter>,
    pub(crate) formulas: Vec<(Language, Arc<Formula>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct PathFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathFilter {
    pub(crate) fn allows(&self, rel_path: &str) -> bool {
        let matches = |set: &GlobSet| {
            set.is_match(rel_path)
                || Path::new(rel_path)
                    .ancestors()
                    .skip(1)
                    .any(|dir| !dir.as_os_str().is_empty() && set.is_match(dir))
        };
        self.include.as_ref().is_none_or(matches) && !self.exclude.as_ref().is_some_and(matches)
    }
}

#[derive(Debug)]
pub(crate) enum Formula {
    Pattern(Pattern),
    Regex(Regex),
    Either(Vec<Formula>),
    And(Vec<Clause>),
}

#[derive(Debug)]
pub(crate) enum Clause {
    Positive(Formula),
    Not(Formula),
    Inside(Formula),
    NotInside(Formula),
    NotRegex(Regex),
    MetavariableRegex {
        name: String,
        regex: Regex,
    },
    MetavariablePattern {
        name: String,
        formula: Formula,
    },
    MetavariableComparison {
        name: Option<String>,
        expr: String,
        base: Option<u32>,
    },
    Focus(Vec<String>),
}

impl Formula {
    /// Identifiers a file must contain (any one of them) for the formula to match, or
    /// `None` when nothing is required.
    pub(crate) fn literals(&self) -> Option<Vec<String>> {
        match self {
            Formula::Pattern(p) => p.literal.clone().map(|l| vec![l]),
            Formula::Regex(_) => None,
            Formula::Either(fs) => {
                let mut all = Vec::new();
                for f in fs {
                    all.extend(f.literals()?);
                }
                Some(all)
            }
            Formula::And(clauses) => clauses.iter().find_map(|c| match c {
                Clause::Positive(f) | Clause::Inside(f) => f.literals(),
                _ => None,
            }),
        }
    }
}

struct Ctx<'a> {
    path: &'a Path,
    id: &'a str,
    language: Language,
}

impl Ctx<'_> {
    fn invalid(&self, message: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            path: self.path.to_owned(),
            id: self.id.to_owned(),
            message: message.into(),
            hint: String::new(),
        }
    }

    fn regex(&self, re: &str, anchored: bool) -> Result<Regex, RuleError> {
        let source = if anchored {
            format!("^(?:{re})")
        } else {
            re.to_owned()
        };
        // Semgrep's regexes are PCRE; `(?P<name>)` and `(?<name>)` both work in `regex`.
        Regex::new(&source).map_err(|e| self.invalid(format!("invalid regex `{re}`: {e}")))
    }

    fn pattern(&self, text: &str) -> Result<Formula, RuleError> {
        Pattern::compile(spec(self.language), text)
            .map(Formula::Pattern)
            .map_err(|e| RuleError::Pattern {
                path: self.path.to_owned(),
                id: self.id.to_owned(),
                language: self.language,
                pattern: text.trim().to_owned(),
                message: e.0,
            })
    }

    fn top(
        &self,
        pattern: Option<&String>,
        patterns: Option<&Vec<ClauseSyntax>>,
        either: Option<&Vec<ClauseSyntax>>,
        regex: Option<&String>,
    ) -> Result<Formula, RuleError> {
        let given = [
            pattern.is_some(),
            patterns.is_some(),
            either.is_some(),
            regex.is_some(),
        ];
        match given.iter().filter(|g| **g).count() {
            0 => Err(RuleError::Invalid {
                path: self.path.to_owned(),
                id: self.id.to_owned(),
                message: "rule has no pattern".into(),
                hint: "; add `pattern`, `patterns`, `pattern-either` or `pattern-regex`".into(),
            }),
            1 => {
                if let Some(p) = pattern {
                    self.pattern(p)
                } else if let Some(ps) = patterns {
                    self.and(ps)
                } else if let Some(es) = either {
                    self.either(es)
                } else {
                    Ok(Formula::Regex(self.regex(regex.expect("one key is given"), false)?))
                }
            }
            _ => Err(self.invalid(
                "give only one of `pattern`, `patterns`, `pattern-either` and `pattern-regex` at the top",
            )),
        }
    }

    fn either(&self, items: &[ClauseSyntax]) -> Result<Formula, RuleError> {
        if items.is_empty() {
            return Err(self.invalid("`pattern-either` is empty"));
        }
        let mut out = Vec::new();
        for item in items {
            out.push(match item {
                ClauseSyntax::Pattern(p) => self.pattern(p)?,
                ClauseSyntax::Patterns(ps) => self.and(ps)?,
                ClauseSyntax::PatternEither(es) => self.either(es)?,
                ClauseSyntax::PatternRegex(r) => Formula::Regex(self.regex(r, false)?),
                ClauseSyntax::PatternInside(n) => self.nested(n)?,
                other => {
                    return Err(self.invalid(format!(
                        "`{}` cannot stand alone in `pattern-either`; wrap it in `patterns`",
                        clause_name(other)
                    )));
                }
            });
        }
        Ok(Formula::Either(out))
    }

    fn nested(&self, arg: &NotSyntax) -> Result<Formula, RuleError> {
        match arg {
            NotSyntax::Text(t) => self.pattern(t),
            NotSyntax::Formula(f) => self.formula(f),
        }
    }

    fn formula(&self, f: &FormulaSyntax) -> Result<Formula, RuleError> {
        self.top(
            f.pattern.as_ref(),
            f.patterns.as_ref(),
            f.pattern_either.as_ref(),
            f.pattern_regex.as_ref(),
        )
    }

    fn and(&self, items: &[ClauseSyntax]) -> Result<Formula, RuleError> {
        let mut clauses = Vec::new();
        for item in items {
            clauses.push(match item {
                ClauseSyntax::Pattern(p) => Clause::Positive(self.pattern(p)?),
                ClauseSyntax::Patterns(ps) => Clause::Positive(self.and(ps)?),
                // An either of `pattern-inside`s is itself an inside: Semgrep rules use it
                // for "inside one of these contexts".
                ClauseSyntax::PatternEither(es)
                    if es.iter().all(|e| matches!(e, ClauseSyntax::PatternInside(_))) =>
                {
                    Clause::Inside(self.either(es)?)
                }
                ClauseSyntax::PatternEither(es) => Clause::Positive(self.either(es)?),
                ClauseSyntax::PatternRegex(r) => Clause::Positive(Formula::Regex(self.regex(r, false)?)),
                ClauseSyntax::PatternNot(n) => Clause::Not(self.nested(n)?),
                ClauseSyntax::PatternInside(n) => Clause::Inside(self.nested(n)?),
                ClauseSyntax::PatternNotInside(n) => Clause::NotInside(self.nested(n)?),
                ClauseSyntax::PatternNotRegex(r) => Clause::NotRegex(self.regex(r, false)?),
                ClauseSyntax::MetavariableRegex(m) => Clause::MetavariableRegex {
                    name: m.metavariable.clone(),
                    regex: self.regex(&m.regex, true)?,
                },
                ClauseSyntax::MetavariablePattern(m) => {
                    if let Some(lang) = &m.language {
                        let same = Language::from_rule_name(lang).is_some_and(|ls| ls.contains(&self.language));
                        if !same {
                            return Err(self.invalid(format!(
                                "`metavariable-pattern` with `language: {lang}` is not supported yet; only the rule's own language"
                            )));
                        }
                    }
                    Clause::MetavariablePattern {
                        name: m.metavariable.clone(),
                        formula: self.top(
                            m.pattern.as_ref(),
                            m.patterns.as_ref(),
                            m.pattern_either.as_ref(),
                            m.pattern_regex.as_ref(),
                        )?,
                    }
                }
                ClauseSyntax::MetavariableComparison(m) => {
                    comparison::check(&m.comparison)
                        .map_err(|e| self.invalid(format!("bad comparison `{}`: {e}", m.comparison)))?;
                    let _ = m.strip;
                    Clause::MetavariableComparison {
                        name: m.metavariable.clone(),
                        expr: m.comparison.clone(),
                        base: m.base,
                    }
                }
                ClauseSyntax::FocusMetavariable(names) => Clause::Focus(match names {
                    OneOrMany::One(n) => vec![n.clone()],
                    OneOrMany::Many(ns) => ns.clone(),
                }),
            });
        }
        if !clauses
            .iter()
            .any(|c| matches!(c, Clause::Positive(_) | Clause::Inside(_)))
        {
            return Err(RuleError::Invalid {
                path: self.path.to_owned(),
                id: self.id.to_owned(),
                message: "`patterns` has nothing positive to match".into(),
                hint: "; add a `pattern`, `pattern-either`, `pattern-regex` or `pattern-inside`"
                    .into(),
            });
        }
        Ok(Formula::And(clauses))
    }
}

fn clause_name(c: &ClauseSyntax) -> &'static str {
    match c {
        ClauseSyntax::Pattern(_) => "pattern",
        ClauseSyntax::Patterns(_) => "patterns",
        ClauseSyntax::PatternEither(_) => "pattern-either",
        ClauseSyntax::PatternNot(_) => "pattern-not",
        ClauseSyntax::PatternInside(_) => "pattern-inside",
        ClauseSyntax::PatternNotInside(_) => "pattern-not-inside",
        ClauseSyntax::PatternRegex(_) => "pattern-regex",
        ClauseSyntax::PatternNotRegex(_) => "pattern-not-regex",
        ClauseSyntax::MetavariableRegex(_) => "metavariable-regex",
        ClauseSyntax::MetavariablePattern(_) => "metavariable-pattern",
        ClauseSyntax::MetavariableComparison(_) => "metavariable-comparison",
        ClauseSyntax::FocusMetavariable(_) => "focus-metavariable",
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `CWE-79: Improper Neutralization...` → `CWE-79`.
fn cwe_id(text: &str) -> String {
    let t = text.trim();
    let digits: String = t
        .strip_prefix("CWE-")
        .unwrap_or(t)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        t.to_owned()
    } else {
        format!("CWE-{digits}")
    }
}

/// `A03:2021 - Injection` → `A03:2021`.
fn owasp_id(text: &str) -> String {
    text.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn globs(ctx: &Ctx<'_>, patterns: &[String]) -> Result<Option<GlobSet>, RuleError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./").trim_end_matches('/');
        for variant in [p.to_owned(), format!("**/{p}")] {
            builder.add(
                Glob::new(&variant)
                    .map_err(|e| ctx.invalid(format!("invalid path glob `{p}`: {e}")))?,
            );
        }
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| ctx.invalid(format!("invalid path globs: {e}")))
}

const KNOWN_KEYS: &[&str] = &[
    "id",
    "message",
    "severity",
    "languages",
    "metadata",
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "fix",
    "paths",
    "mode",
    "options",
    "min-version",
];

/// A close known key for a misspelt one (`patern` → `pattern`).
pub(crate) fn suggest(unknown: &str, known: &[&str]) -> Option<String> {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb))
                    .min(row[j] + 1)
                    .min(row[j + 1] + 1);
                prev = cur;
            }
        }
        row[b.len()]
    };
    known
        .iter()
        .map(|k| (distance(unknown, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k.to_owned())
}

impl Rule {
    /// Compiles one rule as written; `path` is only for messages.
    #[expect(
        clippy::too_many_lines,
        reason = "checks each key of a rule in the order it is written"
    )]
    pub(crate) fn compile(path: &Path, value: Value) -> Result<Rule, RuleError> {
        let id = value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        let syntax: RuleSyntax = serde_yaml_ng::from_value(value).map_err(|e| {
            let message = e.to_string();
            let hint = message
                .split('`')
                .nth(1)
                .filter(|_| message.starts_with("unknown field"))
                .and_then(|unknown| suggest(unknown, KNOWN_KEYS))
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            RuleError::Invalid {
                path: path.to_owned(),
                id: id.clone(),
                message,
                hint,
            }
        })?;
        let mut ctx = Ctx {
            path,
            id: &syntax.id,
            language: Language::Python,
        };
        if let Some(mode) = &syntax.mode
            && mode != "search"
        {
            return Err(ctx.invalid(format!(
                "`mode: {mode}` is not supported yet; only pattern (search) rules"
            )));
        }
        let severity: Severity = syntax
            .severity
            .parse()
            .map_err(|e: moat_core::SeverityParseError| ctx.invalid(e.to_string()))?;
        let mut languages: Vec<Language> = Vec::new();
        for name in &syntax.languages {
            let Some(found) = Language::from_rule_name(name) else {
                return Err(RuleError::Invalid {
                    path: path.to_owned(),
                    id: syntax.id.clone(),
                    message: format!("unknown language `{name}`"),
                    hint: "; supported: python, javascript, typescript (js, ts, jsx, tsx)".into(),
                });
            };
            for l in found {
                if !languages.contains(l) {
                    languages.push(*l);
                }
            }
        }
        if languages.is_empty() {
            return Err(ctx.invalid("`languages` is empty; name at least one"));
        }
        let mut formulas = Vec::new();
        let mut first_error = None;
        for language in &languages {
            ctx.language = *language;
            match ctx.top(
                syntax.pattern.as_ref(),
                syntax.patterns.as_ref(),
                syntax.pattern_either.as_ref(),
                syntax.pattern_regex.as_ref(),
            ) {
                Ok(formula) => formulas.push((*language, Arc::new(formula))),
                // JSX in a pattern parses as TSX but not as plain TypeScript: keep the
                // grammars where it parses, fail only when none does.
                Err(e @ RuleError::Pattern { .. }) => {
                    first_error.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        if formulas.is_empty() {
            return Err(first_error.expect("no formula means an error was kept"));
        }
        let metadata = syntax.metadata.as_ref();
        let meta = |key: &str| metadata.and_then(|m| m.get(key));
        let meta_str = |key: &str| meta(key).and_then(Value::as_str).map(str::to_owned);
        let info = RuleInfo {
            id: syntax.id.clone(),
            title: meta_str("title").unwrap_or_else(|| {
                let first = syntax
                    .message
                    .split(['.', ';'])
                    .next()
                    .unwrap_or(&syntax.message);
                first.trim().to_owned()
            }),
            description: meta_str("description")
                .unwrap_or_else(|| syntax.message.trim().to_owned()),
            remediation: meta_str("remediation")
                .or_else(|| meta_str("fix"))
                .unwrap_or_default()
                .trim()
                .to_owned(),
            severity,
            cwe: strings(meta("cwe")).iter().map(|c| cwe_id(c)).collect(),
            owasp: strings(meta("owasp")).iter().map(|o| owasp_id(o)).collect(),
            references: strings(meta("references")),
            confidence: meta_str("confidence").map(|c| c.to_ascii_lowercase()),
        };
        let paths = match &syntax.paths {
            Some(p) => Some(PathFilter {
                include: globs(&ctx, &p.include)?,
                exclude: globs(&ctx, &p.exclude)?,
            }),
            None => None,
        };
        Ok(Rule {
            info,
            message: syntax.message.trim().to_owned(),
            languages: formulas.iter().map(|(l, _)| *l).collect(),
            source: path.to_owned(),
            fix: syntax.fix,
            paths,
            formulas,
        })
    }

    /// The rule's id.
    pub fn id(&self) -> &str {
        &self.info.id
    }

    pub(crate) fn formula(&self, language: Language) -> Option<&Arc<Formula>> {
        self.formulas
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, f)| f)
    }
}

/// Parses a rule file's text into compiled rules.
pub fn parse_rules(path: &Path, text: &str) -> Result<Vec<Rule>, RuleError> {
    let file: RuleFileSyntax = serde_yaml_ng::from_str(text).map_err(|e| RuleError::Yaml {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    file.rules
        .into_iter()
        .map(|v| Rule::compile(path, v))
        .collect()
}
