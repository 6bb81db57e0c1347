//! The obligation graph as its users meet it on the command line: blocked results and
//! their root causes in `comply check`, the waves of `comply plan`, the traces of
//! `comply explain` and the drawings of `comply graph`.
//!
//! Everything runs the real binary on the test pack `tests/packs/graph` (pack `g`: a
//! chain g.a ← g.b ← g.c, a diamond g.top → g.left, g.right → g.base, per-system
//! obligations depending item by item on each other and on an organisation-level one)
//! with the declarations of `tests/packs/graph-decls`, at `--as-of 2026-11-23`. One test
//! feeds `comply graph` on the built-in packs to the real Graphviz `dot`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

mod common;

use common::snapshot;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const AS_OF: &str = "2026-11-23";
const PACK: &str = "tests/packs/graph";
/// Chain root, diamond base and one system's inventory entry violated; one unknown fact.
const FAILING: &str = "tests/packs/graph-decls/failing.yaml";
/// Every obligation satisfied or not applicable.
const SATISFIED: &str = "tests/packs/graph-decls/satisfied.yaml";

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn base_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comply"));
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// `comply SUBCOMMAND --no-default-rules --rules tests/packs/graph [--as-of 2026-11-23]
/// ARGS`, run from the crate root (`graph` takes no evaluation date).
fn comply(subcommand: &str, args: &[&str]) -> Output {
    let mut cmd = base_command();
    cmd.arg(subcommand);
    if subcommand != "graph" {
        cmd.args(["--as-of", AS_OF]);
    }
    cmd.args(["--no-default-rules", "--rules", PACK])
        .args(args)
        .output()
        .unwrap()
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

#[track_caller]
fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(out), stderr(out)))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// How `blocked_by`, `after` and `unblocks` name a result: `id` or `id[item]`.
fn name(obligation: &str, item: Option<&str>) -> String {
    match item {
        Some(item) => format!("{obligation}[{item}]"),
        None => obligation.to_string(),
    }
}

fn name_of(row: &Value) -> String {
    name(row["obligation"].as_str().unwrap(), row["item"].as_str())
}

/// How the human report and `explain` write a result: `id` or `id [item]`.
fn shown(obligation: &str, item: Option<&str>) -> String {
    match item {
        Some(item) => format!("{obligation} [{item}]"),
        None => obligation.to_string(),
    }
}

fn rank(severity: &str) -> usize {
    SEVERITIES
        .iter()
        .position(|s| *s == severity)
        .unwrap_or_else(|| panic!("unknown severity {severity}"))
}

// ------------------------------------------------------------------ comply check

/// The JSON report of the failing declaration (exit code 1).
fn failing_report() -> Value {
    let out = comply("check", &["--format", "json", FAILING]);
    assert_code(&out, 1);
    json(&out)
}

#[track_caller]
fn result<'a>(report: &'a Value, obligation: &str, item: Option<&str>) -> &'a Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["obligation"] == obligation && r["item"].as_str() == item)
        .unwrap_or_else(|| panic!("no result for {}", shown(obligation, item)))
}

#[track_caller]
fn assert_status(report: &Value, obligation: &str, item: Option<&str>, status: &str) {
    let r = result(report, obligation, item);
    assert_eq!(r["status"], status, "{}: {r:#}", shown(obligation, item));
}

#[track_caller]
fn assert_blocked_by(report: &Value, obligation: &str, item: Option<&str>, causes: &[&str]) {
    assert_status(report, obligation, item, "blocked");
    let r = result(report, obligation, item);
    assert_eq!(
        strings(&r["blocked_by"]),
        causes,
        "{}: {r:#}",
        shown(obligation, item)
    );
}

/// The lines the human report writes under the result `cause`, up to the next result.
fn block_under<'a>(human: &'a str, cause: &str) -> Vec<&'a str> {
    let needle = format!(" {cause} — ");
    let mut lines = human.lines().skip_while(|l| !l.contains(&needle));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no line for `{cause}` in:\n{human}"));
    assert!(
        !first.trim_start().starts_with('↳'),
        "`{cause}` is itself shown under another result:\n{human}"
    );
    // Its details and blocked dependents are indented deeper than a result line.
    lines.take_while(|l| l.starts_with("        ")).collect()
}

#[test]
fn check_human_report_of_failing_declaration() {
    let out = comply("check", &[FAILING]);
    assert_code(&out, 1);
    snapshot("graph_check_failing_human", &stdout(&out));
}

#[test]
fn check_json_report_of_failing_declaration() {
    let out = comply("check", &["--format", "json", FAILING]);
    assert_code(&out, 1);
    snapshot("graph_check_failing_json", &stdout(&out));
}

