//! `comply diff`: what a new version of a pack changes, and for whom.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::check::declaration_files;
use super::common::EvalArgs;
use super::output::{emit, not_an_input};
use super::{report_diagnostics, Outcome};
use comply::decl::limits::Limits;
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::diff::version::{self, LeftOut, Loaded, ParsedPack, Sides};
use comply::diff::{self, human, impact, json, markdown, Report};
use comply::packs::{self, PackSource};
use comply::source::SourceFile;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// JSON, schema version 1.
    Json,
    /// Markdown, for an impact assessment or a pull request.
    Markdown,
}

/// Arguments of `comply diff`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 when the versions mean the same, 1 when they differ, 2 on unusable input.\n\
                  Re-formatting, re-ordering clauses or declarations, moving them between files and renaming\n\
                  variables are not differences."
)]
pub struct Args {
    /// The old version: a pack folder, a folder of packs or a `.comply` file.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new version, in the same form.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    /// A folder of declarations (YAML or JSON, one organisation per file), or a file:
    /// evaluate both versions and count, per obligation, the organisations whose status
    /// changes.
    #[arg(long, value_name = "DIR")]
    decl: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the comparison to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    eval: EvalArgs,
    /// More packs both versions need (repeatable).
    #[arg(long, value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Leave out the built-in packs (by default, those that are not versions of a compared
    /// pack are loaded with both versions).
    #[arg(long)]
    no_default_rules: bool,
}

/// Runs `comply diff`: exit 0 when the versions mean the same, 1 when they differ.
pub fn run(args: &Args) -> Outcome {
    match compare(args) {
        Ok(o) => o,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

/// Reads both sides, reporting the problems of both together.
fn read_both(args: &Args) -> Result<(Vec<ParsedPack>, Vec<ParsedPack>), Diagnostics> {
    match (version::read(&args.old), version::read(&args.new)) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(d), Ok(_)) | (Ok(_), Err(d)) => Err(d),
    }
}

fn compare(args: &Args) -> Result<Outcome, Diagnostics> {
    let inputs = [&args.old, &args.new]
        .into_iter()
        .chain(&args.decl)
        .chain(&args.rules);
    not_an_input(args.output.as_deref(), inputs.map(PathBuf::as_path))?;
    let (old, new) = read_both(args)?;
    let mut extra: Vec<PackSource> = Vec::new();
    for p in &args.rules {
        extra.extend(packs::from_path(p).map_err(Diagnostics::from)?);
    }
    let extra = version::parse(extra)?;
    let library = if args.no_default_rules {
        Vec::new()
    } else {
        version::parse(packs::builtin())?
    };
    let Loaded {
        mut old,
        mut new,
        left_out,
    } = version::load(Sides {
        old: (args.old.display().to_string(), old),
        new: (args.new.display().to_string(), new),
        extra,
        library,
    })?;
    old.program.max_steps = args.eval.max_steps;
    new.program.max_steps = args.eval.max_steps;
    let lang = args.eval.lang.as_str();
    let d = diff::compare(&old, &new, lang);

    let figures = match &args.decl {
        Some(dir) => {
            let limits = args.eval.limits();
            let sources = declarations(dir, &limits)?;
            let i = impact::impact(&old, &new, &sources, args.eval.as_of(), &limits)
                .map_err(|d| with_left_out(d, &left_out))?;
            Some((i, dir.display().to_string()))
        }
        None => None,
    };
    let report = Report {
        old: &old,
        new: &new,
        diff: &d,
        left_out: &left_out,
        impact: figures.as_ref().map(|(i, dir)| (i, dir.as_str())),
    };
    let text = match args.format {
        Format::Human => human::render(&report),
        Format::Json => json::render(&report),
        Format::Markdown => markdown::render(&report),
    };
    emit(&text, args.output.as_deref()).map_err(Diagnostics::from)?;
    Ok(if d.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

/// The declaration files of a folder (or the file given), read; every unreadable file is
/// reported.
fn declarations(dir: &Path, limits: &Limits) -> Result<Vec<SourceFile>, Diagnostics> {
    let (files, _) = declaration_files(&[dir.to_path_buf()]).map_err(Diagnostics::from)?;
    let mut sources = Vec::new();
    let mut diags = Diagnostics::new();
    for f in &files {
        match comply::decl::load::read(f, limits) {
            Ok(s) => sources.push(s),
            Err(e) => diags.push(e),
        }
    }
    diags.into_result()?;
    Ok(sources)
}

/// Declarations that cannot be read may use the fields of a pack left out: say so.
fn with_left_out(mut diags: Diagnostics, left_out: &[LeftOut]) -> Diagnostics {
    if !left_out.is_empty() {
        let names: Vec<String> = left_out.iter().map(|l| format!("`{}`", l.pack)).collect();
        diags.push(
            Diagnostic::warning(
                Code::Usage,
                format!(
                    "packs left out of both versions, their fields unknown: {}",
                    names.join(", ")
                ),
            )
            .help(
                "they do not load with one of the versions; compare the folders that hold \
                 every pack (`comply diff OLD/rules NEW/rules`) so that each version has its own",
            ),
        );
    }
    diags
}
