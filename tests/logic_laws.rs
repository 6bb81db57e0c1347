//! Laws of the three-valued logic, and evaluation that does not depend on item order.
//!
//! `Tri` is Kleene's strong three-valued logic, where an unknown carries the list of
//! facts it waits for. Each law is stated in two parts:
//!
//! - on the **truth value** (true, false or unknown, facts aside), where the laws of
//!   Kleene logic hold as written: De Morgan, double negation, identity, annihilation,
//!   absorption, commutativity and associativity (excluded middle does not: `a or not a`
//!   is unknown when `a` is);
//! - on the **facts** of an unknown result, where equality is of lists (same facts, same
//!   order) when the two sides combine the same operands in the same order, and of
//!   multisets when they do not (commutativity); `and` and `or` append the facts of the
//!   right operand to those of the left. Absorption keeps the truth value, and every
//!   fact of the absorbing operand, but may list more: `a and (a or b)`, with `a` and `b`
//!   unknown, also lists the facts of `b`, though only `a` decides it. The facts of a
//!   result are always facts of its operands, never new ones.
//!
//! Soundness ties the two: when a condition built from unknowns comes out true or false,
//! every way of filling in the unknowns gives that same answer.
//!
//! End to end, the verdicts on a shipped fixture are the same whatever the order of its
//! item lists (systems, processing, incidents, …), reasons included; with its lists of
//! values reordered too, the same but for the reasons, which show such lists in the order
//! written. Results are reported in declaration order, so they are compared as sorted
//! sets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use comply::decl::node::{Node, NodeKind};
use comply::decl::value::Declaration;
use comply::eval::tri::{self, Fact, Gap, Tri};
use comply::packs;
use comply::program::Program;
use comply::source::SourceFile;
use comply::time::Date;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ------------------------------------------------------------------ values

/// A fact from a small pool, so that operands share facts as often as not.
fn fact() -> impl Strategy<Value = Fact> {
    let gap = prop_oneof![
        Just(Gap::Missing),
        Just(Gap::EvidenceNeeded),
        Just(Gap::EvidenceExpired(Date::from_ymd(2026, 1, 31).unwrap())),
        Just(Gap::Invalid("overflow")),
    ];
    (prop::sample::select(vec!["a", "b", "systems[s1].mfa"]), gap).prop_map(|(path, gap)| Fact {
        path: path.to_string(),
        gap,
    })
}

/// True, false, or unknown with up to three facts (none at all included: an unknown
/// local reads as an unknown without facts).
fn tri_value() -> impl Strategy<Value = Tri> {
    prop_oneof![
        Just(Tri::True),
        Just(Tri::False),
        prop::collection::vec(fact(), 0..4).prop_map(Tri::Unknown),
    ]
}

/// The truth value, facts aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

fn truth(t: &Tri) -> Truth {
    match t {
        Tri::True => Truth::True,
        Tri::False => Truth::False,
        Tri::Unknown(_) => Truth::Unknown,
    }
}

fn facts(t: &Tri) -> Vec<Fact> {
    match t {
        Tri::Unknown(f) => f.clone(),
        _ => Vec::new(),
    }
}

/// The facts as a multiset: sorted, repeats kept.
fn multiset(t: &Tri) -> Vec<Fact> {
    let mut f = facts(t);
    f.sort();
    f
}

fn set(t: &Tri) -> BTreeSet<Fact> {
    facts(t).into_iter().collect()
}

fn and(a: &Tri, b: &Tri) -> Tri {
    a.clone().and(b.clone())
}

fn or(a: &Tri, b: &Tri) -> Tri {
    a.clone().or(b.clone())
}

fn not(a: &Tri) -> Tri {
    a.clone().negate()
}

