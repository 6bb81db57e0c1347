//! `comply lint`: each warning code fires once on a small pack made to trigger it, and the
//! clean pack gives none.
//!
//! Each test writes a lint-clean pack (with a rule test beside it) into a temporary folder,
//! adds one file that makes one mistake, and runs the real binary there with relative
//! paths and no built-in packs. The contract: exit 1 and warnings on stderr when there are
//! findings, exit 0 when clean, exit 2 when the packs do not load; nothing on stdout. The
//! rendered warnings are snapshotted, since that is what a rule author reads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::path::Path;
use std::process::{Command, Output};

/// A lint-clean pack: cited, translated, every define used, every obligation tested.
const PACK: &str = r#"# A small pack for lint tests.

pack hr {
  title en "Workplace records" fr "Registres du personnel"
  version "1.0"
  in_force from 2020-01-01
}

instrument labour "Labour Law (test edition)"

extend Declaration {
  organisation: Organisation
}

record Organisation {
  name: text
  employees: int
  kind: Kind
  sector: Sector
  register: bool?
}

enum Kind { company, association, public_body }

enum Sector { health, health.hospital, health.clinic, finance, finance.bank }

define large(o: Organisation) = o.employees >= 50

obligation hr.register {
  title en "Keep a staff register" fr "Tenir un registre du personnel"
  cite labour "art. 12"
  severity high
  applies when large(organisation)
  unless organisation.kind == public_body
    because en "Public bodies keep their records elsewhere" fr "Les organismes publics tiennent leurs registres ailleurs"
  require organisation.register
    else en "No staff register is kept" fr "Aucun registre du personnel n'est tenu"
  remedy en "Keep a register of staff" fr "Tenez un registre du personnel"
}
"#;

/// The rule test beside the pack; it also names the obligations the tests add.
const TESTS: &str = "as_of: 2026-11-23
cases:
  - name: a large company keeps its register
    declaration_file: ../../decl.yaml
    expect:
      hr.register: satisfied
      hr.extra: satisfied
      hr.later: satisfied
";

/// The head of the obligation most tests add; they give its clauses and the `}`.
const HEAD: &str = r#"obligation hr.extra {
  title en "An extra obligation" fr "Une obligation de plus"
  cite labour "art. 13"
"#;

/// A clean `require`, for obligations whose mistake is elsewhere.
const REQUIRE: &str =
    "  require organisation.register else en \"No register\" fr \"Pas de registre\"\n";

fn obligation(clauses: &str) -> String {
    format!("{HEAD}{clauses}}}\n")
}

/// Redactions for snapshots: the temporary folder.
fn filters(dir: &Path) -> Vec<(String, String)> {
    let mut paths = vec![dir.display().to_string()];
    if let Ok(canonical) = dir.canonicalize() {
        paths.push(canonical.display().to_string());
    }
    paths
        .into_iter()
        .map(|p| (escape(&p), "[TMP]".to_string()))
        .collect()
}

/// Escapes regex metacharacters.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A temporary folder holding `pack/pack.comply` and `pack/tests/hr.test.yaml`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let case = Case {
            dir: tempfile::tempdir().unwrap(),
        };
        case.write("pack/pack.comply", PACK);
        case.write("pack/tests/hr.test.yaml", TESTS);
        case
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `comply lint --no-default-rules pack` in the folder.
    fn lint(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_comply"))
            .args(["lint", "--no-default-rules", "pack"])
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap()
    }

    /// Asserts the run ended with `code`, printed nothing on stdout and no colour; returns
    /// stderr.
    fn stderr(&self, out: &Output, code: i32) -> String {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8(out.stderr.clone()).unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "expected exit code {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(stdout.is_empty(), "stdout must be empty, got:\n{stdout}");
        assert!(
            !stderr.contains('\u{1b}'),
            "no colour with NO_COLOR:\n{stderr}"
        );
        stderr
    }

    fn snapshot(&self, name: &str, stderr: &str) {
        let filters = filters(self.dir.path());
        let filters: Vec<(&str, &str)> = filters
            .iter()
            .map(|(re, by)| (re.as_str(), by.as_str()))
            .collect();
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            omit_expression => true,
            filters => filters,
        }, {
            insta::assert_snapshot!(name, stderr);
        });
    }
}

/// Adds `pack/extra.comply`, lints, and checks that `code` fires exactly once, as the only
/// warning, pointing into the extra file with a help line; snapshots the warning.
fn fires_once(name: &str, extra: &str, code: &str) -> String {
    let case = Case::new();
    case.write("pack/extra.comply", extra);
    let out = case.lint();
    let stderr = case.stderr(&out, 1);
    assert_eq!(
        stderr.matches("comply::lint::").count(),
        1,
        "exactly one warning expected:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("comply::lint::{code}\n")),
        "stderr should name `{code}`:\n{stderr}"
    );
    assert!(
        stderr.contains("  ⚠ "),
        "a warning, not an error:\n{stderr}"
    );
    assert!(
        stderr.contains("pack/extra.comply:"),
        "the warning should point into the extra file:\n{stderr}"
    );
    assert!(
        stderr.contains("help:"),
        "a help line is expected:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("lint: 1 warning (1 {code})")),
        "{stderr}"
    );
    case.snapshot(name, &stderr);
    stderr
}

