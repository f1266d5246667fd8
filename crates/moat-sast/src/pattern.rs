//! Turning a pattern's text into a [`PNode`] tree.
//!
//! Semgrep's pattern syntax is the target language plus `$X`, `$...X`, `...` and
//! `<... e ...>`. We rewrite those into identifiers the grammar accepts, parse with the
//! same grammar as the code, and then recognise the placeholders by their text.

use std::sync::Arc;

use regex::Regex;

use crate::language::{Spec, flag};
use crate::tree::{Tree, parse_ts};

const ELLIPSIS: &str = "__moat_ell";
const DEEP: &str = "__moat_deep";
const MV: &str = "__moat_mv_";
const SEQ_MV: &str = "__moat_mvs_";

/// A compiled pattern node.
#[derive(Debug)]
pub(crate) enum PNode {
    /// `...`: any sequence in a list, anything in an expression position.
    Ellipsis,
    /// `$X` (or `$_`, which binds nothing).
    Metavar(Arc<str>),
    /// `$...X`: a sequence of list items.
    SeqMetavar(Arc<str>),
    /// `<... e ...>`: a node containing a match of `e`.
    Deep(Box<PNode>),
    /// A string literal pattern.
    Str(StrPat),
    /// A dotted name (`subprocess.call`), matched through import aliases too.
    Dotted(String, Box<PNode>),
    /// `$X. ... .name`: an attribute `name` reached from `$X` through any chain of
    /// attributes and calls (`a.b().c.name`).
    Chain {
        base: Box<PNode>,
        property: Box<PNode>,
    },
    /// `module.$NAME`: also matches a name imported from `module` (`from m import x`).
    DottedMeta {
        prefix: String,
        name: Arc<str>,
        structural: Box<PNode>,
    },
    /// A node without children, compared by kind, and by text when it is a token
    /// (`pass` is a `pass_statement` whatever its text; `x` is an identifier named `x`).
    Leaf {
        kind: u16,
        ident: bool,
        /// The object of an attribute (`requests` in `requests.$M`): may be an import alias.
        module: bool,
        text: Option<String>,
    },
    /// An inner node compared by kind and children.
    Node(Box<Inner>),
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) kind: u16,
    pub(crate) open: bool,
    pub(crate) fields: Vec<u16>,
    pub(crate) positional: Vec<PNode>,
    pub(crate) keyed: Vec<PNode>,
    pub(crate) has_ellipsis: bool,
}

#[derive(Debug)]
pub(crate) enum StrPat {
    /// `"..."`: any constant string.
    Any,
    /// `f"..."` or `` `...` ``: any interpolated string (or constant one of that kind).
    AnyTemplate,
    /// `"=~/re/"`.
    Regex(Regex),
    /// A constant string, compared by content.
    Exact(String),
    /// An interpolated string: compared structurally.
    Structural(Box<PNode>),
}

/// A pattern compiled for one language.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// The root, or the statements of a multi-statement pattern.
    pub(crate) roots: Vec<PNode>,
    /// Kind of the single root, for candidate lookup; `None` when any node may match.
    pub(crate) root_kind: Option<u16>,
    /// The longest identifier a file must contain for the pattern to match.
    pub(crate) literal: Option<String>,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternError(pub(crate) String);

