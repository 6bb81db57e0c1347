//! The lints on small packs: what fires, what stays quiet, what allow comments silence.

use super::*;
use crate::packs::PackSource;
use crate::source::{SourceFile, Span};

const SHAPE: &str = r#"
pack t { title en "T" fr "T" version "1" in_force from 2020-01-01 }
instrument law "A law"
extend Declaration { organisation: Organisation }
record Organisation {
  name: text
  employees: int
  ratio: number
  founded: date
  kind: Kind
  sector: Sector
  register: bool?
  big: bool
  sites: list<Site>
}
record Site key id { id: text  open: bool }
enum Kind { company, association, public_body }
enum Sector { health, health.hospital, health.clinic, finance, finance.bank }
"#;

/// Lints `rules` (after the shape above) and returns `(code, text under the primary span,
/// message)` for each warning of the given code.
fn lint_as(rules: &str, code: &str) -> Vec<(String, String)> {
    let file = SourceFile::new("t/t.comply", format!("{SHAPE}{rules}"));
    let program = crate::packs::load(vec![PackSource {
        folder: "t".into(),
        files: vec![file.clone()],
    }]);
    let program = match program {
        Ok(p) => p,
        Err(d) => {
            let messages: Vec<String> = d.iter().map(|x| x.message().to_string()).collect();
            panic!("the pack does not load: {messages:?}");
        }
    };
    let scope = Scope {
        files: vec![0],
        tested: None,
    };
    lint(&program, &scope)
        .iter()
        .filter(|d| codes::short_name(d.code()) == code)
        .map(|d| {
            let under = d.primary_span().map_or("", |s| file.slice(s)).to_string();
            (under, d.message().to_string())
        })
        .collect()
}

fn require(condition: &str) -> String {
    format!("obligation t.x {{ cite law \"1\" require {condition} else \"m\" fr \"m\" }}\n")
}

/// The text flagged by the impossible-condition lint in `require CONDITION`.
fn impossible(condition: &str) -> Vec<String> {
    lint_as(&require(condition), "impossible-condition")
        .into_iter()
        .map(|(under, _)| under)
        .collect()
}

#[test]
fn conditions_that_can_never_hold_are_found() {
    let cases = [
        ("false", "false"),
        (
            "organisation.employees != organisation.employees",
            "organisation.employees != organisation.employees",
        ),
        ("1 > 2", "1 > 2"),
        ("\"a\" == \"b\"", "\"a\" == \"b\""),
        ("organisation.kind in []", "organisation.kind in []"),
        ("organisation.employees == 2.5", "organisation.employees == 2.5"),
        (
            "count([organisation.register, organisation.big]) >= 3",
            "count([organisation.register, organisation.big]) >= 3",
        ),
        (
            "(count s in organisation.sites: s.open) < 0",
            "(count s in organisation.sites: s.open) < 0",
        ),
        (
            "organisation.employees > 10 and organisation.employees < 5",
            "organisation.employees < 5",
        ),
        (
            "organisation.employees > 1 and organisation.employees < 2",
            "organisation.employees < 2",
        ),
        (
            "3 < organisation.employees and organisation.employees < 2",
            "organisation.employees < 2",
        ),
        (
            "organisation.founded < 2020-01-01 and organisation.founded > 2021-01-01",
            "organisation.founded > 2021-01-01",
        ),
        (
            "organisation.big and not organisation.big",
            "not organisation.big",
        ),
        (
            "organisation.register is present and organisation.register is missing",
            "organisation.register is missing",
        ),
        (
            "organisation.kind != company and organisation.kind != association and organisation.kind != public_body",
            "organisation.kind != public_body",
        ),
        (
            "organisation.kind in [company, association] and organisation.kind == public_body",
            "organisation.kind == public_body",
        ),
        (
            "organisation.sector within health.hospital and organisation.sector != health.hospital",
            "organisation.sector != health.hospital",
        ),
        (
            "organisation.name == \"a\" and organisation.name == \"b\"",
            "organisation.name == \"b\"",
        ),
        (
            "organisation.big or (organisation.employees < 0 and organisation.employees > 0)",
            "organisation.employees > 0",
        ),
        (
            "any s in organisation.sites: s.open and not s.open",
            "not s.open",
        ),
        (
            "not (organisation.employees == organisation.employees)",
            "not (organisation.employees == organisation.employees)",
        ),
        (
            "organisation.kind == company and (organisation.kind == association or organisation.big)",
            "organisation.kind == association",
        ),
    ];
    for (condition, flagged) in cases {
        assert_eq!(
            impossible(condition),
            vec![flagged.to_string()],
            "{condition}"
        );
    }
}

