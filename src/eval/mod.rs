//! Evaluation: every obligation of the program, for every item it ranges over, against one
//! declaration, at one date.
//!
//! Obligations are evaluated in dependency order, so `depends on`, `overrides`,
//! `applies(..)` and `satisfied(..)` read results that are already final.

pub mod budget;
mod expr;
mod join;
pub mod locate;
pub mod results;
pub mod status;
mod step;
#[cfg(test)]
mod tests;
pub mod trace;
pub mod tri;
pub mod value;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use rayon::ThreadPool;

pub use results::Results;
use status::{ItemResult, NotApplicable};
use step::{Shared, Step};
use value::{Out, Val};

use crate::decl::value::Declaration;
use crate::phrase::phrase;
use crate::program::shape::Type;
use crate::program::Program;
use crate::time::Date;
use crate::waiver::Waivers;

/// The results of one declaration.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The evaluation date.
    pub as_of: Date,
    /// Every result, by obligation index, then item in declaration order.
    pub results: Results,
    /// Overrides that collide: several obligations replace the same one for one item.
    pub conflicts: Vec<String>,
}

/// Evaluates every obligation of `program` against `decl` at `as_of`, with texts in `lang`.
pub fn evaluate(program: &Program, decl: &Declaration, as_of: Date, lang: &str) -> Evaluation {
    evaluate_with(program, decl, as_of, lang, &Waivers::none())
}

/// [`evaluate`], with waivers: a violated, blocked or unknown result covered by a waiver in
/// force at `as_of` is waived (its reasons kept, the waiver's justification first), and the
/// obligations that depend on it see it as met.
pub fn evaluate_with(
    program: &Program,
    decl: &Declaration,
    as_of: Date,
    lang: &str,
    waivers: &Waivers,
) -> Evaluation {
    Run::new(None, program, decl, as_of, lang, waivers).whole()
}

/// [`evaluate_with`] on the threads of `pool`: the items of each obligation are decided
/// across them. The evaluation is the same, result for result and in the same order, as
/// on one thread.
pub fn evaluate_on(
    pool: &ThreadPool,
    program: &Program,
    decl: &Declaration,
    as_of: Date,
    lang: &str,
    waivers: &Waivers,
) -> Evaluation {
    Run::new(Some(pool), program, decl, as_of, lang, waivers).whole()
}

/// [`evaluate_with`] for a consumer that needs each result once, whatever the order of
/// the obligations: the results of each obligation are handed to `take`, all at once, as
/// soon as no obligation left to evaluate reads them. Most obligations are read by none,
/// so most results are handed over as they are made and need not all be held: a
/// declaration of 100,000 items has over a million. Those that others read come last, in
/// the order of their index. On the threads of `pool` if one is given, as
/// [`evaluate_on`]. Returns the overrides that collide.
pub fn evaluate_each(
    pool: Option<&ThreadPool>,
    program: &Program,
    decl: &Declaration,
    as_of: Date,
    lang: &str,
    waivers: &Waivers,
    mut take: impl FnMut(Vec<ItemResult>) + Send,
) -> Vec<String> {
    let run = Run::new(pool, program, decl, as_of, lang, waivers);
    let (kept, conflicts) = run.all(Keep::Read, &mut take);
    kept.into_iter().flatten().for_each(take);
    conflicts
}

/// Which results an evaluation keeps until it ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// All of them.
    All,
    /// Those of the obligations that other obligations read; the others are handed over
    /// as soon as they are made.
    Read,
}

/// One evaluation of a declaration.
struct Run<'a> {
    pool: Option<&'a ThreadPool>,
    program: &'a Program,
    decl: &'a Declaration,
    as_of: Date,
    lang: &'a str,
    waivers: &'a Waivers,
}

