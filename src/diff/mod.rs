//! `comply diff`: what a new version of a pack changes, and for whom.
//!
//! Two versions of one or more packs are compared on their syntax trees, never on their
//! text: spans stay out of equality (see [`crate::source::Span`]), local variables are
//! renamed to canonical names before comparing, and clauses and declarations are matched
//! whatever their order or file. Re-formatting, re-ordering, moving a declaration to
//! another file, renaming a `for` variable or writing out a default severity are therefore
//! not changes.
//!
//! 1. [`version`] reads each side and loads it with the packs it requires;
//! 2. [`compare`] lists obligations, predicates, shape, instruments and pack manifests
//!    added, removed or changed, each change as old → new with conditions as written;
//! 3. [`impact::impact`] evaluates both versions over a set of declarations and counts, per
//!    obligation, the organisations whose status changes: the figures of a regulatory
//!    impact assessment;
//! 4. [`human`], [`markdown`] and [`json`] render the result.

mod canon;
mod clauses;
pub mod human;
pub mod impact;
mod index;
mod items;
pub mod json;
pub mod markdown;
mod obligation;
mod prune;
#[cfg(test)]
mod tests;
pub mod version;

use serde::Serialize;

use index::Index;
use version::Version;

/// What an entry of the comparison is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A pack manifest.
    Pack,
    /// A legal instrument.
    Instrument,
    /// A record type.
    Record,
    /// An enum type.
    Enum,
    /// A field of a record, declared in it or added by `extend`.
    Field,
    /// A member of an enum, declared in it or added by `extend`.
    Member,
    /// A `define`.
    Predicate,
    /// An obligation.
    Obligation,
}

impl Kind {
    /// The word shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pack => "pack",
            Kind::Instrument => "instrument",
            Kind::Record => "record",
            Kind::Enum => "enum",
            Kind::Field => "field",
            Kind::Member => "member",
            Kind::Predicate => "predicate",
            Kind::Obligation => "obligation",
        }
    }
}

/// Whether an entry is new, gone or different.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with different meanings.
    Changed,
}

impl State {
    /// The word shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Added => "added",
            State::Removed => "removed",
            State::Changed => "changed",
        }
    }

    /// The sign in front of an entry: `+`, `-` or `~`.
    pub fn sign(self) -> char {
        match self {
            State::Added => '+',
            State::Removed => '-',
            State::Changed => '~',
        }
    }
}

/// What part of an entry a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// `for x in list`: one result per item.
    For,
    /// Severity (medium when not written).
    Severity,
    /// Citations, as `SHORT place`.
    Citation,
    /// `in_force from .. until ..`.
    InForce,
    /// `pending "reason"`.
    Pending,
    /// `depends on`.
    DependsOn,
    /// `overrides`.
    Overrides,
    /// One `applies when` clause.
    AppliesWhen,
    /// One `unless` clause.
    Unless,
    /// The `because` text of an `unless`.
    Because,
    /// One `require` clause.
    Require,
    /// The `else` message of a `require`.
    Else,
    /// A predicate the obligation uses, which changed.
    UsesPredicate,
    /// Title, per language.
    Title,
    /// Remedy, per language.
    Remedy,
    /// Tags, topic first.
    Tags,
    /// A pack's or an instrument's version.
    Version,
    /// Packs a pack requires.
    Requires,
    /// How citations name an instrument.
    Short,
    /// An instrument's address.
    Url,
    /// An instrument's status word.
    Status,
    /// The key field of a record.
    Key,
    /// A field's type, `?` when optional.
    Type,
    /// What a field or member means.
    Description,
    /// A predicate's parameters and result type.
    Signature,
    /// A predicate's body.
    Definition,
}

impl Aspect {
    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Aspect::For => "for",
            Aspect::Severity => "severity",
            Aspect::Citation => "citation",
            Aspect::InForce => "in force",
            Aspect::Pending => "pending",
            Aspect::DependsOn => "depends on",
            Aspect::Overrides => "overrides",
            Aspect::AppliesWhen => "applies when",
            Aspect::Unless => "unless",
            Aspect::Because => "because",
            Aspect::Require => "require",
            Aspect::Else => "else",
            Aspect::UsesPredicate => "uses predicate",
            Aspect::Title => "title",
            Aspect::Remedy => "remedy",
            Aspect::Tags => "tags",
            Aspect::Version => "version",
            Aspect::Requires => "requires",
            Aspect::Short => "short",
            Aspect::Url => "url",
            Aspect::Status => "status",
            Aspect::Key => "key",
            Aspect::Type => "type",
            Aspect::Description => "description",
            Aspect::Signature => "signature",
            Aspect::Definition => "definition",
        }
    }

    /// True when the values are prose (titles, messages, descriptions), shown quoted.
    pub fn is_prose(self) -> bool {
        matches!(
            self,
            Aspect::Because
                | Aspect::Else
                | Aspect::Title
                | Aspect::Remedy
                | Aspect::Pending
                | Aspect::Description
        )
    }
}

