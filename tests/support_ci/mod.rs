//! Helpers shared by the tests of the CI formats, waivers and baselines: running the
//! binary, snapshot filters, and finding the real readers that `.ci/readers` installs.

#![allow(
    dead_code,
    reason = "each test file uses a different part of these helpers"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const AS_OF: &str = "2026-11-23";
/// The test pack and its declarations.
pub const PACK: &str = "tests/packs/ci";
pub const ACME: &str = "tests/packs/ci-decls/acme.yaml";
pub const WAIVERS: &str = "tests/packs/ci-decls/waivers.yaml";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `comply ARGS`, run from the crate root without colour.
pub fn comply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `comply check --as-of 2026-11-23 --no-default-rules --rules tests/packs/ci ARGS`.
pub fn check_ci(args: &[&str]) -> Output {
    let mut all = vec![
        "check",
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        PACK,
    ];
    all.extend_from_slice(args);
    comply(&all)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
pub fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Redactions for snapshots: the tool version and the pack digests.
pub fn filters() -> Vec<(String, String)> {
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    vec![
        (format!(r"\b{version}\b"), "[VERSION]".to_string()),
        (
            "sha256:[0-9a-f]{64}".to_string(),
            "sha256:[DIGEST]".to_string(),
        ),
    ]
}

pub fn snapshot(name: &str, text: &str) {
    let filters = filters();
    let filters: Vec<(&str, &str)> = filters
        .iter()
        .map(|(re, by)| (re.as_str(), by.as_str()))
        .collect();
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        filters => filters,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Every shipped fixture (`fixtures/*.yaml`, `*.yml`, `*.json`), sorted.
pub fn fixtures() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .map(|p| format!("fixtures/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures found");
    out
}

/// The folder `.ci/readers` installs the readers into.
pub fn readers_dir() -> PathBuf {
    match std::env::var_os("COMPLY_READERS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
            .join(".cache/comply-readers"),
    }
}

/// A reader's executable: from the folder `.ci/readers` fills, else from `PATH`. A missing
/// reader fails the test with the way to install it; it is never skipped.
pub fn reader(name: &str) -> PathBuf {
    let dir = readers_dir();
    for candidate in [
        dir.join("venv/bin").join(name),
        dir.join("node/node_modules/.bin").join(name),
    ] {
        if candidate.is_file() {
            return candidate;
        }
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for p in std::env::split_paths(&paths) {
            let candidate = p.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "`{name}` is not installed: this test runs the real reader of the format. \
         Run `.ci/readers` (which `.ci/run` calls) to install the pinned readers into {} \
         (or set COMPLY_READERS to where they are).",
        dir.display()
    );
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
