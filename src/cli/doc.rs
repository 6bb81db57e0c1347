//! `comply doc`: the Markdown catalogue of the obligations, one page per pack.

use std::path::PathBuf;

use super::common::{parse_date, parse_lang, PackArgs};
use super::output::{emit, not_an_input, on_command_line};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::Diagnostics;
use comply::report::catalogue;

/// Catalogue formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown: an index and one page per pack.
    Markdown,
    /// One OSCAL catalog (JSON) of every loaded pack.
    OscalCatalog,
}

/// Arguments of `comply doc`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of titles, messages and remedies.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: String,
    /// Catalogue format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Markdown: write `README.md` and one page per pack into this folder instead of
    /// printing. OSCAL: write the catalog to this file.
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Date stamped on the OSCAL catalog as its last modification (YYYY-MM-DD); defaults
    /// to today, in UTC.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, allow_hyphen_values = true)]
    as_of: Option<comply::time::Date>,
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
    if args.format == Format::OscalCatalog {
        let as_of = args.as_of.unwrap_or_else(comply::time::Date::today);
        let text = comply::report::oscal::catalog(&program, &args.lang, &as_of.to_string());
        not_an_input(args.output.as_deref(), rules(args))?;
        return emit(&text, args.output.as_deref()).map_err(Diagnostics::from);
    }
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
                Diagnostics::from(on_command_line(comply::packs::write_error(what, &e), what))
            };
            for (name, _) in &pages {
                not_an_input(Some(&dir.join(name)), rules(args))?;
            }
            std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
            for (name, text) in pages {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(|e| io(e, &path))?;
            }
            Ok(())
        }
    }
}

/// The rule files and folders given, which the catalogue must not be written over.
fn rules(args: &Args) -> impl Iterator<Item = &std::path::Path> {
    args.packs.rules.iter().map(PathBuf::as_path)
}
