//! Every kind of diagnostic `comply check` gives for unusable input.
//!
//! Each test writes a small rule pack (and, for declaration errors, a declaration) into a
//! temporary folder, runs the real binary there with relative paths, and checks the
//! contract of `/work/shared/design/cli.md`: exit code 2, nothing on stdout, and a
//! diagnostic on stderr. The rendered diagnostic (code, message, labelled span, help) is
//! snapshotted, since that is what a rule author or a declarant reads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

/// The evaluation date of every run, so that results never depend on the day.
const AS_OF: &str = "2026-11-23";

/// A small, valid pack. Each rule-file test adds one file beside it.
const PACK: &str = r#"# A small pack for diagnostics tests.

pack hr {
  title en "Workplace records" fr "Registres du personnel"
  version "1.0"
  in_force from 2020-01-01
}

instrument labour "Labour Law (test edition)"

extend Declaration {
  organisation: Organisation
  sites: list<Site>
}

record Organisation {
  name: text
  employees: int
  founded: date
  kind: Kind
  register: bool?
}

record Site key id {
  id: text
  city: text
  opened: date
}

enum Kind { company, association, public_body }

# Not called here: a test adds the callers it needs.
define large(o: Organisation) = o.employees >= 50

obligation hr.register {
  title en "Keep a staff register" fr "Tenir un registre du personnel"
  cite labour "art. 12"
  severity high
  applies when organisation.employees >= 50
  require organisation.register else en "No staff register is kept"
}
"#;

/// A declaration the pack above accepts.
const DECL: &str = "organisation:
  name: Acme Trading Co., Ltd.
  employees: 120
  founded: 2019-03-01
  kind: company
  register: true
sites:
  - id: pp
    city: Phnom Penh
    opened: 2019-03-01
";

/// Redactions for snapshots: the temporary folder and the tool version.
fn filters(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut paths = vec![dir.display().to_string()];
    if let Ok(canonical) = dir.canonicalize() {
        paths.push(canonical.display().to_string());
    }
    for p in paths {
        out.push((escape(&p), "[TMP]".to_string()));
    }
    out.push((
        format!(r"\b{}\b", escape(env!("CARGO_PKG_VERSION"))),
        "[VERSION]".to_string(),
    ));
    out
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

/// A temporary folder holding `pack/pack.comply` and `decl.yaml`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let case = Case {
            dir: tempfile::tempdir().unwrap(),
        };
        case.write("pack/pack.comply", PACK);
        case.write("decl.yaml", DECL);
        case
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `comply ARGS` in the folder.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_comply"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap()
    }

    /// Runs `comply check` on `decl` with only the test pack.
    fn check(&self, decl: &str) -> Output {
        self.check_many(&[decl])
    }

    /// Runs `comply check` on several declarations with only the test pack.
    fn check_many(&self, decls: &[&str]) -> Output {
        let mut args = vec![
            "check",
            "--as-of",
            AS_OF,
            "--no-default-rules",
            "--rules",
            "pack",
        ];
        args.extend_from_slice(decls);
        self.run(&args)
    }

    /// Asserts the input was refused, then snapshots stderr under `name`.
    fn refused(&self, name: &str, out: &Output, code: &str) -> String {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8(out.stderr.clone()).unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "expected exit code 2\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(stdout.is_empty(), "stdout must be empty, got:\n{stdout}");
        assert!(
            stderr.contains(code),
            "stderr should name `{code}`:\n{stderr}"
        );
        assert!(
            !stderr.contains('\u{1b}'),
            "no colour with NO_COLOR:\n{stderr}"
        );
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
        stderr
    }
}

/// Adds `extra.comply` to the pack and checks that loading it fails.
fn rule_error(name: &str, extra: &str, code: &str) -> String {
    let case = Case::new();
    case.write("pack/extra.comply", extra);
    let out = case.check("decl.yaml");
    let stderr = case.refused(name, &out, code);
    assert!(
        stderr.contains("pack/extra.comply:"),
        "the diagnostic should point into the faulty file:\n{stderr}"
    );
    assert!(
        stderr.contains("help:"),
        "a help line is expected:\n{stderr}"
    );
    stderr
}

