//! Values during evaluation: borrowed from the declaration and the program, never copied
//! out of them.

use std::cmp::Ordering;
use std::rc::Rc;

use super::tri::{Fact, Tri};
use crate::decl::value::{Record, Value};
use crate::time::{Date, DateTime, Duration};

/// A known value.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal.
    Number(f64),
    /// A text.
    Text(&'a str),
    /// A day.
    Date(Date),
    /// An instant.
    DateTime(DateTime),
    /// A duration.
    Duration(Duration),
    /// An enum member.
    Enum(u32),
    /// A record of the declaration.
    Record(&'a Record),
    /// A list of the declaration.
    Stated(&'a [Value]),
    /// A list written in a rule; its items may be unknown.
    Written(Rc<Vec<Out<'a>>>),
}

/// The outcome of evaluating an expression.
#[derive(Clone, Debug)]
pub enum Out<'a> {
    /// A value.
    Known(Val<'a>),
    /// An optional fact the declaration leaves out: there is none. Carries its path.
    Absent(String),
    /// Waits for these facts.
    Unknown(Vec<Fact>),
    /// A count known only within bounds.
    Range(i64, i64, Vec<Fact>),
}

impl<'a> Out<'a> {
    /// A declaration value as an outcome.
    pub fn of(v: &'a Value) -> Out<'a> {
        Out::Known(match v {
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(n) => Val::Int(*n),
            Value::Number(n) => Val::Number(*n),
            Value::Text(s) => Val::Text(s),
            Value::Date(d) => Val::Date(*d),
            Value::DateTime(d) => Val::DateTime(*d),
            Value::Duration(d) => Val::Duration(*d),
            Value::Enum(e) => Val::Enum(*e),
            Value::Record(r) => Val::Record(r),
            Value::List(items) => Val::Stated(items),
        })
    }

    /// The outcome used as a condition: absent facts make a condition false.
    pub fn truth(self) -> Tri {
        match self {
            Out::Known(Val::Bool(b)) => Tri::from_bool(b),
            Out::Unknown(f) | Out::Range(_, _, f) => Tri::Unknown(f),
            Out::Known(_) | Out::Absent(_) => Tri::False,
        }
    }

    /// An outcome from a truth value.
    pub fn from_tri(t: Tri) -> Out<'a> {
        match t {
            Tri::True => Out::Known(Val::Bool(true)),
            Tri::False => Out::Known(Val::Bool(false)),
            Tri::Unknown(f) => Out::Unknown(f),
        }
    }
}

/// The items of a list value, each as an outcome.
pub fn items<'a>(v: &Val<'a>) -> Vec<Out<'a>> {
    match v {
        Val::Stated(items) => items.iter().map(Out::of).collect(),
        Val::Written(items) => items.as_ref().clone(),
        _ => Vec::new(),
    }
}

/// Compares two known values of comparable types.
pub fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Int(x), Val::Number(y)) => (*x as f64).partial_cmp(y),
        (Val::Number(x), Val::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::DateTime(x), Val::DateTime(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::DateTime(y)) => Some(x.at_midnight().cmp(y)),
        (Val::DateTime(x), Val::Date(y)) => Some(x.cmp(&y.at_midnight())),
        (Val::Duration(x), Val::Duration(y)) => Some(x.cmp(y)),
        (Val::Enum(x), Val::Enum(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
