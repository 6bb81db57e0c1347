//! Building the report of one declaration from its results.
//!
//! A declaration of 100,000 items has over a million results. The report keeps the rows
//! it lists (with `--results failing`, about one result in seven) and counts the others,
//! so it is built from the results as they come, obligation by obligation, and the
//! results are freed as soon as their rows are made ([`check`], [`build_from`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::ThreadPool;

use super::{
    item_name, organisation_name, pack_refs, About, DeclRef, Place, Report, ResultRow, RowWaiver,
    Select, Summary, Tool, WaiverSection, SCHEMA_VERSION,
};
use crate::decl::value::Declaration;
use crate::eval::status::{ItemResult, NotApplicable, Status};
use crate::eval::{self, locate, Evaluation};
use crate::program::Program;
use crate::time::Date;
use crate::waiver::{WaiverUse, Waivers};

/// Builds the report of one evaluated declaration.
pub fn build(program: &Program, decl: &Declaration, eval: &Evaluation, lang: &str) -> Report {
    build_with(
        program,
        decl,
        eval,
        lang,
        &Waivers::none(),
        &Select::default(),
    )
}

/// Builds the report of a declaration evaluated with waivers
/// ([`crate::eval::evaluate_with`]): each result names its waiver, and the report says
/// what became of every waiver.
pub fn build_with(
    program: &Program,
    decl: &Declaration,
    eval: &Evaluation,
    lang: &str,
    waivers: &Waivers,
    select: &Select,
) -> Report {
    let mut builder = Builder::new(program, decl, eval.as_of, lang, waivers, select);
    builder.locate(eval);
    for obligation in 0..program.obligations.len() {
        builder.add(eval.results.of(obligation).unwrap_or_default());
    }
    builder.finish(eval.conflicts.clone()).report
}

/// [`build_with`], giving up the evaluation as it goes: the results of each obligation
/// are freed once their rows are made, so that the results of a large declaration and
/// its report are not both held whole.
pub fn build_from(
    program: &Program,
    decl: &Declaration,
    eval: Evaluation,
    lang: &str,
    waivers: &Waivers,
    select: &Select,
) -> Report {
    let mut builder = Builder::new(program, decl, eval.as_of, lang, waivers, select);
    builder.locate(&eval);
    let Evaluation {
        results, conflicts, ..
    } = eval;
    for group in results.into_groups() {
        builder.add(&group);
    }
    builder.finish(conflicts).report
}

/// A declaration checked: its report, and the waivers its results name (for the warnings
/// of a run over several declarations).
#[derive(Clone, Debug)]
pub struct Checked {
    /// The report.
    pub report: Report,
    /// The waiver each waived result, or failing result under an expired waiver, names.
    pub waivers_used: Vec<WaiverUse>,
    /// The indices of the obligations some of whose results were cut short by the budget
    /// of expressions (see [`crate::eval::budget`]), in order. Which of their items were
    /// depends on the threads' timing once one is, so only the obligations are named.
    pub stopped: Vec<usize>,
}

/// Evaluates a declaration ([`crate::eval`]) and builds its report, the same as
/// [`build_with`] on [`crate::eval::evaluate_with`], holding as few results at once as it
/// can: unless the report locates findings (which evaluates clauses again and so needs
/// every result), each obligation's results are turned into rows as soon as no other
/// obligation reads them, and freed. On the threads of `pool` if one is given.
pub fn check(
    pool: Option<&ThreadPool>,
    program: &Program,
    decl: &Declaration,
    as_of: Date,
    lang: &str,
    waivers: &Waivers,
    select: &Select,
) -> Checked {
    let mut builder = Builder::new(program, decl, as_of, lang, waivers, select);
    let conflicts = if select.locate {
        let evaluation = match pool {
            Some(pool) => eval::evaluate_on(pool, program, decl, as_of, lang, waivers),
            None => eval::evaluate_with(program, decl, as_of, lang, waivers),
        };
        builder.locate(&evaluation);
        let Evaluation {
            results, conflicts, ..
        } = evaluation;
        for group in results.into_groups() {
            builder.add(&group);
        }
        conflicts
    } else {
        eval::evaluate_each(pool, program, decl, as_of, lang, waivers, |group| {
            builder.add(&group)
        })
    };
    builder.finish(conflicts)
}

