//! Verdicts: the six statuses and what each result says about itself.

use std::fmt;
use std::sync::Arc;

use super::tri::{Fact, Gap, Tri};
use crate::phrase::fill;
use crate::source::Span;
use crate::time::Date;
use crate::waiver::WaiverUse;

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
///
/// Most results of a large declaration are not applicable, for one of a few reasons per
/// obligation: the texts are shared, not copied into every result.
#[derive(Clone, Debug, PartialEq)]
pub enum NotApplicable {
    /// Its pack or itself is not yet in force.
    NotYetInForce(Date),
    /// It is no longer in force.
    NoLongerInForce(Date),
    /// It awaits an implementing text.
    Pending(Arc<str>),
    /// An `applies when` condition is false; its text.
    ConditionFalse(Arc<str>),
    /// An `unless` holds; the exemption's name.
    Exempted(Arc<str>),
    /// A more specific obligation applies instead.
    Superseded(Arc<str>),
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
            NotApplicable::Pending(why) => fill(lang, "pending: {}", &[why.as_ref()]),
            NotApplicable::ConditionFalse(c) => fill(lang, "condition not met: {}", &[c.as_ref()]),
            NotApplicable::Exempted(why) => fill(lang, "exempted: {}", &[why.as_ref()]),
            NotApplicable::Superseded(by) => fill(lang, "superseded by {}", &[by.as_ref()]),
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
///
/// A declaration of 100,000 items has over a million results, all held until the report
/// is built, so a result is kept small: what every result has is inline, and what only
/// some have (reasons, missing facts, causes, clauses, a waiver) sits behind one box,
/// which most results (not applicable, satisfied) do without.
#[derive(Clone, Debug)]
pub struct ItemResult {
    /// Index of the obligation.
    pub obligation: usize,
    /// The item's key, for a per-item obligation.
    pub item: Option<Arc<str>>,
    /// The item's declaration path.
    pub path: Option<Arc<str>>,
    /// Where the item is written in the declaration.
    pub span: Option<Span>,
    /// The verdict.
    pub status: Status,
    /// Why it does not apply.
    pub not_applicable: Option<NotApplicable>,
    /// Whether it applies; the facts it waits for, when unknown, are in `details`.
    applies: Applies,
    /// Index of the `unless` clause that exempted it; a `u32` fits beside `status` and
    /// `applies`, where a `usize` would make every result a word longer.
    exemption: Option<u32>,
    details: Option<Box<Details>>,
}

/// Whether a result applies, without the facts an unknown waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Applies {
    True,
    False,
    Unknown,
}

/// The parts of a result that only some results have.
#[derive(Clone, Debug, Default)]
struct Details {
    /// The facts its applicability waits for, when unknown.
    applies_gaps: Vec<Fact>,
    reasons: Vec<String>,
    gaps: Vec<Fact>,
    blocked_by: Vec<Cause>,
    failed_requires: Vec<usize>,
    unknown_requires: Vec<usize>,
    waiver: Option<WaiverUse>,
    upstream: Vec<Cause>,
    /// Its evaluation was cut short by the budget of expressions.
    stopped: bool,
}

impl ItemResult {
    /// A result that does not apply (until decided otherwise), for an obligation and the
    /// item it ranges over, if any.
    pub(crate) fn new(obligation: usize, item: Option<&crate::decl::value::Record>) -> ItemResult {
        ItemResult {
            obligation,
            item: item.and_then(|r| r.key.clone()),
            path: item.map(|r| r.path.clone()),
            span: item.map(|r| r.span),
            status: Status::NotApplicable,
            not_applicable: None,
            applies: Applies::False,
            exemption: None,
            details: None,
        }
    }

    /// Whether it applies, as far as known.
    pub fn applies(&self) -> Tri {
        match self.applies {
            Applies::True => Tri::True,
            Applies::False => Tri::False,
            Applies::Unknown => Tri::Unknown(
                self.details
                    .as_ref()
                    .map(|d| d.applies_gaps.clone())
                    .unwrap_or_default(),
            ),
        }
    }

    /// True when it certainly applies.
    pub fn surely_applies(&self) -> bool {
        self.applies == Applies::True
    }

    /// False only when it certainly does not apply.
    pub fn may_apply(&self) -> bool {
        self.applies != Applies::False
    }

    /// Failing requirements' messages and other explanations.
    pub fn reasons(&self) -> &[String] {
        self.details.as_ref().map_or(&[], |d| &d.reasons)
    }

