//! The graph of obligations and predicates: who reads, calls or depends on whom.
//!
//! Built from the syntax tree when packs load, before type checking, so a cycle is
//! reported with every step of it, predicates are checked after the predicates they
//! call, and obligations are evaluated after the obligations they read.

use std::collections::{HashMap, HashSet};

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

pub mod render;
mod scc;
mod stored;

use crate::ast::{Expr, ExprKind, Item, TextPart, Texts};
use crate::check::Input;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::Span;
use scc::tarjan_scc;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeKind {
    /// An obligation.
    Obligation,
    /// A `define`.
    Define,
}

/// An obligation or predicate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Node {
    /// Obligation or define.
    pub kind: NodeKind,
    /// Its id or name.
    pub name: String,
    /// The file it is declared in.
    pub file: usize,
    /// Where its name is written.
    pub span: Span,
}

/// Why one node needs another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EdgeKind {
    /// `depends on`.
    DependsOn,
    /// `applies(..)` or `satisfied(..)`.
    Reads,
    /// A predicate call or a constant.
    Calls,
    /// The overridden obligation waits for the one that overrides it.
    OverriddenBy,
}

impl EdgeKind {
    /// How the relation reads, from the needing node to the needed one.
    pub fn verb(self) -> &'static str {
        match self {
            EdgeKind::DependsOn => "depends on",
            EdgeKind::Reads => "reads",
            EdgeKind::Calls => "calls",
            EdgeKind::OverriddenBy => "is overridden by",
        }
    }
}

/// An edge, with the place that creates it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Edge {
    /// Why.
    pub kind: EdgeKind,
    /// The file the reference is written in.
    pub file: usize,
    /// Where.
    pub span: Span,
}

/// The dependency graph; an edge `a → b` means `a` needs `b` first.
///
/// Stored as its nodes and edges (see [`stored`]), for the snapshot of the built-in program.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(into = "stored::StoredGraph", try_from = "stored::StoredGraph")]
pub struct DepGraph {
    graph: DiGraph<Node, Edge>,
    index: HashMap<(NodeKind, String), NodeIndex>,
}

impl DepGraph {
    /// Builds the graph from every obligation and define of the input.
    pub fn build(inputs: &Input) -> DepGraph {
        let mut g = DepGraph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        for (file, item) in inputs.items() {
            let (kind, id) = match item {
                Item::Obligation(o) => (NodeKind::Obligation, &o.id),
                Item::Define(d) => (NodeKind::Define, &d.name),
                _ => continue,
            };
            let key = (kind, id.name.clone());
            if g.index.contains_key(&key) {
                continue;
            }
            let n = g.graph.add_node(Node {
                kind,
                name: id.name.clone(),
                file,
                span: id.span,
            });
            g.index.insert(key, n);
        }
        let defines: HashSet<String> = g
            .index
            .keys()
            .filter(|(k, _)| *k == NodeKind::Define)
            .map(|(_, n)| n.clone())
            .collect();
        for (file, item) in inputs.items() {
            match item {
                Item::Obligation(o) => {
                    let Some(&from) = g.index.get(&(NodeKind::Obligation, o.id.name.clone()))
                    else {
                        continue;
                    };
                    let mut refs = Vec::new();
                    let mut locals: Vec<String> = Vec::new();
                    if let Some(f) = &o.for_each {
                        references(&f.list, &defines, &mut locals, &mut refs);
                        locals.push(f.var.name.clone());
                    }
                    for e in &o.applies_when {
                        references(e, &defines, &mut locals, &mut refs);
                    }
                    for u in &o.unless {
                        references(&u.condition, &defines, &mut locals, &mut refs);
                        text_references(u.because.as_ref(), &defines, &mut locals, &mut refs);
                    }
                    for r in &o.requires {
                        references(&r.condition, &defines, &mut locals, &mut refs);
                        text_references(r.message.as_ref(), &defines, &mut locals, &mut refs);
                    }
                    for (kind, name, span) in refs {
                        g.add_edge(from, kind, &name, file, span);
                    }
                    for d in &o.depends_on {
                        let to = (NodeKind::Obligation, d.name.clone());
                        if let Some(&to) = g.index.get(&to) {
                            g.graph.add_edge(
                                from,
                                to,
                                Edge {
                                    kind: EdgeKind::DependsOn,
                                    file,
                                    span: d.span,
                                },
                            );
                        }
                    }
                    if let Some(over) = &o.overrides {
                        if let Some(&target) =
                            g.index.get(&(NodeKind::Obligation, over.name.clone()))
                        {
                            g.graph.add_edge(
                                target,
                                from,
                                Edge {
                                    kind: EdgeKind::OverriddenBy,
                                    file,
                                    span: over.span,
                                },
                            );
                        }
                    }
                }
                Item::Define(d) => {
                    let Some(&from) = g.index.get(&(NodeKind::Define, d.name.name.clone())) else {
                        continue;
                    };
                    let mut locals: Vec<String> = d
                        .params
                        .iter()
                        .flatten()
                        .map(|p| p.name.name.clone())
                        .collect();
                    let mut refs = Vec::new();
                    references(&d.body, &defines, &mut locals, &mut refs);
                    for (kind, name, span) in refs {
                        g.add_edge(from, kind, &name, file, span);
                    }
                }
                _ => {}
            }
        }
        g
    }

