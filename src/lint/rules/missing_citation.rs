//! `comply::lint::missing-citation`: an obligation with no `cite`.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::Context;

declare_lint! {
    /// # What
    ///
    /// Finds obligations with no `cite` clause.
    ///
    /// # Why
    ///
    /// An obligation is a reading of the law. Without a citation nobody can check the
    /// reading against the text, reports cannot say where a duty comes from, and a
    /// declarant cannot look it up. The catalogue (`comply doc`) shows an empty citation.
    ///
    /// # Example
    ///
    /// ```text
    /// obligation dp.register {
    ///   title en "Keep a register of processing activities"
    ///   require organisation.register is present
    /// }
    /// ```
    ///
    /// # Fix
    ///
    /// Cite the provision, with an instrument the packs declare:
    ///
    /// ```text
    /// obligation dp.register {
    ///   title en "Keep a register of processing activities"
    ///   cite gdpr "art. 30(1)"
    ///   require organisation.register is present
    /// }
    /// ```
    pub struct MissingCitation;
}

/// Warns about every obligation of the linted files that cites nothing.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, o, def) in cx.obligations() {
        if !o.cites.is_empty() {
            continue;
        }
        // Suggest an instrument of the obligation's own pack when it declares one.
        let pack = cx.program.pack_of(def).map(|p| p.id.as_str());
        let instrument = cx
            .program
            .instruments
            .iter()
            .find(|i| Some(i.pack.as_str()) == pack)
            .or_else(|| cx.program.instruments.first())
            .map_or("an_instrument", |i| i.id.as_str());
        out.push(
            Diagnostic::warning(
                Code::LintMissingCitation,
                format!("obligation `{}` cites no provision", o.id.name),
            )
            .in_file(&file.source)
            .label(o.id.span, "no `cite` clause")
            .help(format!(
                "say where the duty comes from, e.g. `cite {instrument} \"art. 12(1)\"`"
            )),
        );
    }
}
