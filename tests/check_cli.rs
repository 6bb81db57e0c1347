//! `comply check` as its users rely on it: exit codes, the human report, the JSON report
//! and the options of `/work/shared/design/cli.md`, run on the shipped fixtures with the
//! built-in packs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod common;

use common::snapshot;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const AS_OF: &str = "2026-11-23";

const COMPLIANT: &str = "fixtures/compliant.yaml";
const VIOLATING: &str = "fixtures/violating.yaml";
const VIOLATING_JSON: &str = "fixtures/violating.json";
const INCOMPLETE: &str = "fixtures/incomplete.yaml";
const NOT_APPLICABLE: &str = "fixtures/not-applicable.yaml";

const STATUSES: [&str; 6] = [
    "satisfied",
    "violated",
    "unknown",
    "not_applicable",
    "blocked",
    "waived",
];
const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `comply check --as-of 2026-11-23 ARGS`, run from the crate root.
fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comply"));
    cmd.arg("check")
        .arg("--as-of")
        .arg(AS_OF)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1");
    cmd
}

fn check(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it is wrong.
#[track_caller]
fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// The JSON report of one declaration, and the exit code of that run.
fn json_report(args: &[&str]) -> (Value, i32) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = check(&all);
    let code = out.status.code().unwrap();
    assert!(
        (0..=3).contains(&code) && code != 2,
        "the run was refused:\n{}",
        stderr(&out)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), code)
}

fn results(report: &Value) -> &Vec<Value> {
    report["results"].as_array().unwrap()
}

fn with_status<'a>(report: &'a Value, status: &str) -> Vec<&'a Value> {
    results(report)
        .iter()
        .filter(|r| r["status"] == status)
        .collect()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// `obligation [item]`, as the human report writes a result.
fn shown_as(r: &Value) -> String {
    match r["item"].as_str() {
        Some(item) => format!("{} [{item}]", r["obligation"].as_str().unwrap()),
        None => r["obligation"].as_str().unwrap().to_string(),
    }
}

/// The line of the human report that shows result `r`.
fn line_of<'a>(human: &'a str, r: &Value) -> &'a str {
    let needle = format!("{} — ", shown_as(r));
    human
        .lines()
        .find(|l| l.contains(&needle))
        .unwrap_or_else(|| panic!("no line for `{}` in:\n{human}", shown_as(r)))
}

// ------------------------------------------------------------------ exit codes

#[test]
fn compliant_declaration_passes() {
    let out = check(&[COMPLIANT]);
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let human = stdout(&out);
    assert!(human.contains("Mekong Santé Hospital Group"), "{human}");
    assert!(human.contains("summary:"), "{human}");
    assert!(!human.contains("violated "), "{human}");
}

#[test]
fn violating_declaration_fails_and_lists_violations_with_reasons() {
    let out = check(&[VIOLATING]);
    assert_code(&out, 1);
    let human = stdout(&out);
    let (report, _) = json_report(&[VIOLATING]);
    let violated = with_status(&report, "violated");
    assert!(!violated.is_empty());
    for r in violated {
        let reasons = strings(&r["reasons"]);
        assert!(!reasons.is_empty(), "a violation gives its reason: {r}");
        assert!(
            line_of(&human, r).contains("violated"),
            "{}",
            line_of(&human, r)
        );
        for reason in reasons {
            assert!(
                human.contains(reason),
                "the reason `{reason}` of {} is not shown:\n{human}",
                shown_as(r)
            );
        }
    }
}

#[test]
fn blocked_result_names_its_root_cause() {
    let (report, _) = json_report(&[VIOLATING]);
    let human = stdout(&check(&[VIOLATING]));
    let blocked = with_status(&report, "blocked");
    assert!(
        !blocked.is_empty(),
        "the violating fixture has a blocked result"
    );
    for r in blocked {
        assert!(line_of(&human, r).contains("blocked"), "{human}");
        let by = strings(&r["blocked_by"]);
        assert!(!by.is_empty(), "{r}");
        for id in by {
            assert!(
                results(&report)
                    .iter()
                    .any(|o| o["obligation"] == id && o["status"] != "satisfied"),
                "{} is blocked by `{id}`, which is not failing",
                shown_as(r)
            );
        }
    }
}

