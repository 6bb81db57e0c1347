//! `comply diff` as a regulator relies on it: a semantic comparison of two versions of a
//! pack, and the impact of the new version on a population of organisations.
//!
//! The test pack `tests/packs/diff/` is a small personal data protection law (pack `pdp`,
//! built on the built-in `core` pack) in two versions: in `v2` the DPO threshold falls
//! from 250 to 100 employees, an erasure-limit obligation is added, the training duty is
//! repealed, the register's severity is raised, a consent citation moves and a field is
//! added. `v1-reformatted` is `v1` laid out differently, in one file, with clauses and
//! declarations reordered and variables renamed. The impact runs over twelve declarations
//! written by [`organisations`], a deterministic generator whose figures the tests
//! recompute independently.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const AS_OF: &str = "2026-11-23";
const V1: &str = "tests/packs/diff/v1";
const V2: &str = "tests/packs/diff/v2";
const V1_REFORMATTED: &str = "tests/packs/diff/v1-reformatted";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `comply diff ARGS`, run from the crate root.
fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comply"))
        .arg("diff")
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

/// Redactions: the tool version, pack digests (which change with every edit of a rule
/// file; their form is tested below) and the temporary folder of declarations.
fn snapshot(name: &str, text: &str, decls: Option<&Path>) {
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    let mut filters = vec![
        (
            format!(r#"("name": "comply",\s*"version": )"{version}""#),
            r#"$1"[VERSION]""#.to_string(),
        ),
        (
            "sha256:[0-9a-f]{64}".to_string(),
            "sha256:[DIGEST]".to_string(),
        ),
    ];
    if let Some(d) = decls {
        filters.push((
            regex_escape(&d.display().to_string()),
            "[DECLS]".to_string(),
        ));
    }
    let filters: Vec<(&str, &str)> = filters
        .iter()
        .map(|(re, by)| (re.as_str(), by.as_str()))
        .collect();
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        filters => filters,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------------ the generator

/// One processing activity of a generated organisation.
struct Activity {
    sensitive: bool,
    explicit_consent: bool,
    abroad: bool,
    safeguards: Option<bool>,
    erasure_limit: bool,
}

/// A generated organisation: what it declares.
struct Organisation {
    employees: i64,
    /// `None`: not stated (the facts depending on it are unknown).
    controller: Option<bool>,
    /// A designated DPO, and whether the authority was told.
    officer: Option<bool>,
    record_of_processing: bool,
    staff_trained: bool,
    activities: Vec<Activity>,
}

/// Twelve organisations, from 35 to 1,500 employees, with every combination the test
/// pack turns on; deterministic, so the figures are stable.
fn organisations() -> Vec<Organisation> {
    let headcounts = [35, 80, 100, 120, 160, 199, 240, 249, 250, 320, 800, 1500];
    headcounts
        .iter()
        .enumerate()
        .map(|(i, &employees)| Organisation {
            employees,
            // One organisation leaves its controller status unstated; two are not
            // controllers.
            controller: if i == 10 { None } else { Some(i % 6 != 1) },
            officer: (i % 4 == 0).then_some(i % 8 == 0),
            record_of_processing: i % 3 != 2,
            staff_trained: i % 2 == 0,
            activities: (0..i % 3)
                .map(|j| Activity {
                    sensitive: (i + j) % 2 == 0,
                    explicit_consent: (i + j) % 3 == 0,
                    abroad: j == 1,
                    safeguards: (j == 1 && i % 2 == 0).then_some(true),
                    erasure_limit: (i + j) % 4 != 3,
                })
                .collect(),
        })
        .collect()
}

/// The declaration of one organisation, in YAML. It states every fact of both versions:
/// `staff_trained` (only v1 has it) and `erasure_limit` (only v2 has it).
fn yaml(n: usize, o: &Organisation) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "organisation:");
    let _ = writeln!(y, "  name: Organisation {n:02}");
    let _ = writeln!(y, "  country: KH");
    let _ = writeln!(y, "  employees: {}", o.employees);
    let _ = writeln!(y, "  public_authority: false");
    if let Some(c) = o.controller {
        let _ = writeln!(y, "  controller: {c}");
    }
    if let Some(notified) = o.officer {
        let _ = writeln!(
            y,
            "  privacy_officer:\n    name: DPO of organisation {n:02}"
        );
        let _ = writeln!(y, "    notified: {notified}");
    }
    if o.record_of_processing {
        let _ = writeln!(y, "  record_of_processing:\n    ref: REG-{n:02}");
        let _ = writeln!(y, "    collected: 2026-01-15");
    }
    let _ = writeln!(y, "  staff_trained: {}", o.staff_trained);
    if o.activities.is_empty() {
        let _ = writeln!(y, "activities: []");
    } else {
        let _ = writeln!(y, "activities:");
    }
    for (j, a) in o.activities.iter().enumerate() {
        let _ = writeln!(y, "  - id: activity-{}", j + 1);
        let _ = writeln!(y, "    name: Activity {} of organisation {n:02}", j + 1);
        let _ = writeln!(y, "    sensitive: {}", a.sensitive);
        let _ = writeln!(y, "    explicit_consent: {}", a.explicit_consent);
        let _ = writeln!(y, "    abroad: {}", a.abroad);
        if let Some(s) = a.safeguards {
            let _ = writeln!(y, "    safeguards: {s}");
        }
        if a.erasure_limit {
            let _ = writeln!(y, "    erasure_limit: 5y");
        }
    }
    y
}

