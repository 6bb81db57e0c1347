//! The registry of lints: one row per lint, its stable code, its documentation and the
//! function that runs it.
//!
//! Codes are a public interface: allow comments and CI logs name them. A lint's code never
//! changes meaning; a lint that is retired keeps its code unused.

use super::rules::{
    dependency_not_in_force, duplicate_condition, impossible_condition, missing_citation,
    missing_french, missing_message, unknown_allow, untested_obligation, unused_define,
};
use super::Context;
use crate::diagnostic::{Code, Diagnostic};

/// One lint.
pub struct LintRule {
    /// Its stable code, `comply::lint::<name>`.
    pub code: Code,
    /// What / Why / Example / Fix, as written in the lint's doc comment.
    pub doc: &'static str,
    /// Runs it, adding its warnings.
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

impl LintRule {
    /// The name used in allow comments: the code without `comply::lint::`.
    pub fn name(&self) -> &'static str {
        short_name(self.code)
    }

    /// The first sentence of the documentation.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("")
    }
}

/// Every lint, in the order they run.
pub static RULES: &[LintRule] = &[
    LintRule {
        code: Code::LintMissingCitation,
        doc: missing_citation::MissingCitation::DOC,
        check: missing_citation::check,
    },
    LintRule {
        code: Code::LintMissingFrench,
        doc: missing_french::MissingFrench::DOC,
        check: missing_french::check,
    },
    LintRule {
        code: Code::LintUnusedDefine,
        doc: unused_define::UnusedDefine::DOC,
        check: unused_define::check,
    },
    LintRule {
        code: Code::LintUntestedObligation,
        doc: untested_obligation::UntestedObligation::DOC,
        check: untested_obligation::check,
    },
    LintRule {
        code: Code::LintMissingMessage,
        doc: missing_message::MissingMessage::DOC,
        check: missing_message::check,
    },
    LintRule {
        code: Code::LintImpossibleCondition,
        doc: impossible_condition::ImpossibleCondition::DOC,
        check: impossible_condition::check,
    },
    LintRule {
        code: Code::LintDuplicateCondition,
        doc: duplicate_condition::DuplicateCondition::DOC,
        check: duplicate_condition::check,
    },
    LintRule {
        code: Code::LintDependencyNotInForce,
        doc: dependency_not_in_force::DependencyNotInForce::DOC,
        check: dependency_not_in_force::check,
    },
    LintRule {
        code: Code::LintUnknownAllow,
        doc: unknown_allow::UnknownAllow::DOC,
        check: unknown_allow::check,
    },
];

/// The lint of a code or a short name (`missing-french`).
pub fn find(name: &str) -> Option<&'static LintRule> {
    let name = name.trim();
    let short = name.strip_prefix(PREFIX).unwrap_or(name);
    RULES.iter().find(|r| r.name() == short)
}

const PREFIX: &str = "comply::lint::";

/// A lint code without its `comply::lint::` prefix.
pub fn short_name(code: Code) -> &'static str {
    let full = code.as_str();
    full.strip_prefix(PREFIX).unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_namespaced_kebab_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(r.code.as_str().starts_with(PREFIX), "{}", r.code.as_str());
            assert!(
                r.name().chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name()
            );
            assert!(seen.insert(r.name()), "{} twice", r.name());
        }
    }

    #[test]
    fn every_lint_is_documented_as_what_why_example_fix() {
        for r in RULES {
            for heading in ["# What", "# Why", "# Example", "# Fix"] {
                assert!(
                    r.doc.lines().any(|l| l.trim() == heading),
                    "{} lacks `{heading}`",
                    r.name()
                );
            }
            assert!(!r.summary().is_empty(), "{}", r.name());
        }
    }

    #[test]
    fn lints_are_found_by_code_or_short_name() {
        assert_eq!(
            find("comply::lint::missing-french").map(|r| r.code),
            Some(Code::LintMissingFrench)
        );
        assert_eq!(
            find("missing-french").map(|r| r.code),
            Some(Code::LintMissingFrench)
        );
        assert!(find("missing_french").is_none());
    }
}
