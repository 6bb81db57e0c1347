//! `comply test`: run the rule tests that ship beside the rules, with their coverage.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output::{emit, not_an_input};
use super::{report_diagnostics, Outcome};
use comply::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use comply::packs::{self, PackSource};
use comply::program::Program;
use comply::ruletest::{self, CaseResult, Coverage, Outcome as CaseOutcome};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// In the style of `cargo test`.
    Human,
    /// JUnit XML, for CI dashboards.
    Junit,
}

/// Arguments of `comply test`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pack folders or folders of packs; their `*.test.yaml` files are run (default: `rules`).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Report obligations never applied or never not applicable, `require` lines never seen
    /// failing and `unless` clauses never taken.
    #[arg(long)]
    coverage: bool,
    /// More packs the tested ones need (repeatable).
    #[arg(long, value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not fill in packs the tested ones need from the built-in ones.
    #[arg(long)]
    no_default_rules: bool,
    /// Write the report to a file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `comply test`: exit 0 when every case passes, 1 otherwise.
pub fn run(args: &Args) -> Outcome {
    match test(args) {
        Ok(o) => o,
        Err(d) => {
            report_diagnostics(&d);
            Outcome::Unusable
        }
    }
}

fn folder_name(folder: &str) -> String {
    Path::new(folder)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn test_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let is_test = |p: &Path| p.to_string_lossy().ends_with(".test.yaml");
    if dir.is_file() {
        if is_test(dir) {
            out.push(dir.to_path_buf());
        }
        return Ok(());
    }
    out.extend(packs::files_under(dir, &[], &is_test)?);
    Ok(())
}

fn test(args: &Args) -> Result<Outcome, Diagnostics> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("rules")]
    } else {
        args.paths.clone()
    };
    let mut sources: Vec<PackSource> = Vec::new();
    let mut files = Vec::new();
    for p in &paths {
        if !p.is_file() {
            sources.extend(packs::from_path(p).map_err(Diagnostics::from)?);
        }
        test_files(p, &mut files).map_err(Diagnostics::from)?;
    }
    for p in &args.rules {
        sources.extend(packs::from_path(p).map_err(Diagnostics::from)?);
    }
    let rule_files: Vec<PathBuf> = sources
        .iter()
        .flat_map(|s| s.files.iter().map(|f| PathBuf::from(f.name())))
        .collect();
    let inputs = paths
        .iter()
        .chain(&files)
        .chain(&args.rules)
        .chain(&rule_files);
    not_an_input(args.output.as_deref(), inputs.map(PathBuf::as_path))?;
    if !args.no_default_rules {
        let given: BTreeSet<String> = sources.iter().map(|s| folder_name(&s.folder)).collect();
        sources.extend(
            packs::builtin()
                .into_iter()
                .filter(|b| !given.contains(&folder_name(&b.folder))),
        );
    }
    let program = packs::load(sources)?;
    let mut test_sources = Vec::new();
    for f in &files {
        test_sources.push(packs::read(f).map_err(Diagnostics::from)?);
    }
    let suites = ruletest::read_suites(test_sources)?;
    check_ids(&program, &suites)?;
    if suites.is_empty() {
        return Err(Diagnostics::from(
            Diagnostic::error(Code::Usage, "no rule tests found")
                .help("rule tests are `*.test.yaml` files beside the rules, e.g. rules/data-protection/tests/register.test.yaml"),
        ));
    }
    let mut coverage = Coverage::default();
    let mut results = Vec::new();
    for s in &suites {
        results.extend(ruletest::run(&program, s, &mut coverage));
    }
    let mut text = match args.format {
        Format::Human => human(&results),
        Format::Junit => junit(&results),
    };
    let gaps = if args.coverage {
        coverage_report(&program, &coverage)
    } else {
        None
    };
    if args.format == Format::Human {
        if let Some(g) = &gaps {
            text.push_str(g);
        } else if args.coverage {
            text.push_str("\ncoverage: every obligation applied and not applied, every require seen failing, every unless taken\n");
        }
    }
    emit(&text, args.output.as_deref()).map_err(Diagnostics::from)?;
    let failed = results
        .iter()
        .any(|r| !matches!(r.outcome, CaseOutcome::Passed));
    Ok(if failed { Outcome::Fail } else { Outcome::Pass })
}

/// Every expectation names a loaded obligation.
fn check_ids(program: &Program, suites: &[ruletest::suite::Suite]) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    for s in suites {
        for c in &s.cases {
            for e in &c.expect {
                if program.obligation(&e.obligation).is_none() {
                    let ids = program.by_id.keys().map(String::as_str);
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownObligation,
                            format!("unknown obligation `{}`", e.obligation),
                        )
                        .in_file(&s.file)
                        .label(e.span, "not loaded")
                        .help(did_you_mean(&e.obligation, ids)),
                    );
                }
            }
        }
    }
    diags.into_result()
}

