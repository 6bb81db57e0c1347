//! Comparing lists of clauses whatever their order, and texts language by language.

use std::collections::{BTreeMap, BTreeSet};

use super::{Aspect, Change};

/// A clause as compared (`key`, canonical) and as shown (`shown`, as written), with its
/// message per language, compared canonical and shown as written.
pub struct Clause<K> {
    /// What decides equality.
    pub key: K,
    /// The condition as written.
    pub shown: String,
    /// The message per language, canonical.
    pub message: BTreeMap<String, String>,
    /// The message per language, as written.
    pub message_shown: BTreeMap<String, String>,
}

/// Which clauses of each side are not paired yet.
struct Matching {
    old_free: Vec<bool>,
    new_free: Vec<bool>,
}

impl Matching {
    /// Pairs each free new clause with the first free old one that is `same`, in the
    /// order written; returns the pairs `(old, new)`.
    fn pair<K>(
        &mut self,
        old: &[Clause<K>],
        new: &[Clause<K>],
        same: impl Fn(&Clause<K>, &Clause<K>) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for (j, n) in new.iter().enumerate() {
            if !self.new_free.get(j).copied().unwrap_or(false) {
                continue;
            }
            let free = &self.old_free;
            let hit = old
                .iter()
                .enumerate()
                .position(|(i, o)| free.get(i).copied().unwrap_or(false) && same(o, n));
            if let Some(i) = hit {
                for slot in [self.old_free.get_mut(i), self.new_free.get_mut(j)]
                    .into_iter()
                    .flatten()
                {
                    *slot = false;
                }
                found.push((i, j));
            }
        }
        found
    }
}

/// Compares two lists of clauses as multisets.
///
/// Clauses equal in condition and message match first; then clauses with the same
/// condition, whose message changed; then the remaining ones pair in the order written,
/// as a condition that changed; what is left was added or removed.
pub fn compare<K: PartialEq>(
    aspect: Aspect,
    message: Aspect,
    old: &[Clause<K>],
    new: &[Clause<K>],
    out: &mut Vec<Change>,
) {
    let mut m = Matching {
        old_free: vec![true; old.len()],
        new_free: vec![true; new.len()],
    };
    m.pair(old, new, |o, n| o.key == n.key && o.message == n.message);
    let mut pairs = m.pair(old, new, |o, n| o.key == n.key);
    pairs.extend(m.pair(old, new, |_, _| true));
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        let (Some(o), Some(n)) = (old.get(i), new.get(j)) else {
            continue;
        };
        if o.key != n.key {
            out.push(Change::new(
                aspect,
                Some(o.shown.clone()),
                Some(n.shown.clone()),
            ));
        }
        texts(
            message,
            Some(&n.shown),
            (&o.message, &o.message_shown),
            (&n.message, &n.message_shown),
            out,
        );
    }
    for (o, _) in old.iter().zip(&m.old_free).filter(|(_, free)| **free) {
        out.push(Change::new(aspect, Some(o.shown.clone()), None));
    }
    for (n, _) in new.iter().zip(&m.new_free).filter(|(_, free)| **free) {
        out.push(Change::new(aspect, None, Some(n.shown.clone())));
    }
}

/// A text compared language by language: `(canonical, as written)` on each side.
pub fn texts(
    aspect: Aspect,
    clause: Option<&str>,
    old: (&BTreeMap<String, String>, &BTreeMap<String, String>),
    new: (&BTreeMap<String, String>, &BTreeMap<String, String>),
    out: &mut Vec<Change>,
) {
    let langs: BTreeSet<&String> = old.0.keys().chain(new.0.keys()).collect();
    // English first, then the others in alphabetical order.
    let mut langs: Vec<&String> = langs.into_iter().collect();
    langs.sort_by_key(|l| (l.as_str() != "en", l.as_str()));
    for lang in langs {
        if old.0.get(lang) == new.0.get(lang) {
            continue;
        }
        out.push(Change {
            aspect,
            lang: Some(lang.clone()),
            clause: clause.map(str::to_string),
            old: old.1.get(lang).cloned(),
            new: new.1.get(lang).cloned(),
        });
    }
}

/// A single value compared; equal values give no change.
pub fn value<T: PartialEq>(
    aspect: Aspect,
    old: Option<&T>,
    new: Option<&T>,
    show: impl Fn(&T) -> String,
    out: &mut Vec<Change>,
) {
    if old != new {
        out.push(Change::new(aspect, old.map(&show), new.map(&show)));
    }
}

/// A set compared as a whole, shown joined by `sep`; an empty set shows as nothing.
pub fn set(
    aspect: Aspect,
    old: Option<BTreeSet<String>>,
    new: Option<BTreeSet<String>>,
    sep: &str,
    out: &mut Vec<Change>,
) {
    if old == new {
        return;
    }
    let show = |s: Option<BTreeSet<String>>| {
        s.filter(|s| !s.is_empty())
            .map(|s| s.into_iter().collect::<Vec<_>>().join(sep))
    };
    let (o, n) = (show(old), show(new));
    if o.is_some() || n.is_some() {
        out.push(Change::new(aspect, o, n));
    }
}