#[test]
fn conditions_that_can_hold_are_left_alone() {
    let cases = [
        "organisation.employees >= 10 and organisation.employees <= 10",
        "organisation.ratio > 1 and organisation.ratio < 2",
        "organisation.employees == 2.0",
        "organisation.kind == company or organisation.kind == association",
        "organisation.sector within health and organisation.sector within health.hospital",
        "organisation.sector within health and organisation.sector != health",
        "not organisation.register or organisation.big",
        "organisation.register is missing or organisation.register",
        "count([organisation.register, organisation.big]) >= 2",
        "(any s in organisation.sites: s.open) and (any t in organisation.sites: not t.open)",
        "organisation.kind not in []",
        "organisation.founded <= today",
    ];
    for condition in cases {
        assert_eq!(impossible(condition), Vec::<String>::new(), "{condition}");
    }
}

#[test]
fn constants_are_read_through() {
    let rules = "define kinds = [company]\n".to_string()
        + &require("organisation.kind in kinds and organisation.kind == association");
    let found = lint_as(&rules, "impossible-condition");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn clauses_are_read_against_the_obligations_applicability() {
    let rules = "obligation t.x { cite law \"1\"
      applies when organisation.kind == company
      applies when organisation.employees > 10
      unless organisation.kind == association because \"b\" fr \"b\"
      unless organisation.employees > 100 because \"c\" fr \"c\"
      require organisation.employees < 5 else \"m\" fr \"m\"
      require organisation.employees < 50 else \"m\" fr \"m\"
    }\n";
    let found = lint_as(rules, "impossible-condition");
    let under: Vec<&str> = found.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        under,
        [
            "organisation.kind == association",
            "organisation.employees < 5"
        ]
    );
    assert!(
        found[1]
            .1
            .contains("contradicts `organisation.employees > 10`"),
        "{found:?}"
    );
}

#[test]
fn contradictory_applicability_is_reported_once() {
    let rules = "obligation t.x { cite law \"1\"
      applies when organisation.kind == company
      applies when organisation.kind == association
      require organisation.kind == public_body else \"m\" fr \"m\"
    }\n";
    let found = lint_as(rules, "impossible-condition");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "organisation.kind == association");
}

#[test]
fn define_bodies_are_checked() {
    let rules = "define odd(o: Organisation) = o.employees < 0 and o.employees > 0\n".to_string()
        + &require("odd(organisation)");
    let found = lint_as(&rules, "impossible-condition");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "o.employees > 0");
}

#[test]
fn repeated_conditions_are_compared_as_trees() {
    let rules = "obligation t.x { cite law \"1\"
      applies when organisation.big
      unless organisation.big because \"b\" fr \"b\"
      require (organisation.register and organisation.employees > 1) else \"m\" fr \"m\"
      require organisation.register   and   organisation.employees > 1   # again
        else \"m\" fr \"m\"
      require count([organisation.big, organisation.register, organisation.big]) >= 2
        else \"m\" fr \"m\"
    }\n";
    let found = lint_as(rules, "duplicate-condition");
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`unless` repeats the `applies when` condition of `t.x`",
            "`require` condition written twice in `t.x`",
            "the same condition is counted twice in one `count`",
        ]
    );
    let distinct = require("organisation.register and organisation.big");
    assert!(lint_as(&distinct, "duplicate-condition").is_empty());
}

