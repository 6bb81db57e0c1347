//! The Rego version of twenty data-protection obligations (`benches/rego/dp.rego`, the ids
//! in `benches/rego/obligations.txt`) flags exactly the results comply reports `violated`.
//!
//! Both engines read the same generated declarations (`xtask::declaration`): comply
//! through the library, regorus on the JSON text. The sets of (obligation, item) pairs
//! must be equal. Declarations are also checked with facts removed or set to null, so
//! that the Rego side is held to comply's reading of missing facts (unknown, never
//! violated) and absent ones (there is none), not only to the facts the generator states.
//!
//! Generated dates fall anywhere in five years, so they seldom test a deadline to the
//! day; a third check moves them to around each deadline (the day before, the day, the
//! day after; a second either side of 72 hours), writes instants with offsets and in the
//! other forms comply reads, puts the headcount on either side of 250 and leaves some
//! organisations without any activity.
//!
//! The comparison is only worth something if it can fail: every obligation must be
//! violated somewhere and not violated elsewhere in the inputs, and violations must run
//! into the hundreds. Organisation-level obligations give one result per declaration,
//! so many small declarations are checked besides the large ones.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use comply::eval::status::Status;
use comply::program::Program;
use comply::source::SourceFile;
use comply::time::{Date, DateTime, Duration as Span};
use serde_json::Value as Json;

const POLICY: &str = include_str!("../benches/rego/dp.rego");
const OBLIGATIONS: &str = include_str!("../benches/rego/obligations.txt");
/// The evaluation date, also fixed in the policy as `today`.
const AS_OF: &str = "2026-11-23";
const RULE: &str = "data.comply.dp.violations";

/// One result: the obligation id and the item key (none for the organisation).
type Pair = (String, Option<String>);

fn ids() -> Vec<String> {
    OBLIGATIONS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn program() -> Program {
    comply::packs::load(comply::packs::builtin())
        .map_err(|d| d.len())
        .expect("the built-in packs load")
}

fn engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("benches/rego/dp.rego".to_string(), POLICY.to_string())
        .unwrap_or_else(|e| panic!("the policy does not load: {e}"));
    engine
}

/// What comply says about one declaration, for the chosen obligations.
struct Verdicts {
    violated: BTreeSet<Pair>,
    /// Per obligation: results violated, results with any other status.
    tally: BTreeMap<String, (usize, usize)>,
}

fn comply_verdicts(program: &Program, ids: &[String], json: &str) -> Verdicts {
    let decl = comply::decl::load::load(&program.shape, SourceFile::new("gen.json", json))
        .unwrap_or_else(|d| panic!("the generated declaration does not load: {d:?}"));
    let as_of = Date::parse(AS_OF).unwrap();
    let evaluation = comply::eval::evaluate(program, &decl, as_of, "en");
    let mut verdicts = Verdicts {
        violated: BTreeSet::new(),
        tally: ids.iter().map(|id| (id.clone(), (0, 0))).collect(),
    };
    for r in &evaluation.results {
        let id = &program.obligations[r.obligation].id;
        let Some(tally) = verdicts.tally.get_mut(id) else {
            continue;
        };
        if r.status == Status::Violated {
            tally.0 += 1;
            verdicts
                .violated
                .insert((id.clone(), r.item.as_deref().map(str::to_string)));
        } else {
            tally.1 += 1;
        }
    }
    verdicts
}

fn rego_violations(engine: &mut regorus::Engine, json: &str) -> BTreeSet<Pair> {
    engine
        .set_input_json(json)
        .unwrap_or_else(|e| panic!("regorus does not read the declaration: {e}"));
    let value = engine
        .eval_rule(RULE.to_string())
        .unwrap_or_else(|e| panic!("regorus fails on {RULE}: {e}"));
    let text = value.to_json_str().unwrap();
    let list: Vec<serde_json::Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{RULE} is not a set of objects ({e}): {text}"));
    list.iter()
        .map(|v| {
            let obligation = v["obligation"].as_str().unwrap_or_else(|| {
                panic!("a violation without an obligation id: {v}");
            });
            let item = match &v["item"] {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                other => panic!("an item key that is not a text: {other}"),
            };
            (obligation.to_string(), item)
        })
        .collect()
}

fn show(pairs: &BTreeSet<&Pair>) -> String {
    let mut out = String::new();
    for (id, item) in pairs.iter().take(40) {
        let _ = writeln!(out, "  {id} [{}]", item.as_deref().unwrap_or("-"));
    }
    if pairs.len() > 40 {
        let _ = writeln!(out, "  ... and {} more", pairs.len() - 40);
    }
    out
}

