//! Checked expressions: names resolved to slots, field indices and ids, every node typed.
//!
//! The evaluator walks these without looking anything up by name.

use serde::{Deserialize, Serialize};

use crate::ast::{BinaryOp, ObligationQuery, Quantifier};
use crate::source::Span;
use crate::time::{Date, DateTime, Duration};

use super::shape::{EnumId, RecordId, Type};

/// A literal value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Literal {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal.
    Number(f64),
    /// A text.
    Text(String),
    /// A day.
    Date(Date),
    /// An instant.
    DateTime(DateTime),
    /// A duration.
    Duration(Duration),
    /// An enum member.
    Enum(EnumId, u32),
}

/// A checked expression.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CExpr {
    /// What it does.
    pub kind: CKind,
    /// Its type.
    pub ty: Type,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of checked expression.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum CKind {
    /// A literal.
    Literal(Literal),
    /// The evaluation date.
    Today,
    /// A local variable: a `for` item, a quantifier variable or a parameter.
    Local(usize),
    /// A top-level field of the declaration.
    Root(usize),
    /// A field of a record value.
    Field(Box<CExpr>, RecordId, usize),
    /// A constant `define`.
    Constant(usize),
    /// A list literal.
    List(Vec<CExpr>),
    /// `not`.
    Not(Box<CExpr>),
    /// Unary minus.
    Neg(Box<CExpr>),
    /// A binary operator.
    Binary(BinaryOp, Box<CExpr>, Box<CExpr>),
    /// `is present` (true) / `is missing` (false).
    Presence(Box<CExpr>, bool),
    /// A quantifier binding the given local slot.
    Quantifier(Quantifier, usize, Box<CExpr>, Box<CExpr>),
    /// `count([...])`.
    CountOf(Box<CExpr>),
    /// A call of a `define` with parameters.
    Call(usize, Vec<CExpr>),
    /// `applies(..)` / `satisfied(..)` of an obligation, by index.
    ObligationRef(ObligationQuery, usize),
    /// Evidence used as a condition: true when present and unexpired.
    EvidenceValid(Box<CExpr>),
}

impl CExpr {
    /// The declaration path this expression reads, when it is a plain path
    /// (`p.dpia.date`), used to name facts in traces.
    pub fn is_path(&self) -> bool {
        match &self.kind {
            CKind::Local(_) | CKind::Root(_) => true,
            CKind::Field(base, _, _) => base.is_path(),
            _ => false,
        }
    }
}