    /// Facts to fill in or documents to supply.
    pub fn gaps(&self) -> &[Fact] {
        self.details.as_ref().map_or(&[], |d| &d.gaps)
    }

    /// Root causes of a blocked result.
    pub fn blocked_by(&self) -> &[Cause] {
        self.details.as_ref().map_or(&[], |d| &d.blocked_by)
    }

    /// Indices of the `require` clauses found false.
    pub fn failed_requires(&self) -> &[usize] {
        self.details.as_ref().map_or(&[], |d| &d.failed_requires)
    }

    /// Indices of the `require` clauses left undecided (missing facts or evidence).
    pub fn unknown_requires(&self) -> &[usize] {
        self.details.as_ref().map_or(&[], |d| &d.unknown_requires)
    }

    /// Index of the `unless` clause that exempted it.
    pub fn exemption(&self) -> Option<usize> {
        self.exemption.and_then(|i| usize::try_from(i).ok())
    }

    /// The waiver that matched this failing result: in force, it made the result waived;
    /// expired, it waived nothing.
    pub fn waiver(&self) -> Option<WaiverUse> {
        self.details.as_ref().and_then(|d| d.waiver)
    }

    /// For a violated result, the root causes among its own prerequisites: what would
    /// block it if its requirements held. Not reported; a result that depends on this one
    /// is blocked by these roots rather than by this result, since the roots are where
    /// the chain of unmet prerequisites starts.
    pub fn upstream(&self) -> &[Cause] {
        self.details.as_ref().map_or(&[], |d| &d.upstream)
    }

    /// True when deciding it took more expressions than a result may (see
    /// [`super::budget`]): it is unknown, whatever its clauses would say.
    pub fn stopped(&self) -> bool {
        self.details.as_ref().is_some_and(|d| d.stopped)
    }

    /// The declaration paths to fill in, sorted and without repeats. A value the rules
    /// could not compute is a reason, not a fact to declare.
    pub fn missing(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .gaps()
            .iter()
            .filter(|g| !matches!(g.gap, Gap::Invalid(_)))
            .map(|g| g.path.clone())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    /// Records whether it applies.
    pub(super) fn set_applies(&mut self, applies: Tri) {
        let gaps = match applies {
            Tri::True => {
                self.applies = Applies::True;
                Vec::new()
            }
            Tri::False => {
                self.applies = Applies::False;
                Vec::new()
            }
            Tri::Unknown(gaps) => {
                self.applies = Applies::Unknown;
                gaps
            }
        };
        if !gaps.is_empty() || self.details.is_some() {
            self.details_mut().applies_gaps = gaps;
        }
    }

    /// The reasons, to add to.
    pub(super) fn reasons_mut(&mut self) -> &mut Vec<String> {
        &mut self.details_mut().reasons
    }

    /// The facts to fill in, to add to.
    pub(super) fn gaps_mut(&mut self) -> &mut Vec<Fact> {
        &mut self.details_mut().gaps
    }

    pub(super) fn set_blocked_by(&mut self, causes: Vec<Cause>) {
        self.details_mut().blocked_by = causes;
    }

    pub(super) fn set_upstream(&mut self, causes: Vec<Cause>) {
        if !causes.is_empty() {
            self.details_mut().upstream = causes;
        }
    }

    pub(super) fn failed_require(&mut self, clause: usize) {
        self.details_mut().failed_requires.push(clause);
    }

    pub(super) fn unknown_require(&mut self, clause: usize) {
        self.details_mut().unknown_requires.push(clause);
    }

    /// Records the `unless` clause that exempts it. The index always fits in a `u32`: the
    /// size of a rule file is limited far below four billion clauses.
    pub(super) fn set_exemption(&mut self, clause: usize) {
        self.exemption = u32::try_from(clause).ok();
    }

    pub(super) fn set_waiver(&mut self, waiver: WaiverUse) {
        self.details_mut().waiver = Some(waiver);
    }

    /// Records that deciding it was cut short after `steps` expressions: it is unknown,
    /// and what its clauses gave before the cut is dropped, since it may be wrong.
    pub(super) fn stop(&mut self, steps: u64, lang: &str) {
        self.status = Status::Unknown;
        self.not_applicable = None;
        self.applies = Applies::Unknown;
        self.exemption = None;
        self.details = Some(Box::new(Details {
            reasons: vec![fill(
                lang,
                "evaluation stopped after {} expressions",
                &[&steps.to_string()],
            )],
            stopped: true,
            ..Details::default()
        }));
    }

    fn details_mut(&mut self) -> &mut Details {
        self.details.get_or_insert_with(Box::default)
    }
}
