//! Languages the engine knows. Adding one is a grammar plus a [`Spec`] naming which of its
//! node kinds play which part (blocks, strings, keyed children...); the matcher never names
//! a node kind itself.

use std::fmt;
use std::path::Path;

use tree_sitter::Language as Grammar;

/// A source language with a tree-sitter grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Python 3 (through 3.13).
    Python,
    /// JavaScript, including JSX.
    JavaScript,
    /// TypeScript without JSX.
    TypeScript,
    /// TypeScript with JSX.
    Tsx,
}

impl Language {
    /// Every language.
    pub const ALL: [Language; 4] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
    ];

    /// The language of a file, from its extension.
    pub fn of_path(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "py" | "pyi" | "pyw" => Some(Language::Python),
            "js" | "jsx" | "mjs" | "cjs" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" => Some(Language::TypeScript),
            "tsx" => Some(Language::Tsx),
            _ => None,
        }
    }

    /// The grammars a rule's `languages:` entry names (Semgrep's names and aliases).
    pub fn from_rule_name(name: &str) -> Option<&'static [Language]> {
        match name.to_ascii_lowercase().as_str() {
            "python" | "py" | "python3" => Some(&[Language::Python]),
            "javascript" | "js" | "jsx" => Some(&[Language::JavaScript]),
            "typescript" | "ts" => Some(&[Language::TypeScript, Language::Tsx]),
            "tsx" => Some(&[Language::Tsx]),
            _ => None,
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
        }
    }

    pub(crate) fn grammar(self) -> Grammar {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }

    /// The comment prefix of rule test annotations (`# ruleid:` or `// ruleid:`).
    pub fn comment_prefix(self) -> &'static str {
        match self {
            Language::Python => "#",
            _ => "//",
        }
    }

    pub(crate) fn is_python(self) -> bool {
        self == Language::Python
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which node kinds of a grammar play which part, as tables indexed by kind id.
pub(crate) struct Spec {
    pub(crate) language: Language,
    pub(crate) grammar: Grammar,
    /// Comments and punctuation that never change meaning here.
    pub(crate) skipped: Vec<bool>,
    /// Parentheses around one expression, unwrapped.
    pub(crate) paren: Vec<bool>,
    /// Nodes whose children are statements.
    pub(crate) block: Vec<bool>,
    /// Children matched in any order (keyword arguments, dict/object pairs, JSX attributes).
    pub(crate) keyed: Vec<bool>,
    /// Nodes whose keyed children a pattern may leave out (JSX elements).
    pub(crate) open: Vec<bool>,
    /// String literals, compared by content.
    pub(crate) string: Vec<bool>,
    /// Interpolations inside strings (f-string `{}` and template `${}`).
    pub(crate) interpolation: Vec<bool>,
    /// Identifier kinds, compared by text with each other.
    pub(crate) identifier: Vec<bool>,
    /// Attribute access (`a.b`): the kind, and the fields of its object and property.
    pub(crate) attribute: Vec<bool>,
    pub(crate) object_field: u16,
    pub(crate) property_field: u16,
    /// Single-child wrappers stripped from a pattern's root (`expression_statement`).
    pub(crate) wrapper: Vec<bool>,
    /// The field of a call's callee.
    pub(crate) function_field: u16,
    /// Decorators, and the statement that in TypeScript holds a class's decorators when
    /// `export` follows them (`@C() export class X`), with the field of its declaration.
    pub(crate) decorator: Vec<bool>,
    pub(crate) export: Vec<bool>,
    pub(crate) declaration_field: u16,
    /// Nodes whose unnamed tokens carry meaning and are kept (`:` in `a[1:]` vs `a[:1]`).
    pub(crate) keep_tokens: Vec<bool>,
}

fn table(grammar: &Grammar, named: &[&str], anonymous: &[&str]) -> Vec<bool> {
    let count = grammar.node_kind_count();
    (0..count)
        .map(|id| {
            let id = u16::try_from(id).expect("grammars have fewer than 65536 kinds");
            let Some(name) = grammar.node_kind_for_id(id) else {
                return false;
            };
            if grammar.node_kind_is_named(id) {
                named.contains(&name)
            } else {
                anonymous.contains(&name)
            }
        })
        .collect()
}

fn field(grammar: &Grammar, name: &str) -> u16 {
    grammar
        .field_id_for_name(name)
        .map_or(0, std::num::NonZero::get)
}

const PUNCTUATION: &[&str] = &["(", ")", ",", ";", "{", "}", "[", "]"];

impl Spec {
    pub(crate) fn new(language: Language) -> Spec {
        let grammar = language.grammar();
        let g = &grammar;
        if language.is_python() {
            Spec {
                language,
                skipped: table(
                    g,
                    &["comment", "line_continuation", "string_start", "string_end"],
                    PUNCTUATION,
                ),
                paren: table(g, &["parenthesized_expression"], &[]),
                block: table(g, &["module", "block"], &[]),
                keyed: table(g, &["keyword_argument", "pair", "decorator"], &[]),
                open: table(g, &["decorated_definition"], &[]),
                string: table(g, &["string", "concatenated_string"], &[]),
                interpolation: table(g, &["interpolation"], &[]),
                identifier: table(g, &["identifier"], &[]),
                attribute: table(g, &["attribute"], &[]),
                object_field: field(g, "object"),
                property_field: field(g, "attribute"),
                wrapper: table(g, &["module", "expression_statement"], &[]),
                function_field: field(g, "function"),
                decorator: table(g, &["decorator"], &[]),
                export: table(g, &[], &[]),
                declaration_field: 0,
                keep_tokens: table(g, &["slice"], &[]),
                grammar,
            }
        } else {
            Spec {
                language,
                skipped: table(g, &["comment", "html_comment"], PUNCTUATION),
                paren: table(g, &["parenthesized_expression"], &[]),
                block: table(
                    g,
                    &[
                        "program",
                        "statement_block",
                        "class_body",
                        "switch_case",
                        "switch_default",
                    ],
                    &[],
                ),
                keyed: table(g, &["pair", "jsx_attribute", "decorator"], &[]),
                open: table(
                    g,
                    &[
                        "jsx_opening_element",
                        "jsx_self_closing_element",
                        "class_declaration",
                        "class",
                    ],
                    &[],
                ),
                string: table(g, &["string", "template_string"], &[]),
                interpolation: table(g, &["template_substitution"], &[]),
                identifier: table(
                    g,
                    &[
                        "identifier",
                        "property_identifier",
                        "shorthand_property_identifier",
                        "shorthand_property_identifier_pattern",
                        "type_identifier",
                        "statement_identifier",
                    ],
                    &[],
                ),
                attribute: table(g, &["member_expression"], &[]),
                object_field: field(g, "object"),
                property_field: field(g, "property"),
                wrapper: table(g, &["program", "expression_statement"], &[]),
                function_field: field(g, "function"),
                decorator: table(g, &["decorator"], &[]),
                export: table(g, &["export_statement"], &[]),
                declaration_field: field(g, "declaration"),
                keep_tokens: table(g, &[], &[]),
                grammar,
            }
        }
    }
}

/// The specs of every language, built once.
pub(crate) fn spec(language: Language) -> &'static Spec {
    use std::sync::OnceLock;
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| Language::ALL.iter().map(|l| Spec::new(*l)).collect());
    &specs[Language::ALL
        .iter()
        .position(|l| *l == language)
        .expect("every language has a spec")]
}

pub(crate) fn flag(table: &[bool], kind: u16) -> bool {
    table.get(usize::from(kind)).copied().unwrap_or(false)
}
