//! Markdown for a pull-request comment: a summary table, then each failing result with its
//! citation, reasons, missing facts and remedy; waived results with their justification;
//! waivers that need attention; what the baseline carried over.
//!
//! The comment starts with a hidden marker, `<!-- comply-report -->`, so a workflow can find
//! and update its earlier comment instead of adding a new one, and it stays under GitHub's
//! size limit for comments by leaving out the details past that size.

use std::fmt::Write as _;

use super::finding::{name, unwaived_status};
use super::{Report, ResultRow, Summary};
use crate::eval::status::Status;

/// The hidden marker at the top of the comment.
pub const MARKER: &str = "<!-- comply-report -->";

/// GitHub refuses comments over 65,536 characters; details stop well before.
const BUDGET: usize = 60_000;

fn mark(s: Status) -> &'static str {
    match s {
        Status::Satisfied => "✅",
        Status::Violated => "❌",
        Status::Unknown => "❔",
        Status::NotApplicable => "➖",
        Status::Blocked => "⛔",
        Status::Waived => "🏳️",
    }
}

/// Text safe inside a table cell or a list item: no pipes or line breaks. Shared by
/// every Markdown table comply writes, so rule text cannot break one.
pub(crate) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn summary_table(out: &mut String, s: &Summary) {
    out.push_str("| status | results |\n|---|---:|\n");
    for st in Status::ALL {
        let _ = writeln!(
            out,
            "| {} {} | {} |",
            mark(st),
            st.as_str().replace('_', " "),
            s.get(st)
        );
    }
    out.push('\n');
}

/// The comment for one or more reports.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}");
    let mut total = Summary::default();
    for r in reports {
        total.merge(&r.summary);
    }
    let failing = total.violated + total.blocked + total.unknown;
    let verdict = if total.violated + total.blocked > 0 {
        "❌ obligations are not met"
    } else if total.unknown > 0 {
        "❔ some verdicts need more facts"
    } else if total.applicable() == 0 {
        "➖ no obligation applied: nothing was checked"
    } else {
        "✅ every applicable obligation is met"
    };
    let _ = writeln!(out, "## comply: {verdict}\n");
    if let Some(first) = reports.first() {
        let packs: Vec<String> = first
            .packs
            .iter()
            .map(|p| format!("`{}` {}", p.id, p.version))
            .collect();
        let _ = writeln!(
            out,
            "As of {} · packs {} · comply {}\n",
            first.as_of,
            packs.join(", "),
            first.tool.version
        );
    }
    if reports.len() > 1 {
        out.push_str("| declaration | organisation | violated | blocked | unknown | waived |\n");
        out.push_str("|---|---|---:|---:|---:|---:|\n");
        for r in reports {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                cell(&r.declaration.path),
                cell(&r.declaration.organisation),
                r.summary.violated,
                r.summary.blocked,
                r.summary.unknown,
                r.summary.waived
            );
        }
        out.push('\n');
    }
    summary_table(&mut out, &total);
    let mut left_out = 0usize;
    for r in reports {
        let heading = if reports.len() > 1 { "###" } else { "##" };
        if reports.len() > 1 {
            let _ = writeln!(
                out,
                "## {} (`{}`)\n",
                cell(&r.declaration.organisation),
                cell(&r.declaration.path)
            );
        } else {
            let _ = writeln!(
                out,
                "**{}** — `{}`\n",
                cell(&r.declaration.organisation),
                cell(&r.declaration.path)
            );
        }
        if let Some(b) = &r.baseline {
            let _ = writeln!(
                out,
                "Baseline `{}`: {} failing result(s) carried over (they do not fail the run), {} new.\n",
                cell(&b.file),
                b.carried_over,
                b.new
            );
        }
        let rows: Vec<&ResultRow> = r.results.iter().filter(|x| x.status.is_failing()).collect();
        if !rows.is_empty() {
            let _ = writeln!(out, "{heading} Failing results ({})\n", rows.len());
            for row in rows {
                if out.len() > BUDGET {
                    left_out += 1;
                    continue;
                }
                failing_row(&mut out, row);
            }
            out.push('\n');
        }
        let waived: Vec<&ResultRow> = r
            .results
            .iter()
            .filter(|x| x.status == Status::Waived)
            .collect();
        if !waived.is_empty() {
            let _ = writeln!(out, "{heading} Waived results ({})\n", waived.len());
            out.push_str("| result | would be | justification | approved by | expires |\n|---|---|---|---|---|\n");
            for row in waived {
                if let Some(w) = &row.waiver {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} | {} | {} |",
                        cell(&name(row)),
                        unwaived_status(row),
                        cell(&w.justification),
                        cell(&w.approved_by),
                        w.expires
                    );
                }
            }
            out.push('\n');
        }
        if let Some(w) = &r.waivers {
            let notes: Vec<String> = w
                .review
                .expired
                .iter()
                .map(|n| (n, "expired: it waives nothing"))
                .chain(
                    w.review
                        .unused
                        .iter()
                        .map(|n| (n, "matches no failing result")),
                )
                .chain(
                    w.review
                        .expiring
                        .iter()
                        .map(|n| (n, "expires within 30 days")),
                )
                .map(|(n, what)| {
                    let item = n
                        .item
                        .as_ref()
                        .map(|i| format!(" [{i}]"))
                        .unwrap_or_default();
                    format!(
                        "- `{}{item}` (approved by {}, expires {}): {what}",
                        n.id,
                        cell(&n.approved_by),
                        n.expires
                    )
                })
                .collect();
            if !notes.is_empty() {
                let _ = writeln!(
                    out,
                    "{heading} Waivers needing attention (`{}`)\n",
                    cell(&w.file)
                );
                for n in notes {
                    let _ = writeln!(out, "{n}");
                }
                out.push('\n');
            }
        }
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "_{left_out} more failing result(s) left out to fit a comment: see the full report (`--format json` or `human`)._\n"
        );
    }
    if failing == 0 && total.waived == 0 {
        out.push_str("Nothing to fix.\n");
    }
    out
}

fn failing_row(out: &mut String, row: &ResultRow) {
    let carried = if row.carried_over {
        " · _already in the baseline_"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "- {} **{}** `{}` — {} ({}){carried}",
        mark(row.status),
        row.status,
        cell(&name(row)),
        cell(&row.about.title),
        row.about.severity
    );
    let mut under = Vec::new();
    if !row.about.citation.is_empty() {
        under.push(format!("_{}_", cell(&row.about.citation)));
    }
    if let Some(p) = &row.place {
        under.push(format!("at `{}` (line {})", cell(&p.path), p.line));
    }
    if !under.is_empty() {
        let _ = writeln!(out, "  {}", under.join(" · "));
    }
    for reason in &row.reasons {
        let _ = writeln!(out, "  - {}", cell(reason));
    }
    if !row.missing.is_empty() {
        let missing: Vec<String> = row
            .missing
            .iter()
            .map(|m| format!("`{}`", cell(m)))
            .collect();
        let _ = writeln!(out, "  - **Missing:** {}", missing.join(", "));
    }
    if let Some(remedy) = row.remedy() {
        let _ = writeln!(out, "  - **Remedy:** {}", cell(remedy));
    }
}