#[test]
fn chain_names_the_root_cause_not_the_direct_prerequisite() {
    let report = failing_report();
    assert_status(&report, "g.a", None, "violated");
    assert_blocked_by(&report, "g.b", None, &["g.a"]);
    // g.c depends on g.b only, but g.b is itself blocked: the cause is g.a.
    assert_blocked_by(&report, "g.c", None, &["g.a"]);
    assert_eq!(
        strings(&result(&report, "g.c", None)["reasons"]),
        ["waits for g.a (violated)"]
    );
    // explain gives the same root cause.
    let out = comply("explain", &["g.c", "--decl", FAILING]);
    assert_code(&out, 0);
    let trace = stdout(&out);
    assert!(trace.starts_with("g.c: blocked\n"), "{trace}");
    assert!(trace.contains("depends on g.b: blocked"), "{trace}");
    assert!(trace.contains("• waits for g.a (violated)"), "{trace}");
    assert!(!trace.contains("waits for g.b"), "{trace}");
}

#[test]
fn diamond_names_its_base_once() {
    let report = failing_report();
    assert_status(&report, "g.base", None, "violated");
    assert_blocked_by(&report, "g.left", None, &["g.base"]);
    assert_blocked_by(&report, "g.right", None, &["g.base"]);
    // Reached through both g.left and g.right, g.base is named once.
    assert_blocked_by(&report, "g.top", None, &["g.base"]);
    assert_eq!(
        strings(&result(&report, "g.top", None)["reasons"]),
        ["waits for g.base (violated)"]
    );

    let out = comply("check", &[FAILING]);
    let human = stdout(&out);
    let top_lines = human.lines().filter(|l| l.contains(" g.top — ")).count();
    assert_eq!(top_lines, 1, "g.top is shown once:\n{human}");
    let under_base = block_under(&human, "g.base");
    assert!(
        under_base
            .iter()
            .any(|l| l.contains('↳') && l.contains(" g.top — ")),
        "g.top is shown under g.base:\n{human}"
    );
}

#[test]
fn item_to_item_dependency_blocks_only_the_same_item() {
    let report = failing_report();
    assert_status(&report, "g.sys.owner", Some("crm"), "violated");
    assert_status(&report, "g.sys.owner", Some("erp"), "satisfied");
    assert_status(&report, "g.sys.owner", Some("portal"), "satisfied");
    // The CRM's backups are in order, but its missing owner blocks them...
    assert_blocked_by(&report, "g.sys.backup", Some("crm"), &["g.sys.owner[crm]"]);
    // ... and nothing else: the ERP's backup result stands on its own owner.
    assert_status(&report, "g.sys.backup", Some("erp"), "satisfied");
    assert_status(&report, "g.sys.backup", Some("portal"), "not_applicable");
    for r in report["results"].as_array().unwrap() {
        for cause in strings(&r["blocked_by"]) {
            if cause.starts_with("g.sys.owner") {
                assert_eq!(name_of(r), "g.sys.backup[crm]", "{cause} blocks {r:#}");
            }
        }
    }

    let human = stdout(&comply("check", &[FAILING]));
    let under_crm = block_under(&human, "g.sys.owner [crm]");
    assert!(
        under_crm
            .iter()
            .any(|l| l.contains('↳') && l.contains(" g.sys.backup [crm] — ")),
        "{human}"
    );
    for other in ["[erp]", "[portal]"] {
        assert!(
            !under_crm.iter().any(|l| l.contains(other)),
            "{other} is not blocked by the CRM:\n{human}"
        );
    }
}

#[test]
fn organisation_level_prerequisite_blocks_every_item() {
    let report = failing_report();
    // g.sys.access depends on g.b (organisation level), itself blocked by g.a: each
    // system whose own requirement holds waits for g.a.
    assert_blocked_by(&report, "g.sys.access", Some("erp"), &["g.a"]);
    assert_blocked_by(&report, "g.sys.access", Some("crm"), &["g.a"]);
    // The portal's own requirement cannot be decided: that settles it before its
    // prerequisites are read (docs/language.md, section 10, order of decision).
    let portal = result(&report, "g.sys.access", Some("portal"));
    assert_eq!(portal["status"], "unknown", "{portal:#}");
    assert_eq!(strings(&portal["missing"]), ["systems[portal].mfa"]);
    assert_eq!(strings(&portal["blocked_by"]), Vec::<&str>::new());
}