/// Writes a declaration and checks that it is refused.
fn decl_error(name: &str, file: &str, text: &str, code: &str) -> String {
    let case = Case::new();
    case.write(file, text);
    let out = case.check(file);
    let stderr = case.refused(name, &out, code);
    assert!(
        stderr.contains(&format!("{file}:")),
        "the diagnostic should point into `{file}`:\n{stderr}"
    );
    assert!(
        stderr.contains("help:"),
        "a help line is expected:\n{stderr}"
    );
    stderr
}

/// The head of an obligation in the test pack; the test adds clauses and the `}`.
const HEAD: &str = r#"obligation hr.extra {
  title en "An extra obligation"
  cite labour "art. 13"
  severity medium
"#;

fn obligation(clauses: &str) -> String {
    format!("{HEAD}{clauses}}}\n")
}

// ------------------------------------------------------------------ rule files

#[test]
fn rule_syntax_require_without_expression() {
    let stderr = rule_error(
        "rule_syntax_require_without_expression",
        &obligation("  require\n"),
        "comply::parse::syntax",
    );
    assert!(
        stderr.contains("expected an expression, found `}`"),
        "{stderr}"
    );
}

#[test]
fn rule_syntax_missing_brace_is_located() {
    // The file ends inside the obligation: the diagnostic says a block is left open.
    let text = obligation("  require organisation.employees > 1\n");
    let text = text.trim_end().trim_end_matches('}');
    let case = Case::new();
    case.write("pack/extra.comply", text);
    let out = case.check("decl.yaml");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("comply::parse::syntax"), "{stderr}");
    assert!(
        stderr.contains("the file ends before a `}` closes a block"),
        "{stderr}"
    );
    assert!(stderr.contains("add the missing `}`"), "{stderr}");
    assert!(stderr.contains("pack/extra.comply:5:"), "{stderr}");
}

#[test]
fn rule_syntax_missing_brace() {
    let text = obligation("  require organisation.employees > 1\n");
    let text = text.trim_end().trim_end_matches('}');
    let case = Case::new();
    case.write("pack/extra.comply", text);
    let out = case.check("decl.yaml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the file ends after this"), "{stderr}");
    assert!(
        stderr.contains("`}`"),
        "a closing brace is expected:\n{stderr}"
    );
    case.refused("rule_syntax_missing_brace", &out, "comply::parse::syntax");
}

/// After a byte order mark, the first error of a rule file is where it is: the mark is
/// read past, not reported, and spans still count it.
#[test]
fn rule_error_after_a_byte_order_mark_is_placed_right() {
    let text = format!(
        "\u{feff}{}",
        obligation("  require organisation.employes > 10\n")
    );
    let case = Case::new();
    case.write("pack/extra.comply", &text);
    let out = case.check("decl.yaml");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("comply::parse::syntax"), "{stderr}");
    assert!(stderr.contains("comply::check::unknown_path"), "{stderr}");
    let line = obligation("").lines().count();
    assert!(
        stderr.contains(&format!("pack/extra.comply:{line}:24]")),
        "{stderr}"
    );
}

#[test]
fn rule_unknown_path() {
    let stderr = rule_error(
        "rule_unknown_path",
        &obligation("  require organisation.employes > 10\n"),
        "comply::check::unknown_path",
    );
    assert!(stderr.contains("did you mean `employees`?"), "{stderr}");
}

#[test]
fn rule_type_mismatch_int_and_text() {
    rule_error(
        "rule_type_mismatch_int_and_text",
        &obligation("  require organisation.employees == \"many\"\n"),
        "comply::check::type_mismatch",
    );
}

#[test]
fn rule_type_mismatch_int_and_date() {
    rule_error(
        "rule_type_mismatch_int_and_date",
        &obligation("  require organisation.employees < 2020-01-01\n"),
        "comply::check::type_mismatch",
    );
}

#[test]
fn rule_unknown_obligation_in_depends_on() {
    let stderr = rule_error(
        "rule_unknown_obligation_in_depends_on",
        &obligation("  depends on hr.regster\n  require organisation.employees > 0\n"),
        "comply::check::unknown_obligation",
    );
    assert!(stderr.contains("did you mean"), "{stderr}");
    assert!(stderr.contains("`hr.register`"), "{stderr}");
}

