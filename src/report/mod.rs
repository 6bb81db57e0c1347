//! Reports: what a run found, as data (the JSON report, version 1) and as text.
//!
//! The report is an audit receipt: it names the tool version, the evaluation date and a
//! digest of every pack, so a verdict can be reproduced later.

mod build;
pub mod catalogue;
pub mod explain;
pub mod finding;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod oscal;
pub mod plan;
pub mod sarif;
pub mod words;

use std::sync::Arc;

use serde::Serialize;

pub use build::{build, build_from, build_with, check, Checked};

use crate::decl::value::{Declaration, Value};
use crate::eval::status::Status;
use crate::program::Program;

/// The version of the JSON report's shape.
pub const SCHEMA_VERSION: u32 = 1;

/// The tool that made a report.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    /// Always `comply`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Tool {
    /// This build.
    pub fn this() -> Tool {
        Tool {
            name: "comply",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A pack named in the receipt.
#[derive(Clone, Debug, Serialize)]
pub struct PackRef {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// `sha256:` of its sources.
    pub digest: String,
}

/// The declaration a report is about.
#[derive(Clone, Debug, Serialize)]
pub struct DeclRef {
    /// The file as given.
    pub path: String,
    /// The organisation's name, or the file name when it gives none.
    pub organisation: String,
}

/// One result in the report.
///
/// A report may hold a row for each of a million results, so what the rows of one
/// obligation share ([`About`]) is held once for them all, and what few rows have (a
/// waiver, a place) is boxed.
#[derive(Clone, Debug)]
pub struct ResultRow {
    /// Obligation id.
    pub obligation: Arc<str>,
    /// Item key, null for organisation-level obligations.
    pub item: Option<Arc<str>>,
    /// One of the six statuses.
    pub status: Status,
    /// What the report says of the obligation, the same in each of its rows.
    pub about: Arc<About>,
    /// Why: failing requirements, exemptions, conditions.
    pub reasons: Vec<String>,
    /// Declaration paths to fill in.
    pub missing: Vec<String>,
    /// Root causes of a blocked result.
    pub blocked_by: Vec<String>,
    /// The obligation that stands in for this one on this item, so a result waiting for
    /// this one waits for that one instead (not in the JSON report, whose reasons say it).
    pub superseded_by: Option<Arc<str>>,
    /// The waiver that matched it: in force, it made the result waived; expired, it
    /// waived nothing.
    pub waiver: Option<Box<RowWaiver>>,
    /// The item's path in the declaration.
    pub path: Option<Arc<str>>,
    /// One-based line of the item in the declaration.
    pub line: Option<usize>,
    /// Failing already in the baseline report, so it does not fail the run.
    pub carried_over: bool,
    /// Where a finding is shown: the deciding field, else the item (not in the JSON
    /// report, whose `line` is the item's).
    pub place: Option<Box<Place>>,
}

/// What the report says of an obligation, the same in each of its rows.
#[derive(Clone, Debug)]
pub struct About {
    /// Severity.
    pub severity: &'static str,
    /// Title in the report's language.
    pub title: String,
    /// `GDPR art. 35(1)`.
    pub citation: String,
    /// The pack it belongs to.
    pub pack: String,
    /// Tags.
    pub tags: Vec<String>,
    /// How to comply, in the report's language; rows show it when they call for action
    /// or are waived ([`ResultRow::remedy`]).
    pub remedy: Option<String>,
}

impl ResultRow {
    /// How to comply, on a row that calls for action or is waived.
    pub fn remedy(&self) -> Option<&str> {
        self.about
            .remedy
            .as_deref()
            .filter(|_| self.status.is_failing() || self.status == Status::Waived)
    }
}

impl Serialize for ResultRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        // The fields of schema version 1, in its order; `carried_over` only when true.
        let mut row = s.serialize_struct("ResultRow", 16)?;
        row.serialize_field("obligation", &self.obligation)?;
        row.serialize_field("item", &self.item)?;
        row.serialize_field("status", &self.status)?;
        row.serialize_field("severity", self.about.severity)?;
        row.serialize_field("title", &self.about.title)?;
        row.serialize_field("citation", &self.about.citation)?;
        row.serialize_field("reasons", &self.reasons)?;
        row.serialize_field("missing", &self.missing)?;
        row.serialize_field("blocked_by", &self.blocked_by)?;
        row.serialize_field("waiver", &self.waiver)?;
        row.serialize_field("pack", &self.about.pack)?;
        row.serialize_field("tags", &self.about.tags)?;
        row.serialize_field("remedy", &self.remedy())?;
        row.serialize_field("path", &self.path)?;
        row.serialize_field("line", &self.line)?;
        if self.carried_over {
            row.serialize_field("carried_over", &true)?;
        } else {
            row.skip_field("carried_over")?;
        }
        row.end()
    }
}

/// The waiver on a result.
#[derive(Clone, Debug, Serialize)]
pub struct RowWaiver {
    /// Why the exception is accepted.
    pub justification: String,
    /// Who accepted it.
    pub approved_by: String,
    /// Last day in force.
    pub expires: String,
    /// False for an expired waiver, which waives nothing.
    pub in_force: bool,
    /// The status the result has without the waiver.
    pub status: Status,
}

/// A place in the declaration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Declaration path of the field or item.
    pub path: String,
    /// One-based line.
    pub line: usize,
    /// One-based column, in characters.
    pub column: usize,
}

/// What became of the waivers, in a report.
#[derive(Clone, Debug, Serialize)]
pub struct WaiverSection {
    /// The waiver file as given.
    pub file: String,
    /// Applied, expired, unused and expiring waivers.
    #[serde(flatten)]
    pub review: crate::waiver::Review,
}

