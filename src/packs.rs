//! Finding and loading rule packs: the built-in ones embedded in the binary, and folders
//! given on the command line.

use std::path::{Path, PathBuf};

use crate::check::{self, Input};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::program::Program;
use crate::source::SourceFile;
use crate::syntax;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));
}

/// The files of one pack.
#[derive(Clone, Debug)]
pub struct PackSource {
    /// The folder it came from.
    pub folder: String,
    /// Its rule files, sorted by name.
    pub files: Vec<SourceFile>,
}

/// The packs shipped inside the binary.
pub fn builtin() -> Vec<PackSource> {
    let mut packs: Vec<PackSource> = Vec::new();
    for (folder, path, text) in embedded::BUILTIN {
        let file = SourceFile::new(*path, *text);
        match packs.last_mut() {
            Some(p) if p.folder == *folder => p.files.push(file),
            _ => packs.push(PackSource {
                folder: (*folder).to_string(),
                files: vec![file],
            }),
        }
    }
    packs
}

/// Reads packs from a path: a `.comply` file (a pack of one file), a folder holding
/// `.comply` files (one pack, including its subfolders), or a folder of such folders.
pub fn from_path(path: &Path) -> Result<Vec<PackSource>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_file() {
        let file = read(path)?;
        return Ok(vec![PackSource {
            folder: path.display().to_string(),
            files: vec![file],
        }]);
    }
    let mut direct = Vec::new();
    let mut subfolders = Vec::new();
    for entry in sorted_entries(path)? {
        if entry.is_dir() {
            subfolders.push(entry);
        } else if entry.extension().is_some_and(|e| e == "comply") {
            direct.push(entry);
        }
    }
    if !direct.is_empty() {
        let mut files = Vec::new();
        collect(path, &mut files)?;
        return Ok(vec![PackSource {
            folder: path.display().to_string(),
            files,
        }]);
    }
    let mut packs = Vec::new();
    for sub in subfolders {
        let mut files = Vec::new();
        collect(&sub, &mut files)?;
        if !files.is_empty() {
            packs.push(PackSource {
                folder: sub.display().to_string(),
                files,
            });
        }
    }
    if packs.is_empty() {
        return Err(
            Diagnostic::error(Code::Io, format!("no rule files in `{}`", path.display())).help(
                "a pack is a folder of `.comply` files; pass the pack folder or a folder of packs",
            ),
        );
    }
    Ok(packs)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths)
}

fn collect(dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), Diagnostic> {
    for p in sorted_entries(dir)? {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "comply") {
            out.push(read(&p)?);
        }
    }
    Ok(())
}

/// Reads a text file as a source.
pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path.display().to_string(), text)),
        Err(e) => Err(Diagnostic::error(
            Code::Io,
            format!("`{}` is not UTF-8 text", path.display()),
        )
        .help(format!(
            "the first invalid byte is at offset {}; save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))),
    }
}

/// A diagnostic for a file that cannot be read.
pub fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let (why, help) = match e.kind() {
        std::io::ErrorKind::NotFound => (
            "no such file or folder".to_string(),
            "check the path; it is relative to the current folder",
        ),
        std::io::ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            "check the file's permissions",
        ),
        other => (
            other.to_string(),
            "check that the path names a readable file or folder",
        ),
    };
    Diagnostic::error(Code::Io, format!("cannot read `{}`: {why}", path.display())).help(help)
}

/// Parses and checks packs into a program.
pub fn load(packs: Vec<PackSource>) -> Result<Program, Diagnostics> {
    let mut input = Input::default();
    let mut diags = Diagnostics::new();
    for pack in packs {
        input.begin_pack();
        for file in pack.files {
            match syntax::parse(&file) {
                Ok(ast) => input.add(file, ast),
                Err(d) => diags.extend(d),
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    check::check(input)
}
