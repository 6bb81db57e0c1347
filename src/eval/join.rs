//! Indexes for joins between lists of a declaration.
//!
//! Rules relate items of different lists by key, as in
//! `any t in transfers: t.processing == p.id`, evaluated once per processing activity. A
//! scan per activity makes the cost grow with the product of the two lists; for a
//! declaration of 100,000 items that is billions of comparisons. The first time such a
//! quantifier runs over a list, the list is indexed by the compared field, and every later
//! evaluation is a hash lookup plus the items whose field is not a stated text, which are
//! still evaluated one by one so that unknown and absent facts keep their meaning.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::ast::BinaryOp;
use crate::decl::value::Value;
use crate::program::expr::{CExpr, CKind};

/// The indexes built while evaluating one declaration, shared by the threads that
/// evaluate it.
#[derive(Default)]
pub struct Joins {
    /// By list (its address and length in the declaration) and field index.
    built: Mutex<HashMap<(usize, usize, usize), Arc<JoinIndex>>>,
}

/// One list indexed by one text field.
pub struct JoinIndex {
    /// How many items state each value.
    counts: HashMap<Box<str>, usize>,
    /// Items whose field is a stated text.
    pub regular: usize,
    /// Positions of the other items (field left out, or not a record): their outcome
    /// depends on the quantifier's body, so they are evaluated as before.
    pub irregular: Vec<usize>,
}

impl JoinIndex {
    /// How many items state `key`.
    pub fn matching(&self, key: &str) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }
}

impl Joins {
    /// The index of `items` by the field at `field`, built on first use.
    ///
    /// It is built while the other threads wait, which would otherwise all build the same
    /// index at the start of an obligation. An index is inserted only once built, so a
    /// table left by a thread that panicked is still sound and is used as it is.
    pub fn index(&self, items: &[Value], field: usize) -> Arc<JoinIndex> {
        let id = (items.as_ptr() as usize, items.len(), field);
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = built.get(&id) {
            return Arc::clone(found);
        }
        let mut index = JoinIndex {
            counts: HashMap::new(),
            regular: 0,
            irregular: Vec::new(),
        };
        for (position, item) in items.iter().enumerate() {
            match item {
                Value::Record(r) => match r.get(field) {
                    Some(Value::Text(text)) => {
                        *index.counts.entry(text.as_ref().into()).or_insert(0) += 1;
                        index.regular += 1;
                    }
                    _ => index.irregular.push(position),
                },
                _ => index.irregular.push(position),
            }
        }
        let index = Arc::new(index);
        built.insert(id, Arc::clone(&index));
        index
    }
}

/// When a quantifier's body compares a field of its variable with an expression that
/// does not mention the variable (`t.processing == p.id`), the field's index and that
/// expression.
pub fn pattern(slot: usize, body: &CExpr) -> Option<(usize, &CExpr)> {
    let CKind::Binary(BinaryOp::Eq, a, b) = &body.kind else {
        return None;
    };
    let field = |e: &CExpr| match &e.kind {
        CKind::Field(base, _, index) if matches!(base.kind, CKind::Local(s) if s == slot) => {
            Some(*index)
        }
        _ => None,
    };
    match (field(a), field(b)) {
        (Some(f), _) if !mentions(b, slot) => Some((f, b)),
        (_, Some(f)) if !mentions(a, slot) => Some((f, a)),
        _ => None,
    }
}

/// True when an expression reads the local variable at `slot`.
fn mentions(e: &CExpr, slot: usize) -> bool {
    match &e.kind {
        CKind::Local(s) => *s == slot,
        CKind::Literal(_)
        | CKind::Today
        | CKind::Root(_)
        | CKind::Constant(_)
        | CKind::ObligationRef(..) => false,
        CKind::Field(inner, _, _)
        | CKind::Not(inner)
        | CKind::Neg(inner)
        | CKind::Presence(inner, _)
        | CKind::CountOf(inner)
        | CKind::EvidenceValid(inner) => mentions(inner, slot),
        CKind::Binary(_, a, b) | CKind::Quantifier(_, _, a, b) => {
            mentions(a, slot) || mentions(b, slot)
        }
        CKind::List(items) | CKind::Call(_, items) => items.iter().any(|x| mentions(x, slot)),
    }
}
