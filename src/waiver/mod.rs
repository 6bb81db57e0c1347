//! Waivers: accepted exceptions, shared by every command that evaluates.
//!
//! A waiver file lists obligations (optionally one item of them) whose failing result is
//! accepted for a while, with a justification, the person who approved it and an expiry
//! date:
//!
//! ```yaml
//! waivers:
//!   - id: dp.dpo
//!     justification: A DPO is being recruited; interim contact is the CISO
//!     approved_by: Board resolution 2026/14
//!     expires: 2027-01-31
//!   - id: dp.dpia
//!     item: behavioural-profiling
//!     justification: DPIA in progress with an external assessor
//!     approved_by: Jane Doe, DPO
//!     expires: 2026-12-15
//! ```
//!
//! The evaluator consults the waivers as it decides each result
//! ([`crate::eval::evaluate_with`]): a violated, blocked or unknown result covered by a
//! waiver in force becomes `waived` — still shown, with the justification — and the
//! obligations that depend on it see a waived prerequisite as met. An expired waiver waives
//! nothing. After evaluation, [`Waivers::review`] says which waivers were used, which have
//! expired, which matched nothing and which expire within [`EXPIRY_WARNING_DAYS`] days.

use serde::Serialize;

use crate::decl::node::{Key, Node, NodeKind};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::eval::status::Status;
use crate::program::Program;
use crate::source::{SourceFile, Span};
use crate::time::Date;

/// A waiver expiring within this many days of the evaluation date is flagged.
pub const EXPIRY_WARNING_DAYS: i32 = 30;

/// The fields of one waiver, in the order they are documented.
const FIELDS: [&str; 5] = ["id", "item", "justification", "approved_by", "expires"];

/// One accepted exception.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// The obligation id it covers.
    pub id: String,
    /// The item key it covers; every item of the obligation when left out.
    pub item: Option<String>,
    /// Why the exception is accepted.
    pub justification: String,
    /// Who accepted it.
    pub approved_by: String,
    /// The last day it is in force.
    pub expires: Date,
    /// Where the entry is written.
    pub span: Span,
    /// Where its expiry date is written.
    pub expires_span: Span,
}

impl Waiver {
    /// `id` or `id[item]`.
    pub fn name(&self) -> String {
        crate::report::item_name(&self.id, self.item.as_deref())
    }

    /// True when it still waives on `as_of`: the expiry day itself is included.
    pub fn in_force(&self, as_of: Date) -> bool {
        as_of <= self.expires
    }

    /// Days from `as_of` to the expiry date (negative once expired).
    pub fn days_left(&self, as_of: Date) -> i32 {
        self.expires.days() - as_of.days()
    }
}

/// A waiver that matched a failing result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiverUse {
    /// Index in [`Waivers::entries`].
    pub index: usize,
    /// False for an expired waiver, which waives nothing.
    pub in_force: bool,
    /// The status the result had before the waiver.
    pub was: Status,
}

/// The waivers of one run: none, or those of one file.
#[derive(Clone, Debug, Default)]
pub struct Waivers {
    file: Option<SourceFile>,
    entries: Vec<Waiver>,
}

impl Waivers {
    /// No waivers at all.
    pub fn none() -> Waivers {
        Waivers::default()
    }

    /// The waivers, in file order.
    pub fn entries(&self) -> &[Waiver] {
        &self.entries
    }

    /// The file they were read from.
    pub fn file(&self) -> Option<&SourceFile> {
        self.file.as_ref()
    }

    /// One waiver by index.
    pub fn get(&self, index: usize) -> Option<&Waiver> {
        self.entries.get(index)
    }

    /// Reads a waiver file (YAML or JSON); every problem is reported at once, with its
    /// place in the file. Obligation ids must name loaded obligations.
    pub fn parse(file: SourceFile, program: &Program) -> Result<Waivers, Diagnostics> {
        let node = if crate::decl::load::is_json(file.name()) {
            crate::decl::json::parse_json(&file)
        } else {
            crate::decl::yaml::parse_yaml(&file)
        }
        .map_err(Diagnostics::from)?;
        let mut reader = Reader {
            file: &file,
            program,
            diags: Diagnostics::new(),
        };
        let entries = reader.document(&node);
        if reader.diags.has_errors() {
            return Err(reader.diags);
        }
        Ok(Waivers {
            file: Some(file),
            entries,
        })
    }