#[test]
fn rule_unknown_predicate() {
    let stderr = rule_error(
        "rule_unknown_predicate",
        &obligation("  applies when larg(organisation)\n  require organisation.register\n"),
        "comply::check::unknown_predicate",
    );
    assert!(stderr.contains("did you mean `large`?"), "{stderr}");
}

#[test]
fn rule_duplicate_obligation() {
    let text = obligation("  require organisation.employees > 0\n");
    let stderr = rule_error(
        "rule_duplicate_obligation",
        &format!("{text}\n{text}"),
        "comply::check::duplicate",
    );
    assert!(stderr.contains("first declared here"), "{stderr}");
    assert!(stderr.contains("declared again here"), "{stderr}");
}

#[test]
fn rule_duplicate_obligation_across_files() {
    // The pack's own `hr.register`, declared again in another file of the pack.
    let case = Case::new();
    case.write(
        "pack/zz-more.comply",
        "obligation hr.register {\n  title en \"Again\"\n  cite labour \"art. 12\"\n  severity high\n  require organisation.register\n}\n",
    );
    let out = case.check("decl.yaml");
    let stderr = case.refused(
        "rule_duplicate_obligation_across_files",
        &out,
        "comply::check::duplicate",
    );
    assert!(stderr.contains("pack/zz-more.comply:1:12"), "{stderr}");
    assert!(
        stderr.contains("pack/pack.comply"),
        "the first declaration is named:\n{stderr}"
    );
}

#[test]
fn rule_duplicate_field() {
    let extra = "record Vehicle key plate {
  plate: text
  registered: date
  plate: text
}
";
    rule_error("rule_duplicate_field", extra, "comply::check::duplicate");
}

/// An obligation calling the define of the test pack.
const CALLER: &str = r#"obligation hr.large {
  title en "Large employers"
  cite labour "art. 30"
  severity low
  applies when large(organisation)
  require organisation.register
}
"#;

#[test]
fn rule_calling_a_define_is_valid() {
    // The baseline of the cycle tests: calling `large` is fine on its own.
    let case = Case::new();
    case.write("pack/extra.comply", CALLER);
    let out = case.check("decl.yaml");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const OBLIGATION_CYCLE: &str = r#"obligation hr.a {
  title en "A"
  cite labour "art. 1"
  severity low
  depends on hr.b
  require organisation.employees > 0
}

obligation hr.b {
  title en "B"
  cite labour "art. 2"
  severity low
  depends on hr.c
  require organisation.employees > 0
}

obligation hr.c {
  title en "C"
  cite labour "art. 3"
  severity low
  depends on hr.a
  require organisation.employees > 0
}
"#;

#[test]
fn rule_obligation_cycle() {
    let stderr = rule_error(
        "rule_obligation_cycle",
        OBLIGATION_CYCLE,
        "comply::check::cycle",
    );
    // The whole cycle is named, whichever obligation it starts from.
    let cycles = [
        "hr.a → hr.b → hr.c → hr.a",
        "hr.b → hr.c → hr.a → hr.b",
        "hr.c → hr.a → hr.b → hr.c",
    ];
    assert!(
        cycles.iter().any(|c| stderr.contains(c)),
        "the message should show the whole cycle:\n{stderr}"
    );
    for edge in [
        "`hr.a` depends on `hr.b`",
        "`hr.b` depends on `hr.c`",
        "`hr.c` depends on `hr.a`",
    ] {
        assert!(stderr.contains(edge), "missing label {edge}:\n{stderr}");
    }
    assert!(!stderr.contains("unknown predicate"), "{stderr}");
}

#[test]
fn rule_obligation_cycle_with_a_predicate_call() {
    // The cycle of `rule_obligation_cycle`, in a pack whose other obligation calls a define.
    let case = Case::new();
    case.write(
        "pack/extra.comply",
        &format!("{OBLIGATION_CYCLE}\n{CALLER}"),
    );
    let out = case.check("decl.yaml");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("comply::check::cycle"), "{stderr}");
    assert!(!stderr.contains("unknown predicate"), "{stderr}");
}

/// Two predicates calling each other.
const PREDICATE_CYCLE: &str = "define big(o: Organisation) = o.employees > 250 or huge(o)
define huge(o: Organisation) = o.employees > 5000 and big(o)
";

