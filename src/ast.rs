//! The syntax tree of rule files, as written.
//!
//! Names are still names here; the checker resolves them against the loaded packs and
//! produces the typed program the evaluator runs. Every node keeps its span, and spans
//! stay out of equality, so two files that differ only in layout have equal trees.

use serde::{Deserialize, Serialize};

use crate::source::Span;
use crate::time::{Date, DateTime, Duration};

/// A name with the span it was written at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A text given in one or more languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Texts {
    /// `(language, text)` pairs in the order written; an entry with no language is English.
    pub entries: Vec<TextEntry>,
    /// The whole clause.
    pub span: Span,
}

/// One language's version of a text.
#[derive(Clone, Debug, PartialEq)]
pub struct TextEntry {
    /// ISO 639-1 code.
    pub lang: String,
    /// Literal runs and `{path}` interpolations, escapes resolved.
    pub parts: Vec<TextPart>,
    /// Where the text was written (the string, quotes included).
    pub span: Span,
}

impl TextEntry {
    /// The text with each interpolation written back as `{path}`.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TextPart::Literal(s) => out.push_str(s),
                TextPart::Fact(e) => {
                    out.push('{');
                    if let ExprKind::Path(segments) = &e.kind {
                        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                        out.push_str(&names.join("."));
                    }
                    out.push('}');
                }
            }
        }
        out
    }
}

/// A piece of a text.
#[derive(Clone, Debug, PartialEq)]
pub enum TextPart {
    /// Written as is.
    Literal(String),
    /// `{path}`: replaced by the fact's value when the text is shown.
    Fact(Expr),
}

/// One rule file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    /// Declarations in the order written.
    pub items: Vec<Item>,
}

/// A top-level declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `pack id { ... }`.
    Pack(Pack),
    /// `instrument id "title" ...`.
    Instrument(Instrument),
    /// `record Name key field { ... }`.
    Record(Record),
    /// `enum Name { ... }`.
    Enum(Enum),
    /// `extend Name { ... }`.
    Extend(Extend),
    /// `define name(params) = expr`.
    Define(Define),
    /// `obligation id { ... }`.
    Obligation(Box<Obligation>),
}

/// A pack manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    /// The pack id, the first segment of every obligation id in the pack.
    pub id: Ident,
    /// Title per language.
    pub title: Option<Texts>,
    /// Version string.
    pub version: Option<(String, Span)>,
    /// When the pack's provisions take effect.
    pub in_force: Option<InForce>,
    /// Announced but awaiting an implementing text.
    pub pending: Option<(String, Span)>,
    /// Packs whose shape or obligations this one builds on.
    pub requires: Vec<Ident>,
    /// The whole manifest.
    pub span: Span,
}

/// `in_force from DATE [until DATE]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForce {
    /// First day in force.
    pub from: Date,
    /// First day no longer in force.
    pub until: Option<Date>,
    /// The clause.
    pub span: Span,
}

/// A legal instrument that obligations cite.
#[derive(Clone, Debug, PartialEq)]
pub struct Instrument {
    /// Short id used in `cite`.
    pub id: Ident,
    /// Full title.
    pub title: String,
    /// How citations name it: `GDPR`.
    pub short: Option<String>,
    /// Official address.
    pub url: Option<String>,
    /// Version or date of the text.
    pub version: Option<String>,
    /// `draft`, `adopted`, `in_force`, ...
    pub status: Option<Ident>,
    /// The declaration.
    pub span: Span,
}

/// A written type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeRef {
    /// A built-in or declared type by name.
    Named(Ident),
    /// `list<T>`.
    List(Box<TypeRef>, Span),
}

impl TypeRef {
    /// Where the type was written.
    pub fn span(&self) -> Span {
        match self {
            TypeRef::Named(id) => id.span,
            TypeRef::List(_, span) => *span,
        }
    }
}

/// A field of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Field name as used in paths and declarations.
    pub name: Ident,
    /// Its type.
    pub ty: TypeRef,
    /// `?`: the declaration may leave it out, meaning there is none.
    pub optional: bool,
    /// What the field means, for documentation and schemas.
    pub description: Option<String>,
    /// The whole field.
    pub span: Span,
}

/// A record type.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Type name.
    pub name: Ident,
    /// The field that names an item in a list.
    pub key: Option<Ident>,
    /// Fields in order.
    pub fields: Vec<Field>,
    /// The declaration.
    pub span: Span,
}

/// A member of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumMember {
    /// Dotted key: `user.health_and_medical`.
    pub name: Ident,
    /// What it means.
    pub description: Option<String>,
}

