//! Inputs past the limits are refused with a diagnostic, never a crash: rule files nested
//! too deeply, files too large, lists too long, predicates calling one another too deep.
//! At each limit the run still succeeds.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::snapshot;

/// What a run of the binary left behind.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `comply ARGS` in a temporary folder holding `files`.
fn run(files: &[(&str, &str)], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `comply check DECL` against the one rule file `pack.comply`, with extra options.
fn check_with(rules: &str, decl: (&str, &str), options: &[&str]) -> Run {
    let mut args = vec![
        "check",
        decl.0,
        "--no-default-rules",
        "--rules",
        "pack.comply",
        "--as-of",
        "2026-11-23",
    ];
    args.extend_from_slice(options);
    run(&[("pack.comply", rules), decl], &args)
}

fn check(rules: &str) -> (Option<i32>, String, String) {
    let r = check_with(rules, ("decl.yaml", "x: true\n"), &[]);
    (r.code, r.stdout, r.stderr)
}

/// Asserts the run was refused with `comply::limit` and nothing on stdout, then
/// snapshots the rendered diagnostic.
fn refused(name: &str, r: &Run) {
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.starts_with("comply::limit\n"), "{}", r.stderr);
    assert!(r.stderr.contains("help:"), "{}", r.stderr);
    snapshot(name, &r.stderr);
}

