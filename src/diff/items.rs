//! Comparing everything but obligations: predicates, the shape, instruments and pack
//! manifests.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Define, Field, Instrument, Pack, Record, TypeRef};

use super::canon;
use super::clauses;
use super::index::{texts, At, Index};
use super::obligation::in_force;
use super::{state_of, Aspect, Change, Entry, Kind};

/// Keys of two maps, each once, in order, with the value on each side.
fn both<'m, K: Ord + Copy, V>(
    old: &'m BTreeMap<K, V>,
    new: &'m BTreeMap<K, V>,
) -> Vec<(K, Option<&'m V>, Option<&'m V>)> {
    let keys: BTreeSet<K> = old.keys().chain(new.keys()).copied().collect();
    keys.into_iter()
        .map(|k| (k, old.get(&k), new.get(&k)))
        .collect()
}

fn entry(
    kind: Kind,
    name: String,
    old: Option<()>,
    new: Option<()>,
    changes: Vec<Change>,
    out: &mut Vec<Entry>,
) {
    if let Some(state) = state_of(old, new, &changes) {
        out.push(Entry {
            kind,
            name,
            state,
            title: None,
            changes,
        });
    }
}

fn type_name(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => id.name.clone(),
        TypeRef::List(inner, _) => format!("list<{}>", type_name(inner)),
    }
}

/// `(p: Processing, n: int): bool`, or `: bool` for a typed constant, or nothing.
fn signature(d: &Define) -> String {
    let mut out = String::new();
    if let Some(params) = &d.params {
        let ps: Vec<String> = params
            .iter()
            .map(|p| format!("{}: {}", p.name.name, type_name(&p.ty)))
            .collect();
        out = format!("({})", ps.join(", "));
    }
    if let Some(r) = &d.result {
        out.push_str(": ");
        out.push_str(&type_name(r));
    }
    out
}

