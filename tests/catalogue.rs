//! `docs/rules/` is the catalogue `comply doc` generates from the built-in packs; it must
//! not fall behind the rules.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::path::Path;
use std::process::Command;

#[test]
fn docs_rules_is_the_catalogue_of_the_built_in_packs() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(["doc", "--output"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .status()
        .unwrap();
    assert!(status.success());
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut generated: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    generated.sort();
    let mut on_disk: Vec<String> = std::fs::read_dir(&committed)
        .expect("docs/rules exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let regenerate =
        "docs/rules is stale: run `cargo run -- doc --output docs/rules` and commit it";
    assert_eq!(generated, on_disk, "{regenerate}");
    for name in generated {
        let fresh = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let old = std::fs::read_to_string(committed.join(&name)).unwrap();
        assert!(fresh == old, "{name} differs. {regenerate}");
    }
}
