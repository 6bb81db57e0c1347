//! Evaluation semantics on small packs written inline.

use crate::decl::load::load;
use crate::eval::status::{NotApplicable, Status};
use crate::eval::{evaluate, Evaluation};
use crate::packs::{self, PackSource};
use crate::program::Program;
use crate::source::SourceFile;
use crate::time::Date;

const SHAPE: &str = r#"
pack t { title "Test" version "1" }
instrument law "A law"
record Organisation {
  employees: int
  public_body: bool
  dpo: Dpo?
  register: Evidence?
  processing: list<Processing>
}
record Dpo { email: text? }
record Processing key id {
  id: text
  sensitive: bool
  large_scale: bool
  monitoring: bool
  dpia: Evidence?
}
extend Declaration { organisation: Organisation }
"#;

fn program(rules: &str) -> Program {
    program_of(vec![
        SourceFile::new("shape.comply", SHAPE),
        SourceFile::new("rules.comply", rules),
    ])
}

fn program_of(files: Vec<SourceFile>) -> Program {
    match packs::load(vec![PackSource {
        folder: "t".into(),
        files,
    }]) {
        Ok(p) => p,
        Err(d) => panic!(
            "{:?}",
            d.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    }
}

fn run(rules: &str, decl: &str) -> Evaluation {
    let p = program(rules);
    let d = match load(&p.shape, SourceFile::new("org.yaml", decl)) {
        Ok(d) => d,
        Err(e) => panic!(
            "{:?}",
            e.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    };
    evaluate(&p, &d, Date::parse("2026-11-23").unwrap(), "en")
}

fn statuses(e: &Evaluation) -> Vec<(Option<String>, Status)> {
    e.results
        .iter()
        .map(|r| (r.item.as_deref().map(str::to_string), r.status))
        .collect()
}

#[test]
fn a_missing_required_fact_is_unknown_and_named() {
    let e = run(
        "obligation t.a { require organisation.employees < 250 }",
        "organisation: {public_body: false}",
    );
    assert_eq!(e.results[0].status, Status::Unknown);
    assert_eq!(e.results[0].missing(), vec!["organisation.employees"]);
}

#[test]
fn a_missing_optional_record_means_there_is_none() {
    let e = run(
        "obligation t.a { require organisation.dpo is present }\n\
         obligation t.b { require organisation.dpo.email is missing }",
        "organisation: {employees: 3, public_body: false}",
    );
    assert_eq!(e.results[0].status, Status::Violated);
    assert_eq!(e.results[1].status, Status::Satisfied);
}

#[test]
fn false_wins_over_unknown_in_a_conjunction() {
    let e = run(
        "obligation t.a { applies when organisation.public_body and organisation.employees > 10 \
         require false }",
        "organisation: {public_body: false}",
    );
    assert_eq!(e.results[0].status, Status::NotApplicable);
}

#[test]
fn evidence_that_is_absent_or_expired_is_needed_not_assumed() {
    let rules = "obligation t.a { require organisation.register }";
    let absent = run(rules, "organisation: {employees: 3, public_body: false}");
    assert_eq!(absent.results[0].status, Status::Unknown);
    assert_eq!(absent.results[0].missing(), vec!["organisation.register"]);
    let expired = run(
        rules,
        "organisation: {register: {ref: r.pdf, collected: 2024-01-01, expires: 2025-01-01}}",
    );
    assert_eq!(expired.results[0].status, Status::Unknown);
    assert!(expired.results[0].reasons()[0].contains("expired on 2025-01-01"));
    let valid = run(
        rules,
        "organisation: {register: {ref: r.pdf, collected: 2026-01-01}}",
    );
    assert_eq!(valid.results[0].status, Status::Satisfied);
}

#[test]
fn two_known_criteria_decide_a_count_with_a_third_unknown() {
    let rules = "obligation t.a for p in organisation.processing {\n\
        applies when count([p.sensitive, p.large_scale, p.monitoring]) >= 2\n\
        require p.dpia }";
    let e = run(
        rules,
        "organisation:\n  processing:\n    - {id: a, sensitive: true, large_scale: true}\n    - {id: b, sensitive: false, large_scale: false}\n    - {id: c, sensitive: true, large_scale: false}\n",
    );
    assert_eq!(
        statuses(&e),
        vec![
            (Some("a".into()), Status::Unknown),
            (Some("b".into()), Status::NotApplicable),
            (Some("c".into()), Status::Unknown),
        ]
    );
    assert_eq!(
        e.results[0].missing(),
        vec!["organisation.processing[a].dpia"]
    );
    // Whether it applies waits for the third criterion; whether it holds waits for the report.
    assert_eq!(
        e.results[2].missing(),
        vec![
            "organisation.processing[c].dpia",
            "organisation.processing[c].monitoring"
        ]
    );
}

#[test]
fn blocked_names_the_root_cause_through_a_chain() {
    let rules = "obligation t.a { require organisation.employees < 10 }\n\
        obligation t.b { depends on t.a require true }\n\
        obligation t.c { depends on t.b require true }";
    let e = run(rules, "organisation: {employees: 50}");
    let c = e.results.iter().find(|r| r.obligation == 2).unwrap();
    assert_eq!(c.status, Status::Blocked);
    assert_eq!(c.blocked_by().len(), 1);
    assert_eq!(c.blocked_by()[0].obligation, "t.a");
}

#[test]
fn an_unknown_prerequisite_leaves_the_dependent_unknown() {
    let rules = "obligation t.a { require organisation.employees < 10 }\n\
        obligation t.b { depends on t.a require true }";
    let e = run(rules, "organisation: {}");
    assert_eq!(e.results[1].status, Status::Unknown);
    assert_eq!(e.results[1].missing(), vec!["organisation.employees"]);
}

#[test]
fn dependencies_hold_item_to_item_over_the_same_list() {
    let rules = "obligation t.a for p in organisation.processing { require p.sensitive }\n\
        obligation t.b for p in organisation.processing { depends on t.a require true }";
    let e = run(
        rules,
        "organisation:\n  processing:\n    - {id: x, sensitive: true}\n    - {id: y, sensitive: false}\n",
    );
    let b: Vec<_> = e
        .results
        .iter()
        .filter(|r| r.obligation == 1)
        .map(|r| r.status)
        .collect();
    assert_eq!(b, vec![Status::Satisfied, Status::Blocked]);
}

#[test]
fn an_override_supersedes_and_two_overrides_conflict() {
    let one = "obligation t.general { require false }\n\
        obligation t.special { overrides t.general applies when organisation.public_body require true }";
    let e = run(one, "organisation: {public_body: true}");
    assert_eq!(
        e.results[0].not_applicable,
        Some(NotApplicable::Superseded("t.special".into()))
    );
    let two = format!("{one}\nobligation t.other {{ overrides t.general require true }}");
    let e = run(&two, "organisation: {public_body: true}");
    assert_eq!(e.results[0].status, Status::Unknown);
    assert_eq!(e.conflicts.len(), 1);
}

#[test]
fn in_force_and_pending_follow_the_evaluation_date() {
    let rules = "obligation t.future { in_force from 2027-01-01 require false }\n\
        obligation t.past { in_force from 2020-01-01 until 2026-01-01 require false }\n\
        obligation t.pending { pending \"awaiting a decree\" require false }";
    let e = run(rules, "organisation: {}");
    let why: Vec<_> = e.results.iter().map(|r| r.not_applicable.clone()).collect();
    assert_eq!(
        why,
        vec![
            Some(NotApplicable::NotYetInForce(
                Date::parse("2027-01-01").unwrap()
            )),
            Some(NotApplicable::NoLongerInForce(
                Date::parse("2026-01-01").unwrap()
            )),
            Some(NotApplicable::Pending("awaiting a decree".into())),
        ]
    );
}

#[test]
fn unless_exempts_with_its_reason_and_messages_show_facts() {
    let rules = "obligation t.a {\n\
        unless organisation.employees < 250 because \"fewer than 250 employees\"\n\
        require organisation.dpo is present else \"{organisation.employees} employees and no DPO\" }";
    let small = run(rules, "organisation: {employees: 12}");
    assert_eq!(
        small.results[0].not_applicable,
        Some(NotApplicable::Exempted("fewer than 250 employees".into()))
    );
    let big = run(rules, "organisation: {employees: 300}");
    assert_eq!(big.results[0].reasons(), ["300 employees and no DPO"]);
}

#[test]
fn datetime_differences_compare_with_hour_durations() {
    let rules = "record Incident key id { id: text  found: datetime  told: datetime? }\n\
        extend Declaration { incidents: list<Incident> }\n\
        obligation t.notify for i in incidents { require i.told - i.found <= 72h }";
    let e = run(
        rules,
        "incidents:\n  - {id: late, found: 2026-03-01T10:00:00Z, told: 2026-03-04T10:00:01Z}\n  - {id: ok, found: 2026-03-01T10:00:00+07:00, told: 2026-03-04T03:00:00Z}\n  - {id: never, found: 2026-03-01T10:00:00Z}\n",
    );
    assert_eq!(
        statuses(&e),
        vec![
            (Some("late".into()), Status::Violated),
            (Some("ok".into()), Status::Satisfied),
            (Some("never".into()), Status::Violated),
        ]
    );
}

/// Rules joining two lists by key are answered from an index; the verdicts and the missing
/// facts must be those of the item-by-item scan, which `and true` forces.
#[test]
fn joins_by_key_decide_as_the_scan_does() {
    let shape = r#"
pack j { title "Joins" version "1" }
record Activity key id { id: text }
record Transfer key ref { ref: text  activity: text  safeguards: bool? }
extend Declaration { activities: list<Activity>  transfers: list<Transfer> }
"#;
    let decl = r#"
activities: [{id: a}, {id: b}, {id: c}, {id: d}]
transfers:
  - {ref: t1, activity: a}
  - {ref: t2, activity: a}
  - {ref: t3, activity: c}
  - {ref: t4}
"#;
    let forms = [
        (
            "any t in transfers: t.activity == p.id",
            "any t in transfers: t.activity == p.id and true",
        ),
        (
            "all t in transfers: t.activity == p.id",
            "all t in transfers: t.activity == p.id and true",
        ),
        (
            "(count t in transfers: p.id == t.activity) < 2",
            "(count t in transfers: p.id == t.activity and true) < 2",
        ),
    ];
    let verdicts = |rule: &str| {
        let rules = format!("obligation j.o for p in activities {{ require {rule} }}");
        let files = vec![
            SourceFile::new("shape.comply", shape),
            SourceFile::new("rules.comply", rules),
        ];
        let p = packs::load(vec![PackSource {
            folder: "j".into(),
            files,
        }])
        .unwrap_or_else(|d| {
            panic!(
                "{:?}",
                d.iter()
                    .map(|x| x.message().to_string())
                    .collect::<Vec<_>>()
            )
        });
        let d =
            load(&p.shape, SourceFile::new("org.yaml", decl)).unwrap_or_else(|_| panic!("loads"));
        evaluate(&p, &d, Date::parse("2026-11-23").unwrap(), "en")
            .results
            .iter()
            .map(|r| (r.item.as_deref().map(str::to_string), r.status, r.missing()))
            .collect::<Vec<_>>()
    };
    for (indexed, scanned) in forms {
        let (a, b) = (verdicts(indexed), verdicts(scanned));
        assert_eq!(a, b, "{indexed}");
        assert_eq!(a.len(), 4);
    }
    // The unstated activity of t4 leaves `any` unknown where no stated one matches.
    let any = verdicts(forms[0].0);
    assert_eq!(any[0].1, Status::Satisfied);
    assert_eq!(any[1].1, Status::Unknown);
    assert_eq!(any[1].2, vec!["transfers[t4].activity"]);
}

/// Ten processing activities, all monitored.
fn ten_activities() -> String {
    let items: Vec<String> = (0..10)
        .map(|i| format!("{{id: p{i}, sensitive: false, large_scale: false, monitoring: true}}"))
        .collect();
    format!(
        "organisation: {{employees: 3, public_body: false, processing: [{}]}}",
        items.join(", ")
    )
}

/// Runs `rules` on [`ten_activities`] with a budget of `steps` expressions per result.
fn run_within(rules: &str, steps: u64) -> Evaluation {
    let mut p = program(rules);
    p.max_steps = steps;
    let d = match load(&p.shape, SourceFile::new("org.yaml", ten_activities())) {
        Ok(d) => d,
        Err(e) => panic!("{:?}", e.iter().map(|x| x.message()).collect::<Vec<_>>()),
    };
    evaluate(&p, &d, Date::parse("2026-11-23").unwrap(), "en")
}

#[test]
fn a_result_past_its_budget_of_expressions_is_cut_short_and_unknown() {
    // 10 × 10 × 10 bodies of a few expressions each: thousands of steps.
    let rules = "obligation t.a { require all a in organisation.processing: \
                 all b in organisation.processing: all c in organisation.processing: \
                 a.monitoring or b.monitoring or c.monitoring }";
    let within = run_within(rules, 1_000_000);
    assert_eq!(within.results[0].status, Status::Satisfied);
    assert!(!within.results[0].stopped());
    let cut = run_within(rules, 500);
    assert_eq!(cut.results[0].status, Status::Unknown);
    assert!(cut.results[0].stopped());
    assert_eq!(
        cut.results[0].reasons(),
        ["evaluation stopped after 500 expressions"]
    );
}

#[test]
fn once_one_item_is_cut_short_the_others_of_its_obligation_are_not_decided() {
    let rules = "obligation t.a for p in organisation.processing { \
                 require all b in organisation.processing: all c in organisation.processing: \
                 p.monitoring or b.monitoring or c.monitoring }\n\
                 obligation t.b for p in organisation.processing { require p.monitoring }";
    let e = run_within(rules, 100);
    let of = |id: &str| -> Vec<bool> {
        e.results
            .iter()
            .filter(|r| r.obligation == usize::from(id == "t.b"))
            .map(|r| r.stopped())
            .collect()
    };
    assert_eq!(of("t.a"), vec![true; 10]);
    assert_eq!(
        of("t.b"),
        vec![false; 10],
        "a cheap obligation keeps its budget"
    );
}

#[test]
fn a_value_the_rules_cannot_compute_is_unknown_and_named_by_its_place_in_the_rules() {
    let p = program_of(vec![
        SourceFile::new("shape.comply", SHAPE),
        SourceFile::new(
            "ratios.comply",
            "define per_head(o: Organisation) =\n  100 / o.employees\n",
        ),
        SourceFile::new(
            "rules.comply",
            "obligation t.a {\n  require per_head(organisation) > 1\n    or organisation.employees * 9223372036854775807 > 1\n}\n",
        ),
    ]);
    let decl = |employees: i64| {
        let text = format!("organisation: {{employees: {employees}, public_body: false}}");
        load(&p.shape, SourceFile::new("org.yaml", text)).unwrap()
    };
    let as_of = Date::parse("2026-11-23").unwrap();
    let zero = evaluate(&p, &decl(0), as_of, "en");
    let r = &zero.results[0];
    assert_eq!(r.status, Status::Unknown);
    // The predicate's file while its body runs, the obligation's again after it returns.
    assert_eq!(r.reasons(), ["ratios.comply:2:3: division by zero"]);
    assert!(
        r.missing().is_empty(),
        "nothing to declare: {:?}",
        r.missing()
    );
    let two = evaluate(&p, &decl(2), as_of, "fr");
    assert_eq!(two.results[0].status, Status::Satisfied);
    let big = evaluate(&p, &decl(1000), as_of, "fr");
    assert_eq!(
        big.results[0].reasons(),
        ["rules.comply:3:8 : dépassement de capacité"]
    );
}

#[test]
fn sums_of_decimal_figures_compare_as_the_figures_mean() {
    let p = program_of(vec![SourceFile::new(
        "shares.comply",
        "pack t { title \"Test\" version \"1\" }\n\
         record Shares { a: number  b: number }\n\
         extend Declaration { shares: Shares }\n\
         obligation t.cap { require shares.a + shares.b <= 0.3 }\n\
         obligation t.exact { require shares.a + shares.b == 0.3 }\n\
         obligation t.scaled { require shares.a * 3 == 0.3 and 0.3 - shares.b == shares.a }\n\
         obligation t.third { require shares.b / 3 * 3 == shares.b and 1 / 3 == 0.333333333333333 }\n",
    )]);
    let decl = load(
        &p.shape,
        SourceFile::new("org.yaml", "shares: {a: 0.1, b: 0.2}"),
    )
    .unwrap();
    let e = evaluate(&p, &decl, Date::parse("2026-11-23").unwrap(), "en");
    let satisfied: Vec<Status> = e.results.iter().map(|r| r.status).collect();
    assert_eq!(satisfied, [Status::Satisfied; 4], "{:?}", e.results);
    let over = load(
        &p.shape,
        SourceFile::new("org.yaml", "shares: {a: 0.1, b: 0.2000000001}"),
    )
    .unwrap();
    let e = evaluate(&p, &over, Date::parse("2026-11-23").unwrap(), "en");
    assert_eq!(
        e.results[0].status,
        Status::Violated,
        "a real excess still counts"
    );
}
