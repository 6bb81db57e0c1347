//! The checked program: every loaded pack, resolved and typed, ready to evaluate.
//!
//! The checker builds it once; the graph orders it; the evaluator and the reports read it.

pub mod expr;
pub mod shape;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ast::{InForce, ObligationQuery, Severity, TextEntry};
use crate::source::{SourceFile, Span};
use expr::CExpr;
use shape::Shape;

/// A text in several languages, with facts to interpolate.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Text {
    /// Entries per language; the first English one is the fallback.
    pub entries: Vec<LocalText>,
}

/// One language's version of a text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LocalText {
    /// ISO 639-1 code.
    pub lang: String,
    /// Literal runs and checked facts.
    pub parts: Vec<TextPiece>,
}

/// A piece of a text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TextPiece {
    /// Shown as is.
    Literal(String),
    /// Replaced by the value of the fact; `source` is the path as written.
    Fact(CExpr, String),
}

impl Text {
    /// The entry for a language, falling back to English, then to the first given.
    pub fn pick(&self, lang: &str) -> Option<&LocalText> {
        self.entries
            .iter()
            .find(|e| e.lang == lang)
            .or_else(|| self.entries.iter().find(|e| e.lang == "en"))
            .or_else(|| self.entries.first())
    }

    /// The text in a language with facts left as `{path}`; for texts that have none.
    pub fn plain(&self, lang: &str) -> String {
        self.pick(lang).map(LocalText::plain).unwrap_or_default()
    }

    /// True when no language is given.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl LocalText {
    /// The text with facts written as `{path}`.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TextPiece::Literal(s) => out.push_str(s),
                TextPiece::Fact(_, path) => {
                    out.push('{');
                    out.push_str(path);
                    out.push('}');
                }
            }
        }
        out
    }
}

/// Builds a text with no facts from syntax entries.
pub fn plain_text(entries: &[TextEntry]) -> Text {
    Text {
        entries: entries
            .iter()
            .map(|e| LocalText {
                lang: e.lang.clone(),
                parts: vec![TextPiece::Literal(e.plain())],
            })
            .collect(),
    }
}

/// A loaded pack.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PackDef {
    /// The id, first segment of its obligation ids.
    pub id: String,
    /// Title per language.
    pub title: Text,
    /// Version string.
    pub version: String,
    /// Period in force.
    pub in_force: Option<InForce>,
    /// Announced, awaiting an implementing text.
    pub pending: Option<String>,
    /// `sha256:` digest of its sources, for the report receipt.
    pub digest: String,
    /// Indices of its files in [`Program::files`].
    pub files: Vec<usize>,
}

/// A legal instrument.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InstrumentDef {
    /// Id used in `cite`.
    pub id: String,
    /// Full title.
    pub title: String,
    /// How citations name it.
    pub short: String,
    /// Official address.
    pub url: Option<String>,
    /// Version or date.
    pub version: Option<String>,
    /// `draft`, `adopted`, ...
    pub status: Option<String>,
    /// The pack that declared it.
    pub pack: String,
}

/// A citation resolved to its instrument.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CitationDef {
    /// Index in [`Program::instruments`].
    pub instrument: usize,
    /// Article, paragraph, point.
    pub place: String,
}

/// A `define`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DefineDef {
    /// Its name.
    pub name: String,
    /// Number of parameters; `None` for a constant.
    pub params: Option<usize>,
    /// Number of local slots its body needs (parameters first).
    pub locals: usize,
    /// The checked body.
    pub body: CExpr,
    /// The file and span it was declared at.
    pub file: usize,
    /// Where.
    pub span: Span,
}

/// Where an obligation's results come from: the organisation, or each item of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Domain {
    /// One result for the whole declaration.
    Organisation,
    /// One result per item; the path as written (`processing`), compared to match domains.
    Each(String),
}

