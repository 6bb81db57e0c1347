//! Inputs found by fuzzing (`fuzz/`), replayed through the real binary.
//!
//! `tests/fuzz-regressions/<target>/` holds inputs of the fuzz target of that name: ones
//! that once crashed, hung or exhausted memory, and a few corpus entries that reach deep
//! code. Each is run the way a user would meet it, and must end with an exit code of the
//! contract (0 to 3) in bounded time, without a panic; a refusal (2) must come with a
//! diagnostic.
//!
//! - `rules/`: a rule file as a pack, checked alone (`--no-default-rules`, on an empty
//!   declaration) and beside the built-in packs (on a shipped fixture), linted, and
//!   through `fmt --check`;
//! - `declaration/`: a declaration, read as YAML and as JSON (`check`);
//! - `check/`: the same, writing every report format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-23";
/// A run taking longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Every `--format` of `comply check`.
const FORMATS: &[&str] = &[
    "human", "json", "sarif", "junit", "markdown", "github", "oscal-ar",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The stored inputs of one target, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fuzz-regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no stored inputs in {}", dir.display());
    files
}

/// Runs comply in `dir` with stdout and stderr in files (a full pipe could stall the child
/// while it is polled), and judges how it ended; `Err` says what is wrong.
fn run(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = dir.join("stdout.txt");
    let err = dir.join("stderr.txt");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`comply {}` still running after {TIMEOUT:?}",
                args.join(" ")
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err).unwrap()).into_owned();
    let head: String = stderr.lines().take(12).collect::<Vec<_>>().join("\n");
    let what = format!("`comply {}`", args.join(" "));
    if stderr.contains("panicked") {
        return Err(format!("{what} panicked:\n{head}"));
    }
    match status.code() {
        Some(2) if !stderr.contains("comply::") => {
            Err(format!("{what} exited 2 without a diagnostic:\n{head}"))
        }
        Some(0..=3) => Ok(()),
        Some(code) => Err(format!("{what} exited {code}:\n{head}")),
        None => Err(format!("{what} was killed by a signal:\n{head}")),
    }
}

/// Runs `case` on every stored input of `target` and fails with every problem found.
fn replay(target: &str, case: impl Fn(&Path, &Path) -> Vec<Result<(), String>>) {
    let mut failures = Vec::new();
    for input in inputs(target) {
        let dir = tempfile::tempdir().unwrap();
        for result in case(&input, dir.path()) {
            if let Err(e) = result {
                failures.push(format!("{}: {e}", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn rule_files_found_by_fuzzing_load_or_are_refused() {
    let compliant = root().join("fixtures/compliant.yaml");
    let compliant = compliant.to_str().unwrap();
    replay("rules", |input, dir| {
        // A pack folder of its own name: `lint` fills in every built-in pack beside it.
        let pack = dir.join("fuzz");
        std::fs::create_dir(&pack).unwrap();
        std::fs::copy(input, pack.join("fuzz.comply")).unwrap();
        // Alone, the pack's shape is unknown in advance: an empty declaration fits any.
        std::fs::write(dir.join("empty.yaml"), "{}\n").unwrap();
        let check = ["check", "--as-of", AS_OF, "--rules", "fuzz"];
        vec![
            run(
                dir,
                &[&check[..], &["--no-default-rules", "empty.yaml"]].concat(),
            ),
            run(dir, &[&check[..], &[compliant]].concat()),
            run(dir, &["lint", "fuzz"]),
            run(dir, &["fmt", "--check", "fuzz/fuzz.comply"]),
        ]
    });
}

/// The input under a `.yaml` and a `.json` name, as the fuzz targets read it.
fn as_yaml_and_json(input: &Path, dir: &Path) -> [String; 2] {
    ["input.yaml", "input.json"].map(|name| {
        std::fs::copy(input, dir.join(name)).unwrap();
        name.to_string()
    })
}

#[test]
fn declarations_found_by_fuzzing_load_or_are_refused() {
    replay("declaration", |input, dir| {
        as_yaml_and_json(input, dir)
            .iter()
            .map(|name| run(dir, &["check", "--as-of", AS_OF, name]))
            .collect()
    });
}

#[test]
fn declarations_found_by_fuzzing_give_every_report_format() {
    replay("check", |input, dir| {
        let mut results = Vec::new();
        for name in as_yaml_and_json(input, dir) {
            for format in FORMATS {
                results.push(run(
                    dir,
                    &["check", "--as-of", AS_OF, "--format", format, &name],
                ));
            }
        }
        results
    });
}