#[test]
fn incomplete_declaration_is_undetermined_and_names_the_missing_paths() {
    let out = check(&[INCOMPLETE]);
    assert_code(&out, 3);
    let human = stdout(&out);
    let (report, _) = json_report(&[INCOMPLETE]);
    assert_eq!(report["summary"]["violated"], 0);
    assert_eq!(report["summary"]["blocked"], 0);
    let unknown = with_status(&report, "unknown");
    assert!(!unknown.is_empty());
    for r in unknown {
        let missing = strings(&r["missing"]);
        assert!(
            !missing.is_empty(),
            "an unknown result names what is missing: {r}"
        );
        assert!(
            line_of(&human, r).contains("unknown"),
            "{}",
            line_of(&human, r)
        );
        for path in missing {
            assert!(human.contains(path), "`{path}` is not shown:\n{human}");
        }
    }
    // Left out of the fixture on purpose (see its header).
    let all_missing: BTreeSet<&str> = results(&report)
        .iter()
        .flat_map(|r| strings(&r["missing"]))
        .collect();
    assert!(
        all_missing.contains("incidents[MF-2026-03].aware_at"),
        "{all_missing:?}"
    );
}

#[test]
fn allow_unknown_turns_undetermined_into_a_pass() {
    assert_code(&check(&["--allow-unknown", INCOMPLETE]), 0);
    // It never hides a violation.
    assert_code(&check(&["--allow-unknown", VIOLATING]), 1);
}

#[test]
fn nothing_applied_is_not_a_pass() {
    let out = check(&[NOT_APPLICABLE]);
    assert_code(&out, 3);
    let human = stdout(&out);
    assert!(human.contains("no obligation applied"), "{human}");
    let (report, _) = json_report(&[NOT_APPLICABLE]);
    let s = &report["summary"];
    for status in ["satisfied", "violated", "unknown", "blocked", "waived"] {
        assert_eq!(s[status], 0, "{s}");
    }
    // Every result says why it does not apply.
    for r in results(&report) {
        assert!(line_of(&human, r).contains("not applicable"));
    }
}

#[test]
fn allow_empty_accepts_a_run_where_nothing_applied() {
    let out = check(&["--allow-empty", NOT_APPLICABLE]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("no obligation applied"));
    // Neither --allow-unknown nor --fail-on never stand in for it.
    assert_code(&check(&["--allow-unknown", NOT_APPLICABLE]), 3);
    assert_code(&check(&["--fail-on", "never", NOT_APPLICABLE]), 3);
}

#[test]
fn fail_on_never_passes_a_violating_declaration() {
    let out = check(&["--fail-on", "never", VIOLATING]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("violated"));
}

fn rank(severity: &str) -> usize {
    SEVERITIES
        .iter()
        .position(|s| *s == severity)
        .unwrap_or_else(|| panic!("unknown severity `{severity}`"))
}

/// The exit code the contract calls for, worked out from a JSON report.
fn expected_code(report: &Value, fail_on: &str, allow_unknown: bool) -> i32 {
    let at_or_above =
        |r: &&Value| fail_on != "never" && rank(r["severity"].as_str().unwrap()) <= rank(fail_on);
    let failing = |statuses: &[&str]| {
        results(report)
            .iter()
            .filter(|r| statuses.contains(&r["status"].as_str().unwrap()))
            .any(|r| at_or_above(&r))
    };
    let applicable = results(report)
        .iter()
        .filter(|r| r["status"] != "not_applicable")
        .count();
    if failing(&["violated", "blocked"]) {
        1
    } else if (failing(&["unknown"]) && !allow_unknown) || applicable == 0 {
        3
    } else {
        0
    }
}

#[test]
fn fail_on_follows_the_severities() {
    for decl in [COMPLIANT, VIOLATING, INCOMPLETE, NOT_APPLICABLE] {
        let (report, _) = json_report(&[decl]);
        for fail_on in ["critical", "high", "medium", "low", "never"] {
            let out = check(&["--fail-on", fail_on, decl]);
            assert_eq!(
                out.status.code(),
                Some(expected_code(&report, fail_on, false)),
                "--fail-on {fail_on} {decl}"
            );
            let out = check(&["--fail-on", fail_on, "--allow-unknown", decl]);
            assert_eq!(
                out.status.code(),
                Some(expected_code(&report, fail_on, true)),
                "--fail-on {fail_on} --allow-unknown {decl}"
            );
        }
    }
}

