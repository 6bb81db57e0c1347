//! `comply fmt`: rewrite rule files in the canonical layout, or show what would change.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use super::output::colour_on_stdout;
use super::{report_diagnostics, Outcome};
use comply::decl::limits::too_large;
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::packs;
use comply::source::SourceFile;

/// Arguments of `comply fmt`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule files, or folders whose `.comply` files are formatted; `-` reads standard input
    /// and writes the result to standard output (default: `rules`).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing: print a diff of what would change, and exit 1 if any file would.
    #[arg(long)]
    check: bool,
}

/// Runs `comply fmt`: exit 0 when done (or, with `--check`, when every file is formatted),
/// 1 when `--check` finds a file to reformat, 2 when a file cannot be read or parsed.
pub fn run(args: &Args) -> Outcome {
    let default = [PathBuf::from("rules")];
    let paths = if args.paths.is_empty() {
        &default[..]
    } else {
        &args.paths[..]
    };
    let mut outcome = Outcome::Pass;
    let mut diagnostics = Diagnostics::new();
    let mut changed = 0;
    let mut seen = 0;
    for path in paths {
        let files = match files(path) {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        for file in files {
            seen += 1;
            match format_one(&file, args.check) {
                Ok(false) => {}
                Ok(true) => {
                    changed += 1;
                    if args.check {
                        outcome = outcome.worst(Outcome::Fail);
                    }
                }
                Err(d) => diagnostics.extend(d),
            }
        }
    }
    if !diagnostics.is_empty() {
        report_diagnostics(&diagnostics);
        outcome = outcome.worst(Outcome::Unusable);
    }
    if args.check && changed > 0 {
        let files = if seen == 1 { "file" } else { "files" };
        eprintln!("{changed} of {seen} {files} would be reformatted; run `comply fmt` to fix");
    }
    outcome
}

/// Where a file comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

/// The files a path names: itself, or the `.comply` files under a folder, sorted.
fn files(path: &Path) -> Result<Vec<Input>, Diagnostic> {
    if path == Path::new("-") {
        return Ok(vec![Input::Stdin]);
    }
    let meta = std::fs::metadata(path).map_err(|e| packs::io_error(path, &e))?;
    if meta.is_file() {
        return Ok(vec![Input::File(path.to_path_buf())]);
    }
    let is_rule_file = |p: &Path| p.extension().is_some_and(|e| e == "comply");
    let found = packs::files_under(path, &[], &is_rule_file)?;
    if found.is_empty() {
        return Err(
            Diagnostic::error(Code::Io, format!("no rule files in `{}`", path.display()))
                .help("pass `.comply` files, or folders that hold some"),
        );
    }
    Ok(found.into_iter().map(Input::File).collect())
}

/// Formats one file; true when its layout changes (or, for standard input, would).
fn format_one(input: &Input, check: bool) -> Result<bool, Diagnostics> {
    let source = match input {
        Input::Stdin => {
            // Bounded like a rule file read from disk: a pipe can be endless.
            let limit = packs::MAX_RULE_FILE_SIZE;
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    Diagnostics::from(Diagnostic::error(
                        Code::Io,
                        format!("cannot read standard input: {}", packs::io_reason(&e)),
                    ))
                })?;
            if bytes.len() as u64 > limit {
                return Err(Diagnostics::from(too_large(
                    "<stdin>",
                    None,
                    limit,
                    packs::RULE_FILE_TOO_LARGE,
                )));
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostics::from(
                    Diagnostic::error(Code::Io, "standard input is not UTF-8 text")
                        .help("save the rule file as UTF-8"),
                )
            })?;
            SourceFile::new("<stdin>", text)
        }
        Input::File(path) => packs::read(path).map_err(Diagnostics::from)?,
    };
    let formatted = comply::fmt::format(&source)?;
    let changed = formatted != source.text();
    if check {
        if changed {
            print(&diff(source.name(), source.text(), &formatted));
        }
    } else {
        match input {
            Input::Stdin => print(&formatted),
            Input::File(path) if changed => std::fs::write(path, &formatted)
                .map_err(|e| Diagnostics::from(packs::write_error(path, &e)))?,
            Input::File(_) => {}
        }
    }
    Ok(changed)
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`comply fmt --check | head`) is not an error of the input.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// A unified diff from the file as it is to the file formatted, three lines of context,
/// coloured on a terminal.
fn diff(name: &str, old: &str, new: &str) -> String {
    let text_diff = similar::TextDiff::from_lines(old, new);
    let unified = text_diff
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string();
    if !colour_on_stdout() {
        return unified;
    }
    let mut out = String::with_capacity(unified.len());
    for line in unified.split_inclusive('\n') {
        let colour = if line.starts_with("+++") || line.starts_with("---") {
            "\x1b[1m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if colour.is_empty() {
            out.push_str(line);
        } else {
            let body = line.strip_suffix('\n').unwrap_or(line);
            out.push_str(colour);
            out.push_str(body);
            out.push_str("\x1b[0m");
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}
