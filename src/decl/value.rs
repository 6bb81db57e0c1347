//! Declaration values, typed against the shape the packs declare.

use std::sync::Arc;

use crate::program::shape::RecordId;
use crate::source::{SourceFile, Span};
use crate::time::{Date, DateTime, Duration};

/// A value stated in a declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal.
    Number(f64),
    /// A text. Boxed rather than a `String`, like lists below, so that a value takes
    /// three words: a large declaration holds millions of them.
    Text(Box<str>),
    /// A day.
    Date(Date),
    /// An instant.
    DateTime(DateTime),
    /// A duration.
    Duration(Duration),
    /// An enum member, by index.
    Enum(u32),
    /// A record.
    Record(Box<Record>),
    /// A list.
    List(Box<[Value]>),
}

/// A record stated in a declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Its type.
    pub ty: RecordId,
    /// Where it sits in the declaration: `processing[hr-payroll]`, `organisation.dpo`;
    /// empty for the root.
    pub path: Arc<str>,
    /// The value of its key field, for items of a list.
    pub key: Option<Arc<str>>,
    /// One slot per field of the type; `None` where the declaration says nothing.
    ///
    /// Where each key is written is not kept: only reports that point at lines need it,
    /// and they find it again in the file (see [`crate::decl::keys`]).
    pub fields: Box<[Option<Value>]>,
    /// Where it is written.
    pub span: Span,
}

impl Record {
    /// The value of a field, if stated.
    pub fn get(&self, index: usize) -> Option<&Value> {
        self.fields.get(index).and_then(Option::as_ref)
    }

    /// The path of one of its fields.
    pub fn field_path(&self, name: &str) -> String {
        join_path(&self.path, name)
    }
}

/// `base.name`, or `name` at the root.
pub fn join_path(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// A loaded declaration.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// The file it came from.
    pub file: SourceFile,
    /// The root record.
    pub root: Record,
}

/// The whole number a decimal stands for, if it has no fraction and fits 64 bits.
///
/// A whole-number field still refuses `7.0`; this tells a decimal that is merely written
/// wrong from one too large for any whole number, which need different advice.
pub fn whole_number(f: f64) -> Option<i64> {
    // 2^63 is exact in a float; anything at or above it, or below -2^63, does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}