#[test]
fn fail_on_threshold_on_a_single_obligation() {
    // dp.accountability is a medium obligation, violated in the violating fixture.
    let (report, _) = json_report(&["--only", "dp.accountability", VIOLATING]);
    let rows = results(&report);
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["status"], "violated");
    assert_eq!(rows[0]["severity"], "medium");
    for (fail_on, code) in [
        ("critical", 0),
        ("high", 0),
        ("medium", 1),
        ("low", 1),
        ("never", 0),
    ] {
        let out = check(&[
            "--only",
            "dp.accountability",
            "--fail-on",
            fail_on,
            VIOLATING,
        ]);
        assert_eq!(out.status.code(), Some(code), "--fail-on {fail_on}");
    }
    // The default threshold is high.
    assert_code(&check(&["--only", "dp.accountability", VIOLATING]), 0);
}

#[test]
fn fail_on_critical_still_fails_on_a_critical_violation() {
    let (report, _) = json_report(&[VIOLATING]);
    assert!(results(&report)
        .iter()
        .any(|r| r["status"] == "violated" && r["severity"] == "critical"));
    assert_code(&check(&["--fail-on", "critical", VIOLATING]), 1);
}

// ------------------------------------------------------------------ JSON report

#[test]
fn json_report_has_every_field_of_the_contract() {
    let (report, code) = json_report(&[VIOLATING]);
    assert_eq!(code, 1);

    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "comply");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["as_of"], AS_OF);

    let packs = report["packs"].as_array().unwrap();
    let ids: Vec<&str> = packs.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"dp") && ids.contains(&"health"), "{ids:?}");
    for p in packs {
        assert!(!p["version"].as_str().unwrap().is_empty(), "{p}");
        let digest = p["digest"].as_str().unwrap();
        let hex = digest
            .strip_prefix("sha256:")
            .unwrap_or_else(|| panic!("{digest}"));
        assert_eq!(hex.len(), 64, "{digest}");
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{digest}");
    }

    assert_eq!(report["declaration"]["path"], VIOLATING);
    assert_eq!(
        report["declaration"]["organisation"],
        "Tonle Market Co., Ltd."
    );

    let rows = results(&report);
    assert!(!rows.is_empty());
    for r in rows {
        let obligation = r["obligation"].as_str().unwrap();
        assert!(
            ids.iter()
                .any(|id| obligation.starts_with(&format!("{id}."))),
            "{obligation}"
        );
        assert!(r["item"].is_null() || r["item"].is_string(), "{r}");
        assert!(STATUSES.contains(&r["status"].as_str().unwrap()), "{r}");
        assert!(SEVERITIES.contains(&r["severity"].as_str().unwrap()), "{r}");
        assert!(!r["title"].as_str().unwrap().is_empty(), "{r}");
        assert!(r["citation"].is_string(), "{r}");
        for list in ["reasons", "missing", "blocked_by"] {
            strings(&r[list]);
        }
        assert!(r.get("waiver").is_some(), "{r}");
        assert!(r["waiver"].is_null() || r["waiver"].is_object(), "{r}");
    }
    // Organisation-level obligations have no item; per-item ones name theirs.
    let register = rows
        .iter()
        .find(|r| r["obligation"] == "dp.register")
        .unwrap();
    assert!(register["item"].is_null());
    assert!(rows.iter().any(|r| r["item"].is_string()));
    assert!(rows
        .iter()
        .any(|r| r["citation"].as_str().unwrap().contains("GDPR")));

    // The summary counts the results, all six statuses.
    let summary = report["summary"].as_object().unwrap();
    for status in STATUSES {
        let counted = rows.iter().filter(|r| r["status"] == status).count();
        assert_eq!(
            summary[status].as_u64(),
            Some(counted as u64),
            "summary.{status}"
        );
    }
}

#[test]
fn json_report_is_deterministic() {
    for decl in [VIOLATING, INCOMPLETE] {
        let a = check(&["--format", "json", decl]);
        let b = check(&["--format", "json", decl]);
        assert!(!a.stdout.is_empty());
        assert_eq!(a.stdout, b.stdout, "{decl}: two runs differ");
    }
    let a = check(&[VIOLATING]);
    let b = check(&[VIOLATING]);
    assert_eq!(a.stdout, b.stdout, "the human report differs between runs");
}

