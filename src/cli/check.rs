//! `comply check`: evaluate declarations against the rule packs.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::common::{EvalArgs, PackArgs};
use super::output::{colour_on_stdout, emit};
use super::waivers::{warn, WaiverArgs};
use super::{report_diagnostics, Outcome};
use comply::ast::Severity;
use comply::baseline::Baseline;
use comply::decl::load::is_json;
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::eval::status::Status;
use comply::packs;
use comply::report::{self, human, Report};

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// The JSON report, schema version 1.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for test dashboards.
    Junit,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// GitHub Actions annotations.
    Github,
    /// OSCAL assessment results (JSON).
    OscalAr,
}

/// The lowest severity that fails a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only critical results.
    Critical,
    /// High and critical.
    High,
    /// Medium and above.
    Medium,
    /// Low and above.
    Low,
    /// Never fail on results.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Never => None,
        }
    }
}

/// Arguments of `comply check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Declaration files (YAML or JSON), or folders of them (one organisation per file).
    #[arg(required = true, value_name = "DECL")]
    decls: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    eval: EvalArgs,
    /// Lowest severity whose violated, blocked or unknown results fail the run.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    fail_on: FailOn,
    #[command(flatten)]
    packs: PackArgs,
    /// Exit 0 rather than 3 when results are unknown but nothing is violated.
    #[arg(long)]
    allow_unknown: bool,
    /// Exit 0 rather than 3 when no obligation applies at all.
    #[arg(long)]
    allow_empty: bool,
    /// Keep only obligations whose id matches this pattern (`*` matches any run of
    /// characters; repeatable).
    #[arg(long, value_name = "GLOB")]
    only: Vec<String>,
    #[command(flatten)]
    waivers: WaiverArgs,
    /// An earlier JSON report: results already failing there do not fail the run.
    #[arg(long, value_name = "REPORT.json")]
    baseline: Option<PathBuf>,
}

