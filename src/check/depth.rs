//! Limits on how deeply predicates call one another, measured when the packs load.
//!
//! Evaluating a call evaluates the predicate's body inside the caller's, one stack frame
//! per level, so the stack an evaluation needs grows with the chain of calls and with how
//! deeply each body along it nests. One rule file bounds the nesting of its expressions
//! (`syntax::limits`), but a chain of `define`s is bounded only by how many there are,
//! and a generated pack can hold tens of thousands. Past these limits the pack is refused
//! with a diagnostic at the `define` whose call crosses the limit, so the evaluator never
//! overflows the stack, whatever the rule files.
//!
//! Measured with the default 8 MiB stack of the main thread, before these limits: the
//! evaluator overflowed at a chain of about 3,900 predicates in a debug build and 13,000
//! in a release build, and at 64 predicates whose bodies nest 400 levels each in a debug
//! build. The shipped packs chain at most 5 predicates and nest at most 20 levels.

use crate::diagnostic::{Code, Diagnostic};
use crate::program::expr::{CExpr, CKind};
use crate::source::{SourceFile, Span};

/// The most predicates a chain of calls may pass through, the first included.
///
/// Fifty times the longest chain of the shipped packs. Evaluating a chain this long
/// takes about 0.4 MiB of stack in a debug build.
pub const MAX_CALL_DEPTH: usize = 256;

/// The most levels of expression evaluating a predicate may nest, counting the bodies
/// of the predicates it calls, each inside its call.
///
/// An obligation's own condition adds at most 400 levels (`syntax::limits`). At both
/// limits, evaluating and explaining a result need at most about the stack that
/// type-checking one expression at the 400-level limit needs: 4.2 MiB in a debug build,
/// 1.2 MiB in a release build (measured), half or less of the 8 MiB of the main thread.
pub const MAX_NESTED_LEVELS: usize = 1_000;

/// How deep evaluating one `define` goes.
#[derive(Clone, Copy, Debug)]
struct Depth {
    /// Predicates on the longest chain of calls starting here, this one included.
    calls: usize,
    /// Levels of expression, the bodies of the predicates called included.
    levels: usize,
    /// A limit is passed here or further down the chain (and reported once, there).
    over: bool,
}

/// The depth of every `define` checked so far, by its index in check order.
pub(super) struct Depths {
    by_index: Vec<Option<Depth>>,
}

/// The call in a body that leads deepest, by one measure.
#[derive(Clone, Copy)]
struct Deepest {
    value: usize,
    callee: usize,
    span: Span,
}

impl Depths {
    /// Room for `defines` defines, none measured yet.
    pub(super) fn new(defines: usize) -> Self {
        Depths {
            by_index: vec![None; defines],
        }
    }

    /// Measures the body of the define at `index`, written in `source`, whose callees
    /// are measured already (callees caught in a cycle, reported elsewhere, count as not
    /// calling further). Returns a diagnostic when this define is where a limit is passed;
    /// `name_of` names a define by index for it.
    pub(super) fn measure<'n>(
        &mut self,
        index: usize,
        body: &CExpr,
        source: &SourceFile,
        name_of: impl Fn(usize) -> &'n str,
    ) -> Option<Diagnostic> {
        let mut levels = 0;
        let mut calls: Option<Deepest> = None;
        let mut through: Option<Deepest> = None;
        let mut callee_over = false;
        let mut stack: Vec<(&CExpr, usize)> = vec![(body, 1)];
        while let Some((e, level)) = stack.pop() {
            levels = levels.max(level);
            let below = level + 1;
            match &e.kind {
                CKind::Call(callee, _) | CKind::Constant(callee) => {
                    if let Some(Some(d)) = self.by_index.get(*callee) {
                        callee_over |= d.over;
                        let deeper = |best: Option<Deepest>, value: usize| match best {
                            Some(b) if b.value >= value => Some(b),
                            _ => Some(Deepest {
                                value,
                                callee: *callee,
                                span: e.span,
                            }),
                        };
                        calls = deeper(calls, d.calls);
                        through = deeper(through, level + d.levels);
                    }
                    if let CKind::Call(_, args) = &e.kind {
                        stack.extend(args.iter().map(|a| (a, below)));
                    }
                }
                CKind::Field(x, _, _)
                | CKind::Not(x)
                | CKind::Neg(x)
                | CKind::Presence(x, _)
                | CKind::CountOf(x)
                | CKind::EvidenceValid(x) => stack.push((x, below)),
                CKind::List(items) => stack.extend(items.iter().map(|x| (x, below))),
                CKind::Binary(_, a, b) | CKind::Quantifier(_, _, a, b) => {
                    stack.push((a, below));
                    stack.push((b, below));
                }
                CKind::Literal(_)
                | CKind::Today
                | CKind::Local(_)
                | CKind::Root(_)
                | CKind::ObligationRef(..) => {}
            }
        }
        let depth = Depth {
            calls: 1 + calls.map_or(0, |c| c.value),
            levels: levels.max(through.map_or(0, |t| t.value)),
            over: callee_over,
        };
        let found = if callee_over {
            None
        } else {
            match (calls, through) {
                (Some(c), _) if depth.calls > MAX_CALL_DEPTH => Some(
                    Diagnostic::error(
                        Code::Limit,
                        format!("predicates call one another more than {MAX_CALL_DEPTH} deep"),
                    )
                    .in_file(source)
                    .label(
                        trimmed(source, c.span),
                        format!(
                            "calling `{}` here makes the chain {} predicates long",
                            name_of(c.callee),
                            depth.calls
                        ),
                    )
                    .help(
                        "each call is evaluated inside its caller; merge some of the \
                         predicates of this chain, or have an obligation call them side by side",
                    ),
                ),
                (_, Some(t)) if depth.levels > MAX_NESTED_LEVELS => Some(
                    Diagnostic::error(
                        Code::Limit,
                        format!(
                            "`{}` nests more than {MAX_NESTED_LEVELS} levels deep, counting the predicates it calls",
                            name_of(index)
                        ),
                    )
                    .in_file(source)
                    .label(
                        trimmed(source, t.span),
                        format!(
                            "through this call of `{}` it reaches {} levels",
                            name_of(t.callee),
                            t.value
                        ),
                    )
                    .help(
                        "each call is evaluated inside its caller; shorten the chain of calls, \
                         or split the deepest conditions into predicates called side by side",
                    ),
                ),
                _ => None,
            }
        };
        if let Some(slot) = self.by_index.get_mut(index) {
            *slot = Some(Depth {
                over: depth.over || found.is_some(),
                ..depth
            });
        }
        found
    }
}

/// A span without the blanks that end it: the span of a constant read by name runs on
/// over the spaces and line breaks after the name.
fn trimmed(source: &SourceFile, span: Span) -> Span {
    let text = source.text().get(span.start..span.end).unwrap_or("");
    Span::new(span.start, span.start + text.trim_end().len())
}