/// Leaves out what names the file rather than the facts: the declaration path, and the
/// line of each result's item in that file.
fn without_file_positions(mut report: Value) -> Value {
    report["declaration"]
        .as_object_mut()
        .unwrap()
        .remove("path");
    for r in report["results"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("line");
    }
    report
}

#[test]
fn json_and_yaml_declarations_give_the_same_report() {
    let (yaml, yaml_code) = json_report(&[VIOLATING]);
    let (json, json_code) = json_report(&[VIOLATING_JSON]);
    assert_eq!(yaml_code, json_code);
    assert_eq!(json["declaration"]["path"], VIOLATING_JSON);
    let (yaml, json) = (without_file_positions(yaml), without_file_positions(json));
    if yaml != json {
        let y = serde_json::to_string_pretty(&yaml).unwrap();
        let j = serde_json::to_string_pretty(&json).unwrap();
        let first = y
            .lines()
            .zip(j.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!("the reports differ; first difference (line, yaml, json): {first:?}");
    }
}

// ------------------------------------------------------------------ several declarations

fn copy_fixtures(dir: &Path, names: &[&str]) {
    for name in names {
        std::fs::copy(root().join("fixtures").join(name), dir.join(name)).unwrap();
    }
}

#[test]
fn folder_of_declarations_gives_one_row_per_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "compliant.yaml",
        "incomplete.yaml",
        "not-applicable.yaml",
        "violating.json",
        "violating.yaml",
    ];
    copy_fixtures(dir.path(), &names);
    let folder = dir.path().to_str().unwrap();
    let out = check(&[folder]);
    // A violation anywhere is the worst outcome.
    assert_code(&out, 1);
    let table = stdout(&out);
    for name in names {
        let rows = table.lines().filter(|l| l.contains(name)).count();
        assert_eq!(rows, 1, "one row for {name}:\n{table}");
    }
    for organisation in [
        "Mekong Santé Hospital Group Co., Ltd.",
        "Sokha Microfinance Plc.",
        "Mekong Solar Holdings Co., Ltd.",
        "Tonle Market Co., Ltd.",
    ] {
        assert!(table.contains(organisation), "{organisation}:\n{table}");
    }

    let snapshot_table = table.replace(folder, "[FOLDER]");
    snapshot("check_folder_table", &snapshot_table);

    // The JSON form has one report per declaration, in file-name order.
    let out = check(&["--format", "json", folder]);
    assert_code(&out, 1);
    let batch: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = batch["reports"].as_array().unwrap();
    assert_eq!(reports.len(), names.len());
    for (report, name) in reports.iter().zip(names) {
        let path = report["declaration"]["path"].as_str().unwrap();
        assert!(path.ends_with(name), "{path} for {name}");
    }
    for status in STATUSES {
        let total: u64 = reports
            .iter()
            .map(|r| r["summary"][status].as_u64().unwrap())
            .sum();
        assert_eq!(batch["summary"][status].as_u64(), Some(total), "{status}");
    }
}

