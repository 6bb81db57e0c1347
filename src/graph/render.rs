//! Drawings of the obligation graph: Graphviz DOT, Mermaid and JSON.

use std::collections::HashSet;
use std::fmt::Write as _;

use petgraph::Direction;
use serde::Serialize;

use super::{DepGraph, NodeKind};
use crate::program::Program;

/// Which part of the graph to draw.
#[derive(Clone, Debug, Default)]
pub enum Selection {
    /// Everything.
    #[default]
    All,
    /// An obligation with everything it needs and everything that needs it.
    Focus(String),
    /// An obligation and everything that would change if it changed.
    ImpactedBy(String),
}

struct View<'a> {
    nodes: Vec<(&'a str, NodeKind, String)>,
    edges: Vec<(&'a str, &'a str, &'static str)>,
}

fn view<'a>(program: &'a Program, lang: &str, selection: &Selection) -> View<'a> {
    let g: &DepGraph = &program.graph;
    let keep: Option<HashSet<String>> = match selection {
        Selection::All => None,
        Selection::Focus(id) => {
            let mut set = g.closure(NodeKind::Obligation, id, Direction::Outgoing);
            set.extend(g.closure(NodeKind::Obligation, id, Direction::Incoming));
            Some(set)
        }
        Selection::ImpactedBy(id) => Some(g.closure(NodeKind::Obligation, id, Direction::Incoming)),
    };
    let kept = |name: &str| keep.as_ref().is_none_or(|k| k.contains(name));
    let mut nodes: Vec<(&str, NodeKind, String)> = g
        .nodes()
        .filter(|n| kept(&n.name))
        .map(|n| {
            let label = match n.kind {
                NodeKind::Obligation => program
                    .obligation(&n.name)
                    .map(|o| o.title.plain(lang))
                    .unwrap_or_default(),
                NodeKind::Define => String::new(),
            };
            (n.name.as_str(), n.kind, label)
        })
        .collect();
    nodes.sort_by(|a, b| (a.1 == NodeKind::Define, a.0).cmp(&(b.1 == NodeKind::Define, b.0)));
    let mut edges: Vec<(&str, &str, &'static str)> = g
        .edges()
        .filter(|(a, b, _)| kept(&a.name) && kept(&b.name))
        .map(|(a, b, k)| (a.name.as_str(), b.name.as_str(), k.verb()))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    View { nodes, edges }
}

fn dot_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT; an edge points from the obligation that needs to the one it needs.
pub fn dot(program: &Program, lang: &str, selection: &Selection) -> String {
    let v = view(program, lang, selection);
    let mut out = String::from(
        "digraph comply {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (name, kind, label) in &v.nodes {
        let text = if label.is_empty() {
            (*name).to_string()
        } else {
            format!("{name}\n{label}")
        };
        let shape = match kind {
            NodeKind::Obligation => "box",
            NodeKind::Define => "ellipse",
        };
        let _ = writeln!(
            out,
            "  {} [label={}, shape={shape}];",
            dot_quote(name),
            dot_quote(&text)
        );
    }
    for (a, b, verb) in &v.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            dot_quote(a),
            dot_quote(b),
            dot_quote(verb)
        );
    }
    out.push_str("}\n");
    out
}

/// A Mermaid flowchart.
pub fn mermaid(program: &Program, lang: &str, selection: &Selection) -> String {
    let v = view(program, lang, selection);
    let ids: std::collections::HashMap<&str, usize> =
        v.nodes.iter().enumerate().map(|(i, n)| (n.0, i)).collect();
    let clean = |s: &str| s.replace('"', "'");
    let mut out = String::from("flowchart LR\n");
    for (i, (name, kind, label)) in v.nodes.iter().enumerate() {
        let text = if label.is_empty() {
            (*name).to_string()
        } else {
            format!("{name}<br/>{}", clean(label))
        };
        match kind {
            NodeKind::Obligation => {
                let _ = writeln!(out, "  n{i}[\"{text}\"]");
            }
            NodeKind::Define => {
                let _ = writeln!(out, "  n{i}([\"{text}\"])");
            }
        }
    }
    for (a, b, verb) in &v.edges {
        if let (Some(x), Some(y)) = (ids.get(a), ids.get(b)) {
            let _ = writeln!(out, "  n{x} -->|{verb}| n{y}");
        }
    }
    out
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

/// The graph as JSON: nodes (obligations and predicates) and edges.
pub fn json(program: &Program, lang: &str, selection: &Selection) -> String {
    let v = view(program, lang, selection);
    let doc = JsonGraph {
        nodes: v
            .nodes
            .iter()
            .map(|(id, kind, title)| JsonNode {
                id,
                kind: match kind {
                    NodeKind::Obligation => "obligation",
                    NodeKind::Define => "predicate",
                },
                title,
            })
            .collect(),
        edges: v
            .edges
            .iter()
            .map(|(from, to, kind)| JsonEdge { from, to, kind })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
