//! `comply check` over a folder loads and evaluates the declarations across threads
//! (`--jobs`), and decides the items of one declaration's obligations across them; what
//! it prints must not depend on how many: the same stdout, stderr and exit code with one
//! thread, two or eight, in every report format, for usable folders, for folders with
//! unusable files (every diagnostic, in file order) and for one large declaration.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;

const AS_OF: &str = "2026-11-23";

const FORMATS: [&str; 7] = [
    "json", "human", "sarif", "junit", "markdown", "github", "oscal-ar",
];

/// The shipped fixtures the folders are made from.
const FIXTURES: [&str; 8] = [
    "cloud-provider.yaml",
    "compliant.yaml",
    "incomplete.yaml",
    "ministry.yaml",
    "not-applicable.yaml",
    "telecom-operator.yaml",
    "violating.json",
    "violating.yaml",
];

/// Facts changed in each variant of a fixture (`key`, from, to), so that the copies of one
/// organisation get different results.
const VARIANTS: [&[(&str, &str, &str)]; 5] = [
    &[],
    &[
        ("in_register", "false", "true"),
        ("large_scale", "false", "true"),
    ],
    &[
        ("in_register", "true", "false"),
        ("occasional", "false", "true"),
    ],
    &[("large_scale", "true", "false"), ("risk", "high", "likely")],
    &[("public_authority", "false", "true")],
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture with the facts of variant `k` changed and, past the first variant, its
/// organisation renamed.
fn variant(text: &str, json: bool, k: usize) -> String {
    let mut text = text.to_string();
    for (key, from, to) in VARIANTS[k] {
        let (from, to) = if json {
            (format!("\"{key}\": {from}"), format!("\"{key}\": {to}"))
        } else {
            (format!("{key}: {from}"), format!("{key}: {to}"))
        };
        text = text.replace(&from, &to);
    }
    if k > 0 {
        // The organisation's name is the first `name` of every fixture.
        let (field, renamed) = if json {
            ("\"name\": \"", format!("\"name\": \"Variant {k} of "))
        } else {
            ("  name: ", format!("  name: Variant {k} of "))
        };
        text = text.replacen(field, &renamed, 1);
    }
    text
}

/// Writes the 40 usable declarations (five variants of each fixture) into `dir`, named so
/// that the variants of one fixture are spread over the folder; returns their paths in
/// file-name order.
fn write_usable(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for k in 0..VARIANTS.len() {
        for (i, name) in FIXTURES.iter().enumerate() {
            let text = std::fs::read_to_string(root().join("fixtures").join(name)).unwrap();
            let json = name.ends_with(".json");
            let path = dir.join(format!("d{:02}-v{k}-{name}", k * FIXTURES.len() + i));
            std::fs::write(&path, variant(&text, json, k)).unwrap();
            paths.push(path);
        }
    }
    paths.sort();
    paths
}

/// Two declarations that cannot be used, one that does not parse and one whose field has
/// the wrong type, named to sort among the usable ones.
fn write_unusable(dir: &Path) -> Vec<PathBuf> {
    let violating = std::fs::read_to_string(root().join("fixtures/violating.yaml")).unwrap();
    let broken = [
        (
            "d05-broken-syntax.yaml",
            "organisation:\n  name: [Unclosed Co.\n  country: KH\n".to_string(),
        ),
        (
            "d23-wrong-type.yaml",
            violating.replace("employees: 180", "employees: many"),
        ),
    ];
    broken
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

/// A temporary folder of the 40 usable declarations, and a second one with the same and
/// the two unusable ones.
struct Corpus {
    _dir: tempfile::TempDir,
    usable: PathBuf,
    mixed: PathBuf,
    files: Vec<PathBuf>,
    unusable: Vec<PathBuf>,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let usable = dir.path().join("usable");
    let mixed = dir.path().join("mixed");
    std::fs::create_dir(&usable).unwrap();
    std::fs::create_dir(&mixed).unwrap();
    let files = write_usable(&usable);
    write_usable(&mixed);
    let unusable = write_unusable(&mixed);
    Corpus {
        _dir: dir,
        usable,
        mixed,
        files,
        unusable,
    }
}

/// `comply check --as-of 2026-11-23 [--jobs N] --format F ARGS` without colour; `jobs`
/// `None` leaves the thread count to the default.
fn check(jobs: Option<usize>, format: &str, args: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_comply"));
    cmd.arg("check")
        .arg("--as-of")
        .arg(AS_OF)
        .arg("--format")
        .arg(format)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("RAYON_NUM_THREADS");
    if let Some(n) = jobs {
        cmd.arg("--jobs").arg(n.to_string());
    }
    cmd.output().unwrap()
}

/// The thread count of a run, as its options say it.
fn shown(jobs: Option<usize>) -> String {
    jobs.map_or_else(
        || "with the default --jobs".to_string(),
        |n| format!("--jobs {n}"),
    )
}

/// Asserts that two runs printed the same thing on both streams and exited alike.
#[track_caller]
fn assert_same(expected: &Output, actual: &Output, what: &str) {
    assert_eq!(
        expected.status.code(),
        actual.status.code(),
        "{what}: exit code"
    );
    assert!(
        expected.stderr == actual.stderr,
        "{what}: stderr differs\n--- expected\n{}\n--- actual\n{}",
        String::from_utf8_lossy(&expected.stderr),
        String::from_utf8_lossy(&actual.stderr)
    );
    assert!(
        expected.stdout == actual.stdout,
        "{what}: stdout differs (first difference at byte {})",
        expected
            .stdout
            .iter()
            .zip(&actual.stdout)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.stdout.len().min(actual.stdout.len()))
    );
}

#[test]
fn a_usable_folder_reports_the_same_in_every_format_whatever_the_thread_count() {
    let c = corpus();
    for format in FORMATS {
        let one = check(Some(1), format, &[&c.usable]);
        // The fixtures include violations: the run fails, but every file is usable.
        assert_eq!(one.status.code(), Some(1), "{format}");
        assert!(
            one.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&one.stderr)
        );
        for jobs in [Some(2), Some(8), None] {
            let other = check(jobs, format, &[&c.usable]);
            assert_same(&one, &other, &format!("--format {format} {}", shown(jobs)));
        }
    }
    // Every declaration is in the report, in file-name order.
    let table = String::from_utf8(check(Some(8), "human", &[&c.usable]).stdout).unwrap();
    let shown: Vec<&str> = table
        .lines()
        .filter_map(|l| l.rsplit("  ").next())
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".json"))
        .collect();
    let expected: Vec<String> = c.files.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(shown, expected);
    assert!(table.contains("summary: 40 organisations"), "{table}");
}