/// Declaration files named by the arguments; folders are expanded to their YAML and JSON
/// files, sorted by name.
pub fn declaration_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, bool), Diagnostic> {
    let mut files = Vec::new();
    let mut folder = false;
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| packs::io_error(p, &e))?;
        if meta.is_dir() {
            folder = true;
            let mut found = Vec::new();
            collect(p, &mut found)?;
            if found.is_empty() {
                return Err(Diagnostic::error(
                    Code::Io,
                    format!("no declarations in `{}`", p.display()),
                )
                .help("a folder of declarations holds `.yaml`, `.yml` or `.json` files"));
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok((files, folder))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| packs::io_error(dir, &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out)?;
        } else {
            let name = p.to_string_lossy().to_ascii_lowercase();
            if name.ends_with(".yaml") || name.ends_with(".yml") || is_json(&name) {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// `*` matches any run of characters.
fn glob(pattern: &str, id: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return true;
    };
    let Some(mut rest) = id.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    for (i, part) in tail.iter().enumerate() {
        if i + 1 == tail.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Runs `comply check`.
pub fn run(args: &Args) -> Outcome {
    match check(args) {
        Ok(outcome) => outcome,
        Err(diags) => {
            report_diagnostics(&diags);
            Outcome::Unusable
        }
    }
}

fn check(args: &Args) -> Result<Outcome, Diagnostics> {
    let program = args.packs.load()?;
    let (files, folder) = declaration_files(&args.decls).map_err(Diagnostics::from)?;
    let as_of = args.eval.as_of();
    let lang = args.eval.lang.as_str();
    let limits = args.eval.limits();

    // Every declaration is read before anything is printed: one unusable input, no report.
    let mut decls = Vec::new();
    let mut diags = Diagnostics::new();
    for f in &files {
        match comply::decl::load::read(f, &limits)
            .map_err(Diagnostics::from)
            .and_then(|src| comply::decl::load::load_with(&program.shape, src, &limits))
        {
            Ok(d) => decls.push(d),
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let waivers = args.waivers.load(&program)?;
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::parse(
            &comply::decl::load::read(path, &limits).map_err(Diagnostics::from)?,
        )?),
        None => None,
    };

    let evaluations: Vec<comply::eval::Evaluation> = decls
        .iter()
        .map(|d| comply::eval::evaluate_with(&program, d, as_of, lang, &waivers))
        .collect();
    let reports: Vec<Report> = decls
        .iter()
        .zip(&evaluations)
        .map(|(d, evaluation)| {
            let mut r = report::build_with(&program, d, evaluation, lang, &waivers);
            if !args.only.is_empty() {
                r.results
                    .retain(|row| args.only.iter().any(|g| glob(g, &row.obligation)));
                r.summary = recount(&r);
            }
            if let Some(b) = &baseline {
                b.apply(&mut r);
            }
            r
        })
        .collect();

    let batch = folder || reports.len() > 1;
    let text = match args.format {
        Format::Json if !batch => reports
            .first()
            .map(report::json::render)
            .unwrap_or_default(),
        Format::Json => {
            report::json::render_batch(&reports, &as_of.to_string(), &report::pack_refs(&program))
        }
        Format::Human => {
            let style = human::Style {
                colour: args.output.is_none() && colour_on_stdout(),
            };
            if batch {
                human::render_table(&reports, style, lang)
            } else {
                reports
                    .first()
                    .map(|r| human::render(&program, r, style))
                    .unwrap_or_default()
            }
        }
        Format::Sarif => report::sarif::render(&program, &reports, lang),
        Format::Junit => report::junit::render(&program, &reports),
        Format::Markdown => report::markdown::render(&reports),
        Format::Github => report::github::render(&reports),
        Format::OscalAr => report::oscal::assessment_results(&program, &reports),
    };
    warn(
        &waivers,
        evaluations.iter().flat_map(|e| e.results.iter()),
        as_of,
    );
    emit(&text, args.output.as_deref()).map_err(Diagnostics::from)?;
    Ok(reports
        .iter()
        .map(|r| outcome(r, args))
        .fold(Outcome::Pass, Outcome::worst))
}

fn recount(r: &Report) -> report::Summary {
    let mut s = report::Summary::default();
    for row in &r.results {
        match row.status {
            Status::Satisfied => s.satisfied += 1,
            Status::Violated => s.violated += 1,
            Status::Unknown => s.unknown += 1,
            Status::NotApplicable => s.not_applicable += 1,
            Status::Blocked => s.blocked += 1,
            Status::Waived => s.waived += 1,
        }
    }
    s
}

/// The exit code one report calls for.
fn outcome(r: &Report, args: &Args) -> Outcome {
    let at_or_above = |sev: &str| match (args.fail_on.threshold(), Severity::parse(sev)) {
        (Some(t), Some(s)) => s >= t,
        _ => false,
    };
    // Results already failing in the baseline do not fail the run.
    let failing = |statuses: &[Status]| {
        r.results.iter().any(|row| {
            statuses.contains(&row.status) && at_or_above(row.severity) && !row.carried_over
        })
    };
    if failing(&[Status::Violated, Status::Blocked]) {
        return Outcome::Fail;
    }
    if failing(&[Status::Unknown]) && !args.allow_unknown {
        return Outcome::Undetermined;
    }
    if r.summary.applicable() == 0 && !args.allow_empty {
        return Outcome::Undetermined;
    }
    Outcome::Pass
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_runs_of_characters() {
        assert!(glob("dp.*", "dp.dpia"));
        assert!(glob("*", "dp.dpia"));
        assert!(glob("dp.breach.*", "dp.breach.notify_authority"));
        assert!(glob("*.notify_*", "dp.breach.notify_authority"));
        assert!(!glob("dp.*", "ict.signature"));
        assert!(glob("dp.dpia", "dp.dpia"));
        assert!(!glob("dp.dpia", "dp.dpia.review"));
    }
}
