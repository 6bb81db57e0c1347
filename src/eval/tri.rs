//! Three-valued (Kleene) logic over facts that may be missing.
//!
//! A condition is true, false, or unknown because named facts are missing. Unknown never
//! turns into false silently: `unknown and false` is false because the answer no longer
//! depends on the missing fact, `unknown and true` stays unknown and keeps its facts.

use crate::phrase::{fill, phrase};
use crate::time::Date;

/// Why a fact could not be used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gap {
    /// The declaration does not state it.
    Missing,
    /// A document is needed as evidence and none is given.
    EvidenceNeeded,
    /// The evidence given expired on that day.
    EvidenceExpired(Date),
    /// The value cannot be computed (an overflow, a division by zero): the rule's
    /// arithmetic fails on the declared values. The fact's path is then the place in the
    /// rule file, which no declaration can fill in.
    Invalid(&'static str),
}

/// A fact a decision waits for, by its declaration path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fact {
    /// Where it belongs in the declaration: `processing[hr].dpia.date`.
    pub path: String,
    /// What is wrong with it.
    pub gap: Gap,
}

impl Fact {
    /// A fact the declaration does not state.
    pub fn missing(path: String) -> Fact {
        Fact {
            path,
            gap: Gap::Missing,
        }
    }
}

impl Fact {
    /// What is wrong with the fact, in a report language.
    pub fn describe(&self, lang: &str) -> String {
        match &self.gap {
            Gap::Missing => fill(lang, "{} is not stated", &[&self.path]),
            Gap::EvidenceNeeded => fill(lang, "evidence needed: {}", &[&self.path]),
            Gap::EvidenceExpired(d) => fill(
                lang,
                "evidence needed: {} expired on {}",
                &[&self.path, &d.to_string()],
            ),
            Gap::Invalid(why) => fill(lang, "{}: {}", &[&self.path, phrase(lang, why)]),
        }
    }
}

/// A truth value that may be unknown, with the facts it waits for.
#[derive(Clone, Debug, PartialEq)]
pub enum Tri {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Depends on these facts.
    Unknown(Vec<Fact>),
}

impl Tri {
    /// From a boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// Kleene negation.
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u @ Tri::Unknown(_) => u,
        }
    }

    /// Kleene conjunction; false wins over unknown.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, x) | (x, Tri::True) => x,
            (Tri::Unknown(mut a), Tri::Unknown(b)) => {
                a.extend(b);
                Tri::Unknown(a)
            }
        }
    }

    /// Kleene disjunction; true wins over unknown.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, x) | (x, Tri::False) => x,
            (Tri::Unknown(mut a), Tri::Unknown(b)) => {
                a.extend(b);
                Tri::Unknown(a)
            }
        }
    }

    /// True only when definitely true.
    pub fn is_true(&self) -> bool {
        matches!(self, Tri::True)
    }

    /// True only when definitely false.
    pub fn is_false(&self) -> bool {
        matches!(self, Tri::False)
    }
}

/// Kleene "some item holds" over a sequence.
pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
    let mut gaps: Option<Vec<Fact>> = None;
    for t in items {
        match t {
            Tri::True => return Tri::True,
            Tri::False => {}
            Tri::Unknown(f) => gaps.get_or_insert_with(Vec::new).extend(f),
        }
    }
    gaps.map_or(Tri::False, Tri::Unknown)
}

/// Kleene "every item holds" over a sequence.
pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
    let mut gaps: Option<Vec<Fact>> = None;
    for t in items {
        match t {
            Tri::False => return Tri::False,
            Tri::True => {}
            Tri::Unknown(f) => gaps.get_or_insert_with(Vec::new).extend(f),
        }
    }
    gaps.map_or(Tri::True, Tri::Unknown)
}

/// How many items hold: between `lo` and `hi`, with the facts that would decide it.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// Items that certainly hold.
    pub lo: i64,
    /// Items that may hold.
    pub hi: i64,
    /// Facts the unknown items wait for.
    pub gaps: Vec<Fact>,
}

/// Counts the items that hold.
pub fn count(items: impl IntoIterator<Item = Tri>) -> Count {
    let mut c = Count {
        lo: 0,
        hi: 0,
        gaps: Vec::new(),
    };
    for t in items {
        match t {
            Tri::True => {
                c.lo = c.lo.saturating_add(1);
                c.hi = c.hi.saturating_add(1);
            }
            Tri::False => {}
            Tri::Unknown(f) => {
                c.hi = c.hi.saturating_add(1);
                c.gaps.extend(f);
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u() -> Tri {
        Tri::Unknown(vec![Fact::missing("x".into())])
    }

    const T: Tri = Tri::True;
    const F: Tri = Tri::False;

    #[test]
    fn negation_truth_table() {
        assert_eq!(T.negate(), F);
        assert_eq!(F.negate(), T);
        assert_eq!(u().negate(), u());
    }

    #[test]
    fn conjunction_truth_table() {
        let table = [
            (T, T, T),
            (T, F, F),
            (T, u(), u()),
            (F, T, F),
            (F, F, F),
            (F, u(), F),
            (u(), T, u()),
            (u(), F, F),
        ];
        for (a, b, want) in table {
            assert_eq!(a.clone().and(b.clone()), want, "{a:?} and {b:?}");
        }
        let both = u().and(Tri::Unknown(vec![Fact::missing("y".into())]));
        assert_eq!(
            both,
            Tri::Unknown(vec![Fact::missing("x".into()), Fact::missing("y".into())])
        );
    }

    #[test]
    fn disjunction_truth_table() {
        let table = [
            (T, T, T),
            (T, F, T),
            (T, u(), T),
            (F, T, T),
            (F, F, F),
            (F, u(), u()),
            (u(), T, T),
            (u(), F, u()),
        ];
        for (a, b, want) in table {
            assert_eq!(a.clone().or(b.clone()), want, "{a:?} or {b:?}");
        }
    }

    #[test]
    fn quantifiers_follow_kleene_logic() {
        assert_eq!(any([]), F);
        assert_eq!(all([]), T);
        assert_eq!(any([F, u(), T]), T);
        assert_eq!(any([F, u()]), u());
        assert_eq!(any([F, F]), F);
        assert_eq!(all([T, u(), F]), F);
        assert_eq!(all([T, u()]), u());
        assert_eq!(all([T, T]), T);
    }

    #[test]
    fn count_keeps_bounds_and_the_facts_behind_them() {
        let c = count([T, u(), F, T]);
        assert_eq!((c.lo, c.hi), (2, 3));
        assert_eq!(c.gaps, vec![Fact::missing("x".into())]);
        let known = count([T, F]);
        assert_eq!((known.lo, known.hi), (1, 1));
        assert!(known.gaps.is_empty());
    }
}