#[test]
fn human_report_shows_each_blocked_result_under_its_root_cause() {
    let report = failing_report();
    let human = stdout(&comply("check", &[FAILING]));
    let mut blocked = 0;
    for r in report["results"].as_array().unwrap() {
        if r["status"] != "blocked" {
            continue;
        }
        blocked += 1;
        let me = shown(r["obligation"].as_str().unwrap(), r["item"].as_str());
        for cause in strings(&r["blocked_by"]) {
            let (id, item) = match cause.split_once('[') {
                Some((id, rest)) => (id, Some(rest.trim_end_matches(']'))),
                None => (cause, None),
            };
            let block = block_under(&human, &shown(id, item));
            assert!(
                block
                    .iter()
                    .any(|l| l.contains('↳') && l.contains(&format!(" {me} — "))),
                "{me} is not shown under its root cause {cause}:\n{human}"
            );
        }
    }
    assert_eq!(blocked, 8, "{report:#}");
}

#[test]
fn human_report_has_no_empty_topic_heading() {
    let human = stdout(&comply("check", &[FAILING]));
    let lines: Vec<&str> = human.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        // A topic heading is indented by two spaces; results by four.
        let is_heading = line.starts_with("  ") && !line.starts_with("   ");
        if is_heading {
            let next = lines.get(i + 1).copied().unwrap_or("");
            assert!(
                next.starts_with("    "),
                "topic `{}` has no result under it:\n{human}",
                line.trim()
            );
        }
    }
}

#[test]
fn all_satisfied_declaration_passes() {
    let out = comply("check", &["--format", "json", SATISFIED]);
    assert_code(&out, 0);
    let report = json(&out);
    for status in ["violated", "blocked", "unknown"] {
        assert_eq!(report["summary"][status], 0, "{status}: {report:#}");
    }
    for r in report["results"].as_array().unwrap() {
        assert_eq!(strings(&r["blocked_by"]), Vec::<&str>::new(), "{r:#}");
    }
    assert_status(&report, "g.c", None, "satisfied");
    assert_status(&report, "g.top", None, "satisfied");
    assert_status(&report, "g.sys.backup", Some("crm"), "satisfied");
    assert_status(&report, "g.sys.access", Some("erp"), "satisfied");
    assert_code(&comply("check", &[SATISFIED]), 0);
}

// ------------------------------------------------------------------ comply plan

/// The plan of the failing declaration as JSON (exit code 1).
fn failing_plan() -> Value {
    let out = comply("plan", &["--format", "json", FAILING]);
    assert_code(&out, 1);
    json(&out)
}

/// Every step with its wave number, in the plan's order.
fn steps(plan: &Value) -> Vec<(u64, &Value)> {
    plan["waves"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| {
            let n = w["wave"].as_u64().unwrap();
            w["steps"].as_array().unwrap().iter().map(move |s| (n, s))
        })
        .collect()
}

fn wave_of(plan: &Value) -> BTreeMap<String, u64> {
    steps(plan)
        .into_iter()
        .map(|(w, s)| (name_of(s), w))
        .collect()
}

#[test]
fn plan_human_of_failing_declaration() {
    let out = comply("plan", &[FAILING]);
    assert_code(&out, 1);
    snapshot("graph_plan_failing_human", &stdout(&out));
}

#[test]
fn plan_markdown_of_failing_declaration() {
    let out = comply("plan", &["--format", "markdown", FAILING]);
    assert_code(&out, 1);
    snapshot("graph_plan_failing_markdown", &stdout(&out));
}

#[test]
fn plan_json_of_failing_declaration() {
    let out = comply("plan", &["--format", "json", FAILING]);
    assert_code(&out, 1);
    snapshot("graph_plan_failing_json", &stdout(&out));
}

#[test]
fn plan_holds_every_failing_result_once() {
    let plan = failing_plan();
    let report = failing_report();
    let in_plan: Vec<String> = steps(&plan).iter().map(|(_, s)| name_of(s)).collect();
    let unique: BTreeSet<&String> = in_plan.iter().collect();
    assert_eq!(
        unique.len(),
        in_plan.len(),
        "a step is repeated: {in_plan:?}"
    );
    let failing: BTreeSet<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| ["violated", "blocked", "unknown"].contains(&r["status"].as_str().unwrap()))
        .map(name_of)
        .collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        failing
    );
    // Each step carries the verdict of `comply check`.
    for (_, s) in steps(&plan) {
        let r = result(
            &report,
            s["obligation"].as_str().unwrap(),
            s["item"].as_str(),
        );
        assert_eq!(s["status"], r["status"], "{s:#}");
        assert_eq!(s["severity"], r["severity"], "{s:#}");
    }
}

