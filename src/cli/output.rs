//! Where output goes and whether it is coloured.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use comply::diagnostic::{Code, Diagnostic, Diagnostics};

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
            .map_err(|e| {
                Diagnostic::error(
                    Code::Io,
                    format!("cannot write `{}`: {}", path.display(), e.kind()),
                )
                .help("check that the folder exists and is writable")
            }),
        None => {
            let mut out = BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
            // A closed pipe (`comply check ... | head`) is not an error of the input.
            let _ = write(&mut out).and_then(|()| out.flush());
            Ok(())
        }
    }
}
