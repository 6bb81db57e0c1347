//! Verdicts: the six statuses and what each result says about itself.

use std::fmt;

use super::tri::{Fact, Tri};
use crate::phrase::fill;
use crate::source::Span;
use crate::time::Date;

/// The verdict on one obligation for one item (or the organisation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It applies and every requirement holds.
    Satisfied,
    /// It applies and a requirement is false.
    Violated,
    /// A fact needed to decide is missing.
    Unknown,
    /// It does not apply.
    NotApplicable,
    /// Its requirements hold but a prerequisite is not satisfied.
    Blocked,
    /// It would fail, but a valid waiver covers it.
    Waived,
}

impl Status {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Violated => "violated",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
            Status::Blocked => "blocked",
            Status::Waived => "waived",
        }
    }

    /// All statuses, in report order.
    pub const ALL: [Status; 6] = [
        Status::Satisfied,
        Status::Violated,
        Status::Unknown,
        Status::NotApplicable,
        Status::Blocked,
        Status::Waived,
    ];

    /// True for results that call for action.
    pub fn is_failing(self) -> bool {
        matches!(self, Status::Violated | Status::Unknown | Status::Blocked)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an obligation does not apply.
#[derive(Clone, Debug, PartialEq)]
pub enum NotApplicable {
    /// Its pack or itself is not yet in force.
    NotYetInForce(Date),
    /// It is no longer in force.
    NoLongerInForce(Date),
    /// It awaits an implementing text.
    Pending(String),
    /// An `applies when` condition is false; its text.
    ConditionFalse(String),
    /// An `unless` holds; the exemption's name.
    Exempted(String),
    /// A more specific obligation applies instead.
    Superseded(String),
}

impl NotApplicable {
    /// Why it does not apply, in a report language.
    pub fn describe(&self, lang: &str) -> String {
        match self {
            NotApplicable::NotYetInForce(d) => {
                fill(lang, "not in force until {}", &[&d.to_string()])
            }
            NotApplicable::NoLongerInForce(d) => {
                fill(lang, "no longer in force since {}", &[&d.to_string()])
            }
            NotApplicable::Pending(why) => fill(lang, "pending: {}", &[why]),
            NotApplicable::ConditionFalse(c) => fill(lang, "condition not met: {}", &[c]),
            NotApplicable::Exempted(why) => fill(lang, "exempted: {}", &[why]),
            NotApplicable::Superseded(by) => fill(lang, "superseded by {}", &[by]),
        }
    }
}

/// The obligation at the root of a blocked result.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cause {
    /// Its id.
    pub obligation: String,
    /// Its item, for a per-item obligation.
    pub item: Option<String>,
    /// Its status (violated or unknown).
    pub status: Status,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "{} [{item}] ({})", self.obligation, self.status),
            None => write!(f, "{} ({})", self.obligation, self.status),
        }
    }
}

/// One result: an obligation's verdict for one item, with its reasons.
#[derive(Clone, Debug)]
pub struct ItemResult {
    /// Index of the obligation.
    pub obligation: usize,
    /// The item's key, for a per-item obligation.
    pub item: Option<std::sync::Arc<str>>,
    /// The item's declaration path.
    pub path: Option<std::sync::Arc<str>>,
    /// Where the item is written in the declaration.
    pub span: Option<Span>,
    /// The verdict.
    pub status: Status,
    /// Whether it applies, as far as known.
    pub applies: Tri,
    /// Failing requirements' messages and other explanations.
    pub reasons: Vec<String>,
    /// Facts to fill in or documents to supply.
    pub gaps: Vec<Fact>,
    /// Root causes of a blocked result.
    pub blocked_by: Vec<Cause>,
    /// Why it does not apply.
    pub not_applicable: Option<NotApplicable>,
    /// Indices of the `require` clauses found false.
    pub failed_requires: Vec<usize>,
    /// Indices of the `require` clauses left undecided (missing facts or evidence).
    pub unknown_requires: Vec<usize>,
    /// Index of the `unless` clause that exempted it.
    pub exemption: Option<usize>,
    /// The waiver that matched this failing result: in force, it made the result waived;
    /// expired, it waived nothing.
    pub waiver: Option<crate::waiver::WaiverUse>,
    /// mirror stub
    pub upstream: Vec<Cause>,
}

impl ItemResult {
    /// The declaration paths to fill in, sorted and without repeats.
    pub fn missing(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.gaps.iter().map(|g| g.path.clone()).collect();
        paths.sort();
        paths.dedup();
        paths
    }
}