/// What the baseline did, in a report.
#[derive(Clone, Debug, Serialize)]
pub struct BaselineSection {
    /// The earlier report as given.
    pub file: String,
    /// Failing results already failing in the baseline: they do not fail the run.
    pub carried_over: usize,
    /// Failing results that were not failing in the baseline.
    pub new: usize,
}

/// Counts per status.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Satisfied results.
    pub satisfied: usize,
    /// Violated results.
    pub violated: usize,
    /// Unknown results.
    pub unknown: usize,
    /// Not applicable results.
    pub not_applicable: usize,
    /// Blocked results.
    pub blocked: usize,
    /// Waived results.
    pub waived: usize,
}

impl Summary {
    fn add(&mut self, s: Status) {
        match s {
            Status::Satisfied => self.satisfied += 1,
            Status::Violated => self.violated += 1,
            Status::Unknown => self.unknown += 1,
            Status::NotApplicable => self.not_applicable += 1,
            Status::Blocked => self.blocked += 1,
            Status::Waived => self.waived += 1,
        }
    }

    /// The count of one status.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Satisfied => self.satisfied,
            Status::Violated => self.violated,
            Status::Unknown => self.unknown,
            Status::NotApplicable => self.not_applicable,
            Status::Blocked => self.blocked,
            Status::Waived => self.waived,
        }
    }

    /// Results that apply (everything but not_applicable).
    pub fn applicable(&self) -> usize {
        self.satisfied + self.violated + self.unknown + self.blocked + self.waived
    }

    /// Adds another summary.
    pub fn merge(&mut self, o: &Summary) {
        self.satisfied += o.satisfied;
        self.violated += o.violated;
        self.unknown += o.unknown;
        self.not_applicable += o.not_applicable;
        self.blocked += o.blocked;
        self.waived += o.waived;
    }
}

/// The report of one declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Shape version of this document.
    pub schema_version: u32,
    /// The tool.
    pub tool: Tool,
    /// Evaluation date.
    pub as_of: String,
    /// Language of titles and messages.
    pub lang: String,
    /// Packs evaluated.
    pub packs: Vec<PackRef>,
    /// The declaration.
    pub declaration: DeclRef,
    /// Every result.
    pub results: Vec<ResultRow>,
    /// Overrides that collide.
    pub conflicts: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// The waivers, when a waiver file was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waivers: Option<WaiverSection>,
    /// The baseline, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSection>,
}

/// The organisation's name: `organisation.name` when the packs declare and the
/// declaration states it; otherwise the file name.
pub fn organisation_name(program: &Program, decl: &Declaration) -> String {
    let stated = program
        .shape
        .root()
        .field("organisation")
        .and_then(|i| decl.root.get(i))
        .and_then(|v| match v {
            Value::Record(r) => program
                .shape
                .record(r.ty)
                .field("name")
                .and_then(|i| r.get(i)),
            _ => None,
        });
    match stated {
        Some(Value::Text(name)) => name.to_string(),
        _ => std::path::Path::new(decl.file.name())
            .file_stem()
            .map_or_else(
                || decl.file.name().to_string(),
                |s| s.to_string_lossy().into_owned(),
            ),
    }
}

/// The packs, for a receipt.
pub fn pack_refs(program: &Program) -> Vec<PackRef> {
    program
        .packs
        .iter()
        .map(|p| PackRef {
            id: p.id.clone(),
            version: p.version.clone(),
            digest: p.digest.clone(),
        })
        .collect()
}

/// How a result is named in `blocked_by` and plans: `id` or `id[item]`.
pub fn item_name(obligation: &str, item: Option<&str>) -> String {
    match item {
        Some(i) => format!("{obligation}[{i}]"),
        None => obligation.to_string(),
    }
}

/// The name of a result row.
pub fn row_name(r: &ResultRow) -> String {
    item_name(&r.obligation, r.item.as_deref())
}

/// Which results a report lists. The summary always counts every result selected by
/// `only`, so a report that lists only failing results still says how many passed.
#[derive(Clone, Debug)]
pub struct Select {
    /// Keep only obligations whose id matches one of these patterns (`*` matches any run
    /// of characters); empty keeps all.
    pub only: Vec<String>,
    /// List only results that call for action (violated, unknown, blocked): a report of a
    /// large declaration is then as long as the work to do, not as the declaration.
    pub failing_only: bool,
    /// Point each failing result at the field that decides it, for the formats that show
    /// a finding on one line of the declaration (SARIF, JUnit, GitHub, Markdown, OSCAL).
    /// Locating indexes every key of the declaration, so the JSON and human reports,
    /// which give the item's line only, skip it.
    pub locate: bool,
}

impl Default for Select {
    fn default() -> Self {
        Select {
            only: Vec::new(),
            failing_only: false,
            locate: true,
        }
    }
}

impl Select {
    /// True when results of this obligation are counted.
    pub fn counts(&self, obligation: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|g| glob(g, obligation))
    }

    /// True when a counted result is listed.
    pub fn lists(&self, status: Status) -> bool {
        !self.failing_only || status.is_failing()
    }
}

/// `*` matches any run of characters.
pub fn glob(pattern: &str, id: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return true;
    };
    let Some(mut rest) = id.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    for (i, part) in tail.iter().enumerate() {
        if i + 1 == tail.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_runs_of_characters() {
        assert!(glob("dp.*", "dp.dpia"));
        assert!(glob("*", "dp.dpia"));
        assert!(glob("dp.breach.*", "dp.breach.notify_authority"));
        assert!(glob("*.notify_*", "dp.breach.notify_authority"));
        assert!(!glob("dp.*", "ict.signature"));
        assert!(glob("dp.dpia", "dp.dpia"));
        assert!(!glob("dp.dpia", "dp.dpia.review"));
    }
}