/// What every result of one obligation shares, computed once per report rather than once
/// per item: a declaration of 100,000 items has that many results per obligation.
struct Shared {
    id: Arc<str>,
    about: Arc<About>,
    counted: bool,
}

impl Shared {
    fn all(program: &Program, lang: &str, select: &Select) -> Vec<Shared> {
        program
            .obligations
            .iter()
            .map(|ob| Shared {
                id: Arc::from(ob.id.as_str()),
                about: Arc::new(About {
                    severity: ob.severity.as_str(),
                    title: ob.title.plain(lang),
                    citation: program.citation(ob),
                    pack: program.pack_of(ob).map_or(String::new(), |p| p.id.clone()),
                    tags: ob.tags.clone(),
                    remedy: Some(ob.remedy.plain(lang)).filter(|s| !s.is_empty()),
                }),
                counted: select.counts(&ob.id),
            })
            .collect()
    }
}

/// A report being built, from the results of one obligation after another, in any order
/// of obligations.
struct Builder<'a> {
    program: &'a Program,
    decl: &'a Declaration,
    as_of: Date,
    lang: &'a str,
    waivers: &'a Waivers,
    select: &'a Select,
    shared: Vec<Shared>,
    /// The field deciding a result, by obligation and position, when locating.
    places: BTreeMap<(usize, usize), locate::Place>,
    /// The rows listed, in the order their obligations were added.
    rows: Vec<ResultRow>,
    /// Each obligation added and how many rows it listed, in the order they were added.
    added: Vec<(usize, usize)>,
    summary: Summary,
    /// Every waiver named by a result.
    used: Vec<WaiverUse>,
    stopped: Vec<usize>,
}

impl<'a> Builder<'a> {
    fn new(
        program: &'a Program,
        decl: &'a Declaration,
        as_of: Date,
        lang: &'a str,
        waivers: &'a Waivers,
        select: &'a Select,
    ) -> Builder<'a> {
        Builder {
            program,
            decl,
            as_of,
            lang,
            waivers,
            select,
            shared: Shared::all(program, lang, select),
            places: BTreeMap::new(),
            rows: Vec::new(),
            added: Vec::new(),
            summary: Summary::default(),
            used: Vec::new(),
            stopped: Vec::new(),
        }
    }

    /// Finds the field deciding each failing result, when the selection asks for it.
    fn locate(&mut self, eval: &Evaluation) {
        if self.select.locate {
            self.places = locate::deciding_fields(self.program, self.decl, eval);
        }
    }

    /// Counts the results of one obligation, all of them in item order, and makes the
    /// rows of those the selection lists.
    fn add(&mut self, results: &[ItemResult]) {
        // The rows of a large declaration take tens of megabytes: room is made for exactly
        // those of this obligation, where doubling would leave up to as much again unused.
        let listed = results
            .iter()
            .filter(|r| self.listed(r.obligation, r.status))
            .count();
        self.rows.reserve_exact(listed);
        let before = self.rows.len();
        if let Some(first) = results.iter().find(|r| r.stopped()) {
            self.stopped.push(first.obligation);
        }
        for (position, r) in results.iter().enumerate() {
            self.used.extend(r.waiver());
            let Some(ob) = self.shared.get(r.obligation).filter(|ob| ob.counted) else {
                continue;
            };
            self.summary.add(r.status);
            if !self.select.lists(r.status) {
                continue;
            }
            let field = self.places.remove(&(r.obligation, position));
            let row = self.row(ob, r, field);
            self.rows.push(row);
        }
        if let Some(first) = results.first() {
            self.added
                .push((first.obligation, self.rows.len() - before));
        }
    }

    /// True when a result of this obligation with this status is listed.
    fn listed(&self, obligation: usize, status: Status) -> bool {
        self.shared.get(obligation).is_some_and(|ob| ob.counted) && self.select.lists(status)
    }

    fn row(&self, ob: &Shared, r: &ItemResult, field: Option<locate::Place>) -> ResultRow {
        let (decl, lang) = (self.decl, self.lang);
        let item_place = match (&r.path, r.span) {
            (Some(path), Some(span)) => Some(locate::Place {
                path: path.to_string(),
                span,
            }),
            _ => None,
        };
        let place = |p: locate::Place| {
            let (line, column) = decl.file.line_col(p.span.start);
            Box::new(Place {
                path: p.path,
                line,
                column,
            })
        };
        let waiver = r.waiver().and_then(|u| {
            let w = self.waivers.get(u.index)?;
            Some(Box::new(RowWaiver {
                justification: w.justification.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
                in_force: u.in_force,
                status: u.was,
            }))
        });
        let why = r.not_applicable.as_ref().map(|why| why.describe(lang));
        let reasons = why.into_iter().chain(r.reasons().iter().cloned()).collect();
        ResultRow {
            obligation: Arc::clone(&ob.id),
            item: r.item.clone(),
            status: r.status,
            about: Arc::clone(&ob.about),
            reasons,
            missing: r.missing(),
            blocked_by: r
                .blocked_by()
                .iter()
                .map(|c| item_name(&c.obligation, c.item.as_deref()))
                .collect(),
            superseded_by: match &r.not_applicable {
                Some(NotApplicable::Superseded(by)) => Some(Arc::clone(by)),
                _ => None,
            },
            waiver,
            path: r.path.clone(),
            line: r.span.map(|s| decl.file.line(s.start)),
            carried_over: false,
            place: field.or(item_place).map(place),
        }
    }

    /// The report, its rows by obligation index, then item.
    fn finish(mut self, conflicts: Vec<String>) -> Checked {
        in_report_order(&mut self.rows, &self.added);
        let review = self.waivers.file().map(|f| WaiverSection {
            file: f.name().to_string(),
            review: self.waivers.review(self.used.iter().copied(), self.as_of),
        });
        let report = Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool::this(),
            as_of: self.as_of.to_string(),
            lang: self.lang.to_string(),
            packs: pack_refs(self.program),
            declaration: DeclRef {
                path: self.decl.file.name().to_string(),
                organisation: organisation_name(self.program, self.decl),
            },
            results: self.rows,
            conflicts,
            summary: self.summary,
            waivers: review,
            baseline: None,
        };
        self.stopped.sort_unstable();
        Checked {
            report,
            waivers_used: self.used,
            stopped: self.stopped,
        }
    }
}