    /// The waiver covering a failing result of `obligation` for `item`: one naming the item
    /// is preferred to one covering every item, one in force to an expired one.
    pub fn lookup(&self, obligation: &str, item: Option<&str>, as_of: Date) -> Option<WaiverUse> {
        let matching = |specific: bool| {
            self.entries.iter().enumerate().filter(move |(_, w)| {
                w.id == obligation
                    && match (&w.item, item) {
                        (Some(wi), Some(i)) => specific && wi == i,
                        (None, _) => !specific,
                        (Some(_), None) => false,
                    }
            })
        };
        let all: Vec<(usize, &Waiver)> = matching(true).chain(matching(false)).collect();
        all.iter()
            .find(|(_, w)| w.in_force(as_of))
            .or_else(|| all.first())
            .map(|(index, w)| WaiverUse {
                index: *index,
                in_force: w.in_force(as_of),
                was: Status::Violated,
            })
    }

    /// What became of each waiver over one or more evaluations at `as_of`, from the
    /// waivers their results name ([`crate::eval::status::ItemResult::waiver`]).
    pub fn review(&self, uses: impl IntoIterator<Item = WaiverUse>, as_of: Date) -> Review {
        let mut used = vec![0usize; self.entries.len()];
        let mut blocked_by_expiry = vec![0usize; self.entries.len()];
        for u in uses {
            let counter = if u.in_force {
                &mut used
            } else {
                &mut blocked_by_expiry
            };
            if let Some(n) = counter.get_mut(u.index) {
                *n += 1;
            }
        }
        let mut review = Review::default();
        for (index, w) in self.entries.iter().enumerate() {
            let applied = used.get(index).copied().unwrap_or(0);
            let note = WaiverNote {
                id: w.id.clone(),
                item: w.item.clone(),
                expires: w.expires.to_string(),
                approved_by: w.approved_by.clone(),
                line: self.line(w.span),
                results: applied,
            };
            if !w.in_force(as_of) {
                review.expired.push(WaiverNote {
                    results: blocked_by_expiry.get(index).copied().unwrap_or(0),
                    ..note
                });
                continue;
            }
            review.applied += applied;
            if applied == 0 {
                review.unused.push(note.clone());
            }
            if w.days_left(as_of) <= EXPIRY_WARNING_DAYS {
                review.expiring.push(note);
            }
        }
        review
    }

    /// The warnings a review calls for, pointing into the waiver file.
    pub fn warnings(&self, review: &Review, as_of: Date) -> Diagnostics {
        let mut out = Diagnostics::new();
        let find = |n: &WaiverNote| {
            self.entries
                .iter()
                .find(|w| w.id == n.id && w.item == n.item && w.expires.to_string() == n.expires)
        };
        let mut warn = |w: &Waiver, code: Code, message: String, label: &str, help: String| {
            let mut d = Diagnostic::warning(code, message)
                .label(w.expires_span, label)
                .help(help);
            if let Some(f) = &self.file {
                d = d.in_file(f);
            }
            out.push(d);
        };
        for n in &review.expired {
            if let Some(w) = find(n) {
                let what = if n.results > 0 {
                    format!("; {} failing result(s) it names count again", n.results)
                } else {
                    String::new()
                };
                warn(
                    w,
                    Code::WaiverExpired,
                    format!("the waiver of `{}` expired on {}", w.name(), w.expires),
                    "expired",
                    format!("it waives nothing{what}: fix the finding, or renew the waiver with a new approval and date"),
                );
            }
        }
        for n in &review.unused {
            if let Some(w) = find(n) {
                warn(
                    w,
                    Code::WaiverUnused,
                    format!("the waiver of `{}` matches no failing result", w.name()),
                    "waives nothing",
                    "the obligation is met, not applicable or not checked: remove the waiver, or check its id and item".to_string(),
                );
            }
        }
        for n in &review.expiring {
            if let Some(w) = find(n) {
                let days = w.days_left(as_of);
                warn(
                    w,
                    Code::WaiverExpiring,
                    format!(
                        "the waiver of `{}` expires on {} ({days} day{} left)",
                        w.name(),
                        w.expires,
                        if days == 1 { "" } else { "s" }
                    ),
                    "expires soon",
                    "fix the finding before then, or have the waiver renewed".to_string(),
                );
            }
        }
        out
    }

    fn line(&self, span: Span) -> Option<usize> {
        self.file.as_ref().map(|f| f.line_col(span.start).0)
    }
}

