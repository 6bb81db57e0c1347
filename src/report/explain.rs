//! `comply explain`: an obligation in plain words, and the trace of its evaluation.

use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::trace::{Trace, TraceNode};
use crate::graph::EdgeKind;
use crate::program::{Domain, ObligationDef, Program};

/// An obligation described without a declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Description {
    /// Id.
    pub obligation: String,
    /// Title.
    pub title: String,
    /// Pack.
    pub pack: String,
    /// Citation as shown in reports.
    pub citation: String,
    /// The instruments cited: id, title, address.
    pub instruments: Vec<(String, String, Option<String>)>,
    /// Severity.
    pub severity: &'static str,
    /// Tags.
    pub tags: Vec<String>,
    /// `organisation` or the list it ranges over.
    pub applies_to: String,
    /// In force from, until; pending.
    pub in_force: Option<String>,
    /// Conditions as written.
    pub applies_when: Vec<String>,
    /// Exemptions: condition and name.
    pub unless: Vec<(String, String)>,
    /// Requirements: condition and message.
    pub requires: Vec<(String, String)>,
    /// How to comply.
    pub remedy: String,
    /// Obligations it needs, with how.
    pub prerequisites: Vec<(String, &'static str)>,
    /// Obligations that need it, with how.
    pub dependents: Vec<(String, &'static str)>,
}

/// Describes an obligation from the program alone.
pub fn describe(program: &Program, ob: &ObligationDef, lang: &str) -> Description {
    let in_force = match (&ob.pending, ob.in_force) {
        (Some(p), _) => Some(format!("pending: {p}")),
        (None, Some(w)) => Some(match w.until {
            Some(u) => format!("from {} until {u}", w.from),
            None => format!("from {}", w.from),
        }),
        (None, None) => None,
    };
    let relations =
        |list: Vec<(String, EdgeKind)>| list.into_iter().map(|(id, k)| (id, k.verb())).collect();
    Description {
        obligation: ob.id.clone(),
        title: ob.title.plain(lang),
        pack: program
            .pack_of(ob)
            .map(|p| p.id.clone())
            .unwrap_or_default(),
        citation: program.citation(ob),
        instruments: ob
            .cites
            .iter()
            .filter_map(|c| program.instruments.get(c.instrument))
            .map(|i| (i.id.clone(), i.title.clone(), i.url.clone()))
            .fold(Vec::new(), |mut acc, i| {
                if !acc.contains(&i) {
                    acc.push(i);
                }
                acc
            }),
        severity: ob.severity.as_str(),
        tags: ob.tags.clone(),
        applies_to: match &ob.domain {
            Domain::Organisation => "the organisation".into(),
            Domain::Each(list) => format!("each item of `{list}`"),
        },
        in_force,
        applies_when: ob.applies_when.iter().map(|(_, t)| t.clone()).collect(),
        unless: ob
            .unless
            .iter()
            .map(|u| (u.source.clone(), u.because.plain(lang)))
            .collect(),
        requires: ob
            .requires
            .iter()
            .map(|r| (r.source.clone(), r.message.plain(lang)))
            .collect(),
        remedy: ob.remedy.plain(lang),
        prerequisites: relations(program.graph.needs(&ob.id)),
        dependents: relations(program.graph.needed_by(&ob.id)),
    }
}

/// A description for people.
pub fn render_description(d: &Description) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", d.obligation, d.title);
    let _ = writeln!(
        out,
        "  pack: {}   severity: {}   tags: {}",
        d.pack,
        d.severity,
        d.tags.join(", ")
    );
    let _ = writeln!(out, "  cites: {}", d.citation);
    for (id, title, url) in &d.instruments {
        let url = url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default();
        let _ = writeln!(out, "    {id}: {title}{url}");
    }
    let _ = writeln!(out, "  applies to: {}", d.applies_to);
    if let Some(w) = &d.in_force {
        let _ = writeln!(out, "  in force: {w}");
    }
    for c in &d.applies_when {
        let _ = writeln!(out, "  applies when: {c}");
    }
    for (c, why) in &d.unless {
        let _ = writeln!(out, "  unless: {c}");
        if why != c {
            let _ = writeln!(out, "      ({why})");
        }
    }
    for (c, msg) in &d.requires {
        let _ = writeln!(out, "  require: {c}");
        let _ = writeln!(out, "      else: {msg}");
    }
    if !d.remedy.is_empty() {
        let _ = writeln!(out, "  remedy: {}", d.remedy);
    }
    let relation = |list: &[(String, &str)]| {
        list.iter()
            .map(|(id, how)| format!("{id} ({how})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "  prerequisites: {}",
        if d.prerequisites.is_empty() {
            "none".into()
        } else {
            relation(&d.prerequisites)
        }
    );
    let _ = writeln!(
        out,
        "  dependents: {}",
        if d.dependents.is_empty() {
            "none".into()
        } else {
            relation(&d.dependents)
        }
    );
    out
}

fn node(out: &mut String, n: &TraceNode, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = writeln!(out, "{indent}{} → {}", n.text, n.value);
    for (path, value) in &n.facts {
        let _ = writeln!(out, "{indent}    · {path} = {value}");
    }
    for c in &n.children {
        node(out, c, depth + 1);
    }
}

/// A trace as an indented tree.
pub fn render_trace(t: &Trace) -> String {
    let mut out = String::new();
    let item = t
        .item
        .as_ref()
        .map(|i| format!(" [{i}]"))
        .unwrap_or_default();
    let _ = writeln!(out, "{}{item}: {}", t.obligation, t.status);
    let _ = writeln!(
        out,
        "  in force: {}",
        t.in_force
            .as_deref()
            .map_or_else(|| "yes".to_string(), |w| format!("no — {w}"))
    );
    for c in &t.clauses {
        let _ = writeln!(out, "  {}", c.clause);
        node(&mut out, &c.condition, 2);
        if let Some(note) = &c.note {
            if c.clause == "require" && c.condition.value != "true" {
                let _ = writeln!(out, "      else: {note}");
            }
            if c.clause == "unless" && c.condition.value == "true" {
                let _ = writeln!(out, "      exemption: {note}");
            }
        }
    }
    for d in &t.dependencies {
        let results: Vec<String> = d
            .results
            .iter()
            .map(|(item, s)| match item {
                Some(i) => format!("[{i}] {s}"),
                None => s.to_string(),
            })
            .collect();
        let _ = writeln!(out, "  depends on {}: {}", d.obligation, results.join(", "));
    }
    let _ = writeln!(out, "  ⇒ {}", t.status);
    for r in &t.reasons {
        let _ = writeln!(out, "    • {r}");
    }
    if !t.missing.is_empty() {
        let _ = writeln!(out, "    missing: {}", t.missing.join(", "));
    }
    out
}

/// Any serialisable explanation as JSON.
pub fn render_json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}
