//! The dependency graph as stored in the snapshot of the built-in program: its nodes and
//! edges in insertion order.
//!
//! Rebuilt by adding them again in that order, a graph read back has the same node and
//! edge indices, and walks its edges in the same order, as the one built from the rules;
//! the order of obligations and the cycle reports depend on it. The index by name is not
//! stored: it follows from the nodes.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

use super::{DepGraph, Edge, Node};

/// A [`DepGraph`] as stored.
#[derive(Serialize, Deserialize)]
pub(super) struct StoredGraph {
    /// Every node, by index.
    nodes: Vec<Node>,
    /// Every edge as `(from, to, edge)`, by node index.
    edges: Vec<(usize, usize, Edge)>,
}

impl From<DepGraph> for StoredGraph {
    fn from(g: DepGraph) -> Self {
        StoredGraph {
            nodes: g.graph.node_weights().cloned().collect(),
            edges: g
                .graph
                .edge_references()
                .map(|e| (e.source().index(), e.target().index(), *e.weight()))
                .collect(),
        }
    }
}

impl TryFrom<StoredGraph> for DepGraph {
    type Error = String;

    /// Refuses a node stored twice and an edge to a node that is not stored, which a
    /// graph built from rules never has.
    fn try_from(stored: StoredGraph) -> Result<Self, String> {
        let mut g = DepGraph {
            graph: DiGraph::with_capacity(stored.nodes.len(), stored.edges.len()),
            index: HashMap::with_capacity(stored.nodes.len()),
        };
        for node in stored.nodes {
            let key = (node.kind, node.name.clone());
            let n = g.graph.add_node(node);
            if g.index.insert(key, n).is_some() {
                return Err(format!("node {} is stored twice", n.index()));
            }
        }
        let count = g.graph.node_count();
        for (from, to, edge) in stored.edges {
            if from >= count || to >= count {
                return Err(format!("edge {from} → {to} leaves the {count} nodes"));
            }
            g.graph
                .add_edge(NodeIndex::new(from), NodeIndex::new(to), edge);
        }
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeKind, NodeKind};
    use crate::source::Span;

    fn node(name: &str) -> Node {
        Node {
            kind: NodeKind::Obligation,
            name: name.to_string(),
            file: 0,
            span: Span::new(0, 1),
        }
    }

    fn edge() -> Edge {
        Edge {
            kind: EdgeKind::DependsOn,
            file: 0,
            span: Span::new(2, 3),
        }
    }

    #[test]
    fn a_graph_read_back_has_the_same_nodes_and_edges_in_the_same_order() {
        let stored = StoredGraph {
            nodes: vec![node("a"), node("b"), node("c")],
            edges: vec![(0, 1, edge()), (0, 2, edge()), (2, 1, edge())],
        };
        let g = DepGraph::try_from(stored).unwrap();
        let edges: Vec<(String, String)> = g
            .edges()
            .map(|(a, b, _)| (a.name.clone(), b.name.clone()))
            .collect();
        assert_eq!(
            edges,
            [("a", "b"), ("a", "c"), ("c", "b")].map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(g.obligation_order().unwrap(), ["b", "c", "a"]);
        let again = StoredGraph::from(g);
        assert_eq!(again.edges.len(), 3);
        assert_eq!(again.nodes[2].name, "c");
    }

    #[test]
    fn an_edge_to_a_missing_node_or_a_node_stored_twice_is_refused() {
        let dangling = StoredGraph {
            nodes: vec![node("a")],
            edges: vec![(0, 1, edge())],
        };
        assert!(DepGraph::try_from(dangling).is_err());
        let twice = StoredGraph {
            nodes: vec![node("a"), node("a")],
            edges: Vec::new(),
        };
        assert!(DepGraph::try_from(twice).is_err());
    }
}
