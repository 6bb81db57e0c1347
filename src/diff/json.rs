//! The comparison as JSON (schema version 1): stable field order, byte-identical across
//! runs.

use serde::Serialize;

use super::impact::Impact;
use super::version::{LeftOut, Version};
use super::{count, Entry, Report, State};
use crate::report::{PackRef, Tool, SCHEMA_VERSION};

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    tool: Tool,
    old: Side,
    new: Side,
    /// The packs loaded beside the compared ones.
    context: Vec<PackRef>,
    /// Library packs left out of both versions.
    left_out: &'a [LeftOut],
    /// True when the versions differ (exit code 1).
    difference: bool,
    summary: Summary,
    obligations: &'a [Entry],
    predicates: &'a [Entry],
    shape: &'a [Entry],
    instruments: &'a [Entry],
    packs: &'a [Entry],
    impact: Option<ImpactDoc<'a>>,
}

#[derive(Serialize)]
struct Side {
    path: String,
    packs: Vec<PackRef>,
}

/// Counts per section, in the order of the sections.
#[derive(Serialize)]
struct Summary {
    obligations: Tally,
    predicates: Tally,
    shape: Tally,
    instruments: Tally,
    packs: Tally,
}

#[derive(Serialize)]
struct Tally {
    added: usize,
    removed: usize,
    changed: usize,
}

#[derive(Serialize)]
struct ImpactDoc<'a> {
    declarations: &'a str,
    #[serde(flatten)]
    impact: &'a Impact,
}

fn side(v: &Version) -> Side {
    Side {
        path: v.label.clone(),
        packs: v.pack_refs(),
    }
}

/// Renders a report as pretty-printed JSON with a final newline.
pub fn render(r: &Report<'_>) -> String {
    let tally = |entries: &[Entry]| Tally {
        added: count(entries, State::Added),
        removed: count(entries, State::Removed),
        changed: count(entries, State::Changed),
    };
    let d = r.diff;
    let summary = Summary {
        obligations: tally(&d.obligations),
        predicates: tally(&d.predicates),
        shape: tally(&d.shape),
        instruments: tally(&d.instruments),
        packs: tally(&d.packs),
    };
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        old: side(r.old),
        new: side(r.new),
        context: r.new.context_refs(),
        left_out: r.left_out,
        difference: !r.diff.is_empty(),
        summary,
        obligations: &r.diff.obligations,
        predicates: &r.diff.predicates,
        shape: &r.diff.shape,
        instruments: &r.diff.instruments,
        packs: &r.diff.packs,
        impact: r.impact.as_ref().map(|(impact, folder)| ImpactDoc {
            declarations: folder,
            impact,
        }),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
