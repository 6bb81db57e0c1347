//! Evaluation: every obligation of the program, for every item it ranges over, against one
//! declaration, at one date.
//!
//! Obligations are evaluated in dependency order, so `depends on`, `overrides`,
//! `applies(..)` and `satisfied(..)` read results that are already final.

mod expr;
mod join;
pub mod locate;
pub mod status;
#[cfg(test)]
mod tests;
pub mod trace;
pub mod tri;
pub mod value;

use expr::Scope;
use status::{Cause, ItemResult, NotApplicable, Status};
use tri::{Fact, Tri};
use value::{Out, Val};

use crate::decl::value::{Declaration, Value};
use crate::phrase::{fill, phrase};
use crate::program::expr::CExpr;
use crate::program::shape::Type;
use crate::program::{Domain, ObligationDef, Program, Text, TextPiece};
use crate::time::Date;
use crate::waiver::Waivers;

/// The results of one declaration.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The evaluation date.
    pub as_of: Date,
    /// Every result, by obligation id, then item in declaration order.
    pub results: Vec<ItemResult>,
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
    let mut results: Vec<Option<Vec<ItemResult>>> = vec![None; program.obligations.len()];
    let mut conflicts = Vec::new();
    let joins = join::Joins::default();
    for &index in &program.order {
        let Some(ob) = program.obligations.get(index) else {
            continue;
        };
        let items = evaluate_obligation(
            program,
            decl,
            as_of,
            lang,
            index,
            ob,
            &results,
            &mut conflicts,
            &joins,
        );
        let items = items
            .into_iter()
            .map(|r| waive(r, &ob.id, waivers, as_of, lang))
            .collect();
        if let Some(slot) = results.get_mut(index) {
            *slot = Some(items);
        }
    }
    Evaluation {
        as_of,
        results: results.into_iter().flatten().flatten().collect(),
        conflicts,
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the state of one evaluation step"
)]
fn evaluate_obligation(
    program: &Program,
    decl: &Declaration,
    as_of: Date,
    lang: &str,
    index: usize,
    ob: &ObligationDef,
    results: &[Option<Vec<ItemResult>>],
    conflicts: &mut Vec<String>,
    joins: &join::Joins,
) -> Vec<ItemResult> {
    let base = |item: Option<&crate::decl::value::Record>| ItemResult {
        obligation: index,
        item: item.and_then(|r| r.key.clone()),
        path: item.map(|r| r.path.clone()),
        span: item.map(|r| r.span),
        status: Status::NotApplicable,
        applies: Tri::False,
        reasons: Vec::new(),
        gaps: Vec::new(),
        blocked_by: Vec::new(),
        not_applicable: None,
        failed_requires: Vec::new(),
        exemption: None,
        waiver: None,
        upstream: Vec::new(),
        unknown_requires: Vec::new(),
    };
    let scope = Scope {
        program,
        decl,
        today: as_of,
        results,
        current: (&ob.domain, None),
        joins,
    };
    let items: Vec<Option<&crate::decl::value::Record>> = match (&ob.domain, &ob.list) {
        (Domain::Each(_), Some(list)) => {
            let mut frame = vec![Out::Unknown(Vec::new()); ob.locals];
            match scope.eval(list, &mut frame) {
                Out::Known(Val::Stated(values)) => values
                    .iter()
                    .filter_map(|v| match v {
                        Value::Record(r) => Some(Some(&**r)),
                        _ => None,
                    })
                    .collect(),
                Out::Absent(_) | Out::Known(_) => Vec::new(),
                Out::Unknown(gaps) | Out::Range(_, _, gaps) => {
                    let mut r = base(None);
                    // Not in force: nothing to decide, whether or not the list is stated.
                    let pack = program.pack_of(ob);
                    let window = in_force(
                        pack.and_then(|p| p.in_force),
                        pack.and_then(|p| p.pending.as_ref()),
                        as_of,
                    )
                    .or_else(|| in_force(ob.in_force, ob.pending.as_ref(), as_of));
                    if let Some(why) = window {
                        r.not_applicable = Some(why);
                        return vec![r];
                    }
                    r.status = Status::Unknown;
                    r.applies = Tri::Unknown(gaps.clone());
                    r.reasons
                        .push(phrase(lang, "the list it applies to is not stated").to_string());
                    r.gaps = gaps;
                    return vec![r];
                }
            }
        }
        _ => vec![None],
    };
    let mut out = Vec::with_capacity(items.len());
    for (position, item) in items.into_iter().enumerate() {
        let scope = Scope {
            current: (&ob.domain, item.map(|_| position)),
            ..Scope {
                ..scope_ref(&scope)
            }
        };
        let mut frame = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
        if let (Some(r), Some(slot)) = (item, frame.get_mut(0)) {
            *slot = Out::Known(Val::Record(r));
        }
        let mut result = base(item);
        decide(
            program,
            &scope,
            ob,
            index,
            position,
            lang,
            &mut frame,
            &mut result,
            conflicts,
        );
        out.push(result);
    }
    out
}