/// An exemption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnlessDef {
    /// When true, the obligation does not apply.
    pub condition: CExpr,
    /// The exemption's name, shown in the report; the condition's text when none is given.
    pub because: Text,
    /// The condition as written.
    pub source: String,
}

/// A requirement.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequireDef {
    /// What must hold.
    pub condition: CExpr,
    /// Shown when it does not.
    pub message: Text,
    /// The condition as written, for messages and traces.
    pub source: String,
}

/// A checked obligation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObligationDef {
    /// Dotted id.
    pub id: String,
    /// Index of its pack.
    pub pack: usize,
    /// The file and span it was declared at.
    pub file: usize,
    /// Where.
    pub span: Span,
    /// Organisation or per item.
    pub domain: Domain,
    /// The list iterated, when per item.
    pub list: Option<CExpr>,
    /// Title per language.
    pub title: Text,
    /// Citations.
    pub cites: Vec<CitationDef>,
    /// Severity.
    pub severity: Severity,
    /// Tags, topic first.
    pub tags: Vec<String>,
    /// Period in force.
    pub in_force: Option<InForce>,
    /// Announced, awaiting an implementing text.
    pub pending: Option<String>,
    /// Prerequisites, by index.
    pub depends_on: Vec<usize>,
    /// The obligation this one replaces while it applies.
    pub overrides: Option<usize>,
    /// All must hold for it to apply; each with its text.
    pub applies_when: Vec<(CExpr, String)>,
    /// Exemptions.
    pub unless: Vec<UnlessDef>,
    /// Requirements.
    pub requires: Vec<RequireDef>,
    /// How to comply.
    pub remedy: Text,
    /// Number of local slots its expressions need (slot 0 is the item).
    pub locals: usize,
    /// Obligations whose result its expressions read, with what they ask.
    pub references: Vec<(ObligationQuery, usize)>,
}

/// Every loaded pack, checked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Program {
    /// Rule files, for diagnostics and digests.
    ///
    /// Not stored in the built-in program's snapshot: their texts are embedded in the
    /// binary already, and the snapshot is decoded beside them.
    #[serde(skip)]
    pub files: Vec<SourceFile>,
    /// Packs, sorted by id.
    pub packs: Vec<PackDef>,
    /// Instruments.
    pub instruments: Vec<InstrumentDef>,
    /// The declaration shape.
    pub shape: Shape,
    /// Predicates and constants.
    pub defines: Vec<DefineDef>,
    /// Obligations, sorted by id.
    pub obligations: Vec<ObligationDef>,
    /// Obligation index by id.
    pub by_id: BTreeMap<String, usize>,
    /// For each obligation, the obligations that override it.
    pub overridden_by: Vec<Vec<usize>>,
    /// Obligation indices in an order where every obligation comes after those it reads.
    pub order: Vec<usize>,
    /// Who needs whom, among obligations and predicates.
    pub graph: crate::graph::DepGraph,
    /// How many expressions deciding one result may evaluate (see
    /// [`crate::eval::budget`]): a setting of the run, not of the packs, so not stored.
    #[serde(skip, default = "crate::eval::budget::default_max_steps")]
    pub max_steps: u64,
}

impl Program {
    /// An obligation by id.
    pub fn obligation(&self, id: &str) -> Option<&ObligationDef> {
        self.by_id.get(id).and_then(|&i| self.obligations.get(i))
    }

    /// The citation as shown: `GDPR art. 35(1)`, several joined by `; `.
    pub fn citation(&self, ob: &ObligationDef) -> String {
        let parts: Vec<String> = ob
            .cites
            .iter()
            .map(|c| {
                let short = self
                    .instruments
                    .get(c.instrument)
                    .map_or("?", |i| i.short.as_str());
                format!("{short} {}", c.place)
            })
            .collect();
        parts.join("; ")
    }

    /// The pack of an obligation.
    pub fn pack_of(&self, ob: &ObligationDef) -> Option<&PackDef> {
        self.packs.get(ob.pack)
    }
}
