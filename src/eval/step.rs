//! The evaluation of one obligation: its results, one per item, and the overrides that
//! collide.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::expr::Scope;
use super::join::Joins;
use super::status::{Cause, ItemResult, NotApplicable, Status};
use super::tri::{self, Fact, Tri};
use super::value::{Out, Val};
use super::{display, in_force};
use crate::decl::value::{Declaration, Record, Value};
use crate::phrase::{fill, phrase};
use crate::program::expr::CExpr;
use crate::program::{Domain, ObligationDef, Program, Text, TextPiece};
use crate::time::Date;
use crate::waiver::Waivers;

/// Below this many items an obligation is decided on one thread: handing out the work
/// would cost more than it saves.
const PARALLEL_ITEMS: usize = 128;

/// Items decided by one task at least, for the same reason.
const ITEMS_PER_TASK: usize = 32;

/// What every result of one obligation shares, computed once rather than for each of its
/// items: the texts are shared by the results, not copied into each.
pub(super) struct Shared {
    /// Why it does not apply at the evaluation date, if it is not in force.
    not_in_force: Option<NotApplicable>,
    /// The text of each `applies when` condition.
    conditions: Vec<Arc<str>>,
    /// The name of each exemption, when it mentions no fact and so reads the same for
    /// every item.
    exemptions: Vec<Option<Arc<str>>>,
    /// The obligations that override it, with their ids.
    overriders: Vec<(usize, Arc<str>)>,
}

impl Shared {
    pub(super) fn of(
        program: &Program,
        ob: &ObligationDef,
        index: usize,
        today: Date,
        lang: &str,
    ) -> Shared {
        let pack = program.pack_of(ob);
        Shared {
            not_in_force: in_force(
                pack.and_then(|p| p.in_force),
                pack.and_then(|p| p.pending.as_ref()),
                today,
            )
            .or_else(|| in_force(ob.in_force, ob.pending.as_ref(), today)),
            conditions: ob
                .applies_when
                .iter()
                .map(|(_, text)| Arc::from(text.as_str()))
                .collect(),
            exemptions: ob
                .unless
                .iter()
                .map(|u| literal(&u.because, lang))
                .collect(),
            overriders: program
                .overridden_by
                .get(index)
                .into_iter()
                .flatten()
                .map(|&o| {
                    let id = program.obligations.get(o).map_or("?", |x| x.id.as_str());
                    (o, Arc::from(id))
                })
                .collect(),
        }
    }
}

/// A text with no fact in a language, as it reads; `None` when it has facts.
fn literal(text: &Text, lang: &str) -> Option<Arc<str>> {
    let local = text.pick(lang)?;
    let mut out = String::new();
    for piece in &local.parts {
        match piece {
            TextPiece::Literal(s) => out.push_str(s),
            TextPiece::Fact(..) => return None,
        }
    }
    Some(Arc::from(out))
}

/// The evaluation of one obligation.
pub(super) struct Step<'a> {
    pub(super) program: &'a Program,
    pub(super) decl: &'a Declaration,
    pub(super) as_of: Date,
    pub(super) lang: &'a str,
    pub(super) waivers: &'a Waivers,
    pub(super) index: usize,
    pub(super) ob: &'a ObligationDef,
    pub(super) shared: Shared,
    /// Results of the obligations evaluated so far, by obligation index.
    pub(super) results: &'a [Option<Vec<ItemResult>>],
    pub(super) joins: &'a Joins,
    /// Set once a result of the obligation is cut short by the budget of expressions: the
    /// items after it are not decided, so a rule that would take hours per item takes one
    /// budget, not one per item. The run is refused either way.
    pub(super) cut_short: AtomicBool,
}

