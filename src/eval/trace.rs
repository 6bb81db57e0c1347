//! Evaluation traces for `comply explain`: every sub-condition of one obligation, for one
//! item, with its value and the declared facts it read.

use serde::Serialize;

use super::expr::Scope;
use super::status::{ItemResult, Status};
use super::tri::Tri;
use super::value::{Out, Val};
use super::{display, in_force, Evaluation};
use crate::ast::BinaryOp;
use crate::decl::value::{join_path, Declaration, Value};
use crate::program::expr::{CExpr, CKind};
use crate::program::{Domain, ObligationDef, Program};
use crate::source::{one_line, SourceFile};

/// One sub-condition and what it came to.
#[derive(Clone, Debug, Serialize)]
pub struct TraceNode {
    /// The expression as written.
    pub text: String,
    /// `true`, `false`, `unknown`, or the value.
    pub value: String,
    /// Facts read directly by this expression: `(path, value)`.
    pub facts: Vec<(String, String)>,
    /// Sub-conditions.
    pub children: Vec<TraceNode>,
}

/// One clause of the obligation.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseTrace {
    /// `applies when`, `unless` or `require`.
    pub clause: &'static str,
    /// The exemption's name or the requirement's message.
    pub note: Option<String>,
    /// The condition's evaluation.
    pub condition: TraceNode,
}

/// A prerequisite's verdict.
#[derive(Clone, Debug, Serialize)]
pub struct DependencyTrace {
    /// Its id.
    pub obligation: String,
    /// Items looked at, with their statuses.
    pub results: Vec<(Option<String>, Status)>,
}

/// The trace of one result.
#[derive(Clone, Debug, Serialize)]
pub struct Trace {
    /// Obligation id.
    pub obligation: String,
    /// Item key.
    pub item: Option<String>,
    /// Whether it is in force at the evaluation date, and why not.
    pub in_force: Option<String>,
    /// Clauses in the order they are decided.
    pub clauses: Vec<ClauseTrace>,
    /// Prerequisites.
    pub dependencies: Vec<DependencyTrace>,
    /// The verdict.
    pub status: Status,
    /// The verdict's reasons.
    pub reasons: Vec<String>,
    /// Facts to declare.
    pub missing: Vec<String>,
}

/// Why a trace cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceError {
    /// The obligation iterates over a list and no item was named; the keys there are.
    ItemNeeded(Vec<String>),
    /// The item named is not in the list; the keys there are.
    NoSuchItem(String, Vec<String>),
}

fn tri_word(t: &Tri) -> String {
    match t {
        Tri::True => "true".into(),
        Tri::False => "false".into(),
        Tri::Unknown(_) => "unknown".into(),
    }
}

