//! `comply::lint::unused-define`: a `define` no obligation uses.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{EdgeKind, NodeKind};
use crate::lint::Context;

declare_lint! {
    /// # What
    ///
    /// Finds predicates and constants (`define`) that no obligation of the loaded packs
    /// calls or reads, directly or through other predicates. A `define` used only by
    /// other unused ones is unused too.
    ///
    /// # Why
    ///
    /// A predicate nobody calls is usually a leftover of an edit, or the sign of a typo
    /// that made an obligation call something else. Either way it is text a reviewer reads
    /// for nothing, and that no rule test exercises.
    ///
    /// # Example
    ///
    /// ```text
    /// define large(o: Organisation) = o.employees >= 250
    ///
    /// obligation dp.register {
    ///   applies when organisation.employees >= 250   # should have been large(organisation)
    ///   ...
    /// }
    /// ```
    ///
    /// # Fix
    ///
    /// Call it where it was meant to be used, or remove it. A pack that defines
    /// predicates for other packs to call can allow the lint on them:
    /// `# comply: allow(unused-define)` directly above the `define`.
    pub struct UnusedDefine;
}

/// Warns about every `define` of the linted files that no obligation reaches.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let graph = &cx.program.graph;
    let mut calls: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut callers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut used: Vec<&str> = Vec::new();
    for (from, to, kind) in graph.edges() {
        if kind != EdgeKind::Calls || to.kind != NodeKind::Define {
            continue;
        }
        match from.kind {
            NodeKind::Obligation => used.push(&to.name),
            NodeKind::Define => {
                calls.entry(&from.name).or_default().push(&to.name);
                callers.entry(&to.name).or_default().insert(&from.name);
            }
        }
    }
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    while let Some(name) = used.pop() {
        if reached.insert(name) {
            used.extend(calls.get(name).into_iter().flatten().copied());
        }
    }
    for (file, d) in cx.defines() {
        let name = d.name.name.as_str();
        if reached.contains(name) {
            continue;
        }
        let by: Vec<&str> = callers
            .get(name)
            .map(|c| c.iter().copied().filter(|c| *c != name).collect())
            .unwrap_or_default();
        let (label, help) = if by.is_empty() {
            (
                "never used".to_string(),
                "call it from an obligation's condition, or remove it".to_string(),
            )
        } else {
            (
                format!("used only by {}", names(&by)),
                "no obligation reaches it through those; use them or remove them".to_string(),
            )
        };
        out.push(
            Diagnostic::warning(
                Code::LintUnusedDefine,
                format!("`{name}` is not used by any obligation"),
            )
            .in_file(&file.source)
            .label(d.name.span, label)
            .help(help),
        );
    }
}

/// `a`, `b` and `c`, with backticks.
fn names(list: &[&str]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