/// Puts rows that came obligation by obligation, in any order of obligations (`added`:
/// each obligation and its number of rows, in the order they came), in the order of the
/// report: by obligation index, then item, as they are within an obligation.
///
/// The rows are moved in place, each swap putting one row where it belongs: the rows of a
/// large declaration take hundreds of megabytes, which sorting into a second list would
/// take twice.
fn in_report_order<T>(rows: &mut [T], added: &[(usize, usize)]) {
    if added.is_sorted_by_key(|&(obligation, _)| obligation) {
        return;
    }
    let mut blocks: Vec<(usize, usize, usize)> = Vec::with_capacity(added.len());
    let mut start = 0;
    for &(obligation, len) in added {
        blocks.push((obligation, start, len));
        start += len;
    }
    blocks.sort_by_key(|&(obligation, _, _)| obligation);
    // Where each row goes, by where it is.
    let mut dest = vec![0; rows.len()];
    let mut at = 0;
    for (_, start, len) in blocks {
        if let Some(block) = dest.get_mut(start..start + len) {
            for (k, d) in block.iter_mut().enumerate() {
                *d = at + k;
            }
        }
        at += len;
    }
    for i in 0..rows.len() {
        while let Some(&d) = dest.get(i).filter(|&&d| d != i) {
            rows.swap(i, d);
            dest.swap(i, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::in_report_order;

    #[test]
    fn rows_that_came_in_any_order_of_obligations_end_in_report_order() {
        // Rows named (obligation, item); obligations 3, 0, 2, 5 and 1 came in that order.
        let added = [(3, 2), (0, 3), (2, 0), (5, 1), (1, 4)];
        let mut rows: Vec<(usize, usize)> = added
            .iter()
            .flat_map(|&(obligation, n)| (0..n).map(move |item| (obligation, item)))
            .collect();
        let mut expected = rows.clone();
        expected.sort();
        in_report_order(&mut rows, &added);
        assert_eq!(rows, expected);
        let mut ordered = expected.clone();
        in_report_order(&mut ordered, &[(0, 3), (1, 4), (3, 2), (5, 1)]);
        assert_eq!(ordered, expected);
    }
}