/// Traces the result of `ob` for an item (by key) after a full evaluation.
pub fn trace(
    program: &Program,
    decl: &Declaration,
    evaluation: &Evaluation,
    ob_index: usize,
    item: Option<&str>,
    lang: &str,
) -> Result<Trace, TraceError> {
    let grouped = evaluation.results.by_obligation();
    let Some(ob) = program.obligations.get(ob_index) else {
        return Err(TraceError::ItemNeeded(Vec::new()));
    };
    let own: Vec<&ItemResult> = evaluation
        .results
        .of(ob_index)
        .unwrap_or_default()
        .iter()
        .collect();
    let keys: Vec<String> = own
        .iter()
        .filter_map(|r| r.item.as_deref().map(str::to_string))
        .collect();
    let position = match (&ob.domain, item) {
        (Domain::Organisation, _) => None,
        (Domain::Each(_), None) if keys.len() == 1 => Some(0),
        (Domain::Each(_), None) => return Err(TraceError::ItemNeeded(keys)),
        (Domain::Each(_), Some(k)) => match keys.iter().position(|x| x == k) {
            Some(p) => Some(p),
            None => return Err(TraceError::NoSuchItem(k.to_string(), keys)),
        },
    };
    let result = match position {
        Some(p) => own.get(p).copied(),
        None => own.first().copied(),
    };
    let Some(result) = result else {
        return Err(TraceError::ItemNeeded(keys));
    };
    let joins = super::join::Joins::default();
    let scope = Scope::new(
        program,
        decl,
        evaluation.as_of,
        grouped,
        &joins,
        ob,
        position,
    );
    let mut frame: Vec<Out<'_>> = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
    if let (Some(p), Some(list)) = (position, &ob.list) {
        let mut empty = vec![Out::Unknown(Vec::new()); ob.locals.max(1)];
        if let Out::Known(Val::Stated(values)) = scope.eval(list, &mut empty) {
            if let (Some(Value::Record(r)), Some(slot)) = (values.get(p), frame.get_mut(0)) {
                *slot = Out::Known(Val::Record(r));
            }
        }
    }
    let file = program.files.get(ob.file);
    let tracer = Tracer {
        scope: &scope,
        lang,
    };
    let pack = program.pack_of(ob);
    let not_in_force = in_force(
        pack.and_then(|p| p.in_force),
        pack.and_then(|p| p.pending.as_ref()),
        evaluation.as_of,
    )
    .or_else(|| in_force(ob.in_force, ob.pending.as_ref(), evaluation.as_of));
    let mut clauses = Vec::new();
    for (cond, _) in &ob.applies_when {
        clauses.push(ClauseTrace {
            clause: "applies when",
            note: None,
            condition: tracer.node(cond, file, &mut frame),
        });
    }
    for u in &ob.unless {
        clauses.push(ClauseTrace {
            clause: "unless",
            note: Some(u.because.plain(lang)),
            condition: tracer.node(&u.condition, file, &mut frame),
        });
    }
    for r in &ob.requires {
        clauses.push(ClauseTrace {
            clause: "require",
            note: Some(r.message.plain(lang)),
            condition: tracer.node(&r.condition, file, &mut frame),
        });
    }
    let dependencies = dependencies(program, grouped, ob, position);
    Ok(Trace {
        obligation: ob.id.clone(),
        item: result.item.as_deref().map(str::to_string),
        in_force: not_in_force.map(|w| w.describe(lang)),
        clauses,
        dependencies,
        status: result.status,
        reasons: {
            let mut r = result.reasons().to_vec();
            if let Some(why) = &result.not_applicable {
                r.insert(0, why.describe(lang));
            }
            r
        },
        missing: result.missing(),
    })
}

fn dependencies(
    program: &Program,
    grouped: &[Option<Vec<ItemResult>>],
    ob: &ObligationDef,
    position: Option<usize>,
) -> Vec<DependencyTrace> {
    ob.depends_on
        .iter()
        .filter_map(|&p| {
            let pre = program.obligations.get(p)?;
            // A prerequisite without results (over an empty list) is left out.
            let results = grouped.get(p)?.as_ref().filter(|rs| !rs.is_empty())?;
            let same =
                matches!((&ob.domain, &pre.domain), (Domain::Each(a), Domain::Each(b)) if a == b);
            let picked: Vec<(Option<String>, Status)> = results
                .iter()
                .enumerate()
                .filter(|(i, _)| !same || Some(*i) == position)
                .map(|(_, r)| (r.item.as_deref().map(str::to_string), r.status))
                .collect();
            Some(DependencyTrace {
                obligation: pre.id.clone(),
                results: picked,
            })
        })
        .collect()
}

struct Tracer<'s, 'a> {
    scope: &'s Scope<'a>,
    lang: &'s str,
}