/// Checks one declaration and returns comply's verdicts on it.
fn check(
    program: &Program,
    engine: &mut regorus::Engine,
    ids: &[String],
    label: &str,
    json: &str,
) -> Verdicts {
    let verdicts = comply_verdicts(program, ids, json);
    let rego = rego_violations(engine, json);
    let unknown: BTreeSet<&String> = rego
        .iter()
        .map(|(id, _)| id)
        .filter(|id| !ids.contains(id))
        .collect();
    assert!(
        unknown.is_empty(),
        "{label}: the policy reports obligations not listed in obligations.txt: {unknown:?}"
    );
    let only_comply: BTreeSet<&Pair> = verdicts.violated.difference(&rego).collect();
    let only_rego: BTreeSet<&Pair> = rego.difference(&verdicts.violated).collect();
    assert!(
        only_comply.is_empty() && only_rego.is_empty(),
        "{label}: the Rego policy and comply disagree\n\
         violated for comply only ({}):\n{}\
         violated for Rego only ({}):\n{}",
        only_comply.len(),
        show(&only_comply),
        only_rego.len(),
        show(&only_rego),
    );
    verdicts
}

/// Adds one declaration's tally to the running one.
fn add(total: &mut BTreeMap<String, (usize, usize)>, verdicts: &Verdicts) {
    for (id, (v, other)) in &verdicts.tally {
        let t = total.entry(id.clone()).or_default();
        t.0 += v;
        t.1 += other;
    }
}

/// Every obligation was seen both violated and not violated.
fn assert_exercised(label: &str, total: &BTreeMap<String, (usize, usize)>) {
    eprintln!("{label}, per obligation (violated, not violated): {total:?}");
    let idle: Vec<String> = total
        .iter()
        .filter(|(_, (v, other))| *v == 0 || *other == 0)
        .map(|(id, (v, other))| format!("{id} ({v} violated, {other} not)"))
        .collect();
    assert!(
        idle.is_empty(),
        "{label}: obligations never violated or never passed, so the comparison cannot fail for them: {idle:?}"
    );
}

/// SplitMix64, as the generator uses: the same seed leaves out the same facts.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// The declaration with about `percent` % of the fields below the top level left out or
/// set to null (half each), item keys kept, so that required facts go missing and
/// optional ones absent.
fn with_gaps(json: &str, seed: u64, percent: u64) -> String {
    fn walk(v: &mut serde_json::Value, rng: &mut Rng, percent: u64, top: bool) {
        match v {
            serde_json::Value::Object(fields) => {
                if !top {
                    let names: Vec<String> = fields.keys().cloned().collect();
                    for name in names {
                        if name == "id" || rng.below(100) >= percent {
                            continue;
                        }
                        if rng.below(2) == 0 {
                            fields.remove(&name);
                        } else {
                            fields.insert(name, serde_json::Value::Null);
                        }
                    }
                }
                for child in fields.values_mut() {
                    walk(child, rng, percent, false);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(item, rng, percent, false);
                }
            }
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    walk(&mut value, &mut Rng(seed), percent, true);
    serde_json::to_string(&value).unwrap()
}

/// A date moved by a duration.
fn shift(d: Date, by: &str) -> Date {
    let span = match by.strip_prefix('-') {
        Some(rest) => Span::parse(rest).unwrap().negate().unwrap(),
        None => Span::parse(by).unwrap(),
    };
    d.shift(span).unwrap()
}

/// A day either side of a date, or the date itself.
fn around(rng: &mut Rng, d: Date) -> Date {
    d.shift(Span::seconds((rng.below(3) as i64 - 1) * 86_400))
        .unwrap()
}

/// An instant in one of the forms a declaration may use: UTC, with an offset, with a
/// fraction, lower-case separators, without seconds, a space for the `T`, a bare date.
fn instant_text(rng: &mut Rng, t: DateTime) -> String {
    let utc = t.to_string();
    let at_offset = |seconds: i64, offset: &str| {
        let local = t.shift(Span::seconds(seconds)).unwrap().to_string();
        format!("{}{offset}", &local[..19])
    };
    match rng.below(8) {
        1 => at_offset(7 * 3600, "+07:00"),
        2 => at_offset(-(5 * 3600 + 1800), "-05:30"),
        3 => format!("{}.999Z", &utc[..19]),
        4 => utc.replace('T', "t").replace('Z', "z"),
        5 if utc.ends_with(":00Z") => format!("{}Z", &utc[..16]),
        6 => utc.replace('T', " "),
        7 if utc.ends_with("T00:00:00Z") => utc[..10].to_string(),
        _ => utc,
    }
}

fn set(record: &mut Json, field: &str, value: String) {
    if let Some(fields) = record.as_object_mut() {
        fields.insert(field.to_string(), Json::String(value));
    }
}

fn stated(record: &Json, field: &str) -> bool {
    record.get(field).is_some_and(|v| !v.is_null())
}

fn items<'a>(decl: &'a mut Json, list: &str) -> impl Iterator<Item = &'a mut Json> {
    decl.get_mut(list)
        .and_then(Json::as_array_mut)
        .into_iter()
        .flatten()
}