/// Rewrites metavariables, ellipses and deep expressions into identifiers, leaving string
/// literals alone.
#[expect(
    clippy::too_many_lines,
    reason = "a small lexer; its cases read best in one match"
)]
pub(crate) fn preprocess(pattern: &str, python: bool) -> String {
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut braces: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' | b'\'' | b'`' => {
                let quote = c;
                let start = i;
                // Interpolations of f-strings and template literals hold code, which may
                // hold metavariables: `f"...{$X}..."`, `` `${$X}` ``.
                let prefix_f = python
                    && pattern[..start]
                        .bytes()
                        .rev()
                        .take_while(u8::is_ascii_alphabetic)
                        .any(|b| b == b'f' || b == b'F');
                let interpolates = quote == b'`' || prefix_f;
                i += 1;
                out.push(char::from(quote));
                let mut chunk = i;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    let opens = if quote == b'`' {
                        pattern[i..].starts_with("${")
                    } else {
                        interpolates && bytes[i] == b'{' && bytes.get(i + 1) != Some(&b'{')
                    };
                    if opens {
                        let open = if quote == b'`' { i + 2 } else { i + 1 };
                        let mut depth = 1;
                        let mut j = open;
                        while j < bytes.len() && depth > 0 {
                            match bytes[j] {
                                b'{' => depth += 1,
                                b'}' => depth -= 1,
                                _ => {}
                            }
                            j += 1;
                        }
                        if depth == 0 {
                            out.push_str(&pattern[chunk..open]);
                            out.push_str(&preprocess(&pattern[open..j - 1], python));
                            out.push('}');
                            i = j;
                            chunk = i;
                            continue;
                        }
                    }
                    if interpolates && quote != b'`' && pattern[i..].starts_with("{{") {
                        i += 2;
                        continue;
                    }
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                out.push_str(&pattern[chunk..i]);
                continue;
            }
            b'(' | b'[' | b'{' => braces.push(c),
            b')' | b']' | b'}' => {
                braces.pop();
            }
            b'<' if pattern[i..].starts_with("<...") => {
                out.push_str(DEEP);
                out.push('(');
                i += 4;
                continue;
            }
            b'.' if pattern[i..].starts_with("...>") => {
                out.push(')');
                i += 4;
                continue;
            }
            b'.' if pattern[i..].starts_with("...") => {
                let next = bytes.get(i + 3).copied();
                let is_spread =
                    next.is_some_and(|n| n == b'$' || n.is_ascii_alphabetic() || n == b'_');
                if !is_spread {
                    if python && braces.last() == Some(&b'{') {
                        out.push_str("**");
                    }
                    out.push_str(ELLIPSIS);
                    i += 3;
                    continue;
                }
            }
            b'$' => {
                let rest = &pattern[i + 1..];
                let name_len = |s: &str| {
                    s.bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count()
                };
                if let Some(name) = rest.strip_prefix("...") {
                    let len = name_len(name);
                    if len > 0 {
                        out.push_str(SEQ_MV);
                        out.push_str(&name[..len]);
                        i += 4 + len;
                        continue;
                    }
                }
                let len = name_len(rest);
                if len > 0 {
                    out.push_str(MV);
                    out.push_str(&rest[..len]);
                    i += 1 + len;
                    continue;
                }
            }
            _ => {}
        }
        let ch = pattern[i..]
            .chars()
            .next()
            .expect("index is on a char boundary");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn placeholder(text: &str) -> &str {
    text.trim().trim_end_matches(';').trim()
}

struct Compiler<'t, 's> {
    tree: &'t Tree<'s>,
    spec: &'static Spec,
}

impl Compiler<'_, '_> {
    fn compile(&self, id: u32) -> Result<PNode, PatternError> {
        let text = placeholder(self.tree.text(id));
        // Inside a template, `...` text stands for any text and interpolations.
        if text == "..."
            && !flag(&self.spec.string, self.tree.kind(id))
            && let Some(parent) = Some(self.tree.node(id).parent).filter(|p| *p != u32::MAX)
            && flag(&self.spec.string, self.tree.kind(parent))
        {
            return Ok(PNode::Ellipsis);
        }
        // `**...` is how a dict pattern spells `...` (see `preprocess`).
        if text.trim_start_matches('*') == ELLIPSIS {
            return Ok(PNode::Ellipsis);
        }
        // `x: string` in TypeScript is a parameter around the name: bind `$X` to the name,
        // so it equals a later `$X` in the body.
        let only_child =
            self.tree.kids(id).len() == 1 && !flag(&self.spec.wrapper, self.tree.kind(id));
        if let Some(name) = text.strip_prefix(MV).filter(|_| !only_child)
            && is_name(name)
        {
            return Ok(PNode::Metavar(Arc::from(format!("${name}"))));
        }
        if let Some(name) = text.strip_prefix(SEQ_MV).filter(|_| !only_child)
            && is_name(name)
        {
            return Ok(PNode::SeqMetavar(Arc::from(format!("$...{name}"))));
        }
        let node = *self.tree.node(id);
        let kids = self.tree.kids(id);
        // `<... e ...>` became `__moat_deep(e)`.
        if let Some(callee) = kids
            .iter()
            .find(|k| self.tree.node(**k).field == self.spec.function_field)
            && self.spec.function_field != 0
            && self.tree.text(*callee) == DEEP
        {
            let args = kids.iter().find(|k| *k != callee).copied();
            let inner = args.and_then(|a| self.tree.kids(a).first().copied());
            return match inner {
                Some(inner) => Ok(PNode::Deep(Box::new(self.compile(inner)?))),
                None => Err(PatternError(
                    "`<... ...>` needs an expression inside".into(),
                )),
            };
        }
        if flag(&self.spec.string, node.kind) {
            let content = self.tree.string_content(id);
            let raw = self.tree.text(id);
            if content == "..." && (raw.starts_with(['f', 'F']) || raw.starts_with('`')) {
                return Ok(PNode::Str(StrPat::AnyTemplate));
            }
            if !self.tree.has_interpolation(id) {
                if content == "..." {
                    return Ok(PNode::Str(StrPat::Any));
                }
                if let Some(re) = content
                    .strip_prefix("=~/")
                    .and_then(|r| r.strip_suffix('/'))
                {
                    let re = Regex::new(re).map_err(|e| {
                        PatternError(format!("invalid regex in `\"=~/{re}/\"`: {e}"))
                    })?;
                    return Ok(PNode::Str(StrPat::Regex(re)));
                }
                return Ok(PNode::Str(StrPat::Exact(content.to_owned())));
            }
            return Ok(PNode::Str(StrPat::Structural(Box::new(self.inner(id)?))));
        }
        if flag(&self.spec.attribute, node.kind)
            && let Some(special) = self.attribute(id)?
        {
            return Ok(special);
        }
        self.inner(id)
    }

