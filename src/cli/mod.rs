//! The command line: argument parsing, diagnostics on stderr, exit codes.

mod check;
mod command_line;
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

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::source::{SourceFile, Span};

use command_line::CommandLine;

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
    // File names need not be UTF-8, so the arguments are taken as the system gives them.
    let args: Vec<OsString> = std::env::args_os().collect();
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
fn usage_error(args: &[OsString], e: &clap::Error) -> ExitCode {
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
    let line = CommandLine::new(args);
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
    let mut help = String::new();
    if e.kind() == ErrorKind::InvalidUtf8 {
        message = "this argument is not UTF-8 text".to_string();
        help = "only file and folder names may hold other bytes; write option values in UTF-8"
            .to_string();
    }
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let span = match (
        context(ContextKind::InvalidValue).or_else(|| context(ContextKind::InvalidSubcommand)),
        context(ContextKind::InvalidArg),
    ) {
        (Some(value), flag) => line.culprit(value, flag),
        (None, Some(arg)) => line.culprit(arg, None),
        (None, None) if e.kind() == ErrorKind::InvalidUtf8 => line.first_not_utf8(),
        (None, None) => None,
    }
    .unwrap_or_else(|| Span::new(line.text().len(), line.text().len()));
    if help.is_empty() {
        help = match (
            e.get(ContextKind::SuggestedArg),
            e.get(ContextKind::ValidValue),
            e.get(ContextKind::SuggestedSubcommand),
        ) {
            (Some(ContextValue::String(s)), _, _) => format!("did you mean `{s}`?"),
            (_, Some(ContextValue::Strings(v)), _) if !v.is_empty() => {
                format!("possible values: {}", v.join(", "))
            }
            // clap lists the likeliest command last.
            (_, _, Some(ContextValue::Strings(v))) if !v.is_empty() => {
                let named: Vec<String> = v.iter().rev().map(|c| format!("`{c}`")).collect();
                format!("did you mean {}?", named.join(" or "))
            }
            _ if e.kind() == ErrorKind::InvalidSubcommand => {
                "run `comply --help` for the commands".to_string()
            }
            // An empty value, such as `-o ''`, for an option that takes free text.
            _ if context(ContextKind::InvalidValue) == Some("") => {
                match context(ContextKind::InvalidArg) {
                    Some(arg) => format!("give `{arg}` a value that is not empty"),
                    None => "give the option a value that is not empty".to_string(),
                }
            }
            _ => String::new(),
        };
    }
    if help.is_empty() {
        help = rendered
            .lines()
            .filter(|l| l.trim_start().starts_with("tip:"))
            .map(|l| l.trim().trim_start_matches("tip: ").to_string())
            .next()
            .unwrap_or_else(|| match line.command() {
                Some(command) => {
                    format!("run `comply {command} --help` for its arguments and options")
                }
                None => "run `comply --help` for the commands".to_string(),
            });
    }
    let source = SourceFile::new("command line", line.text().to_string());
    let d = Diagnostic::error(Code::Usage, message)
        .in_file(&source)
        .label(span, "here")
        .help(help);
    report_diagnostics(&Diagnostics::from(d));
    ExitCode::from(Outcome::Unusable as u8)
}