/// A waiver as a report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WaiverNote {
    /// Obligation id.
    pub id: String,
    /// Item key, null for every item.
    pub item: Option<String>,
    /// Last day in force.
    pub expires: String,
    /// Who approved it.
    pub approved_by: String,
    /// One-based line of the entry in the waiver file.
    pub line: Option<usize>,
    /// Results it waived (or, expired, would have waived).
    pub results: usize,
}

/// What became of the waivers of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Results waived.
    pub applied: usize,
    /// Waivers past their expiry date: they waive nothing.
    pub expired: Vec<WaiverNote>,
    /// Waivers in force that matched no failing result.
    pub unused: Vec<WaiverNote>,
    /// Waivers in force that expire within 30 days.
    pub expiring: Vec<WaiverNote>,
}

struct Reader<'a> {
    file: &'a SourceFile,
    program: &'a Program,
    diags: Diagnostics,
}

const FILE_HELP: &str = "a waiver file is a mapping with a `waivers` list; each waiver has \
    `id`, optional `item`, `justification`, `approved_by` and `expires` (YYYY-MM-DD)";

impl Reader<'_> {
    fn error(&mut self, message: String, span: Span, label: &str, help: impl Into<String>) {
        self.diags.push(
            Diagnostic::error(Code::WaiverInvalid, message)
                .in_file(self.file)
                .label(span, label)
                .help(help),
        );
    }

    fn document(&mut self, node: &Node) -> Vec<Waiver> {
        let list = match &node.kind {
            NodeKind::Seq(items) => items.as_slice(),
            NodeKind::Map(entries) => {
                let mut list: &[Node] = &[];
                for (k, v) in entries {
                    match (k.name.as_str(), &v.kind) {
                        ("waivers", NodeKind::Seq(items)) => list = items.as_slice(),
                        ("waivers", NodeKind::Null) => {}
                        ("waivers", _) => self.error(
                            format!("`waivers` is a list, found {}", v.kind_name()),
                            v.span,
                            "expected a list of waivers",
                            FILE_HELP,
                        ),
                        (other, _) => self.error(
                            format!("unknown key `{other}` in the waiver file"),
                            k.span,
                            "not a waiver file key",
                            did_you_mean(other, ["waivers"]),
                        ),
                    }
                }
                list
            }
            NodeKind::Null => &[],
            _ => {
                self.error(
                    format!("a waiver file is a mapping, found {}", node.kind_name()),
                    node.span,
                    "expected `waivers:` and a list",
                    FILE_HELP,
                );
                &[]
            }
        };
        let mut out: Vec<Waiver> = Vec::new();
        for item in list {
            if let Some(w) = self.waiver(item) {
                if let Some(first) = out.iter().find(|o| o.id == w.id && o.item == w.item) {
                    let first_span = first.span;
                    self.diags.push(
                        Diagnostic::error(
                            Code::WaiverInvalid,
                            format!("two waivers of `{}`", w.name()),
                        )
                        .in_file(self.file)
                        .label(w.span, "second waiver")
                        .label(first_span, "first waiver")
                        .help(
                            "keep one waiver per obligation and item; merge their justifications",
                        ),
                    );
                    continue;
                }
                out.push(w);
            }
        }
        out
    }

    fn text(&mut self, key: &Key, v: &Node) -> Option<String> {
        match &v.kind {
            NodeKind::Str(s) if !s.trim().is_empty() => Some(s.clone()),
            NodeKind::Str(_) => {
                self.error(
                    format!("`{}` is empty", key.name),
                    v.span,
                    "empty text",
                    "a waiver is accountable: say why, and who approved it",
                );
                None
            }
            NodeKind::Int(n) if key.name == "item" => Some(n.to_string()),
            _ => {
                self.error(
                    format!(
                        "expected a text for `{}`, found {}",
                        key.name,
                        v.kind_name()
                    ),
                    v.span,
                    format!("this is {}", v.kind_name()).as_str(),
                    FILE_HELP,
                );
                None
            }
        }
    }

    fn waiver(&mut self, node: &Node) -> Option<Waiver> {
        let NodeKind::Map(entries) = &node.kind else {
            self.error(
                format!("a waiver is a mapping, found {}", node.kind_name()),
                node.span,
                "expected `id`, `justification`, `approved_by` and `expires`",
                FILE_HELP,
            );
            return None;
        };
        let mut id: Option<(String, Span)> = None;
        let mut item = None;
        let mut justification = None;
        let mut approved_by = None;
        let mut expires: Option<(Date, Span)> = None;
        let mut ok = true;
        for (k, v) in entries {
            match k.name.as_str() {
                "id" => id = self.text(k, v).map(|s| (s, v.span)),
                "item" => {
                    if !matches!(v.kind, NodeKind::Null) {
                        item = self.text(k, v);
                        ok &= item.is_some();
                    }
                }
                "justification" => justification = self.text(k, v),
                "approved_by" => approved_by = self.text(k, v),
                "expires" => {
                    let date = match &v.kind {
                        NodeKind::Str(s) => Date::parse(s),
                        _ => None,
                    };
                    match date {
                        Some(d) => expires = Some((d, v.span)),
                        None => {
                            self.error(
                                "invalid expiry date".to_string(),
                                v.span,
                                "not a date",
                                "write the last day the waiver is in force as YYYY-MM-DD, e.g. 2027-01-31",
                            );
                            ok = false;
                        }
                    }
                }
                other => {
                    self.error(
                        format!("unknown field `{other}` in a waiver"),
                        k.span,
                        "not a waiver field",
                        did_you_mean(other, FIELDS),
                    );
                    ok = false;
                }
            }
        }
        let mut missing = Vec::new();
        if id.is_none() {
            missing.push("id");
        }
        if justification.is_none() {
            missing.push("justification");
        }
        if approved_by.is_none() {
            missing.push("approved_by");
        }
        if expires.is_none() && ok {
            missing.push("expires");
        }
        let unstated: Vec<&str> = missing
            .iter()
            .copied()
            .filter(|m| !entries.iter().any(|(k, _)| k.name == *m))
            .collect();
        if !unstated.is_empty() {
            self.error(
                format!("a waiver without {}", quote(&unstated)),
                entries.first().map_or(node.span, |(k, _)| k.span),
                "this waiver",
                "every waiver says what it covers (`id`), why (`justification`), who accepted it \
                 (`approved_by`) and until when (`expires`)",
            );
        }
        let (id, id_span) = id?;
        if self.program.obligation(&id).is_none() {
            let ids = self.program.by_id.keys().map(String::as_str);
            self.error(
                format!("unknown obligation `{id}`"),
                id_span,
                "no loaded pack has this obligation",
                did_you_mean(&id, ids),
            );
            return None;
        }
        let (expires, expires_span) = expires?;
        if !ok {
            return None;
        }
        Some(Waiver {
            id,
            item,
            justification: justification?,
            approved_by: approved_by?,
            expires,
            span: node.span,
            expires_span,
        })
    }
}

