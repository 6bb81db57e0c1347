//! The CI formats of `comply check` (SARIF, JUnit, GitHub annotations, Markdown, OSCAL
//! assessment results), the OSCAL catalog of `comply doc` and `comply schema`: snapshots
//! on the test pack `tests/packs/ci`, line numbers read back from the YAML, determinism,
//! and acceptance by the real readers on every shipped fixture.
//!
//! The readers (Microsoft's SARIF multitool, junitparser, check-jsonschema, trestle) are
//! installed by `.ci/readers`, which `.ci/run` calls; a test whose reader is missing fails
//! and says how to install it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod support_ci;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;
use support_ci::*;

const FORMATS: [&str; 7] = [
    "human", "json", "sarif", "junit", "markdown", "github", "oscal-ar",
];

// ------------------------------------------------------------------ snapshots

#[test]
fn sarif_snapshot() {
    let out = check_ci(&[ACME, "--format", "sarif"]);
    assert_code(&out, 1);
    snapshot("ci_sarif", &stdout(&out));
}

#[test]
fn junit_snapshot() {
    let out = check_ci(&[ACME, "--format", "junit"]);
    assert_code(&out, 1);
    snapshot("ci_junit", &stdout(&out));
}

#[test]
fn github_snapshot() {
    let out = check_ci(&[ACME, "--format", "github"]);
    assert_code(&out, 1);
    snapshot("ci_github", &stdout(&out));
}

#[test]
fn markdown_snapshot() {
    let out = check_ci(&[ACME, "--format", "markdown"]);
    assert_code(&out, 1);
    snapshot("ci_markdown", &stdout(&out));
}

#[test]
fn oscal_assessment_results_snapshot() {
    let out = check_ci(&[ACME, "--format", "oscal-ar"]);
    assert_code(&out, 1);
    snapshot("ci_oscal_ar", &stdout(&out));
}

#[test]
fn oscal_catalog_snapshot() {
    let out = comply(&[
        "doc",
        "--format",
        "oscal-catalog",
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        PACK,
    ]);
    assert_code(&out, 0);
    snapshot("ci_oscal_catalog", &stdout(&out));
}

#[test]
fn schema_snapshot() {
    let out = comply(&["schema", "--no-default-rules", "--rules", PACK]);
    assert_code(&out, 0);
    snapshot("ci_schema", &stdout(&out));
}

#[test]
fn waived_results_snapshot_in_sarif_and_markdown() {
    let sarif = check_ci(&[ACME, "--waivers", WAIVERS, "--format", "sarif"]);
    assert_code(&sarif, 1);
    snapshot("ci_sarif_waived", &stdout(&sarif));
    let md = check_ci(&[ACME, "--waivers", WAIVERS, "--format", "markdown"]);
    snapshot("ci_markdown_waived", &stdout(&md));
}

// ------------------------------------------------------------------ locations

/// The YAML key written on a line: `key` of `key: value` or `- key: value`.
fn key_on(line: &str) -> &str {
    line.trim_start()
        .trim_start_matches("- ")
        .split(':')
        .next()
        .unwrap()
        .trim()
}