#[test]
fn plan_puts_failing_prerequisites_in_an_earlier_wave() {
    let plan = failing_plan();
    let waves = wave_of(&plan);
    let numbers: Vec<u64> = plan["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["wave"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    for w in plan["waves"].as_array().unwrap() {
        assert!(!w["steps"].as_array().unwrap().is_empty(), "empty wave {w}");
    }
    for (wave, s) in steps(&plan) {
        let after = strings(&s["after"]);
        if wave == 1 {
            assert!(after.is_empty(), "a first-wave step waits: {s:#}");
        } else {
            assert!(!after.is_empty(), "{} need not wait: {s:#}", name_of(s));
        }
        for p in after {
            let pw = waves
                .get(p)
                .unwrap_or_else(|| panic!("{} comes after {p}, which is no step", name_of(s)));
            assert!(
                *pw < wave,
                "{} (wave {wave}) after {p} (wave {pw})",
                name_of(s)
            );
        }
    }

    // Independently of `after`: every failing result of a `depends on` prerequisite
    // (from the graph), for the same system when both are per system, is in an
    // earlier wave.
    let report = failing_report();
    let graph = json(&comply("graph", &["--format", "json"]));
    for (wave, s) in steps(&plan) {
        let item = s["item"].as_str();
        for e in graph["edges"].as_array().unwrap() {
            if e["from"] != s["obligation"] || e["kind"] != "depends on" {
                continue;
            }
            for r in report["results"].as_array().unwrap() {
                let relevant = r["obligation"] == e["to"]
                    && (item.is_none() || r["item"].is_null() || r["item"].as_str() == item);
                if relevant
                    && ["violated", "blocked", "unknown"].contains(&r["status"].as_str().unwrap())
                {
                    let p = name_of(r);
                    assert!(
                        strings(&s["after"]).contains(&p.as_str()),
                        "{} does not list its failing prerequisite {p}: {s:#}",
                        name_of(s)
                    );
                    assert!(waves[&p] < wave, "{} (wave {wave}) vs {p}", name_of(s));
                }
            }
        }
    }
}

#[test]
fn plan_waves_follow_the_chain_the_diamond_and_the_items() {
    let waves = wave_of(&failing_plan());
    let expected: BTreeMap<String, u64> = [
        ("g.a", 1),
        ("g.b", 2),
        ("g.c", 3),
        ("g.base", 1),
        ("g.left", 2),
        ("g.right", 2),
        ("g.top", 3),
        // g.continuity reads satisfied(g.sys.backup): it comes after g.sys.backup [crm].
        ("g.continuity", 3),
        ("g.sys.owner[crm]", 1),
        ("g.sys.backup[crm]", 2),
        ("g.sys.access[erp]", 3),
        ("g.sys.access[crm]", 3),
        ("g.sys.access[portal]", 3),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(waves, expected);
}

#[test]
fn plan_orders_each_wave_by_severity_then_id() {
    let plan = failing_plan();
    for w in plan["waves"].as_array().unwrap() {
        let keys: Vec<(usize, &str)> = w["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    rank(s["severity"].as_str().unwrap()),
                    s["obligation"].as_str().unwrap(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "wave {}", w["wave"]);
    }
    // The same order in the human plan: the critical g.base before the high g.a.
    let human = stdout(&comply("plan", &[FAILING]));
    let pos = |needle: &str| {
        human
            .find(needle)
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{human}"))
    };
    assert!(
        pos("1. [critical] g.base — ") < pos("2. [high] g.a — "),
        "{human}"
    );
    assert!(pos("[high] g.top — ") < pos("[medium] g.c — "), "{human}");
}

#[test]
fn plan_unblocks_lists_the_dependents() {
    let plan = failing_plan();
    let unblocks: BTreeMap<String, Vec<&str>> = steps(&plan)
        .into_iter()
        .map(|(_, s)| (name_of(s), strings(&s["unblocks"])))
        .collect();
    assert_eq!(unblocks["g.a"], ["g.b"]);
    assert_eq!(unblocks["g.base"], ["g.left", "g.right"]);
    assert_eq!(unblocks["g.left"], ["g.top"]);
    assert_eq!(unblocks["g.right"], ["g.top"]);
    assert_eq!(
        unblocks["g.b"],
        [
            "g.c",
            "g.sys.access[erp]",
            "g.sys.access[crm]",
            "g.sys.access[portal]"
        ]
    );
    assert_eq!(unblocks["g.sys.owner[crm]"], ["g.sys.backup[crm]"]);
    assert_eq!(unblocks["g.sys.backup[crm]"], ["g.continuity"]);
    for leaf in ["g.c", "g.top", "g.continuity", "g.sys.access[erp]"] {
        assert!(unblocks[leaf].is_empty(), "{leaf}: {:?}", unblocks[leaf]);
    }
    // `unblocks` is the converse of `after`.
    for (_, s) in steps(&plan) {
        for p in strings(&s["after"]) {
            assert!(
                unblocks[p].contains(&name_of(s).as_str()),
                "{p} does not list {}",
                name_of(s)
            );
        }
    }
    let human = stdout(&comply("plan", &[FAILING]));
    assert!(human.contains("unblocks: g.left, g.right"), "{human}");
    assert!(human.contains("unblocks: g.sys.backup[crm]"), "{human}");
}

#[test]
fn plan_puts_a_step_after_the_obligations_it_reads() {
    let waves = wave_of(&failing_plan());
    assert!(
        waves["g.continuity"] > waves["g.sys.backup[crm]"],
        "{waves:?}"
    );
}

#[test]
fn plan_exit_code_follows_the_steps() {
    for format in ["human", "markdown", "json"] {
        assert_code(&comply("plan", &["--format", format, FAILING]), 1);
        assert_code(&comply("plan", &["--format", format, SATISFIED]), 0);
    }
    let out = comply("plan", &[SATISFIED]);
    let human = stdout(&out);
    assert!(human.contains("0 steps"), "{human}");
    assert!(human.contains("nothing to do"), "{human}");
    let plan = json(&comply("plan", &["--format", "json", SATISFIED]));
    assert_eq!(plan["waves"], Value::Array(Vec::new()), "{plan:#}");
}

// ------------------------------------------------------------------ comply explain

fn explain(args: &[&str]) -> String {
    let out = comply("explain", args);
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    stdout(&out)
}

#[track_caller]
fn assert_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l.trim() == *line),
            "no line `{line}` in:\n{text}"
        );
    }
}