    /// The special forms of an attribute pattern: `$X. ... .name`, a dotted name, and
    /// `module.$NAME`; `None` for a plain attribute.
    fn attribute(&self, id: u32) -> Result<Option<PNode>, PatternError> {
        let field = |of: u32, f: u16| {
            self.tree
                .kids(of)
                .iter()
                .copied()
                .find(|k| self.tree.node(*k).field == f)
        };
        if let (Some(object), Some(property)) = (
            field(id, self.spec.object_field),
            field(id, self.spec.property_field),
        ) && flag(&self.spec.attribute, self.tree.kind(object))
            && let (Some(base), Some(gap)) = (
                field(object, self.spec.object_field),
                field(object, self.spec.property_field),
            )
            && placeholder(self.tree.text(gap)) == ELLIPSIS
        {
            return Ok(Some(PNode::Chain {
                base: Box::new(self.compile(base)?),
                property: Box::new(self.compile(property)?),
            }));
        }
        if let Some(dotted) = self.dotted(id) {
            return Ok(Some(PNode::Dotted(dotted, Box::new(self.inner(id)?))));
        }
        if let (Some(object), Some(property)) = (
            field(id, self.spec.object_field),
            field(id, self.spec.property_field),
        ) {
            let var = placeholder(self.tree.text(property))
                .strip_prefix(MV)
                .filter(|n| is_name(n));
            if let (Some(prefix), Some(var)) = (self.dotted(object), var) {
                return Ok(Some(PNode::DottedMeta {
                    prefix,
                    name: Arc::from(format!("${var}")),
                    structural: Box::new(self.inner(id)?),
                }));
            }
        }
        Ok(None)
    }

    fn dotted(&self, id: u32) -> Option<String> {
        let kind = self.tree.kind(id);
        if flag(&self.spec.identifier, kind) {
            let text = self.tree.text(id);
            return (!text.starts_with("__moat")).then(|| text.to_owned());
        }
        if flag(&self.spec.attribute, kind) {
            let kids = self.tree.kids(id);
            let object = kids
                .iter()
                .find(|k| self.tree.node(**k).field == self.spec.object_field)?;
            let property = kids
                .iter()
                .find(|k| self.tree.node(**k).field == self.spec.property_field)?;
            let head = self.dotted(*object)?;
            let tail = self.dotted(*property)?;
            return Some(format!("{head}.{tail}"));
        }
        None
    }

    fn inner(&self, id: u32) -> Result<PNode, PatternError> {
        let node = *self.tree.node(id);
        let kids = self.tree.kids(id);
        if kids.is_empty() {
            return Ok(PNode::Leaf {
                kind: node.kind,
                ident: flag(&self.spec.identifier, node.kind),
                module: false,
                text: Some(leaf_text(self.tree.text(id), node.token)),
            });
        }
        let mut positional = Vec::new();
        let mut keyed = Vec::new();
        let mut fields = Vec::new();
        for kid in kids {
            let field = self.tree.node(*kid).field;
            if field != 0 && !fields.contains(&field) {
                fields.push(field);
            }
            let mut compiled = self.compile(*kid)?;
            if field == self.spec.object_field
                && flag(&self.spec.attribute, node.kind)
                && let PNode::Leaf {
                    ident: true,
                    module,
                    ..
                } = &mut compiled
            {
                *module = true;
            }
            if flag(&self.spec.keyed, self.tree.kind(*kid)) {
                keyed.push(compiled);
            } else {
                positional.push(compiled);
            }
        }
        let has_ellipsis = positional
            .iter()
            .any(|p| matches!(p, PNode::Ellipsis | PNode::SeqMetavar(_)));
        Ok(PNode::Node(Box::new(Inner {
            kind: node.kind,
            open: flag(&self.spec.open, node.kind),
            fields,
            positional,
            keyed,
            has_ellipsis,
        })))
    }
}