/// Checks that each SARIF result points at the line of its item or deciding field, read
/// back from the declaration file.
fn assert_sarif_lines_point_at_their_place(decl: &str, sarif: &Value) -> usize {
    let text = std::fs::read_to_string(root().join(decl)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        let loc = &r["locations"][0];
        let line = loc["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        let Some(place) = loc["logicalLocations"][0]["fullyQualifiedName"].as_str() else {
            continue;
        };
        let written = lines[line - 1];
        let column = loc["physicalLocation"]["region"]["startColumn"]
            .as_u64()
            .unwrap() as usize;
        let at_column: String = written.chars().skip(column - 1).collect();
        if place.ends_with(']') {
            // An item: its line holds its key, and the column points at the key field.
            let key = &place[place.rfind('[').unwrap() + 1..place.len() - 1];
            assert!(
                key_on(&at_column) == "id" && written.contains(key),
                "{} points at line {line} `{written}` for item `{key}`",
                r["ruleId"]
            );
        } else {
            let field = place.rsplit('.').next().unwrap();
            assert_eq!(
                key_on(&at_column),
                field,
                "{} points at line {line} `{written}` for field `{place}`",
                r["ruleId"]
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn sarif_lines_point_at_the_deciding_field_or_the_item() {
    let out = check_ci(&[ACME, "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_rule: BTreeMap<String, String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {}",
                    r["ruleId"].as_str().unwrap(),
                    r["properties"]["item"].as_str().unwrap_or("")
                ),
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    // A single field decides: the field's line.
    assert_eq!(by_rule["s.inventory "], "organisation.inventory");
    assert_eq!(
        by_rule["s.contract cloudco"],
        "suppliers[cloudco].contract_signed"
    );
    assert_eq!(
        by_rule["s.confidentiality mailfast"],
        "suppliers[mailfast].confidentiality"
    );
    // Blocked, or a fact left out: the item's line.
    assert_eq!(by_rule["s.assessment cloudco"], "suppliers[cloudco]");
    assert_eq!(by_rule["s.assessment mailfast"], "suppliers[mailfast]");
    assert_eq!(assert_sarif_lines_point_at_their_place(ACME, &sarif), 5);
}

#[test]
fn sarif_lines_of_the_shipped_fixtures_point_at_their_item_or_field() {
    let mut checked = 0;
    for decl in fixtures().iter().filter(|f| f.ends_with(".yaml")) {
        let out = comply(&["check", "--as-of", AS_OF, decl, "--format", "sarif"]);
        assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        checked += assert_sarif_lines_point_at_their_place(decl, &sarif);
    }
    assert!(checked > 0, "no located result in the fixtures");
}

// ------------------------------------------------------------------ contract

#[test]
fn every_format_exits_as_the_json_report_does_and_is_deterministic() {
    let g = generated();
    for ((case, format), (path, code)) in &g.files {
        let (_, json_code) = &g.files[&(case.clone(), "json")];
        assert_eq!(code, json_code, "{format} of {case}");
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.is_empty(), "{format} of {case} is empty");
        // Same inputs, same bytes: checked again on the fixture with the most findings.
        if case.ends_with("violating.yaml") {
            let again = comply(&["check", "--as-of", AS_OF, case, "--format", format]);
            assert_eq!(
                stdout(&again),
                text,
                "{format} of {case} differs between runs"
            );
        }
    }
}

#[test]
fn a_folder_of_declarations_is_one_sarif_run_and_one_junit_document() {
    let out = comply(&["check", "--as-of", AS_OF, "fixtures", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    assert_eq!(
        sarif["runs"][0]["artifacts"].as_array().unwrap().len(),
        fixtures().len()
    );
    let junit = stdout(&comply(&[
        "check", "--as-of", AS_OF, "fixtures", "--format", "junit",
    ]));
    assert_eq!(junit.matches("<testsuites ").count(), 1);
}

#[test]
fn sarif_rules_carry_citation_remedy_and_severity() {
    let out = check_ci(&[ACME, "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 5, "one rule per obligation");
    let contract = rules.iter().find(|r| r["id"] == "s.contract").unwrap();
    assert_eq!(contract["helpUri"], "https://www.iso.org/standard/27001");
    assert_eq!(contract["properties"]["severity"], "critical");
    assert!(contract["help"]["text"]
        .as_str()
        .unwrap()
        .starts_with("Sign a contract"));
    let levels: BTreeMap<String, String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!("{} {}", r["ruleId"], r["properties"]["status"]),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(levels[r#""s.contract" "violated""#], "error");
    assert_eq!(levels[r#""s.confidentiality" "violated""#], "note");
    assert_eq!(levels[r#""s.assessment" "unknown""#], "warning");
}

// ------------------------------------------------------------------ the real readers

/// Runs a reader, failing with its output when it cannot start.
fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    out
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every format of every case, generated once for all the tests of this file: one case
/// per shipped fixture (built-in packs), the test pack's declaration with waivers and a
/// baseline, and the folder of fixtures.
struct Generated {
    /// `(case, format)` → the file written and the exit code.
    files: BTreeMap<(String, &'static str), (PathBuf, i32)>,
}

fn extension(format: &str) -> &'static str {
    match format {
        "sarif" => "sarif",
        "junit" => "xml",
        "json" | "oscal-ar" => "json",
        "markdown" => "md",
        _ => "txt",
    }
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        // One folder per run, since several runs may share the target folder; folders
        // left by runs over an hour ago are removed.
        let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ci_formats");
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 3600);
                if old {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let baseline = check_ci(&[ACME, "--format", "json"]);
        let baseline = write(&dir, "baseline.json", &stdout(&baseline));
        let baseline = baseline.to_str().unwrap().to_string();
        let mut cases: Vec<(String, Vec<String>)> = fixtures()
            .into_iter()
            .map(|f| {
                (
                    f.clone(),
                    vec!["check".into(), "--as-of".into(), AS_OF.into(), f],
                )
            })
            .collect();
        cases.push((
            "acme".into(),
            [
                "check",
                "--as-of",
                AS_OF,
                "--no-default-rules",
                "--rules",
                PACK,
                ACME,
                "--waivers",
                WAIVERS,
                "--baseline",
                &baseline,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ));
        cases.push((
            "folder".into(),
            ["check", "--as-of", AS_OF, "fixtures"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ));
        let mut files = BTreeMap::new();
        for (i, (case, args)) in cases.iter().enumerate() {
            for format in FORMATS {
                let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
                all.extend_from_slice(&["--format", format]);
                let out = comply(&all);
                let code = out.status.code().unwrap();
                assert_ne!(code, 2, "{case} {format}: {}", stderr(&out));
                let path = write(
                    &dir,
                    &format!("case{i}-{format}.{}", extension(format)),
                    &stdout(&out),
                );
                files.insert((case.clone(), format), (path, code));
            }
        }
        Generated { files }
    })
}

/// The files of one format, for every case.
fn outputs(format: &str) -> Vec<PathBuf> {
    generated()
        .files
        .iter()
        .filter(|((_, f), _)| *f == format)
        .map(|(_, (path, _))| path.clone())
        .collect()
}

#[test]
fn sarif_multitool_validates_every_fixture_with_no_error() {
    let tool = reader("sarif-multitool");
    let dir = tempfile::tempdir().unwrap();
    let files = outputs("sarif");
    let log = dir.path().join("validation.sarif");
    // The npm launcher hands its arguments to a shell: the level list is quoted for it.
    let out = run(Command::new(&tool)
        .arg("validate")
        .args(&files)
        .arg("--output")
        .arg(&log)
        .arg("--level")
        .arg("\"Error;Warning;Note\""));
    assert!(out.status.success(), "{}", text(&out));
    let validation: Value = serde_json::from_str(
        &std::fs::read_to_string(&log)
            .unwrap_or_else(|_| panic!("sarif-multitool wrote no log:\n{}", text(&out))),
    )
    .unwrap();
    let run0 = &validation["runs"][0];
    assert_eq!(
        run0["invocations"][0]["executionSuccessful"],
        true,
        "{}",
        text(&out)
    );
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    let errors: Vec<&Value> = results.iter().filter(|r| r["level"] == "error").collect();
    assert!(
        errors.is_empty(),
        "sarif-multitool found errors:\n{}",
        serde_json::to_string_pretty(&errors).unwrap()
    );
    // Every file was read.
    let said = text(&out);
    assert!(
        said.contains(&format!("Done. {} files scanned.", files.len())),
        "not every file was validated:\n{said}"
    );
    // The multitool also ships the SARIF 2.1.0 schema: every file must follow it.
    let schema =
        readers_dir().join("node/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
    let out = run(Command::new(reader("check-jsonschema"))
        .arg("--schemafile")
        .arg(&schema)
        .args(&files));
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn junitparser_reads_every_fixture_and_its_counts_match_the_report() {
    // junitparser's own interpreter (the virtual environment `.ci/readers` makes).
    let junitparser = reader("junitparser");
    let python = junitparser.with_file_name("python3");
    let python = if python.is_file() {
        python
    } else {
        "python3".into()
    };
    let junit = outputs("junit");
    let json = outputs("json");
    let script = r#"
import json, sys
from junitparser import JUnitXml, Failure, Error, Skipped
out = {}
for path in sys.argv[1:]:
    xml = JUnitXml.fromfile(path)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "suites": 0,
              "unknown": 0}
    for suite in xml:
        counts["suites"] += 1
        for case in suite:
            counts["tests"] += 1
            for r in case.result:
                if isinstance(r, Failure): counts["failures"] += 1
                elif isinstance(r, Error):
                    counts["errors"] += 1
                    if r.type == "unknown": counts["unknown"] += 1
                elif isinstance(r, Skipped): counts["skipped"] += 1
    counts["declared"] = [xml.tests, xml.failures, xml.errors, xml.skipped]
    out[path] = counts
print(json.dumps(out))
"#;
    let out = run(Command::new(&python).arg("-c").arg(script).args(&junit));
    assert!(out.status.success(), "junitparser failed:\n{}", text(&out));
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (xml, report) in junit.iter().zip(&json) {
        let counts = &read[xml.to_str().unwrap()];
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
        let s = &report["summary"];
        let n = |k: &str| s[k].as_u64().unwrap();
        let total: u64 = [
            "satisfied",
            "violated",
            "unknown",
            "not_applicable",
            "blocked",
            "waived",
        ]
        .iter()
        .map(|k| n(k))
        .sum();
        let context = format!("{}: {counts} vs {s}", xml.display());
        assert_eq!(counts["tests"].as_u64(), Some(total), "{context}");
        assert_eq!(
            counts["failures"].as_u64(),
            Some(n("violated") + n("blocked")),
            "{context}"
        );
        assert_eq!(counts["errors"].as_u64(), Some(n("unknown")), "{context}");
        assert_eq!(counts["unknown"].as_u64(), Some(n("unknown")), "{context}");
        assert_eq!(
            counts["skipped"].as_u64(),
            Some(n("not_applicable") + n("waived")),
            "{context}"
        );
        // The totals the document declares are the ones junitparser counts.
        let declared: Vec<u64> = counts["declared"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(
            declared,
            vec![
                total,
                n("violated") + n("blocked"),
                n("unknown"),
                n("not_applicable") + n("waived")
            ],
            "{context}"
        );
    }
}

#[test]
fn check_jsonschema_accepts_the_valid_fixtures_and_rejects_a_broken_one() {
    let tool = reader("check-jsonschema");
    let dir = tempfile::tempdir().unwrap();
    let schema = comply(&["schema"]);
    assert_code(&schema, 0);
    let schema = write(dir.path(), "declaration.schema.json", &stdout(&schema));
    // The schema itself follows the 2020-12 metaschema.
    let out = run(Command::new(&tool).arg("--check-metaschema").arg(&schema));
    assert!(out.status.success(), "{}", text(&out));
    // Every fixture comply accepts is valid against it.
    let valid: Vec<String> = fixtures()
        .into_iter()
        .filter(|f| comply(&["check", "--as-of", AS_OF, f]).status.code() != Some(2))
        .collect();
    assert_eq!(valid.len(), fixtures().len(), "every shipped fixture loads");
    let out = run(Command::new(&tool)
        .arg("--schemafile")
        .arg(&schema)
        .args(valid.iter().map(|f| root().join(f))));
    assert!(out.status.success(), "{}", text(&out));
    // A broken declaration is refused by both.
    let broken = "tests/packs/ci-decls/broken.yaml";
    assert_code(&comply(&["check", "--as-of", AS_OF, broken]), 2);
    let out = run(Command::new(&tool)
        .arg("--schemafile")
        .arg(&schema)
        .arg(root().join(broken)));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    for problem in [
        "employees",
        "favourite_colour",
        "2021-13-45",
        "'id' is a required property",
    ] {
        assert!(said.contains(problem), "no word of `{problem}` in:\n{said}");
    }
    // The test pack's schema, on its own declaration.
    let ci = comply(&["schema", "--no-default-rules", "--rules", PACK]);
    let ci = write(dir.path(), "ci.schema.json", &stdout(&ci));
    let out = run(Command::new(&tool)
        .arg("--schemafile")
        .arg(&ci)
        .arg(root().join(ACME)));
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn trestle_validates_the_oscal_catalog_and_the_assessment_results_of_every_fixture() {
    let tool = reader("trestle");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let out = run(Command::new(&tool).arg("init").current_dir(ws));
    assert!(out.status.success(), "trestle init failed:\n{}", text(&out));
    let mut models = Vec::new();
    let mut add = |kind: &str, name: &str, file: &str, body: &str| {
        let folder = ws.join(kind).join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(file), body).unwrap();
        models.push(format!("{kind}/{name}/{file}"));
    };
    let catalog = comply(&["doc", "--format", "oscal-catalog", "--as-of", AS_OF]);
    assert_code(&catalog, 0);
    add("catalogs", "builtin", "catalog.json", &stdout(&catalog));
    let ci_catalog = comply(&[
        "doc",
        "--format",
        "oscal-catalog",
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        PACK,
    ]);
    add("catalogs", "ci", "catalog.json", &stdout(&ci_catalog));
    for (i, ar) in outputs("oscal-ar").iter().enumerate() {
        let body = std::fs::read_to_string(ar).unwrap();
        add(
            "assessment-results",
            &format!("ar{i}"),
            "assessment-results.json",
            &body,
        );
    }
    let out = run(Command::new(&tool)
        .arg("validate")
        .arg("-a")
        .current_dir(ws));
    let said = text(&out);
    assert!(out.status.success(), "trestle validate failed:\n{said}");
    for m in &models {
        assert!(
            said.lines()
                .any(|l| l.starts_with("VALID:") && l.contains(m.as_str())),
            "trestle did not find `{m}` valid:\n{said}"
        );
    }
    assert!(!said.contains("INVALID"), "{said}");
    assert!(
        !said.contains("not referenced") && !said.contains("not in resources"),
        "links and back-matter resources disagree:\n{said}"
    );
}

// ------------------------------------------------------------------ CI definitions

#[test]
fn the_github_workflow_follows_the_workflow_schema() {
    let tool = reader("check-jsonschema");
    let out = run(Command::new(&tool)
        .arg("--builtin-schema")
        .arg("vendor.github-workflows")
        .arg(root().join(".github/workflows/comply.yml")));
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_pre_commit_hooks_run_comply_commands_that_work() {
    let file = comply::source::SourceFile::new(
        ".pre-commit-hooks.yaml",
        std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap(),
    );
    let node = comply::decl::yaml::parse_yaml(&file).unwrap();
    let comply::decl::node::NodeKind::Seq(hooks) = node.kind else {
        panic!("a hooks file is a list");
    };
    assert!(!hooks.is_empty());
    for hook in hooks {
        let comply::decl::node::NodeKind::Map(entries) = hook.kind else {
            panic!("a hook is a mapping");
        };
        let get = |k: &str| {
            entries
                .iter()
                .find(|(key, _)| key.name == k)
                .map(|(_, v)| match &v.kind {
                    comply::decl::node::NodeKind::Str(s) => s.clone(),
                    other => panic!("`{k}` is {other:?}"),
                })
        };
        for required in ["id", "name", "entry", "language"] {
            assert!(get(required).is_some(), "a hook without `{required}`");
        }
        assert_eq!(get("language").as_deref(), Some("rust"));
        // pre-commit appends the file names to the entry.
        let entry = get("entry").unwrap();
        let mut words: Vec<&str> = entry.split_whitespace().collect();
        assert_eq!(words.remove(0), "comply");
        words.extend_from_slice(&[
            "--as-of",
            AS_OF,
            "fixtures/compliant.yaml",
            "fixtures/violating.yaml",
        ]);
        let out = comply(&words);
        assert_ne!(out.status.code(), Some(2), "`{entry}`: {}", stderr(&out));
    }
}
