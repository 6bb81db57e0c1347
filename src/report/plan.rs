//! The remediation plan: failing results in waves, prerequisites first.
//!
//! A result's wave is one more than the latest wave among its failing prerequisites, so
//! the first wave holds everything that can be fixed now; within a wave, the most severe
//! come first. Each step names the steps it unblocks.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{human, DeclRef, Report, ResultRow};
use crate::ast::Severity;
use crate::graph::EdgeKind;
use crate::phrase::phrase;
use crate::program::{Domain, Program};

/// One thing to do.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// Obligation id.
    pub obligation: String,
    /// Item key.
    pub item: Option<String>,
    /// Violated, blocked or unknown.
    pub status: crate::eval::status::Status,
    /// Severity.
    pub severity: &'static str,
    /// Title.
    pub title: String,
    /// Citation.
    pub citation: String,
    /// Why it fails.
    pub reasons: Vec<String>,
    /// Facts to declare.
    pub missing: Vec<String>,
    /// How to comply.
    pub remedy: Option<String>,
    /// Failing prerequisites, `id` or `id[item]`.
    pub after: Vec<String>,
    /// Steps this one unblocks, `id` or `id[item]`.
    pub unblocks: Vec<String>,
}

/// Steps that can be taken together.
#[derive(Clone, Debug, Serialize)]
pub struct Wave {
    /// One-based.
    pub wave: usize,
    /// Most severe first, then by id.
    pub steps: Vec<Step>,
}

/// The plan for one declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// Shape version.
    pub schema_version: u32,
    /// Evaluation date.
    pub as_of: String,
    /// The declaration.
    pub declaration: DeclRef,
    /// Waves in order.
    pub waves: Vec<Wave>,
}

/// The failing prerequisites of each failing result, by result index.
///
/// Direct prerequisites, not the root causes `blocked_by` names, so a chain takes one
/// wave per link. A prerequisite superseded for an item is not applicable there, yet
/// `check` blocks on what supersedes it; the plan must wait for that stand-in too, or
/// the blocked result lands in the same wave as its cause.
fn failing_prerequisites(program: &Program, report: &Report) -> Vec<Vec<usize>> {
    let mut by_obligation: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, r) in report.results.iter().enumerate() {
        by_obligation.entry(&*r.obligation).or_default().push(i);
        by_name.insert(super::row_name(r), i);
    }
    let failing = |j: &usize| {
        report
            .results
            .get(*j)
            .is_some_and(|c| c.status.is_failing())
    };
    report
        .results
        .iter()
        .map(|r| {
            if !r.status.is_failing() {
                return Vec::new();
            }
            let Some(ob) = program.obligation(&r.obligation) else { return Vec::new() };
            let mut pre = Vec::new();
            // Prerequisites, and obligations whose result this one reads (directly or
            // through predicates): fixing those first may settle this one.
            let needed = program
                .graph
                .needs(&ob.id)
                .into_iter()
                .filter(|(_, kind)| matches!(kind, EdgeKind::DependsOn | EdgeKind::Reads))
                .filter_map(|(id, _)| program.obligation(&id));
            for p_ob in needed {
                let same_list = matches!((&ob.domain, &p_ob.domain), (Domain::Each(a), Domain::Each(b)) if a == b);
                for &j in by_obligation.get(p_ob.id.as_str()).into_iter().flatten() {
                    let Some(candidate) = report.results.get(j) else { continue };
                    if same_list && candidate.item != r.item {
                        continue;
                    }
                    // A superseded prerequisite is stood in for by what supersedes it.
                    let j = match &candidate.superseded_by {
                        Some(by) => {
                            let name = super::item_name(by, candidate.item.as_deref());
                            by_name.get(&name).copied().unwrap_or(j)
                        }
                        None => j,
                    };
                    if failing(&j) && !pre.contains(&j) {
                        pre.push(j);
                    }
                }
            }
            pre
        })
        .collect()
}