/// The text a childless node is compared by: a token as written; a node whose keyword
/// children were dropped (`break;`, `any`) without spaces and a final `;`.
pub(crate) fn leaf_text(text: &str, token: bool) -> String {
    if token {
        text.to_owned()
    } else {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_end_matches(';')
            .to_owned()
    }
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Pattern {
    /// Parses and compiles `text` for the language of `spec`.
    pub(crate) fn compile(spec: &'static Spec, text: &str) -> Result<Pattern, PatternError> {
        let mut source = preprocess(text.trim(), spec.language.is_python());
        let mut ts =
            parse_ts(spec, &source).ok_or_else(|| PatternError("the parser gave up".into()))?;
        if ts.root_node().has_error() && !spec.language.is_python() {
            // `{a: $X}` reads as a block at statement level; as an expression it is an object.
            let wrapped = format!("({source})");
            if let Some(retry) = parse_ts(spec, &wrapped).filter(|t| !t.root_node().has_error()) {
                source = wrapped;
                ts = retry;
            }
        }
        if ts.root_node().has_error() {
            return Err(PatternError(format!(
                "`{}` is not valid {} (after replacing metavariables)",
                text.trim(),
                spec.language
            )));
        }
        let tree = Tree::from_ts(spec, &source, &ts);
        let mut root = 0u32;
        // Strip the module and expression-statement wrappers around a single node.
        while flag(&spec.wrapper, tree.kind(root)) && tree.kids(root).len() == 1 {
            root = tree.kids(root)[0];
        }
        let compiler = Compiler { tree: &tree, spec };
        let (roots, root_kind) =
            if flag(&spec.block, tree.kind(root)) && tree.node(root).parent == u32::MAX {
                let kids = tree.kids(root);
                if kids.is_empty() {
                    return Err(PatternError("the pattern is empty".into()));
                }
                let roots = kids
                    .iter()
                    .map(|k| compiler.compile(*k))
                    .collect::<Result<Vec<_>, _>>()?;
                (roots, None)
            } else {
                let root_node = compiler.compile(root)?;
                let kind = match &root_node {
                    PNode::Node(inner) => Some(inner.kind),
                    PNode::Leaf {
                        kind, ident: false, ..
                    } => Some(*kind),
                    PNode::Str(StrPat::Structural(_)) | PNode::Dotted(..) | PNode::Chain { .. } => {
                        Some(tree.kind(root))
                    }
                    _ => None,
                };
                (vec![root_node], kind)
            };
        let mut literals = Vec::new();
        for r in &roots {
            collect_literals(r, &mut literals);
        }
        let literal = literals.into_iter().max_by_key(String::len);
        Ok(Pattern {
            roots,
            root_kind,
            literal,
        })
    }

    pub(crate) fn is_sequence(&self) -> bool {
        self.roots.len() > 1
    }
}

fn collect_literals(node: &PNode, out: &mut Vec<String>) {
    match node {
        PNode::Leaf {
            ident: true,
            text: Some(text),
            ..
        } if text.len() >= 3 => out.push(text.clone()),
        PNode::DottedMeta { prefix, .. } => {
            out.push(prefix.rsplit('.').next().unwrap_or(prefix).to_owned());
        }
        PNode::Dotted(name, _) => {
            if let Some(last) = name.rsplit('.').next() {
                out.push(last.to_owned());
            }
        }
        PNode::Deep(inner) => collect_literals(inner, out),
        PNode::Chain { property, .. } => collect_literals(property, out),
        PNode::Node(inner) => {
            for kid in inner.positional.iter().chain(&inner.keyed) {
                collect_literals(kid, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_placeholders_outside_strings() {
        assert_eq!(
            preprocess("$X.run(..., debug=True)", true),
            "__moat_mv_X.run(__moat_ell, debug=True)"
        );
        assert_eq!(
            preprocess("f($...ARGS, '...')", true),
            "f(__moat_mvs_ARGS, '...')"
        );
        assert_eq!(
            preprocess("{..., 'k': $V}", true),
            "{**__moat_ell, 'k': __moat_mv_V}"
        );
        assert_eq!(
            preprocess("{..., k: $V}", false),
            "{__moat_ell, k: __moat_mv_V}"
        );
        assert_eq!(
            preprocess("q(<... $X ...>)", false),
            "q(__moat_deep( __moat_mv_X ))"
        );
        assert_eq!(preprocess("f(...args)", false), "f(...args)");
        assert_eq!(
            preprocess("f\"...{$X}...\"", true),
            "f\"...{__moat_mv_X}...\""
        );
        assert_eq!(
            preprocess("`a ${$X + \"...\"} b`", false),
            "`a ${__moat_mv_X + \"...\"} b`"
        );
        assert_eq!(preprocess("\"{$X}\"", true), "\"{$X}\"");
    }
}
