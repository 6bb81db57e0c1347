//! `comply plan`: the remediation roadmap of one declaration.

use std::path::PathBuf;

use clap::ValueEnum;

use super::common::{load_declaration, EvalArgs, PackArgs};
use super::output::{emit, not_an_input};
use super::waivers::{warn, WaiverArgs};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::Diagnostics;
use comply::report::{self, plan};

/// Plan formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// Markdown, for a ticket or a pull request.
    Markdown,
    /// JSON.
    Json,
}

/// Arguments of `comply plan`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The declaration (YAML or JSON).
    #[arg(value_name = "DECL")]
    decl: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the plan to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    eval: EvalArgs,
    #[command(flatten)]
    waivers: WaiverArgs,
}

/// Runs `comply plan`: exit 0 when there is nothing to do, 1 when there is.
pub fn run(args: &Args) -> Outcome {
    match build(args) {
        Ok(o) => o,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

fn build(args: &Args) -> Result<Outcome, Diagnostics> {
    let inputs = std::iter::once(&args.decl)
        .chain(&args.waivers.waivers)
        .chain(&args.packs.rules);
    not_an_input(args.output.as_deref(), inputs.map(PathBuf::as_path))?;
    let mut program = args.packs.load()?;
    program.max_steps = args.eval.max_steps;
    let decl = load_declaration(&program, &args.decl, &args.eval.limits())?;
    let lang = args.eval.lang.as_str();
    let waivers = args.waivers.load(&program)?;
    let as_of = args.eval.as_of();
    let evaluation = comply::eval::evaluate_with(&program, &decl, as_of, lang, &waivers);
    let r = report::build_with(
        &program,
        &decl,
        &evaluation,
        lang,
        &waivers,
        &report::Select::default(),
    );
    warn(
        &waivers,
        evaluation.results.iter().filter_map(|r| r.waiver()),
        as_of,
    );
    let p = plan::plan(&program, &r);
    let text = match args.format {
        Format::Human => plan::render_human(&p, lang),
        Format::Markdown => plan::render_markdown(&p, lang),
        Format::Json => plan::render_json(&p),
    };
    emit(&text, args.output.as_deref()).map_err(Diagnostics::from)?;
    Ok(if p.waves.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}
