//! `comply graph`: the obligation graph as DOT, Mermaid or JSON.

use std::path::PathBuf;

use clap::ValueEnum;

use super::common::{parse_lang, PackArgs};
use super::output::{emit, not_an_input};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use comply::graph::render::{self, Selection};

/// Drawing formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphviz.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// Nodes and edges as JSON.
    Json,
}

/// Arguments of `comply graph`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    format: Format,
    /// Only this obligation, what it needs and what needs it.
    #[arg(long, value_name = "ID", conflicts_with = "impacted_by")]
    focus: Option<String>,
    /// Only this obligation and what would change if it changed.
    #[arg(long, value_name = "ID")]
    impacted_by: Option<String>,
    /// Language of the titles.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: String,
    /// Write to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
}

/// Runs `comply graph`.
pub fn run(args: &Args) -> Outcome {
    match draw(args) {
        Ok(()) => Outcome::Pass,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

fn draw(args: &Args) -> Result<(), Diagnostics> {
    not_an_input(
        args.output.as_deref(),
        args.packs.rules.iter().map(PathBuf::as_path),
    )?;
    let program = args.packs.load()?;
    let selection = match (&args.focus, &args.impacted_by) {
        (Some(id), _) => Selection::Focus(id.clone()),
        (None, Some(id)) => Selection::ImpactedBy(id.clone()),
        (None, None) => Selection::All,
    };
    if let Selection::Focus(id) | Selection::ImpactedBy(id) = &selection {
        if program.obligation(id).is_none() {
            let ids = program.by_id.keys().map(String::as_str);
            return Err(Diagnostics::from(
                Diagnostic::error(
                    Code::UnknownObligation,
                    format!("unknown obligation `{id}`"),
                )
                .help(did_you_mean(id, ids)),
            ));
        }
    }
    let text = match args.format {
        Format::Dot => render::dot(&program, &args.lang, &selection),
        Format::Mermaid => render::mermaid(&program, &args.lang, &selection),
        Format::Json => render::json(&program, &args.lang, &selection),
    };
    emit(&text, args.output.as_deref()).map_err(Diagnostics::from)
}
