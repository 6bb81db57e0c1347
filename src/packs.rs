//! Finding and loading rule packs: the built-in ones embedded in the binary, and folders
//! given on the command line.

use std::path::{Path, PathBuf};

use crate::check::{self, Input};
use crate::decl::limits::too_large;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::program::Program;
use crate::source::SourceFile;
use crate::syntax;

pub mod snapshot;

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

/// The built-in packs, checked: decoded from their snapshot when it was made from them,
/// else parsed and checked (see [`snapshot`]).
pub fn load_builtin() -> Result<Program, Diagnostics> {
    match snapshot::load() {
        Ok(program) => Ok(program),
        Err(_) => load(builtin()),
    }
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
        let files = collect(path, &[])?;
        return Ok(vec![PackSource {
            folder: path.display().to_string(),
            files,
        }]);
    }
    // A subfolder that leads back to the folder of packs is not a pack of its own.
    let outer = [canonical(path)];
    let mut packs = Vec::new();
    for sub in subfolders {
        let files = collect(&sub, &outer)?;
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

fn collect(dir: &Path, outer: &[PathBuf]) -> Result<Vec<SourceFile>, Diagnostic> {
    let is_rule_file = |p: &Path| p.extension().is_some_and(|e| e == "comply");
    files_under(dir, outer, &is_rule_file)?
        .iter()
        .map(|p| read(p))
        .collect()
}

/// The files under a folder that `keep` accepts, in name order, each once.
///
/// A symbolic link may lead back to a folder being walked (`self -> .`): following it
/// would list the same files again until the system refuses the path, so a folder whose
/// canonical path is on the current path (or in `outer`, the folders around `dir`) is
/// not entered again, and a file reached by a second route is not listed again. Nothing
/// is lost by skipping, since everything under such a folder is walked already, so the
/// skip is silent. Files keep the name they were first reached by.
pub fn files_under(
    dir: &Path,
    outer: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut walk = Walk {
        keep,
        on_path: outer.to_vec(),
        seen: std::collections::HashSet::new(),
        out: Vec::new(),
    };
    walk.folder(dir)?;
    Ok(walk.out)
}

struct Walk<'a> {
    keep: &'a dyn Fn(&Path) -> bool,
    /// Canonical paths of the folders from the top of the walk to the current one.
    on_path: Vec<PathBuf>,
    /// Canonical paths of the files listed.
    seen: std::collections::HashSet<PathBuf>,
    out: Vec<PathBuf>,
}

impl Walk<'_> {
    fn folder(&mut self, dir: &Path) -> Result<(), Diagnostic> {
        let here = canonical(dir);
        if self.on_path.contains(&here) {
            return Ok(());
        }
        self.on_path.push(here);
        for p in sorted_entries(dir)? {
            if p.is_dir() {
                self.folder(&p)?;
            } else if (self.keep)(&p) && self.seen.insert(canonical(&p)) {
                self.out.push(p);
            }
        }
        self.on_path.pop();
        Ok(())
    }
}

/// The canonical path of a file or folder, or the path itself when it cannot be
/// resolved (a dangling link), so that reading it reports the error.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The paths in their first-given order, each file once however it is named.
pub fn dedupe(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    paths
        .into_iter()
        .filter(|p| seen.insert(canonical(p)))
        .collect()
}

/// The largest rule file read, in bytes.
///
/// About 400 times the largest shipped rule file (21 KiB), and a pack spreads its
/// obligations over several files. Loading takes about 85 bytes of memory per byte of
/// rule text: at this limit (240,000 obligations in one file) a release build loads the
/// pack in under 4 seconds with 0.7 GiB (measured). What is larger is not a hand-written
/// rule file but a generated one gone wrong, or a data file passed by mistake.
pub const MAX_RULE_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Reads a rule file, or another text written beside the rules (rule tests, waivers), as
/// a source; one larger than [`MAX_RULE_FILE_SIZE`] is refused.
pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
    read_at_most(path, MAX_RULE_FILE_SIZE, RULE_FILE_TOO_LARGE)
}