/// The declaration with its dates moved to around the deadlines the checks test.
fn at_boundaries(json: &str, seed: u64) -> String {
    let mut rng = Rng(seed ^ 0x5EED);
    let today = Date::parse(AS_OF).unwrap();
    let mut decl: Json = serde_json::from_str(json).unwrap();
    if let Some(org) = decl.get_mut("organisation") {
        let employees = [249, 250, 40, 1000][rng.below(4) as usize];
        org["employees"] = Json::from(employees);
        if let Some(security) = org.get_mut("security") {
            let tested = around(&mut rng, shift(today, "-1y"));
            set(security, "restore_tested", tested.to_string());
        }
    }
    // An organisation with no activity, and no register in half of them: the art. 30(5)
    // exemption then turns on the headcount alone.
    if rng.below(6) == 0 {
        decl["processing"] = Json::Array(Vec::new());
        if rng.below(2) == 0 {
            if let Some(org) = decl.get_mut("organisation").and_then(Json::as_object_mut) {
                org.remove("register");
            }
        }
    }
    for p in items(&mut decl, "processing") {
        let started = match rng.below(2) {
            0 => around(&mut rng, Date::parse("2018-05-25").unwrap()),
            _ => around(&mut rng, shift(today, "-2y")),
        };
        set(p, "started", started.to_string());
        let reviewed = around(&mut rng, shift(today, "-3y"));
        if stated(p, "last_change") {
            set(p, "last_change", around(&mut rng, reviewed).to_string());
        }
        if let Some(dpia) = p.get_mut("dpia").filter(|d| d.is_object()) {
            set(dpia, "reviewed", reviewed.to_string());
            if stated(dpia, "authority_consulted") {
                set(
                    dpia,
                    "authority_consulted",
                    around(&mut rng, started).to_string(),
                );
            }
        }
    }
    // Month ends, leap days included, and a month before the evaluation date.
    let received = [
        "2024-01-31",
        "2024-01-29",
        "2025-01-31",
        "2025-01-28",
        "2026-03-31",
        "2026-08-30",
        "2026-10-22",
        "2026-10-23",
        "2026-10-24",
    ];
    for r in items(&mut decl, "requests") {
        let from = Date::parse(received[rng.below(received.len() as u64) as usize]).unwrap();
        set(r, "received", from.to_string());
        if stated(r, "answered") {
            let by = ["1mo", "3mo"][rng.below(2) as usize];
            set(r, "answered", around(&mut rng, shift(from, by)).to_string());
        }
        if stated(r, "extension_notified") {
            let told = around(&mut rng, shift(from, "1mo"));
            set(r, "extension_notified", told.to_string());
        }
    }
    let deadline = DateTime::parse(AS_OF).unwrap();
    for i in items(&mut decl, "incidents") {
        let second = Span::seconds(rng.below(3) as i64 - 1);
        let aware = match rng.below(2) {
            0 => deadline.shift_back(Span::parse("72h").unwrap()).unwrap(),
            _ => DateTime::parse("2026-06-01T10:00:00Z").unwrap(),
        }
        .shift(second)
        .unwrap();
        set(i, "aware_at", instant_text(&mut rng, aware));
        if stated(i, "notified_authority_at") {
            let second = Span::seconds(rng.below(3) as i64 - 1);
            let notified = aware
                .shift(Span::parse("72h").unwrap())
                .and_then(|t| t.shift(second))
                .unwrap();
            set(i, "notified_authority_at", instant_text(&mut rng, notified));
        }
    }
    serde_json::to_string(&decl).unwrap()
}

#[test]
fn rego_flags_exactly_the_violations_comply_reports() {
    let program = program();
    let ids = ids();
    assert_eq!(ids.len(), 20, "obligations.txt lists twenty obligations");
    for id in &ids {
        assert!(
            program.by_id.contains_key(id),
            "{id} is not an obligation of the built-in packs"
        );
    }
    let mut engine = engine();
    let mut total = BTreeMap::new();
    let mut large = 0;
    for seed in 1..=3 {
        let json = xtask::declaration(&program, 2_000, seed);
        let verdicts = check(
            &program,
            &mut engine,
            &ids,
            &format!("2000 items, seed {seed}"),
            &json,
        );
        large += verdicts.violated.len();
        add(&mut total, &verdicts);
    }
    assert!(
        large >= 3 * 200,
        "only {large} violations in three large declarations: the generator no longer exercises the checks"
    );
    // One organisation per declaration: many small ones give the organisation-level
    // obligations both outcomes.
    for seed in 4..=60 {
        let json = xtask::declaration(&program, 40, seed);
        let verdicts = check(
            &program,
            &mut engine,
            &ids,
            &format!("40 items, seed {seed}"),
            &json,
        );
        add(&mut total, &verdicts);
    }
    assert_exercised("generated declarations", &total);
}

