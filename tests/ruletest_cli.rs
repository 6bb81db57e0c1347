//! `comply test`: the shipped rule tests pass with full coverage, and a wrong expectation
//! fails with a readable difference between what was expected and what came out.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::path::Path;
use std::process::{Command, Output};

fn comply(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn shipped_rule_tests_pass_with_full_coverage() {
    let out = comply(&["test", "rules", "--coverage"], repo());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("test result: ok."), "{stdout}");
    assert!(
        stdout.contains("coverage: every obligation applied and not applied, every require seen failing, every unless taken"),
        "{stdout}"
    );
}

const PACK: &str = r#"pack t {
  title en "Test" fr "Test"
  version "1"
}

record Organisation {
  employees: int
  register: bool
}

extend Declaration {
  organisation: Organisation
}

obligation t.register {
  title en "Keep a register" fr "Tenir un registre"
  applies when organisation.employees >= 250
  require organisation.register
    else en "No register for {organisation.employees} employees"
         fr "Pas de registre pour {organisation.employees} salariés"
}
"#;

const TESTS: &str = r#"as_of: 2026-11-23
cases:
  - name: a large organisation with a register
    declaration:
      organisation: {employees: 300, register: true}
    expect:
      t.register: satisfied
  - name: a planted mistake, a large organisation without a register said to comply
    declaration:
      organisation: {employees: 300, register: false}
    expect:
      t.register: satisfied
"#;

#[test]
fn a_wrong_expectation_fails_with_a_readable_difference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pack/tests")).unwrap();
    std::fs::write(dir.path().join("pack/rules.comply"), PACK).unwrap();
    std::fs::write(dir.path().join("pack/tests/register.test.yaml"), TESTS).unwrap();
    let out = comply(&["test", "pack", "--no-default-rules"], dir.path());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("ruletest_planted_failure", stdout);
    });
    let junit = comply(
        &["test", "pack", "--no-default-rules", "--format", "junit"],
        dir.path(),
    );
    let xml = String::from_utf8(junit.stdout).unwrap();
    assert_eq!(junit.status.code(), Some(1));
    assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
    assert!(
        xml.contains("t.register: expected satisfied, found violated"),
        "{xml}"
    );
}

#[test]
fn an_expectation_on_an_unknown_obligation_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pack/tests")).unwrap();
    std::fs::write(dir.path().join("pack/rules.comply"), PACK).unwrap();
    std::fs::write(
        dir.path().join("pack/tests/typo.test.yaml"),
        TESTS.replace("t.register: satisfied", "t.regster: satisfied"),
    )
    .unwrap();
    let out = comply(&["test", "pack", "--no-default-rules"], dir.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("unknown obligation `t.regster`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `t.register`?"), "{stderr}");
}

/// Runs `comply test` on the test pack with `tests` as its only test file, expecting a
/// refusal, and snapshots the diagnostic.
fn refused_test_file(name: &str, tests: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pack/tests")).unwrap();
    std::fs::write(dir.path().join("pack/rules.comply"), PACK).unwrap();
    std::fs::write(dir.path().join("pack/tests/t.test.yaml"), tests).unwrap();
    let out = comply(&["test", "pack", "--no-default-rules"], dir.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("help:"), "{stderr}");
    insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, stderr);
    });
    stderr
}

#[test]
fn an_empty_test_file_is_explained_where_it_is_refused() {
    let stderr = refused_test_file("ruletest_empty_file", "");
    assert!(!stderr.contains("docs/testing.md"), "{stderr}");
    assert!(stderr.contains("README.md"), "{stderr}");
    assert!(repo().join("README.md").exists());
}

#[test]
fn a_case_with_two_declarations_is_refused() {
    let tests = TESTS.replace(
        "    declaration:\n      organisation: {employees: 300, register: true}\n",
        "    declaration_file: org.yaml\n    declaration:\n      organisation: {employees: 300, register: true}\n",
    );
    let stderr = refused_test_file("ruletest_two_declarations", &tests);
    assert!(
        stderr.contains("both `declaration` and `declaration_file`"),
        "{stderr}"
    );
}
