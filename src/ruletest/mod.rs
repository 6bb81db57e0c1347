//! Rule tests: cases beside the rules that state the verdict a declaration must get, and
//! the coverage they give (obligations exercised, requirements seen failing, exemptions
//! taken).

pub mod suite;

use std::collections::BTreeSet;

use crate::decl::value::Declaration;
use crate::diagnostic::Diagnostics;
use crate::eval::status::Status;
use crate::program::Program;
use crate::source::SourceFile;
use suite::{Case, DeclSource, Suite};

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// `id` or `id[item]`.
    pub target: String,
    /// What the case expects.
    pub expected: Status,
    /// What came out; `None` when no such result exists.
    pub actual: Option<Status>,
    /// The result's reasons, to show why.
    pub reasons: Vec<String>,
    /// Line of the expectation in the test file.
    pub line: usize,
}

/// What became of one case.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every expectation held.
    Passed,
    /// Some did not.
    Failed(Vec<Mismatch>),
    /// The declaration could not be used.
    Broken(Diagnostics),
}

/// A case and its outcome.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The test file.
    pub file: String,
    /// The case's name.
    pub name: String,
    /// Its outcome.
    pub outcome: Outcome,
}

/// What the cases exercised, per obligation.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Obligations with at least one result that applies.
    pub applied: BTreeSet<usize>,
    /// Obligations with at least one result that does not apply.
    pub not_applied: BTreeSet<usize>,
    /// `(obligation, require index)` seen false or undecided.
    pub failed_requires: BTreeSet<(usize, usize)>,
    /// `(obligation, unless index)` seen exempting.
    pub exemptions: BTreeSet<(usize, usize)>,
}

fn declaration(program: &Program, suite: &Suite, case: &Case) -> Result<Declaration, Diagnostics> {
    match &case.declaration {
        DeclSource::Inline(node) => {
            let root = crate::decl::typed::read(&program.shape, &suite.file, node)?;
            Ok(Declaration {
                file: suite.file.clone(),
                root,
            })
        }
        DeclSource::File(path, _) => {
            // A declaration beside the rules is read under the limits of a declaration.
            let limits = crate::decl::limits::Limits::default();
            let source = crate::decl::load::read(path, &limits).map_err(Diagnostics::from)?;
            crate::decl::load::load_with(&program.shape, source, &limits)
        }
    }
}

/// Runs every case of a suite, adding what it exercised to `coverage`.
pub fn run(program: &Program, suite: &Suite, coverage: &mut Coverage) -> Vec<CaseResult> {
    suite
        .cases
        .iter()
        .map(|case| {
            let outcome = match declaration(program, suite, case) {
                Err(d) => Outcome::Broken(d),
                Ok(decl) => {
                    let evaluation = crate::eval::evaluate(program, &decl, case.as_of, "en");
                    for r in &evaluation.results {
                        if r.status == Status::NotApplicable {
                            coverage.not_applied.insert(r.obligation);
                        } else {
                            coverage.applied.insert(r.obligation);
                        }
                        // A requirement on evidence is never false, only undecided: seeing
                        // it undecided is seeing it fail.
                        for &i in r.failed_requires().iter().chain(r.unknown_requires()) {
                            coverage.failed_requires.insert((r.obligation, i));
                        }
                        if let Some(i) = r.exemption() {
                            coverage.exemptions.insert((r.obligation, i));
                        }
                    }
                    let mismatches: Vec<Mismatch> = case
                        .expect
                        .iter()
                        .filter_map(|e| {
                            let found = evaluation.results.iter().find(|r| {
                                program
                                    .obligations
                                    .get(r.obligation)
                                    .is_some_and(|o| o.id == e.obligation)
                                    && r.item.as_deref() == e.item.as_deref()
                            });
                            let actual = found.map(|r| r.status);
                            if actual == Some(e.status) {
                                return None;
                            }
                            let mut reasons =
                                found.map(|r| r.reasons().to_vec()).unwrap_or_default();
                            if let Some(why) = found.and_then(|r| r.not_applicable.as_ref()) {
                                reasons.insert(0, why.describe("en"));
                            }
                            if let Some(r) = found {
                                reasons.extend(
                                    r.missing().into_iter().map(|m| format!("missing: {m}")),
                                );
                            }
                            Some(Mismatch {
                                target: crate::report::item_name(&e.obligation, e.item.as_deref()),
                                expected: e.status,
                                actual,
                                reasons,
                                line: suite.file.line_col(e.span.start).0,
                            })
                        })
                        .collect();
                    if mismatches.is_empty() {
                        Outcome::Passed
                    } else {
                        Outcome::Failed(mismatches)
                    }
                }
            };
            CaseResult {
                file: suite.file.name().to_string(),
                name: case.name.clone(),
                outcome,
            }
        })
        .collect()
}

/// Reads the test files among the given ones.
pub fn read_suites(files: Vec<SourceFile>) -> Result<Vec<Suite>, Diagnostics> {
    let mut suites = Vec::new();
    let mut diags = Diagnostics::new();
    for f in files {
        match suite::read(f) {
            Ok(s) => suites.push(s),
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(suites)
    }
}
