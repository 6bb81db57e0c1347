//! The command line: argument parsing, diagnostics on stderr, exit codes.

mod check;
mod common;
mod diff;
mod doc;
mod explain;
mod fmt;
mod graph;
mod lint;
mod output;
mod plan;
mod schema;
mod test;
mod waivers;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::source::{SourceFile, Span};

/// Policy-as-code compliance: check what an organisation declares against legal obligations.
#[derive(Parser, Debug)]
#[command(name = "comply", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate declarations (YAML or JSON) against the rule packs.
    Check(check::Args),
    /// What an obligation requires; with a declaration, how its verdict was reached.
    Explain(explain::Args),
    /// The remediation roadmap: failing obligations in waves, prerequisites first.
    Plan(plan::Args),
    /// Draw the graph of obligations and predicates.
    Graph(graph::Args),
    /// Run the rule tests that ship beside the rules.
    Test(test::Args),
    /// Rewrite rule files in the canonical layout; with `--check`, show what would change.
    Fmt(fmt::Args),
    /// Authoring mistakes in rule files that still load, as warnings with stable codes.
    Lint(lint::Args),
    /// The Markdown catalogue of the obligations, per pack, or the packs as an OSCAL catalog.
    Doc(doc::Args),
    /// The declaration shape as JSON Schema (2020-12), for editors and validators.
    Schema(schema::Args),
    /// Compare two versions of a pack: obligations added, removed, changed; with
    /// declarations, how many organisations change status.
    Diff(diff::Args),
}

/// How a run ended, as the exit-code contract says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing failing at or above the threshold.
    Pass = 0,
    /// A violated or blocked result at or above the threshold.
    Fail = 1,
    /// The input could not be used.
    Unusable = 2,
    /// No violation, but unknown results (or nothing applied).
    Undetermined = 3,
}

impl Outcome {
    /// The more serious of two outcomes: a failure outweighs an undetermined result,
    /// which outweighs a pass.
    pub fn worst(self, other: Outcome) -> Outcome {
        let rank = |o: Outcome| match o {
            Outcome::Pass => 0,
            Outcome::Undetermined => 1,
            Outcome::Fail => 2,
            Outcome::Unusable => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Runs the command line.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&args, &e),
    };
    let outcome = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Plan(a) => plan::run(&a),
        Command::Graph(a) => graph::run(&a),
        Command::Test(a) => test::run(&a),
        Command::Fmt(a) => fmt::run(&a),
        Command::Lint(a) => lint::run(&a),
        Command::Doc(a) => doc::run(&a),
        Command::Schema(a) => schema::run(&a),
        Command::Diff(a) => diff::run(&a),
    };
    ExitCode::from(outcome as u8)
}

/// Prints diagnostics on stderr.
pub fn report_diagnostics(diags: &Diagnostics) {
    let text = output::render_diagnostics(diags, output::colour_on_stderr());
    eprint!("{text}");
}

/// A clap error as a diagnostic pointing into the command line, or help and version text.
fn usage_error(args: &[String], e: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        let code = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            2
        } else {
            0
        };
        return ExitCode::from(code);
    }
    let shown: Vec<String> = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if i == 0 {
                "comply".to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let line = shown.join(" ");
    let rendered = e.render().to_string();
    let mut lines = rendered.lines();
    let mut message = lines
        .next()
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .replace('\'', "`");
    // clap lists the missing arguments on the lines that follow, indented.
    let listed: Vec<&str> = lines
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    if message.ends_with(':') && !listed.is_empty() {
        message = format!("{} {}", message, listed.join(", ")).replace('\'', "`");
    }
    let culprit = [ContextKind::InvalidValue, ContextKind::InvalidArg]
        .iter()
        .find_map(|k| match e.get(*k) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            _ => None,
        });
    let span = culprit
        .as_deref()
        .map(|c| {
            c.split_whitespace()
                .next()
                .unwrap_or(c)
                .split('=')
                .next()
                .unwrap_or(c)
                .to_string()
        })
        .and_then(|c| {
            if c.is_empty() {
                None
            } else {
                line.rfind(&c).map(|at| Span::new(at, at + c.len()))
            }
        })
        .unwrap_or_else(|| Span::new(line.len(), line.len()));
    let mut help = match (
        e.get(ContextKind::SuggestedArg),
        e.get(ContextKind::ValidValue),
    ) {
        (Some(ContextValue::String(s)), _) => format!("did you mean `{s}`?"),
        (_, Some(ContextValue::Strings(v))) => format!("possible values: {}", v.join(", ")),
        _ => String::new(),
    };
    if help.is_empty() {
        help = rendered
            .lines()
            .filter(|l| l.trim_start().starts_with("tip:"))
            .map(|l| l.trim().trim_start_matches("tip: ").to_string())
            .next()
            .unwrap_or_else(|| match args.get(1).filter(|a| !a.starts_with('-')) {
                Some(command) => {
                    format!("run `comply {command} --help` for its arguments and options")
                }
                None => "run `comply --help` for the commands".to_string(),
            });
    }
    let source = SourceFile::new("command line", line);
    let d = Diagnostic::error(Code::Usage, message)
        .in_file(&source)
        .label(span, "here")
        .help(help);
    report_diagnostics(&Diagnostics::from(d));
    ExitCode::from(Outcome::Unusable as u8)
}
