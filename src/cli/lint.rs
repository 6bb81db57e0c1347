//! `comply lint`: authoring mistakes in rule files that still load, as warnings.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{report_diagnostics, Outcome};
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::lint::{self, codes, Scope};
use comply::packs::{self, PackSource};

/// Arguments of `comply lint`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Pack folders, folders of packs or `.comply` files to lint (default: the built-in
    /// packs). Rule tests (`*.test.yaml`) found there count for the untested-obligation lint.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// More packs the linted ones need (repeatable); loaded, not linted.
    #[arg(long, value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not fill in packs the linted ones need from the built-in ones.
    #[arg(long)]
    no_default_rules: bool,
}

/// Runs `comply lint`: exit 0 when clean, 1 on warnings, 2 when the packs do not load.
pub fn run(args: &Args) -> Outcome {
    match lint_packs(args) {
        Ok((warnings, tests_found)) => {
            report_diagnostics(&warnings);
            eprintln!("{}", summary(&warnings));
            if !tests_found {
                eprintln!(
                    "note: the built-in packs' rule tests are not under ./rules here, so untested obligations were not looked for"
                );
            }
            if warnings.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail
            }
        }
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

fn lint_packs(args: &Args) -> Result<(Diagnostics, bool), Diagnostics> {
    let mut linted: Vec<PackSource> = Vec::new();
    let mut test_dirs: Vec<PathBuf> = Vec::new();
    let mut tests_found = true;
    if args.paths.is_empty() {
        if !args.no_default_rules {
            linted = packs::builtin();
            // The built-in packs' tests are not embedded: they are read from the pack
            // folders when `comply lint` runs where they are (the repository root).
            for p in &linted {
                let dir = p
                    .files
                    .first()
                    .and_then(|f| Path::new(f.name()).parent())
                    .map(Path::to_path_buf);
                match dir {
                    Some(d) if d.is_dir() => test_dirs.push(d),
                    _ => tests_found = false,
                }
            }
        }
    } else {
        for p in &args.paths {
            linted.extend(packs::from_path(p).map_err(Diagnostics::from)?);
            let dir = if p.is_file() {
                // A bare file name has the empty path as its parent: the current folder.
                p.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            } else {
                p.clone()
            };
            test_dirs.push(dir);
        }
    }
    if linted.is_empty() {
        return Err(Diagnostics::from(
            Diagnostic::error(Code::Usage, "no rule packs to lint").help(
                "name pack folders to lint, or drop --no-default-rules to lint the built-in packs",
            ),
        ));
    }
    let names: BTreeSet<String> = linted
        .iter()
        .flat_map(|p| p.files.iter().map(|f| f.name().to_string()))
        .collect();
    let mut sources = linted;
    for p in &args.rules {
        sources.extend(packs::from_path(p).map_err(Diagnostics::from)?);
    }
    if !args.paths.is_empty() && !args.no_default_rules {
        let given: BTreeSet<String> = sources.iter().map(|s| folder_name(&s.folder)).collect();
        sources.extend(
            packs::builtin()
                .into_iter()
                .filter(|b| !given.contains(&folder_name(&b.folder))),
        );
    }
    let program = packs::load(sources)?;
    let tested = if tests_found {
        Some(tested_ids(&test_dirs)?)
    } else {
        None
    };
    let scope = Scope {
        files: program
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| names.contains(f.name()))
            .map(|(i, _)| i)
            .collect(),
        tested,
    };
    let found = lint::lint(&program, &scope);
    if found.has_errors() {
        return Err(found);
    }
    Ok((found, tests_found))
}

/// The obligation ids the rule tests under the folders expect.
fn tested_ids(dirs: &[PathBuf]) -> Result<BTreeSet<String>, Diagnostics> {
    let mut files = Vec::new();
    for d in dirs {
        test_files(d, &mut files).map_err(Diagnostics::from)?;
    }
    files.sort();
    files.dedup();
    let mut sources = Vec::new();
    for f in &files {
        sources.push(packs::read(f).map_err(Diagnostics::from)?);
    }
    let suites = comply::ruletest::read_suites(sources)?;
    Ok(suites
        .iter()
        .flat_map(|s| &s.cases)
        .flat_map(|c| &c.expect)
        .map(|e| e.obligation.clone())
        .collect())
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

/// `lint: 3 warnings (2 missing-french, 1 unused-define)`, or the all-clear.
fn summary(warnings: &Diagnostics) -> String {
    if warnings.is_empty() {
        return "lint: no warnings".to_string();
    }
    let mut out = format!(
        "lint: {} warning{} (",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    let mut first = true;
    for rule in codes::RULES {
        let n = warnings.iter().filter(|w| w.code() == rule.code).count();
        if n > 0 {
            let _ = write!(out, "{}{n} {}", if first { "" } else { ", " }, rule.name());
            first = false;
        }
    }
    out.push(')');
    out
}