/// The help line of a rule file over [`MAX_RULE_FILE_SIZE`].
pub const RULE_FILE_TOO_LARGE: &str =
    "a rule file is limited to 8 MiB; split a pack this large into several files of its folder";

/// Reads a text file as a source, refusing one larger than `limit` bytes, with `raise`
/// as the help line that says how to allow more.
///
/// The size is read from the file's metadata first, so a file too large is refused
/// without reading it; the read itself is bounded too, because a file can grow while it
/// is read, and a pipe or a device reports no size at all.
pub fn read_at_most(path: &Path, limit: u64, raise: &str) -> Result<SourceFile, Diagnostic> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let meta = file.metadata().map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(io_error(
            path,
            &std::io::Error::from(std::io::ErrorKind::IsADirectory),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(
            &path.display().to_string(),
            Some(meta.len()),
            limit,
            raise,
        ));
    }
    // Only a regular file's size says how much room to reserve; a pipe reports 0.
    let expected = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&path.display().to_string(), None, limit, raise));
    }
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
    use std::io::ErrorKind;
    let help = match e.kind() {
        ErrorKind::NotFound => "check the path; it is relative to the current folder",
        ErrorKind::PermissionDenied => "check the file's permissions",
        _ => "check that the path names a readable file or folder",
    };
    Diagnostic::error(
        Code::Io,
        format!("cannot read `{}`: {}", path.display(), io_reason(e)),
    )
    .help(help)
}

/// A diagnostic for a file or folder that cannot be written: the same words as for
/// reading, with help about where output can go.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let help = match e.kind() {
        ErrorKind::NotFound => "create the folder first, or write into one that exists",
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "check that the file and its folder are writable"
        }
        ErrorKind::AlreadyExists | ErrorKind::NotADirectory => {
            "a file stands where a folder is needed; give the path of a folder"
        }
        ErrorKind::IsADirectory => "give the path of a file, not of a folder",
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "free some space, or write elsewhere",
        _ => "check that the path names a writable file in a folder that exists",
    };
    Diagnostic::error(
        Code::Io,
        format!("cannot write `{}`: {}", path.display(), io_reason(e)),
    )
    .help(help)
}

/// Why a file could not be used, in the words of a file system rather than the Rust names
/// of error kinds ("entity not found"), which mean nothing to someone writing a path.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or folder".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::AlreadyExists => "a file of that name is in the way".to_string(),
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder".to_string(),
        ErrorKind::IsADirectory => "it is a folder".to_string(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "no space left".to_string(),
        // Other kinds are rare; the system's own words say more than the kind's name.
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text.get(..at).unwrap_or(&text).to_lowercase(),
                None => text,
            }
        }
    }
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

/// The program of one pack written inline, for the unit tests of the stages after
/// checking; a pack that does not check fails the test with its messages.
#[cfg(test)]
pub(crate) fn inline(text: &str) -> Program {
    let source = PackSource {
        folder: "t".into(),
        files: vec![SourceFile::new("pack.comply", text)],
    };
    match load(vec![source]) {
        Ok(p) => p,
        Err(d) => panic!("{:?}", d.iter().map(|x| x.message()).collect::<Vec<_>>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_up_to_its_limit_and_refused_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ten.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(
            read_at_most(&path, 10, "raise").unwrap().text(),
            "0123456789"
        );
        let refused = read_at_most(&path, 9, "raise it").unwrap_err();
        assert_eq!(refused.code(), Code::Limit);
        assert!(refused
            .message()
            .ends_with("is 10 bytes, more than the limit of 9 bytes"));
        assert_eq!(refused.help_text(), Some("raise it"));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_without_a_size_is_read_only_up_to_the_limit() {
        let refused = read_at_most(Path::new("/dev/zero"), 4096, "raise").unwrap_err();
        assert_eq!(refused.code(), Code::Limit);
        assert_eq!(
            refused.message(),
            "`/dev/zero` holds more than the limit of 4 KiB"
        );
    }

    #[test]
    fn a_folder_is_not_read_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let refused = read_at_most(dir.path(), 10, "raise").unwrap_err();
        assert_eq!(refused.code(), Code::Io);
    }
}