/// Orders the failing results of a report into waves.
pub fn plan(program: &Program, report: &Report) -> Plan {
    let pre = failing_prerequisites(program, report);
    // Results come in id order, not dependency order: settle waves by relaxation, which
    // ends because the prerequisite relation is acyclic.
    let mut wave: Vec<usize> = vec![0; report.results.len()];
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= report.results.len() {
        changed = false;
        rounds += 1;
        for (i, ps) in pre.iter().enumerate() {
            let w = ps
                .iter()
                .filter_map(|p| wave.get(*p))
                .map(|w| w + 1)
                .max()
                .unwrap_or(0);
            if wave.get(i).is_some_and(|x| *x != w) {
                if let Some(slot) = wave.get_mut(i) {
                    *slot = w;
                }
                changed = true;
            }
        }
    }
    let mut unblocks: Vec<Vec<String>> = vec![Vec::new(); report.results.len()];
    for (i, ps) in pre.iter().enumerate() {
        let Some(r) = report.results.get(i) else {
            continue;
        };
        for p in ps {
            if let Some(u) = unblocks.get_mut(*p) {
                u.push(super::row_name(r));
            }
        }
    }
    let step = |i: usize, r: &ResultRow| Step {
        obligation: r.obligation.to_string(),
        item: r.item.as_deref().map(str::to_string),
        status: r.status,
        severity: r.about.severity,
        title: r.about.title.clone(),
        citation: r.about.citation.clone(),
        reasons: r.reasons.clone(),
        missing: r.missing.clone(),
        remedy: r.remedy().map(str::to_string),
        after: pre
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|p| report.results.get(*p))
            .map(super::row_name)
            .collect(),
        unblocks: unblocks.get(i).cloned().unwrap_or_default(),
    };
    let mut waves: Vec<Wave> = Vec::new();
    let failing: Vec<usize> = (0..report.results.len())
        .filter(|i| {
            report
                .results
                .get(*i)
                .is_some_and(|r| r.status.is_failing())
        })
        .collect();
    let last = failing.iter().filter_map(|i| wave.get(*i)).max().copied();
    for w in 0..=last.unwrap_or(0) {
        let mut steps: Vec<(Severity, usize)> = failing
            .iter()
            .filter(|i| wave.get(**i) == Some(&w))
            .filter_map(|i| {
                report.results.get(*i).map(|r| {
                    (
                        Severity::parse(r.about.severity).unwrap_or(Severity::Medium),
                        *i,
                    )
                })
            })
            .collect();
        steps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let steps: Vec<Step> = steps
            .into_iter()
            .filter_map(|(_, i)| report.results.get(i).map(|r| step(i, r)))
            .collect();
        if !steps.is_empty() {
            waves.push(Wave {
                wave: waves.len() + 1,
                steps,
            });
        }
    }
    Plan {
        schema_version: super::SCHEMA_VERSION,
        as_of: report.as_of.clone(),
        declaration: report.declaration.clone(),
        waves,
    }
}

/// The plan as JSON.
pub fn render_json(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).unwrap_or_default();
    s.push('\n');
    s
}

fn count(plan: &Plan) -> usize {
    plan.waves.iter().map(|w| w.steps.len()).sum()
}

/// The plan for people.
pub fn render_human(plan: &Plan, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "remediation plan — {} ({}), {} {}: {} steps in {} waves",
        plan.declaration.organisation,
        plan.declaration.path,
        phrase(lang, "as of"),
        plan.as_of,
        count(plan),
        plan.waves.len()
    );
    if plan.waves.is_empty() {
        let _ = writeln!(
            out,
            "\nnothing to do: no violated, blocked or unknown result"
        );
    }
    let mut n = 0;
    for w in &plan.waves {
        let _ = writeln!(out);
        let heading = if w.wave == 1 {
            "no unmet prerequisite".to_string()
        } else {
            format!("after wave {}", w.wave - 1)
        };
        let _ = writeln!(out, "wave {} — {heading}", w.wave);
        for s in &w.steps {
            n += 1;
            let item = s
                .item
                .as_ref()
                .map(|i| format!(" [{i}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {n}. [{}] {}{item} — {} ({})",
                s.severity, s.obligation, s.title, s.status
            );
            let d = human::Details {
                citation: &s.citation,
                reasons: &s.reasons,
                missing: &s.missing,
                remedy: s.remedy.as_deref(),
            };
            human::details(&mut out, "     ", &d, human::Style { colour: false }, lang);
            if !s.unblocks.is_empty() {
                let _ = writeln!(out, "     unblocks: {}", s.unblocks.join(", "));
            }
        }
    }
    out
}

/// The plan as Markdown, for a pull request or a ticket.
pub fn render_markdown(plan: &Plan, lang: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Remediation plan: {}\n",
        plan.declaration.organisation
    );
    let _ = writeln!(
        out,
        "Declaration `{}`, {} {}: {} steps in {} waves.",
        plan.declaration.path,
        phrase(lang, "as of"),
        plan.as_of,
        count(plan),
        plan.waves.len()
    );
    if plan.waves.is_empty() {
        let _ = writeln!(
            out,
            "\nNothing to do: no violated, blocked or unknown result."
        );
    }
    for w in &plan.waves {
        let _ = writeln!(out, "\n## Wave {}\n", w.wave);
        for s in &w.steps {
            let item = s
                .item
                .as_ref()
                .map(|i| format!(" `{i}`"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [ ] **{}**{item} — {} (*{}*, {})",
                s.obligation, s.title, s.severity, s.status
            );
            if !s.citation.is_empty() {
                let _ = writeln!(out, "  - {}", s.citation);
            }
            for r in &s.reasons {
                let _ = writeln!(out, "  - {r}");
            }
            if !s.missing.is_empty() {
                let _ = writeln!(
                    out,
                    "  - {}: `{}`",
                    phrase(lang, "missing"),
                    s.missing.join("`, `")
                );
            }
            if let Some(remedy) = &s.remedy {
                let _ = writeln!(out, "  - {}: {remedy}", phrase(lang, "remedy"));
            }
            if !s.unblocks.is_empty() {
                let _ = writeln!(out, "  - unblocks: {}", s.unblocks.join(", "));
            }
        }
    }
    out
}
