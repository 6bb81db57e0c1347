//! The comparison in Markdown, for an impact assessment or a pull request: lists of
//! changes, then the impact figures and a transition matrix per obligation.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::human::{headline, label, left_out, packs, tally};
use super::impact::{Impact, ObligationImpact, Standing};
use super::{Aspect, Change, Entry, Kind, Report, State};
use crate::phrase::organisations;

/// Renders a report.
pub fn render(r: &Report<'_>) -> String {
    let mut out = String::from("# comply diff\n\n");
    out.push_str("| version | path | packs |\n|---|---|---|\n");
    for (name, v) in [("old", r.old), ("new", r.new)] {
        let _ = writeln!(out, "| {name} | {} | {} |", code(&v.label), cell(&packs(v)));
    }
    if !r.left_out.is_empty() {
        out.push('\n');
    }
    for l in r.left_out {
        let _ = writeln!(out, "> Note: {}.", left_out(l));
    }
    if r.diff.is_empty() {
        out.push_str("\nNo difference: the two versions mean the same.\n");
    }
    for (title, entries) in r.diff.sections() {
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})", capitalised(title), tally(entries));
        for state in [State::Added, State::Removed, State::Changed] {
            let group: Vec<&Entry> = entries.iter().filter(|e| e.state == state).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {}\n", capitalised(state.as_str()));
            for e in group {
                entry(&mut out, e);
            }
        }
    }
    if let Some((impact, folder)) = &r.impact {
        render_impact(&mut out, impact, folder);
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Inline code, with a longer fence when the text holds a backtick.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Text safe inside a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn value(c: &Change, v: &str) -> String {
    match c.aspect {
        Aspect::AppliesWhen
        | Aspect::Unless
        | Aspect::Require
        | Aspect::For
        | Aspect::Definition
        | Aspect::Signature
        | Aspect::Type
        | Aspect::UsesPredicate => code(v),
        a if a.is_prose() => format!("\"{v}\""),
        _ => v.to_string(),
    }
}

fn entry(out: &mut String, e: &Entry) {
    let kind = if e.kind == Kind::Obligation {
        String::new()
    } else {
        format!("{} ", e.kind.as_str())
    };
    let _ = write!(out, "- {kind}**{}**", code(&e.name));
    if let Some(t) = &e.title {
        let _ = write!(out, " — {t}");
    }
    out.push('\n');
    for c in &e.changes {
        let on = c
            .clause
            .as_ref()
            .map(|cl| format!(" on {}", code(cl)))
            .unwrap_or_default();
        let text = match (&c.old, &c.new) {
            _ if c.aspect == Aspect::UsesPredicate => format!(
                "{}, which changed",
                value(c, c.new.as_deref().or(c.old.as_deref()).unwrap_or(""))
            ),
            (Some(o), Some(n)) => format!("{} → {}", value(c, o), value(c, n)),
            (None, Some(n)) if e.state == State::Changed => format!("added {}", value(c, n)),
            (Some(o), None) if e.state == State::Changed => format!("removed {}", value(c, o)),
            (None, Some(v)) | (Some(v), None) => value(c, v),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "  - {}{on}: {text}", label(c));
    }
}

fn render_impact(out: &mut String, impact: &Impact, folder: &str) {
    let _ = writeln!(
        out,
        "\n## Impact on {} {} ({}, as of {})\n",
        impact.organisations,
        organisations(impact.organisations),
        code(folder),
        impact.as_of
    );
    out.push_str("| obligation | change status | newly violated | no longer violated | newly in scope | out of scope | newly unknown |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for o in &impact.obligations {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            code(&o.obligation),
            o.changed,
            o.newly_violated,
            o.no_longer_violated,
            o.newly_in_scope,
            o.out_of_scope,
            o.newly_unknown
        );
    }
    for o in impact.obligations.iter().filter(|o| o.changed > 0) {
        matrix(out, o);
    }
    if !impact.ignored.is_empty() {
        out.push_str("\nFields left out where a version does not declare them:\n\n");
        for i in &impact.ignored {
            let _ = writeln!(
                out,
                "- {}: {} ({} {})",
                i.version,
                code(&i.path),
                i.declarations,
                if i.declarations == 1 {
                    "declaration"
                } else {
                    "declarations"
                }
            );
        }
    }
}

/// The transition matrix of one obligation: old standing by row, new by column.
fn matrix(out: &mut String, o: &ObligationImpact) {
    let _ = writeln!(out, "\n### {}: {}\n", code(&o.obligation), headline(o));
    let rows: BTreeSet<Standing> = o.transitions.iter().map(|t| t.from).collect();
    let cols: BTreeSet<Standing> = o.transitions.iter().map(|t| t.to).collect();
    out.push_str("| old ↓ new → |");
    for c in &cols {
        let _ = write!(out, " {} |", c.as_str());
    }
    out.push_str("\n|---|");
    for _ in &cols {
        out.push_str("---:|");
    }
    out.push('\n');
    for r in &rows {
        let _ = write!(out, "| {} |", r.as_str());
        for c in &cols {
            let n: usize = o
                .transitions
                .iter()
                .filter(|t| t.from == *r && t.to == *c)
                .map(|t| t.count)
                .sum();
            let _ = write!(out, " {n} |");
        }
        out.push('\n');
    }
}
