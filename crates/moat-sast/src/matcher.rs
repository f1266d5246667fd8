//! Matching compiled patterns against a file's tree.

use std::cell::Cell;
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

/// A continuation: told the bindings of one way a pattern matched; returns true to stop.
pub(crate) type K<'k> = &'k mut dyn FnMut(&mut Env) -> bool;

/// How many different bindings one node may produce; bounds `f(..., $X, ...)` on a long
/// argument list while leaving enough for later clauses to pick from.
const ALTERNATIVES: usize = 16;

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
        // Text equality covers one name seen through two node kinds (the target of
        // `with ... as x` and the identifier `x`); node equality covers `'a'` and `"a"`.
        squash(self.text(a)) == squash(self.text(b))
            || matches!((a.node, b.node), (Some(x), Some(y)) if self.node_eq(x, y))
    }

    #[expect(
        clippy::many_single_char_names,
        reason = "x/y and a/b are the two sides"
    )]
    fn node_eq(&self, x: u32, y: u32) -> bool {
        let t = self.tree;
        let (kx, ky) = (t.kind(x), t.kind(y));
        let spec = t.spec;
        if flag(&spec.string, kx)
            && flag(&spec.string, ky)
            && !t.has_interpolation(x)
            && !t.has_interpolation(y)
        {
            return t.string_content(x) == t.string_content(y);
        }
        let (a, b) = (t.kids(x), t.kids(y));
        if a.is_empty() && b.is_empty() {
            let same_kind = kx == ky || (flag(&spec.identifier, kx) && flag(&spec.identifier, ky));
            return same_kind && (!t.node(x).token || t.text(x) == t.text(y));
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

    /// Whether a code node is the dotted name `name` once its head is resolved through
    /// imports. Compares from the right, without building strings: this runs for every
    /// candidate of a `module.function(...)` pattern.
    fn is_dotted(&self, id: u32, name: &str) -> bool {
        let t = self.tree;
        let kind = t.kind(id);
        if flag(&t.spec.identifier, kind) {
            let text = t.text(id);
            return text == name || self.aliases.get(text).is_some_and(|a| a.full == name);
        }
        if !flag(&t.spec.attribute, kind) {
            return false;
        }
        let Some((head, last)) = name.rsplit_once('.') else {
            return false;
        };
        let kids = t.kids(id);
        let field = |f: u16| kids.iter().copied().find(|k| t.node(*k).field == f);
        match (field(t.spec.object_field), field(t.spec.property_field)) {
            (Some(object), Some(property)) => {
                t.text(property) == last && self.is_dotted(object, head)
            }
            _ => false,
        }
    }

    #[expect(
        clippy::many_single_char_names,
        reason = "p, c, k and t are the pattern, code node, continuation and tree throughout"
    )]
    pub(crate) fn node(&self, p: &PNode, c: u32, env: &mut Env, k: K<'_>) -> bool {
        let t = self.tree;
        match p {
            PNode::Ellipsis => k(env),
            PNode::Metavar(name) | PNode::SeqMetavar(name) => {
                let mark = env.len();
                if self.bind(env, name, self.single(c)) && k(env) {
                    return true;
                }
                env.truncate(mark);
                false
            }
            PNode::Deep(inner) => {
                let end = t.node(c).subtree_end;
                (c..end).any(|d| self.node(inner, d, env, k))
            }
            PNode::Str(pattern) => {
                if !flag(&t.spec.string, t.kind(c)) {
                    return false;
                }
                let ok = match pattern {
                    StrPat::Any => !t.has_interpolation(c),
                    StrPat::AnyTemplate => {
                        let raw = t.text(c);
                        let prefix: String =
                            raw.chars().take_while(char::is_ascii_alphabetic).collect();
                        t.has_interpolation(c)
                            || prefix.contains(['f', 'F'])
                            || raw.starts_with('`')
                    }
                    StrPat::Regex(re) => {
                        !t.has_interpolation(c) && re.is_match(t.string_content(c))
                    }
                    StrPat::Exact(s) => !t.has_interpolation(c) && t.string_content(c) == s,
                    StrPat::Structural(inner) => return self.node(inner, c, env, k),
                };
                ok && k(env)
            }
            PNode::Dotted(name, structural) => {
                if self.is_dotted(c, name) {
                    k(env)
                } else {
                    self.node(structural, c, env, k)
                }
            }
            PNode::Chain { base, property } => self.chain(base, property, c, env, k),
            PNode::DottedMeta {
                prefix,
                name,
                structural,
            } => {
                if flag(&t.spec.identifier, t.kind(c)) {
                    let alias = self.aliases.get(t.text(c));
                    let imported = alias.and_then(|a| a.full.rsplit_once('.'));
                    if imported.is_some_and(|(module, _)| module == prefix) {
                        // Bind to the member's own name where the import writes it.
                        let binding = match alias.and_then(|a| a.member) {
                            Some((start, end)) => Binding {
                                start,
                                end,
                                node: None,
                            },
                            None => self.single(c),
                        };
                        let mark = env.len();
                        if self.bind(env, name, binding) && k(env) {
                            return true;
                        }
                        env.truncate(mark);
                        return false;
                    }
                }
                self.node(structural, c, env, k)
            }
            PNode::Leaf {
                kind,
                ident,
                module,
                text,
            } => {
                let ck = t.kind(c);
                let kind_ok = if *ident {
                    flag(&t.spec.identifier, ck)
                } else {
                    ck == *kind
                };
                let ok = kind_ok
                    && t.kids(c).is_empty()
                    && text.as_deref().is_none_or(|text| {
                        let code = t.text(c);
                        if !t.node(c).token {
                            return crate::pattern::leaf_text(code, false) == text;
                        }
                        // `import requests as rq`: the identifier `rq` is the name `requests`.
                        code == text
                            || (*module && self.aliases.get(code).is_some_and(|a| a.full == text))
                    });
                ok && k(env)
            }
            PNode::Node(inner) => t.kind(c) == inner.kind && self.children(inner, c, env, k),
        }
    }

    /// `$X. ... .name`: `name` matches, then `$X` matches some receiver down the chain.
    fn chain(&self, base: &PNode, property: &PNode, c: u32, env: &mut Env, k: K<'_>) -> bool {
        let t = self.tree;
        if !flag(&t.spec.attribute, t.kind(c)) {
            return false;
        }
        let field = |of: u32, f: u16| t.kids(of).iter().copied().find(|k| t.node(*k).field == f);
        let (Some(receiver), Some(prop)) = (
            field(c, t.spec.object_field),
            field(c, t.spec.property_field),
        ) else {
            return false;
        };
        self.node(property, prop, env, &mut |env: &mut Env| {
            // Walk down the receiver chain: `a.b().c` → `a.b()` → `a.b` → `a`.
            let mut object = receiver;
            loop {
                if self.node(base, object, env, k) {
                    return true;
                }
                let kind = t.kind(object);
                let next = if flag(&t.spec.attribute, kind) {
                    field(object, t.spec.object_field)
                } else if t.spec.function_field != 0 {
                    field(object, t.spec.function_field)
                } else {
                    None
                };
                match next {
                    Some(n) => object = n,
                    None => return false,
                }
            }
        })
    }

    fn children(&self, inner: &Inner, c: u32, env: &mut Env, k: K<'_>) -> bool {
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
        let used: Vec<Cell<bool>> = keyed.iter().map(|_| Cell::new(false)).collect();
        self.keyed(&inner.keyed, &keyed, &used, env, &mut |env: &mut Env| {
            self.seq(&inner.positional, &positional, env, k)
        })
    }

    /// Matches keyed children (keyword arguments, pairs, attributes) in any order.
    fn keyed(&self, p: &[PNode], c: &[u32], used: &[Cell<bool>], env: &mut Env, k: K<'_>) -> bool {
        let Some((first, rest)) = p.split_first() else {
            return k(env);
        };
        for (i, kid) in c.iter().enumerate() {
            if used[i].get() {
                continue;
            }
            used[i].set(true);
            let found = self.node(first, *kid, env, &mut |env: &mut Env| {
                self.keyed(rest, c, used, env, k)
            });
            used[i].set(false);
            if found {
                return true;
            }
        }
        false
    }

    fn seq(&self, p: &[PNode], c: &[u32], env: &mut Env, k: K<'_>) -> bool {
        let Some((first, rest)) = p.split_first() else {
            return c.is_empty() && k(env);
        };
        match first {
            PNode::Ellipsis => (0..=c.len()).any(|n| self.seq(rest, &c[n..], env, k)),
            PNode::SeqMetavar(name) => (0..=c.len()).any(|n| {
                let binding = if n == 0 {
                    // An empty sequence binds to the empty span where it would be.
                    let at = c.first().map_or(0, |f| self.tree.node(*f).start);
                    Binding {
                        start: at,
                        end: at,
                        node: None,
                    }
                } else {
                    Binding {
                        start: self.tree.node(c[0]).start,
                        end: self.tree.node(c[n - 1]).end,
                        node: (n == 1).then(|| c[0]),
                    }
                };
                let mark = env.len();
                if self.bind(env, name, binding) && self.seq(rest, &c[n..], env, k) {
                    return true;
                }
                env.truncate(mark);
                false
            }),
            _ => {
                let Some((head, tail)) = c.split_first() else {
                    return false;
                };
                self.node(first, *head, env, &mut |env: &mut Env| {
                    self.seq(rest, tail, env, k)
                })
            }
        }
    }

    /// Every match of `pattern` among nodes whose ids are in `within` (a subtree range),
    /// with up to [`ALTERNATIVES`] different bindings per node.
    pub(crate) fn find(&self, pattern: &Pattern, within: (u32, u32)) -> Vec<Match> {
        let t = self.tree;
        let mut out = Vec::new();
        let (lo, hi) = within;
        if pattern.is_sequence() {
            let mut roots: &[PNode] = &pattern.roots;
            while let Some((PNode::Ellipsis, rest)) = roots.split_first() {
                roots = rest;
            }
            // `$X = f()` then `...`: the match runs to the end of the block, so a
            // `pattern-inside` like it holds everything after the assignment.
            let to_block_end = matches!(roots.last(), Some(PNode::Ellipsis));
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
                    let mut count = 0;
                    self.stmt_seq(
                        roots,
                        *kid,
                        limit,
                        &mut env,
                        &mut |env: &mut Env, last: u32| {
                            let end = if to_block_end {
                                t.node(id).end.max(t.node(last).end)
                            } else {
                                t.node(last).end
                            };
                            out.push(Match {
                                start: t.node(*kid).start,
                                end,
                                env: env.clone(),
                            });
                            count += 1;
                            count >= ALTERNATIVES
                        },
                    );
                }
            }
            return out;
        }
        let root = &pattern.roots[0];
        let mut try_node = |id: u32| {
            let mut env = Env::new();
            let n = t.node(id);
            let mut count = 0;
            self.node(root, id, &mut env, &mut |env: &mut Env| {
                out.push(Match {
                    start: n.start,
                    end: n.end,
                    env: env.clone(),
                });
                count += 1;
                count >= ALTERNATIVES
            });
        };
        match pattern.root_kind {
            Some(kind) => {
                let ids = t
                    .by_kind
                    .get(usize::from(kind))
                    .map_or(&[][..], Vec::as_slice);
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

    fn stmt_seq(
        &self,
        p: &[PNode],
        cur: u32,
        limit: u32,
        env: &mut Env,
        k: &mut dyn FnMut(&mut Env, u32) -> bool,
    ) -> bool {
        let t = self.tree;
        self.node(&p[0], cur, env, &mut |env: &mut Env| match p.get(1) {
            None => k(env, cur),
            Some(PNode::Ellipsis) => {
                let rest = &p[2..];
                if rest.is_empty() {
                    return k(env, cur);
                }
                (t.node(cur).subtree_end..limit)
                    .filter(|n| t.is_stmt(*n))
                    .any(|n| self.stmt_seq(rest, n, limit, env, k))
            }
            Some(_) => t
                .next_sibling(cur)
                .is_some_and(|next| self.stmt_seq(&p[1..], next, limit, env, k)),
        })
    }
}