impl<'a> Step<'a> {
    fn scope(&self, position: Option<usize>) -> Scope<'a> {
        Scope::new(
            self.program,
            self.decl,
            self.as_of,
            self.results,
            self.joins,
            self.ob,
            position,
        )
    }

    /// The results of the obligation, one per item in order, and the overrides that
    /// collide, in the same order; with `spread`, the items are decided across the
    /// threads of the pool this runs on.
    pub(super) fn evaluate(&self, spread: bool) -> (Vec<ItemResult>, Vec<String>) {
        let ob = self.ob;
        let items: Vec<Option<&'a Record>> = match (&ob.domain, &ob.list) {
            (Domain::Each(_), Some(list)) => {
                let mut frame = vec![Out::Unknown(Vec::new()); ob.locals];
                match self.scope(None).eval(list, &mut frame) {
                    Out::Known(Val::Stated(values)) => values
                        .iter()
                        .filter_map(|v| match v {
                            Value::Record(r) => Some(Some(&**r)),
                            _ => None,
                        })
                        .collect(),
                    Out::Absent(_) | Out::Known(_) => Vec::new(),
                    Out::Unknown(gaps) | Out::Range(_, _, gaps) => {
                        return (vec![self.unstated_list(gaps)], Vec::new());
                    }
                }
            }
            _ => vec![None],
        };
        let decide = |(position, item): (usize, &Option<&'a Record>)| {
            let mut result = ItemResult::new(self.index, *item);
            let conflict = self.decide(*item, position, &mut result);
            (self.waive(result), conflict)
        };
        let (results, conflicts): (Vec<ItemResult>, Vec<Option<String>>) =
            if spread && items.len() >= PARALLEL_ITEMS {
                items
                    .par_iter()
                    .enumerate()
                    .with_min_len(ITEMS_PER_TASK)
                    .map(decide)
                    .unzip()
            } else {
                items.iter().enumerate().map(decide).unzip()
            };
        (results, conflicts.into_iter().flatten().collect())
    }

    /// The one result of a per-item obligation whose list is not known.
    fn unstated_list(&self, gaps: Vec<Fact>) -> ItemResult {
        let mut r = ItemResult::new(self.index, None);
        // Not in force: nothing to decide, whether or not the list is stated.
        if let Some(why) = &self.shared.not_in_force {
            r.not_applicable = Some(why.clone());
            return r;
        }
        r.status = Status::Unknown;
        r.set_applies(Tri::Unknown(gaps.clone()));
        r.reasons_mut()
            .push(phrase(self.lang, "the list it applies to is not stated").to_string());
        *r.gaps_mut() = gaps;
        r
    }

    /// Applies the waiver that covers a failing result, if any.
    fn waive(&self, mut result: ItemResult) -> ItemResult {
        if !result.status.is_failing() {
            return result;
        }
        let Some(mut found) = self
            .waivers
            .lookup(&self.ob.id, result.item.as_deref(), self.as_of)
        else {
            return result;
        };
        found.was = result.status;
        result.set_waiver(found);
        if let (true, Some(w)) = (found.in_force, self.waivers.get(found.index)) {
            result.status = Status::Waived;
            result.reasons_mut().insert(
                0,
                fill(
                    self.lang,
                    "waived until {} (approved by {}): {}",
                    &[&w.expires.to_string(), &w.approved_by, &w.justification],
                ),
            );
        }
        result
    }

    /// Decides the result of one item (`None` for the organisation), whose result sits at
    /// `position` among the obligation's. Returns the overrides that collide for it, if
    /// they do.
    fn decide(
        &self,
        item: Option<&'a Record>,
        position: usize,
        result: &mut ItemResult,
    ) -> Option<String> {
        if let Some(why) = &self.shared.not_in_force {
            result.not_applicable = Some(why.clone());
            return None;
        }
        if self.cut_short.load(Ordering::Relaxed) {
            result.stop(self.program.max_steps, self.lang);
            return None;
        }
        let scope = self.scope(item.map(|_| position));
        let conflict = self.decide_in(&scope, item, position, result);
        if scope.budget.spent() {
            self.cut_short.store(true, Ordering::Relaxed);
            result.stop(self.program.max_steps, self.lang);
        }
        conflict
    }

    /// [`Step::decide`] for an obligation in force, within the budget of `scope`.
    fn decide_in(
        &self,
        scope: &Scope<'a>,
        item: Option<&'a Record>,
        position: usize,
        result: &mut ItemResult,
    ) -> Option<String> {
        let (program, ob, lang) = (self.program, self.ob, self.lang);
        let mut frame = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
        if let (Some(r), Some(slot)) = (item, frame.get_mut(0)) {
            *slot = Out::Known(Val::Record(r));
        }

        // Superseded by a more specific obligation that applies to the same item.
        let overriders: Vec<&Arc<str>> = self
            .shared
            .overriders
            .iter()
            .filter(|(o, _)| {
                scope
                    .results
                    .get(*o)
                    .and_then(Option::as_ref)
                    .and_then(|rs| {
                        if ob.domain == Domain::Organisation {
                            rs.first()
                        } else {
                            rs.get(position)
                        }
                    })
                    .is_some_and(|r| r.surely_applies() && r.status != Status::NotApplicable)
            })
            .map(|(_, id)| id)
            .collect();
        match overriders.as_slice() {
            [] => {}
            [one] => {
                result.not_applicable = Some(NotApplicable::Superseded(Arc::clone(one)));
                return None;
            }
            many => {
                let names: Vec<&str> = many.iter().map(|id| id.as_ref()).collect();
                let text = format!(
                    "{}{}: {} all apply and override it",
                    ob.id,
                    result
                        .item
                        .as_ref()
                        .map(|i| format!(" [{i}]"))
                        .unwrap_or_default(),
                    names.join(", ")
                );
                result.status = Status::Unknown;
                result.set_applies(Tri::True);
                result.reasons_mut().push(format!(
                    "conflicting overrides: {} all apply; the packs must say which one governs",
                    names.join(", ")
                ));
                return Some(text);
            }
        }

        let mut applies = Tri::True;
        for ((cond, _), text) in ob.applies_when.iter().zip(&self.shared.conditions) {
            let t = scope.truth(cond, &mut frame);
            if t.is_false() {
                result.not_applicable = Some(NotApplicable::ConditionFalse(Arc::clone(text)));
                return None;
            }
            applies = applies.and(t);
        }
        let mut exemption_gaps: Vec<Fact> = Vec::new();
        for (i, (u, name)) in ob.unless.iter().zip(&self.shared.exemptions).enumerate() {
            match scope.truth(&u.condition, &mut frame) {
                Tri::True => {
                    result.set_exemption(i);
                    let name = match name {
                        Some(name) => Arc::clone(name),
                        None => Arc::from(render(scope, &u.because, lang, &mut frame)),
                    };
                    result.not_applicable = Some(NotApplicable::Exempted(name));
                    return None;
                }
                Tri::False => {}
                Tri::Unknown(g) => exemption_gaps.extend(g),
            }
        }
        if !exemption_gaps.is_empty() {
            applies = applies.and(Tri::Unknown(exemption_gaps));
        }
        result.set_applies(applies.clone());

        let mut failed = Vec::new();
        let mut gaps = Vec::new();
        let mut undecided = false;
        for (i, req) in ob.requires.iter().enumerate() {
            match scope.truth(&req.condition, &mut frame) {
                Tri::True => {}
                Tri::False => {
                    result.failed_require(i);
                    failed.push(render(scope, &req.message, lang, &mut frame));
                }
                Tri::Unknown(g) => {
                    undecided = true;
                    result.unknown_require(i);
                    gaps.extend(g);
                }
            }
        }
        // Unknown may carry no fact (a conflict elsewhere); the flag, not the facts, decides.
        let applicability_unknown = matches!(applies, Tri::Unknown(_));
        let applicability_gaps = match applies {
            Tri::Unknown(g) => g,
            _ => Vec::new(),
        };
        if !failed.is_empty() {
            if !applicability_unknown {
                result.status = Status::Violated;
                *result.reasons_mut() = failed;
                result.set_upstream(prerequisites(program, scope, ob, position).0);
            } else {
                result.status = Status::Unknown;
                *result.reasons_mut() = failed
                    .into_iter()
                    .map(|m| fill(lang, "would be violated if it applies: {}", &[m.as_str()]))
                    .collect();
                explain_gaps(result, &applicability_gaps, lang);
                *result.gaps_mut() = applicability_gaps;
            }
            return None;
        }
        if undecided {
            result.status = Status::Unknown;
            let gaps: Vec<Fact> = applicability_gaps.into_iter().chain(gaps).collect();
            explain_gaps(result, &gaps, lang);
            *result.gaps_mut() = gaps;
            return None;
        }
        let (causes, undecided) = prerequisites(program, scope, ob, position);
        if !causes.is_empty() {
            result.status = Status::Blocked;
            *result.reasons_mut() = causes
                .iter()
                .map(|c| fill(lang, "waits for {}", &[c.to_string().as_str()]))
                .collect();
            result.set_blocked_by(causes);
            return None;
        }
        if !undecided.is_empty() {
            // A prerequisite that may or may not be met leaves this one undecided, not
            // blocked.
            result.status = Status::Unknown;
            for Undecided {
                obligation: id,
                item,
                gaps,
            } in undecided
            {
                let item = item.map(|i| format!(" [{i}]")).unwrap_or_default();
                result.reasons_mut().push(fill(
                    lang,
                    "its prerequisite {} is unknown",
                    &[format!("{id}{item}").as_str()],
                ));
                result.gaps_mut().extend(gaps);
            }
            return None;
        }
        result.status = Status::Satisfied;
        if applicability_unknown {
            result
                .reasons_mut()
                .push(phrase(lang, "its requirements hold whether or not it applies").to_string());
            *result.gaps_mut() = applicability_gaps;
        }
        None
    }
}

