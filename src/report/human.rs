//! The report for people: grouped by pack and topic, failures first with their citation,
//! reasons and remedy, and a summary line.

use std::fmt::Write as _;

use super::{Report, ResultRow, Summary};
use crate::eval::status::Status;
use crate::phrase::phrase;
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

    fn status(self, s: Status, lang: &str) -> String {
        let (mark, code) = match s {
            Status::Satisfied => ("✔", "32"),
            Status::Violated => ("✘", "1;31"),
            Status::Unknown => ("?", "33"),
            Status::NotApplicable => ("-", "2"),
            Status::Blocked => ("⧗", "35"),
            Status::Waived => ("~", "36"),
        };
        let label = format!("{mark} {}", status_word(s, lang));
        let padded = format!("{label:<16}");
        self.paint(code, &padded)
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// A status as a word of the report's language.
fn status_word(s: Status, lang: &str) -> &'static str {
    let english = match s {
        Status::Satisfied => "satisfied",
        Status::Violated => "violated",
        Status::Unknown => "unknown",
        Status::NotApplicable => "not applicable",
        Status::Blocked => "blocked",
        Status::Waived => "waived",
    };
    phrase(lang, english)
}

/// The summary line: counts per status.
pub fn summary_line(s: &Summary, lang: &str) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .map(|st| format!("{} {}", s.get(*st), status_word(*st, lang)))
        .collect();
    parts.join(", ")
}

/// A blocked result is shown under each root cause that is in the report.
fn shown_under_cause(report: &Report, r: &ResultRow) -> bool {
    r.status == Status::Blocked
        && !r.blocked_by.is_empty()
        && r.blocked_by
            .iter()
            .all(|cause| report.results.iter().any(|x| super::row_name(x) == *cause))
}

/// What a failing result says about itself.
pub struct Details<'a> {
    /// Where the obligation comes from.
    pub citation: &'a str,
    /// Why it fails.
    pub reasons: &'a [String],
    /// Facts to declare.
    pub missing: &'a [String],
    /// How to comply.
    pub remedy: Option<&'a str>,
}

/// The lines under a failing result: citation, reasons, missing facts, remedy.
pub fn details(out: &mut String, indent: &str, d: &Details<'_>, style: Style, lang: &str) {
    if !d.citation.is_empty() {
        let _ = writeln!(out, "{indent}{}", style.dim(d.citation));
    }
    for reason in d.reasons {
        let _ = writeln!(out, "{indent}• {reason}");
    }
    if !d.missing.is_empty() {
        let _ = writeln!(
            out,
            "{indent}{}: {}",
            phrase(lang, "missing"),
            d.missing.join(", ")
        );
    }
    if let Some(remedy) = d.remedy {
        let _ = writeln!(out, "{indent}{}: {remedy}", phrase(lang, "remedy"));
    }
}

/// One result with its details.
fn row(out: &mut String, r: &ResultRow, style: Style, lang: &str) {
    let item = r
        .item
        .as_ref()
        .map(|i| format!(" [{i}]"))
        .unwrap_or_default();
    // A waived result keeps its details: the waiver never hides why it fails.
    let detailed = r.status.is_failing() || r.status == Status::Waived;
    let severity = if detailed { r.severity } else { "" };
    let _ = writeln!(
        out,
        "    {} {:<8} {}{} — {}",
        style.status(r.status, lang),
        severity,
        r.obligation,
        item,
        r.title
    );
    if detailed {
        details(
            out,
            "        ",
            &Details {
                citation: &r.citation,
                reasons: &r.reasons,
                missing: &r.missing,
                remedy: r.remedy.as_deref(),
            },
            style,
            lang,
        );
    } else if r.status == Status::NotApplicable {
        if let Some(why) = r.reasons.first() {
            let _ = writeln!(out, "        {}", style.dim(why));
        }
    }
}

