//! `comply::lint::missing-message`: a `require` with no `else` message.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{written, Context};

declare_lint! {
    /// # What
    ///
    /// Finds `require` clauses written without an `else` message.
    ///
    /// # Why
    ///
    /// When a requirement fails, its message is what the declarant reads. Without one the
    /// report falls back to "requirement not met: " followed by the condition as written,
    /// which speaks the rule language rather than the declarant's, and is not translated.
    ///
    /// # Example
    ///
    /// ```text
    /// require organisation.dpo is present
    /// ```
    ///
    /// # Fix
    ///
    /// Say what is wrong, in every language the pack offers:
    ///
    /// ```text
    /// require organisation.dpo is present
    ///   else en "No data protection officer is designated"
    ///        fr "Aucun délégué à la protection des données n'est désigné"
    /// ```
    pub struct MissingMessage;
}

/// Warns about every `require` of the linted files with no `else`.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, o, _) in cx.obligations() {
        for r in o.requires.iter().filter(|r| r.message.is_none()) {
            out.push(
                Diagnostic::warning(
                    Code::LintMissingMessage,
                    format!("a `require` of `{}` has no `else` message", o.id.name),
                )
                .in_file(&file.source)
                .label(written(&file.source, r.condition.span), "no `else` message")
                .help("add `else en \"...\" fr \"...\"` saying what is wrong, in the declarant's words"),
            );
        }
    }
}
