//! The comparison on small packs written inline.

use super::version::{self, Sides, Version};
use super::*;
use crate::packs::PackSource;
use crate::source::SourceFile;

const SHAPE: &str = r#"
pack t { title "Test" version "1" }
instrument law "A law"
record Org { employees: int big: bool name: text }
record Thing key id { id: text risky: bool kind: Kind }
enum Kind { a, b }
extend Declaration { org: Org things: list<Thing> }
"#;

fn version(label: &str, body: &str) -> Version {
    let file = SourceFile::new(format!("{label}/t.comply"), format!("{SHAPE}{body}"));
    let packs = version::parse(vec![PackSource {
        folder: label.to_string(),
        files: vec![file],
    }])
    .unwrap();
    let loaded = version::load(Sides {
        old: (label.to_string(), packs.clone()),
        new: (label.to_string(), packs),
        extra: Vec::new(),
        library: Vec::new(),
    })
    .unwrap();
    loaded.old
}

fn diff(old: &str, new: &str) -> Diff {
    compare(&version("old", old), &version("new", new), "en")
}

fn change(aspect: Aspect, old: Option<&str>, new: Option<&str>) -> Change {
    Change::new(aspect, old.map(str::to_string), new.map(str::to_string))
}

#[test]
fn a_default_written_out_reordered_clauses_and_lists_are_no_change() {
    let d = diff(
        "obligation t.a { applies when org.big  applies when org.employees > 3 \
         require org.big  depends on t.b, t.c }
         obligation t.b { require org.big }  obligation t.c { require org.big }",
        "obligation t.c { require org.big }
         obligation t.a {
           severity medium
           depends on t.c
           depends on t.b
           applies when (org.employees > 3)
           applies when org.big
           require org.big
         }
         obligation t.b { require (org.big) }",
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn an_instrument_short_name_left_to_its_default_is_no_change() {
    let d = diff(
        r#"instrument other "Other law""#,
        r#"instrument other "Other law" short "OTHER""#,
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn a_changed_predicate_marks_the_obligations_that_use_it_even_through_another() {
    let d = diff(
        "define large = org.employees >= 250
         define large_and_big = large and org.big
         obligation t.a { require large_and_big }",
        "define large = org.employees >= 100
         define large_and_big = large and org.big
         obligation t.a { require large_and_big }",
    );
    assert_eq!(d.predicates.len(), 1);
    assert_eq!(
        d.predicates[0].changes,
        vec![change(
            Aspect::Definition,
            Some("org.employees >= 250"),
            Some("org.employees >= 100")
        )]
    );
    assert_eq!(d.obligations.len(), 1);
    assert_eq!(
        d.obligations[0].changes,
        vec![change(
            Aspect::UsesPredicate,
            Some("large_and_big"),
            Some("large_and_big")
        )]
    );
}

#[test]
fn a_message_change_names_its_require() {
    let d = diff(
        r#"obligation t.a { require org.big else en "Be big" fr "Soyez grand" }"#,
        r#"obligation t.a { require org.big else en "Be bigger" fr "Soyez grand" }"#,
    );
    let c = &d.obligations[0].changes;
    assert_eq!(
        c,
        &vec![Change {
            aspect: Aspect::Else,
            lang: Some("en".into()),
            clause: Some("org.big".into()),
            old: Some("Be big".into()),
            new: Some("Be bigger".into()),
        }]
    );
}

#[test]
fn clauses_added_removed_and_changed() {
    let d = diff(
        "obligation t.a for x in things {
           unless x.kind == a
           require x.risky
           require org.big
         }",
        "obligation t.a for y in things {
           unless y.kind == b
           require org.big
           require org.employees < 10
           require y.risky or org.big
         }",
    );
    let c = &d.obligations[0].changes;
    assert_eq!(
        c,
        &vec![
            change(Aspect::Unless, Some("x.kind == a"), Some("y.kind == b")),
            change(Aspect::Require, Some("x.risky"), Some("org.employees < 10")),
            change(Aspect::Require, None, Some("y.risky or org.big")),
        ]
    );
}

#[test]
fn iteration_dates_and_pending() {
    let d = diff(
        "obligation t.g { require org.big }
         obligation t.a { require org.big }",
        "obligation t.g { require org.big }
         obligation t.a for x in things {
           in_force from 2027-01-01 until 2030-01-01
           pending \"awaiting a decree\"
           require org.big
         }",
    );
    let c = &d.obligations[0].changes;
    assert_eq!(
        c,
        &vec![
            change(Aspect::For, None, Some("x in things")),
            change(
                Aspect::InForce,
                None,
                Some("from 2027-01-01 until 2030-01-01")
            ),
            change(Aspect::Pending, None, Some("awaiting a decree")),
        ]
    );
}

#[test]
fn shape_changes_are_listed_per_type_field_and_member() {
    let d = diff(
        "enum Colour { red, green }",
        "enum Colour { red \"The red one\", blue }
         record Extra { n: int }
         extend Org { note: text? }",
    );
    let listed: Vec<(State, Kind, &str)> = d
        .shape
        .iter()
        .map(|e| (e.state, e.kind, e.name.as_str()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (State::Added, Kind::Member, "Colour.blue"),
            (State::Added, Kind::Record, "Extra"),
            (State::Added, Kind::Field, "Extra.n"),
            (State::Added, Kind::Field, "Org.note"),
            (State::Removed, Kind::Member, "Colour.green"),
            (State::Changed, Kind::Member, "Colour.red"),
        ]
    );
    let note = d.shape.iter().find(|e| e.name == "Org.note").unwrap();
    assert_eq!(
        note.changes,
        vec![change(Aspect::Type, None, Some("text?"))]
    );
}

fn parsed(folder: &str, text: &str) -> Vec<version::ParsedPack> {
    version::parse(vec![PackSource {
        folder: folder.to_string(),
        files: vec![SourceFile::new(format!("{folder}/p.comply"), text)],
    }])
    .unwrap()
}

fn sides(old: &str, new: &str, library: &str) -> Sides {
    Sides {
        old: ("old".into(), parsed("old", old)),
        new: ("new".into(), parsed("new", new)),
        extra: Vec::new(),
        library: parsed("lib", library),
    }
}

#[test]
fn a_library_pack_that_does_not_load_with_one_version_is_left_out_of_both() {
    let loaded = version::load(sides(
        &format!("{SHAPE} obligation t.a {{ require org.big }}"),
        &format!("{SHAPE} obligation t.b {{ require org.big }}"),
        "pack l { requires t }  obligation l.a { overrides t.a  require org.big }",
    ))
    .unwrap();
    assert_eq!(
        loaded.left_out,
        vec![version::LeftOut {
            pack: "l".into(),
            versions: vec!["new"],
        }]
    );
    assert!(loaded.old.program.obligation("l.a").is_none());
    assert!(loaded.old.program.obligation("t.a").is_some());
}

#[test]
fn a_library_pack_a_compared_one_requires_is_never_left_out() {
    let shape = SHAPE.replace("version \"1\"", "version \"1\" requires l");
    let err = version::load(sides(
        &format!("{shape} obligation t.a {{ require org.big }}"),
        &format!("{shape} obligation t.b {{ require org.big }}"),
        "pack l { }  obligation l.a { overrides t.a  require org.big }",
    ))
    .unwrap_err();
    assert!(
        err.iter().any(|d| d.message().contains("t.a")),
        "{:?}",
        err.iter()
            .map(|d| d.message().to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_library_copy_of_a_compared_pack_is_left_out() {
    let t = format!("{SHAPE} obligation t.a {{ require org.big }}");
    let loaded = version::load(sides(&t, &t, &t)).unwrap();
    assert!(loaded.left_out.is_empty());
    assert_eq!(loaded.new.program.packs.len(), 1);
}