/// Adds `pack/extra.comply` and checks that the pack lints clean.
fn clean(extra: &str) {
    let case = Case::new();
    case.write("pack/extra.comply", extra);
    let out = case.lint();
    let stderr = case.stderr(&out, 0);
    assert_eq!(stderr, "lint: no warnings\n");
}

// ------------------------------------------------------------------ clean

#[test]
fn clean_pack_gives_no_warning() {
    let case = Case::new();
    let out = case.lint();
    let stderr = case.stderr(&out, 0);
    assert_eq!(stderr, "lint: no warnings\n");
}

/// A byte order mark before the pack is no syntax error.
#[test]
fn a_byte_order_mark_at_the_start_of_a_rule_file_is_read_past() {
    let case = Case::new();
    case.write("pack/pack.comply", &format!("\u{feff}{PACK}"));
    let out = case.lint();
    let stderr = case.stderr(&out, 0);
    assert_eq!(stderr, "lint: no warnings\n");
}

/// A file named without a folder (`pack.comply`) has its tests looked for in the
/// current folder, not in the empty path.
#[test]
fn clean_obligation_with_every_clause_gives_no_warning() {
    clean(&obligation(&format!(
        "  applies when organisation.sector within health and organisation.employees > 10\n\
         \x20 unless organisation.kind in [association, public_body]\n\
         \x20   because en \"Not a company\" fr \"Pas une entreprise\"\n\
         {REQUIRE}\
         \x20 remedy en \"Keep it\" fr \"Tenez-le\"\n"
    )));
}

// ------------------------------------------------------------------ each code once

#[test]
fn lint_missing_citation() {
    let text =
        "obligation hr.extra {\n  title en \"An extra obligation\" fr \"Une obligation de plus\"\n"
            .to_string()
            + REQUIRE
            + "}\n";
    let stderr = fires_once("lint_missing_citation", &text, "missing-citation");
    assert!(stderr.contains("cite labour"), "{stderr}");
}

#[test]
fn lint_missing_french() {
    let text = format!(
        "obligation hr.extra {{\n  title en \"An extra obligation\"\n  cite labour \"art. 13\"\n{REQUIRE}}}\n"
    );
    fires_once("lint_missing_french", &text, "missing-french");
}

#[test]
fn lint_unused_define() {
    fires_once(
        "lint_unused_define",
        "define small(o: Organisation) = o.employees < 10\n",
        "unused-define",
    );
}

#[test]
fn lint_untested_obligation() {
    let text = obligation(REQUIRE).replace("hr.extra", "hr.untested");
    fires_once("lint_untested_obligation", &text, "untested-obligation");
}

#[test]
fn lint_missing_message() {
    fires_once(
        "lint_missing_message",
        &obligation("  require organisation.register\n"),
        "missing-message",
    );
}

#[test]
fn lint_impossible_condition() {
    let text = obligation(&format!(
        "  applies when organisation.kind == company and organisation.kind == association\n{REQUIRE}"
    ));
    fires_once("lint_impossible_condition", &text, "impossible-condition");
}

#[test]
fn lint_duplicate_condition() {
    let text = obligation(&format!("{REQUIRE}{REQUIRE}"));
    fires_once("lint_duplicate_condition", &text, "duplicate-condition");
}

#[test]
fn lint_dependency_not_in_force() {
    let later = format!(
        "obligation hr.later {{\n  title en \"Later\" fr \"Plus tard\"\n  cite labour \"art. 14\"\n  depends on hr.extra\n{REQUIRE}}}\n"
    );
    let text = obligation(&format!("  in_force from 2025-01-01\n{REQUIRE}")) + "\n" + &later;
    let stderr = fires_once(
        "lint_dependency_not_in_force",
        &text,
        "dependency-not-in-force",
    );
    assert!(
        stderr.contains("not in force before 2025-01-01"),
        "{stderr}"
    );
}

#[test]
fn lint_unknown_allow() {
    let text = format!("# comply: allow(missing-frenc)\n\n{}", obligation(REQUIRE));
    let stderr = fires_once("lint_unknown_allow", &text, "unknown-allow");
    assert!(
        stderr.contains("did you mean `missing-french`?"),
        "{stderr}"
    );
}

// ------------------------------------------------------------------ more cases per code

#[test]
fn a_pending_prerequisite_is_not_in_force() {
    let later = format!(
        "obligation hr.later {{\n  title en \"Later\" fr \"Plus tard\"\n  cite labour \"art. 14\"\n  depends on hr.extra\n{REQUIRE}}}\n"
    );
    let text = obligation(&format!("  pending \"awaiting a decree\"\n{REQUIRE}")) + "\n" + &later;
    let stderr = fires_once(
        "lint_dependency_on_pending",
        &text,
        "dependency-not-in-force",
    );
    assert!(stderr.contains("which is pending"), "{stderr}");
}

