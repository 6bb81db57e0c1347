//! Where in the declaration a failing result should point: the field that decides it when
//! a single one does, otherwise the item it is about.
//!
//! Code-scanning tools and pull-request annotations show a finding on one line of the
//! declaration file. For a violated result whose failed requirement reads one stated fact
//! (`processing[x].lawful_basis`), that is the fact's line; for an unknown result missing
//! one fact, the line of the nearest enclosing field that is written (or of the key itself
//! when written `null`); otherwise the item's line.

use std::collections::BTreeMap;

use super::expr::Scope;
use super::join::Joins;
use super::status::{ItemResult, Status};
use super::trace::collect_paths;
use super::value::{Out, Val};
use super::Evaluation;
use crate::decl::value::{join_path, Declaration, Value};
use crate::program::expr::{CExpr, CKind};
use crate::program::{Domain, Program};
use crate::source::Span;

/// A place in the declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The declaration path of the field, or of the item.
    pub path: String,
    /// Where its key (or the item) is written.
    pub span: Span,
}

/// The written key nearest to `path`: itself, or the closest enclosing one.
pub fn nearest_written(keys: &BTreeMap<String, Span>, path: &str) -> Option<Place> {
    let mut candidate = path;
    loop {
        if let Some(span) = keys.get(candidate) {
            return Some(Place {
                path: candidate.to_string(),
                span: *span,
            });
        }
        let cut = candidate.rfind(['.', '['])?;
        candidate = candidate.get(..cut)?;
    }
}

/// The field that decides each failing or waived result when a single one does, by
/// obligation index and position among the obligation's results; the others are left
/// out.
pub fn deciding_fields(
    program: &Program,
    decl: &Declaration,
    evaluation: &Evaluation,
) -> BTreeMap<(usize, usize), Place> {
    let wanted = |r: &ItemResult| r.status.is_failing() || r.status == Status::Waived;
    let mut found = BTreeMap::new();
    if !evaluation.results.iter().any(wanted) {
        return found;
    }
    let keys = crate::decl::keys::written(&program.shape, &decl.file);
    let joins = Joins::default();
    for obligation in 0..program.obligations.len() {
        let results = evaluation.results.of(obligation).unwrap_or_default();
        for (position, r) in results.iter().enumerate().filter(|(_, r)| wanted(r)) {
            let was = r.waiver().map_or(r.status, |w| w.was);
            let place = match was {
                Status::Violated => {
                    violated_field(program, decl, evaluation, &joins, &keys, r, position)
                }
                Status::Unknown => single_place(&keys, &r.missing()),
                _ => None,
            };
            if let Some(place) = place {
                found.insert((obligation, position), place);
            }
        }
    }
    found
}

fn violated_field(
    program: &Program,
    decl: &Declaration,
    evaluation: &Evaluation,
    joins: &Joins,
    keys: &BTreeMap<String, Span>,
    r: &ItemResult,
    position: usize,
) -> Option<Place> {
    let ob = program.obligations.get(r.obligation)?;
    let [failed] = r.failed_requires() else {
        return None;
    };
    let require = ob.requires.get(*failed)?;
    let item_position = matches!(ob.domain, Domain::Each(_)).then_some(position);
    let scope = Scope::new(
        program,
        decl,
        evaluation.as_of,
        evaluation.results.by_obligation(),
        joins,
        ob,
        item_position,
    );
    let mut frame: Vec<Out<'_>> = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
    if let (Some(p), Some(list)) = (item_position, &ob.list) {
        let mut empty = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
        if let Out::Known(Val::Stated(values)) = scope.eval(list, &mut empty) {
            if let (Some(Value::Record(rec)), Some(slot)) = (values.get(p), frame.get_mut(0)) {
                *slot = Out::Known(Val::Record(rec));
            }
        }
    }
    let mut exprs = Vec::new();
    collect_paths(&require.condition, &mut exprs);
    let mut paths: Vec<String> = exprs
        .into_iter()
        .filter_map(|e| path_of(&scope, e, &mut frame))
        .collect();
    paths.sort();
    paths.dedup();
    let written: Vec<&String> = paths.iter().filter(|p| keys.contains_key(*p)).collect();
    match written.as_slice() {
        [one] => nearest_written(keys, one),
        _ => single_place(keys, &paths),
    }
}

/// The one place that every path leads to (each path's nearest written key), if they all
/// lead to the same.
fn single_place(keys: &BTreeMap<String, Span>, paths: &[String]) -> Option<Place> {
    let mut places: Vec<Place> = paths
        .iter()
        .filter_map(|p| nearest_written(keys, p))
        .collect();
    if places.is_empty() || places.len() != paths.len() {
        return None;
    }
    places.sort_by(|a, b| a.path.cmp(&b.path));
    places.dedup_by(|a, b| a.path == b.path);
    match places.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The declaration path a path expression reads.
fn path_of<'a>(scope: &Scope<'a>, e: &'a CExpr, frame: &mut Vec<Out<'a>>) -> Option<String> {
    match &e.kind {
        CKind::Root(i) => Some(scope.program.shape.root().fields.get(*i)?.name.clone()),
        CKind::Local(slot) => match frame.get(*slot)? {
            Out::Known(Val::Record(r)) if !r.path.is_empty() => Some(r.path.to_string()),
            _ => None,
        },
        CKind::Field(base, record, index) => {
            let name = &scope.program.shape.field(*record, *index)?.name;
            let base_path = match scope.eval(base, frame) {
                Out::Known(Val::Record(r)) => r.path.to_string(),
                Out::Absent(p) => p,
                _ => path_of(scope, base, frame)?,
            };
            Some(join_path(&base_path, name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_written_climbs_to_an_enclosing_key() {
        let mut keys = BTreeMap::new();
        keys.insert("processing".to_string(), Span::new(0, 10));
        keys.insert("processing[a.b].dpia".to_string(), Span::new(20, 24));
        let at = nearest_written(&keys, "processing[a.b].dpia.report.ref").unwrap();
        assert_eq!(at.path, "processing[a.b].dpia");
        let at = nearest_written(&keys, "processing[c].dpia").unwrap();
        assert_eq!(at.path, "processing");
        assert!(nearest_written(&keys, "incidents[x]").is_none());
    }
}