#[test]
fn rego_reads_missing_and_absent_facts_as_comply_does() {
    let program = program();
    let ids = ids();
    let mut engine = engine();
    let mut total = BTreeMap::new();
    for seed in 1..=3 {
        let json = with_gaps(&xtask::declaration(&program, 1_000, seed), seed, 6);
        let verdicts = check(
            &program,
            &mut engine,
            &ids,
            &format!("1000 items with gaps, seed {seed}"),
            &json,
        );
        add(&mut total, &verdicts);
    }
    for seed in 4..=80 {
        let json = with_gaps(&xtask::declaration(&program, 40, seed), seed, 6);
        let verdicts = check(
            &program,
            &mut engine,
            &ids,
            &format!("40 items with gaps, seed {seed}"),
            &json,
        );
        add(&mut total, &verdicts);
    }
    assert_exercised("declarations with gaps", &total);
}

#[test]
fn rego_agrees_with_comply_at_the_deadlines() {
    let program = program();
    let ids = ids();
    let mut engine = engine();
    let mut violated = 0;
    // Small declarations too: with few activities, the organisation-level exemptions
    // turn on the headcount and on each activity's facts.
    let sizes = (1..=25)
        .map(|seed| (seed, 150))
        .chain((26..=185).map(|seed| (seed, 12)));
    for (seed, size) in sizes {
        let json = at_boundaries(&xtask::declaration(&program, size, seed), seed);
        let json = if seed % 2 == 0 {
            with_gaps(&json, seed, 3)
        } else {
            json
        };
        let verdicts = check(
            &program,
            &mut engine,
            &ids,
            &format!("{size} items at the deadlines, seed {seed}"),
            &json,
        );
        violated += verdicts.violated.len();
    }
    assert!(
        violated >= 500,
        "only {violated} violations at the deadlines"
    );
}

/// Times both engines on one declaration of 10,000 items. Informal, and slow in debug
/// builds: `cargo test --release --test rego_equivalence -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run on demand in release"]
fn timing_on_ten_thousand_items() {
    const ITEMS: usize = 10_000;
    const ROUNDS: u32 = 5;
    let program = program();
    let ids = ids();
    let json = xtask::declaration(&program, ITEMS, 1);
    let as_of = Date::parse(AS_OF).unwrap();

    // comply evaluates every obligation of every built-in pack; for the twenty alone, the
    // order is cut down to them and the override they read. Prerequisites (`depends on`)
    // never change a violated result, so the violated set stays the same.
    let mut twenty = program.clone();
    let keep: BTreeSet<usize> = ids
        .iter()
        .map(String::as_str)
        .chain(["telecom.breach.notify_authority"])
        .map(|id| program.by_id[id])
        .collect();
    twenty.order.retain(|i| keep.contains(i));

    let best = |f: &mut dyn FnMut()| -> Duration {
        (0..ROUNDS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let load = best(&mut || {
        comply::decl::load::load(&program.shape, SourceFile::new("gen.json", json.as_str()))
            .unwrap();
    });
    let decl = comply::decl::load::load(&program.shape, SourceFile::new("gen.json", json.as_str()))
        .unwrap();
    let all = best(&mut || {
        comply::eval::evaluate(&program, &decl, as_of, "en");
    });
    let only = best(&mut || {
        comply::eval::evaluate(&twenty, &decl, as_of, "en");
    });
    let mut engine = engine();
    let input = best(&mut || {
        engine.set_input_json(&json).unwrap();
    });
    engine.set_input_json(&json).unwrap();
    let rego = best(&mut || {
        engine.eval_rule(RULE.to_string()).unwrap();
    });

    let violated = comply_verdicts(&twenty, &ids, &json).violated;
    assert_eq!(violated, rego_violations(&mut engine, &json));
    let per_item = |d: Duration| d.as_secs_f64() * 1e6 / ITEMS as f64;
    eprintln!(
        "{ITEMS} items, {} violations of the twenty checks; best of {ROUNDS} rounds",
        violated.len()
    );
    eprintln!(
        "comply load:                   {load:>10.2?}  {:>7.2} µs/item",
        per_item(load)
    );
    eprintln!(
        "comply evaluate, all packs:    {all:>10.2?}  {:>7.2} µs/item",
        per_item(all)
    );
    eprintln!(
        "comply evaluate, the twenty:   {only:>10.2?}  {:>7.2} µs/item",
        per_item(only)
    );
    eprintln!(
        "regorus set_input_json:        {input:>10.2?}  {:>7.2} µs/item",
        per_item(input)
    );
    eprintln!(
        "regorus eval violations:       {rego:>10.2?}  {:>7.2} µs/item",
        per_item(rego)
    );
}
