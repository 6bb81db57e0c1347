//! `comply doc`: the Markdown catalogue of the obligations, one page per pack.

use std::path::PathBuf;

use super::common::PackArgs;
use super::output::emit;
use super::{report_diagnostics, Outcome};
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::report::catalogue;

/// Arguments of `comply doc`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of titles, messages and remedies.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Write `README.md` and one page per pack into this folder instead of printing.
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
}

/// Runs `comply doc`.
pub fn run(args: &Args) -> Outcome {
    match write(args) {
        Ok(()) => Outcome::Pass,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

fn write(args: &Args) -> Result<(), Diagnostics> {
    let program = args.packs.load()?;
    let pages: Vec<(String, String)> = std::iter::once((
        "README.md".to_string(),
        catalogue::index(&program, &args.lang),
    ))
    .chain(program.packs.iter().enumerate().map(|(i, p)| {
        (
            catalogue::page_name(p),
            catalogue::page(&program, i, &args.lang),
        )
    }))
    .collect();
    match &args.output {
        None => {
            let all: Vec<String> = pages.into_iter().map(|(_, text)| text).collect();
            emit(&all.join("\n"), None).map_err(Diagnostics::from)
        }
        Some(dir) => {
            let io = |e: std::io::Error, what: &PathBuf| {
                Diagnostics::from(
                    Diagnostic::error(
                        Code::Io,
                        format!("cannot write `{}`: {}", what.display(), e.kind()),
                    )
                    .help("check that the folder can be created and written"),
                )
            };
            std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
            for (name, text) in pages {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(|e| io(e, &path))?;
            }
            Ok(())
        }
    }
}
