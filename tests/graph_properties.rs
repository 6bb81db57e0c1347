//! Properties of the obligation graph, the verdicts it leads to and the remediation plan.
//!
//! Random acyclic packs are generated as text (obligation `i` may depend only on
//! obligations declared before it), with a random declaration that makes each
//! obligation's own requirement hold, fail or stay undecided. The pack is loaded,
//! evaluated, reported and planned through the public API, and the outcome is checked
//! against a small model of the rules in `docs/language.md`, section 10:
//!
//! - a result is `blocked` only if its own requirement holds, and every blocked result
//!   names at least one root cause, each a `violated` result with no failing
//!   prerequisite of its own;
//! - in the plan, every failing prerequisite of a step (`after`) is in an earlier wave, the
//!   first wave has no step with a failing prerequisite, and within a wave steps are
//!   ordered by severity (most severe first), then id.
//!
//! Failures are not persisted to files; proptest prints the shrunk case, with the pack
//! and the declaration it stands for.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use comply::decl;
use comply::eval::{self, status::Status};
use comply::packs::{self, PackSource};
use comply::program::Program;
use comply::report::{self, plan::Plan, Report};
use comply::source::SourceFile;
use comply::time::Date;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A fact as the declaration states it: true, false, or left out.
fn fact() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(Some(true)), Just(Some(false)), Just(None)]
}

fn yaml_fact(out: &mut String, indent: &str, name: &str, value: Option<bool>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{indent}{name}: {v}");
    }
}