/// One difference inside an entry: `old` → `new`, as written. `old` is `None` for a clause
/// that was added, `new` for one that was removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub aspect: Aspect,
    /// The language of a text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// For a message (`else`, `because`): the condition it belongs to, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The old value; absent when added.
    pub old: Option<String>,
    /// The new value; absent when removed.
    pub new: Option<String>,
}

impl Change {
    /// A change of one aspect.
    pub fn new(aspect: Aspect, old: Option<String>, new: Option<String>) -> Change {
        Change {
            aspect,
            lang: None,
            clause: None,
            old,
            new,
        }
    }
}

/// One obligation, predicate, type, field, member, instrument or pack that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// What it is.
    pub kind: Kind,
    /// Its id or name; `Record.field` for a field, `Enum.member` for a member.
    pub name: String,
    /// Added, removed or changed.
    pub state: State,
    /// An obligation's title (of the new version when it has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For a changed entry, what changed; for an added or removed one, what it says.
    pub changes: Vec<Change>,
}

/// Everything that differs between two versions, each section sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Obligations.
    pub obligations: Vec<Entry>,
    /// Predicates and constants.
    pub predicates: Vec<Entry>,
    /// Records, enums, fields and members.
    pub shape: Vec<Entry>,
    /// Instruments.
    pub instruments: Vec<Entry>,
    /// Pack manifests.
    pub packs: Vec<Entry>,
}

impl Diff {
    /// True when the two versions mean the same.
    pub fn is_empty(&self) -> bool {
        self.sections().iter().all(|(_, s)| s.is_empty())
    }

    /// The sections with their names, in the order shown.
    pub fn sections(&self) -> [(&'static str, &[Entry]); 5] {
        [
            ("obligations", &self.obligations),
            ("predicates", &self.predicates),
            ("shape", &self.shape),
            ("instruments", &self.instruments),
            ("packs", &self.packs),
        ]
    }
}

/// How many entries of a section are in a state.
pub fn count(entries: &[Entry], state: State) -> usize {
    entries.iter().filter(|e| e.state == state).count()
}

/// Compares two versions; texts such as titles are picked in `lang`. Each section lists
/// the added entries, then the removed, then the changed ones, each group by name.
pub fn compare(old: &Version, new: &Version, lang: &str) -> Diff {
    let a = Index::new(old);
    let b = Index::new(new);
    let predicates = items::predicates(&a, &b);
    let affected = items::affected_predicates(&a, &b, &predicates);
    let grouped = |mut entries: Vec<Entry>| {
        entries.sort_by(|x, y| (x.state, &x.name, x.kind).cmp(&(y.state, &y.name, y.kind)));
        entries
    };
    Diff {
        obligations: grouped(obligation::compare_all(&a, &b, &affected, lang)),
        predicates: grouped(predicates),
        shape: grouped(items::shape(&a, &b)),
        instruments: grouped(items::instruments(&a, &b)),
        packs: grouped(items::packs(&a, &b)),
    }
}

/// What the renderers show: both versions, their differences and, when declarations were
/// given, the impact.
pub struct Report<'a> {
    /// The old version.
    pub old: &'a Version,
    /// The new version.
    pub new: &'a Version,
    /// The differences.
    pub diff: &'a Diff,
    /// Library packs left out of both versions.
    pub left_out: &'a [version::LeftOut],
    /// The impact, with the folder of declarations as given.
    pub impact: Option<(&'a impact::Impact, &'a str)>,
}

/// The state of an entry found on one side, the other or both, given its changes; `None`
/// when it is in both and nothing changed.
fn state_of<T>(old: Option<T>, new: Option<T>, changes: &[Change]) -> Option<State> {
    match (old, new) {
        (None, Some(_)) => Some(State::Added),
        (Some(_), None) => Some(State::Removed),
        (Some(_), Some(_)) if !changes.is_empty() => Some(State::Changed),
        _ => None,
    }
}
