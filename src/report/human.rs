//! The report for people: grouped by pack and topic, failures first with their citation,
//! reasons and remedy, and a summary line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::{Report, ResultRow, Summary};
use crate::eval::status::Status;
use crate::phrase::{fill, phrase};
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
fn shown_under_cause(names: &HashSet<String>, r: &ResultRow) -> bool {
    r.status == Status::Blocked
        && !r.blocked_by.is_empty()
        && r.blocked_by.iter().all(|cause| names.contains(cause))
}

/// An obligation with more results than this under one topic has its list cut short: the
/// first [`FOLDED_SHOWN`] failing ones, then their count per status. Twenty items, at three
/// to five lines each, are about what a person reads through on screen; the shipped
/// organisations have at most six per obligation, so their reports are never cut, while a
/// register of thousands of activities would bury everything else. The JSON report lists
/// every result.
pub const FOLD_ABOVE: usize = 20;

/// How many failing results a cut-short list still shows: enough to see what goes wrong
/// and in which items, since the reasons of one obligation tend to repeat.
pub const FOLDED_SHOWN: usize = 10;

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
    let severity = if detailed { r.about.severity } else { "" };
    let _ = writeln!(
        out,
        "    {} {:<8} {}{} — {}",
        style.status(r.status, lang),
        severity,
        r.obligation,
        item,
        r.about.title
    );
    if detailed {
        details(
            out,
            "        ",
            &Details {
                citation: &r.about.citation,
                reasons: &r.reasons,
                missing: &r.missing,
                remedy: r.remedy(),
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
    // One pass to index the results: a report of many thousands of items must not cost a
    // scan of every result per result.
    let names: HashSet<String> = report.results.iter().map(super::row_name).collect();
    let mut blocked_under: HashMap<&str, Vec<&ResultRow>> = HashMap::new();
    let mut listed: HashMap<&str, BTreeMap<&str, Vec<&ResultRow>>> = HashMap::new();
    let mut with_rows: HashSet<&str> = HashSet::new();
    for r in &report.results {
        with_rows.insert(&r.about.pack);
        // A result that names one cause twice is shown under it once.
        for (i, cause) in r.blocked_by.iter().enumerate() {
            if !r
                .blocked_by
                .get(..i)
                .is_some_and(|seen| seen.contains(cause))
            {
                blocked_under.entry(cause).or_default().push(r);
            }
        }
        if !shown_under_cause(&names, r) {
            let tag = r.about.tags.first().map_or("other", String::as_str);
            listed
                .entry(&r.about.pack)
                .or_default()
                .entry(tag)
                .or_default()
                .push(r);
        }
    }
    for pack in &program.packs {
        if !with_rows.contains(pack.id.as_str()) {
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
        let Some(tags) = listed.get(pack.id.as_str()) else {
            continue;
        };
        for (tag, rows) in tags {
            let _ = writeln!(out, "  {}", style.bold(tag));
            // An obligation's results are consecutive: the report lists them by obligation.
            for same in rows.chunk_by(|a, b| a.obligation == b.obligation) {
                if same.len() <= FOLD_ABOVE {
                    for r in same {
                        with_blocked(&mut out, r, &blocked_under, style, lang);
                    }
                    continue;
                }
                let mut shown = 0;
                let mut rest = Summary::default();
                for r in same {
                    if shown < FOLDED_SHOWN && r.status.is_failing() {
                        with_blocked(&mut out, r, &blocked_under, style, lang);
                        shown += 1;
                    } else {
                        rest.add(r.status);
                    }
                }
                let obligation = same.first().map_or("", |r| &*r.obligation);
                let line = folded(obligation, &rest, shown > 0, lang);
                let _ = writeln!(out, "    {}", style.dim(&line));
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

/// A result, then the results it blocks (shown under it, their root cause), cut short
/// like an obligation's list when there are many.
fn with_blocked(
    out: &mut String,
    r: &ResultRow,
    blocked_under: &HashMap<&str, Vec<&ResultRow>>,
    style: Style,
    lang: &str,
) {
    row(out, r, style, lang);
    let me = super::row_name(r);
    let Some(blocked) = blocked_under.get(me.as_str()) else {
        return;
    };
    let shown = if blocked.len() > FOLD_ABOVE {
        FOLDED_SHOWN
    } else {
        blocked.len()
    };
    for b in blocked.iter().take(shown) {
        let item = b
            .item
            .as_ref()
            .map(|i| format!(" [{i}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "        ↳ {} {:<8} {}{item} — {}",
            style.status(b.status, lang),
            b.about.severity,
            b.obligation,
            b.about.title
        );
    }
    if blocked.len() > shown {
        let more = (blocked.len() - shown).to_string();
        let line = fill(
            lang,
            "… and {} more results blocked by `{}` (use --format json --results failing to list them all)",
            &[&more, &me],
        );
        let _ = writeln!(out, "        ↳ {}", style.dim(&line));
    }
}

/// The line that stands for the results of an obligation left out of a cut-short list:
/// how many, of which status, and how to list them.
fn folded(obligation: &str, rest: &Summary, after_some: bool, lang: &str) -> String {
    let count: usize = Status::ALL.iter().map(|s| rest.get(*s)).sum();
    let present: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| rest.get(*s) > 0)
        .collect();
    let statuses = match present.as_slice() {
        [only] => format!(" {}", status_word(*only, lang)),
        _ => {
            let parts: Vec<String> = present
                .iter()
                .map(|s| format!("{} {}", rest.get(*s), status_word(*s, lang)))
                .collect();
            format!(": {}", parts.join(", "))
        }
    };
    // Only failing results are worth listing in full; the hint says how.
    let failing = present.iter().filter(|s| s.is_failing()).count();
    let hint = if failing == 0 {
        String::new()
    } else if failing == present.len() {
        format!(
            " ({})",
            phrase(lang, "use --format json --results failing to list them all")
        )
    } else {
        format!(
            " ({})",
            phrase(
                lang,
                "use --format json --results failing to list the failing ones"
            )
        )
    };
    let template = if after_some {
        "… and {} more items of `{}`{}{}"
    } else {
        "… {} items of `{}`{}{}"
    };
    fill(
        lang,
        template,
        &[&count.to_string(), obligation, &statuses, &hint],
    )
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
        phrase(lang, crate::phrase::organisations(reports.len())),
        summary_line(&total, lang)
    );
    out
}
