//! Waivers (`--waivers FILE`), one logic for `check`, `plan` and `explain`: a waiver in
//! force turns a failing result into `waived` without hiding it, and dependents see the
//! waived prerequisite as met; an expired waiver waives nothing; expired, unused and
//! soon-expiring waivers are reported; a malformed file is an input error (exit 2).

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

fn report(args: &[&str]) -> (Value, String, i32) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let out = check_ci(&all);
    let code = out.status.code().unwrap();
    assert_ne!(code, 2, "{}", stderr(&out));
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        stderr(&out),
        code,
    )
}

fn result<'a>(r: &'a Value, obligation: &str, item: Option<&str>) -> &'a Value {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["obligation"] == obligation && x["item"].as_str() == item)
        .unwrap_or_else(|| panic!("no result {obligation} {item:?}"))
}

/// A waiver file in a temporary folder.
fn waivers(body: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "waivers.yaml", body);
    (dir, path.to_str().unwrap().to_string())
}

#[test]
fn a_valid_waiver_turns_the_result_into_waived_with_its_justification() {
    let (plain, _, _) = report(&[ACME]);
    assert_eq!(
        result(&plain, "s.contract", Some("cloudco"))["status"],
        "violated"
    );
    assert_eq!(
        result(&plain, "s.assessment", Some("cloudco"))["status"],
        "blocked"
    );

    let (r, _, _) = report(&[ACME, "--waivers", WAIVERS]);
    let contract = result(&r, "s.contract", Some("cloudco"));
    assert_eq!(contract["status"], "waived");
    assert_eq!(contract["waiver"]["status"], "violated");
    assert_eq!(contract["waiver"]["approved_by"], "Jane Roe, CISO");
    assert_eq!(contract["waiver"]["expires"], "2026-12-15");
    assert_eq!(contract["waiver"]["in_force"], true);
    // Never hidden: the justification comes first, the original reason stays.
    let reasons: Vec<&str> = contract["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("Contract in signature"), "{reasons:?}");
    assert!(reasons[0].contains("Jane Roe, CISO"), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|x| x.contains("without a signed contract")),
        "{reasons:?}"
    );
    // The dependent sees its waived prerequisite as met.
    assert_eq!(
        result(&r, "s.assessment", Some("cloudco"))["status"],
        "satisfied"
    );
    assert_eq!(r["summary"]["waived"], 1);
    assert_eq!(r["waivers"]["applied"], 1);
    // Other items of the same obligation are untouched.
    assert_eq!(
        result(&r, "s.contract", Some("mailfast"))["status"],
        "satisfied"
    );
}

#[test]
fn a_waiver_without_item_covers_every_item_and_can_turn_the_run_green() {
    let (_dir, path) = waivers(
        "waivers:
  - id: s.contract
    justification: Contracts renegotiated this quarter
    approved_by: Board
    expires: 2027-03-31
  - id: s.inventory
    justification: Register in the new GRC tool from January
    approved_by: Board
    expires: 2027-03-31
  - id: s.assessment
    item: mailfast
    justification: Assessment booked for December
    approved_by: Board
    expires: 2027-03-31
",
    );
    let out = check_ci(&[ACME, "--waivers", &path]);
    // Only the low-severity violation is left, below the default threshold.
    assert_code(&out, 0);
    assert!(stdout(&out).contains("waived"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Contracts renegotiated"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let (r, _, _) = report(&[ACME, "--waivers", &path]);
    assert_eq!(
        result(&r, "s.assessment", Some("mailfast"))["waiver"]["status"],
        "unknown"
    );
    assert_eq!(r["summary"]["waived"], 3);
}

#[test]
fn an_expired_waiver_waives_nothing_and_is_reported() {
    let (r, err, code) = report(&[ACME, "--waivers", WAIVERS]);
    assert_eq!(code, 1);
    let inventory = result(&r, "s.inventory", None);
    assert_eq!(inventory["status"], "violated");
    assert_eq!(inventory["waiver"]["in_force"], false);
    let expired = r["waivers"]["expired"].as_array().unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["id"], "s.inventory");
    assert_eq!(expired[0]["results"], 1);
    assert!(err.contains("comply::waiver::expired"), "{err}");
    assert!(err.contains("expired on 2026-10-31"), "{err}");
    assert!(
        err.contains("waivers.yaml:12:14"),
        "the warning points at the file: {err}"
    );
}

#[test]
fn an_unused_waiver_is_reported() {
    let (r, err, _) = report(&[ACME, "--waivers", WAIVERS]);
    let unused = r["waivers"]["unused"].as_array().unwrap();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["id"], "s.training");
    assert!(err.contains("comply::waiver::unused"), "{err}");
    assert!(
        err.contains("`s.training` matches no failing result"),
        "{err}"
    );
}