/// An obligation calling a predicate of the cycle above.
const BIG_CALLER: &str = r#"obligation hr.big {
  title en "Big employers"
  cite labour "art. 40"
  severity low
  applies when big(organisation)
  require organisation.register
}
"#;

#[test]
fn rule_predicate_cycle() {
    let stderr = rule_error(
        "rule_predicate_cycle",
        PREDICATE_CYCLE,
        "comply::check::cycle",
    );
    assert!(
        stderr.contains("predicates form a cycle: big → huge → big")
            || stderr.contains("predicates form a cycle: huge → big → huge"),
        "the message should show the whole cycle:\n{stderr}"
    );
    assert!(stderr.contains("`big` calls `huge`"), "{stderr}");
    assert!(stderr.contains("`huge` calls `big`"), "{stderr}");
    assert!(!stderr.contains("unknown predicate"), "{stderr}");
}

#[test]
fn rule_predicate_cycle_called_from_an_obligation_is_reported() {
    let case = Case::new();
    case.write(
        "pack/extra.comply",
        &format!("{PREDICATE_CYCLE}\n{BIG_CALLER}"),
    );
    let out = case.check("decl.yaml");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("comply::check::cycle"), "{stderr}");
    assert!(stderr.contains("`big` calls `huge`"), "{stderr}");
}

#[test]
fn rule_predicate_cycle_called_from_an_obligation() {
    let case = Case::new();
    case.write(
        "pack/extra.comply",
        &format!("{PREDICATE_CYCLE}\n{BIG_CALLER}"),
    );
    let out = case.check("decl.yaml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("unknown predicate"), "{stderr}");
    case.refused(
        "rule_predicate_cycle_called_from_an_obligation",
        &out,
        "comply::check::cycle",
    );
}

#[test]
fn rule_predicate_calling_itself() {
    let stderr = rule_error(
        "rule_predicate_calling_itself",
        "define big(o: Organisation) = o.employees > 250 or big(o)\n",
        "comply::check::cycle",
    );
    assert!(stderr.contains("`big` calls `big`"), "{stderr}");
    assert!(!stderr.contains("unknown predicate"), "{stderr}");
}

#[test]
fn rule_invalid_date() {
    let stderr = rule_error(
        "rule_invalid_date",
        &obligation("  require organisation.founded < 2026-02-30\n"),
        "comply::parse::invalid_date",
    );
    assert!(stderr.contains("`2026-02-30`"), "{stderr}");
}

#[test]
fn rule_invalid_duration() {
    let stderr = rule_error(
        "rule_invalid_duration",
        &obligation("  require today - organisation.founded > 72x\n"),
        "comply::parse::invalid_duration",
    );
    assert!(stderr.contains("`72x`"), "{stderr}");
}

#[test]
fn rule_unknown_language() {
    let extra = r#"obligation hr.extra {
  title en "An extra obligation" xx "Une obligation de plus"
  cite labour "art. 13"
  severity medium
  require organisation.employees > 0
}
"#;
    let stderr = rule_error(
        "rule_unknown_language",
        extra,
        "comply::parse::unknown_language",
    );
    assert!(stderr.contains("`xx`"), "{stderr}");
}

#[test]
fn rule_unknown_severity() {
    let extra = r#"obligation hr.extra {
  title en "An extra obligation"
  cite labour "art. 13"
  severity urgent
  require organisation.employees > 0
}
"#;
    let stderr = rule_error(
        "rule_unknown_severity",
        extra,
        "comply::parse::unknown_severity",
    );
    assert!(stderr.contains("`urgent`"), "{stderr}");
}

#[test]
fn rule_unknown_instrument() {
    let extra = r#"obligation hr.extra {
  title en "An extra obligation"
  cite labor "art. 13"
  severity medium
  require organisation.employees > 0
}
"#;
    let stderr = rule_error(
        "rule_unknown_instrument",
        extra,
        "comply::check::unknown_instrument",
    );
    assert!(stderr.contains("`labor`"), "{stderr}");
}

#[test]
fn rule_unknown_type_in_record_field() {
    let extra = "record Vehicle key plate {
  plate: text
  depot: Sit
}
";
    let stderr = rule_error(
        "rule_unknown_type_in_record_field",
        extra,
        "comply::check::unknown_type",
    );
    assert!(stderr.contains("`Sit`"), "{stderr}");
}

