//! The obligation graph at scale: a generated pack of 5,000 obligations, each depending
//! on up to three earlier ones, with simple requirements over a small shape.
//!
//! - `load`: parsing, type checking, building and sorting the graph (`packs::load`);
//! - `parse`: parsing alone, the part of `load` that is not the check or the graph;
//! - `graph`: building the dependency graph, looking for cycles and sorting the
//!   obligations, from files already parsed (`DepGraph::build`, `cycles`,
//!   `obligation_order`);
//! - `evaluate_and_plan`: evaluating a declaration, building the report and the plan.
//!
//! The pack is generated with a fixed seed, so every run measures the same input.
//! Run with `cargo bench --bench graph`; figures are in `docs/performance.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    reason = "benchmark harness: a broken input is a panic with a message"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use comply::check::Input;
use comply::graph::DepGraph;
use comply::packs::{self, PackSource};
use comply::source::SourceFile;
use comply::time::Date;
use comply::{decl, eval, report, syntax};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

/// Obligations in the generated pack.
const OBLIGATIONS: usize = 5_000;
/// Boolean facts `f0` ... in the shape.
const FACTS: usize = 8;

/// xorshift64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

/// The pack's text: a small shape and `n` obligations with random `depends on` edges
/// (0 to 3 distinct earlier obligations each) and random simple requirements.
fn pack(n: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut s = String::from(
        "pack bench { title \"Generated\" version \"1\" }\n\
         record Dpo { email: text? }\n\
         record Organisation {\n  employees: int\n  public_body: bool\n  dpo: Dpo?\n",
    );
    for k in 0..FACTS {
        let _ = writeln!(s, "  f{k}: bool");
    }
    s.push_str("}\nextend Declaration { organisation: Organisation }\n");
    for i in 0..n {
        let _ = writeln!(s, "obligation bench.o{i} {{");
        let _ = writeln!(s, "  title \"Obligation {i}\"");
        let severity = SEVERITIES[rng.below(SEVERITIES.len() as u64) as usize];
        let _ = writeln!(s, "  severity {severity}");
        if i > 0 {
            let count = rng.below(4).min(i as u64);
            let mut deps: Vec<u64> = Vec::new();
            while (deps.len() as u64) < count {
                let j = rng.below(i as u64);
                if !deps.contains(&j) {
                    deps.push(j);
                }
            }
            if !deps.is_empty() {
                let ids: Vec<String> = deps.iter().map(|j| format!("bench.o{j}")).collect();
                let _ = writeln!(s, "  depends on {}", ids.join(", "));
            }
        }
        if rng.below(4) == 0 {
            let _ = writeln!(
                s,
                "  applies when organisation.employees > {}",
                rng.below(200)
            );
        }
        let f = rng.below(FACTS as u64);
        let requirement = match rng.below(5) {
            0 => format!("organisation.employees < {}", 50 + rng.below(500)),
            1 => "not organisation.public_body".to_string(),
            2 => format!("organisation.f{f}"),
            3 => "organisation.dpo is present".to_string(),
            _ => format!(
                "organisation.employees >= {} or organisation.f{f}",
                rng.below(300)
            ),
        };
        let _ = writeln!(
            s,
            "  require {requirement}\n    else \"Requirement {i} fails\""
        );
        s.push_str("}\n");
    }
    s
}

/// A declaration that leaves some facts out, so results of every status appear.
fn declaration(seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut s = String::from("organisation:\n  employees: 120\n  public_body: false\n");
    for k in 0..FACTS {
        match rng.below(3) {
            0 => {
                let _ = writeln!(s, "  f{k}: true");
            }
            1 => {
                let _ = writeln!(s, "  f{k}: false");
            }
            _ => {}
        }
    }
    s
}

fn source() -> SourceFile {
    SourceFile::new("bench.comply", pack(OBLIGATIONS, 0x9E37_79B9_7F4A_7C15))
}

fn parsed(file: &SourceFile) -> Input {
    let ast = match syntax::parse(file) {
        Ok(ast) => ast,
        Err(d) => panic!(
            "the generated pack does not parse: {:?}",
            d.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    };
    let mut input = Input::default();
    input.begin_pack();
    input.add(file.clone(), ast);
    input
}

fn load(file: &SourceFile) -> comply::program::Program {
    match packs::load(vec![PackSource {
        folder: "bench".into(),
        files: vec![file.clone()],
    }]) {
        Ok(p) => p,
        Err(d) => panic!(
            "the generated pack does not load: {:?}",
            d.iter()
                .map(|x| x.message().to_string())
                .collect::<Vec<_>>()
        ),
    }
}

fn obligation_graph(c: &mut Criterion) {
    let file = source();
    // Sanity: the pack loads, and the graph orders every obligation.
    let program = load(&file);
    assert_eq!(program.obligations.len(), OBLIGATIONS);
    let input = parsed(&file);
    let graph = DepGraph::build(&input);
    assert!(graph.cycles(&input).is_empty());
    assert_eq!(graph.obligation_order().map(|o| o.len()), Some(OBLIGATIONS));

    let mut group = c.benchmark_group("obligation_graph_5000");
    group.sample_size(10);
    // Ten loads of the 5,000-obligation pack take more than the default 5 s.
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("load", |b| {
        b.iter_batched(
            || {
                vec![PackSource {
                    folder: "bench".into(),
                    files: vec![file.clone()],
                }]
            },
            |packs| black_box(packs::load(packs).map(|p| p.obligations.len()).ok()),
            BatchSize::LargeInput,
        );
    });
    group.bench_function("parse", |b| {
        b.iter(|| black_box(syntax::parse(black_box(&file)).map(|f| f.items.len()).ok()));
    });
    group.bench_function("graph", |b| {
        b.iter(|| {
            let graph = DepGraph::build(black_box(&input));
            let cycles = graph.cycles(&input);
            let order = graph.obligation_order();
            black_box((cycles.is_empty(), order.map(|o| o.len())))
        });
    });
    let yaml = declaration(0xD1B5_4A32_D192_ED03);
    let decl = decl::load::load(&program.shape, SourceFile::new("org.yaml", yaml)).unwrap();
    let today = Date::parse("2026-11-23").unwrap();
    group.bench_function("evaluate_and_plan", |b| {
        b.iter(|| {
            let evaluation = eval::evaluate(&program, &decl, today, "en");
            let report = report::build(&program, &decl, &evaluation, "en");
            let plan = report::plan::plan(&program, &report);
            black_box((report.summary.blocked, plan.waves.len()))
        });
    });
    group.finish();

    // The shape of the input and of its outcome, for the record.
    let evaluation = eval::evaluate(&program, &decl, today, "en");
    let report = report::build(&program, &decl, &evaluation, "en");
    let plan = report::plan::plan(&program, &report);
    let edges = graph.edges().count();
    eprintln!(
        "generated pack: {} obligations, {} edges, {} bytes; results: {:?}; plan: {} waves",
        OBLIGATIONS,
        edges,
        file.text().len(),
        report.summary,
        plan.waves.len()
    );
}

criterion_group!(benches, obligation_graph);
criterion_main!(benches);