fn human(results: &[CaseResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "running {} rule tests", results.len());
    for r in results {
        let verdict = match r.outcome {
            CaseOutcome::Passed => "ok",
            _ => "FAILED",
        };
        let _ = writeln!(out, "test {} :: {} ... {verdict}", r.file, r.name);
    }
    let failures: Vec<&CaseResult> = results
        .iter()
        .filter(|r| !matches!(r.outcome, CaseOutcome::Passed))
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for r in &failures {
            let _ = writeln!(out, "\n---- {} :: {} ----", r.file, r.name);
            match &r.outcome {
                CaseOutcome::Failed(ms) => {
                    for m in ms {
                        let actual = m
                            .actual
                            .map_or("no such result".to_string(), |s| s.to_string());
                        let _ = writeln!(out, "  {} (line {})", m.target, m.line);
                        let _ = writeln!(out, "  - expected: {}", m.expected);
                        let _ = writeln!(out, "  + actual:   {actual}");
                        for reason in &m.reasons {
                            let _ = writeln!(out, "      {reason}");
                        }
                    }
                }
                CaseOutcome::Broken(d) => {
                    for diag in d.iter() {
                        let at = diag.location().unwrap_or_default();
                        let _ = writeln!(out, "  declaration unusable: {at} {}", diag.message());
                        if let Some(h) = diag.help_text() {
                            let _ = writeln!(out, "      help: {h}");
                        }
                    }
                }
                CaseOutcome::Passed => {}
            }
        }
    }
    let passed = results.len() - failures.len();
    let verdict = if failures.is_empty() { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {passed} passed; {} failed",
        failures.len()
    );
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(results: &[CaseResult]) -> String {
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    let failures = results
        .iter()
        .filter(|r| !matches!(r.outcome, CaseOutcome::Passed))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"comply test\" tests=\"{}\" failures=\"{failures}\">",
        results.len()
    );
    for f in files {
        let cases: Vec<&CaseResult> = results.iter().filter(|r| r.file == f).collect();
        let fails = cases
            .iter()
            .filter(|r| !matches!(r.outcome, CaseOutcome::Passed))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">",
            xml(f),
            cases.len()
        );
        for c in cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(f),
                xml(&c.name)
            );
            match &c.outcome {
                CaseOutcome::Passed => out.push_str("/>\n"),
                CaseOutcome::Failed(ms) => {
                    let summary: Vec<String> = ms
                        .iter()
                        .map(|m| {
                            format!(
                                "{}: expected {}, found {}",
                                m.target,
                                m.expected,
                                m.actual.map_or("no result".into(), |s| s.to_string())
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml(&summary.join("; ")),
                        xml(&summary.join("\n"))
                    );
                }
                CaseOutcome::Broken(d) => {
                    let msgs: Vec<String> = d.iter().map(|x| x.message().to_string()).collect();
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\"/>\n    </testcase>",
                        xml(&msgs.join("; "))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The gaps in coverage, or `None` when there are none.
fn coverage_report(program: &Program, c: &Coverage) -> Option<String> {
    let mut never_applied = Vec::new();
    let mut always_applied = Vec::new();
    let mut requires = Vec::new();
    let mut unless = Vec::new();
    for (i, ob) in program.obligations.iter().enumerate() {
        // A pending obligation never applies until its text is adopted: nothing to cover.
        if ob.pending.is_some() {
            continue;
        }
        if !c.applied.contains(&i) {
            never_applied.push(ob.id.as_str());
        }
        if !c.not_applied.contains(&i) {
            always_applied.push(ob.id.as_str());
        }
        for (j, r) in ob.requires.iter().enumerate() {
            if !c.failed_requires.contains(&(i, j)) {
                requires.push(format!("{} require #{}: {}", ob.id, j + 1, r.source));
            }
        }
        for (j, u) in ob.unless.iter().enumerate() {
            if !c.exemptions.contains(&(i, j)) {
                unless.push(format!("{} unless #{}: {}", ob.id, j + 1, u.source));
            }
        }
    }
    let total = program
        .obligations
        .iter()
        .filter(|o| o.pending.is_none())
        .count();
    if never_applied.is_empty()
        && always_applied.is_empty()
        && requires.is_empty()
        && unless.is_empty()
    {
        return None;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\ncoverage: {}/{total} obligations applied in some case, {}/{total} not applicable in some case",
        total - never_applied.len(),
        total - always_applied.len()
    );
    let mut section = |title: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(out, "  {title} ({}):", items.len());
            for i in items {
                let _ = writeln!(out, "    {i}");
            }
        }
    };
    section(
        "never applied",
        &never_applied
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    );
    section(
        "never not applicable",
        &always_applied
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    );
    section("require lines never seen failing", &requires);
    section("unless clauses never taken", &unless);
    Some(out)
}