#[test]
fn explain_without_declaration_shows_prerequisites_and_dependents() {
    let text = explain(&["g.b"]);
    snapshot("graph_explain_g_b", &text);
    assert!(
        text.starts_with(
            "g.b — Adopt an information security policy approved by the management body\n"
        ),
        "{text}"
    );
    assert_lines(
        &text,
        &[
            "cites: ISO/IEC 27001:2022 clause 5.2; NIS2 art. 20(1); NIS2 art. 21(2)(a)",
            "applies to: the organisation",
            "require: organisation.policy_approved is present",
            "prerequisites: g.a (depends on)",
            "dependents: g.c (depends on), g.sys.access (depends on)",
        ],
    );
    // No declaration, no verdict.
    assert!(!text.contains('⇒'), "{text}");
}

#[test]
fn explain_satisfied_result() {
    let text = explain(&["g.sys.backup", "--item", "erp", "--decl", FAILING]);
    snapshot("graph_explain_satisfied", &text);
    assert!(
        text.starts_with("g.sys.backup [erp]: satisfied\n"),
        "{text}"
    );
    assert_lines(
        &text,
        &[
            "s.critical → true",
            "· systems[erp].critical = yes",
            "s.stateless → false",
            "· systems[erp].stateless = none",
            "· systems[erp].backup_offsite = yes",
            "· systems[erp].restore_test = 2026-10-02",
            "depends on g.sys.owner: [erp] satisfied",
            "⇒ satisfied",
        ],
    );
}

#[test]
fn explain_violated_result() {
    let text = explain(&["g.base", "--decl", FAILING]);
    snapshot("graph_explain_violated", &text);
    assert!(text.starts_with("g.base: violated\n"), "{text}");
    assert_lines(
        &text,
        &[
            // The failing sub-condition, and the fact that made it fail.
            "organisation.risk_assessment.completed >= today - review_interval → false",
            "· organisation.risk_assessment.completed = 2025-03-01",
            "organisation.risk_assessment.criteria_defined → true",
            "· organisation.risk_assessment.criteria_defined = yes",
            "⇒ violated",
            "• The risk assessment of Sisowath Logistics Plc. was completed on 2025-03-01, more than a year ago",
        ],
    );
}

#[test]
fn explain_unknown_result() {
    let text = explain(&["g.sys.access", "--item", "portal", "--decl", FAILING]);
    snapshot("graph_explain_unknown", &text);
    assert!(
        text.starts_with("g.sys.access [portal]: unknown\n"),
        "{text}"
    );
    assert_lines(
        &text,
        &[
            // count([...]) >= 2 is decided although one of its conditions is not.
            "count([s.internet_facing, s.personal_data, s.critical]) >= 2 → true",
            "s.internet_facing → true",
            "· systems[portal].internet_facing = yes",
            "s.personal_data → unknown",
            "· systems[portal].personal_data = ?",
            "s.mfa → unknown",
            "· systems[portal].mfa = ?",
            "⇒ unknown",
            "missing: systems[portal].mfa",
        ],
    );
}

