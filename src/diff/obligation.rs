//! Comparing obligations clause by clause.

use std::collections::BTreeSet;

use crate::ast::{Expr, InForce, Obligation, Severity, Texts};

use super::canon;
use super::clauses::{self, Clause};
use super::index::{pick, texts, At, Index};
use super::{state_of, Aspect, Change, Entry, Kind};

/// One side of an obligation: as written and with canonical local names.
struct Side<'a> {
    at: At<'a, Obligation>,
    canon: Obligation,
    ix: &'a Index<'a>,
}

/// Every obligation added, removed or changed, by id. `affected` names the predicates
/// that changed, directly or through the predicates they use.
pub fn compare_all(
    old: &Index<'_>,
    new: &Index<'_>,
    affected: &BTreeSet<String>,
    lang: &str,
) -> Vec<Entry> {
    let ids: BTreeSet<&str> = old
        .obligations
        .keys()
        .chain(new.obligations.keys())
        .copied()
        .collect();
    let mut out = Vec::new();
    for id in ids {
        let a = old.obligations.get(id).map(|at| Side {
            at: *at,
            canon: canon::obligation(at.item),
            ix: old,
        });
        let b = new.obligations.get(id).map(|at| Side {
            at: *at,
            canon: canon::obligation(at.item),
            ix: new,
        });
        let mut changes = compare(a.as_ref(), b.as_ref());
        if let (Some(_), Some(b)) = (&a, &b) {
            uses(b, affected, &mut changes);
        }
        let Some(state) = state_of(a.as_ref(), b.as_ref(), &changes) else {
            continue;
        };
        let title = b
            .as_ref()
            .or(a.as_ref())
            .and_then(|s| pick(&texts(s.at.item.title.as_ref()), lang));
        out.push(Entry {
            kind: Kind::Obligation,
            name: id.to_string(),
            state,
            title,
            changes,
        });
    }
    out
}

/// The changes between two sides; with one side only, what that side says (its texts
/// left out).
fn compare(old: Option<&Side<'_>>, new: Option<&Side<'_>>) -> Vec<Change> {
    let mut out = Vec::new();
    standing(old, new, &mut out);
    conditions(old, new, &mut out);
    if let (Some(a), Some(b)) = (old, new) {
        wording(a, b, &mut out);
    }
    out
}

/// What the obligation ranges over, how serious it is, its sources, dates and links.
fn standing(old: Option<&Side<'_>>, new: Option<&Side<'_>>, out: &mut Vec<Change>) {
    let (a, b) = (old.map(|s| &s.canon), new.map(|s| &s.canon));
    // `for`: the list compared canonical (the variable does not matter), shown as written.
    let list = |o: &'_ Obligation| o.for_each.as_ref().map(|f| f.list.clone());
    if a.and_then(list) != b.and_then(list) {
        let each = |s: &Side<'_>| {
            s.at.item
                .for_each
                .as_ref()
                .map(|f| format!("{} in {}", f.var.name, s.at.shown(f.list.span)))
        };
        out.push(Change::new(
            Aspect::For,
            old.and_then(each),
            new.and_then(each),
        ));
    }
    let severity = |o: &Obligation| o.severity.map_or(Severity::Medium, |s| s.0);
    clauses::value(
        Aspect::Severity,
        a.map(severity).as_ref(),
        b.map(severity).as_ref(),
        |s| s.as_str().to_string(),
        out,
    );
    let cites = |s: &Side<'_>| -> BTreeSet<(String, String)> {
        s.canon
            .cites
            .iter()
            .map(|c| (c.instrument.name.clone(), c.place.clone()))
            .collect()
    };
    if old.map(cites) != new.map(cites) {
        // Shown in the order written, as reports show them.
        let shown = |s: &Side<'_>| -> Option<String> {
            let parts: Vec<String> =
                s.at.item
                    .cites
                    .iter()
                    .map(|c| format!("{} {}", s.ix.short_name(&c.instrument.name), c.place))
                    .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        };
        let (o, n) = (old.and_then(shown), new.and_then(shown));
        if o.is_some() || n.is_some() {
            out.push(Change::new(Aspect::Citation, o, n));
        }
    }
    clauses::value(
        Aspect::InForce,
        a.and_then(|o| o.in_force.as_ref()),
        b.and_then(|o| o.in_force.as_ref()),
        in_force,
        out,
    );
    clauses::value(
        Aspect::Pending,
        a.and_then(|o| o.pending.as_ref().map(|p| &p.0)),
        b.and_then(|o| o.pending.as_ref().map(|p| &p.0)),
        String::clone,
        out,
    );
    let depends = |o: &Obligation| -> BTreeSet<String> {
        o.depends_on.iter().map(|d| d.name.clone()).collect()
    };
    clauses::set(Aspect::DependsOn, a.map(depends), b.map(depends), ", ", out);
    clauses::value(
        Aspect::Overrides,
        a.and_then(|o| o.overrides.as_ref().map(|i| &i.name)),
        b.and_then(|o| o.overrides.as_ref().map(|i| &i.name)),
        String::clone,
        out,
    );
}