#[test]
fn defines_used_only_by_unused_defines_are_unused() {
    let rules = "define inner(o: Organisation) = o.employees > 10
define outer(o: Organisation) = inner(o) and o.big
define limit = 5
define shown = 7
"
    .to_string()
        + "obligation t.x { cite law \"1\" require organisation.employees > limit else \"{shown}\" fr \"m\" }\n";
    let found = lint_as(&rules, "unused-define");
    assert_eq!(
        found,
        [
            (
                "inner".to_string(),
                "`inner` is not used by any obligation".to_string()
            ),
            (
                "outer".to_string(),
                "`outer` is not used by any obligation".to_string()
            ),
        ]
    );
}

#[test]
fn every_text_without_french_is_reported() {
    let rules = "obligation t.x { title \"T\" cite law \"1\"
      unless organisation.big because \"b\"
      require organisation.register else \"m\"
      remedy en \"r\"
    }\n";
    let found = lint_as(rules, "missing-french");
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the title of `t.x` has no French version",
            "a `because` text of `t.x` has no French version",
            "an `else` message of `t.x` has no French version",
            "the remedy of `t.x` has no French version",
        ]
    );
}

#[test]
fn dependencies_follow_the_pack_and_own_periods() {
    let rules = "obligation t.a { cite law \"1\" in_force from 2020-01-01 until 2030-01-01 require organisation.big else \"m\" fr \"m\" }
obligation t.b { cite law \"1\" depends on t.a require organisation.big else \"m\" fr \"m\" }
obligation t.c { cite law \"1\" in_force from 2021-01-01 until 2029-01-01 depends on t.a require organisation.big else \"m\" fr \"m\" }
obligation t.d { cite law \"1\" pending \"decree\" depends on t.a require organisation.big else \"m\" fr \"m\" }
";
    let found = lint_as(rules, "dependency-not-in-force");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "`t.b` depends on `t.a`, which is not in force over the same period"
    );
}

#[test]
fn allow_comments_cover_their_file_or_their_declaration() {
    let rules = "obligation t.a {
  # comply: allow(missing-citation)
  require organisation.big else \"m\" fr \"m\"
}
# comply: allow(unused-define)
define spare = 3
define other = 4
obligation t.b { require organisation.big else \"m\" fr \"m\" }
";
    assert_eq!(
        lint_as(rules, "missing-citation"),
        [(
            "t.b".to_string(),
            "obligation `t.b` cites no provision".to_string()
        )]
    );
    assert_eq!(lint_as(rules, "unused-define").len(), 1);
    let file_wide = format!("# comply: allow(unused-define)\n\n{rules}");
    assert!(lint_as(&file_wide, "unused-define").is_empty());
}

#[test]
fn malformed_allow_comments_are_reported() {
    let rules = "# comply: allow missing-french\n".to_string() + &require("organisation.big");
    let found = lint_as(&rules, "unknown-allow");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "a `comply:` comment that is not an allow list");
}

#[test]
fn every_lint_can_be_explained() {
    for rule in codes::RULES {
        let text = explain(rule.code.as_str()).unwrap_or_default();
        assert!(text.starts_with(rule.code.as_str()), "{text}");
        assert!(text.contains("\n# What\n"), "{text}");
    }
    assert!(explain("no-such-lint").is_none());
}

#[test]
fn written_spans_leave_out_trailing_space_and_comments() {
    let file = SourceFile::new("t", "x == a  # note \"#\"\n  and y");
    let span = written(&file, Span::new(0, 21));
    assert_eq!(file.slice(span), "x == a");
    let file = SourceFile::new("t", "t == \"#1\"\n");
    assert_eq!(file.slice(written(&file, Span::new(0, 10))), "t == \"#1\"");
    let file = SourceFile::new("t", "a and ( (b or c) and d)");
    assert_eq!(
        file.slice(written(&file, Span::new(9, 23))),
        "( (b or c) and d)"
    );
    let file = SourceFile::new("t", "not (x == y )  and z");
    assert_eq!(
        file.slice(written(&file, Span::new(0, 11))),
        "not (x == y )"
    );
}