/// Predicates and constants.
pub fn predicates(old: &Index<'_>, new: &Index<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (name, a, b) in both(&old.defines, &new.defines) {
        let ca = a.map(|d| canon::define(d.item));
        let cb = b.map(|d| canon::define(d.item));
        let mut changes = Vec::new();
        let shown_sig =
            |d: Option<&At<'_, Define>>| d.map(|d| signature(d.item)).filter(|s| !s.is_empty());
        let same_signature = match (&ca, &cb) {
            (Some(x), Some(y)) => signature(x) == signature(y),
            _ => false,
        };
        if !same_signature {
            let (o, n) = (shown_sig(a), shown_sig(b));
            if o.is_some() || n.is_some() {
                changes.push(Change::new(Aspect::Signature, o, n));
            }
        }
        if ca.as_ref().map(|d| &d.body) != cb.as_ref().map(|d| &d.body) {
            changes.push(Change::new(
                Aspect::Definition,
                a.map(|d| d.shown(d.item.body.span)),
                b.map(|d| d.shown(d.item.body.span)),
            ));
        }
        entry(
            Kind::Predicate,
            name.to_string(),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    out
}

/// The predicates whose meaning changed: those listed in `changed`, and those that use
/// one of them, directly or through others.
pub fn affected_predicates(
    old: &Index<'_>,
    new: &Index<'_>,
    changed: &[Entry],
) -> BTreeSet<String> {
    let mut affected: BTreeSet<String> = changed.iter().map(|e| e.name.clone()).collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for ix in [old, new] {
        for (name, d) in &ix.defines {
            let mut names = Vec::new();
            canon::free_names(&canon::define(d.item).body, &mut names);
            uses.entry((*name).to_string()).or_default().extend(names);
        }
    }
    loop {
        let more: Vec<String> = uses
            .iter()
            .filter(|(name, used)| {
                !affected.contains(*name) && used.iter().any(|u| affected.contains(u))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return affected;
        }
        affected.extend(more);
    }
}

/// Records, enums, fields and members, sorted by name (a type before its fields).
pub fn shape(old: &Index<'_>, new: &Index<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (name, a, b) in both(&old.records, &new.records) {
        let key = |r: &At<'_, Record>| r.item.key.as_ref().map(|k| k.name.clone());
        let mut changes = Vec::new();
        clauses::value(
            Aspect::Key,
            a.and_then(key).as_ref(),
            b.and_then(key).as_ref(),
            String::clone,
            &mut changes,
        );
        entry(
            Kind::Record,
            name.to_string(),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    for (name, a, b) in both(&old.enums, &new.enums) {
        entry(
            Kind::Enum,
            name.to_string(),
            a.map(|_| ()),
            b.map(|_| ()),
            Vec::new(),
            &mut out,
        );
    }
    for ((ty, field), a, b) in both(&old.fields, &new.fields) {
        let shown = |f: &At<'_, Field>| {
            let q = if f.item.optional { "?" } else { "" };
            format!("{}{q}", type_name(&f.item.ty))
        };
        let mut changes = Vec::new();
        clauses::value(
            Aspect::Type,
            a.map(shown).as_ref(),
            b.map(shown).as_ref(),
            String::clone,
            &mut changes,
        );
        let description = |f: &At<'_, Field>| f.item.description.clone();
        if a.is_some() && b.is_some() {
            clauses::value(
                Aspect::Description,
                a.and_then(description).as_ref(),
                b.and_then(description).as_ref(),
                String::clone,
                &mut changes,
            );
        }
        entry(
            Kind::Field,
            format!("{ty}.{field}"),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    for ((en, member), a, b) in both(&old.members, &new.members) {
        let mut changes = Vec::new();
        if a.is_some() && b.is_some() {
            clauses::value(
                Aspect::Description,
                a.and_then(|m| m.description.as_ref()),
                b.and_then(|m| m.description.as_ref()),
                String::clone,
                &mut changes,
            );
        }
        entry(
            Kind::Member,
            format!("{en}.{member}"),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    out.sort_by(|x, y| x.name.cmp(&y.name).then(x.kind.cmp(&y.kind)));
    out
}

/// One attribute of an instrument, as shown.
type Attribute = fn(&Instrument) -> Option<String>;

/// Instruments.
pub fn instruments(old: &Index<'_>, new: &Index<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (id, a, b) in both(&old.instruments, &new.instruments) {
        let mut changes = Vec::new();
        let get = |i: Option<&At<'_, Instrument>>, f: Attribute| i.and_then(|i| f(i.item));
        let fields: [(Aspect, Attribute); 5] = [
            (Aspect::Title, |i| Some(i.title.clone())),
            (Aspect::Short, |i| {
                Some(i.short.clone().unwrap_or_else(|| i.id.name.to_uppercase()))
            }),
            (Aspect::Url, |i| i.url.clone()),
            (Aspect::Version, |i| i.version.clone()),
            (Aspect::Status, |i| {
                i.status.as_ref().map(|s| s.name.clone())
            }),
        ];
        for (aspect, f) in fields {
            // An added or removed instrument is shown by its title.
            if (a.is_none() || b.is_none()) && aspect != Aspect::Title {
                continue;
            }
            clauses::value(
                aspect,
                get(a, f).as_ref(),
                get(b, f).as_ref(),
                String::clone,
                &mut changes,
            );
        }
        entry(
            Kind::Instrument,
            id.to_string(),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    out
}

/// Pack manifests.
pub fn packs(old: &Index<'_>, new: &Index<'_>) -> Vec<Entry> {
    let mut out = Vec::new();
    for (id, a, b) in both(&old.packs, &new.packs) {
        let mut changes = Vec::new();
        let version = |p: &At<'_, Pack>| p.item.version.as_ref().map(|v| v.0.clone());
        clauses::value(
            Aspect::Version,
            a.and_then(version).as_ref(),
            b.and_then(version).as_ref(),
            String::clone,
            &mut changes,
        );
        clauses::value(
            Aspect::InForce,
            a.and_then(|p| p.item.in_force.as_ref()),
            b.and_then(|p| p.item.in_force.as_ref()),
            in_force,
            &mut changes,
        );
        clauses::value(
            Aspect::Pending,
            a.and_then(|p| p.item.pending.as_ref().map(|x| &x.0)),
            b.and_then(|p| p.item.pending.as_ref().map(|x| &x.0)),
            String::clone,
            &mut changes,
        );
        let requires = |p: &At<'_, Pack>| -> BTreeSet<String> {
            p.item.requires.iter().map(|r| r.name.clone()).collect()
        };
        clauses::set(
            Aspect::Requires,
            a.map(requires),
            b.map(requires),
            ", ",
            &mut changes,
        );
        if a.is_some() && b.is_some() {
            let t = |p: Option<&At<'_, Pack>>| texts(p.and_then(|p| p.item.title.as_ref()));
            let (ta, tb) = (t(a), t(b));
            clauses::texts(Aspect::Title, None, (&ta, &ta), (&tb, &tb), &mut changes);
        }
        entry(
            Kind::Pack,
            id.to_string(),
            a.map(|_| ()),
            b.map(|_| ()),
            changes,
            &mut out,
        );
    }
    out
}
