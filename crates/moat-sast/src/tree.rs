//! A compact, normalised copy of a tree-sitter tree: comments, punctuation and redundant
//! parentheses are gone, so matching ignores them without special cases. Nodes are stored
//! in pre-order, so a node's descendants are the index range `id..subtree_end`.

use tree_sitter::{Node as TsNode, Parser};

use crate::language::{Spec, flag};

/// Deeper than this the tree is cut: such code is machine-made, and a bound keeps
/// recursion (here and in the matcher) far from the stack limit.
const MAX_DEPTH: usize = 1500;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) kind: u16,
    pub(crate) field: u16,
    pub(crate) named: bool,
    /// A token of the grammar (no children even before normalising): compared by text.
    pub(crate) token: bool,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) parent: u32,
    pub(crate) kids_start: u32,
    pub(crate) kids_len: u32,
    pub(crate) subtree_end: u32,
}

pub(crate) struct Tree<'s> {
    pub(crate) src: &'s str,
    pub(crate) spec: &'static Spec,
    pub(crate) nodes: Vec<Node>,
    kids: Vec<u32>,
    /// Node ids by kind, for finding a pattern's candidates without a full walk.
    pub(crate) by_kind: Vec<Vec<u32>>,
    /// Set when tree-sitter had to recover from syntax errors.
    pub(crate) error: Option<(usize, usize)>,
}

pub(crate) fn parse_ts(spec: &Spec, src: &str) -> Option<tree_sitter::Tree> {
    let mut parser = Parser::new();
    parser.set_language(&spec.grammar).ok()?;
    parser.parse(src, None)
}

impl<'s> Tree<'s> {
    /// Parses `src`; `None` only if tree-sitter gives up entirely (it normally recovers).
    pub(crate) fn parse(spec: &'static Spec, src: &'s str) -> Option<(Tree<'s>, tree_sitter::Tree)> {
        let ts = parse_ts(spec, src)?;
        let tree = Tree::from_ts(spec, src, &ts);
        Some((tree, ts))
    }

    pub(crate) fn from_ts(spec: &'static Spec, src: &'s str, ts: &tree_sitter::Tree) -> Tree<'s> {
        let mut tree = Tree {
            src,
            spec,
            nodes: Vec::with_capacity(src.len() / 4),
            kids: Vec::with_capacity(src.len() / 4),
            by_kind: vec![Vec::new(); spec.grammar.node_kind_count()],
            error: None,
        };
        let root = ts.root_node();
        if root.has_error() {
            tree.error = first_error(root).map(|n| {
                let p = n.start_position();
                (p.row + 1, p.column + 1)
            });
        }
        tree.build(root, 0, u32::MAX, 0);
        if tree.nodes.is_empty() {
            // Only comments: keep an empty root so every tree has one.
            tree.nodes.push(Node {
                kind: root.kind_id(),
                field: 0,
                named: true,
                token: true,
                start: 0,
                end: 0,
                parent: u32::MAX,
                kids_start: 0,
                kids_len: 0,
                subtree_end: 1,
            });
        }
        for (id, node) in tree.nodes.iter().enumerate() {
            let kind = usize::from(node.kind);
            // ERROR nodes have the id u16::MAX, beyond the grammar's kinds.
            if kind < tree.by_kind.len() {
                tree.by_kind[kind].push(id as u32);
            }
        }
        tree
    }

    /// Keywords and punctuation outside any field (`def`, `:`, `=`, `.`) only repeat what
    /// the node kind says, so they are dropped; operators sit in fields and stay.
    fn kept(&self, node: TsNode<'_>, field: u16) -> bool {
        !flag(&self.spec.skipped, node.kind_id()) && !node.is_missing() && (node.is_named() || field != 0)
    }

    fn build(&mut self, node: TsNode<'_>, field: u16, parent: u32, depth: usize) -> Option<u32> {
        if !self.kept(node, field) && parent != u32::MAX {
            return None;
        }
        if flag(&self.spec.paren, node.kind_id()) {
            let mut cursor = node.walk();
            let inner: Vec<TsNode<'_>> = node.named_children(&mut cursor).filter(|c| self.kept(*c, 0)).collect();
            if let [only] = inner.as_slice() {
                return self.build(*only, field, parent, depth);
            }
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            kind: node.kind_id(),
            field,
            named: node.is_named(),
            token: node.child_count() == 0,
            start: node.start_byte() as u32,
            end: node.end_byte() as u32,
            parent,
            kids_start: 0,
            kids_len: 0,
            subtree_end: 0,
        });
        let mut kids = Vec::new();
        if depth < MAX_DEPTH {
            let mut cursor = node.walk();
            if cursor.goto_first_child() {
                loop {
                    let child_field = cursor.field_id().map_or(0, std::num::NonZero::get);
                    if let Some(kid) = self.build(cursor.node(), child_field, id, depth + 1) {
                        kids.push(kid);
                    }
                    if !cursor.goto_next_sibling() {
                        break;
                    }
                }
            }
        }
        let kids_start = self.kids.len() as u32;
        self.kids.extend_from_slice(&kids);
        let subtree_end = self.nodes.len() as u32;
        let n = &mut self.nodes[id as usize];
        n.kids_start = kids_start;
        n.kids_len = kids.len() as u32;
        n.subtree_end = subtree_end;
        Some(id)
    }

    pub(crate) fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    pub(crate) fn kids(&self, id: u32) -> &[u32] {
        let n = self.node(id);
        &self.kids[n.kids_start as usize..(n.kids_start + n.kids_len) as usize]
    }

    pub(crate) fn text(&self, id: u32) -> &'s str {
        let n = self.node(id);
        &self.src[n.start as usize..n.end as usize]
    }

    pub(crate) fn kind(&self, id: u32) -> u16 {
        self.node(id).kind
    }

    pub(crate) fn is_stmt(&self, id: u32) -> bool {
        let parent = self.node(id).parent;
        parent != u32::MAX && flag(&self.spec.block, self.kind(parent))
    }

    /// The statement after `id` in its block, if any.
    pub(crate) fn next_sibling(&self, id: u32) -> Option<u32> {
        let parent = self.node(id).parent;
        if parent == u32::MAX {
            return None;
        }
        let kids = self.kids(parent);
        let at = kids.iter().position(|k| *k == id)?;
        kids.get(at + 1).copied()
    }

    /// Whether a string literal holds interpolations (`f"{x}"`, `` `${x}` ``).
    pub(crate) fn has_interpolation(&self, id: u32) -> bool {
        let n = self.node(id);
        (id + 1..n.subtree_end).any(|d| flag(&self.spec.interpolation, self.kind(d)))
    }

    /// The value of a string literal without its prefix and quotes, as written.
    pub(crate) fn string_content(&self, id: u32) -> &'s str {
        string_body(self.text(id))
    }
}

/// Strips a string literal's prefix letters and quotes: `rb'''x'''` gives `x`.
pub(crate) fn string_body(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if !t.starts_with(['"', '\'', '`']) {
        return text;
    }
    for quote in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * quote.len() && t.starts_with(quote) && t.ends_with(quote) {
            return &t[quote.len()..t.len() - quote.len()];
        }
    }
    t
}

fn first_error(node: TsNode<'_>) -> Option<TsNode<'_>> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.has_error() {
            return first_error(child);
        }
    }
    None
}
