//! `comply schema`: the declaration shape as JSON Schema (draft 2020-12).

use std::path::PathBuf;

use super::common::PackArgs;
use super::output::{emit, not_an_input};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::Diagnostics;

/// Arguments of `comply schema`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Write the schema to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
}

/// Runs `comply schema`.
pub fn run(args: &Args) -> Outcome {
    let done = not_an_input(
        args.output.as_deref(),
        args.packs.rules.iter().map(PathBuf::as_path),
    )
    .map_err(Diagnostics::from)
    .and_then(|()| args.packs.load())
    .and_then(|program| {
        emit(&comply::schema::render(&program), args.output.as_deref()).map_err(Diagnostics::from)
    });
    match done {
        Ok(()) => Outcome::Pass,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}