#[test]
fn folder_exit_code_is_the_worst_of_its_declarations() {
    for (names, code) in [
        (&["compliant.yaml"][..], 0),
        (&["compliant.yaml", "incomplete.yaml"][..], 3),
        (&["compliant.yaml", "not-applicable.yaml"][..], 3),
        (&["incomplete.yaml", "violating.yaml"][..], 1),
        (&["compliant.yaml", "violating.json"][..], 1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        copy_fixtures(dir.path(), names);
        let out = check(&[dir.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(code), "folder of {names:?}");
    }
}

/// A link back to the folder (`self -> .`) is not walked again: each declaration is
/// one organisation, however many routes lead to it.
#[cfg(unix)]
#[test]
fn folder_with_a_link_to_itself_checks_each_declaration_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixtures(dir.path(), &["compliant.yaml", "violating.yaml"]);
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    let out = check(&["--format", "json", dir.path().to_str().unwrap()]);
    assert_code(&out, 1);
    assert_eq!(stderr(&out), "");
    let batch: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = batch["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["declaration"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("compliant.yaml") && !paths[0].contains("self"));
    assert!(paths[1].ends_with("violating.yaml") && !paths[1].contains("self"));
}

#[test]
fn a_declaration_named_twice_is_checked_once() {
    let out = check(&["--format", "json", COMPLIANT, &format!("./{COMPLIANT}")]);
    assert_code(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report.get("reports").is_none(),
        "a batch of one file: {report:#}"
    );
    assert!(report["declaration"]["path"].as_str().unwrap() == COMPLIANT);
}

/// A link back to a folder of packs, or to a pack folder, is not walked again: the pack
/// is loaded once, not once per route (which made "a pack has two manifests").
#[cfg(unix)]
#[test]
fn rule_folder_with_links_to_itself_loads_each_pack_once() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("graph");
    std::fs::create_dir(&pack).unwrap();
    for entry in std::fs::read_dir(root().join("tests/packs/graph")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), pack.join(entry.file_name())).unwrap();
    }
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    std::os::unix::fs::symlink(".", pack.join("self")).unwrap();
    for rules in [dir.path(), pack.as_path()] {
        let out = command(&[
            "--no-default-rules",
            "tests/packs/graph-decls/satisfied.yaml",
        ])
        .arg("--rules")
        .arg(rules)
        .output()
        .unwrap();
        assert_code(&out, 0);
        assert_eq!(stderr(&out), "", "rules from {}", rules.display());
    }
}

// ------------------------------------------------------------------ options