#[test]
fn a_waiver_expiring_within_30_days_is_flagged() {
    let (r, err, _) = report(&[ACME, "--waivers", WAIVERS]);
    let expiring = r["waivers"]["expiring"].as_array().unwrap();
    assert_eq!(expiring.len(), 1);
    assert_eq!(expiring[0]["id"], "s.contract");
    assert!(
        err.contains("expires on 2026-12-15 (22 days left)"),
        "{err}"
    );
    // Past that window it is not flagged.
    let out = check_ci(&[ACME, "--waivers", WAIVERS, "--as-of", "2026-11-01"]);
    assert!(!stderr(&out).contains("days left"), "{}", stderr(&out));
}

#[test]
fn a_malformed_waiver_file_is_an_input_error_with_its_place() {
    let (_dir, path) = waivers(
        "waivers:
  - id: s.contract
    item: cloudco
    justification: ''
    approved_by: Jane Roe
    expires: 31/12/2026
  - id: s.contrat
    justification: typo in the id
    approved_by: Jane Roe
    expires: 2027-01-01
    reviewer: John
  - item: mailfast
",
    );
    let out = check_ci(&[ACME, "--waivers", &path]);
    assert_code(&out, 2);
    assert!(out.stdout.is_empty(), "no report on unusable input");
    let err = stderr(&out).replace(&path, "[WAIVERS]");
    snapshot("waiver_malformed", &err);
}

#[test]
fn a_waiver_file_that_is_not_a_list_of_waivers_is_refused() {
    for body in [
        "- just a text\n",
        "waivers: 3\n",
        "waviers: []\n",
        "[unclosed\n",
    ] {
        let (_dir, path) = waivers(body);
        let out = check_ci(&[ACME, "--waivers", &path]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains("help:"),
            "{body:?}: every refusal has help:\n{err}"
        );
    }
    let out = check_ci(&[ACME, "--waivers", "no/such/waivers.yaml"]);
    assert_code(&out, 2);
}

#[test]
fn plan_and_explain_go_through_the_same_waivers() {
    let base = ["--as-of", AS_OF, "--no-default-rules", "--rules", PACK];
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", ACME, "--format", "json"];
        args.extend_from_slice(&base);
        args.extend_from_slice(extra);
        let out = comply(&args);
        assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
        stdout(&out)
    };
    let without = plan(&[]);
    let with = plan(&["--waivers", WAIVERS]);
    assert!(without.contains("s.contract"), "{without}");
    assert!(
        !with.contains("\"s.contract\""),
        "a waived result is not in the plan:\n{with}"
    );
    assert!(
        with.contains("s.inventory"),
        "an expired waiver waives nothing:\n{with}"
    );

    let mut args = vec!["explain", "s.contract", "--decl", ACME, "--item", "cloudco"];
    args.extend_from_slice(&base);
    args.extend_from_slice(&["--waivers", WAIVERS, "--format", "json"]);
    let out = comply(&args);
    assert_code(&out, 0);
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["status"], "waived");
    assert!(trace["reasons"][0]
        .as_str()
        .unwrap()
        .contains("Contract in signature"));
    assert!(
        stderr(&out).contains("comply::waiver::expired"),
        "{}",
        stderr(&out)
    );

    // A malformed file is refused by every command alike.
    let (_dir, path) = waivers("waivers:\n  - id: s.nothing\n");
    for cmd in ["plan", "explain"] {
        let mut args = if cmd == "plan" {
            vec!["plan", ACME]
        } else {
            vec!["explain", "s.inventory", "--decl", ACME]
        };
        args.extend_from_slice(&base);
        args.extend_from_slice(&["--waivers", &path]);
        let out = comply(&args);
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains("comply::waiver::invalid"),
            "{}",
            stderr(&out)
        );
    }
}