/// `applies when`, `unless` and `require`, with their messages when on both sides.
fn conditions(old: Option<&Side<'_>>, new: Option<&Side<'_>>, out: &mut Vec<Change>) {
    let applies = |s: &Side<'_>| -> Vec<Clause<Expr>> {
        s.canon
            .applies_when
            .iter()
            .zip(&s.at.item.applies_when)
            .map(|(c, w)| clause(s, (c, None), (w, None)))
            .collect()
    };
    let unless = |s: &Side<'_>| -> Vec<Clause<Expr>> {
        s.canon
            .unless
            .iter()
            .zip(&s.at.item.unless)
            .map(|(c, w)| {
                clause(
                    s,
                    (&c.condition, c.because.as_ref()),
                    (&w.condition, w.because.as_ref()),
                )
            })
            .collect()
    };
    let requires = |s: &Side<'_>| -> Vec<Clause<Expr>> {
        s.canon
            .requires
            .iter()
            .zip(&s.at.item.requires)
            .map(|(c, w)| {
                clause(
                    s,
                    (&c.condition, c.message.as_ref()),
                    (&w.condition, w.message.as_ref()),
                )
            })
            .collect()
    };
    // The messages of an obligation found on one side only are not listed.
    let both = old.is_some() && new.is_some();
    let side = |s: Option<&Side<'_>>, f: &dyn Fn(&Side<'_>) -> Vec<Clause<Expr>>| {
        let mut v = s.map(f).unwrap_or_default();
        if !both {
            for c in &mut v {
                c.message.clear();
                c.message_shown.clear();
            }
        }
        v
    };
    for (aspect, message, f) in [
        (
            Aspect::AppliesWhen,
            Aspect::AppliesWhen,
            &applies as &dyn Fn(&Side<'_>) -> _,
        ),
        (Aspect::Unless, Aspect::Because, &unless),
        (Aspect::Require, Aspect::Else, &requires),
    ] {
        clauses::compare(aspect, message, &side(old, f), &side(new, f), out);
    }
}

/// Title, remedy and tags of an obligation found on both sides.
fn wording(old: &Side<'_>, new: &Side<'_>, out: &mut Vec<Change>) {
    type Part = fn(&Obligation) -> Option<&Texts>;
    for (aspect, part) in [
        (Aspect::Title, title_of as Part),
        (Aspect::Remedy, remedy_of),
    ] {
        let (oc, os) = (texts(part(&old.canon)), texts(part(old.at.item)));
        let (nc, ns) = (texts(part(&new.canon)), texts(part(new.at.item)));
        clauses::texts(aspect, None, (&oc, &os), (&nc, &ns), out);
    }
    let tags = |o: &Obligation| -> Vec<String> { o.tags.iter().map(|t| t.name.clone()).collect() };
    clauses::value(
        Aspect::Tags,
        Some(&tags(&old.canon)),
        Some(&tags(&new.canon)),
        |t| t.join(", "),
        out,
    );
}

fn title_of(o: &Obligation) -> Option<&Texts> {
    o.title.as_ref()
}

fn remedy_of(o: &Obligation) -> Option<&Texts> {
    o.remedy.as_ref()
}

/// A clause: its condition and message, canonical and as written.
fn clause(
    s: &Side<'_>,
    canon: (&Expr, Option<&Texts>),
    written: (&Expr, Option<&Texts>),
) -> Clause<Expr> {
    Clause {
        key: canon.0.clone(),
        shown: s.at.shown(written.0.span),
        message: texts(canon.1),
        message_shown: texts(written.1),
    }
}

/// `from 2025-01-01 until 2026-01-01`.
pub fn in_force(f: &InForce) -> String {
    match f.until {
        Some(until) => format!("from {} until {until}", f.from),
        None => format!("from {}", f.from),
    }
}

/// Notes the changed predicates an obligation present on both sides uses.
fn uses(new: &Side<'_>, affected: &BTreeSet<String>, out: &mut Vec<Change>) {
    let mut names = Vec::new();
    let o = &new.canon;
    if let Some(f) = &o.for_each {
        canon::free_names(&f.list, &mut names);
    }
    for e in o
        .applies_when
        .iter()
        .chain(o.unless.iter().map(|u| &u.condition))
        .chain(o.requires.iter().map(|r| &r.condition))
    {
        canon::free_names(e, &mut names);
    }
    let used: BTreeSet<String> = names.into_iter().filter(|n| affected.contains(n)).collect();
    for name in used {
        out.push(Change::new(
            Aspect::UsesPredicate,
            Some(name.clone()),
            Some(name),
        ));
    }
}