/// Applies the waiver that covers a failing result, if any.
fn waive(
    mut result: ItemResult,
    obligation: &str,
    waivers: &Waivers,
    as_of: Date,
    lang: &str,
) -> ItemResult {
    if !result.status.is_failing() {
        return result;
    }
    let Some(mut found) = waivers.lookup(obligation, result.item.as_deref(), as_of) else {
        return result;
    };
    found.was = result.status;
    result.waiver = Some(found);
    if let (true, Some(w)) = (found.in_force, waivers.get(found.index)) {
        result.status = Status::Waived;
        result.reasons.insert(
            0,
            fill(
                lang,
                "waived until {} (approved by {}): {}",
                &[&w.expires.to_string(), &w.approved_by, &w.justification],
            ),
        );
    }
    result
}

fn scope_ref<'a>(s: &Scope<'a>) -> Scope<'a> {
    Scope {
        program: s.program,
        decl: s.decl,
        today: s.today,
        results: s.results,
        current: s.current,
        joins: s.joins,
    }
}

pub(crate) fn in_force(
    window: Option<crate::ast::InForce>,
    pending: Option<&String>,
    today: Date,
) -> Option<NotApplicable> {
    if let Some(why) = pending {
        return Some(NotApplicable::Pending(why.clone()));
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

#[allow(
    clippy::too_many_arguments,
    reason = "the state of one evaluation step"
)]
fn decide<'a>(
    program: &'a Program,
    scope: &Scope<'a>,
    ob: &'a ObligationDef,
    index: usize,
    position: usize,
    lang: &str,
    frame: &mut Vec<Out<'a>>,
    result: &mut ItemResult,
    conflicts: &mut Vec<String>,
) {
    let pack = program.pack_of(ob);
    let not_in_force = in_force(
        pack.and_then(|p| p.in_force),
        pack.and_then(|p| p.pending.as_ref()),
        scope.today,
    )
    .or_else(|| in_force(ob.in_force, ob.pending.as_ref(), scope.today));
    if let Some(why) = not_in_force {
        result.not_applicable = Some(why);
        return;
    }

    // Superseded by a more specific obligation that applies to the same item.
    let overriders: Vec<&str> = program
        .overridden_by
        .get(index)
        .into_iter()
        .flatten()
        .filter_map(|&o| {
            let applies = scope
                .results
                .get(o)
                .and_then(Option::as_ref)
                .and_then(|rs| {
                    if ob.domain == Domain::Organisation {
                        rs.first()
                    } else {
                        rs.get(position)
                    }
                })
                .is_some_and(|r| r.applies.is_true() && r.status != Status::NotApplicable);
            applies.then(|| program.obligations.get(o).map_or("?", |x| x.id.as_str()))
        })
        .collect();
    match overriders.as_slice() {
        [] => {}
        [one] => {
            result.not_applicable = Some(NotApplicable::Superseded((*one).to_string()));
            return;
        }
        many => {
            let text = format!(
                "{}{}: {} all apply and override it",
                ob.id,
                result
                    .item
                    .as_ref()
                    .map(|i| format!(" [{i}]"))
                    .unwrap_or_default(),
                many.join(", ")
            );
            result.status = Status::Unknown;
            result.applies = Tri::True;
            result.reasons.push(format!(
                "conflicting overrides: {} all apply; the packs must say which one governs",
                many.join(", ")
            ));
            conflicts.push(text);
            return;
        }
    }

    let mut applies = Tri::True;
    for (cond, text) in &ob.applies_when {
        let t = scope.truth(cond, frame);
        if t.is_false() {
            result.not_applicable = Some(NotApplicable::ConditionFalse(text.clone()));
            return;
        }
        applies = applies.and(t);
    }
    let mut exemption_gaps: Vec<Fact> = Vec::new();
    for (i, u) in ob.unless.iter().enumerate() {
        match scope.truth(&u.condition, frame) {
            Tri::True => {
                result.exemption = Some(i);
                result.not_applicable = Some(NotApplicable::Exempted(render(
                    scope, &u.because, lang, frame,
                )));
                return;
            }
            Tri::False => {}
            Tri::Unknown(g) => exemption_gaps.extend(g),
        }
    }
    if !exemption_gaps.is_empty() {
        applies = applies.and(Tri::Unknown(exemption_gaps));
    }
    result.applies = applies.clone();

    let mut failed = Vec::new();
    let mut gaps = Vec::new();
    let mut undecided = false;
    for (i, req) in ob.requires.iter().enumerate() {
        match scope.truth(&req.condition, frame) {
            Tri::True => {}
            Tri::False => {
                result.failed_requires.push(i);
                failed.push(render(scope, &req.message, lang, frame));
            }
            Tri::Unknown(g) => {
                undecided = true;
                result.unknown_requires.push(i);
                gaps.extend(g);
            }
        }
    }
    // Unknown may carry no fact (a conflict elsewhere); the flag, not the facts, decides.
    let applicability_unknown = matches!(applies, Tri::Unknown(_));
    let applicability_gaps = match &applies {
        Tri::Unknown(g) => g.clone(),
        _ => Vec::new(),
    };
    if !failed.is_empty() {
        if !applicability_unknown {
            result.status = Status::Violated;
            result.reasons = failed;
            result.upstream = prerequisites(program, scope, ob, position).0;
        } else {
            result.status = Status::Unknown;
            result.reasons = failed
                .into_iter()
                .map(|m| fill(lang, "would be violated if it applies: {}", &[m.as_str()]))
                .collect();
            result.gaps = applicability_gaps;
        }
        return;
    }
    if undecided {
        result.status = Status::Unknown;
        result.gaps = applicability_gaps.into_iter().chain(gaps).collect();
        for g in &result.gaps {
            if !matches!(g.gap, tri::Gap::Missing) {
                let reason = g.describe(lang);
                if !result.reasons.contains(&reason) {
                    result.reasons.push(reason);
                }
            }
        }
        return;
    }
    let (causes, undecided) = prerequisites(program, scope, ob, position);
    if !causes.is_empty() {
        result.status = Status::Blocked;
        result.reasons = causes
            .iter()
            .map(|c| fill(lang, "waits for {}", &[c.to_string().as_str()]))
            .collect();
        result.blocked_by = causes;
        return;
    }
    if !undecided.is_empty() {
        // A prerequisite that may or may not be met leaves this one undecided, not blocked.
        result.status = Status::Unknown;
        for Undecided {
            obligation: id,
            item,
            gaps,
        } in undecided
        {
            let item = item.map(|i| format!(" [{i}]")).unwrap_or_default();
            result.reasons.push(fill(
                lang,
                "its prerequisite {} is unknown",
                &[format!("{id}{item}").as_str()],
            ));
            result.gaps.extend(gaps);
        }
        return;
    }
    result.status = Status::Satisfied;
    if applicability_unknown {
        result
            .reasons
            .push(phrase(lang, "its requirements hold whether or not it applies").to_string());
        result.gaps = applicability_gaps;
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
                    .get(by)
                    .and_then(|&o| scope.results.get(o))
                    .and_then(Option::as_ref)
                    .and_then(|rs| rs.get(position))
                    .unwrap_or(r),
                _ => r,
            };
            let pre = program.obligations.get(r.obligation).unwrap_or(pre);
            match r.status {
                Status::Satisfied | Status::Waived | Status::NotApplicable => {}
                Status::Blocked => causes.extend(r.blocked_by.iter().cloned()),
                // A violated prerequisite that itself waits for violated ones is not the
                // root: the root causes are the unsatisfied obligations at the start.
                Status::Violated if !r.upstream.is_empty() => {
                    causes.extend(r.upstream.iter().cloned())
                }
                Status::Violated => causes.push(Cause {
                    obligation: pre.id.clone(),
                    item: r.item.as_deref().map(str::to_string),
                    status: r.status,
                }),
                Status::Unknown => undecided.push(Undecided {
                    obligation: pre.id.clone(),
                    item: r.item.as_deref().map(str::to_string),
                    gaps: r.gaps.clone(),
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