/// Writes the generated declarations into a fresh temporary folder.
fn generated() -> (tempfile::TempDir, Vec<Organisation>) {
    let dir = tempfile::tempdir().unwrap();
    let orgs = organisations();
    for (i, o) in orgs.iter().enumerate() {
        let path = dir.path().join(format!("org-{:02}.yaml", i + 1));
        std::fs::write(path, yaml(i + 1, o)).unwrap();
    }
    (dir, orgs)
}

fn impact_json(decls: &Path) -> (Value, i32) {
    let out = diff(&[
        V1,
        V2,
        "--decl",
        decls.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}\nstdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out)));
    (v, code)
}

fn obligation_impact<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["impact"]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"] == id)
        .unwrap_or_else(|| panic!("no impact figures for {id}"))
}

// ------------------------------------------------------------ the comparison

#[test]
fn two_versions_human() {
    let out = diff(&[V1, V2]);
    assert_code(&out, 1);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    snapshot("diff_v1_v2_human", &stdout(&out), None);
}

/// Run with only the pack the test pack requires, so that the `context` of the receipt
/// does not change whenever a built-in pack is added.
#[test]
fn two_versions_json() {
    let out = diff(&[
        V1,
        V2,
        "--format",
        "json",
        "--no-default-rules",
        "--rules",
        "rules/core",
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["difference"], true);
    assert_eq!(v["context"][0]["id"], "core");
    assert_eq!(v["left_out"], serde_json::json!([]));
    for side in ["old", "new"] {
        let digest = v[side]["packs"][0]["digest"].as_str().unwrap();
        assert!(
            digest.starts_with("sha256:") && digest.len() == 71,
            "{digest}"
        );
    }
    snapshot("diff_v1_v2_json", &text, None);
}

#[test]
fn two_versions_markdown() {
    let out = diff(&[V1, V2, "--format", "markdown"]);
    assert_code(&out, 1);
    snapshot("diff_v1_v2_markdown", &stdout(&out), None);
}

#[test]
fn the_threshold_change_is_shown_old_to_new_as_written() {
    let out = diff(&[V1, V2, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let dpo = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "pdp.dpo")
        .unwrap();
    assert_eq!(dpo["state"], "changed");
    assert_eq!(
        dpo["changes"],
        serde_json::json!([{
            "aspect": "applies_when",
            "old": "organisation.employees >= 250",
            "new": "organisation.employees >= 100",
        }])
    );
    // pdp.transfer is laid out differently in v2, with its variable renamed: no change.
    let names: Vec<&str> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"pdp.transfer"), "{names:?}");
    assert!(!names.contains(&"pdp.dpo.notify"), "{names:?}");
}

