//! JUnit XML, for test dashboards: a test suite per pack, a test case per obligation and
//! item.
//!
//! Violated and blocked results are failures, carrying their reasons; unknown results are
//! errors of type `unknown` (the verdict could not be reached), so dashboards show them
//! apart from failures; not applicable and waived results are skipped, with the reason or
//! the waiver's justification; satisfied results pass.

use std::fmt::Write as _;

use super::{Report, ResultRow};
use crate::eval::status::Status;
use crate::program::Program;

/// How a result counts in JUnit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Passed.
    Pass,
    /// `<failure>`: violated or blocked.
    Failure,
    /// `<error type="unknown">`: facts missing.
    Error,
    /// `<skipped>`: not applicable or waived.
    Skipped,
}

/// How a status counts in JUnit.
pub fn outcome(s: Status) -> Outcome {
    match s {
        Status::Satisfied => Outcome::Pass,
        Status::Violated | Status::Blocked => Outcome::Failure,
        Status::Unknown => Outcome::Error,
        Status::NotApplicable | Status::Waived => Outcome::Skipped,
    }
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, s: Status) {
        self.tests += 1;
        match outcome(s) {
            Outcome::Pass => {}
            Outcome::Failure => self.failures += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }

    fn attrs(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// Text made safe for XML 1.0: markup escaped, characters XML cannot hold dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Element text: as [`escape`] but keeping line breaks as they are.
fn body(text: &str) -> String {
    escape(text).replace("&#10;", "\n")
}

/// The JUnit document of one or more reports.
pub fn render(program: &Program, reports: &[Report]) -> String {
    let batch = reports.len() > 1;
    let mut suites = String::new();
    let mut total = Counts::default();
    for report in reports {
        for pack in &program.packs {
            let rows: Vec<&ResultRow> = report
                .results
                .iter()
                .filter(|r| r.about.pack == pack.id)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let mut counts = Counts::default();
            let mut cases = String::new();
            for row in &rows {
                counts.add(row.status);
                total.add(row.status);
                case(&mut cases, report, row);
            }
            let name = if batch {
                format!("{} ({})", pack.id, report.declaration.path)
            } else {
                pack.id.clone()
            };
            let _ = writeln!(
                suites,
                r#"  <testsuite name="{}" {} time="0">"#,
                escape(&name),
                counts.attrs()
            );
            let _ = writeln!(suites, "    <properties>");
            for (k, v) in [
                ("pack.title", pack.title.plain(&report.lang)),
                ("pack.version", pack.version.clone()),
                ("pack.digest", pack.digest.clone()),
                ("declaration", report.declaration.path.clone()),
                ("organisation", report.declaration.organisation.clone()),
                ("as_of", report.as_of.clone()),
            ] {
                let _ = writeln!(
                    suites,
                    r#"      <property name="{k}" value="{}"/>"#,
                    escape(&v)
                );
            }
            let _ = writeln!(suites, "    </properties>");
            suites.push_str(&cases);
            let _ = writeln!(suites, "  </testsuite>");
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r#"<testsuites name="comply" {} time="0">"#,
        total.attrs()
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

fn case(out: &mut String, report: &Report, row: &ResultRow) {
    let name = super::finding::name(row);
    let line = row
        .place
        .as_ref()
        .map(|p| format!(r#" line="{}""#, p.line))
        .unwrap_or_default();
    let _ = write!(
        out,
        r#"    <testcase name="{}" classname="{}" file="{}"{line} time="0""#,
        escape(&name),
        escape(&row.obligation),
        escape(&report.declaration.path)
    );
    let mut detail = Vec::new();
    if !row.about.citation.is_empty() {
        detail.push(row.about.citation.clone());
    }
    detail.extend(row.reasons.iter().map(|r| format!("- {r}")));
    if !row.missing.is_empty() {
        detail.push(format!("missing: {}", row.missing.join(", ")));
    }
    if let Some(remedy) = row.remedy() {
        detail.push(format!("remedy: {remedy}"));
    }
    let first = row.reasons.first().cloned().unwrap_or_default();
    let message = |status: Status| {
        if first.is_empty() {
            format!("{} {status}: {}", row.about.severity, row.about.title)
        } else {
            format!("{} {status}: {first}", row.about.severity)
        }
    };
    match outcome(row.status) {
        Outcome::Pass => {
            out.push_str("/>\n");
        }
        Outcome::Failure => {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape(&message(row.status)),
                row.status,
                body(&detail.join("\n"))
            );
        }
        Outcome::Error => {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"unknown\">{}</error>\n    </testcase>",
                escape(&message(row.status)),
                body(&detail.join("\n"))
            );
        }
        Outcome::Skipped => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}: {}\"/>\n    </testcase>",
                row.status,
                escape(&first)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_keeps_xml_well_formed() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