#[test]
fn within_disjoint_branches_can_never_hold() {
    let text = obligation(&format!(
        "  applies when organisation.sector within health\n\
         \x20 applies when organisation.sector within finance\n{REQUIRE}"
    ));
    fires_once(
        "lint_impossible_within_disjoint_branches",
        &text,
        "impossible-condition",
    );
}

#[test]
fn a_requirement_that_contradicts_applicability_can_never_hold() {
    let text = obligation(
        "  applies when organisation.employees >= 50\n\
         \x20 require organisation.employees < 20 else en \"Too many\" fr \"Trop\"\n",
    );
    fires_once(
        "lint_impossible_require_against_applies",
        &text,
        "impossible-condition",
    );
}

#[test]
fn comparing_a_value_with_itself_can_never_hold() {
    let text = obligation(
        "  require organisation.employees < organisation.employees else en \"No\" fr \"Non\"\n",
    );
    fires_once("lint_impossible_itself", &text, "impossible-condition");
}

#[test]
fn a_repeated_operand_is_a_duplicate_condition() {
    let text = obligation(
        "  require organisation.register or organisation.employees < 5 or organisation.register\n\
         \x20   else en \"No\" fr \"Non\"\n",
    );
    fires_once("lint_duplicate_operand", &text, "duplicate-condition");
}

// ------------------------------------------------------------------ allow comments

#[test]
fn an_allow_comment_silences_a_code_for_the_file() {
    let text = format!(
        "# comply: allow(missing-citation)\n\n{}\n{}",
        obligation(REQUIRE).replace("  cite labour \"art. 13\"\n", ""),
        obligation(REQUIRE)
            .replace("  cite labour \"art. 13\"\n", "")
            .replace("hr.extra", "hr.later"),
    );
    clean(&text);
}

#[test]
fn an_allow_comment_inside_an_obligation_silences_it_only() {
    let uncited = obligation(REQUIRE).replace("  cite labour \"art. 13\"\n", "");
    let allowed = uncited.replacen('\n', "\n  # comply: allow(missing-citation)\n", 1);
    let case = Case::new();
    case.write(
        "pack/extra.comply",
        &format!("{allowed}\n{}", uncited.replace("hr.extra", "hr.later")),
    );
    let stderr = case.stderr(&case.lint(), 1);
    assert_eq!(stderr.matches("comply::lint::").count(), 1, "{stderr}");
    assert!(stderr.contains("`hr.later` cites no provision"), "{stderr}");
    // The same comment inside the other obligation leaves nothing to report.
    clean(&format!(
        "{allowed}\n{}",
        allowed.replace("hr.extra", "hr.later")
    ));
}

#[test]
fn an_allow_comment_directly_above_an_obligation_silences_it_only() {
    let uncited = obligation(REQUIRE).replace("  cite labour \"art. 13\"\n", "");
    let text = format!(
        "# The extra obligation.\n# comply: allow(missing-citation, missing-french)\n{uncited}\n{}",
        uncited.replace("hr.extra", "hr.later")
    );
    let case = Case::new();
    case.write("pack/extra.comply", &text);
    let stderr = case.stderr(&case.lint(), 1);
    assert_eq!(stderr.matches("comply::lint::").count(), 1, "{stderr}");
    assert!(stderr.contains("`hr.later` cites no provision"), "{stderr}");
}

#[test]
fn a_blank_line_makes_an_allow_comment_apply_to_the_file() {
    let uncited = obligation(REQUIRE).replace("  cite labour \"art. 13\"\n", "");
    clean(&format!(
        "# comply: allow(comply::lint::missing-citation)\n\n{uncited}\n{}",
        uncited.replace("hr.extra", "hr.later")
    ));
}

// ------------------------------------------------------------------ loading

#[test]
fn packs_that_do_not_load_exit_2() {
    let case = Case::new();
    case.write(
        "pack/extra.comply",
        &obligation("  require organisation.nothing\n"),
    );
    let stderr = case.stderr(&case.lint(), 2);
    assert!(stderr.contains("comply::check::unknown_path"), "{stderr}");
    assert!(!stderr.contains("comply::lint::"), "{stderr}");
}

#[test]
fn a_rule_file_named_without_its_folder_is_linted_from_the_current_folder() {
    let case = Case::new();
    let out = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(["lint", "--no-default-rules", "pack.comply"])
        .current_dir(case.dir.path().join("pack"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let by_file = case.stderr(&out, 0);
    let by_folder = case.stderr(&case.lint(), 0);
    assert_eq!(by_file, by_folder);
}

#[test]
fn nothing_to_lint_is_a_usage_error() {
    let case = Case::new();
    let out = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(["lint", "--no-default-rules"])
        .current_dir(case.dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = case.stderr(&out, 2);
    assert!(stderr.contains("no rule packs to lint"), "{stderr}");
}

/// The acceptance of issue 5: `comply lint rules/` is clean in CI.
#[test]
fn shipped_packs_are_lint_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(["lint", "rules"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