#[test]
fn a_pure_reformatting_is_no_difference() {
    let out = diff(&[V1, V1_REFORMATTED]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("no difference: the two versions mean the same"),
        "{}",
        stdout(&out)
    );
    let out = diff(&[V1_REFORMATTED, V1, "--format", "json"]);
    assert_code(&out, 0);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["difference"], false);
    for section in ["obligations", "predicates", "shape", "instruments", "packs"] {
        assert_eq!(v[section], serde_json::json!([]), "{section}");
    }
}

/// Every built-in pack, its files concatenated into one in reverse order and every line
/// indented differently, means the same as the original.
#[test]
fn reorganised_built_in_packs_are_no_difference() {
    let dir = tempfile::tempdir().unwrap();
    let rules = root().join("rules");
    let mut packs: Vec<PathBuf> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    packs.sort();
    for pack in packs {
        let mut files = Vec::new();
        collect_rule_files(&pack, &mut files);
        files.reverse();
        let mut all = String::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            all.push_str(&format!("\n\n# from {}\n", f.display()));
            all.push_str(&text);
        }
        let target = dir.path().join(pack.file_name().unwrap());
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("all.comply"), all).unwrap();
    }
    let out = diff(&["rules", dir.path().to_str().unwrap()]);
    assert_code(&out, 0);
}

fn collect_rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_rule_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "comply") {
            out.push(p);
        }
    }
}

