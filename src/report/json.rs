//! The JSON report (schema version 1): stable field order, byte-identical across runs.
//!
//! The report is written as it is serialised ([`write`], [`write_batch`]): the text of a
//! large report is longer than the declaration it is about, and is never held whole.

use std::io::{self, Write};

use serde::Serialize;

use super::{PackRef, Report, Summary, Tool, SCHEMA_VERSION};

/// Several declarations checked in one run.
#[derive(Serialize)]
struct Batch<'a> {
    schema_version: u32,
    tool: Tool,
    as_of: &'a str,
    packs: &'a [PackRef],
    reports: &'a [Report],
    summary: Summary,
}

/// Writes one report as pretty-printed JSON with a final newline.
pub fn write(out: impl Write, report: &Report) -> io::Result<()> {
    pretty(out, report)
}

/// Writes several reports in one document, with the totals.
pub fn write_batch(
    out: impl Write,
    reports: &[Report],
    as_of: &str,
    packs: &[PackRef],
) -> io::Result<()> {
    let mut summary = Summary::default();
    for r in reports {
        summary.merge(&r.summary);
    }
    let batch = Batch {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        as_of,
        packs,
        reports,
        summary,
    };
    pretty(out, &batch)
}

/// One report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> String {
    text(|out| write(out, report))
}

/// Several reports in one document, with the totals.
pub fn render_batch(reports: &[Report], as_of: &str, packs: &[PackRef]) -> String {
    text(|out| write_batch(out, reports, as_of, packs))
}

fn pretty(mut out: impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")
}

/// What a writer produces, as text.
fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    // Writing to memory fails only if serialising does, which the report's types do not.
    if write(&mut bytes).is_err() {
        bytes.clear();
    }
    String::from_utf8(bytes).unwrap_or_default()
}
