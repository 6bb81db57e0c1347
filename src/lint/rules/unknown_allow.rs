//! `comply::lint::unknown-allow`: an allow comment that names no lint.

use crate::diagnostic::{closest, did_you_mean, Code, Diagnostic};
use crate::lint::{allow, codes, Context};

declare_lint! {
    /// # What
    ///
    /// Finds `# comply:` comments that are not a well-formed allow list, and allow lists
    /// naming a code that is not a lint.
    ///
    /// # Why
    ///
    /// An allow comment with a misspelt code silences nothing, and says so nowhere: the
    /// author believes the warning is dealt with, and the next run shows it again (or,
    /// worse, the comment is copied around as if it worked).
    ///
    /// # Example
    ///
    /// ```text
    /// # comply: allow(missing-fr)
    /// ```
    ///
    /// # Fix
    ///
    /// Name the lint by its code without the `comply::lint::` prefix:
    ///
    /// ```text
    /// # comply: allow(missing-french)
    /// ```
    pub struct UnknownAllow;
}

/// Warns about malformed `# comply:` comments and unknown codes in allow lists.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = codes::RULES.iter().map(codes::LintRule::name).collect();
    for f in &cx.files {
        for d in allow::directives(&f.source) {
            let Some(listed) = d.names else {
                out.push(
                    Diagnostic::warning(Code::LintUnknownAllow, "a `comply:` comment that is not an allow list")
                        .in_file(&f.source)
                        .label(d.span, "not understood")
                        .help("write `# comply: allow(code, ...)`, e.g. `# comply: allow(missing-french)`"),
                );
                continue;
            };
            for (name, span) in listed {
                if codes::find(&name).is_some() {
                    continue;
                }
                out.push(
                    Diagnostic::warning(
                        Code::LintUnknownAllow,
                        format!("`{name}` is not a lint code"),
                    )
                    .in_file(&f.source)
                    .label(span, "allows nothing")
                    .help(
                        match closest(&name, names.iter().copied(), 1).first() {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => did_you_mean(&name, names.iter().copied()),
                        },
                    ),
                );
            }
        }
    }
}