#[test]
fn explain_exempted_result() {
    let text = explain(&["g.sys.backup", "--item", "portal", "--decl", FAILING]);
    snapshot("graph_explain_exempted", &text);
    assert!(
        text.starts_with("g.sys.backup [portal]: not_applicable\n"),
        "{text}"
    );
    assert_lines(
        &text,
        &[
            "s.stateless → true",
            "· systems[portal].stateless = yes",
            "⇒ not_applicable",
            "• exempted: Public tracking portal holds no data of its own: it is rebuilt from its source repository and configuration",
        ],
    );
}

#[test]
fn explain_reading_other_obligations() {
    let text = explain(&["g.continuity", "--decl", FAILING]);
    assert!(text.starts_with("g.continuity: violated\n"), "{text}");
    assert_lines(
        &text,
        &[
            "not applies(g.sys.backup) or satisfied(g.sys.backup) → false",
            "applies(g.sys.backup) → true",
            "satisfied(g.sys.backup) → false",
        ],
    );
    let satisfied = explain(&["g.continuity", "--decl", SATISFIED]);
    assert!(
        satisfied.starts_with("g.continuity: satisfied\n"),
        "{satisfied}"
    );
    assert_lines(&satisfied, &["satisfied(g.sys.backup) → true"]);
}

#[test]
fn explain_json_trace() {
    let out = comply(
        "explain",
        &[
            "g.sys.access",
            "--item",
            "portal",
            "--decl",
            FAILING,
            "--format",
            "json",
        ],
    );
    assert_code(&out, 0);
    snapshot("graph_explain_unknown_json", &stdout(&out));
    let trace = json(&out);
    assert_eq!(trace["obligation"], "g.sys.access");
    assert_eq!(trace["item"], "portal");
    assert_eq!(trace["status"], "unknown");
    assert_eq!(strings(&trace["missing"]), ["systems[portal].mfa"]);
    let applies = &trace["clauses"][0];
    assert_eq!(applies["clause"], "applies when");
    assert_eq!(applies["condition"]["value"], "true");
    let children = applies["condition"]["children"].as_array().unwrap();
    assert_eq!(children.len(), 3, "{applies:#}");
    assert_eq!(
        children[1]["facts"],
        serde_json::json!([["systems[portal].personal_data", "?"]])
    );
}

/// The leaves of a JSON trace that read the declaration, with their facts.
fn fact_leaves<'a>(node: &'a Value, out: &mut Vec<&'a Value>) {
    let children = node["children"].as_array().unwrap();
    if children.is_empty() {
        out.push(node);
    }
    for c in children {
        fact_leaves(c, out);
    }
}

#[test]
fn explain_traces_show_every_fact_they_read() {
    let cases: [&[&str]; 5] = [
        &["g.sys.backup", "--item", "erp"],
        &["g.base"],
        &["g.sys.access", "--item", "portal"],
        &["g.sys.backup", "--item", "portal"],
        &["g.a"],
    ];
    for case in cases {
        let mut args = case.to_vec();
        args.extend(["--decl", FAILING]);
        let human = explain(&args);
        args.extend(["--format", "json"]);
        let trace = json(&comply("explain", &args));
        let mut leaves = Vec::new();
        for clause in trace["clauses"].as_array().unwrap() {
            fact_leaves(&clause["condition"], &mut leaves);
        }
        assert!(!leaves.is_empty(), "{trace:#}");
        for leaf in leaves {
            let text = leaf["text"].as_str().unwrap();
            let facts = leaf["facts"].as_array().unwrap();
            // Every condition on a path of the declaration names what it read.
            if text.contains("organisation.") || text.contains("s.") {
                assert!(!facts.is_empty(), "{case:?}: `{text}` shows no fact");
            }
            for fact in facts {
                let line = format!(
                    "· {} = {}",
                    fact[0].as_str().unwrap(),
                    fact[1].as_str().unwrap()
                );
                assert!(
                    human.lines().any(|l| l.trim() == line),
                    "{case:?}: `{line}` is not in the human trace:\n{human}"
                );
            }
        }
    }
}