fn load(pack: &str, declaration: &str) -> (Program, Report, Plan) {
    let rules = SourceFile::new("rules.comply", pack);
    let program = match packs::load(vec![PackSource {
        folder: "g".into(),
        files: vec![rules],
    }]) {
        Ok(p) => p,
        Err(d) => panic!(
            "the generated pack does not load: {:?}\n{pack}",
            d.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    };
    let file = SourceFile::new("org.yaml", declaration);
    let declaration = match decl::load::load(&program.shape, file) {
        Ok(d) => d,
        Err(d) => panic!(
            "the generated declaration does not load: {:?}\n{declaration}",
            d.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    };
    let today = Date::parse("2026-11-23").unwrap();
    let evaluation = eval::evaluate(&program, &declaration, today, "en");
    let report = report::build(&program, &declaration, &evaluation, "en");
    let plan = report::plan::plan(&program, &report);
    (program, report, plan)
}

/// The status the rules give a result whose own requirement is `own` (true, false or
/// undecided) and whose prerequisite results have `pre` statuses.
fn expected_status(own: Option<bool>, pre: &[Status]) -> Status {
    match own {
        None => Status::Unknown,
        Some(false) => Status::Violated,
        Some(true) => {
            if pre
                .iter()
                .any(|s| matches!(s, Status::Violated | Status::Blocked))
            {
                Status::Blocked
            } else if pre.contains(&Status::Unknown) {
                Status::Unknown
            } else {
                Status::Satisfied
            }
        }
    }
}

/// What the checks need to know about one result, by its name (`id` or `id[item]`).
struct Node {
    status: Status,
    /// Its own requirement: true, false or undecided.
    own: Option<bool>,
    /// Its prerequisite results, by name.
    prerequisites: Vec<String>,
    /// Severity rank (0 = info).
    severity: usize,
    /// Position of its result in the report.
    position: usize,
}

/// What root causes (`blocked_by`) are checked to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Roots {
    /// As `docs/language.md` (section 10) defines them, exactly: the unsatisfied
    /// obligations at the start of each chain of failing prerequisites.
    Documented,
    /// Violated results none of whose own prerequisites fails: the first thing to fix.
    True,
}

/// The root causes the language reference gives a blocked result.
fn documented_causes(nodes: &HashMap<String, Node>, name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &nodes[name].prerequisites {
        match nodes[p].status {
            Status::Violated => {
                let further = documented_causes(nodes, p);
                if further.is_empty() {
                    out.insert(p.clone());
                } else {
                    out.extend(further);
                }
            }
            Status::Blocked => out.extend(documented_causes(nodes, p)),
            _ => {}
        }
    }
    out
}

/// Checks the report and the plan against the model; `nodes` is keyed by result name.
fn check_outcome(
    nodes: &HashMap<String, Node>,
    report: &Report,
    plan: &Plan,
    roots: Roots,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(report.results.len(), nodes.len(), "one result per node");
    for r in &report.results {
        let name = report::row_name(r);
        let node = nodes
            .get(&name)
            .ok_or_else(|| TestCaseError::fail(format!("unexpected result {name}")))?;
        prop_assert_eq!(r.status, node.status, "status of {}", name);
        // Blocked only if its own requirement holds.
        if r.status == Status::Blocked {
            prop_assert_eq!(
                node.own,
                Some(true),
                "{} is blocked but its requirement does not hold",
                name
            );
            prop_assert!(
                !r.blocked_by.is_empty(),
                "{} is blocked with no root cause",
                name
            );
        } else {
            prop_assert!(
                r.blocked_by.is_empty(),
                "{} is {} yet names root causes",
                name,
                r.status
            );
        }
        let names: BTreeSet<&String> = r.blocked_by.iter().collect();
        prop_assert_eq!(
            names.len(),
            r.blocked_by.len(),
            "{}: `blocked_by` repeats itself",
            name
        );
        for cause in &r.blocked_by {
            let c = nodes.get(cause).ok_or_else(|| {
                TestCaseError::fail(format!("{name}: root cause {cause} is no result"))
            })?;
            prop_assert_eq!(
                c.status,
                Status::Violated,
                "{}: root cause {} is not violated",
                name,
                cause
            );
            if roots == Roots::True {
                // An unknown prerequisite is not known to be unsatisfied, so it does not
                // make a violated obligation any less of a root.
                let failing: Vec<&String> = c
                    .prerequisites
                    .iter()
                    .filter(|p| {
                        nodes
                            .get(*p)
                            .is_some_and(|n| matches!(n.status, Status::Violated | Status::Blocked))
                    })
                    .collect();
                prop_assert!(
                    failing.is_empty(),
                    "{}: root cause {} is no root: its prerequisites {:?} fail",
                    name,
                    cause,
                    failing
                );
            }
        }
        if roots == Roots::Documented && r.status == Status::Blocked {
            let expected = documented_causes(nodes, &name);
            let names: BTreeSet<String> = r.blocked_by.iter().cloned().collect();
            prop_assert_eq!(names, expected, "root causes of {}", name);
        }
    }

    // The plan: every failing result once, in the wave after its latest failing
    // prerequisite.
    let mut wave_of: HashMap<String, usize> = HashMap::new();
    for (i, w) in plan.waves.iter().enumerate() {
        prop_assert_eq!(w.wave, i + 1, "waves are numbered from one");
        prop_assert!(!w.steps.is_empty(), "wave {} is empty", w.wave);
        for s in &w.steps {
            let name = report::item_name(&s.obligation, s.item.as_deref());
            prop_assert!(
                wave_of.insert(name.clone(), w.wave).is_none(),
                "{} appears twice in the plan",
                name
            );
        }
    }
    let failing: BTreeSet<&String> = nodes
        .iter()
        .filter(|(_, n)| n.status.is_failing())
        .map(|(k, _)| k)
        .collect();
    let planned: BTreeSet<&String> = wave_of.keys().collect();
    prop_assert_eq!(
        planned,
        failing,
        "the plan holds exactly the failing results"
    );
    for w in &plan.waves {
        for s in &w.steps {
            let name = report::item_name(&s.obligation, s.item.as_deref());
            let node = &nodes[&name];
            let expected_after: BTreeSet<&String> = node
                .prerequisites
                .iter()
                .filter(|p| nodes[*p].status.is_failing())
                .collect();
            let after: BTreeSet<&String> = s.after.iter().collect();
            prop_assert_eq!(
                s.after.len(),
                after.len(),
                "{}: `after` repeats itself",
                name
            );
            prop_assert_eq!(
                &after,
                &expected_after,
                "{}: `after` is not its failing prerequisites",
                name
            );
            let mut latest = 0;
            for p in &s.after {
                let pw = wave_of[p];
                prop_assert!(
                    pw < w.wave,
                    "{} (wave {}) comes no later than its prerequisite {} (wave {})",
                    name,
                    w.wave,
                    p,
                    pw
                );
                latest = latest.max(pw);
            }
            prop_assert_eq!(
                w.wave,
                latest + 1,
                "{} is not in the wave after its latest prerequisite",
                name
            );
            if w.wave == 1 {
                prop_assert!(
                    s.after.is_empty(),
                    "{} is in the first wave with prerequisites",
                    name
                );
            }
            // `unblocks` is the converse of `after`.
            let expected_unblocks: BTreeSet<String> = plan
                .waves
                .iter()
                .flat_map(|w| &w.steps)
                .filter(|t| t.after.contains(&name))
                .map(|t| report::item_name(&t.obligation, t.item.as_deref()))
                .collect();
            let unblocks: BTreeSet<String> = s.unblocks.iter().cloned().collect();
            prop_assert_eq!(
                unblocks,
                expected_unblocks,
                "{}: `unblocks` is not the converse of `after`",
                name
            );
        }
        // Most severe first, then by id (and item in declaration order: report order).
        let keys: Vec<(std::cmp::Reverse<usize>, String, usize)> = w
            .steps
            .iter()
            .map(|s| {
                let n = &nodes[&report::item_name(&s.obligation, s.item.as_deref())];
                (
                    std::cmp::Reverse(n.severity),
                    s.obligation.clone(),
                    n.position,
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(
            keys,
            sorted,
            "wave {} is not ordered by severity, then id",
            w.wave
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Organisation-level obligations.

/// A random acyclic pack of organisation-level obligations and a declaration for it.
#[derive(Clone, Debug)]
struct OrgCase {
    /// `depends_on[i]` lists obligations `j < i`.
    depends_on: Vec<Vec<usize>>,
    /// The fact `f{i}` each obligation requires.
    facts: Vec<Option<bool>>,
    /// Index into `SEVERITIES`.
    severity: Vec<usize>,
}

impl OrgCase {
    /// Ids are not zero-padded, so id order (`g.o10` before `g.o2`) differs from
    /// declaration and dependency order.
    fn id(i: usize) -> String {
        format!("g.o{i}")
    }

    fn pack(&self) -> String {
        let n = self.facts.len();
        let mut s =
            String::from("pack g { title \"Graph\" version \"1\" }\nrecord Organisation {\n");
        for i in 0..n {
            let _ = writeln!(s, "  f{i}: bool");
        }
        s.push_str("}\nextend Declaration { organisation: Organisation }\n");
        // Declared in reverse, so that neither declaration nor id order is a dependency
        // order.
        for i in (0..n).rev() {
            let _ = writeln!(s, "obligation {} {{", Self::id(i));
            let _ = writeln!(s, "  severity {}", SEVERITIES[self.severity[i]]);
            if !self.depends_on[i].is_empty() {
                let ids: Vec<String> = self.depends_on[i].iter().map(|&j| Self::id(j)).collect();
                let _ = writeln!(s, "  depends on {}", ids.join(", "));
            }
            let _ = writeln!(s, "  require organisation.f{i}\n}}");
        }
        s
    }

    fn declaration(&self) -> String {
        let mut s = String::from("organisation:\n");
        if self.facts.iter().all(Option::is_none) {
            return "organisation: {}\n".to_string();
        }
        for (i, f) in self.facts.iter().enumerate() {
            yaml_fact(&mut s, "  ", &format!("f{i}"), *f);
        }
        s
    }

    fn nodes(&self, report: &Report) -> HashMap<String, Node> {
        let mut status: Vec<Status> = Vec::new();
        for (i, own) in self.facts.iter().enumerate() {
            let pre: Vec<Status> = self.depends_on[i].iter().map(|&j| status[j]).collect();
            status.push(expected_status(*own, &pre));
        }
        let position: HashMap<String, usize> = report
            .results
            .iter()
            .enumerate()
            .map(|(k, r)| (report::row_name(r), k))
            .collect();
        (0..self.facts.len())
            .map(|i| {
                let id = Self::id(i);
                let node = Node {
                    status: status[i],
                    own: self.facts[i],
                    prerequisites: self.depends_on[i].iter().map(|&j| Self::id(j)).collect(),
                    severity: self.severity[i],
                    position: position.get(&id).copied().unwrap_or(usize::MAX),
                };
                (id, node)
            })
            .collect()
    }
}

fn org_case() -> impl Strategy<Value = OrgCase> {
    (1..=25usize).prop_flat_map(|n| {
        (
            // Sparse edges: each earlier obligation with probability 0.15.
            proptest::collection::vec(
                proptest::collection::vec(proptest::bool::weighted(0.15), n),
                n,
            ),
            proptest::collection::vec(fact(), n),
            proptest::collection::vec(0..SEVERITIES.len(), n),
        )
            .prop_map(|(edges, facts, severity)| OrgCase {
                depends_on: edges
                    .iter()
                    .enumerate()
                    .map(|(i, row)| (0..i).filter(|&j| row[j]).collect())
                    .collect(),
                facts,
                severity,
            })
    })
}

fn check_org(case: &OrgCase, roots: Roots) -> Result<(), TestCaseError> {
    let pack = case.pack();
    let declaration = case.declaration();
    let (_, report, plan) = load(&pack, &declaration);
    let nodes = case.nodes(&report);
    check_outcome(&nodes, &report, &plan, roots).map_err(|e| {
        TestCaseError::fail(format!(
            "{e}\n--- pack\n{pack}--- declaration\n{declaration}"
        ))
    })
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn organisation_graphs_block_and_plan_by_their_prerequisites(case in org_case()) {
        check_org(&case, Roots::Documented)?;
    }

    #[test]
    fn organisation_root_causes_are_true_roots(case in org_case()) {
        check_org(&case, Roots::True)?;
    }
}

/// The smallest case the property `organisation_root_causes_are_true_roots` shrinks to:
/// `g.o2` depends on `g.o1` depends on `g.o0`, `g.o0` and `g.o1` violated, `g.o2`'s own
/// requirement holds. `g.o2` is blocked, and its root cause is `g.o0`, where the chain of
/// failures starts, not `g.o1`, which itself waits for `g.o0`.
#[test]
fn root_causes_of_a_chain_of_violations() {
    let case = OrgCase {
        depends_on: vec![vec![], vec![0], vec![1]],
        facts: vec![Some(false), Some(false), Some(true)],
        severity: vec![2, 2, 2],
    };
    let (_, report, _) = load(&case.pack(), &case.declaration());
    let o2 = report
        .results
        .iter()
        .find(|r| &*r.obligation == "g.o2")
        .unwrap();
    assert_eq!(o2.status, Status::Blocked);
    assert_eq!(o2.blocked_by, vec!["g.o0".to_string()]);
}

// ---------------------------------------------------------------------------------------
// Per-item obligations over one list.

/// Three per-item obligations over `organisation.items` (`l.a`, `l.b`, `l.c`), chained
/// by `depends on` so that each item waits for the same item of its prerequisite, and an
/// organisation-level `l.z` that may wait for every item of `l.c`.
#[derive(Clone, Debug)]
struct ItemCase {
    /// Each item's facts `a`, `b`, `c`, in declaration order; keys are `k{n}`.
    items: Vec<(usize, [Option<bool>; 3])>,
    /// Whether `l.c` depends on `l.b`, and whether on `l.a`.
    c_on_b: bool,
    c_on_a: bool,
    /// Whether `l.z` depends on `l.c`.
    z_on_c: bool,
    /// The fact `z` that `l.z` requires.
    z: Option<bool>,
    /// Severity of `l.a`, `l.b`, `l.c`, `l.z`.
    severity: [usize; 4],
}

impl ItemCase {
    const NAMES: [&'static str; 3] = ["a", "b", "c"];

    fn key(&self, item: usize) -> String {
        format!("k{}", self.items[item].0)
    }

    fn depends_on(&self, which: usize) -> Vec<usize> {
        match which {
            1 => vec![0],
            2 => [(self.c_on_a, 0), (self.c_on_b, 1)]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, j)| j)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn pack(&self) -> String {
        let mut s = String::from(
            "pack l { title \"List\" version \"1\" }\n\
             record Item key id { id: text\n a: bool\n b: bool\n c: bool }\n\
             record Organisation { z: bool\n items: list<Item> }\n\
             extend Declaration { organisation: Organisation }\n",
        );
        for (k, name) in Self::NAMES.iter().enumerate() {
            let _ = writeln!(s, "obligation l.{name} for x in organisation.items {{");
            let _ = writeln!(s, "  severity {}", SEVERITIES[self.severity[k]]);
            let deps = self.depends_on(k);
            if !deps.is_empty() {
                let ids: Vec<String> = deps
                    .iter()
                    .map(|&j| format!("l.{}", Self::NAMES[j]))
                    .collect();
                let _ = writeln!(s, "  depends on {}", ids.join(", "));
            }
            let _ = writeln!(s, "  require x.{name}\n}}");
        }
        let _ = writeln!(
            s,
            "obligation l.z {{\n  severity {}",
            SEVERITIES[self.severity[3]]
        );
        if self.z_on_c {
            s.push_str("  depends on l.c\n");
        }
        s.push_str("  require organisation.z\n}\n");
        s
    }

    fn declaration(&self) -> String {
        let mut s = String::from("organisation:\n");
        yaml_fact(&mut s, "  ", "z", self.z);
        if self.items.is_empty() {
            s.push_str("  items: []\n");
            return s;
        }
        s.push_str("  items:\n");
        for (i, (_, facts)) in self.items.iter().enumerate() {
            let _ = writeln!(s, "    - id: {}", self.key(i));
            for (name, f) in Self::NAMES.iter().zip(facts) {
                yaml_fact(&mut s, "      ", name, *f);
            }
        }
        s
    }

    fn nodes(&self, report: &Report) -> HashMap<String, Node> {
        let position: HashMap<String, usize> = report
            .results
            .iter()
            .enumerate()
            .map(|(k, r)| (report::row_name(r), k))
            .collect();
        let mut nodes = HashMap::new();
        let mut c_status = Vec::new();
        for (i, (_, facts)) in self.items.iter().enumerate() {
            let key = self.key(i);
            let mut status: Vec<Status> = Vec::new();
            for k in 0..3 {
                let deps = self.depends_on(k);
                let pre: Vec<Status> = deps.iter().map(|&j| status[j]).collect();
                status.push(expected_status(facts[k], &pre));
                let name = format!("l.{}[{key}]", Self::NAMES[k]);
                let node = Node {
                    status: status[k],
                    own: facts[k],
                    prerequisites: deps
                        .iter()
                        .map(|&j| format!("l.{}[{key}]", Self::NAMES[j]))
                        .collect(),
                    severity: self.severity[k],
                    position: position.get(&name).copied().unwrap_or(usize::MAX),
                };
                nodes.insert(name, node);
            }
            c_status.push(status[2]);
        }
        let pre: Vec<Status> = if self.z_on_c { c_status } else { Vec::new() };
        let prerequisites = if self.z_on_c {
            (0..self.items.len())
                .map(|i| format!("l.c[{}]", self.key(i)))
                .collect()
        } else {
            Vec::new()
        };
        nodes.insert(
            "l.z".to_string(),
            Node {
                status: expected_status(self.z, &pre),
                own: self.z,
                prerequisites,
                severity: self.severity[3],
                position: position.get("l.z").copied().unwrap_or(usize::MAX),
            },
        );
        nodes
    }
}

fn item_case() -> impl Strategy<Value = ItemCase> {
    (
        // Up to six items; keys are a random injection into 0..20, so key order is not
        // declaration order.
        proptest::sample::subsequence((0..20usize).collect::<Vec<_>>(), 0..=6).prop_shuffle(),
        proptest::collection::vec([fact(), fact(), fact()], 6),
        any::<(bool, bool, bool)>(),
        fact(),
        [0..5usize, 0..5usize, 0..5usize, 0..5usize],
    )
        .prop_map(
            |(keys, facts, (c_on_b, c_on_a, z_on_c), z, severity)| ItemCase {
                items: keys.into_iter().zip(facts).collect(),
                c_on_b,
                c_on_a,
                z_on_c,
                z,
                severity,
            },
        )
}

fn check_items(case: &ItemCase, roots: Roots) -> Result<(), TestCaseError> {
    let pack = case.pack();
    let declaration = case.declaration();
    let (_, report, plan) = load(&pack, &declaration);
    let nodes = case.nodes(&report);
    check_outcome(&nodes, &report, &plan, roots).map_err(|e| {
        TestCaseError::fail(format!(
            "{e}\n--- pack\n{pack}--- declaration\n{declaration}"
        ))
    })
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn items_wait_for_the_same_item_of_their_prerequisite(case in item_case()) {
        check_items(&case, Roots::Documented)?;
    }

    #[test]
    fn item_root_causes_are_true_roots(case in item_case()) {
        check_items(&case, Roots::True)?;
    }
}