fn quote(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver(id: &str, item: Option<&str>, expires: &str) -> Waiver {
        Waiver {
            id: id.to_string(),
            item: item.map(str::to_string),
            justification: "because".to_string(),
            approved_by: "someone".to_string(),
            expires: Date::parse(expires).unwrap(),
            span: Span::default(),
            expires_span: Span::default(),
        }
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_expiry_day_is_still_in_force() {
        let w = waiver("a.b", None, "2026-12-31");
        assert!(w.in_force(date("2026-12-31")));
        assert!(!w.in_force(date("2027-01-01")));
        assert_eq!(w.days_left(date("2026-12-01")), 30);
    }

    #[test]
    fn lookup_prefers_the_item_and_a_waiver_in_force() {
        let ws = Waivers {
            file: None,
            entries: vec![
                waiver("a.b", None, "2027-01-01"),
                waiver("a.b", Some("x"), "2026-01-01"),
                waiver("a.b", Some("y"), "2027-01-01"),
            ],
        };
        let today = date("2026-11-23");
        // The item's own waiver has expired: the one for every item still holds.
        let found = ws.lookup("a.b", Some("x"), today).unwrap();
        assert_eq!((found.index, found.in_force), (0, true));
        assert_eq!(ws.lookup("a.b", Some("y"), today).unwrap().index, 2);
        assert_eq!(ws.lookup("a.b", None, today).unwrap().index, 0);
        assert!(ws.lookup("a.c", None, today).is_none());
        let only_expired = Waivers {
            file: None,
            entries: vec![waiver("a.b", Some("x"), "2026-01-01")],
        };
        let found = only_expired.lookup("a.b", Some("x"), today).unwrap();
        assert!(!found.in_force);
        assert!(only_expired.lookup("a.b", Some("z"), today).is_none());
    }
}
