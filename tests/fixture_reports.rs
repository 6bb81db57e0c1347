//! The reports of the six organisation fixtures (issue 4, item 7): a hospital group, a
//! microfinance institution, an e-commerce marketplace, a ministry, a telecom operator and
//! a cloud provider, each checked with the built-in packs. Each has a snapshot of its
//! human report and of its JSON results summarised as `obligation [item] status`, so a
//! change to a pack shows up as a reviewable change of each organisation's story.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod common;

use common::snapshot;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

const AS_OF: &str = "2026-11-23";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `NO_COLOR=1 comply check --as-of 2026-11-23 ARGS`, run from the crate root.
fn check(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_comply"))
        .arg("check")
        .arg("--as-of")
        .arg(AS_OF)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code and that nothing was written to stderr (no diagnostic).
#[track_caller]
fn assert_clean(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
    assert!(
        out.stderr.is_empty(),
        "the declaration produced diagnostics:\n{}",
        stderr(out)
    );
}

/// One line per result of the JSON report, `status  obligation [item]`, in report order,
/// then the count per status.
fn summarise(report: &Value) -> String {
    let results = report["results"].as_array().unwrap();
    let mut text = String::new();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in results {
        let status = r["status"].as_str().unwrap();
        let obligation = r["obligation"].as_str().unwrap();
        match r["item"].as_str() {
            Some(item) => writeln!(text, "{status:<15} {obligation} [{item}]").unwrap(),
            None => writeln!(text, "{status:<15} {obligation}").unwrap(),
        }
        match counts.iter_mut().find(|(s, _)| s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status.to_string(), 1)),
        }
    }
    counts.sort();
    text.push('\n');
    for (status, n) in counts {
        writeln!(text, "{status}: {n}").unwrap();
    }
    text
}

/// Checks `fixture` with the human and the JSON report, asserts both exit with `code`
/// and no diagnostic, and snapshots both as `fixture_<name>_human` and
/// `fixture_<name>_results`.
fn fixture_report(name: &str, fixture: &str, code: i32) {
    let human = check(&[fixture]);
    assert_clean(&human, code);
    snapshot(&format!("fixture_{name}_human"), &stdout(&human));

    let json = check(&["--format", "json", fixture]);
    assert_clean(&json, code);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    snapshot(&format!("fixture_{name}_results"), &summarise(&report));
}

/// A private hospital group meeting every applicable obligation.
#[test]
fn hospital() {
    fixture_report("hospital", "fixtures/compliant.yaml", 0);
}

/// A microfinance institution whose declaration leaves facts out: unknown results.
#[test]
fn microfinance() {
    fixture_report("microfinance", "fixtures/incomplete.yaml", 3);
}

/// An e-commerce marketplace with violations.
#[test]
fn e_commerce() {
    fixture_report("e_commerce", "fixtures/violating.yaml", 1);
}

/// A central ministry with citizen e-services: sovereign hosting, e-signature and eID
/// levels, inter-agency sharing, algorithmic transparency.
#[test]
fn ministry() {
    fixture_report("ministry", "fixtures/ministry.yaml", 1);
}

/// A mobile operator, NIS2 essential entity: incident reporting deadlines and breaches.
#[test]
fn telecom_operator() {
    fixture_report("telecom_operator", "fixtures/telecom-operator.yaml", 1);
}

/// A cloud provider: Data Act switching terms per offer, data centres, sovereign label.
#[test]
fn cloud_provider() {
    fixture_report("cloud_provider", "fixtures/cloud-provider.yaml", 1);
}
