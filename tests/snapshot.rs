//! The snapshot of the checked built-in program (`rules/builtin.snapshot`), which commands
//! run on the built-in packs alone decode instead of parsing the rules: it must be the one
//! the rules give now, and the program read from it must behave exactly like the one
//! parsed from the rules, in every output that reads the built-in packs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a broken expectation is a panic with a message"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use comply::graph::render::{self, Selection};
use comply::packs::{self, snapshot};
use comply::program::Program;
use comply::report::{self, catalogue, explain, human, plan};
use comply::time::Date;
use comply::waiver::Waivers;
use comply::{decl, eval, schema};

const AS_OF: &str = "2026-11-23";

const REGENERATE: &str =
    "rules/builtin.snapshot is stale: run `cargo xtask snapshot` and commit the file";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built-in program twice: decoded from the snapshot, and parsed from the rules.
fn both() -> [Program; 2] {
    let decoded = snapshot::load()
        .map_err(|r| format!("{r:?}"))
        .expect(REGENERATE);
    let parsed = packs::load(packs::builtin())
        .map_err(|d| d.len())
        .expect("the built-in packs load");
    [decoded, parsed]
}

/// The declarations of `fixtures/`, sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "fixtures/ holds declarations");
    paths
}

#[test]
fn the_committed_snapshot_is_the_one_the_rules_give() {
    let fresh = snapshot::generate()
        .map_err(|d| d.len())
        .expect("the built-in packs load");
    let committed = std::fs::read(root().join(snapshot::FILE)).expect(REGENERATE);
    // Compared whole rather than with `assert_eq!`, which would print both files.
    assert!(fresh == committed, "{REGENERATE}");
}

#[test]
fn the_binary_decodes_the_snapshot_it_embeds() {
    assert_eq!(snapshot::load().err(), None, "{REGENERATE}");
}

/// Every report of one declaration, as the formats of `comply check` and `comply plan`
/// render them.
fn reports(program: &Program, path: &Path) -> Vec<(&'static str, String)> {
    let file = packs::read(path)
        .map_err(|d| d.message().to_string())
        .unwrap();
    let declaration = decl::load::load(&program.shape, file)
        .map_err(|d| d.len())
        .unwrap();
    let as_of = Date::parse(AS_OF).unwrap();
    let waivers = Waivers::none();
    let evaluation = eval::evaluate_with(program, &declaration, as_of, "fr", &waivers);
    let select = report::Select {
        locate: true,
        ..report::Select::default()
    };
    let r = report::build_with(program, &declaration, &evaluation, "fr", &waivers, &select);
    let all = std::slice::from_ref(&r);
    let steps = plan::plan(program, &r);
    vec![
        ("json", report::json::render(&r)),
        (
            "human",
            human::render(program, &r, human::Style { colour: false }),
        ),
        ("markdown", report::markdown::render(all)),
        ("sarif", report::sarif::render(program, all, "fr")),
        ("junit", report::junit::render(program, all)),
        ("github", report::github::render(all)),
        ("oscal", report::oscal::assessment_results(program, all)),
        ("plan", plan::render_json(&steps)),
        ("plan human", plan::render_human(&steps, "fr")),
    ]
}

#[test]
fn every_fixture_is_reported_alike_from_the_snapshot_and_from_the_rules() {
    let [decoded, parsed] = both();
    for path in fixtures() {
        let from_snapshot = reports(&decoded, &path);
        let from_rules = reports(&parsed, &path);
        for ((format, a), (_, b)) in from_snapshot.iter().zip(&from_rules) {
            assert!(
                a == b,
                "{} ({format}) differs between the snapshot and the rules",
                path.display()
            );
        }
    }
}

/// What `comply doc`, `graph`, `schema` and `explain` show of the built-in packs.
fn descriptions(program: &Program) -> Vec<(String, String)> {
    let mut out = vec![
        ("catalogue".to_string(), catalogue::index(program, "fr")),
        (
            "oscal catalog".to_string(),
            report::oscal::catalog(program, "en", AS_OF),
        ),
        ("schema".to_string(), schema::render(program)),
    ];
    for (i, pack) in program.packs.iter().enumerate() {
        out.push((pack.id.clone(), catalogue::page(program, i, "en")));
    }
    let all = Selection::All;
    out.push(("dot".to_string(), render::dot(program, "en", &all)));
    out.push(("mermaid".to_string(), render::mermaid(program, "en", &all)));
    out.push(("graph json".to_string(), render::json(program, "en", &all)));
    for ob in &program.obligations {
        let focus = Selection::Focus(ob.id.clone());
        let impacted = Selection::ImpactedBy(ob.id.clone());
        let text = [
            render::json(program, "en", &focus),
            render::json(program, "en", &impacted),
            explain::render_description(&explain::describe(program, ob, "en")),
        ]
        .concat();
        out.push((ob.id.clone(), text));
    }
    out
}

#[test]
fn catalogue_graph_schema_and_explanations_are_alike_from_the_snapshot_and_from_the_rules() {
    let [decoded, parsed] = both();
    let from_snapshot = descriptions(&decoded);
    let from_rules = descriptions(&parsed);
    assert_eq!(from_snapshot.len(), from_rules.len());
    for ((what, a), (_, b)) in from_snapshot.iter().zip(&from_rules) {
        assert!(a == b, "{what} differs between the snapshot and the rules");
    }
}

/// Runs `comply ARGS` from the crate root.
fn comply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The command as given (built-in packs, from the snapshot) and with the same packs read
/// from the rule folder instead (parsed), which must print the same bytes.
fn assert_alike(args: &[&str]) {
    let builtin = comply(args);
    let mut from_folder = args.to_vec();
    from_folder.extend(["--no-default-rules", "--rules", "rules"]);
    let parsed = comply(&from_folder);
    assert!(
        builtin.stderr.is_empty(),
        "`comply {}` wrote diagnostics:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&builtin.stderr)
    );
    assert_eq!(builtin.status.code(), parsed.status.code(), "{args:?}");
    assert!(
        builtin.stdout == parsed.stdout,
        "`comply {}` prints otherwise with the rule folder",
        args.join(" ")
    );
}

#[test]
fn the_commands_print_the_same_from_the_snapshot_as_from_the_rule_folder() {
    for path in fixtures() {
        let path = path
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_alike(&["check", "--as-of", AS_OF, "--format", "json", &path]);
    }
    assert_alike(&["doc"]);
    assert_alike(&["graph", "--format", "json"]);
}