#[test]
fn explain_agrees_with_check_on_every_result() {
    let report = failing_report();
    for r in report["results"].as_array().unwrap() {
        let id = r["obligation"].as_str().unwrap();
        let mut args = vec![id, "--decl", FAILING];
        if let Some(item) = r["item"].as_str() {
            args.extend(["--item", item]);
        }
        let text = explain(&args);
        let first = text.lines().next().unwrap_or_default();
        let expected = format!(
            "{}: {}",
            shown(id, r["item"].as_str()),
            r["status"].as_str().unwrap()
        );
        assert_eq!(first, expected, "{text}");
        for reason in strings(&r["reasons"]) {
            assert!(
                text.contains(reason),
                "{expected}: reason `{reason}` missing:\n{text}"
            );
        }
    }
}

#[test]
fn explain_per_item_obligation_needs_an_item() {
    let out = comply("explain", &["g.sys.backup", "--decl", FAILING]);
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("--item"), "{err}");
    assert!(
        err.contains("erp, crm, portal"),
        "the items are listed: {err}"
    );

    let out = comply(
        "explain",
        &["g.sys.backup", "--decl", FAILING, "--item", "crn"],
    );
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("crn"), "{err}");
    assert!(err.contains("erp, crm, portal"), "{err}");
}

#[test]
fn explain_item_without_declaration_names_the_missing_option() {
    let out = comply("explain", &["g.sys.owner", "--item", "erp"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("--decl"), "{err}");
}

// ------------------------------------------------------------------ comply graph

fn graph_node_ids(args: &[&str]) -> BTreeSet<String> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = comply("graph", &all);
    assert_code(&out, 0);
    json(&out)["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn graph_dot_of_test_pack() {
    let out = comply("graph", &["--format", "dot"]);
    assert_code(&out, 0);
    snapshot("graph_dot", &stdout(&out));
}

#[test]
fn graph_mermaid_of_test_pack() {
    let out = comply("graph", &["--format", "mermaid"]);
    assert_code(&out, 0);
    snapshot("graph_mermaid", &stdout(&out));
}

#[test]
fn graph_json_of_test_pack() {
    let out = comply("graph", &["--format", "json"]);
    assert_code(&out, 0);
    snapshot("graph_json", &stdout(&out));
}

#[test]
fn graph_has_the_dependencies_of_the_pack() {
    let graph = json(&comply("graph", &["--format", "json"]));
    let edges: BTreeSet<(&str, &str, &str)> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
            )
        })
        .filter(|(_, kind, _)| *kind != "calls")
        .collect();
    let expected: BTreeSet<(&str, &str, &str)> = [
        ("g.b", "depends on", "g.a"),
        ("g.c", "depends on", "g.b"),
        ("g.left", "depends on", "g.base"),
        ("g.right", "depends on", "g.base"),
        ("g.top", "depends on", "g.left"),
        ("g.top", "depends on", "g.right"),
        ("g.sys.backup", "depends on", "g.sys.owner"),
        ("g.sys.access", "depends on", "g.b"),
        ("g.continuity", "reads", "g.sys.backup"),
    ]
    .into_iter()
    .collect();
    assert_eq!(edges, expected);
}

#[test]
fn focus_keeps_what_the_obligation_needs_and_what_needs_it() {
    let ids = graph_node_ids(&["--focus", "g.left"]);
    for id in ["g.left", "g.base", "g.top"] {
        assert!(ids.contains(id), "{id} missing: {ids:?}");
    }
    for id in ["g.a", "g.b", "g.c", "g.right", "g.sys.owner"] {
        assert!(!ids.contains(id), "{id} present: {ids:?}");
    }
    // The same selection in the drawings.
    let dot = stdout(&comply("graph", &["--format", "dot", "--focus", "g.left"]));
    assert!(dot.contains("\"g.base\" ["), "{dot}");
    assert!(dot.contains("\"g.top\" -> \"g.left\""), "{dot}");
    assert!(!dot.contains("\"g.a\""), "{dot}");
    let mermaid = stdout(&comply(
        "graph",
        &["--format", "mermaid", "--focus", "g.left"],
    ));
    assert!(mermaid.contains("[\"g.top<br/>"), "{mermaid}");
    assert!(!mermaid.contains("[\"g.a<br/>"), "{mermaid}");
}

#[test]
fn impacted_by_keeps_what_would_change() {
    let ids = graph_node_ids(&["--impacted-by", "g.base"]);
    for id in ["g.base", "g.left", "g.right", "g.top"] {
        assert!(ids.contains(id), "{id} missing: {ids:?}");
    }
    for id in ["g.a", "g.b", "g.c", "g.sys.backup"] {
        assert!(!ids.contains(id), "{id} present: {ids:?}");
    }
    // Through an organisation-level obligation, to the per-system one.
    let ids = graph_node_ids(&["--impacted-by", "g.a"]);
    for id in ["g.a", "g.b", "g.c", "g.sys.access"] {
        assert!(ids.contains(id), "{id} missing: {ids:?}");
    }
    assert!(!ids.contains("g.base"), "{ids:?}");
}