// ------------------------------------------------------------------ declarations

#[test]
fn decl_wrong_type() {
    let text = DECL.replace("employees: 120", "employees: \"a hundred and twenty\"");
    let stderr = decl_error("decl_wrong_type", "org.yaml", &text, "comply::decl::type");
    assert!(stderr.contains("organisation.employees"), "{stderr}");
}

#[test]
fn decl_unknown_field() {
    let text = DECL.replace("employees: 120", "employes: 120");
    let stderr = decl_error(
        "decl_unknown_field",
        "org.yaml",
        &text,
        "comply::decl::unknown_field",
    );
    assert!(stderr.contains("did you mean `employees`?"), "{stderr}");
}

#[test]
fn decl_duplicate_item_key() {
    let text = format!(
        "{DECL}  - id: sr
    city: Siem Reap
    opened: 2021-06-01
  - id: pp
    city: Phnom Penh (second office)
    opened: 2022-01-10
"
    );
    let stderr = decl_error(
        "decl_duplicate_item_key",
        "org.yaml",
        &text,
        "comply::decl::duplicate_key",
    );
    assert!(stderr.contains("`pp`"), "{stderr}");
}

#[test]
fn decl_invalid_date() {
    let text = DECL.replace("founded: 2019-03-01", "founded: 2019-02-29");
    let stderr = decl_error(
        "decl_invalid_date",
        "org.yaml",
        &text,
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("`2019-02-29`"), "{stderr}");
}

#[test]
fn decl_invalid_enum_value() {
    let text = DECL.replace("kind: company", "kind: compnay");
    let stderr = decl_error(
        "decl_invalid_enum_value",
        "org.yaml",
        &text,
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("did you mean `company`?"), "{stderr}");
}

#[test]
fn decl_yaml_syntax() {
    let text = DECL.replace("name: Acme Trading Co., Ltd.", "name: [Acme Trading");
    decl_error(
        "decl_yaml_syntax",
        "org.yaml",
        &text,
        "comply::decl::syntax",
    );
}

#[test]
fn decl_yaml_syntax_at_end_of_file() {
    let text = format!("{DECL}extra: [unclosed\n");
    let stderr = decl_error(
        "decl_yaml_syntax_at_end_of_file",
        "org.yaml",
        &text,
        "comply::decl::syntax",
    );
    assert!(
        stderr.contains("╰──"),
        "the span should be labelled:\n{stderr}"
    );
}

const JSON_DECL: &str = r#"{
  "organisation": {
    "name": "Acme Trading Co., Ltd.",
    "employees": 120,
    "founded": "2019-03-01",
    "kind": "company",
    "register": true
  },
  "sites": [
    {"id": "pp", "city": "Phnom Penh", "opened": "2019-03-01"}
  ]
}
"#;