impl<'a> Tracer<'_, 'a> {
    fn node(&self, e: &'a CExpr, file: Option<&SourceFile>, frame: &mut Vec<Out<'a>>) -> TraceNode {
        let text = file.map(|f| one_line(f.slice(e.span))).unwrap_or_default();
        let children: Vec<&'a CExpr> = match &e.kind {
            CKind::Binary(BinaryOp::And | BinaryOp::Or, a, b) => vec![a, b],
            CKind::Not(a) => vec![a],
            CKind::CountOf(list) => counted(list),
            // `count([...]) >= 2`: the counted conditions are what the reader wants to see.
            CKind::Binary(_, a, b) => match (&a.kind, &b.kind) {
                (CKind::CountOf(list), _) | (_, CKind::CountOf(list)) => counted(list),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let value = if e.ty == crate::program::shape::Type::Bool {
            tri_word(&self.scope.truth(e, frame))
        } else {
            display(
                self.scope.program,
                &e.ty,
                &self.scope.eval(e, frame),
                self.lang,
            )
        };
        let mut node = TraceNode {
            text,
            value,
            facts: Vec::new(),
            children: Vec::new(),
        };
        if children.is_empty() {
            if let CKind::Call(index, args) = &e.kind {
                // Step into the predicate, with its parameters bound to the arguments.
                if let Some(d) = self.scope.program.defines.get(*index) {
                    let mut inner: Vec<Out<'a>> =
                        args.iter().map(|a| self.scope.eval(a, frame)).collect();
                    inner.resize(d.locals.max(args.len()), Out::Unknown(Vec::new()));
                    let file = self.scope.program.files.get(d.file);
                    node.children.push(self.node(&d.body, file, &mut inner));
                }
            }
            let mut paths = Vec::new();
            collect_paths(e, &mut paths);
            for p in paths {
                let out = self.scope.eval(p, frame);
                if let Some(path) = self.path_of(p, frame) {
                    let shown = match (&p.ty, &out) {
                        // A record is shown by whether it is there; its fields show themselves.
                        (crate::program::shape::Type::Record(_), Out::Known(_)) => {
                            "present".to_string()
                        }
                        _ => display(self.scope.program, &p.ty, &out, self.lang),
                    };
                    if !node.facts.iter().any(|(x, _)| *x == path) {
                        node.facts.push((path, shown));
                    }
                }
            }
        } else {
            node.children = children
                .into_iter()
                .map(|c| self.node(c, file, frame))
                .collect();
        }
        node
    }

    /// The declaration path a path expression reads.
    fn path_of(&self, e: &'a CExpr, frame: &mut Vec<Out<'a>>) -> Option<String> {
        match &e.kind {
            CKind::Root(i) => Some(self.scope.program.shape.root().fields.get(*i)?.name.clone()),
            CKind::Local(slot) => match frame.get(*slot)? {
                Out::Known(Val::Record(r)) if !r.path.is_empty() => Some(r.path.to_string()),
                _ => None,
            },
            CKind::Field(base, record, index) => {
                let name = &self.scope.program.shape.field(*record, *index)?.name;
                let base_path = match self.scope.eval(base, frame) {
                    Out::Known(Val::Record(r)) => r.path.to_string(),
                    Out::Absent(p) => p,
                    _ => self.path_of(base, frame)?,
                };
                Some(join_path(&base_path, name))
            }
            _ => None,
        }
    }
}

fn counted(list: &CExpr) -> Vec<&CExpr> {
    match &list.kind {
        CKind::List(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// The outermost paths to declared facts inside an expression (not inside quantifier
/// bodies, whose variables change per item).
pub(super) fn collect_paths<'a>(e: &'a CExpr, out: &mut Vec<&'a CExpr>) {
    if e.is_path() {
        if !matches!(e.kind, CKind::Local(_)) {
            out.push(e);
        }
        return;
    }
    match &e.kind {
        CKind::Binary(_, a, b) => {
            collect_paths(a, out);
            collect_paths(b, out);
        }
        CKind::Not(a)
        | CKind::Neg(a)
        | CKind::Presence(a, _)
        | CKind::CountOf(a)
        | CKind::EvidenceValid(a) => {
            collect_paths(a, out);
        }
        CKind::List(items) | CKind::Call(_, items) => {
            for i in items {
                collect_paths(i, out);
            }
        }
        CKind::Quantifier(_, _, list, _) => collect_paths(list, out),
        CKind::Literal(_)
        | CKind::Today
        | CKind::Local(_)
        | CKind::Root(_)
        | CKind::Field(..)
        | CKind::Constant(_)
        | CKind::ObligationRef(..) => {}
    }
}
