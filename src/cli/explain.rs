//! `comply explain`: what an obligation requires and, with a declaration, how it was decided.

use std::path::PathBuf;

use clap::ValueEnum;

use super::common::{load_declaration, EvalArgs, PackArgs};
use super::output::emit;
use super::waivers::{warn, WaiverArgs};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::{closest, did_you_mean, quote_list, Code, Diagnostic, Diagnostics};
use comply::eval::trace::{trace, TraceError};
use comply::report::explain;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// JSON.
    Json,
}

/// Arguments of `comply explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The obligation id, or a lint code such as `missing-citation`.
    id: String,
    /// A declaration to trace the evaluation against.
    #[arg(long, value_name = "FILE")]
    decl: Option<PathBuf>,
    /// The item to trace, for an obligation that applies to each item of a list.
    #[arg(long, value_name = "KEY", requires = "decl")]
    item: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    packs: PackArgs,
    #[command(flatten)]
    eval: EvalArgs,
    #[command(flatten)]
    waivers: WaiverArgs,
}

/// Runs `comply explain`.
pub fn run(args: &Args) -> Outcome {
    match explain_one(args) {
        Ok(()) => Outcome::Pass,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

fn explain_one(args: &Args) -> Result<(), Diagnostics> {
    // A lint code: what it detects, why it matters, and how to fix it.
    if let Some(text) = comply::lint::explain(&args.id) {
        return emit(&text, None).map_err(Diagnostics::from);
    }
    if let Some(name) = args.id.trim().strip_prefix("comply::lint::") {
        return Err(Diagnostics::from(unknown_lint(&args.id, name)));
    }
    let mut program = args.packs.load()?;
    program.max_steps = args.eval.max_steps;
    let lang = args.eval.lang.as_str();
    let Some(&index) = program.by_id.get(&args.id) else {
        let ids = program.by_id.keys().map(String::as_str);
        return Err(Diagnostics::from(
            Diagnostic::error(
                Code::UnknownObligation,
                format!("unknown obligation `{}`", args.id),
            )
            .help(did_you_mean(&args.id, ids)),
        ));
    };
    let Some(ob) = program.obligations.get(index) else {
        return Ok(());
    };
    let text = match &args.decl {
        None => {
            let d = explain::describe(&program, ob, lang);
            match args.format {
                Format::Human => explain::render_description(&d),
                Format::Json => explain::render_json(&d),
            }
        }
        Some(path) => {
            let decl = load_declaration(&program, path, &args.eval.limits())?;
            let waivers = args.waivers.load(&program)?;
            let as_of = args.eval.as_of();
            let evaluation = comply::eval::evaluate_with(&program, &decl, as_of, lang, &waivers);
            warn(
                &waivers,
                evaluation.results.iter().filter_map(|r| r.waiver()),
                as_of,
            );
            let t = trace(
                &program,
                &decl,
                &evaluation,
                index,
                args.item.as_deref(),
                lang,
            )
            .map_err(|e| {
                let (message, keys) = match e {
                    TraceError::ItemNeeded(keys) => (
                        format!(
                            "`{}` applies to each item of a list: name one with --item",
                            args.id
                        ),
                        keys,
                    ),
                    TraceError::NoSuchItem(k, keys) => (
                        format!("no item `{k}` in the list `{}` applies to", args.id),
                        keys,
                    ),
                };
                let help = if keys.is_empty() {
                    "the declaration has no item in that list".to_string()
                } else {
                    format!("items: {}", keys.join(", "))
                };
                Diagnostics::from(Diagnostic::error(Code::Usage, message).help(help))
            })?;
            match args.format {
                Format::Human => explain::render_trace(&t),
                Format::Json => explain::render_json(&t),
            }
        }
    };
    emit(&text, None).map_err(Diagnostics::from)
}

/// The error for an id in the lint namespace that names no lint: it cannot be an
/// obligation, so the lint codes are offered rather than obligation ids. Names are
/// compared without the shared `comply::lint::` prefix, which would make every code look
/// close to any misspelling.
fn unknown_lint(id: &str, name: &str) -> Diagnostic {
    let rules = comply::lint::codes::RULES;
    let close = closest(name, rules.iter().map(|r| r.name()), 3);
    let none_close = close.is_empty();
    let names: Vec<&str> = if none_close {
        rules.iter().map(|r| r.name()).collect()
    } else {
        close
    };
    let codes: Vec<&str> = names
        .iter()
        .filter_map(|n| rules.iter().find(|r| r.name() == *n))
        .map(|r| r.code.as_str())
        .collect();
    let help = if none_close {
        format!("the lint codes are {}", quote_list(&codes))
    } else {
        format!("did you mean {}?", quote_list(&codes))
    };
    Diagnostic::error(Code::Usage, format!("unknown lint code `{id}`")).help(help)
}
