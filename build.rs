//! Embeds the built-in rule packs (`rules/*/*.comply`) in the binary, so that
//! `comply check` works with no other file, and the snapshot of the program they check into
//! (`rules/builtin.snapshot`), so that it need not parse them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn comply_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            comply_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "comply") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules = root.join("rules");
    println!("cargo::rerun-if-changed=rules");
    let mut packs: Vec<PathBuf> = std::fs::read_dir(&rules)
        .map(|it| {
            it.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    packs.sort();
    let mut code = String::from("/// Built-in packs: (folder, file path, text).\npub static BUILTIN: &[(&str, &str, &str)] = &[\n");
    for pack in &packs {
        println!("cargo::rerun-if-changed={}", pack.display());
        let mut files = Vec::new();
        comply_files(pack, &mut files);
        let folder = pack
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for f in files {
            println!("cargo::rerun-if-changed={}", f.display());
            let shown = f
                .strip_prefix(&root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            let _ = writeln!(
                code,
                "    ({folder:?}, {shown:?}, include_str!({:?})),",
                f.display().to_string()
            );
        }
    }
    code.push_str("];\n");
    // The snapshot of the checked built-in program, when there is one; without it the
    // packs are parsed at run time.
    let snapshot = rules.join("builtin.snapshot");
    let _ = writeln!(
        code,
        "/// The snapshot of the checked built-in program; empty when there is none.\n\
         pub static SNAPSHOT: &[u8] = {};",
        if snapshot.is_file() {
            format!("include_bytes!({:?})", snapshot.display().to_string())
        } else {
            "&[]".to_string()
        }
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("builtin_packs.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo::warning=cannot write {}: {e}", out.display());
    }
}