#[test]
fn unusable_files_are_all_reported_in_file_order_whatever_the_thread_count() {
    let c = corpus();
    let one = check(Some(1), "json", &[&c.mixed]);
    assert_eq!(one.status.code(), Some(2));
    assert!(one.stdout.is_empty(), "no report when a file is unusable");
    let stderr = String::from_utf8(one.stderr.clone()).unwrap();
    let at: Vec<usize> = c
        .unusable
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            stderr
                .find(name)
                .unwrap_or_else(|| panic!("`{name}` is not reported:\n{stderr}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not in file order:\n{stderr}"
    );
    for format in FORMATS {
        let one = check(Some(1), format, &[&c.mixed]);
        for jobs in [Some(2), Some(8), None] {
            let other = check(jobs, format, &[&c.mixed]);
            assert_same(&one, &other, &format!("--format {format} {}", shown(jobs)));
        }
    }
}

#[test]
fn rayon_num_threads_sets_the_default_and_jobs_overrides_it() {
    let c = corpus();
    let one = check(Some(1), "json", &[&c.usable]);
    let from_env = |jobs: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_comply"));
        cmd.args(["check", "--as-of", AS_OF, "--format", "json"])
            .arg(&c.usable)
            .current_dir(root())
            .env("RAYON_NUM_THREADS", "3");
        if let Some(j) = jobs {
            cmd.args(["--jobs", j]);
        }
        cmd.output().unwrap()
    };
    assert_same(&one, &from_env(None), "RAYON_NUM_THREADS=3");
    assert_same(&one, &from_env(Some("2")), "RAYON_NUM_THREADS=3 --jobs 2");
}