/// Two versions of a built-in pack: the built-in copy is left out of both sides (else the
/// pack would be loaded twice and the run would be unusable).
#[test]
fn versions_of_a_built_in_pack_leave_the_built_in_copy_out() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("data-protection");
    std::fs::create_dir_all(&copy).unwrap();
    let mut files = Vec::new();
    collect_rule_files(&root().join("rules/data-protection"), &mut files);
    for f in files {
        std::fs::copy(&f, copy.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        copy.join("probe.comply"),
        "obligation dp.diff_probe {\n  cite gdpr \"art. 5(2)\"\n  severity low\n  \
         require organisation.processes_personal_data\n}\n",
    )
    .unwrap();
    let out = diff(&[
        "rules/data-protection",
        copy.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_code(&out, 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["left_out"], serde_json::json!([]));
    let context: Vec<&str> = v["context"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        context.contains(&"core") && !context.contains(&"dp"),
        "{context:?}"
    );
    let obligations = v["obligations"].as_array().unwrap();
    assert_eq!(obligations.len(), 1, "{obligations:?}");
    assert_eq!(obligations[0]["name"], "dp.diff_probe");
    assert_eq!(obligations[0]["state"], "added");
    assert_eq!(v["summary"]["shape"]["added"], 0);
}

#[test]
fn output_is_deterministic() {
    let (dir, _) = generated();
    let args = [
        V1,
        V2,
        "--decl",
        dir.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ];
    let a = diff(&args);
    let b = diff(&args);
    assert_code(&a, 1);
    assert_eq!(a.stdout, b.stdout);
}

// ------------------------------------------------------------ the impact

#[test]
fn impact_human() {
    let (dir, orgs) = generated();
    assert!(orgs.len() >= 10);
    let out = diff(&[
        V1,
        V2,
        "--decl",
        dir.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]);
    assert_code(&out, 1);
    snapshot("diff_impact_human", &stdout(&out), Some(dir.path()));
}

#[test]
fn impact_markdown() {
    let (dir, _) = generated();
    let out = diff(&[
        V1,
        V2,
        "--decl",
        dir.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    ]);
    assert_code(&out, 1);
    let text = stdout(&out);
    let from = text.find("## Impact").unwrap();
    snapshot("diff_impact_markdown", &text[from..], Some(dir.path()));
}

/// The figure a regulator quotes: lowering the DPO threshold from 250 to 100 employees
/// brings into scope exactly the controllers with 100 to 249 employees, and those of
/// them without a DPO are newly violated.
#[test]
fn the_threshold_change_counts_the_organisations_newly_in_scope() {
    let (dir, orgs) = generated();
    let (v, code) = impact_json(dir.path());
    assert_eq!(code, 1);
    let between =
        |o: &&Organisation| o.controller == Some(true) && (100..250).contains(&o.employees);
    let newly_in_scope = orgs.iter().filter(between).count();
    let newly_violated = orgs
        .iter()
        .filter(between)
        .filter(|o| o.officer.is_none())
        .count();
    assert_eq!(newly_in_scope, 5, "the generator covers the band");
    let dpo = obligation_impact(&v, "pdp.dpo");
    assert_eq!(dpo["newly_in_scope"], newly_in_scope);
    assert_eq!(dpo["newly_violated"], newly_violated);
    assert_eq!(dpo["changed"], newly_in_scope);
    assert_eq!(dpo["out_of_scope"], 0);
    let cell = |from: &str, to: &str| -> u64 {
        dpo["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["from"] == from && t["to"] == to)
            .map_or(0, |t| t["count"].as_u64().unwrap())
    };
    assert_eq!(cell("not_applicable", "violated"), newly_violated as u64);
    assert_eq!(
        cell("not_applicable", "satisfied"),
        (newly_in_scope - newly_violated) as u64
    );
}

#[test]
fn every_organisation_is_counted_once_per_obligation() {
    let (dir, orgs) = generated();
    let (v, _) = impact_json(dir.path());
    assert_eq!(v["impact"]["organisations"], orgs.len());
    for o in v["impact"]["obligations"].as_array().unwrap() {
        let total: u64 = o["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["count"].as_u64().unwrap())
            .sum();
        assert_eq!(total, orgs.len() as u64, "{}", o["obligation"]);
    }
    // A repealed obligation: every organisation it applied to (or may have applied to)
    // goes out of scope; those it did not apply to see no change.
    let training = obligation_impact(&v, "pdp.training");
    let applied = orgs.iter().filter(|o| o.controller != Some(false)).count();
    assert_eq!(training["changed"], applied);
    assert_eq!(training["out_of_scope"], applied);
    let trained_violations = orgs
        .iter()
        .filter(|o| o.controller == Some(true) && !o.staff_trained)
        .count();
    assert_eq!(training["no_longer_violated"], trained_violations);
    // Unchanged obligations are listed with no organisation changing.
    assert_eq!(obligation_impact(&v, "pdp.transfer")["changed"], 0);
}

#[test]
fn fields_only_one_version_declares_are_left_out_of_the_other() {
    let (dir, orgs) = generated();
    let (v, _) = impact_json(dir.path());
    let with_limit = orgs
        .iter()
        .filter(|o| o.activities.iter().any(|a| a.erasure_limit))
        .count();
    assert_eq!(
        v["impact"]["ignored"],
        serde_json::json!([
            {"version": "old", "path": "activities[*].erasure_limit", "declarations": with_limit},
            {"version": "new", "path": "organisation.staff_trained", "declarations": orgs.len()},
        ])
    );
}

// ------------------------------------------------------------ unusable input

#[test]
fn a_missing_version_is_unusable() {
    let out = diff(&["tests/packs/diff/v0", V2]);
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("comply::io"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("tests/packs/diff/v0"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_version_that_does_not_parse_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.comply"),
        "pack pdp { version \"3\" }\nobligation pdp.a {\n  require organisation.employees >=\n}\n",
    )
    .unwrap();
    let out = diff(&[V1, dir.path().to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("comply::parse::syntax"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_required_pack_left_out_is_unusable() {
    let out = diff(&[V1, V2, "--no-default-rules"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("comply::check::unknown_pack"),
        "{}",
        stderr(&out)
    );
    let out = diff(&[V1, V2, "--no-default-rules", "--rules", "rules/core"]);
    assert_code(&out, 1);
}

/// A field neither version declares is a mistake in the declaration, reported as
/// `comply check` reports it; nothing is printed on stdout.
#[test]
fn a_declaration_neither_version_can_read_is_unusable() {
    let (dir, _) = generated();
    std::fs::write(
        dir.path().join("typo.yaml"),
        "organisation:\n  name: Typo\n  employes: 30\n",
    )
    .unwrap();
    let out = diff(&[
        V1,
        V2,
        "--decl",
        dir.path().to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]);
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("comply::decl::unknown_field"), "{err}");
    assert!(err.contains("did you mean `employees`?"), "{err}");
}

#[test]
fn an_empty_folder_of_declarations_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let out = diff(&[V1, V2, "--decl", dir.path().to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no declarations"), "{}", stderr(&out));
}
