//! Strongly connected components without recursion.
//!
//! petgraph's `tarjan_scc` recurses once per node along a path, so a long chain of
//! predicates calling one another (tens of thousands, as a generator can write) overflows
//! the stack before the chain can be measured and refused. This is the same algorithm
//! (Pierce's space-efficient variant of Tarjan's, as petgraph implements it) with the
//! recursion replaced by an explicit stack of frames. It visits nodes and neighbours in
//! the same order as petgraph and returns the same components in the same order, with
//! the nodes of each component in the same order too, so diagnostics do not change.

use std::num::NonZeroUsize;

use petgraph::visit::{IntoNeighbors, IntoNodeIdentifiers, NodeIndexable};

/// A node being visited: the neighbours still to look at, and the neighbour visited
/// last, whose root index is taken into account once its visit is over.
struct Frame<N, I> {
    node: N,
    neighbours: I,
    child: Option<N>,
    local_root: bool,
}

/// The strongly connected components of `g`, callees first (reverse topological order).
pub fn tarjan_scc<G>(g: G) -> Vec<Vec<G::NodeId>>
where
    G: IntoNodeIdentifiers + IntoNeighbors + NodeIndexable,
{
    let mut root: Vec<Option<NonZeroUsize>> = vec![None; g.node_bound()];
    let get = |root: &[Option<NonZeroUsize>], n: G::NodeId| -> Option<NonZeroUsize> {
        root.get(g.to_index(n)).copied().flatten()
    };
    let set = |root: &mut [Option<NonZeroUsize>], n: G::NodeId, value: Option<NonZeroUsize>| {
        if let Some(slot) = root.get_mut(g.to_index(n)) {
            *slot = value;
        }
    };
    // INVARIANT: `index` stays below `components`, so a node already in a component
    // (root index `components` or above) never lowers the root index of another.
    let mut index: usize = 1;
    let mut components: usize = usize::MAX;
    let mut stack: Vec<G::NodeId> = Vec::new();
    let mut out: Vec<Vec<G::NodeId>> = Vec::new();
    let mut frames: Vec<Frame<G::NodeId, G::Neighbors>> = Vec::new();

    for start in g.node_identifiers() {
        if get(&root, start).is_some() {
            continue;
        }
        set(&mut root, start, NonZeroUsize::new(index));
        index += 1;
        frames.push(Frame {
            node: start,
            neighbours: g.neighbors(start),
            child: None,
            local_root: true,
        });
        while let Some(frame) = frames.last_mut() {
            let v = frame.node;
            if let Some(w) = frame.child.take() {
                let w_root = get(&root, w);
                if w_root < get(&root, v) {
                    set(&mut root, v, w_root);
                    frame.local_root = false;
                }
            }
            if let Some(w) = frame.neighbours.next() {
                if get(&root, w).is_none() {
                    frame.child = Some(w);
                    set(&mut root, w, NonZeroUsize::new(index));
                    index += 1;
                    frames.push(Frame {
                        node: w,
                        neighbours: g.neighbors(w),
                        child: None,
                        local_root: true,
                    });
                } else {
                    let w_root = get(&root, w);
                    if w_root < get(&root, v) {
                        set(&mut root, v, w_root);
                        frame.local_root = false;
                    }
                }
                continue;
            }
            let local_root = frame.local_root;
            frames.pop();
            if !local_root {
                // Stack is filled up when backtracking, unlike in Tarjan's original.
                stack.push(v);
                continue;
            }
            // Pop the component rooted at `v` off the stack.
            let mut adjustment = 1;
            let component = NonZeroUsize::new(components);
            let v_root = get(&root, v);
            let mut start_at = stack.len();
            while let Some(&w) = start_at.checked_sub(1).and_then(|i| stack.get(i)) {
                if v_root > get(&root, w) {
                    break;
                }
                set(&mut root, w, component);
                adjustment += 1;
                start_at -= 1;
            }
            set(&mut root, v, component);
            let mut members = stack.split_off(start_at);
            members.push(v);
            out.push(members);
            index = index.saturating_sub(adjustment);
            components = components.saturating_sub(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::{DiGraph, NodeIndex};
    use petgraph::visit::NodeFiltered;
    use proptest::prelude::*;

    fn graph(nodes: usize, edges: &[(usize, usize)]) -> DiGraph<usize, ()> {
        let mut g = DiGraph::new();
        let ids: Vec<NodeIndex> = (0..nodes).map(|i| g.add_node(i)).collect();
        for &(a, b) in edges {
            if let (Some(&a), Some(&b)) = (ids.get(a % nodes), ids.get(b % nodes)) {
                g.add_edge(a, b, ());
            }
        }
        g
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn same_components_in_the_same_order_as_petgraph(
            nodes in 1usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..30),
            hidden in proptest::collection::vec(any::<bool>(), 12),
        ) {
            let g = graph(nodes, &edges);
            prop_assert_eq!(tarjan_scc(&g), petgraph::algo::tarjan_scc(&g));
            let shown = |n: NodeIndex| !hidden.get(n.index()).copied().unwrap_or(false);
            let filtered = NodeFiltered::from_fn(&g, shown);
            prop_assert_eq!(tarjan_scc(&filtered), petgraph::algo::tarjan_scc(&filtered));
        }
    }

    #[test]
    fn a_chain_longer_than_the_stack_allows_recursion_for() {
        let n = 200_000;
        let edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let g = graph(n, &edges);
        let sccs = tarjan_scc(&g);
        assert_eq!(sccs.len(), n);
        // Callees first: the end of the chain comes out first.
        assert_eq!(sccs.first(), Some(&vec![NodeIndex::new(n - 1)]));
    }
}
