//! `report::check` evaluates a declaration and builds its report in one pass, handing the
//! results of each obligation to the report as soon as no other obligation reads them,
//! on one thread or several. Its report must be the very one built from a whole
//! evaluation (`eval::evaluate_with`, then `report::build_with`), whatever the selection:
//! the same JSON text, the same places of findings, the same waivers used.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::path::{Path, PathBuf};

use comply::decl::value::Declaration;
use comply::program::Program;
use comply::report::{self, Report, Select};
use comply::time::Date;
use comply::waiver::{WaiverUse, Waivers};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn as_of() -> Date {
    Date::parse("2026-11-23").unwrap()
}

fn builtin() -> Program {
    comply::packs::load(comply::packs::builtin()).unwrap_or_else(|d| panic!("{d:?}"))
}

fn load(program: &Program, name: &str, text: String) -> Declaration {
    let file = comply::source::SourceFile::new(name, text);
    comply::decl::load::load(&program.shape, file).unwrap_or_else(|d| panic!("{name}: {d:?}"))
}

fn fixture(program: &Program, path: &Path) -> Declaration {
    let text = std::fs::read_to_string(path).unwrap();
    load(program, &path.display().to_string(), text)
}

/// Every selection a run can make: failing results or all, findings located or not, all
/// obligations or some.
fn selections(only: &[&str]) -> Vec<Select> {
    let mut all = Vec::new();
    for failing_only in [false, true] {
        for locate in [false, true] {
            for only in [Vec::new(), only.iter().map(|g| g.to_string()).collect()] {
                all.push(Select {
                    only,
                    failing_only,
                    locate,
                });
            }
        }
    }
    all
}

/// The waivers as `review` counts them, in a fixed order.
fn sorted(mut uses: Vec<WaiverUse>) -> Vec<(usize, bool, String)> {
    uses.sort_by_key(|u| (u.index, u.in_force, u.was));
    uses.into_iter()
        .map(|u| (u.index, u.in_force, u.was.to_string()))
        .collect()
}

/// Everything a report shows, in every format that shows a different part of it.
fn shown(program: &Program, r: &Report) -> (String, String) {
    let one = std::slice::from_ref(r);
    (
        report::json::render(r),
        report::sarif::render(program, one, "en"),
    )
}

#[track_caller]
fn assert_same_report(program: &Program, decl: &Declaration, waivers: &Waivers) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let evaluation = comply::eval::evaluate_with(program, decl, as_of(), "en", waivers);
    let uses: Vec<WaiverUse> = evaluation
        .results
        .iter()
        .filter_map(|r| r.waiver())
        .collect();
    let ids: Vec<&str> = program.obligations.iter().map(|o| o.id.as_str()).collect();
    // Half the obligations, so that some are read by obligations that are not counted.
    let only: Vec<&str> = ids.iter().step_by(2).copied().collect();
    for select in selections(&only) {
        let expected = report::build_with(program, decl, &evaluation, "en", waivers, &select);
        for pool in [None, Some(&pool)] {
            let what = format!(
                "{} with {select:?} on {} thread(s)",
                decl.file.name(),
                pool.map_or(1, rayon::ThreadPool::current_num_threads)
            );
            let checked = report::check(pool, program, decl, as_of(), "en", waivers, &select);
            let (json, sarif) = shown(program, &checked.report);
            let (expected_json, expected_sarif) = shown(program, &expected);
            assert!(json == expected_json, "{what}: the JSON reports differ");
            assert!(sarif == expected_sarif, "{what}: the SARIF reports differ");
            assert_eq!(
                sorted(checked.waivers_used),
                sorted(uses.clone()),
                "{what}: waivers used"
            );
        }
    }
}

#[test]
fn a_generated_declaration_gets_the_report_of_a_whole_evaluation() {
    let program = builtin();
    // Enough items that every list is long enough to be spread over threads.
    let text = xtask::declaration(&program, 600, 7);
    let decl = load(&program, "generated.json", text);
    assert_same_report(&program, &decl, &Waivers::none());
}

#[test]
fn every_fixture_gets_the_report_of_a_whole_evaluation() {
    let program = builtin();
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let path = entry.unwrap().path();
        let decl = fixture(&program, &path);
        assert_same_report(&program, &decl, &Waivers::none());
        seen += 1;
    }
    assert!(seen >= 8, "only {seen} fixtures");
}

#[test]
fn waived_and_blocked_results_get_the_report_of_a_whole_evaluation() {
    let packs = comply::packs::from_path(&root().join("tests/packs/ci")).unwrap();
    let program = comply::packs::load(packs).unwrap_or_else(|d| panic!("{d:?}"));
    let decl = fixture(&program, &root().join("tests/packs/ci-decls/acme.yaml"));
    let file = comply::packs::read(&root().join("tests/packs/ci-decls/waivers.yaml")).unwrap();
    let waivers = Waivers::parse(file, &program).unwrap_or_else(|d| panic!("{d:?}"));
    assert_same_report(&program, &decl, &waivers);
    // Without the waivers the contract's violation blocks the review that depends on it.
    assert_same_report(&program, &decl, &Waivers::none());
}