#[test]
fn graph_of_unknown_obligation_is_refused() {
    let out = comply("graph", &["--focus", "g.middle"]);
    assert_code(&out, 2);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("g.middle"), "{}", stderr(&out));
}

/// `comply ARGS | dot -Tsvg`: the exit status and output of `dot`.
fn through_graphviz(comply_args: &[&str]) -> Output {
    let mut producer = base_command()
        .args(comply_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = producer.stdout.take().unwrap();
    let dot = Command::new("dot").arg("-Tsvg").stdin(pipe).output();
    let dot = match dot {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = producer.kill();
            let _ = producer.wait();
            panic!(
                "Graphviz is not installed: this test needs the `dot` program. Install \
                 graphviz (e.g. `apt-get install graphviz`, as .ci/run does) and run it again"
            );
        }
        Err(e) => panic!("cannot run `dot`: {e}"),
    };
    let produced = producer.wait_with_output().unwrap();
    assert_code(&produced, 0);
    dot
}

#[test]
fn dot_of_builtin_packs_is_accepted_by_graphviz() {
    let out = through_graphviz(&["graph", "--format", "dot"]);
    let svg = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "dot refused the graph:\n{}",
        stderr(&out)
    );
    assert!(stderr(&out).is_empty(), "dot warned:\n{}", stderr(&out));
    assert!(svg.contains("<svg"), "{svg}");
    assert!(svg.contains("<title>dp.dpia</title>"), "{svg}");

    // Every node and edge of the graph survived Graphviz's parsing.
    let graph = base_command()
        .args(["graph", "--format", "json"])
        .output()
        .unwrap();
    assert_code(&graph, 0);
    let graph = json(&graph);
    for n in graph["nodes"].as_array().unwrap() {
        let title = format!("<title>{}</title>", n["id"].as_str().unwrap());
        assert!(svg.contains(&title), "{title} is not drawn");
    }
    let edges = svg.matches("class=\"edge\"").count();
    assert_eq!(edges, graph["edges"].as_array().unwrap().len());
}

#[test]
fn dot_of_test_pack_is_accepted_by_graphviz() {
    let out = through_graphviz(&[
        "graph",
        "--format",
        "dot",
        "--no-default-rules",
        "--rules",
        PACK,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.contains("<title>g.top</title>"), "{svg}");
    assert!(svg.contains("<title>g.top&#45;&gt;g.left</title>"), "{svg}");
}

/// A prerequisite superseded for an item is stood in for by what supersedes it, as
/// `comply check` says: the plan must fix the stand-in first, not alongside.
#[test]
fn plan_waits_for_the_obligation_standing_in_for_a_superseded_prerequisite() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("ov");
    std::fs::create_dir(&pack).unwrap();
    std::fs::write(
        pack.join("pack.comply"),
        "pack v {\n  version \"1\"\n}\nextend Declaration {\n  items: list<VI>\n}\n\
         record VI key id {\n  id: text\n  a: bool\n  ok: bool\n}\n\
         obligation v.general for x in items {\n  require x.ok\n}\n\
         obligation v.s1 for x in items {\n  overrides v.general\n  applies when x.a\n  require x.ok\n}\n\
         obligation v.dep for x in items {\n  depends on v.general\n  require true\n}\n",
    )
    .unwrap();
    let decl = dir.path().join("d.yaml");
    std::fs::write(&decl, "items: [{id: one, a: true, ok: false}]\n").unwrap();
    let run = |sub: &str| {
        base_command()
            .args([
                sub,
                "--as-of",
                AS_OF,
                "--no-default-rules",
                "--format",
                "json",
            ])
            .arg("--rules")
            .arg(&pack)
            .arg(&decl)
            .output()
            .unwrap()
    };
    let report = json(&run("check"));
    assert_blocked_by(&report, "v.dep", Some("one"), &["v.s1[one]"]);
    let plan = json(&run("plan"));
    let waves = wave_of(&plan);
    assert_eq!(waves.get("v.s1[one]"), Some(&1), "{plan:#}");
    assert_eq!(waves.get("v.dep[one]"), Some(&2), "{plan:#}");
    let s1 = steps(&plan)
        .into_iter()
        .find(|(_, s)| name_of(s) == "v.s1[one]")
        .unwrap()
        .1;
    assert_eq!(strings(&s1["unblocks"]), ["v.dep[one]"]);
}