    fn add_edge(&mut self, from: NodeIndex, kind: NodeKind, name: &str, file: usize, span: Span) {
        if let Some(&to) = self.index.get(&(kind, name.to_string())) {
            let edge = match kind {
                NodeKind::Obligation => EdgeKind::Reads,
                NodeKind::Define => EdgeKind::Calls,
            };
            self.graph.add_edge(
                from,
                to,
                Edge {
                    kind: edge,
                    file,
                    span,
                },
            );
        }
    }

    /// One diagnostic per cycle, showing every step of it.
    pub fn cycles(&self, inputs: &Input) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let mut sccs = tarjan_scc(&self.graph);
        sccs.sort_by_key(|scc| scc.iter().map(|n| n.index()).min());
        for scc in sccs {
            let members: HashSet<NodeIndex> = scc.iter().copied().collect();
            let Some(&start) = scc.iter().min_by_key(|n| n.index()) else {
                continue;
            };
            let self_loop = self.graph.edges(start).any(|e| e.target() == start);
            if scc.len() < 2 && !self_loop {
                continue;
            }
            let steps = self.cycle_from(start, &members);
            diags.push(self.cycle_diagnostic(&steps, inputs));
        }
        diags
    }

    /// Walks edges inside one strongly connected component back to `start`.
    fn cycle_from(&self, start: NodeIndex, members: &HashSet<NodeIndex>) -> Vec<(NodeIndex, Edge)> {
        // Breadth-first search for the shortest way back to the start.
        let mut previous: HashMap<NodeIndex, (NodeIndex, Edge)> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut seen = HashSet::from([start]);
        while let Some(n) = queue.pop_front() {
            let mut edges: Vec<_> = self.graph.edges(n).collect();
            edges.sort_by_key(|e| e.target().index());
            for e in edges {
                let t = e.target();
                if t == start {
                    let mut steps = vec![(n, *e.weight())];
                    let mut cur = n;
                    while let Some((p, w)) = previous.get(&cur) {
                        steps.push((*p, *w));
                        cur = *p;
                    }
                    steps.reverse();
                    return steps;
                }
                if members.contains(&t) && seen.insert(t) {
                    previous.insert(t, (n, *e.weight()));
                    queue.push_back(t);
                }
            }
        }
        Vec::new()
    }

    fn cycle_diagnostic(&self, steps: &[(NodeIndex, Edge)], inputs: &Input) -> Diagnostic {
        let name = |n: NodeIndex| self.graph.node_weight(n).map_or("?", |w| w.name.as_str());
        let mut chain: Vec<&str> = steps.iter().map(|(n, _)| name(*n)).collect();
        if let Some((first, _)) = steps.first() {
            chain.push(name(*first));
        }
        let all_defines = steps.iter().all(|(n, _)| {
            self.graph
                .node_weight(*n)
                .is_some_and(|w| w.kind == NodeKind::Define)
        });
        let what = if all_defines {
            "predicates"
        } else {
            "obligations"
        };
        let file = steps.first().map_or(0, |(_, e)| e.file);
        let mut d = Diagnostic::error(
            Code::Cycle,
            format!("{what} form a cycle: {}", chain.join(" → ")),
        )
        .in_file(inputs.file(file));
        for (i, (n, e)) in steps.iter().enumerate() {
            let target = steps
                .get(i + 1)
                .or(steps.first())
                .map_or("?", |(t, _)| name(*t));
            let verb = e.kind.verb();
            let text = format!("`{}` {verb} `{target}`", name(*n));
            if e.file == file {
                d = d.label(e.span, text);
            } else {
                d = d.related(
                    Diagnostic::error(Code::Cycle, text.clone())
                        .in_file(inputs.file(e.file))
                        .label(e.span, text),
                );
            }
        }
        d.help("an obligation or predicate cannot depend on itself, directly or through others; remove one of these references")
    }

    /// Defines in an order where each comes after the defines it calls (the members of a
    /// cycle, already reported, in any order). Cycles through obligations do not matter
    /// here, so predicates are still checked when only obligations form a cycle.
    pub fn define_order(&self) -> Vec<String> {
        let only_defines = petgraph::visit::NodeFiltered::from_fn(&self.graph, |n| {
            self.graph
                .node_weight(n)
                .is_some_and(|w| w.kind == NodeKind::Define)
        });
        // Tarjan's algorithm yields components callees first.
        tarjan_scc(&only_defines)
            .into_iter()
            .flatten()
            .filter_map(|n| self.graph.node_weight(n))
            .map(|n| n.name.clone())
            .collect()
    }

    /// Obligation ids in an order where each comes after the ones it needs.
    pub fn obligation_order(&self) -> Option<Vec<String>> {
        self.order_of(NodeKind::Obligation)
    }

    fn order_of(&self, kind: NodeKind) -> Option<Vec<String>> {
        let sorted = toposort(&self.graph, None).ok()?;
        Some(
            sorted
                .into_iter()
                .rev()
                .filter_map(|n| self.graph.node_weight(n))
                .filter(|n| n.kind == kind)
                .map(|n| n.name.clone())
                .collect(),
        )
    }
}

