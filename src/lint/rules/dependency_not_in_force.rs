//! `comply::lint::dependency-not-in-force`: a prerequisite that is not in force whenever
//! its dependent is.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::Context;
use crate::program::{ObligationDef, Program};
use crate::time::Date;

declare_lint! {
    /// # What
    ///
    /// Finds `depends on X` where `X` is not in force over the whole period its dependent
    /// is: `X`'s `in_force` window (its own, within its pack's) starts later or ends
    /// earlier, or `X` is `pending` (its own or its pack's) while the dependent is not.
    ///
    /// # Why
    ///
    /// A prerequisite that is not in force is not applicable, and a dependency on a
    /// result that is not applicable blocks nothing. For part of the dependent's life the
    /// `depends on` silently does nothing: violations of the prerequisite no longer show
    /// as the root cause, and the remediation plan loses its order.
    ///
    /// # Example
    ///
    /// ```text
    /// obligation dp.register { in_force from 2020-01-01 ... }
    /// obligation dp.dpia {
    ///   in_force from 2018-05-25
    ///   depends on dp.register
    ///   ...
    /// }
    /// ```
    ///
    /// # Fix
    ///
    /// Align the periods (here, `dp.dpia` from 2020-01-01 or `dp.register` from
    /// 2018-05-25), make the dependent `pending` as long as its prerequisite is, or remove
    /// the dependency.
    pub struct DependencyNotInForce;
}

/// When an obligation can apply: the intersection of its pack's period and its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Period {
    from: Option<Date>,
    until: Option<Date>,
    pending: bool,
}

impl Period {
    fn of(program: &Program, ob: &ObligationDef) -> Period {
        let pack = program.pack_of(ob);
        let windows = [pack.and_then(|p| p.in_force), ob.in_force];
        Period {
            from: windows.iter().flatten().map(|w| w.from).max(),
            until: windows.iter().flatten().filter_map(|w| w.until).min(),
            pending: pack.is_some_and(|p| p.pending.is_some()) || ob.pending.is_some(),
        }
    }

    fn is_empty(self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f >= u)
    }

    /// True when every day of `other` is a day of `self`.
    fn covers(self, other: Period) -> bool {
        let starts = match (self.from, other.from) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let ends = match (self.until, other.until) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => b <= a,
        };
        starts && ends
    }

    fn describe(self) -> String {
        match (self.from, self.until) {
            (None, None) => "at all times".to_string(),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (Some(f), Some(u)) => format!("from {f} until {u}"),
        }
    }
}

/// Warns about every `depends on` of the linted files whose target is not in force over
/// the dependent's period.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (file, o, def) in cx.obligations() {
        let mine = Period::of(cx.program, def);
        if mine.pending || mine.is_empty() {
            continue;
        }
        for dep in &o.depends_on {
            let Some(pre) = cx.program.obligation(&dep.name) else {
                continue;
            };
            let theirs = Period::of(cx.program, pre);
            let (label, help) = if theirs.pending {
                (
                    "pending".to_string(),
                    format!(
                        "`{}` awaits an implementing text and never applies, so this dependency blocks nothing; make `{}` pending too, or remove the dependency",
                        dep.name, o.id.name
                    ),
                )
            } else if !theirs.covers(mine) {
                let gap = match (theirs.from, mine.from, theirs.until) {
                    (Some(f), None, _) => format!("not in force before {f}"),
                    (Some(f), Some(m), _) if f > m => format!("not in force before {f}"),
                    (_, _, Some(u)) => format!("no longer in force from {u}"),
                    _ => "not in force over the same period".to_string(),
                };
                (
                    gap,
                    format!(
                        "`{}` is in force {}, `{}` {}; while the prerequisite is not in force the dependency blocks nothing: align the `in_force` dates or remove the dependency",
                        dep.name,
                        theirs.describe(),
                        o.id.name,
                        mine.describe()
                    ),
                )
            } else {
                continue;
            };
            let message = if theirs.pending {
                format!(
                    "`{}` depends on `{}`, which is pending",
                    o.id.name, dep.name
                )
            } else {
                format!(
                    "`{}` depends on `{}`, which is not in force over the same period",
                    o.id.name, dep.name
                )
            };
            out.push(
                Diagnostic::warning(Code::LintDependencyNotInForce, message)
                    .in_file(&file.source)
                    .label(dep.span, label)
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(from: Option<&str>, until: Option<&str>) -> Period {
        Period {
            from: from.and_then(Date::parse),
            until: until.and_then(Date::parse),
            pending: false,
        }
    }

    #[test]
    fn a_period_covers_the_periods_inside_it() {
        let always = period(None, None);
        let from_2018 = period(Some("2018-05-25"), None);
        let from_2020 = period(Some("2020-01-01"), None);
        let until_2030 = period(Some("2020-01-01"), Some("2030-01-01"));
        assert!(always.covers(from_2018));
        assert!(from_2018.covers(from_2020));
        assert!(!from_2020.covers(from_2018));
        assert!(!from_2020.covers(always));
        assert!(from_2020.covers(until_2030));
        assert!(!until_2030.covers(from_2020));
    }
}
