//! A compact, normalised copy of a tree-sitter tree: comments, punctuation and redundant
//! parentheses are gone, so matching ignores them without special cases. Nodes are stored
//! in pre-order, so a node's descendants are the index range `id..subtree_end`.

use tree_sitter::{Node as TsNode, Parser};

use crate::language::{Spec, flag};

/// Deeper than this the tree is cut: such code is machine-made, and a bound keeps
/// recursion in the matcher far from the stack limit.
const MAX_DEPTH: usize = 2000;

/// Byte offsets and node ids are `u32` to halve the tree's size. Sources over 4 GiB are
/// refused before parsing (see [`MAX_SOURCE`]), so this never fails.
pub(crate) fn offset(value: usize) -> u32 {
    u32::try_from(value).expect("sources are smaller than 4 GiB")
}

/// The largest source the tree can hold; bigger ones are skipped by the scanner.
pub(crate) const MAX_SOURCE: usize = u32::MAX as usize / 2;

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
    pub(crate) fn parse(
        spec: &'static Spec,
        src: &'s str,
    ) -> Option<(Tree<'s>, tree_sitter::Tree)> {
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
        tree.build(root);
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
                tree.by_kind[kind].push(offset(id));
            }
        }
        tree
    }

    /// Keywords and punctuation outside any field (`def`, `:`, `=`, `.`) only repeat what
    /// the node kind says, so they are dropped; operators sit in fields and stay.
    fn kept(&self, node: TsNode<'_>, field: u16) -> bool {
        !flag(&self.spec.skipped, node.kind_id())
            && !node.is_missing()
            && (node.is_named() || field != 0)
    }

    /// Copies the tree in pre-order without recursion, so no input can exhaust the stack.
    fn build(&mut self, root: TsNode<'_>) {
        // Per open level: the id children attach to, and a field a transparent
        // parenthesis hands down to its one child.
        let mut levels: Vec<(u32, Option<u16>)> = Vec::new();
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let (parent, inherited) = levels.last().copied().unwrap_or((u32::MAX, None));
            let field =
                inherited.unwrap_or_else(|| cursor.field_id().map_or(0, std::num::NonZero::get));
            let mut descend_as = None;
            let keeps_tokens = parent != u32::MAX
                && flag(&self.spec.keep_tokens, self.nodes[parent as usize].kind)
                && !flag(&self.spec.skipped, node.kind_id());
            if parent == u32::MAX || keeps_tokens || self.kept(node, field) {
                let transparent = flag(&self.spec.paren, node.kind_id()) && {
                    let mut c = node.walk();
                    node.named_children(&mut c)
                        .filter(|k| self.kept(*k, 0))
                        .count()
                        == 1
                };
                if transparent {
                    descend_as = Some((parent, Some(field)));
                } else {
                    let id = offset(self.nodes.len());
                    self.nodes.push(Node {
                        kind: node.kind_id(),
                        field,
                        named: node.is_named(),
                        token: node.child_count() == 0,
                        start: offset(node.start_byte()),
                        end: offset(node.end_byte()),
                        parent,
                        kids_start: 0,
                        kids_len: 0,
                        subtree_end: 0,
                    });
                    descend_as = Some((id, None));
                }
            }
            if let Some(level) = descend_as
                && levels.len() < MAX_DEPTH
                && cursor.goto_first_child()
            {
                levels.push(level);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if levels.pop().is_none() || !cursor.goto_parent() {
                    self.link();
                    return;
                }
            }
        }
    }

    /// `@Controller() export class X {}`: tree-sitter hangs the decorator on the export
    /// statement; a class pattern expects it on the class.
    fn hand_decorators_to_declarations(&mut self) {
        let spec = self.spec;
        if spec.declaration_field == 0 {
            return;
        }
        let mut declaration_of = std::collections::HashMap::new();
        for (id, node) in self.nodes.iter().enumerate() {
            let p = node.parent;
            if p != u32::MAX
                && flag(&spec.export, self.nodes[p as usize].kind)
                && node.field == spec.declaration_field
            {
                declaration_of.insert(p, offset(id));
            }
        }
        for id in 0..self.nodes.len() {
            let p = self.nodes[id].parent;
            if p != u32::MAX
                && flag(&spec.decorator, self.nodes[id].kind)
                && let Some(decl) = declaration_of.get(&p)
            {
                self.nodes[id].parent = *decl;
                self.nodes[id].field = 0;
            }
        }
    }

    /// Fills in children lists and subtree ends from the parent links.
    fn link(&mut self) {
        let n = self.nodes.len();
        self.hand_decorators_to_declarations();
        let mut counts = vec![0u32; n + 1];
        for node in &self.nodes {
            if node.parent != u32::MAX {
                counts[node.parent as usize] += 1;
            }
        }
        let mut start = 0u32;
        for (id, node) in self.nodes.iter_mut().enumerate() {
            node.kids_start = start;
            node.kids_len = counts[id];
            start += counts[id];
        }
        self.kids = vec![0; start as usize];
        let mut fill = vec![0u32; n];
        for id in 0..n {
            let parent = self.nodes[id].parent;
            if parent != u32::MAX {
                let p = parent as usize;
                self.kids[(self.nodes[p].kids_start + fill[p]) as usize] = offset(id);
                fill[p] += 1;
            }
        }
        // In pre-order a subtree ends where its last child's subtree ends.
        for id in (0..n).rev() {
            let node = self.nodes[id];
            let end = if node.kids_len == 0 {
                offset(id) + 1
            } else {
                self.nodes[self.kids[(node.kids_start + node.kids_len - 1) as usize] as usize]
                    .subtree_end
            };
            self.nodes[id].subtree_end = end;
        }
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

fn first_error(root: TsNode<'_>) -> Option<TsNode<'_>> {
    let mut node = root;
    'down: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() {
                node = child;
                continue 'down;
            }
        }
        return None;
    }
}
