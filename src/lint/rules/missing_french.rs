//! `comply::lint::missing-french`: a text with no French version.

use crate::ast::{Item, Texts};
use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{Context, LintedFile};

declare_lint! {
    /// # What
    ///
    /// Finds texts with no `fr` version: a pack's or an obligation's `title`, a `remedy`,
    /// a `require ... else` message and an `unless ... because` text.
    ///
    /// # Why
    ///
    /// Reports are read in English and French (`--lang fr`). A text with no French version
    /// falls back to English in the middle of a French report, which a declarant may not
    /// read, and which an inspector cannot file as is.
    ///
    /// # Example
    ///
    /// ```text
    /// remedy en "Designate a data protection officer and publish their contact details"
    /// ```
    ///
    /// # Fix
    ///
    /// Give the French text beside the English one:
    ///
    /// ```text
    /// remedy en "Designate a data protection officer and publish their contact details"
    ///        fr "Désignez un délégué à la protection des données et publiez ses coordonnées"
    /// ```
    ///
    /// A pack written for an English-only audience can allow the lint once for each file:
    /// `# comply: allow(missing-french)`.
    pub struct MissingFrench;
}

/// Warns about every text of the linted files that has no `fr` entry.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in &cx.files {
        for item in &f.ast.items {
            match item {
                Item::Pack(p) => {
                    if let Some(t) = &p.title {
                        warn(f, t, format!("the title of pack `{}`", p.id.name), out);
                    }
                }
                Item::Obligation(o) => {
                    let id = &o.id.name;
                    if let Some(t) = &o.title {
                        warn(f, t, format!("the title of `{id}`"), out);
                    }
                    for u in &o.unless {
                        if let Some(t) = &u.because {
                            warn(f, t, format!("a `because` text of `{id}`"), out);
                        }
                    }
                    for r in &o.requires {
                        if let Some(t) = &r.message {
                            warn(f, t, format!("an `else` message of `{id}`"), out);
                        }
                    }
                    if let Some(t) = &o.remedy {
                        warn(f, t, format!("the remedy of `{id}`"), out);
                    }
                }
                _ => {}
            }
        }
    }
}

fn warn(f: &LintedFile, t: &Texts, what: String, out: &mut Vec<Diagnostic>) {
    if t.entries.iter().any(|e| e.lang == "fr") {
        return;
    }
    let span = t.entries.first().map_or(t.span, |e| e.span);
    out.push(
        Diagnostic::warning(
            Code::LintMissingFrench,
            format!("{what} has no French version"),
        )
        .in_file(&f.source)
        .label(span, "no `fr` text beside this")
        .help("add the French text after it: `fr \"...\"`"),
    );
}
