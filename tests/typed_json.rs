//! The JSON reader that types while it parses (`decl::json_typed`) gives the records the
//! general path gives (parse into the raw tree, then type it), on the declarations a
//! large run meets: generated ones of every record type, and the shipped JSON fixture.
//! Its own unit tests cover each kind of value and each problem it leaves to the general
//! path; here the point is breadth.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use comply::decl::limits::Limits;
use comply::decl::{json, json_typed, typed};
use comply::program::Program;
use comply::source::SourceFile;

fn builtin() -> Program {
    comply::packs::load(comply::packs::builtin()).expect("the built-in packs load")
}

#[track_caller]
fn same_records(program: &Program, file: &SourceFile) {
    let fast = json_typed::read(&program.shape, file, &Limits::default())
        .unwrap_or_else(|| panic!("the typed reader gave up on {}", file.name()));
    let node = json::parse_json(file).expect("the file parses");
    let general = typed::read(&program.shape, file, &node).expect("the file types");
    assert!(fast == general, "{} reads differently", file.name());
}

#[test]
fn generated_declarations_read_alike() {
    let program = builtin();
    for seed in [1, 2, 3] {
        let text = xtask::declaration(&program, 400, seed);
        same_records(&program, &SourceFile::new(format!("gen-{seed}.json"), text));
    }
}

#[test]
fn the_shipped_json_fixture_reads_alike() {
    let program = builtin();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/violating.json");
    let text = std::fs::read_to_string(path).expect("the fixture is readable");
    same_records(&program, &SourceFile::new("violating.json", text));
}
