//! GitHub Actions workflow commands: one annotation per finding, on the line of the
//! declaration file that decides it, so a pull request shows each failing obligation where
//! the declaration states (or fails to state) the fact.
//!
//! Levels follow severity (`error` for critical and high, `warning` for medium, `notice`
//! below; unknown results at most `warning`). Waived results and results already failing
//! in the baseline are notices. Waivers that expired, match nothing or expire soon are
//! warnings on the waiver file.

use std::fmt::Write as _;

use super::finding::{is_finding, level, message, name, Level};
use super::Report;
use crate::eval::status::Status;
use crate::waiver::WaiverNote;

/// Escapes a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    level: &str,
    file: &str,
    line: Option<usize>,
    col: Option<usize>,
    title: &str,
    msg: &str,
) -> String {
    let mut props = format!("file={}", property(file));
    if let Some(l) = line {
        let _ = write!(props, ",line={l}");
    }
    if let Some(c) = col {
        let _ = write!(props, ",col={c}");
    }
    let _ = write!(props, ",title={}", property(title));
    format!("::{level} {props}::{}\n", data(msg))
}

/// The annotations of one or more reports.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for report in reports {
        let file = &report.declaration.path;
        for row in report.results.iter().filter(|r| is_finding(r)) {
            let mut lvl = match level(row) {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "notice",
            };
            let mut title = format!("{} ({}, {})", name(row), row.about.severity, row.status);
            if row.status == Status::Waived {
                lvl = "notice";
            }
            if row.carried_over {
                lvl = "notice";
                title.push_str(" already in the baseline");
            }
            let mut msg = message(row);
            if !row.about.citation.is_empty() {
                let _ = write!(msg, "\n{}", row.about.citation);
            }
            if let Some(remedy) = row.remedy() {
                let _ = write!(msg, "\nRemedy: {remedy}");
            }
            let place = row.place.as_ref();
            out.push_str(&command(
                lvl,
                file,
                Some(place.map_or(1, |p| p.line)),
                place.map(|p| p.column),
                &title,
                &msg,
            ));
        }
        if let Some(w) = &report.waivers {
            let mut note = |n: &WaiverNote, what: &str| {
                let item = n
                    .item
                    .as_ref()
                    .map(|i| format!(" [{i}]"))
                    .unwrap_or_default();
                out.push_str(&command(
                    "warning",
                    &w.file,
                    n.line,
                    None,
                    &format!("waiver of {}{item} {what}", n.id),
                    &format!(
                        "The waiver of {}{item} approved by {} {what} (expires {}).",
                        n.id, n.approved_by, n.expires
                    ),
                ));
            };
            for n in &w.review.expired {
                note(n, "has expired and waives nothing");
            }
            for n in &w.review.unused {
                note(n, "matches no failing result");
            }
            for n in &w.review.expiring {
                note(n, "expires within 30 days");
            }
        }
        let summary = super::human::summary_line(&report.summary, "en");
        let mut text = format!("{}: {summary}", report.declaration.organisation);
        if let Some(b) = &report.baseline {
            let _ = write!(
                text,
                "; {} failing result(s) carried over from the baseline, {} new",
                b.carried_over, b.new
            );
        }
        let _ = writeln!(
            out,
            "::notice file={},title={}::{}",
            property(file),
            property("comply summary"),
            data(&text)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_escape_their_parts() {
        assert_eq!(
            command("error", "a,b.yaml", Some(3), None, "x: y", "50%\nok"),
            "::error file=a%2Cb.yaml,line=3,title=x%3A y::50%25%0Aok\n"
        );
    }
}
