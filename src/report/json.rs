//! The JSON report (schema version 1): stable field order, byte-identical across runs.

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

/// One report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// Several reports in one document, with the totals.
pub fn render_batch(reports: &[Report], as_of: &str, packs: &[PackRef]) -> String {
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
    let mut s = serde_json::to_string_pretty(&batch).unwrap_or_default();
    s.push('\n');
    s
}
