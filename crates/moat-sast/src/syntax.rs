//! Rules as written: the Semgrep-style YAML, deserialised as-is. Only [`crate::Rule::compile`]
//! looks at these types.

use serde::Deserialize;
use serde_yaml_ng::Value;

/// A rule file: `rules: [...]`.
#[derive(Debug, Deserialize)]
pub(crate) struct RuleFileSyntax {
    pub(crate) rules: Vec<Value>,
}

/// One rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RuleSyntax {
    pub(crate) id: String,
    pub(crate) message: String,
    pub(crate) severity: String,
    pub(crate) languages: Vec<String>,
    #[serde(default)]
    pub(crate) metadata: Option<Value>,
    pub(crate) pattern: Option<String>,
    pub(crate) patterns: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_either: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_regex: Option<String>,
    pub(crate) fix: Option<String>,
    pub(crate) paths: Option<PathsSyntax>,
    pub(crate) mode: Option<String>,
    /// Accepted for compatibility with Semgrep rule files; not used.
    #[serde(rename = "options")]
    pub(crate) _options: Option<Value>,
    /// Accepted for compatibility with Semgrep rule files; not used.
    #[serde(rename = "min-version")]
    pub(crate) _min_version: Option<Value>,
}

/// `paths:` include/exclude globs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PathsSyntax {
    #[serde(default)]
    pub(crate) include: Vec<String>,
    #[serde(default)]
    pub(crate) exclude: Vec<String>,
}

/// One item of `patterns:` or `pattern-either:`: a map with a single key.
#[derive(Debug)]
pub(crate) enum ClauseSyntax {
    Pattern(String),
    Patterns(Vec<ClauseSyntax>),
    PatternEither(Vec<ClauseSyntax>),
    PatternNot(NotSyntax),
    PatternInside(NotSyntax),
    PatternNotInside(NotSyntax),
    PatternRegex(String),
    PatternNotRegex(String),
    MetavariableRegex(MetavariableRegexSyntax),
    MetavariablePattern(MetavariablePatternSyntax),
    MetavariableComparison(MetavariableComparisonSyntax),
    FocusMetavariable(OneOrMany),
}

/// The argument of `pattern-not` / `pattern-inside`: a pattern, or a nested formula.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum NotSyntax {
    Text(String),
    Formula(Box<FormulaSyntax>),
}

/// A nested formula (`pattern-not: {patterns: [...]}`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FormulaSyntax {
    pub(crate) pattern: Option<String>,
    pub(crate) patterns: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_either: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_regex: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetavariableRegexSyntax {
    pub(crate) metavariable: String,
    pub(crate) regex: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct MetavariablePatternSyntax {
    pub(crate) metavariable: String,
    pub(crate) language: Option<String>,
    pub(crate) pattern: Option<String>,
    pub(crate) patterns: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_either: Option<Vec<ClauseSyntax>>,
    pub(crate) pattern_regex: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetavariableComparisonSyntax {
    pub(crate) metavariable: Option<String>,
    pub(crate) comparison: String,
    #[serde(default)]
    pub(crate) strip: bool,
    pub(crate) base: Option<u32>,
}

const CLAUSE_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-not",
    "pattern-inside",
    "pattern-not-inside",
    "pattern-regex",
    "pattern-not-regex",
    "metavariable-regex",
    "metavariable-pattern",
    "metavariable-comparison",
    "focus-metavariable",
];

// Written by hand because YAML enums deserialised from a `Value` expect `!tag` syntax,
// while rule files write each clause as a one-key map.
impl<'de> Deserialize<'de> for ClauseSyntax {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        fn parse<T: serde::de::DeserializeOwned, E: Error>(
            key: &str,
            value: Value,
        ) -> Result<T, E> {
            serde_yaml_ng::from_value(value).map_err(|e| E::custom(format!("in `{key}`: {e}")))
        }
        let map = serde_yaml_ng::Mapping::deserialize(deserializer)?;
        let mut entries = map.into_iter();
        let (Some((key, value)), None) = (entries.next(), entries.next()) else {
            return Err(D::Error::custom(
                "each item of `patterns` or `pattern-either` must be a map with exactly one key, such as `- pattern: ...`",
            ));
        };
        let key = key.as_str().unwrap_or_default().to_owned();
        Ok(match key.as_str() {
            "pattern" => ClauseSyntax::Pattern(parse(&key, value)?),
            "patterns" => ClauseSyntax::Patterns(parse(&key, value)?),
            "pattern-either" => ClauseSyntax::PatternEither(parse(&key, value)?),
            "pattern-not" => ClauseSyntax::PatternNot(parse(&key, value)?),
            "pattern-inside" => ClauseSyntax::PatternInside(parse(&key, value)?),
            "pattern-not-inside" => ClauseSyntax::PatternNotInside(parse(&key, value)?),
            "pattern-regex" => ClauseSyntax::PatternRegex(parse(&key, value)?),
            "pattern-not-regex" => ClauseSyntax::PatternNotRegex(parse(&key, value)?),
            "metavariable-regex" => ClauseSyntax::MetavariableRegex(parse(&key, value)?),
            "metavariable-pattern" => ClauseSyntax::MetavariablePattern(parse(&key, value)?),
            "metavariable-comparison" => ClauseSyntax::MetavariableComparison(parse(&key, value)?),
            "focus-metavariable" => ClauseSyntax::FocusMetavariable(parse(&key, value)?),
            other => {
                let hint = crate::rule::suggest(other, CLAUSE_KEYS)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                return Err(D::Error::custom(format!(
                    "unknown operator `{other}`{hint}"
                )));
            }
        })
    }
}
