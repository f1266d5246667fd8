//! Import aliases of one file, so `sp.call` is known to be `subprocess.call` after
//! `import subprocess as sp`, and `exec` is `child_process.exec` after
//! `const { exec } = require('child_process')`.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::language::Language;
use crate::tree::{Tree, offset, string_body};

/// Local name → what it names.
pub(crate) type Aliases = HashMap<String, Alias>;

/// An imported name: its fully qualified dotted name, and where the imported member's
/// own name is written (`writeFileSync` in `{ writeFileSync: save }`), for binding
/// `fs.$METHOD` to the real member name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub(crate) full: String,
    pub(crate) member: Option<(u32, u32)>,
}

trait Insert {
    fn add(&mut self, local: &str, full: String, member: Option<Node<'_>>);
}

impl Insert for Aliases {
    fn add(&mut self, local: &str, full: String, member: Option<Node<'_>>) {
        let member = member.map(|m| (offset(m.start_byte()), offset(m.end_byte())));
        self.insert(local.to_owned(), Alias { full, member });
    }
}

/// Finds import statements through the normalised tree's index by kind, so a file is
/// not walked again; the tree-sitter node is then looked up by its span for field access.
pub(crate) fn collect(language: Language, tree: &Tree<'_>, root: Node<'_>) -> Aliases {
    let mut aliases = Aliases::new();
    let src = tree.src;
    let kinds: &[&str] = if language.is_python() {
        &["import_statement", "import_from_statement"]
    } else {
        &["import_statement", "variable_declarator"]
    };
    let grammar = &tree.spec.grammar;
    for kind_name in kinds {
        let kind = grammar.id_for_node_kind(kind_name, true);
        let Some(ids) = tree.by_kind.get(usize::from(kind)) else {
            continue;
        };
        for id in ids {
            let n = tree.node(*id);
            let mut node = root.descendant_for_byte_range(n.start as usize, n.end as usize);
            // The smallest node covering the span may be a child with the same span.
            while let Some(candidate) = node {
                if candidate.kind_id() == kind {
                    break;
                }
                node = candidate
                    .parent()
                    .filter(|p| p.byte_range() == candidate.byte_range());
            }
            let Some(node) = node else { continue };
            match (language.is_python(), *kind_name) {
                (true, "import_statement") => python_import(node, src, &mut aliases),
                (true, _) => python_from_import(node, src, &mut aliases),
                (false, "import_statement") => es_import(node, src, &mut aliases),
                (false, _) => require(node, src, &mut aliases),
            }
        }
    }
    aliases
}

fn text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    &src[node.byte_range()]
}

fn python_import(node: Node<'_>, src: &str, aliases: &mut Aliases) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        if name.kind() == "aliased_import"
            && let (Some(module), Some(alias)) = (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            )
        {
            aliases.add(text(alias, src), text(module, src).to_owned(), None);
        }
    }
}

fn python_from_import(node: Node<'_>, src: &str, aliases: &mut Aliases) {
    let Some(module) = node.child_by_field_name("module_name") else {
        return;
    };
    let module = text(module, src);
    if module.starts_with('.') {
        return;
    }
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (imported, local) = if name.kind() == "aliased_import" {
            match (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ) {
                (Some(n), Some(a)) => (n, text(a, src)),
                _ => continue,
            }
        } else {
            (name, text(name, src))
        };
        aliases.add(
            local,
            format!("{module}.{}", text(imported, src)),
            Some(imported),
        );
    }
}

fn module_name(raw: &str) -> String {
    let name = string_body(raw);
    name.strip_prefix("node:").unwrap_or(name).to_owned()
}

fn es_import(node: Node<'_>, src: &str, aliases: &mut Aliases) {
    let Some(source) = node.child_by_field_name("source") else {
        return;
    };
    let module = module_name(text(source, src));
    let mut cursor = node.walk();
    let Some(clause) = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "import_clause")
    else {
        return;
    };
    let mut cursor = clause.walk();
    for part in clause.named_children(&mut cursor) {
        match part.kind() {
            // `import cp from 'x'` and `import * as cp from 'x'` both name the module.
            "identifier" => aliases.add(text(part, src), module.clone(), None),
            "namespace_import" => {
                let mut c = part.walk();
                if let Some(id) = part
                    .named_children(&mut c)
                    .find(|n| n.kind() == "identifier")
                {
                    aliases.add(text(id, src), module.clone(), None);
                }
            }
            "named_imports" => {
                let mut c = part.walk();
                for spec in part
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "import_specifier")
                {
                    let Some(name) = spec.child_by_field_name("name") else {
                        continue;
                    };
                    let local = spec.child_by_field_name("alias").unwrap_or(name);
                    let imported = string_body(text(name, src));
                    aliases.add(text(local, src), format!("{module}.{imported}"), Some(name));
                }
            }
            _ => {}
        }
    }
}

/// The module of `require('m')`, or of `require('m').a.b` with the path after it.
fn required(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "call_expression" => {
            let function = node.child_by_field_name("function")?;
            if text(function, src) != "require" {
                return None;
            }
            let args = node.child_by_field_name("arguments")?;
            let mut cursor = args.walk();
            let first = args.named_children(&mut cursor).next()?;
            (first.kind() == "string").then(|| module_name(text(first, src)))
        }
        "member_expression" => {
            let object = required(node.child_by_field_name("object")?, src)?;
            let property = node.child_by_field_name("property")?;
            Some(format!("{object}.{}", text(property, src)))
        }
        "await_expression" | "parenthesized_expression" => {
            let mut cursor = node.walk();
            let inner = node.named_children(&mut cursor).next()?;
            required(inner, src)
        }
        _ => None,
    }
}

fn require(node: Node<'_>, src: &str, aliases: &mut Aliases) {
    let (Some(name), Some(value)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("value"),
    ) else {
        return;
    };
    let Some(module) = required(value, src) else {
        return;
    };
    match name.kind() {
        "identifier" => aliases.add(text(name, src), module, None),
        "object_pattern" => {
            let mut cursor = name.walk();
            for prop in name.named_children(&mut cursor) {
                match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let local = text(prop, src);
                        aliases.add(local, format!("{module}.{local}"), Some(prop));
                    }
                    "pair_pattern" => {
                        if let (Some(key), Some(value)) = (
                            prop.child_by_field_name("key"),
                            prop.child_by_field_name("value"),
                        ) && value.kind() == "identifier"
                        {
                            let name = string_body(text(key, src));
                            aliases.add(text(value, src), format!("{module}.{name}"), Some(key));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}
