//! The report for people: grouped by pack and topic, failures first with their citation,
//! reasons and remedy, and a summary line.

use std::fmt::Write as _;

use super::{Report, Summary};
use crate::eval::status::Status;
use crate::program::Program;

/// How to draw: with or without ANSI colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colour.
    pub colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    fn status(self, s: Status) -> String {
        let (mark, code) = match s {
            Status::Satisfied => ("✔ satisfied", "32"),
            Status::Violated => ("✘ violated", "1;31"),
            Status::Unknown => ("? unknown", "33"),
            Status::NotApplicable => ("- not applicable", "2"),
            Status::Blocked => ("⧗ blocked", "35"),
            Status::Waived => ("~ waived", "36"),
        };
        self.paint(code, &format!("{mark:<16}"))
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// The summary line: counts per status.
pub fn summary_line(s: &Summary) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .map(|st| format!("{} {}", s.get(*st), st.as_str().replace('_', " ")))
        .collect();
    parts.join(", ")
}

/// Renders one declaration's report.
pub fn render(program: &Program, report: &Report, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} ({}), as of {}",
        style.bold("comply check"),
        report.declaration.organisation,
        report.declaration.path,
        report.as_of
    );
    let packs: Vec<String> = report
        .packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!("packs: {}", packs.join(", ")))
    );
    for pack in &program.packs {
        let rows: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.pack == pack.id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            style.bold(&format!(
                "{} ({} {})",
                pack.title.plain(&report.lang),
                pack.id,
                pack.version
            ))
        );
        let mut tags: Vec<&str> = rows
            .iter()
            .map(|r| r.tags.first().map_or("other", String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            let _ = writeln!(out, "  {}", style.bold(tag));
            for r in rows
                .iter()
                .filter(|r| r.tags.first().map_or("other", String::as_str) == tag)
            {
                let item = r
                    .item
                    .as_ref()
                    .map(|i| format!(" [{i}]"))
                    .unwrap_or_default();
                let severity = if r.status.is_failing() {
                    r.severity
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {} {:<8} {}{} — {}",
                    style.status(r.status),
                    severity,
                    r.obligation,
                    item,
                    r.title
                );
                if r.status.is_failing() {
                    if !r.citation.is_empty() {
                        let _ = writeln!(out, "        {}", style.dim(&r.citation));
                    }
                    for reason in &r.reasons {
                        let _ = writeln!(out, "        • {reason}");
                    }
                    if !r.missing.is_empty() {
                        let _ = writeln!(out, "        missing: {}", r.missing.join(", "));
                    }
                    if let Some(remedy) = &r.remedy {
                        let _ = writeln!(out, "        remedy: {remedy}");
                    }
                } else if r.status == Status::NotApplicable {
                    if let Some(why) = r.reasons.first() {
                        let _ = writeln!(out, "        {}", style.dim(why));
                    }
                }
            }
        }
    }
    if !report.conflicts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", style.paint("1;31", "conflicting overrides"));
        for c in &report.conflicts {
            let _ = writeln!(out, "  • {c}");
        }
    }
    let _ = writeln!(out);
    if report.summary.applicable() == 0 {
        let _ = writeln!(
            out,
            "{}",
            style.paint(
                "1;33",
                "no obligation applied to this declaration: nothing was checked"
            )
        );
    }
    let _ = writeln!(
        out,
        "{} {}",
        style.bold("summary:"),
        summary_line(&report.summary)
    );
    out
}

/// One row per organisation, for a folder of declarations.
pub fn render_table(reports: &[Report], style: Style) -> String {
    let mut out = String::new();
    let width = reports
        .iter()
        .map(|r| r.declaration.organisation.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<width$}  {:>9} {:>8} {:>7} {:>7} {:>6} {:>6}  file",
            "organisation", "satisfied", "violated", "unknown", "blocked", "n/a", "waived"
        ))
    );
    let mut total = Summary::default();
    for r in reports {
        let s = &r.summary;
        total.merge(s);
        let _ = writeln!(
            out,
            "{:<width$}  {:>9} {:>8} {:>7} {:>7} {:>6} {:>6}  {}",
            r.declaration.organisation,
            s.satisfied,
            s.violated,
            s.unknown,
            s.blocked,
            s.not_applicable,
            s.waived,
            r.declaration.path
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} organisations — {}",
        style.bold("summary:"),
        reports.len(),
        summary_line(&total)
    );
    out
}
