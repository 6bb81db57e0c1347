//! The human report of a declaration with hundreds of processing activities stays
//! readable: an obligation with more than 20 results under a topic shows its first ten
//! failing ones and a line counting the rest per status, and the summary counts them all.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod common;

use common::snapshot;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const AS_OF: &str = "2026-11-23";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/violating.yaml` with its processing activities copied round-robin until there
/// are `count` of them, each with its own id (`newsletter-003`).
fn register_of(count: usize) -> String {
    let text = std::fs::read_to_string(root().join("fixtures/violating.yaml")).unwrap();
    let start = text.find("processing:\n").unwrap() + "processing:\n".len();
    let end = text.find("\nincidents:").unwrap();
    let activities: Vec<&str> = text[start..end]
        .trim_end()
        .strip_prefix("  - id: ")
        .unwrap()
        .split("\n  - id: ")
        .collect();
    let copies: Vec<String> = (0..count)
        .map(|n| {
            let (id, rest) = activities[n % activities.len()].split_once('\n').unwrap();
            format!("  - id: {id}-{n:03}\n{}", rest.trim_end())
        })
        .collect();
    format!(
        "{}{}\n{}",
        &text[..start],
        copies.join("\n\n"),
        &text[end..]
    )
}

/// `comply check --as-of 2026-11-23 large.yaml ARGS` in a folder holding a register of
/// `count` activities, without colour.
fn check(dir: &Path, count: usize, args: &[&str]) -> Output {
    std::fs::write(dir.join("large.yaml"), register_of(count)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(["check", "--as-of", AS_OF, "large.yaml"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn human(count: usize) -> String {
    let dir = tempfile::tempdir().unwrap();
    String::from_utf8(check(dir.path(), count, &[]).stdout).unwrap()
}

const WORDS: [(&str, &str); 6] = [
    ("satisfied", "satisfied"),
    ("violated", "violated"),
    ("unknown", "unknown"),
    ("not applicable", "not_applicable"),
    ("blocked", "blocked"),
    ("waived", "waived"),
];

/// The status of a result line (`✘ violated  high  dp.x [a] — …`, or the same after `↳ `).
fn row_status(line: &str) -> Option<&'static str> {
    let line = line.trim_start();
    let line = line.strip_prefix("↳ ").unwrap_or(line);
    let (mark, rest) = line.split_once(' ')?;
    if !["✔", "✘", "?", "-", "⧗", "~"].contains(&mark) {
        return None;
    }
    WORDS
        .iter()
        .find(|(word, _)| rest.starts_with(word))
        .map(|(_, status)| *status)
}

/// What a cut-short line stands for: results per status.
fn folded(line: &str) -> Option<Vec<(&'static str, usize)>> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("↳ … and ") {
        let (n, _) = rest.split_once(" more results blocked by ")?;
        return Some(vec![("blocked", n.parse().unwrap())]);
    }
    let rest = line
        .strip_prefix("… and ")
        .or_else(|| line.strip_prefix("… "))?;
    let (total, rest) = rest.split_once(' ')?;
    let total: usize = total.parse().unwrap();
    let after = rest.split('`').nth(2)?;
    let statuses = after.split(" (").next()?;
    let counts: Vec<(&'static str, usize)> = match statuses.strip_prefix(": ") {
        Some(list) => list
            .split(", ")
            .map(|part| {
                let (n, word) = part.split_once(' ').unwrap();
                let status = WORDS.iter().find(|(w, _)| *w == word).unwrap().1;
                (status, n.parse().unwrap())
            })
            .collect(),
        None => {
            let word = statuses.trim_start();
            vec![(WORDS.iter().find(|(w, _)| *w == word).unwrap().1, total)]
        }
    };
    assert_eq!(
        counts.iter().map(|(_, n)| n).sum::<usize>(),
        total,
        "{line}"
    );
    Some(counts)
}

#[test]
fn a_register_of_500_activities_is_cut_short_per_obligation() {
    let text = human(500);
    assert!(
        text.lines().count() < 1_000,
        "{} lines",
        text.lines().count()
    );
    snapshot("large_report_human", &text);
}

#[test]
fn the_shortened_report_accounts_for_every_result() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(check(dir.path(), 500, &[]).stdout).unwrap();
    let json: Value =
        serde_json::from_slice(&check(dir.path(), 500, &["--format", "json"]).stdout).unwrap();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cut = 0;
    for line in text.lines() {
        if let Some(status) = row_status(line) {
            *seen.entry(status).or_default() += 1;
        } else if let Some(counts) = folded(line) {
            cut += 1;
            for (status, n) in counts {
                *seen.entry(status).or_default() += n;
            }
        }
    }
    assert!(cut > 20, "{cut} cut-short lines");
    // In this declaration every blocked result has one cause, so each result is shown or
    // counted exactly once.
    let expected: BTreeMap<&str, usize> = WORDS
        .iter()
        .map(|(_, status)| (*status, json["summary"][status].as_u64().unwrap() as usize))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(seen, expected);
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("summary: "), "{summary}");
    for (word, status) in WORDS {
        assert!(
            summary.contains(&format!("{} {word}", json["summary"][status])),
            "{summary}"
        );
    }
}

#[test]
fn twenty_items_are_listed_in_full_and_twenty_one_are_cut_short() {
    let twenty = human(20);
    assert!(!twenty.contains('…'), "{twenty}");
    assert!(twenty.contains("dp.children [web-analytics-019]"));
    let twenty_one = human(21);
    assert!(
        twenty_one.contains("    … 21 items of `dp.children` not applicable\n"),
        "{twenty_one}"
    );
    // The first ten failing results are shown, the rest are counted.
    assert!(twenty_one.contains("dp.transparency.notice [customer-accounts-000]"));
    assert!(twenty_one.contains("dp.transparency.notice [web-analytics-009]"));
    assert!(!twenty_one.contains("dp.transparency.notice [customer-accounts-010]"));
    assert!(twenty_one.contains(
        "    … and 11 more items of `dp.transparency.notice` violated (use --format json \
         --results failing to list them all)\n"
    ));
}

#[test]
fn the_cut_short_lines_are_written_in_the_report_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), 21, &["--lang", "fr"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("    … 21 éléments de `dp.children` non applicable\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "    … et 11 autres éléments de `dp.transparency.notice` violée \
             (--format json --results failing les liste tous)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("more items"), "{text}");
}
