//! Leaving out of a declaration the fields one version does not declare.
//!
//! A declaration written for the new version may state a fact the old version has no
//! field for (and the other way round). Loading is strict, so such a file would be refused
//! by that version; for an impact assessment the fact simply did not matter to it. The
//! raw tree is walked along one version's shape and the mappings' unknown keys are
//! dropped, with their paths, so that the caller can check that the other version does
//! declare them (a field neither declares is a mistake, reported as usual).

use crate::decl::node::{Node, NodeKind};
use crate::program::shape::{RecordId, Shape, Type, DECLARATION};

/// A raw declaration with the fields unknown to one shape left out.
pub struct Pruned {
    /// The tree that remains.
    pub node: Node,
    /// Paths of the fields left out, items written `[*]`: `processing[*].retention`.
    pub dropped: Vec<String>,
}

/// Leaves out the fields `shape` does not declare.
pub fn prune(shape: &Shape, root: &Node) -> Pruned {
    let mut dropped = Vec::new();
    let node = match &root.kind {
        NodeKind::Map(_) => record(shape, DECLARATION, root, "", &mut dropped),
        _ => root.clone(),
    };
    Pruned { node, dropped }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn record(shape: &Shape, ty: RecordId, node: &Node, path: &str, dropped: &mut Vec<String>) -> Node {
    let NodeKind::Map(entries) = &node.kind else {
        return node.clone();
    };
    let def = shape.record(ty);
    let mut kept = Vec::new();
    for (key, value) in entries {
        let at = join(path, &key.name);
        match def.field(&key.name).and_then(|i| def.fields.get(i)) {
            Some(field) => kept.push((key.clone(), typed(shape, &field.ty, value, &at, dropped))),
            None => dropped.push(at),
        }
    }
    Node::new(NodeKind::Map(kept), node.span)
}

fn typed(shape: &Shape, ty: &Type, node: &Node, path: &str, dropped: &mut Vec<String>) -> Node {
    match (ty, &node.kind) {
        (Type::Record(r), NodeKind::Map(_)) => record(shape, *r, node, path, dropped),
        (Type::List(inner), NodeKind::Seq(items)) => {
            let at = format!("{path}[*]");
            let items = items
                .iter()
                .map(|i| typed(shape, inner, i, &at, dropped))
                .collect();
            Node::new(NodeKind::Seq(items), node.span)
        }
        _ => node.clone(),
    }
}

/// True when `path` is in `dropped`, or lies inside a field that is.
pub fn covered(path: &str, dropped: &[String]) -> bool {
    dropped.iter().any(|d| {
        path == d
            || path
                .strip_prefix(d.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

#[cfg(test)]
mod tests {
    use super::covered;

    #[test]
    fn a_field_inside_a_dropped_one_is_covered() {
        let dropped = vec!["organisation.dpo".to_string()];
        assert!(covered("organisation.dpo", &dropped));
        assert!(covered("organisation.dpo.name", &dropped));
        assert!(!covered("organisation.dpo_email", &dropped));
        assert!(!covered("organisation", &dropped));
    }
}