#[test]
fn decl_json_accepted() {
    // The baseline the JSON error tests start from is itself valid.
    let case = Case::new();
    case.write("org.json", JSON_DECL);
    let out = case.check("org.json");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn decl_json_trailing_comma() {
    let text = JSON_DECL.replace("\"register\": true\n", "\"register\": true,\n");
    let stderr = decl_error(
        "decl_json_trailing_comma",
        "org.json",
        &text,
        "comply::decl::syntax",
    );
    assert!(stderr.contains("org.json:7:"), "{stderr}");
}

#[test]
fn decl_json_wrong_type() {
    let text = JSON_DECL.replace("\"employees\": 120", "\"employees\": \"120\"");
    let stderr = decl_error(
        "decl_json_wrong_type",
        "org.json",
        &text,
        "comply::decl::type",
    );
    assert!(stderr.contains("org.json:4:"), "{stderr}");
}

// ------------------------------------------------------------------ command line

#[test]
fn usage_bad_flag_value() {
    let case = Case::new();
    let out = case.run(&["check", "--fail-on", "sometimes", "x.yaml"]);
    let stderr = case.refused("usage_bad_flag_value", &out, "comply::usage");
    assert!(stderr.contains("`sometimes`"), "{stderr}");
    assert!(
        stderr.contains("never"),
        "the valid values are listed:\n{stderr}"
    );
}

#[test]
fn usage_bad_date() {
    let case = Case::new();
    let out = case.run(&["check", "--as-of", "2026-13-01", "decl.yaml"]);
    let stderr = case.refused("usage_bad_date", &out, "comply::usage");
    assert!(stderr.contains("`2026-13-01`"), "{stderr}");
}

#[test]
fn a_bad_value_is_underlined_where_it_was_given_not_where_its_text_recurs() {
    let case = Case::new();
    let out = case.run(&["check", "--fail-on", "sarif", "sarif.yaml"]);
    let stderr = case.refused("usage_value_recurring", &out, "comply::usage");
    assert!(stderr.contains("[command line:1:24]"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_declaration_whose_name_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let case = Case::new();
    let name = OsStr::from_bytes(b"d\xe9cl.yaml");
    std::fs::write(case.dir.path().join(name), DECL).unwrap();
    let args: Vec<&OsStr> = [
        "check",
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        "pack",
    ]
    .iter()
    .map(OsStr::new)
    .chain([name])
    .collect();
    let by_name = case.run(&args);
    let plain = case.check("decl.yaml");
    assert_eq!(
        by_name.status.code(),
        plain.status.code(),
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    assert!(by_name.stderr.is_empty());
    assert!(!by_name.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn an_option_given_bytes_that_are_not_utf8_is_refused_and_pointed_at() {
    use std::os::unix::ffi::OsStrExt;
    let case = Case::new();
    let args = [
        OsStr::new("check"),
        OsStr::new("--lang"),
        OsStr::from_bytes(b"\xfffr"),
        OsStr::new("decl.yaml"),
    ];
    let out = case.run(&args);
    let stderr = case.refused("usage_not_utf8", &out, "comply::usage");
    assert!(stderr.contains("[command line:1:22]"), "{stderr}");
}

#[test]
fn missing_declaration_file() {
    let case = Case::new();
    let out = case.check("nowhere.yaml");
    let stderr = case.refused("missing_declaration_file", &out, "comply::io");
    assert!(stderr.contains("`nowhere.yaml`"), "{stderr}");
}

#[test]
fn missing_rules_folder() {
    let case = Case::new();
    let out = case.run(&[
        "check",
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        "no-such-pack",
        "decl.yaml",
    ]);
    let stderr = case.refused("missing_rules_folder", &out, "comply::io");
    assert!(stderr.contains("`no-such-pack`"), "{stderr}");
}

#[test]
fn missing_file_among_several_gives_no_report() {
    // One unusable input, no report at all: not a partial one for the good file.
    let case = Case::new();
    let out = case.check_many(&["decl.yaml", "nowhere.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere.yaml"));
}

#[test]
fn the_test_pack_is_valid() {
    // Every error above comes from the line the test adds, not from the base pack.
    let case = Case::new();
    let out = case.check("decl.yaml");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

// ------------------------------------------------------------------ more command line

#[test]
fn an_unknown_command_is_underlined_and_the_commands_are_offered() {
    let case = Case::new();
    let out = case.run(&["bogus"]);
    let stderr = case.refused("usage_unknown_command", &out, "comply::usage");
    assert!(stderr.contains("[command line:1:8]"), "{stderr}");
    assert!(stderr.contains("run `comply --help`"), "{stderr}");
    assert!(!stderr.contains("comply bogus --help"), "{stderr}");
}

#[test]
fn a_misspelt_command_is_corrected() {
    let case = Case::new();
    let out = case.run(&["chek", "decl.yaml"]);
    let stderr = case.refused("usage_misspelt_command", &out, "comply::usage");
    assert!(stderr.contains("did you mean `check`"), "{stderr}");
}

#[test]
fn an_empty_output_says_what_is_expected() {
    let case = Case::new();
    let out = case.run(&["check", "decl.yaml", "-o", ""]);
    let stderr = case.refused("usage_empty_output", &out, "comply::usage");
    assert!(!stderr.contains("possible values"), "{stderr}");
    assert!(stderr.contains("--output <FILE>"), "{stderr}");
}

#[test]
fn a_negative_job_count_is_refused_as_a_value() {
    let case = Case::new();
    let out = case.run(&["check", "decl.yaml", "--jobs", "-1"]);
    let stderr = case.refused("usage_negative_jobs", &out, "comply::usage");
    assert!(stderr.contains("cannot be negative"), "{stderr}");
    assert!(!stderr.contains("'-- -1'"), "{stderr}");
}

#[test]
fn a_date_starting_with_a_dash_is_refused_as_a_date() {
    let case = Case::new();
    let out = case.run(&["check", "decl.yaml", "--as-of", "-2026-01-01"]);
    let stderr = case.refused("usage_negative_date", &out, "comply::usage");
    assert!(stderr.contains("`-2026-01-01`"), "{stderr}");
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}

#[test]
fn every_command_taking_a_language_refuses_the_same_codes() {
    let case = Case::new();
    for command in ["graph", "doc", "check", "plan", "explain", "diff"] {
        for lang in ["zz", "FR", "eng", "", "12"] {
            let out = case.run(&[command, "--lang", lang]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} --lang {lang:?}\n{stderr}"
            );
            assert!(out.stdout.is_empty(), "{command} --lang {lang:?}");
            assert!(
                stderr.contains("--lang <LANG>"),
                "{command} --lang {lang:?}\n{stderr}"
            );
        }
    }
    let out = case.run(&["graph", "--lang", "zz"]);
    case.refused("usage_graph_bad_language", &out, "comply::usage");
}

/// Runs `comply ARGS` on the test pack and checks that `file` still holds `text`.
fn refused_over_input(name: &str, args: &[&str], file: &str, text: &str) -> String {
    let case = Case::new();
    case.write(file, text);
    let mut all = vec!["--no-default-rules", "--rules", "pack"];
    all.splice(0..0, args.iter().copied());
    let out = case.run(&all);
    let stderr = case.refused(name, &out, "comply::usage");
    let kept = std::fs::read_to_string(case.dir.path().join(file)).unwrap();
    assert_eq!(kept, text, "the input was overwritten");
    stderr
}

// ------------------------------------------------------------------ values at the edges

/// A pack with an instant, a decimal and a whole number, for values at their edges.
const EDGE_PACK: &str = r#"pack t {
  title en "Test" fr "Test"
  version "1"
}
instrument law "A law"
extend Declaration {
  org: Org "the org"
}
record Org {
  name: text
  n: int
  x: number?
  when: datetime?
  flag: bool
}
obligation t.a {
  title en "A" fr "A"
  cite law "art. 1"
  severity high
  applies when org.flag
  require org.n > 3 else en "n is {org.n} at {org.when}" fr "n vaut {org.n}"
}
"#;

/// Checks `text` as `file` against [`EDGE_PACK`] and snapshots the refusal.
fn edge_error(name: &str, file: &str, text: &str, code: &str) -> String {
    let case = Case::new();
    case.write("pack/pack.comply", EDGE_PACK);
    case.write(file, text);
    let out = case.check(file);
    let stderr = case.refused(name, &out, code);
    assert!(
        stderr.contains("help:"),
        "a help line is expected:\n{stderr}"
    );
    stderr
}

#[test]
fn the_report_is_not_written_over_the_declaration() {
    let stderr = refused_over_input(
        "output_is_the_declaration",
        &["check", "decl.yaml", "--as-of", AS_OF, "-o", "./decl.yaml"],
        "decl.yaml",
        DECL,
    );
    assert!(stderr.contains("`./decl.yaml`"), "{stderr}");
    assert!(stderr.contains("`decl.yaml`"), "{stderr}");
}

#[test]
fn the_report_is_not_written_over_the_baseline() {
    refused_over_input(
        "output_is_the_baseline",
        &[
            "check",
            "decl.yaml",
            "--baseline",
            "base.json",
            "--output",
            "base.json",
        ],
        "base.json",
        "{\"results\": []}\n",
    );
}

#[test]
fn other_commands_do_not_write_over_their_inputs() {
    refused_over_input(
        "plan_output_is_the_declaration",
        &["plan", "decl.yaml", "-o", "decl.yaml"],
        "decl.yaml",
        DECL,
    );
    refused_over_input(
        "schema_output_is_a_rule_file",
        &[
            "schema",
            "-o",
            "pack/../extra.comply",
            "--rules",
            "extra.comply",
        ],
        "extra.comply",
        "# nothing\n",
    );
    let case = Case::new();
    let out = case.run(&[
        "diff",
        "pack",
        "pack",
        "--decl",
        "decl.yaml",
        "-o",
        "decl.yaml",
    ]);
    case.refused("diff_output_is_the_declaration", &out, "comply::usage");
    let kept = std::fs::read_to_string(case.dir.path().join("decl.yaml")).unwrap();
    assert_eq!(kept, DECL);
}

#[test]
fn a_report_into_a_missing_folder_names_the_problem_in_plain_words() {
    let case = Case::new();
    let out = case.check_many(&["decl.yaml", "-o", "nowhere/report.txt"]);
    let stderr = case.refused("output_folder_missing", &out, "comply::io");
    assert!(stderr.contains("no such file or folder"), "{stderr}");
    assert!(!stderr.contains("entity"), "{stderr}");
}

#[test]
fn a_catalogue_folder_that_is_a_file_names_the_problem_in_plain_words() {
    let case = Case::new();
    let out = case.run(&[
        "doc",
        "--no-default-rules",
        "--rules",
        "pack",
        "--output",
        "decl.yaml",
    ]);
    let stderr = case.refused("doc_output_is_a_file", &out, "comply::io");
    assert!(!stderr.contains("entity"), "{stderr}");
    assert!(!stderr.contains("can be created"), "{stderr}");
}

#[test]
fn an_unknown_lint_code_lists_the_lint_codes() {
    let case = Case::new();
    let out = case.run(&["explain", "comply::lint::bogus"]);
    let stderr = case.refused("explain_unknown_lint", &out, "comply::usage");
    assert!(stderr.contains("unknown lint code"), "{stderr}");
    assert!(
        stderr.contains("comply::lint::missing-citation"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown obligation"), "{stderr}");
}

#[test]
fn decl_instant_past_year_9999_in_utc() {
    let stderr = edge_error(
        "decl_instant_past_year_9999_in_utc",
        "d.yaml",
        "org: {name: A, n: 5, flag: true, when: 9999-12-31T23:59:59-01:00}\n",
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("`org.when`"), "{stderr}");
}

#[test]
fn decl_instant_before_year_1_in_utc_json() {
    let stderr = edge_error(
        "decl_instant_before_year_1_in_utc_json",
        "d.json",
        r#"{"org": {"name": "A", "n": 5, "flag": true, "when": "0001-01-01T00:00:00+01:00"}}"#,
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("`org.when`"), "{stderr}");
}

#[test]
fn decl_number_not_finite() {
    for (name, value) in [("decl_number_nan", ".nan"), ("decl_number_inf", "-.inf")] {
        let stderr = edge_error(
            name,
            "d.yaml",
            &format!("org: {{name: A, n: 5, flag: true, x: {value}}}\n"),
            "comply::decl::invalid_value",
        );
        assert!(stderr.contains("not a finite number"), "{stderr}");
        assert!(!stderr.contains("found a number"), "{stderr}");
    }
}

#[test]
fn decl_whole_number_too_large() {
    let stderr = edge_error(
        "decl_whole_number_too_large",
        "d.yaml",
        "org: {name: A, n: 99999999999999999999999, flag: true}\n",
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("too large for a whole number"), "{stderr}");
    let stderr = edge_error(
        "decl_whole_number_too_large_json",
        "d.json",
        r#"{"org": {"name": "A", "n": 18446744073709551615, "flag": true}}"#,
        "comply::decl::invalid_value",
    );
    assert!(stderr.contains("too large for a whole number"), "{stderr}");
}

#[test]
fn decl_whole_number_with_a_fraction() {
    let stderr = edge_error(
        "decl_whole_number_with_a_fraction",
        "d.yaml",
        "org: {name: A, n: 1.5, flag: true}\n",
        "comply::decl::type",
    );
    assert!(stderr.contains("has a fraction"), "{stderr}");
}

#[test]
fn decl_whole_number_written_as_a_decimal() {
    let stderr = edge_error(
        "decl_whole_number_written_as_a_decimal",
        "d.json",
        r#"{"org": {"name": "A", "n": 7.0, "flag": true}}"#,
        "comply::decl::type",
    );
    assert!(stderr.contains("written as a decimal"), "{stderr}");
    assert!(!stderr.contains("found a number"), "{stderr}");
}
