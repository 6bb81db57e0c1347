//! `comply check`: evaluate declarations against the rule packs.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use rayon::prelude::*;
use rayon::ThreadPool;

use super::common::{EvalArgs, PackArgs};
use super::output::{colour_on_stdout, emit, emit_with, not_an_input};
use super::waivers::{warn, WaiverArgs};
use super::{report_diagnostics, Outcome};
use comply::ast::Severity;
use comply::baseline::Baseline;
use comply::decl::load::is_json;
use comply::decl::value::Declaration;
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::eval::status::Status;
use comply::packs;
use comply::program::Program;
use comply::report::{self, human, Report};
use comply::time::Date;

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

/// Which results the report lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Results {
    /// Every result, including satisfied and not applicable ones: the full audit record.
    All,
    /// Only results that call for action (violated, unknown, blocked); the summary still
    /// counts every result.
    Failing,
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
    /// Which results the report lists; the summary counts all of them either way.
    #[arg(long, value_enum, default_value_t = Results::All)]
    results: Results,
    #[command(flatten)]
    waivers: WaiverArgs,
    /// An earlier JSON report: results already failing there do not fail the run.
    #[arg(long, value_name = "REPORT.json")]
    baseline: Option<PathBuf>,
    /// How many threads load and evaluate the declarations: several declarations at
    /// once, and the items of one across threads. Defaults to RAYON_NUM_THREADS when set,
    /// else the number of cores; 1 checks everything one step after another; at most four
    /// per core are used. The report is the same whatever the number.
    #[arg(long, short, value_name = "N", value_parser = parse_jobs, allow_negative_numbers = true)]
    jobs: Option<NonZeroUsize>,
}

// Checking declarations across threads shares the program and hands declarations,
// evaluations and reports between threads; this says so where a change to those types
// would break it, rather than deep inside a rayon bound.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<comply::program::Program>();
    shared::<Declaration>();
    shared::<comply::waiver::Waivers>();
    shared::<report::Checked>();
};

/// Declaration files named by the arguments; folders are expanded to their YAML and JSON
/// files, sorted by name.
pub fn declaration_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, bool), Diagnostic> {
    let mut files = Vec::new();
    let mut folder = false;
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| packs::io_error(p, &e))?;
        if meta.is_dir() {
            folder = true;
            let found = collect(p)?;
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
    // A file named twice (`d.yaml ./d.yaml`, or inside a folder also named) is one
    // organisation, checked once.
    Ok((packs::dedupe(files), folder))
}