/// An enum type; dotted members form a hierarchy.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// Type name.
    pub name: Ident,
    /// Members in order.
    pub members: Vec<EnumMember>,
    /// The declaration.
    pub span: Span,
}

/// Fields or members added to a type declared elsewhere.
#[derive(Clone, Debug, PartialEq)]
pub struct Extend {
    /// The type extended.
    pub name: Ident,
    /// Fields added (for a record).
    pub fields: Vec<Field>,
    /// Members added (for an enum).
    pub members: Vec<EnumMember>,
    /// The declaration.
    pub span: Span,
}

/// A typed parameter of a predicate.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name used in the body.
    pub name: Ident,
    /// Declared type.
    pub ty: TypeRef,
}

/// A named predicate or constant.
#[derive(Clone, Debug, PartialEq)]
pub struct Define {
    /// Its name.
    pub name: Ident,
    /// Parameters; `None` for a constant written without parentheses.
    pub params: Option<Vec<Param>>,
    /// The declared type of the result, when written.
    pub result: Option<TypeRef>,
    /// The body.
    pub body: Expr,
    /// The declaration.
    pub span: Span,
}

/// How much an unmet obligation matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// For information only.
    Info,
    /// Minor.
    Low,
    /// Significant.
    Medium,
    /// Serious.
    High,
    /// Must be fixed before anything else.
    Critical,
}

impl Severity {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses the keyword.
    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// All levels, least severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
}

/// `cite instrument "place"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// The instrument's id.
    pub instrument: Ident,
    /// Article, paragraph, point.
    pub place: String,
    /// The clause.
    pub span: Span,
}

/// `for x in path`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForEach {
    /// The item variable.
    pub var: Ident,
    /// The list iterated.
    pub list: Expr,
}

/// `unless expr [because texts]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unless {
    /// When it holds, the obligation does not apply.
    pub condition: Expr,
    /// The exemption, named for the report.
    pub because: Option<Texts>,
}

/// `require expr [else texts]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Require {
    /// What must hold.
    pub condition: Expr,
    /// Reported when it does not.
    pub message: Option<Texts>,
}

/// An obligation.
#[derive(Clone, Debug, PartialEq)]
pub struct Obligation {
    /// Dotted id, a stable public name.
    pub id: Ident,
    /// One result per item of a list.
    pub for_each: Option<ForEach>,
    /// Title per language.
    pub title: Option<Texts>,
    /// Citations.
    pub cites: Vec<Citation>,
    /// Severity (defaults to medium when left out).
    pub severity: Option<(Severity, Span)>,
    /// Topic and pillar tags.
    pub tags: Vec<Ident>,
    /// Period in force.
    pub in_force: Option<InForce>,
    /// Announced, awaiting an implementing text.
    pub pending: Option<(String, Span)>,
    /// Obligations that must be satisfied first.
    pub depends_on: Vec<Ident>,
    /// A more general obligation this one replaces while it applies.
    pub overrides: Option<Ident>,
    /// Applicability conditions, all of which must hold.
    pub applies_when: Vec<Expr>,
    /// Exemptions.
    pub unless: Vec<Unless>,
    /// Requirements.
    pub requires: Vec<Require>,
    /// How to comply.
    pub remedy: Option<Texts>,
    /// The declaration.
    pub span: Span,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `true`, `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Decimal(f64),
    /// A text literal.
    Text(String),
    /// A date literal.
    Date(Date),
    /// An instant literal.
    DateTime(DateTime),
    /// A duration literal.
    Duration(Duration),
    /// The evaluation date.
    Today,
    /// A dotted path: a variable, constant or top-level field, then fields. May also turn
    /// out to be an enum member, depending on what it is compared with.
    Path(Vec<Ident>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// A unary operation.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `e is present` (true) or `e is missing` (false).
    Presence(Box<Expr>, bool),
    /// `any|all|count x in list: body`.
    Quantifier(Quantifier, Ident, Box<Expr>, Box<Expr>),
    /// `count(list of conditions)`.
    CountOf(Box<Expr>),
    /// `name(args)`.
    Call(Ident, Vec<Expr>),
    /// `applies(id)` (false) or `satisfied(id)` (true).
    ObligationRef(ObligationQuery, Ident),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`.
    Not,
    /// `-`.
    Neg,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinaryOp {
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `within`: at or below in an enum hierarchy.
    Within,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Within => "within",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}

/// Quantifiers over a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quantifier {
    /// At least one item.
    Any,
    /// Every item.
    All,
    /// How many items.
    Count,
}

/// What `applies(..)` and `satisfied(..)` ask of another obligation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObligationQuery {
    /// Whether it applies.
    Applies,
    /// Whether it is satisfied.
    Satisfied,
}