// ------------------------------------------------------------------ operator laws

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn double_negation_is_the_identity(a in tri_value()) {
        prop_assert_eq!(not(&not(&a)), a);
    }

    #[test]
    fn de_morgan_holds_facts_and_all(a in tri_value(), b in tri_value()) {
        prop_assert_eq!(not(&and(&a, &b)), or(&not(&a), &not(&b)));
        prop_assert_eq!(not(&or(&a, &b)), and(&not(&a), &not(&b)));
    }

    #[test]
    fn true_and_false_are_identities_and_annihilators(a in tri_value()) {
        prop_assert_eq!(and(&a, &Tri::True), a.clone());
        prop_assert_eq!(and(&Tri::True, &a), a.clone());
        prop_assert_eq!(or(&a, &Tri::False), a.clone());
        prop_assert_eq!(or(&Tri::False, &a), a.clone());
        prop_assert_eq!(and(&a, &Tri::False), Tri::False);
        prop_assert_eq!(and(&Tri::False, &a), Tri::False);
        prop_assert_eq!(or(&a, &Tri::True), Tri::True);
        prop_assert_eq!(or(&Tri::True, &a), Tri::True);
    }

    #[test]
    fn and_and_or_commute_up_to_the_order_of_facts(a in tri_value(), b in tri_value()) {
        for (x, y) in [(and(&a, &b), and(&b, &a)), (or(&a, &b), or(&b, &a))] {
            prop_assert_eq!(truth(&x), truth(&y));
            prop_assert_eq!(multiset(&x), multiset(&y));
        }
        // The order is the operands' order: left facts first.
        if let (Tri::Unknown(fa), Tri::Unknown(fb)) = (&a, &b) {
            let joined: Vec<Fact> = fa.iter().chain(fb).cloned().collect();
            prop_assert_eq!(facts(&and(&a, &b)), joined.clone());
            prop_assert_eq!(facts(&or(&a, &b)), joined);
        }
    }

    #[test]
    fn and_and_or_associate_facts_and_all(a in tri_value(), b in tri_value(), c in tri_value()) {
        prop_assert_eq!(and(&and(&a, &b), &c), and(&a, &and(&b, &c)));
        prop_assert_eq!(or(&or(&a, &b), &c), or(&a, &or(&b, &c)));
    }

    #[test]
    fn absorption_keeps_the_truth_value_and_the_facts_of_the_absorbing_operand(
        a in tri_value(),
        b in tri_value(),
    ) {
        let union: BTreeSet<Fact> = set(&a).union(&set(&b)).cloned().collect();
        for x in [and(&a, &or(&a, &b)), or(&a, &and(&a, &b))] {
            prop_assert_eq!(truth(&x), truth(&a));
            prop_assert!(set(&x).is_superset(&set(&a)));
            prop_assert!(set(&x).is_subset(&union));
            if !matches!(b, Tri::Unknown(_)) {
                prop_assert_eq!(set(&x), set(&a));
            }
        }
    }

    #[test]
    fn idempotence_holds_on_truth_values_and_fact_sets(a in tri_value()) {
        for x in [and(&a, &a), or(&a, &a)] {
            prop_assert_eq!(truth(&x), truth(&a));
            prop_assert_eq!(set(&x), set(&a));
        }
    }

    #[test]
    fn excluded_middle_fails_exactly_on_unknowns(a in tri_value()) {
        let middle = or(&a, &not(&a));
        let contradiction = and(&a, &not(&a));
        if truth(&a) == Truth::Unknown {
            prop_assert_eq!(truth(&middle), Truth::Unknown);
            prop_assert_eq!(truth(&contradiction), Truth::Unknown);
        } else {
            prop_assert_eq!(middle, Tri::True);
            prop_assert_eq!(contradiction, Tri::False);
        }
    }

    #[test]
    fn each_operator_is_exact_on_its_operands(a in tri_value(), b in tri_value()) {
        // Unknown exactly when filling in the unknown operands can change the answer.
        let fills = |t: &Tri| -> Vec<bool> {
            match t {
                Tri::True => vec![true],
                Tri::False => vec![false],
                Tri::Unknown(_) => vec![false, true],
            }
        };
        type Op = (fn(&Tri, &Tri) -> Tri, fn(bool, bool) -> bool);
        let ops: [Op; 2] = [(and, |x, y| x && y), (or, |x, y| x || y)];
        for (three, two) in ops {
            let answers: BTreeSet<bool> = fills(&a)
                .into_iter()
                .flat_map(|x| fills(&b).into_iter().map(move |y| two(x, y)))
                .collect();
            let expected = match answers.len() {
                1 if answers.contains(&true) => Truth::True,
                1 => Truth::False,
                _ => Truth::Unknown,
            };
            prop_assert_eq!(truth(&three(&a, &b)), expected);
        }
    }
}