impl DepGraph {
    /// Every node, in declaration order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Every edge as `(from, to, kind)`, in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, EdgeKind)> {
        self.graph.edge_references().filter_map(|e| {
            Some((
                self.graph.node_weight(e.source())?,
                self.graph.node_weight(e.target())?,
                e.weight().kind,
            ))
        })
    }

    fn node(&self, kind: NodeKind, name: &str) -> Option<NodeIndex> {
        self.index.get(&(kind, name.to_string())).copied()
    }

    /// The obligations an obligation needs directly or through predicates: its
    /// prerequisites (`depends on`) and those it reads.
    pub fn needs(&self, id: &str) -> Vec<(String, EdgeKind)> {
        self.reach_obligations(id, petgraph::Direction::Outgoing)
    }

    /// The obligations that need this one directly or through predicates.
    pub fn needed_by(&self, id: &str) -> Vec<(String, EdgeKind)> {
        self.reach_obligations(id, petgraph::Direction::Incoming)
    }

    /// Every obligation or predicate reachable from a node, in one direction, itself
    /// included: ancestors (`Outgoing`: what it needs) or descendants (`Incoming`: what
    /// needs it).
    pub fn closure(
        &self,
        kind: NodeKind,
        name: &str,
        direction: petgraph::Direction,
    ) -> HashSet<String> {
        let mut seen = HashSet::new();
        let Some(start) = self.node(kind, name) else {
            return seen;
        };
        let mut stack = vec![start];
        let mut visited = HashSet::from([start]);
        while let Some(n) = stack.pop() {
            if let Some(w) = self.graph.node_weight(n) {
                seen.insert(w.name.clone());
            }
            for m in self.graph.neighbors_directed(n, direction) {
                if visited.insert(m) {
                    stack.push(m);
                }
            }
        }
        seen
    }

    /// Obligations one step away, looking through predicates (which are followed to the
    /// obligations they read).
    fn reach_obligations(
        &self,
        id: &str,
        direction: petgraph::Direction,
    ) -> Vec<(String, EdgeKind)> {
        let Some(start) = self.node(NodeKind::Obligation, id) else {
            return Vec::new();
        };
        let mut out: Vec<(String, EdgeKind)> = Vec::new();
        let mut stack: Vec<(NodeIndex, Option<EdgeKind>)> = vec![(start, None)];
        let mut visited = HashSet::from([start]);
        while let Some((n, via)) = stack.pop() {
            for e in self.graph.edges_directed(n, direction) {
                let other = match direction {
                    petgraph::Direction::Outgoing => e.target(),
                    petgraph::Direction::Incoming => e.source(),
                };
                if !visited.insert(other) {
                    continue;
                }
                let kind = via.unwrap_or(e.weight().kind);
                let Some(w) = self.graph.node_weight(other) else {
                    continue;
                };
                match w.kind {
                    NodeKind::Obligation => out.push((w.name.clone(), kind)),
                    NodeKind::Define => stack.push((other, Some(EdgeKind::Reads))),
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn text_references(
    texts: Option<&Texts>,
    defines: &HashSet<String>,
    locals: &mut Vec<String>,
    out: &mut Vec<(NodeKind, String, Span)>,
) {
    for entry in texts.iter().flat_map(|t| &t.entries) {
        for part in &entry.parts {
            if let TextPart::Fact(e) = part {
                references(e, defines, locals, out);
            }
        }
    }
}

/// Collects the obligations and defines an expression names, skipping local variables.
fn references(
    expr: &Expr,
    defines: &HashSet<String>,
    locals: &mut Vec<String>,
    out: &mut Vec<(NodeKind, String, Span)>,
) {
    match &expr.kind {
        ExprKind::Path(segments) => {
            if let Some(first) = segments.first() {
                if !locals.contains(&first.name) && defines.contains(&first.name) {
                    out.push((NodeKind::Define, first.name.clone(), first.span));
                }
            }
        }
        ExprKind::List(items) => {
            for i in items {
                references(i, defines, locals, out);
            }
        }
        ExprKind::Unary(_, e) | ExprKind::Presence(e, _) | ExprKind::CountOf(e) => {
            references(e, defines, locals, out);
        }
        ExprKind::Binary(_, a, b) => {
            references(a, defines, locals, out);
            references(b, defines, locals, out);
        }
        ExprKind::Quantifier(_, var, list, body) => {
            references(list, defines, locals, out);
            locals.push(var.name.clone());
            references(body, defines, locals, out);
            locals.pop();
        }
        ExprKind::Call(name, args) => {
            out.push((NodeKind::Define, name.name.clone(), name.span));
            for a in args {
                references(a, defines, locals, out);
            }
        }
        ExprKind::ObligationRef(_, id) => {
            out.push((NodeKind::Obligation, id.name.clone(), id.span))
        }
        ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Decimal(_)
        | ExprKind::Text(_)
        | ExprKind::Date(_)
        | ExprKind::DateTime(_)
        | ExprKind::Duration(_)
        | ExprKind::Today => {}
    }
}