fn passed(r: &Run) {
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
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
    assert!(stderr.contains("pack.comply"), "{stderr}");
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

#[test]
fn quantifiers_nested_without_brackets_are_refused_not_overflowed() {
    let items = "pack t { title \"T\" version \"1\" }\n\
                 extend Declaration { x: bool  l: list<bool> }\n";
    let rules = |n: usize| {
        format!(
            "{items}obligation t.a {{ require {}x }}\n",
            "any y in l: y or ".repeat(n)
        )
    };
    let decl = ("decl.yaml", "x: true\nl: [false]\n");
    passed(&check_with(&rules(64), decl, &[]));
    // Thousands of heads used to overflow the parser's stack (a crash, exit 134).
    let past = check_with(&rules(65), decl, &[]);
    refused("limit_quantifiers", &past);
    for r in [past, check_with(&rules(5_000), decl, &[])] {
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(
            r.stderr.contains("quantifiers nested more than 64 deep"),
            "{}",
            r.stderr
        );
    }
}

// ------------------------------------------------------------------ size of files

const ITEMS_PACK: &str = "pack t { title \"T\" version \"1\" }
record Item key id { id: text  ok: bool }
extend Declaration { items: list<Item> }
obligation t.a for i in items { require i.ok }
";

/// A YAML declaration with `n` items.
fn items_yaml(n: usize) -> String {
    let mut text = String::from("items:\n");
    for i in 0..n {
        text.push_str(&format!("  - {{ id: i{i}, ok: true }}\n"));
    }
    text
}

#[test]
fn a_declaration_over_the_size_limit_is_refused_before_it_is_read() {
    let decl = items_yaml(3);
    let size = decl.len().to_string();
    let at_limit = check_with(
        ITEMS_PACK,
        ("decl.yaml", &decl),
        &["--max-file-size", &size],
    );
    passed(&at_limit);

    let one_less = (decl.len() - 1).to_string();
    let past = check_with(
        ITEMS_PACK,
        ("decl.yaml", &decl),
        &["--max-file-size", &one_less],
    );
    refused("limit_file_size", &past);
    assert!(past.stderr.contains(&format!(
        "`decl.yaml` is {} bytes, more than the limit of {one_less} bytes",
        decl.len()
    )));
}

#[test]
fn sizes_take_units_and_a_baseline_is_held_to_the_same_limit() {
    let decl = items_yaml(40);
    assert!(decl.len() > 1024 && decl.len() < 2048);
    passed(&check_with(
        ITEMS_PACK,
        ("decl.yaml", &decl),
        &["--max-file-size", "2KiB"],
    ));
    let past = check_with(
        ITEMS_PACK,
        ("decl.yaml", &decl),
        &["--max-file-size", "1KiB"],
    );
    assert_eq!(past.code, Some(2));
    assert!(
        past.stderr.contains("more than the limit of 1 KiB"),
        "{}",
        past.stderr
    );

    let baseline = format!("{{\"padding\": \"{}\"}}", " ".repeat(2048));
    let r = run(
        &[
            ("pack.comply", ITEMS_PACK),
            ("decl.yaml", &decl),
            ("old.json", &baseline),
        ],
        &[
            "check",
            "decl.yaml",
            "--no-default-rules",
            "--rules",
            "pack.comply",
            "--max-file-size",
            "2KiB",
            "--baseline",
            "old.json",
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let message = format!("`old.json` is {} bytes", baseline.len());
    assert!(r.stderr.contains(&message), "{}", r.stderr);
}

#[test]
fn a_pipe_over_the_size_limit_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.comply"), ITEMS_PACK).unwrap();
    // More than the pipe buffer: the writer is cut off once comply stops reading.
    let r = piped(
        dir.path(),
        &[
            "check",
            "/dev/stdin",
            "--no-default-rules",
            "--rules",
            "pack.comply",
            "--max-file-size",
            "1000",
        ],
        items_yaml(20_000).as_bytes(),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`/dev/stdin` holds more than the limit of 1000 bytes"),
        "{}",
        r.stderr
    );
}

/// Runs `comply ARGS` in `dir` with `input` written to its standard input; a write cut
/// off because comply stopped reading is expected.
fn piped(dir: &std::path::Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn a_rule_file_over_8_mib_is_refused_before_it_is_read() {
    let text = format!("# {}\n", "x".repeat(8 * 1024 * 1024));
    let r = check_with(&text, ("decl.yaml", "x: true\n"), &[]);
    refused("limit_rule_file_size", &r);
}

#[test]
fn rule_text_piped_to_fmt_over_8_mib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("# {}\n", "x".repeat(8 * 1024 * 1024));
    let r = piped(dir.path(), &["fmt", "-"], text.as_bytes());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.starts_with("comply::limit\n"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`<stdin>` holds more than the limit of 8 MiB"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_size_is_a_usage_error() {
    for size in ["12M", "0", "-1", "1.5GiB"] {
        let r = check_with(
            ITEMS_PACK,
            ("decl.yaml", "items: []\n"),
            &["--max-file-size", size],
        );
        assert_eq!(r.code, Some(2), "{size}: {}", r.stderr);
        assert!(r.stderr.contains("comply::usage"), "{size}: {}", r.stderr);
        assert!(r.stderr.contains("--max-file-size"), "{size}: {}", r.stderr);
    }
    let r = check_with(
        ITEMS_PACK,
        ("decl.yaml", "items: []\n"),
        &["--max-list-items", "0"],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("comply::usage"), "{}", r.stderr);
}

// ------------------------------------------------------------------ length of lists

#[test]
fn a_list_over_the_length_limit_is_refused_at_the_item_that_passes_it() {
    let decl = items_yaml(3);
    passed(&check_with(
        ITEMS_PACK,
        ("decl.yaml", &decl),
        &["--max-list-items", "3"],
    ));
    let past = check_with(ITEMS_PACK, ("decl.yaml", &decl), &["--max-list-items", "2"]);
    refused("limit_list_items", &past);

    let json = r#"{"items": [{"id": "a", "ok": true}, {"id": "b", "ok": true}]}"#;
    passed(&check_with(
        ITEMS_PACK,
        ("decl.json", json),
        &["--max-list-items", "2"],
    ));
    let past = check_with(ITEMS_PACK, ("decl.json", json), &["--max-list-items", "1"]);
    assert_eq!(past.code, Some(2), "{}", past.stderr);
    assert!(
        past.stderr.contains("`items` has more than 1 items"),
        "{}",
        past.stderr
    );
    let second = json.find(r#"{"id": "b""#).unwrap() + 1;
    let place = format!("decl.json:1:{second}");
    assert!(past.stderr.contains(&place), "{}", past.stderr);
}

#[test]
fn the_list_limit_holds_for_nested_lists_and_for_explain_and_plan() {
    let rules = "pack t { title \"T\" version \"1\" }
record Item key id { id: text  ok: bool  tags: list<text> }
extend Declaration { items: list<Item> }
obligation t.a for i in items { require i.ok }
";
    let decl = "items:\n  - id: a\n    ok: true\n    tags: [p, q, r]\n";
    passed(&check_with(
        rules,
        ("decl.yaml", decl),
        &["--max-list-items", "3"],
    ));
    let past = check_with(rules, ("decl.yaml", decl), &["--max-list-items", "2"]);
    assert_eq!(past.code, Some(2), "{}", past.stderr);
    assert!(
        past.stderr
            .contains("`items[a].tags` has more than 2 items"),
        "{}",
        past.stderr
    );
    for command in [
        vec!["explain", "t.a", "--decl", "decl.yaml"],
        vec!["plan", "decl.yaml"],
    ] {
        let mut args = command.clone();
        args.extend([
            "--no-default-rules",
            "--rules",
            "pack.comply",
            "--max-list-items",
            "2",
        ]);
        let r = run(&[("pack.comply", rules), ("decl.yaml", decl)], &args);
        assert_eq!(r.code, Some(2), "{command:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("comply::limit"),
            "{command:?}: {}",
            r.stderr
        );
    }
    // The impact of a new version of a pack reads declarations under the same limit.
    let r = run(
        &[("pack.comply", rules), ("decl.yaml", decl)],
        &[
            "diff",
            "pack.comply",
            "pack.comply",
            "--decl",
            "decl.yaml",
            "--max-list-items",
            "2",
        ],
    );
    assert_eq!(r.code, Some(2), "diff: {}", r.stderr);
    assert!(
        r.stderr.contains("`items[a].tags` has more than 2 items"),
        "diff: {}",
        r.stderr
    );
}

// ------------------------------------------------------------------ depth of calls

/// A pack where `d0` calls `d1` … calls `d{n-1}`, which reads `x`: a chain of `n`.
fn chain(n: usize) -> String {
    let mut text =
        String::from("pack t { title \"T\" version \"1\" }\nextend Declaration { x: bool }\n");
    for i in 0..n - 1 {
        text.push_str(&format!("define d{i}(v: bool) = d{}(v)\n", i + 1));
    }
    text.push_str(&format!("define d{}(v: bool) = v\n", n - 1));
    text.push_str("obligation t.a { require d0(x) }\n");
    text
}

#[test]
fn a_chain_of_predicate_calls_is_refused_past_256() {
    passed(&check_with(&chain(256), ("decl.yaml", "x: true\n"), &[]));
    let past = check_with(&chain(257), ("decl.yaml", "x: true\n"), &[]);
    refused("limit_call_depth", &past);
    // Reported once, where the chain passes the limit, not again for each caller.
    assert_eq!(past.stderr.matches("comply::limit").count(), 1);
    assert!(past.stderr.contains("pack.comply:3:"), "{}", past.stderr);
}

#[test]
fn a_chain_of_thousands_of_predicates_is_refused_not_overflowed() {
    // Before the limit, the graph overflowed the stack at about 16,000 predicates in a
    // debug build and the evaluator at about 3,900.
    let r = check_with(&chain(40_000), ("decl.yaml", "x: true\n"), &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(r.stderr.matches("comply::limit").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("predicates call one another more than 256 deep"),
        "{}",
        r.stderr
    );
}

/// `d0` → `d1` → `d2` → `d3` (`x`), each call at the bottom of a chain of `and`: the
/// call of `d1` at `top` levels, the others at 399, so `d0` nests `top + 799` levels.
fn deep_chain(top: usize) -> String {
    let body = |call: &str, levels: usize| {
        let mut text = call.to_string();
        for _ in 1..levels {
            text.push_str("\n  and x");
        }
        text
    };
    format!(
        "pack t {{ title \"T\" version \"1\" }}\nextend Declaration {{ x: bool }}\n\
         define d0 = {}\ndefine d1 = {}\ndefine d2 = {}\ndefine d3 = x\n\
         obligation t.a {{ require d0 }}\n",
        body("d1", top),
        body("d2", 399),
        body("d3", 399),
    )
}

#[test]
fn predicates_nested_past_1000_levels_in_all_are_refused() {
    passed(&check_with(
        &deep_chain(201),
        ("decl.yaml", "x: true\n"),
        &[],
    ));
    let past = check_with(&deep_chain(202), ("decl.yaml", "x: true\n"), &[]);
    refused("limit_nested_levels", &past);
}

// ------------------------------------------------------------------ work per result

/// Nested quantifiers over one list: `n` items cost about `n`³ expressions.
const NESTED: &str = "pack t { title \"T\" version \"1\" }
record Item key id { id: text  ok: bool }
extend Declaration { items: list<Item> }
obligation t.nested {
  require all a in items: all b in items: all c in items: a.ok or b.ok or c.ok
}
";

fn items_json(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "i{i}", "ok": true}}"#))
        .collect();
    format!(r#"{{"items": [{}]}}"#, items.join(", "))
}

#[test]
fn nested_quantifiers_past_the_budget_of_expressions_are_refused() {
    let decl = items_json(20);
    // 20³ bodies of a few expressions: tens of thousands.
    passed(&check_with(NESTED, ("decl.json", &decl), &[]));
    passed(&check_with(
        NESTED,
        ("decl.json", &decl),
        &["--max-steps", "1000000"],
    ));
    let past = check_with(NESTED, ("decl.json", &decl), &["--max-steps", "1000"]);
    refused("limit_steps", &past);
}

#[test]
fn a_budget_of_no_expressions_is_a_usage_error() {
    let r = check_with(NESTED, ("decl.json", &items_json(1)), &["--max-steps", "0"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("a limit of 0 would stop every evaluation"),
        "{}",
        r.stderr
    );
}
