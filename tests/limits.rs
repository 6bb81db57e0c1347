//! Rule files nested past the limits are refused with a diagnostic, never a crash.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::process::Command;

fn check(rules: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.comply"), rules).unwrap();
    std::fs::write(dir.path().join("decl.yaml"), "x: true\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args([
            "check",
            "decl.yaml",
            "--no-default-rules",
            "--rules",
            "deep.comply",
            "--as-of",
            "2026-11-23",
        ])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn pack(condition: &str) -> String {
    format!(
        "pack t {{ title \"T\" version \"1\" }}\nextend Declaration {{ x: bool }}\nobligation t.a {{ require {condition} }}\n"
    )
}

#[test]
fn a_long_chain_of_operators_is_refused_at_the_limit() {
    let at_limit = vec!["x"; 400].join(" and ");
    let (code, _, stderr) = check(&pack(&at_limit));
    assert_eq!(code, Some(0), "{stderr}");
    let past = vec!["x"; 20_000].join(" and ");
    let (code, stdout, stderr) = check(&pack(&past));
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert!(stderr.contains("comply::limit"), "{stderr}");
    assert!(
        stderr.contains("an expression nested more than 400 deep"),
        "{stderr}"
    );
    assert!(stderr.contains("deep.comply"), "{stderr}");
}

#[test]
fn deep_brackets_and_negations_are_refused() {
    for condition in [
        format!("{}x{}", "(".repeat(5_000), ")".repeat(5_000)),
        format!("{}x", "not ".repeat(5_000)),
    ] {
        let (code, stdout, stderr) = check(&pack(&condition));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("nested more than 64 deep"), "{stderr}");
        assert!(stderr.contains("split the condition"), "{stderr}");
    }
}
