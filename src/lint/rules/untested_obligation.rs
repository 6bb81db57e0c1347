//! `comply::lint::untested-obligation`: an obligation no rule test expects.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::Context;

declare_lint! {
    /// # What
    ///
    /// Finds obligations that no case of the rule tests beside the rules (`*.test.yaml`,
    /// usually in the pack's `tests/` folder) names under `expect`.
    ///
    /// # Why
    ///
    /// An obligation no case expects can be broken by any later edit, of its own
    /// conditions or of the predicates and shape it reads, and `comply test` stays green.
    /// The tests are also the worked examples a reviewer reads to see what an obligation
    /// means.
    ///
    /// # Example
    ///
    /// `rules/dp/dpo.comply` declares `dp.dpo`, and no file under `rules/dp/` expects it.
    ///
    /// # Fix
    ///
    /// Add a case, with a declaration it applies to, that expects the obligation's status:
    ///
    /// ```text
    /// # rules/dp/tests/dpo.test.yaml
    /// as_of: 2026-11-23
    /// cases:
    ///   - name: a public body without a DPO
    ///     declaration_file: ../../../fixtures/violating.yaml
    ///     expect:
    ///       dp.dpo: violated
    /// ```
    ///
    /// The lint is off when the tests cannot be looked for, e.g. for the built-in packs
    /// when `comply lint` runs away from their `rules/` folder.
    pub struct UntestedObligation;
}

/// Warns about every obligation of the linted files that no test case expects.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(tested) = cx.tested else {
        return;
    };
    for (file, o, _) in cx.obligations() {
        if tested.contains(&o.id.name) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                Code::LintUntestedObligation,
                format!("no rule test expects `{}`", o.id.name),
            )
            .in_file(&file.source)
            .label(o.id.span, "not named by any test case")
            .help("name it under `expect:` in a case of a `*.test.yaml` file beside the rules"),
        );
    }
}