fn collect(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let is_declaration = |p: &Path| {
        let name = p.to_string_lossy().to_ascii_lowercase();
        name.ends_with(".yaml") || name.ends_with(".yml") || is_json(&name)
    };
    packs::files_under(dir, &[], &is_declaration)
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
    let mut program = args.packs.load()?;
    program.max_steps = args.eval.max_steps;
    let (files, folder) = declaration_files(&args.decls).map_err(Diagnostics::from)?;
    let inputs = files
        .iter()
        .chain(&args.baseline)
        .chain(&args.waivers.waivers)
        .chain(&args.packs.rules);
    not_an_input(args.output.as_deref(), inputs.map(PathBuf::as_path))?;
    let as_of = args.eval.as_of();
    let lang = args.eval.lang.as_str();
    let limits = args.eval.limits();
    let pool = pool(threads(args.jobs));
    let pool = pool.as_ref();
    let select = report::Select {
        only: args.only.clone(),
        failing_only: args.results == Results::Failing,
        locate: !matches!(args.format, Format::Json | Format::Human),
    };

    // Declarations are spread over the threads when there are several; a single one is
    // loaded and checked on this thread, and only its items are spread.
    let several = pool.filter(|_| files.len() > 1);
    // Every declaration is read before anything is printed: one unusable input, no report.
    let loaded = in_order(several, &files, |f| {
        let src = comply::decl::load::read(f, &limits).map_err(Diagnostics::from)?;
        let mut decl = comply::decl::load::load_with(&program.shape, src, &limits)?;
        // Only locating findings reads the text again; the line of an item does not.
        if !select.locate {
            decl.file.release_text();
        }
        Ok(decl)
    });
    let mut decls: Vec<Declaration> = Vec::with_capacity(loaded.len());
    let mut diags = Diagnostics::new();
    for l in loaded {
        match l {
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

    let checked = in_order(several, &decls, |d| {
        let mut checked = report::check(pool, &program, d, as_of, lang, &waivers, &select);
        if let Some(b) = &baseline {
            b.apply(&mut checked.report);
        }
        checked
    });
    let mut cut = Diagnostics::new();
    for (decl, c) in decls.iter().zip(&checked) {
        for &obligation in &c.stopped {
            cut.push(cut_short(&program, decl.file.name(), obligation));
        }
    }
    if cut.has_errors() {
        return Err(cut);
    }
    warn(
        &waivers,
        checked.iter().flat_map(|c| c.waivers_used.iter().copied()),
        as_of,
    );
    let reports: Vec<Report> = checked.into_iter().map(|c| c.report).collect();
    let outcome = reports
        .iter()
        .map(|r| outcome(r, args))
        .fold(Outcome::Pass, Outcome::worst);
    let batch = folder || reports.len() > 1;
    render(args, &program, &reports, batch, as_of).map_err(Diagnostics::from)?;
    // The process ends next: freeing millions of small allocations one by one would add
    // about a tenth to the run of a large declaration, for memory the system reclaims at
    // once anyway.
    std::mem::forget((decls, reports));
    Ok(outcome)
}

/// The error for an obligation whose results took more expressions to decide than a
/// result may: its verdicts would be guesses, so no report is written.
fn cut_short(program: &Program, decl: &str, obligation: usize) -> Diagnostic {
    let ob = program.obligations.get(obligation);
    let d = Diagnostic::error(
        Code::Limit,
        format!(
            "deciding `{}` for `{decl}` took more than {} expressions",
            ob.map_or("?", |o| o.id.as_str()),
            program.max_steps
        ),
    )
    .help(format!(
        "a quantifier inside another over the same list costs the product of their lengths; \
         compare items by key (`any x in list: x.id == p.ref`), which is answered from an \
         index, or pass a larger limit, e.g. --max-steps {}",
        program.max_steps.saturating_mul(10)
    ));
    match (ob, ob.and_then(|o| program.files.get(o.file))) {
        (Some(o), Some(file)) => d.in_file(file).label(o.span, "this obligation"),
        _ => d,
    }
}

/// Writes the report in the format asked for. The JSON report is written as it is
/// serialised, since for a large declaration its text is larger than the declaration;
/// the others are rendered first. `batch` is true for several declarations, or a folder
/// of them.
fn render(
    args: &Args,
    program: &Program,
    reports: &[Report],
    batch: bool,
    as_of: Date,
) -> Result<(), Diagnostic> {
    let output = args.output.as_deref();
    let lang = args.eval.lang.as_str();
    let text = match args.format {
        Format::Json if !batch => {
            return emit_with(output, |w| match reports.first() {
                Some(r) => report::json::write(w, r),
                None => Ok(()),
            })
        }
        Format::Json => {
            let as_of = as_of.to_string();
            let packs = report::pack_refs(program);
            return emit_with(output, |w| {
                report::json::write_batch(w, reports, &as_of, &packs)
            });
        }
        Format::Human => {
            let style = human::Style {
                colour: output.is_none() && colour_on_stdout(),
            };
            if batch {
                human::render_table(reports, style, lang)
            } else {
                reports
                    .first()
                    .map(|r| human::render(program, r, style))
                    .unwrap_or_default()
            }
        }
        Format::Sarif => report::sarif::render(program, reports, lang),
        Format::Junit => report::junit::render(program, reports),
        Format::Markdown => report::markdown::render(reports),
        Format::Github => report::github::render(reports),
        Format::OscalAr => report::oscal::assessment_results(program, reports),
    };
    emit(&text, output)
}

fn parse_jobs(s: &str) -> Result<NonZeroUsize, String> {
    if s.trim_start().starts_with('-') {
        return Err("a number of threads cannot be negative; give 1 or more".to_string());
    }
    s.parse()
        .map_err(|_| "expected a number of threads, 1 or more".to_string())
}

/// How many threads check the declarations: `--jobs`, else `RAYON_NUM_THREADS` (the
/// usual way to cap a rayon program from outside), else one per core.
fn threads(jobs: Option<NonZeroUsize>) -> usize {
    choose_threads(
        jobs,
        std::env::var("RAYON_NUM_THREADS").ok().as_deref(),
        std::thread::available_parallelism().ok(),
    )
}

/// How many threads a run may use for each core it has. The work is all computation, so
/// threads beyond the cores only take turns on them while each reserves a worker stack;
/// a few per core still lets `--jobs` ask for more threads than the system reports (a
/// container's CPU quota can undercount), while a count in the millions, from `--jobs`
/// or `RAYON_NUM_THREADS`, cannot make the run spend minutes spawning threads, or fail
/// for want of them, before it reads anything.
const THREADS_PER_CORE: usize = 4;

/// [`threads`] from what it reads: the count asked for, capped at [`THREADS_PER_CORE`]
/// per core (one core when the system cannot say).
fn choose_threads(
    jobs: Option<NonZeroUsize>,
    env: Option<&str>,
    cores: Option<NonZeroUsize>,
) -> usize {
    let cores = cores.map_or(1, NonZeroUsize::get);
    jobs.or_else(|| env.and_then(|v| v.trim().parse().ok()))
        .map_or(cores, NonZeroUsize::get)
        .min(cores.saturating_mul(THREADS_PER_CORE))
}

/// Stack of each worker thread: as large as the main thread's on common systems, so that a
/// declaration checked on a worker has the same room for the recursive stages (typing,
/// evaluation of expressions nested up to the limits) as one checked alone. It is address
/// space reserved, not memory used.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// A pool of its own for this run (not rayon's global one), so that `--jobs` is obeyed
/// exactly up to its cap; none for one thread, which then runs everything on the calling
/// thread. A pool that cannot be built (no threads left to the process) also means running
/// on the calling thread: the report is the same, only slower.
fn pool(threads: usize) -> Option<ThreadPool> {
    if threads <= 1 {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("comply-check-{i}"))
        .build()
        .ok()
}

/// `f` applied to every item, on the pool when there is one; the results come back in the
/// items' order whatever order they were computed in, which keeps the output of a run
/// independent of the thread count.
fn in_order<T: Sync, R: Send>(
    pool: Option<&ThreadPool>,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    match pool {
        Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
        None => items.iter().map(f).collect(),
    }
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
            statuses.contains(&row.status) && at_or_above(row.about.severity) && !row.carried_over
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
    use super::*;

    fn n(v: usize) -> Option<NonZeroUsize> {
        NonZeroUsize::new(v)
    }

    #[test]
    fn a_huge_thread_count_is_capped_at_a_few_per_core() {
        assert_eq!(choose_threads(n(99_999_999), None, n(2)), 8);
        assert_eq!(choose_threads(None, Some("20000"), n(2)), 8);
        assert_eq!(
            choose_threads(n(usize::MAX), None, n(usize::MAX)),
            usize::MAX
        );
        assert_eq!(choose_threads(n(50), None, None), THREADS_PER_CORE);
    }

    #[test]
    fn a_reasonable_thread_count_is_obeyed() {
        assert_eq!(choose_threads(n(3), Some("7"), n(2)), 3);
        assert_eq!(choose_threads(None, Some(" 7 "), n(2)), 7);
        assert_eq!(choose_threads(None, Some("lots"), n(2)), 2);
        assert_eq!(choose_threads(None, None, n(6)), 6);
        assert_eq!(choose_threads(None, None, None), 1);
    }
}