/// Renders one declaration's report.
pub fn render(program: &Program, report: &Report, style: Style) -> String {
    let mut out = String::new();
    let lang = report.lang.as_str();
    let _ = writeln!(
        out,
        "{} — {} ({}), {} {}",
        style.bold("comply check"),
        report.declaration.organisation,
        report.declaration.path,
        phrase(lang, "as of"),
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
        style.dim(&format!("{}: {}", phrase(lang, "packs"), packs.join(", ")))
    );
    for pack in &program.packs {
        let rows: Vec<_> = report
            .results
            .iter()
            .filter(|r| *r.pack == *pack.id)
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
            .filter(|r| !shown_under_cause(report, r))
            .map(|r| r.tags.first().map_or("other", String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            let _ = writeln!(out, "  {}", style.bold(tag));
            for r in rows.iter().filter(|r| {
                r.tags.first().map_or("other", String::as_str) == tag
                    && !shown_under_cause(report, r)
            }) {
                row(&mut out, r, style, lang);
                // Results blocked by this one are shown under it, their root cause.
                let me = super::row_name(r);
                for b in report.results.iter().filter(|b| b.blocked_by.contains(&me)) {
                    let item = b
                        .item
                        .as_ref()
                        .map(|i| format!(" [{i}]"))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "        ↳ {} {:<8} {}{item} — {}",
                        style.status(b.status, lang),
                        b.severity,
                        b.obligation,
                        b.title
                    );
                }
            }
        }
    }
    if !report.conflicts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            style.paint("1;31", phrase(lang, "conflicting overrides"))
        );
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
                phrase(
                    lang,
                    "no obligation applied to this declaration: nothing was checked"
                )
            )
        );
    }
    extras(&mut out, report);
    let _ = writeln!(
        out,
        "{} {}",
        style.bold(&format!("{}:", phrase(lang, "summary"))),
        summary_line(&report.summary, lang)
    );
    out
}

/// What the waivers and the baseline did, when given.
fn extras(out: &mut String, report: &Report) {
    if let Some(w) = &report.waivers {
        let name = |n: &crate::waiver::WaiverNote| super::item_name(&n.id, n.item.as_deref());
        let _ = writeln!(
            out,
            "waivers ({}): {} result(s) waived",
            w.file, w.review.applied
        );
        for n in &w.review.expired {
            let _ = writeln!(
                out,
                "  ! {} expired on {}: it waives nothing",
                name(n),
                n.expires
            );
        }
        for n in &w.review.unused {
            let _ = writeln!(out, "  ! {} matches no failing result", name(n));
        }
        for n in &w.review.expiring {
            let _ = writeln!(out, "  ! {} expires on {}", name(n), n.expires);
        }
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "baseline ({}): {} failing result(s) carried over, {} new",
            b.file, b.carried_over, b.new
        );
    }
}

/// One row per organisation, for a folder of declarations.
pub fn render_table(reports: &[Report], style: Style, lang: &str) -> String {
    let statuses = [
        Status::Satisfied,
        Status::Violated,
        Status::Unknown,
        Status::Blocked,
        Status::NotApplicable,
        Status::Waived,
    ];
    let name_width = reports
        .iter()
        .map(|r| r.declaration.organisation.chars().count())
        .chain([phrase(lang, "organisation").chars().count()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = statuses
        .iter()
        .map(|s| status_word(*s, lang).chars().count().max(5))
        .collect();
    let mut out = String::new();
    let mut header = format!("{:<name_width$}", phrase(lang, "organisation"));
    for (s, w) in statuses.iter().zip(&widths) {
        header.push_str(&format!("  {:>w$}", status_word(*s, lang)));
    }
    header.push_str(&format!("  {}", phrase(lang, "file")));
    let _ = writeln!(out, "{}", style.bold(&header));
    let mut total = Summary::default();
    for r in reports {
        total.merge(&r.summary);
        let mut row = format!("{:<name_width$}", r.declaration.organisation);
        for (s, w) in statuses.iter().zip(&widths) {
            row.push_str(&format!("  {:>w$}", r.summary.get(*s)));
        }
        let _ = writeln!(out, "{row}  {}", r.declaration.path);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} {} {} — {}",
        style.bold(&format!("{}:", phrase(lang, "summary"))),
        reports.len(),
        phrase(lang, "organisations"),
        summary_line(&total, lang)
    );
    out
}
