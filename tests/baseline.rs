//! Baselines (`--baseline REPORT.json`): only results not already failing in an earlier
//! JSON report fail the run; findings are matched by obligation, item and declaration
//! path, never by line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod support_ci;

use serde_json::Value;
use support_ci::*;

/// Runs `check` on `decl` (a copy of acme.yaml edited by `edit`) in a temporary folder,
/// run from the crate root with the path as given.
fn declaration(dir: &std::path::Path, edit: impl Fn(String) -> String) -> String {
    let text = std::fs::read_to_string(root().join(ACME)).unwrap();
    let path = write(dir, "acme.yaml", &edit(text));
    path.to_str().unwrap().to_string()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_old_failure_passes_and_a_new_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let decl = declaration(dir.path(), |t| t);
    let old = check_ci(&[&decl, "--format", "json"]);
    assert_code(&old, 1);
    let baseline = write(dir.path(), "baseline.json", &stdout(&old));
    let baseline = baseline.to_str().unwrap();

    // Nothing new: every failure is carried over and the run passes.
    let same = check_ci(&[&decl, "--baseline", baseline, "--format", "json"]);
    assert_code(&same, 0);
    let r = json(&same);
    assert_eq!(r["baseline"]["carried_over"], 5);
    assert_eq!(r["baseline"]["new"], 0);
    // The results are still reported as they are.
    assert_eq!(r["summary"]["violated"], 3);

    // The declaration is edited: lines move, and a supplier that was fine loses its
    // contract. The old findings stay carried over; the new one fails the run.
    let moved = declaration(dir.path(), |t| {
        t.replace(
            "suppliers:\n",
            "# A comment that moves every line below.\n\nsuppliers:\n",
        )
        .replace(
            "    name: PayRight\n    contract_signed: true",
            "    name: PayRight\n    contract_signed: false",
        )
    });
    let out = check_ci(&[&moved, "--baseline", baseline, "--format", "json"]);
    assert_code(&out, 1);
    let r = json(&out);
    assert_eq!(r["baseline"]["carried_over"], 5);
    assert_eq!(
        r["baseline"]["new"], 2,
        "PayRight's contract and its blocked assessment"
    );
    let new: Vec<String> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            ["violated", "blocked", "unknown"].contains(&x["status"].as_str().unwrap())
                && x.get("carried_over").is_none()
        })
        .map(|x| format!("{} {}", x["obligation"], x["item"]))
        .collect();
    assert_eq!(
        new,
        vec![r#""s.assessment" "payright""#, r#""s.contract" "payright""#]
    );

    // Every format says how many were carried over.
    let human = check_ci(&[&moved, "--baseline", baseline]);
    assert!(
        stdout(&human).contains("5 failing result(s) carried over, 2 new"),
        "{}",
        stdout(&human)
    );
    let md = check_ci(&[&moved, "--baseline", baseline, "--format", "markdown"]);
    assert!(
        stdout(&md).contains("5 failing result(s) carried over"),
        "{}",
        stdout(&md)
    );
    let sarif = json(&check_ci(&[
        &moved,
        "--baseline",
        baseline,
        "--format",
        "sarif",
    ]));
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 2);
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 5);
}

#[test]
fn a_finding_of_another_declaration_is_not_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let old = check_ci(&[ACME, "--format", "json"]);
    let baseline = write(dir.path(), "baseline.json", &stdout(&old));
    // The same content under another path is another organisation.
    let other = declaration(dir.path(), |t| t);
    let out = check_ci(&[
        &other,
        "--baseline",
        baseline.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["baseline"]["carried_over"], 0);
    // `./path` and `path` are the same declaration.
    let dotted = format!("./{ACME}");
    let out = check_ci(&[&dotted, "--baseline", baseline.to_str().unwrap()]);
    assert_code(&out, 0);
}

#[test]
fn a_folder_baseline_works_for_a_folder_run() {
    let dir = tempfile::tempdir().unwrap();
    let old = comply(&["check", "--as-of", AS_OF, "fixtures", "--format", "json"]);
    let baseline = write(dir.path(), "baseline.json", &stdout(&old));
    let out = comply(&[
        "check",
        "--as-of",
        AS_OF,
        "fixtures",
        "--baseline",
        baseline.to_str().unwrap(),
        "--allow-unknown",
        "--allow-empty",
    ]);
    assert_code(&out, 0);
}

#[test]
fn a_baseline_that_is_not_a_report_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [
        ("truncated.json", "{\"schema_version\": 1, \"results\": ["),
        ("other.json", "{\"name\": \"not a report\"}"),
        ("future.json", "{\"schema_version\": 99, \"results\": []}"),
    ] {
        let path = write(dir.path(), name, body);
        let out = check_ci(&[ACME, "--baseline", path.to_str().unwrap()]);
        assert_code(&out, 2);
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert!(err.contains("comply::baseline::invalid"), "{name}: {err}");
        assert!(err.contains("help:"), "{name}: {err}");
    }
    let path = write(
        dir.path(),
        "truncated.json",
        "{\"schema_version\": 1, \"results\": [",
    );
    let err = stderr(&check_ci(&[ACME, "--baseline", path.to_str().unwrap()]))
        .replace(path.to_str().unwrap(), "[BASELINE]");
    snapshot("baseline_truncated", &err);
}