// ------------------------------------------------------------------ soundness

/// A condition over three variables.
#[derive(Clone, Debug)]
enum Cond {
    Var(usize),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

fn cond() -> impl Strategy<Value = Cond> {
    (0usize..3)
        .prop_map(Cond::Var)
        .prop_recursive(5, 32, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
            ]
        })
}

fn eval3(c: &Cond, vars: &[Tri; 3]) -> Tri {
    match c {
        Cond::Var(i) => vars[*i].clone(),
        Cond::Not(x) => eval3(x, vars).negate(),
        Cond::And(x, y) => eval3(x, vars).and(eval3(y, vars)),
        Cond::Or(x, y) => eval3(x, vars).or(eval3(y, vars)),
    }
}

fn eval2(c: &Cond, vars: [bool; 3]) -> bool {
    match c {
        Cond::Var(i) => vars[*i],
        Cond::Not(x) => !eval2(x, vars),
        Cond::And(x, y) => eval2(x, vars) && eval2(y, vars),
        Cond::Or(x, y) => eval2(x, vars) || eval2(y, vars),
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn a_decided_condition_holds_for_every_way_of_filling_in_its_unknowns(
        c in cond(),
        vars in [tri_value(), tri_value(), tri_value()],
    ) {
        let result = eval3(&c, &vars);
        let given: BTreeSet<Fact> = vars.iter().flat_map(set).collect();
        prop_assert!(set(&result).is_subset(&given), "facts come from the operands");
        let decided = match result {
            Tri::True => Some(true),
            Tri::False => Some(false),
            Tri::Unknown(_) => None,
        };
        if let Some(answer) = decided {
            for fill in 0..8u8 {
                let pick = |i: usize| match &vars[i] {
                    Tri::True => true,
                    Tri::False => false,
                    Tri::Unknown(_) => fill & (1 << i) != 0,
                };
                prop_assert_eq!(eval2(&c, [pick(0), pick(1), pick(2)]), answer);
            }
        }
    }
}

// ------------------------------------------------------------------ quantifiers

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn quantifiers_fold_the_connectives(items in prop::collection::vec(tri_value(), 0..8)) {
        let folded_all = items.iter().fold(Tri::True, |acc, t| and(&acc, t));
        let folded_any = items.iter().fold(Tri::False, |acc, t| or(&acc, t));
        prop_assert_eq!(tri::all(items.clone()), folded_all);
        prop_assert_eq!(tri::any(items.clone()), folded_any);
    }

    #[test]
    fn quantifiers_obey_de_morgan(items in prop::collection::vec(tri_value(), 0..8)) {
        let negated: Vec<Tri> = items.iter().map(not).collect();
        prop_assert_eq!(not(&tri::all(items.clone())), tri::any(negated.clone()));
        prop_assert_eq!(not(&tri::any(items.clone())), tri::all(negated));
    }

    #[test]
    fn quantifiers_do_not_depend_on_order_but_for_the_order_of_facts(
        (items, shuffled) in prop::collection::vec(tri_value(), 0..8)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
    ) {
        for (x, y) in [
            (tri::all(items.clone()), tri::all(shuffled.clone())),
            (tri::any(items.clone()), tri::any(shuffled.clone())),
        ] {
            prop_assert_eq!(truth(&x), truth(&y));
            prop_assert_eq!(multiset(&x), multiset(&y));
        }
    }

    #[test]
    fn an_unknown_item_decides_a_quantifier_only_when_nothing_else_does(
        items in prop::collection::vec(tri_value(), 0..8),
    ) {
        let has = |t: Truth| items.iter().any(|i| truth(i) == t);
        let unknown_facts: Vec<Fact> = items.iter().flat_map(facts).collect();
        let all = tri::all(items.clone());
        if has(Truth::False) {
            prop_assert_eq!(all, Tri::False);
        } else if has(Truth::Unknown) {
            prop_assert_eq!(all, Tri::Unknown(unknown_facts.clone()));
        } else {
            prop_assert_eq!(all, Tri::True);
        }
        let any = tri::any(items.clone());
        if has(Truth::True) {
            prop_assert_eq!(any, Tri::True);
        } else if has(Truth::Unknown) {
            prop_assert_eq!(any, Tri::Unknown(unknown_facts));
        } else {
            prop_assert_eq!(any, Tri::False);
        }
    }

    #[test]
    fn counts_bound_the_quantifiers(items in prop::collection::vec(tri_value(), 0..8)) {
        let c = tri::count(items.clone());
        let n = |t: Truth| items.iter().filter(|i| truth(i) == t).count() as i64;
        prop_assert_eq!(c.lo, n(Truth::True));
        prop_assert_eq!(c.hi, n(Truth::True) + n(Truth::Unknown));
        prop_assert_eq!(&c.gaps, &items.iter().flat_map(facts).collect::<Vec<_>>());
        let len = items.len() as i64;
        let any = truth(&tri::any(items.clone()));
        let all = truth(&tri::all(items.clone()));
        prop_assert_eq!(any == Truth::True, c.lo >= 1);
        prop_assert_eq!(any == Truth::False, c.hi == 0);
        prop_assert_eq!(all == Truth::True, c.lo == len);
        prop_assert_eq!(all == Truth::False, c.hi < len);
    }
}

