//! Where output goes and whether it is coloured.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::command_line::CommandLine;
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::source::SourceFile;

/// True when `NO_COLOR` is set to anything non-empty.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour on stdout: only on a terminal, never with `NO_COLOR`.
pub fn colour_on_stdout() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// Colour on stderr: only on a terminal, never with `NO_COLOR`.
pub fn colour_on_stderr() -> bool {
    !no_color() && std::io::stderr().is_terminal()
}

/// Renders diagnostics with miette, one after another.
pub fn render_diagnostics(diags: &Diagnostics, colour: bool) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diags.iter() {
        let mut one = String::new();
        if handler.render_report(&mut one, d).is_err() {
            one = format!("error: {}\n", d.message());
        }
        out.push_str(&one);
        out.push('\n');
    }
    out
}

/// Bytes gathered before each write to the file or stdout.
const BUFFER: usize = 64 * 1024;

/// Writes a report to a file or stdout.
pub fn emit(text: &str, output: Option<&Path>) -> Result<(), Diagnostic> {
    emit_with(output, |w| w.write_all(text.as_bytes()))
}

/// Writes a report to a file or stdout as `write` produces it, through a buffer: a large
/// report is never held whole in memory.
pub fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    match output {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| {
                let mut out = BufWriter::with_capacity(BUFFER, file);
                write(&mut out)?;
                out.flush()
            })
            .map_err(|e| on_command_line(comply::packs::write_error(path, &e), path)),
        None => {
            let mut out = BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
            // A closed pipe (`comply check ... | head`) is not an error of the input.
            let _ = write(&mut out).and_then(|()| out.flush());
            Ok(())
        }
    }
}

/// Refuses an output that is one of the inputs: the file would be truncated before the
/// report is written, so the declaration, baseline or rule file it held would be lost,
/// and a rerun would read the report in its place. Paths are compared once resolved, so
/// `./d.yaml`, `dir/../d.yaml` and a link to the file are all the same file; an output
/// that does not exist yet is resolved through its folder.
pub fn not_an_input<'a>(
    output: Option<&Path>,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), Diagnostic> {
    let Some(output) = output else {
        return Ok(());
    };
    let Some(target) = resolved(output) else {
        return Ok(());
    };
    match inputs
        .into_iter()
        .find(|input| resolved(input).is_some_and(|i| i == target))
    {
        None => Ok(()),
        Some(input) => {
            let d = Diagnostic::error(
                Code::Usage,
                format!(
                    "the output `{}` would overwrite the input `{}`",
                    output.display(),
                    input.display()
                ),
            )
            .help("write the output to another file; inputs are only ever read");
            Err(on_command_line(d, output))
        }
    }
}

/// The path with links and `..` resolved; for a file that does not exist yet, its
/// resolved folder joined to its name.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(parent.canonicalize().ok()?.join(name))
}

/// The diagnostic shown on the command line the program was run with, the `--output`
/// value underlined: the output path has no file of its own to point into.
pub fn on_command_line(d: Diagnostic, value: &Path) -> Diagnostic {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let line = CommandLine::new(&args);
    let value = value.to_string_lossy();
    let span = ["--output", "-o"]
        .iter()
        .find_map(|flag| line.given_to(flag, &value))
        .or_else(|| line.culprit(&value, None));
    match span {
        Some(span) => {
            let source = SourceFile::new("command line", line.text().to_string());
            d.in_file(&source).label(span, "this output")
        }
        None => d,
    }
}
