//! The comparison as text for people: each section grouped into added, removed and
//! changed entries, each change as old → new, conditions as written; then the impact.

use std::fmt::Write as _;

use super::impact::{Impact, ObligationImpact};
use super::version::{LeftOut, Version};
use super::{count, Aspect, Change, Entry, Kind, Report, State};
use crate::phrase::organisations;

/// Width of the label column of a change.
const LABEL: usize = 14;
/// Indentation of a change line.
const INDENT: &str = "      ";
/// Past this many characters, old and new go on two lines.
const ONE_LINE: usize = 72;

/// Renders a report.
pub fn render(r: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "comply diff {} → {}", r.old.label, r.new.label);
    for (name, v) in [("old", r.old), ("new", r.new)] {
        let _ = writeln!(out, "  {name}  {}", packs(v));
    }
    for l in r.left_out {
        let _ = writeln!(out, "  note: {}", left_out(l));
    }
    if r.diff.is_empty() {
        out.push_str("\nno difference: the two versions mean the same\n");
    }
    for (title, entries) in r.diff.sections() {
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}: {}", tally(entries));
        for e in entries {
            entry(&mut out, e);
        }
    }
    if let Some((impact, folder)) = &r.impact {
        render_impact(&mut out, impact, folder);
    }
    out
}

/// `pdp 2026.1, core 2026.1`.
pub fn packs(v: &Version) -> String {
    let refs = v.pack_refs();
    if refs.is_empty() {
        return "(no pack manifest)".to_string();
    }
    let parts: Vec<String> = refs
        .iter()
        .map(|p| {
            if p.version.is_empty() {
                p.id.clone()
            } else {
                format!("{} {}", p.id, p.version)
            }
        })
        .collect();
    parts.join(", ")
}

/// `built-in pack `cloud` left out: it does not load with the old version`.
pub fn left_out(l: &LeftOut) -> String {
    let with = match l.versions.as_slice() {
        [one] => format!("the {one} version"),
        _ => "either version".to_string(),
    };
    format!(
        "pack `{}` left out of both versions: it does not load with {with}",
        l.pack
    )
}

/// `1 added, 2 changed`.
pub fn tally(entries: &[Entry]) -> String {
    let parts: Vec<String> = [State::Added, State::Removed, State::Changed]
        .iter()
        .filter_map(|s| {
            let n = count(entries, *s);
            (n > 0).then(|| format!("{n} {}", s.as_str()))
        })
        .collect();
    parts.join(", ")
}

fn entry(out: &mut String, e: &Entry) {
    let kind = if e.kind == Kind::Obligation {
        String::new()
    } else {
        format!("{} ", e.kind.as_str())
    };
    let _ = write!(out, "  {} {kind}{}", e.state.sign(), e.name);
    if let Some(t) = &e.title {
        let _ = write!(out, "  {t}");
    }
    out.push('\n');
    for c in &e.changes {
        change(out, e.state, c);
    }
}

/// The label of a change: `title (fr)`.
pub fn label(c: &Change) -> String {
    match &c.lang {
        Some(l) => format!("{} ({l})", c.aspect.label()),
        None => c.aspect.label().to_string(),
    }
}

fn shown(c: &Change, v: &str) -> String {
    if c.aspect.is_prose() {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

fn change(out: &mut String, state: State, c: &Change) {
    let label = label(c);
    let pad = " ".repeat(LABEL.saturating_sub(label.chars().count()).max(1));
    let on = c
        .clause
        .as_ref()
        .map(|cl| format!("on {cl}: "))
        .unwrap_or_default();
    let value = match (&c.old, &c.new) {
        _ if c.aspect == Aspect::UsesPredicate => format!(
            "{}, which changed",
            c.new.as_deref().or(c.old.as_deref()).unwrap_or("")
        ),
        (Some(o), Some(n)) => {
            let (o, n) = (shown(c, o), shown(c, n));
            if o.chars().count() + n.chars().count() + on.len() > ONE_LINE {
                let under = " ".repeat(INDENT.len() + LABEL + on.chars().count());
                format!("{o}\n{}→ {n}", under.get(2..).unwrap_or(""))
            } else {
                format!("{o} → {n}")
            }
        }
        (None, Some(n)) if state == State::Changed => format!("+ {}", shown(c, n)),
        (Some(o), None) if state == State::Changed => format!("- {}", shown(c, o)),
        (None, Some(v)) | (Some(v), None) => shown(c, v),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "{INDENT}{label}{pad}{on}{value}");
}

/// `3 organisations newly violated, 4 newly in scope`, or `2 organisations change status`.
pub fn headline(o: &ObligationImpact) -> String {
    let figures = [
        (o.newly_violated, "newly violated"),
        (o.no_longer_violated, "no longer violated"),
        (o.newly_in_scope, "newly in scope"),
        (o.out_of_scope, "out of scope"),
        (o.newly_unknown, "newly unknown"),
    ];
    let mut parts = Vec::new();
    for (n, what) in figures.iter().filter(|(n, _)| *n > 0) {
        if parts.is_empty() {
            parts.push(format!("{n} {} {what}", organisations(*n)));
        } else {
            parts.push(format!("{n} {what}"));
        }
    }
    if parts.is_empty() {
        format!("{} {} change status", o.changed, organisations(o.changed))
    } else {
        parts.join(", ")
    }
}

fn render_impact(out: &mut String, impact: &Impact, folder: &str) {
    let _ = writeln!(
        out,
        "\nimpact on {} {} ({folder}) as of {}",
        impact.organisations,
        organisations(impact.organisations),
        impact.as_of
    );
    let mut unchanged = Vec::new();
    let mut any = false;
    for o in &impact.obligations {
        if o.changed == 0 {
            unchanged.push(o.obligation.as_str());
            continue;
        }
        any = true;
        let _ = writeln!(
            out,
            "  {}: {} ({} of {} change status)",
            o.obligation,
            headline(o),
            o.changed,
            impact.organisations
        );
        let mut same = 0;
        let rows: Vec<(String, usize)> = o
            .transitions
            .iter()
            .filter_map(|t| {
                if t.from == t.to {
                    same += t.count;
                    None
                } else {
                    Some((format!("{} → {}", t.from.as_str(), t.to.as_str()), t.count))
                }
            })
            .collect();
        let width = rows
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        for (l, n) in rows {
            let pad = " ".repeat(width - l.chars().count() + 2);
            let _ = writeln!(out, "{INDENT}{l}{pad}{n}");
        }
        if same > 0 {
            let pad = " ".repeat((width + 2).saturating_sub("unchanged".len()).max(2));
            let _ = writeln!(out, "{INDENT}unchanged{pad}{same}");
        }
    }
    if !any {
        out.push_str("  no organisation changes status\n");
    }
    if !unchanged.is_empty() && any {
        let _ = writeln!(
            out,
            "  unchanged for every organisation: {}",
            unchanged.join(", ")
        );
    }
    if !impact.ignored.is_empty() {
        out.push_str("  fields left out where a version does not declare them:\n");
        for i in &impact.ignored {
            let _ = writeln!(
                out,
                "{INDENT}{}: {} ({} {})",
                i.version,
                i.path,
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
