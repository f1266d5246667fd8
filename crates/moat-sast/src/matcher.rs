//! Matching compiled patterns against a file's tree.

use std::sync::Arc;

use crate::imports::Aliases;
use crate::language::flag;
use crate::pattern::{Inner, PNode, Pattern, StrPat};
use crate::tree::Tree;

/// What a metavariable is bound to: a node, or a span of several (`$...ARGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) node: Option<u32>,
}

/// Bindings in the order they were made; few enough that a vector beats a map.
pub(crate) type Env = Vec<(Arc<str>, Binding)>;

/// One match: a byte span and its bindings.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) env: Env,
}

pub(crate) struct Matcher<'a, 's> {
    pub(crate) tree: &'a Tree<'s>,
    pub(crate) aliases: &'a Aliases,
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Matcher<'_, '_> {
    pub(crate) fn text(&self, b: &Binding) -> &str {
        &self.tree.src[b.start as usize..b.end as usize]
    }

    /// Whether two bindings hold the same code, ignoring formatting.
    pub(crate) fn same(&self, a: &Binding, b: &Binding) -> bool {
        match (a.node, b.node) {
            (Some(x), Some(y)) => self.node_eq(x, y),
            _ => squash(self.text(a)) == squash(self.text(b)),
        }
    }

    fn node_eq(&self, x: u32, y: u32) -> bool {
        let t = self.tree;
        let (kx, ky) = (t.kind(x), t.kind(y));
        let spec = t.spec;
        if flag(&spec.string, kx) && flag(&spec.string, ky) && !t.has_interpolation(x) && !t.has_interpolation(y) {
            return t.string_content(x) == t.string_content(y);
        }
        let (a, b) = (t.kids(x), t.kids(y));
        if a.is_empty() && b.is_empty() {
            let same_kind = kx == ky || (flag(&spec.identifier, kx) && flag(&spec.identifier, ky));
            return same_kind && t.text(x) == t.text(y);
        }
        kx == ky && a.len() == b.len() && a.iter().zip(b).all(|(p, q)| self.node_eq(*p, *q))
    }

    fn bind(&self, env: &mut Env, name: &Arc<str>, binding: Binding) -> bool {
        if &**name == "$_" || &**name == "$..._" {
            return true;
        }
        if let Some((_, old)) = env.iter().find(|(n, _)| n == name) {
            let old = *old;
            return self.same(&old, &binding);
        }
        env.push((name.clone(), binding));
        true
    }

    fn single(&self, id: u32) -> Binding {
        let n = self.tree.node(id);
        Binding {
            start: n.start,
            end: n.end,
            node: Some(id),
        }
    }

    /// The dotted name of a code node with its head resolved through imports.
    fn dotted(&self, id: u32) -> Option<String> {
        let t = self.tree;
        let kind = t.kind(id);
        if flag(&t.spec.identifier, kind) {
            let text = t.text(id);
            return Some(self.aliases.get(text).cloned().unwrap_or_else(|| text.to_owned()));
        }
        if flag(&t.spec.attribute, kind) {
            let kids = t.kids(id);
            let object = kids.iter().find(|k| t.node(**k).field == t.spec.object_field)?;
            let property = kids.iter().find(|k| t.node(**k).field == t.spec.property_field)?;
            let head = self.dotted(*object)?;
            return Some(format!("{head}.{}", t.text(*property)));
        }
        None
    }

    pub(crate) fn node(&self, p: &PNode, c: u32, env: &mut Env) -> bool {
        let t = self.tree;
        match p {
            PNode::Ellipsis => true,
            PNode::Metavar(name) | PNode::SeqMetavar(name) => self.bind(env, name, self.single(c)),
            PNode::Deep(inner) => {
                let end = t.node(c).subtree_end;
                (c..end).any(|d| {
                    let mark = env.len();
                    let ok = self.node(inner, d, env);
                    if !ok {
                        env.truncate(mark);
                    }
                    ok
                })
            }
            PNode::Str(pattern) => {
                if !flag(&t.spec.string, t.kind(c)) {
                    return false;
                }
                match pattern {
                    StrPat::Any => !t.has_interpolation(c),
                    StrPat::Regex(re) => !t.has_interpolation(c) && re.is_match(t.string_content(c)),
                    StrPat::Exact(s) => !t.has_interpolation(c) && t.string_content(c) == s,
                    StrPat::Structural(inner) => self.node(inner, c, env),
                }
            }
            PNode::Dotted(name, structural) => {
                self.dotted(c).is_some_and(|d| d == *name) || self.node(structural, c, env)
            }
            PNode::Leaf { kind, ident, text } => {
                let ck = t.kind(c);
                let kind_ok = if *ident { flag(&t.spec.identifier, ck) } else { ck == *kind };
                kind_ok && t.kids(c).is_empty() && t.text(c) == text
            }
            PNode::Node(inner) => t.kind(c) == inner.kind && self.children(inner, c, env),
        }
    }

    fn children(&self, inner: &Inner, c: u32, env: &mut Env) -> bool {
        let t = self.tree;
        let mut positional = Vec::new();
        let mut keyed = Vec::new();
        for kid in t.kids(c) {
            let node = t.node(*kid);
            // A field the pattern leaves out (a type annotation, a return type) is optional.
            if node.field != 0 && !inner.fields.contains(&node.field) {
                continue;
            }
            if flag(&t.spec.keyed, node.kind) {
                keyed.push(*kid);
            } else {
                positional.push(*kid);
            }
        }
        if !inner.has_ellipsis && !inner.open && keyed.len() != inner.keyed.len() {
            return false;
        }
        let mark = env.len();
        let mut used = vec![false; keyed.len()];
        if self.keyed(&inner.keyed, &keyed, &mut used, env) && self.seq(&inner.positional, &positional, env) {
            return true;
        }
        env.truncate(mark);
        false
    }

    fn keyed(&self, p: &[PNode], c: &[u32], used: &mut [bool], env: &mut Env) -> bool {
        let Some((first, rest)) = p.split_first() else {
            return true;
        };
        for (i, kid) in c.iter().enumerate() {
            if used[i] {
                continue;
            }
            let mark = env.len();
            if self.node(first, *kid, env) {
                used[i] = true;
                if self.keyed(rest, c, used, env) {
                    return true;
                }
                used[i] = false;
            }
            env.truncate(mark);
        }
        false
    }

    fn seq(&self, p: &[PNode], c: &[u32], env: &mut Env) -> bool {
        let Some((first, rest)) = p.split_first() else {
            return c.is_empty();
        };
        match first {
            PNode::Ellipsis => (0..=c.len()).any(|k| {
                let mark = env.len();
                let ok = self.seq(rest, &c[k..], env);
                if !ok {
                    env.truncate(mark);
                }
                ok
            }),
            PNode::SeqMetavar(name) => (0..=c.len()).any(|k| {
                let mark = env.len();
                let binding = match (c.first(), k) {
                    (Some(_), k) if k > 0 => Binding {
                        start: self.tree.node(c[0]).start,
                        end: self.tree.node(c[k - 1]).end,
                        node: (k == 1).then(|| c[0]),
                    },
                    _ => Binding {
                        start: 0,
                        end: 0,
                        node: None,
                    },
                };
                let ok = self.bind(env, name, binding) && self.seq(rest, &c[k..], env);
                if !ok {
                    env.truncate(mark);
                }
                ok
            }),
            _ => {
                let Some((head, tail)) = c.split_first() else {
                    return false;
                };
                let mark = env.len();
                if self.node(first, *head, env) && self.seq(rest, tail, env) {
                    return true;
                }
                env.truncate(mark);
                false
            }
        }
    }

    /// Every match of `pattern` among nodes whose ids are in `within` (a subtree range).
    pub(crate) fn find(&self, pattern: &Pattern, within: (u32, u32)) -> Vec<Match> {
        let t = self.tree;
        let mut out = Vec::new();
        let (lo, hi) = within;
        if pattern.is_sequence() {
            let mut roots: &[PNode] = &pattern.roots;
            while let Some((PNode::Ellipsis, rest)) = roots.split_first() {
                roots = rest;
            }
            while let Some((PNode::Ellipsis, rest)) = roots.split_last() {
                roots = rest;
            }
            if roots.is_empty() {
                return out;
            }
            for id in lo..hi {
                if !flag(&t.spec.block, t.kind(id)) {
                    continue;
                }
                let limit = t.node(id).subtree_end;
                for kid in t.kids(id) {
                    let mut env = Env::new();
                    if let Some(last) = self.stmt_seq(roots, *kid, limit, &mut env) {
                        out.push(Match {
                            start: t.node(*kid).start,
                            end: t.node(last).end,
                            env,
                        });
                    }
                }
            }
            return out;
        }
        let root = &pattern.roots[0];
        let mut try_node = |id: u32| {
            let mut env = Env::new();
            if self.node(root, id, &mut env) {
                let n = t.node(id);
                out.push(Match {
                    start: n.start,
                    end: n.end,
                    env,
                });
            }
        };
        match pattern.root_kind {
            Some(kind) => {
                let ids = &t.by_kind[usize::from(kind)];
                let from = ids.partition_point(|id| *id < lo);
                for id in ids[from..].iter().take_while(|id| **id < hi) {
                    try_node(*id);
                }
            }
            None => {
                for id in lo..hi {
                    if t.node(id).named && !flag(&t.spec.block, t.kind(id)) {
                        try_node(id);
                    }
                }
            }
        }
        out
    }

    fn stmt_seq(&self, p: &[PNode], cur: u32, limit: u32, env: &mut Env) -> Option<u32> {
        let t = self.tree;
        let mark = env.len();
        if !self.node(&p[0], cur, env) {
            env.truncate(mark);
            return None;
        }
        let result = match p.get(1) {
            None => Some(cur),
            Some(PNode::Ellipsis) => {
                let rest = &p[2..];
                if rest.is_empty() {
                    Some(cur)
                } else {
                    (t.node(cur).subtree_end..limit).filter(|n| t.is_stmt(*n)).find_map(|n| {
                        let mark = env.len();
                        let found = self.stmt_seq(rest, n, limit, env);
                        if found.is_none() {
                            env.truncate(mark);
                        }
                        found
                    })
                }
            }
            Some(_) => t
                .next_sibling(cur)
                .and_then(|next| self.stmt_seq(&p[1..], next, limit, env)),
        };
        if result.is_none() {
            env.truncate(mark);
        }
        result
    }
}