#[test]
fn quantifiers_over_nothing_are_their_identities() {
    assert_eq!(tri::all(Vec::new()), Tri::True);
    assert_eq!(tri::any(Vec::new()), Tri::False);
    let c = tri::count(Vec::new());
    assert_eq!((c.lo, c.hi), (0, 0));
    assert!(c.gaps.is_empty());
}

// ------------------------------------------------------------------ item order

const AS_OF: &str = "2026-11-23";

fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        packs::load(packs::builtin()).unwrap_or_else(|d| panic!("built-in packs: {d:?}"))
    })
}

fn fixture(name: &str) -> (SourceFile, Node) {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let file = packs::read(std::path::Path::new(&path)).unwrap();
    let node = comply::decl::yaml::parse_yaml(&file).unwrap();
    (file, node)
}

/// Which lists to reorder.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lists {
    /// Lists of records: the items obligations range over.
    OfRecords,
    /// Every list, values too (categories, qualifications, …).
    All,
}

fn reordered(items: &[Node], lists: Lists) -> bool {
    lists == Lists::All || items.iter().all(|i| matches!(i.kind, NodeKind::Map(_)))
}

/// The length of every list to reorder, in the order [`permute`] walks them.
fn list_lengths(node: &Node, lists: Lists, out: &mut Vec<usize>) {
    match &node.kind {
        NodeKind::Seq(items) => {
            if reordered(items, lists) {
                out.push(items.len());
            }
            for i in items {
                list_lengths(i, lists, out);
            }
        }
        NodeKind::Map(entries) => {
            for (_, v) in entries {
                list_lengths(v, lists, out);
            }
        }
        _ => {}
    }
}