#[test]
fn zero_jobs_is_a_usage_error() {
    let c = corpus();
    let out = check(Some(0), "json", &[&c.usable]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--jobs"), "{stderr}");
    assert!(stderr.contains("comply::usage"), "{stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 8,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// check is deterministic across thread counts: any files, in any order (given one by
    /// one, so the order is theirs), with an unusable one or not, in any format.
    #[test]
    fn check_is_deterministic_across_thread_counts(
        picks in prop::collection::vec(0usize..40, 2..12),
        broken in prop::option::of(0usize..2),
        at in any::<prop::sample::Index>(),
        jobs in 2usize..=8,
        format in prop::sample::select(FORMATS.to_vec()),
    ) {
        let c = corpus();
        let mut files: Vec<&Path> = picks.iter().map(|&i| c.files[i].as_path()).collect();
        if let Some(b) = broken {
            files.insert(at.index(files.len() + 1), c.unusable[b].as_path());
        }
        let one = check(Some(1), format, &files);
        let many = check(Some(jobs), format, &files);
        prop_assert_eq!(one.status.code(), many.status.code());
        prop_assert_eq!(
            String::from_utf8_lossy(&one.stderr),
            String::from_utf8_lossy(&many.stderr)
        );
        prop_assert!(one.stdout == many.stdout, "stdout differs with --jobs {}", jobs);
    }
}

/// Workers run the recursive stages that the nesting limits guard: an expression nested to
/// the limit is evaluated on them as it is on the main thread.
#[test]
fn expressions_nested_to_the_limit_are_evaluated_on_worker_threads() {
    let dir = tempfile::tempdir().unwrap();
    let chain = vec!["x"; 400].join(" and ");
    std::fs::write(
        dir.path().join("deep.comply"),
        format!(
            "pack t {{ title \"T\" version \"1\" }}\nextend Declaration {{ x: bool }}\n\
             obligation t.a {{ require {chain} }}\n"
        ),
    )
    .unwrap();
    let decls = dir.path().join("decls");
    std::fs::create_dir(&decls).unwrap();
    for (name, x) in [("a.yaml", "true"), ("b.yaml", "false"), ("c.yaml", "true")] {
        std::fs::write(decls.join(name), format!("x: {x}\n")).unwrap();
    }
    let run = |jobs: &str| {
        Command::new(env!("CARGO_BIN_EXE_comply"))
            .args(["check", "--no-default-rules", "--rules", "deep.comply"])
            .args([
                "--as-of", AS_OF, "--format", "json", "--jobs", jobs, "decls",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let one = run("1");
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_same(&one, &run("3"), "--jobs 3");
}

/// One large declaration: the items of each obligation are decided across the threads,
/// and the output is the same whatever their number, in every format, with waivers (whose
/// warnings come from every thread's results) and listing every result or the failing
/// ones.
#[test]
fn a_large_declaration_reports_the_same_whatever_the_thread_count() {
    let program = comply::packs::load(comply::packs::builtin()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let decl = dir.path().join("large.json");
    std::fs::write(&decl, xtask::declaration(&program, 1_000, 3)).unwrap();
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:\n\
         \x20 - id: dp.dpia.review\n\
         \x20   justification: Reviews planned with the new register\n\
         \x20   approved_by: Jane Roe, DPO\n\
         \x20   expires: 2026-12-10\n\
         \x20 - id: cloud.support\n\
         \x20   justification: Support contracts being renegotiated\n\
         \x20   approved_by: Jane Roe, DPO\n\
         \x20   expires: 2026-10-01\n",
    )
    .unwrap();
    let run = |jobs: Option<usize>, format: &str, results: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_comply"));
        cmd.args(["check", "--as-of", AS_OF, "--format", format])
            .args(["--results", results, "--waivers"])
            .arg(&waivers)
            .arg(&decl)
            .env("NO_COLOR", "1")
            .env_remove("RAYON_NUM_THREADS");
        if let Some(n) = jobs {
            cmd.arg("--jobs").arg(n.to_string());
        }
        cmd.output().unwrap()
    };
    let cases = FORMATS
        .iter()
        .map(|f| (*f, "all"))
        .chain([("json", "failing"), ("human", "failing")]);
    for (format, results) in cases {
        let one = run(Some(1), format, results);
        assert_eq!(
            one.status.code(),
            Some(1),
            "{format}: violations fail the run"
        );
        let stderr = String::from_utf8_lossy(&one.stderr);
        assert!(
            stderr.contains("expired") && stderr.contains("expires"),
            "{format}: the waiver warnings are printed:\n{stderr}"
        );
        for jobs in [Some(2), Some(8), None] {
            let other = run(jobs, format, results);
            let what = format!("--format {format} --results {results} {}", shown(jobs));
            assert_same(&one, &other, &what);
        }
    }
}