#[test]
fn lang_fr_shows_french_titles() {
    let out = check(&["--lang", "fr", VIOLATING]);
    assert_code(&out, 1);
    let human = stdout(&out);
    assert!(
        human.contains("Notifier une violation de données à l'autorité dans les 72 heures"),
        "{human}"
    );
    assert!(
        !human.contains("Notify a personal data breach to the authority within 72 hours"),
        "{human}"
    );

    let (en, _) = json_report(&[VIOLATING]);
    let (fr, _) = json_report(&["--lang", "fr", VIOLATING]);
    let notify = |report: &Value| {
        results(report)
            .iter()
            .find(|r| r["obligation"] == "dp.breach.notify_authority")
            .map(|r| r["title"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(
        notify(&fr),
        "Notifier une violation de données à l'autorité dans les 72 heures"
    );
    assert_eq!(
        notify(&en),
        "Notify a personal data breach to the authority within 72 hours"
    );
    // The verdicts do not depend on the language.
    let statuses = |r: &Value| -> Vec<String> {
        results(r)
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(statuses(&en), statuses(&fr));
}

#[test]
fn lang_without_translations_falls_back_to_english() {
    // The packs have no Khmer texts: titles and reasons are the English ones.
    let (en, _) = json_report(&[VIOLATING]);
    let (km, code) = json_report(&["--lang", "km", VIOLATING]);
    assert_eq!(code, 1);
    let texts = |report: &Value| -> Vec<(String, String)> {
        results(report)
            .iter()
            .map(|r| (r["title"].to_string(), r["reasons"].to_string()))
            .collect()
    };
    assert_eq!(texts(&en), texts(&km));
}

#[test]
fn no_colour_when_stdout_is_not_a_terminal() {
    let out = command(&[VIOLATING])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(!out.stdout.is_empty());
    assert!(
        !out.stdout.contains(&0x1b),
        "ANSI escapes in piped output:\n{}",
        stdout(&out)
    );
    assert!(!out.stderr.contains(&0x1b));
}

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [("json", "report.json"), ("human", "report.txt")] {
        let file = dir.path().join(name);
        let out = check(&[
            "--format",
            format,
            "--output",
            file.to_str().unwrap(),
            VIOLATING,
        ]);
        assert_code(&out, 1);
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
        assert!(out.stderr.is_empty(), "{}", stderr(&out));
        let written = std::fs::read(&file).unwrap();
        let printed = check(&["--format", format, VIOLATING]).stdout;
        assert_eq!(
            written, printed,
            "--format {format}: the file differs from stdout"
        );
    }
}

#[test]
fn only_keeps_matching_obligations() {
    let (report, code) = json_report(&["--only", "dp.breach.*", VIOLATING]);
    assert_eq!(code, 1, "the breach obligations are violated");
    let rows = results(&report);
    assert!(!rows.is_empty());
    for r in rows {
        let id = r["obligation"].as_str().unwrap();
        assert!(id.starts_with("dp.breach."), "{id}");
    }
    let (all, _) = json_report(&[VIOLATING]);
    let expected = results(&all)
        .iter()
        .filter(|r| r["obligation"].as_str().unwrap().starts_with("dp.breach."))
        .count();
    assert_eq!(rows.len(), expected);
    for status in STATUSES {
        let counted = rows.iter().filter(|r| r["status"] == status).count() as u64;
        assert_eq!(
            report["summary"][status].as_u64(),
            Some(counted),
            "{status}"
        );
    }

    let human = stdout(&check(&["--only", "dp.breach.*", VIOLATING]));
    assert!(human.contains("dp.breach.notify_authority"), "{human}");
    assert!(!human.contains("dp.dpia"), "{human}");
    assert!(!human.contains("dp.register"), "{human}");
}

// ------------------------------------------------------------------ snapshots

#[test]
fn human_report_of_violating_declaration() {
    let out = check(&[VIOLATING]);
    assert_code(&out, 1);
    snapshot("check_violating_human", &stdout(&out));
}

#[test]
fn json_report_of_violating_declaration() {
    let out = check(&["--format", "json", VIOLATING]);
    assert_code(&out, 1);
    snapshot("check_violating_json", &stdout(&out));
}

#[test]
fn results_failing_lists_only_what_calls_for_action_but_counts_everything() {
    let args = ["fixtures/violating.yaml"];
    let (all, all_code) = json_report(&args);
    let (failing, failing_code) = json_report(&[&args[..], &["--results", "failing"]].concat());
    assert_eq!(
        all_code, failing_code,
        "the exit code does not depend on what is listed"
    );
    assert_eq!(all["summary"], failing["summary"]);
    let expected: Vec<&Value> = results(&all)
        .iter()
        .filter(|r| {
            ["violated", "unknown", "blocked"].contains(&r["status"].as_str().unwrap_or(""))
        })
        .collect();
    assert!(!expected.is_empty());
    assert!(expected.len() < results(&all).len());
    assert_eq!(results(&failing).iter().collect::<Vec<_>>(), expected);
}

#[test]
fn results_takes_failing_or_all_only() {
    let out = check(&["fixtures/violating.yaml", "--results", "some"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--results"), "{}", stderr(&out));
}

#[test]
fn a_value_the_rules_cannot_compute_is_unknown_with_its_place_and_nothing_to_declare() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir(&pack).unwrap();
    let write = |name: &str, text: &str| std::fs::write(pack.join(name), text).unwrap();
    write(
        "pack.comply",
        "pack hr { title \"Staff\" version \"1\" }\n\
         instrument labour \"Labour Law\"\n\
         extend Declaration { organisation: Organisation }\n\
         record Organisation { employees: int  sites: int }\n\
         obligation hr.staffing {\n  cite labour \"art. 1\"\n  severity high\n  \
         require staff_per_site(organisation) >= 3\n}\n",
    );
    write(
        "ratios.comply",
        "# Ratios used by the staffing rules.\n\
         define staff_per_site(o: Organisation) =\n  o.employees / o.sites\n",
    );
    let decl = dir.path().join("decl.yaml");
    std::fs::write(&decl, "organisation: {employees: 12, sites: 0}\n").unwrap();
    let rules = pack.to_str().unwrap();
    let args = [
        "--no-default-rules",
        "--rules",
        rules,
        decl.to_str().unwrap(),
    ];

    let (report, code) = json_report(&args);
    assert_eq!(code, 3, "an unknown result is undetermined");
    let r = &results(&report)[0];
    assert_eq!(r["status"], "unknown");
    let reasons = strings(&r["reasons"]);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    let expected = format!("{rules}/ratios.comply:3:3: division by zero");
    assert_eq!(reasons[0], expected);
    assert!(strings(&r["missing"]).is_empty(), "nothing to declare");

    let mut french = vec!["--lang", "fr"];
    french.extend_from_slice(&args);
    let out = check(&french);
    assert_code(&out, 3);
    assert!(
        stdout(&out).contains("ratios.comply:3:3 : division par zéro"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_folder_of_one_declaration_counts_one_organisation() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixtures(dir.path(), &["compliant.yaml"]);
    let out = check(&[dir.path().to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("summary: 1 organisation — "),
        "{}",
        stdout(&out)
    );
}