/// Reorders the lists: the `n`th list to reorder (in walking order) by `orders[n]`.
/// Items keep their spans, so each result still points at its item in the file.
fn permute(node: &Node, lists: Lists, orders: &[Vec<usize>], next: &mut usize) -> Node {
    let kind = match &node.kind {
        NodeKind::Seq(items) => {
            let order = if reordered(items, lists) {
                *next += 1;
                orders[*next - 1].clone()
            } else {
                (0..items.len()).collect()
            };
            let walked: Vec<Node> = items
                .iter()
                .map(|i| permute(i, lists, orders, next))
                .collect();
            NodeKind::Seq(order.iter().map(|&i| walked[i].clone()).collect())
        }
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), permute(v, lists, orders, next)))
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(kind, node.span)
}

/// One result as the report states it, order aside.
type Verdict = (
    String,
    Option<String>,
    String,
    Vec<String>,
    BTreeSet<String>,
    Vec<String>,
);

/// Every verdict on a declaration, as a set: obligation, item, status, reasons (left
/// out when `reasons` is false), the facts missing, and the root causes of a blocked
/// result.
fn verdicts(file: &SourceFile, node: &Node, reasons: bool) -> BTreeSet<Verdict> {
    let program = program();
    let root = comply::decl::typed::read(&program.shape, file, node).unwrap();
    let decl = Declaration {
        file: file.clone(),
        root,
    };
    let evaluation = comply::eval::evaluate(program, &decl, Date::parse(AS_OF).unwrap(), "en");
    evaluation
        .results
        .iter()
        .map(|r| {
            let mut causes: Vec<String> = r.blocked_by().iter().map(ToString::to_string).collect();
            causes.sort();
            (
                program.obligations[r.obligation].id.clone(),
                r.item.as_deref().map(str::to_string),
                r.status.to_string(),
                if reasons {
                    r.reasons().to_vec()
                } else {
                    Vec::new()
                },
                r.gaps().iter().map(|g| g.describe("en")).collect(),
                causes,
            )
        })
        .collect()
}

fn orders(lengths: &[usize]) -> impl Strategy<Value = Vec<Vec<usize>>> {
    lengths
        .iter()
        .map(|&n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        .collect::<Vec<_>>()
}

/// Runs 64 orders of the chosen lists of a fixture and compares the verdicts with those
/// of the order written.
fn assert_same_verdicts(name: &str, lists: Lists) {
    let (file, node) = fixture(name);
    let reasons = lists == Lists::OfRecords;
    let expected = verdicts(&file, &node, reasons);
    let mut lengths = Vec::new();
    list_lengths(&node, lists, &mut lengths);
    assert!(
        lengths.iter().filter(|&&n| n > 1).count() >= 4,
        "{name} should have several lists to reorder"
    );
    assert!(expected.len() > 50, "{name} should have many results");
    let mut runner = proptest::test_runner::TestRunner::new(config(64));
    runner
        .run(&orders(&lengths), |orders| {
            let got = verdicts(&file, &permute(&node, lists, &orders, &mut 0), reasons);
            let missing: Vec<&Verdict> = expected.difference(&got).collect();
            let extra: Vec<&Verdict> = got.difference(&expected).collect();
            prop_assert!(
                missing.is_empty() && extra.is_empty(),
                "{name} with lists reordered as {orders:?}:\nonly in the order written: \
                 {missing:#?}\nonly reordered: {extra:#?}"
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_ministry_gets_the_same_verdicts_whatever_the_order_of_its_items() {
    assert_same_verdicts("ministry.yaml", Lists::OfRecords);
}

#[test]
fn the_cloud_provider_gets_the_same_verdicts_whatever_the_order_of_its_items() {
    assert_same_verdicts("cloud-provider.yaml", Lists::OfRecords);
}

/// A message that shows a list of values shows it in the order written (qualifications
/// `iso27001, iso27017`), so with value lists reordered too the reasons are left out of
/// the comparison; the statuses, missing facts and root causes must still agree.
#[test]
fn verdicts_do_not_depend_on_the_order_of_value_lists_either() {
    assert_same_verdicts("ministry.yaml", Lists::All);
    assert_same_verdicts("cloud-provider.yaml", Lists::All);
}