/// Adds to the reasons of an unknown result what is wrong with each fact it waits for,
/// beyond its not being stated: evidence missing or expired, a value the rules cannot
/// compute. A plain missing fact is listed as missing instead.
fn explain_gaps(result: &mut ItemResult, gaps: &[Fact], lang: &str) {
    for g in gaps {
        if !matches!(g.gap, tri::Gap::Missing) {
            let reason = g.describe(lang);
            if !result.reasons().contains(&reason) {
                result.reasons_mut().push(reason);
            }
        }
    }
}

/// A prerequisite whose own result is unknown.
struct Undecided {
    obligation: String,
    item: Option<String>,
    gaps: Vec<Fact>,
}

/// What the prerequisites say: the root causes that block the obligation (each violated
/// prerequisite, or the root causes of a blocked one), and the prerequisites still unknown.
fn prerequisites(
    program: &Program,
    scope: &Scope<'_>,
    ob: &ObligationDef,
    position: usize,
) -> (Vec<Cause>, Vec<Undecided>) {
    let mut causes = Vec::new();
    let mut undecided = Vec::new();
    for &p in &ob.depends_on {
        let (Some(pre), Some(Some(results))) = (program.obligations.get(p), scope.results.get(p))
        else {
            continue;
        };
        let relevant: Vec<&ItemResult> = match (&ob.domain, &pre.domain) {
            (Domain::Each(a), Domain::Each(b)) if a == b => {
                results.get(position).into_iter().collect()
            }
            _ => results.iter().collect(),
        };
        for r in relevant {
            // A prerequisite superseded for this item is stood in for by what supersedes it.
            let r = match &r.not_applicable {
                Some(NotApplicable::Superseded(by)) => program
                    .by_id
                    .get(by.as_ref())
                    .and_then(|&o| scope.results.get(o))
                    .and_then(Option::as_ref)
                    .and_then(|rs| rs.get(position))
                    .unwrap_or(r),
                _ => r,
            };
            let pre = program.obligations.get(r.obligation).unwrap_or(pre);
            match r.status {
                Status::Satisfied | Status::Waived | Status::NotApplicable => {}
                Status::Blocked => causes.extend(r.blocked_by().iter().cloned()),
                // A violated prerequisite that itself waits for violated ones is not the
                // root: the root causes are the unsatisfied obligations at the start.
                Status::Violated if !r.upstream().is_empty() => {
                    causes.extend(r.upstream().iter().cloned())
                }
                Status::Violated => causes.push(Cause {
                    obligation: pre.id.clone(),
                    item: r.item.as_deref().map(str::to_string),
                    status: r.status,
                }),
                Status::Unknown => undecided.push(Undecided {
                    obligation: pre.id.clone(),
                    item: r.item.as_deref().map(str::to_string),
                    gaps: r.gaps().to_vec(),
                }),
            }
        }
    }
    causes.sort();
    causes.dedup();
    (causes, undecided)
}

/// A text in a language, its facts replaced by their values.
fn render<'a>(scope: &Scope<'a>, text: &'a Text, lang: &str, frame: &mut Vec<Out<'a>>) -> String {
    let Some(local) = text.pick(lang) else {
        return String::new();
    };
    let mut out = String::new();
    for piece in &local.parts {
        match piece {
            TextPiece::Literal(s) => out.push_str(s),
            TextPiece::Fact(expr, _) => out.push_str(&show(scope, expr, frame, lang)),
        }
    }
    out
}

/// A fact's value as shown in a message.
fn show<'a>(scope: &Scope<'a>, expr: &'a CExpr, frame: &mut Vec<Out<'a>>, lang: &str) -> String {
    let out = scope.eval(expr, frame);
    display(scope.program, &expr.ty, &out, lang)
}