impl<'a> Run<'a> {
    fn new(
        pool: Option<&'a ThreadPool>,
        program: &'a Program,
        decl: &'a Declaration,
        as_of: Date,
        lang: &'a str,
        waivers: &'a Waivers,
    ) -> Run<'a> {
        Run {
            pool,
            program,
            decl,
            as_of,
            lang,
            waivers,
        }
    }

    /// Every result, kept.
    fn whole(&self) -> Evaluation {
        let (groups, conflicts) = self.all(Keep::All, |_| {});
        Evaluation {
            as_of: self.as_of,
            results: Results::new(groups),
            conflicts,
        }
    }

    /// Obligations are evaluated one after another in dependency order, so that each
    /// reads only final results; the items of one obligation depend on none of each
    /// other's, so they are what is spread over threads. The whole evaluation runs on
    /// the pool, if there is one: handing it each obligation in turn would wake its
    /// threads a hundred times. Returns the results kept, by obligation index, and the
    /// overrides that collide.
    fn all(
        &self,
        keep: Keep,
        give: impl FnMut(Vec<ItemResult>) + Send,
    ) -> (Vec<Option<Vec<ItemResult>>>, Vec<String>) {
        match self.pool {
            Some(pool) => pool.install(|| self.in_order(keep, true, give)),
            None => self.in_order(keep, false, give),
        }
    }

    /// [`Run::all`] on the current thread; with `spread`, the items of each obligation
    /// are spread over the threads of the pool it runs on.
    fn in_order(
        &self,
        keep: Keep,
        spread: bool,
        mut give: impl FnMut(Vec<ItemResult>),
    ) -> (Vec<Option<Vec<ItemResult>>>, Vec<String>) {
        let program = self.program;
        let read = match keep {
            Keep::All => Vec::new(),
            Keep::Read => read_by_others(program),
        };
        let mut results: Vec<Option<Vec<ItemResult>>> = vec![None; program.obligations.len()];
        let mut conflicts = Vec::new();
        let joins = join::Joins::default();
        for &index in &program.order {
            let Some(ob) = program.obligations.get(index) else {
                continue;
            };
            let step = Step {
                program,
                decl: self.decl,
                as_of: self.as_of,
                lang: self.lang,
                waivers: self.waivers,
                index,
                ob,
                shared: Shared::of(program, ob, index, self.as_of, self.lang),
                results: &results,
                joins: &joins,
                cut_short: AtomicBool::new(false),
            };
            let (items, clashes) = step.evaluate(spread);
            conflicts.extend(clashes);
            if keep == Keep::Read && !read.get(index).copied().unwrap_or(true) {
                give(items);
            } else if let Some(slot) = results.get_mut(index) {
                *slot = Some(items);
            }
        }
        (results, conflicts)
    }
}

/// For each obligation, whether another one reads its results while it is evaluated:
/// as a prerequisite, through `applies(..)` or `satisfied(..)` (also in a predicate it
/// calls), or as an override. These are the edges that order the evaluation, and the
/// results an obligation reads are those of the obligations it comes after; an
/// obligation that overrides a prerequisite is read too, as the prerequisite's stand-in,
/// and is needed by the prerequisite, so it is kept.
fn read_by_others(program: &Program) -> Vec<bool> {
    program
        .obligations
        .iter()
        .map(|ob| !program.graph.needed_by(&ob.id).is_empty())
        .collect()
}

pub(crate) fn in_force(
    window: Option<crate::ast::InForce>,
    pending: Option<&String>,
    today: Date,
) -> Option<NotApplicable> {
    if let Some(why) = pending {
        return Some(NotApplicable::Pending(Arc::from(why.as_str())));
    }
    let w = window?;
    if today < w.from {
        return Some(NotApplicable::NotYetInForce(w.from));
    }
    match w.until {
        Some(u) if today >= u => Some(NotApplicable::NoLongerInForce(u)),
        _ => None,
    }
}

pub(crate) fn display(program: &Program, ty: &Type, out: &Out<'_>, lang: &str) -> String {
    match out {
        Out::Known(v) => display_val(program, ty, v, lang),
        Out::Absent(_) => phrase(lang, "none").to_string(),
        Out::Unknown(_) => "?".to_string(),
        Out::Range(lo, hi, _) => format!("{lo} to {hi}"),
    }
}

fn display_val(program: &Program, ty: &Type, v: &Val<'_>, lang: &str) -> String {
    match v {
        Val::Bool(b) => phrase(lang, if *b { "yes" } else { "no" }).to_string(),
        Val::Int(n) => n.to_string(),
        Val::Number(n) => format!("{n}"),
        Val::Text(t) => (*t).to_string(),
        Val::Date(d) => d.to_string(),
        Val::DateTime(d) => d.to_string(),
        Val::Duration(d) => d.to_string(),
        Val::Enum(m) => match ty {
            Type::Enum(e) => program.shape.enumeration(*e).member_name(*m).to_string(),
            _ => m.to_string(),
        },
        Val::Record(r) => r.key.as_deref().unwrap_or(&r.path).to_string(),
        Val::Stated(_) | Val::Written(_) => {
            let element = ty.element().cloned().unwrap_or(Type::Error);
            value::items(v)
                .iter()
                .map(|o| display(program, &element, o, lang))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}
