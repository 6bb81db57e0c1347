//! Reports: what a run found, as data (the JSON report, version 1) and as text.
//!
//! The report is an audit receipt: it names the tool version, the evaluation date and a
//! digest of every pack, so a verdict can be reproduced later.

pub mod catalogue;
pub mod explain;
pub mod human;
pub mod json;
pub mod plan;
pub mod words;

use serde::Serialize;

use crate::decl::value::{Declaration, Value};
use crate::eval::status::Status;
use crate::eval::Evaluation;
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
#[derive(Clone, Debug, Serialize)]
pub struct ResultRow {
    /// Obligation id.
    pub obligation: String,
    /// Item key, null for organisation-level obligations.
    pub item: Option<String>,
    /// One of the six statuses.
    pub status: Status,
    /// Severity.
    pub severity: &'static str,
    /// Title in the report's language.
    pub title: String,
    /// `GDPR art. 35(1)`.
    pub citation: String,
    /// Why: failing requirements, exemptions, conditions.
    pub reasons: Vec<String>,
    /// Declaration paths to fill in.
    pub missing: Vec<String>,
    /// Root causes of a blocked result.
    pub blocked_by: Vec<String>,
    /// The waiver covering it.
    pub waiver: Option<String>,
    /// The pack it belongs to.
    pub pack: String,
    /// Tags.
    pub tags: Vec<String>,
    /// How to comply, in the report's language.
    pub remedy: Option<String>,
    /// The item's path in the declaration.
    pub path: Option<String>,
    /// One-based line of the item in the declaration.
    pub line: Option<usize>,
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
        Some(Value::Text(name)) => name.clone(),
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

/// Builds the report of one evaluated declaration.
pub fn build(program: &Program, decl: &Declaration, eval: &Evaluation, lang: &str) -> Report {
    let mut summary = Summary::default();
    let results = eval
        .results
        .iter()
        .filter_map(|r| {
            let ob = program.obligations.get(r.obligation)?;
            summary.add(r.status);
            let mut reasons = r.reasons.clone();
            if let Some(why) = &r.not_applicable {
                reasons.insert(0, why.describe(lang));
            }
            let remedy =
                Some(ob.remedy.plain(lang)).filter(|s| !s.is_empty() && r.status.is_failing());
            Some(ResultRow {
                obligation: ob.id.clone(),
                item: r.item.clone(),
                status: r.status,
                severity: ob.severity.as_str(),
                title: ob.title.plain(lang),
                citation: program.citation(ob),
                reasons,
                missing: r.missing(),
                blocked_by: r
                    .blocked_by
                    .iter()
                    .map(|c| item_name(&c.obligation, c.item.as_deref()))
                    .collect(),
                waiver: None,
                pack: program
                    .pack_of(ob)
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                tags: ob.tags.clone(),
                remedy,
                path: r.path.clone(),
                line: r.span.map(|s| decl.file.line_col(s.start).0),
            })
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        as_of: eval.as_of.to_string(),
        lang: lang.to_string(),
        packs: pack_refs(program),
        declaration: DeclRef {
            path: decl.file.name().to_string(),
            organisation: organisation_name(program, decl),
        },
        results,
        conflicts: eval.conflicts.clone(),
        summary,
    }
}
