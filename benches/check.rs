//! `comply check` at scale, on generated declarations of 1,000, 10,000 and 100,000 items
//! (`cargo xtask gen`), with the built-in packs:
//!
//! - `load_packs`: loading the built-in packs as `comply check` does, from the snapshot of
//!   their checked program (`packs::load_builtin`);
//! - `load_packs/parse`: parsing, type-checking and ordering them, as without a snapshot;
//! - `serde_json_value/N`: the baseline, parsing the same JSON text into a
//!   `serde_json::Value`, which the ratio "check / parse" is taken against;
//! - `load/N`: reading the declaration into typed values (`decl::load::load`);
//! - `evaluate/N`: evaluating every obligation, declaration already loaded, on one
//!   thread; `evaluate_threads/N` the same on one thread per core;
//! - `check/N`: end to end as `comply check --format json --results failing` runs it,
//!   on one thread per core: read the file, load, evaluate, build the report and write
//!   the JSON text (to nowhere); `check_one_thread/N` the same with `--jobs 1`;
//! - `dp20/comply/N` and `dp20/regorus/N`: the twenty `dp` obligations of
//!   `benches/rego/obligations.txt`, evaluated by comply (the built-in program cut down to
//!   them) and by regorus on their Rego translation (`benches/rego/dp.rego`), side by
//!   side on the same declaration, each with its input already read.
//!
//! Inputs are generated with fixed seeds, so every run measures the same bytes. Figures
//! are in `docs/performance.md`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    reason = "benchmark harness: a broken input is a panic with a message"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use comply::program::Program;
use comply::source::SourceFile;
use comply::time::Date;
use comply::{decl, eval, packs, report};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// Declaration sizes, in items.
const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// The seed of every generated declaration.
const SEED: u64 = 1;

fn as_of() -> Date {
    Date::parse("2026-11-23").unwrap()
}

fn builtin() -> Program {
    packs::load_builtin()
        .map_err(|d| d.len())
        .expect("built-in packs load")
}

/// A generated declaration, written to a file as `comply check` would read it.
fn generated(program: &Program, items: usize) -> (PathBuf, String) {
    let text = xtask::declaration(program, items, SEED);
    let path = std::env::temp_dir().join(format!("comply-bench-{items}-{SEED}.json"));
    std::fs::write(&path, &text).expect("temporary file written");
    (path, text)
}

fn load_packs(c: &mut Criterion) {
    assert!(
        packs::snapshot::load().is_ok(),
        "the snapshot of the built-in packs is stale: run `cargo xtask snapshot`"
    );
    c.bench_function("load_packs", |b| b.iter(|| black_box(builtin())));
    c.bench_function("load_packs/parse", |b| {
        b.iter(|| black_box(packs::load(packs::builtin()).map_err(|d| d.len())))
    });
}

fn sized(c: &mut Criterion) {
    let program = builtin();
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a thread pool");
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for items in SIZES {
        let (path, text) = generated(&program, items);
        group.throughput(criterion::Throughput::Elements(items as u64));
        group.bench_with_input(
            BenchmarkId::new("serde_json_value", items),
            &text,
            |b, t| b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(t).unwrap())),
        );
        group.bench_with_input(BenchmarkId::new("load", items), &text, |b, t| {
            b.iter(|| {
                let file = SourceFile::new("generated.json", t.as_str());
                black_box(decl::load::load(&program.shape, file).map_err(|d| d.len()))
            })
        });
        let loaded = decl::load::load(
            &program.shape,
            SourceFile::new("generated.json", text.as_str()),
        )
        .map_err(|d| d.len())
        .expect("generated declaration loads");
        group.bench_with_input(BenchmarkId::new("evaluate", items), &loaded, |b, d| {
            b.iter(|| black_box(eval::evaluate(&program, d, as_of(), "en").results.len()))
        });
        group.bench_with_input(
            BenchmarkId::new("evaluate_threads", items),
            &loaded,
            |b, d| {
                b.iter(|| {
                    let none = comply::waiver::Waivers::none();
                    let e = eval::evaluate_on(&pool, &program, d, as_of(), "en", &none);
                    black_box(e.results.len())
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("check", items), &path, |b, p| {
            b.iter(|| black_box(check(&program, p, Some(&pool))))
        });
        group.bench_with_input(
            BenchmarkId::new("check_one_thread", items),
            &path,
            |b, p| b.iter(|| black_box(check(&program, p, None))),
        );
        let _ = std::fs::remove_file(&path);
    }
    group.finish();
}

/// What `comply check FILE --format json --results failing` does once the packs are
/// loaded, on the threads of `pool` if one is given; the length of the JSON report.
fn check(program: &Program, path: &Path, pool: Option<&rayon::ThreadPool>) -> usize {
    let limits = decl::limits::Limits::default();
    let file = decl::load::read(path, &limits)
        .map_err(|_| ())
        .expect("declaration read");
    let mut d = decl::load::load_with(&program.shape, file, &limits)
        .map_err(|d| d.len())
        .expect("declaration loads");
    d.file.release_text();
    let select = report::Select {
        failing_only: true,
        locate: false,
        ..report::Select::default()
    };
    let waivers = comply::waiver::Waivers::none();
    let checked = report::check(pool, program, &d, as_of(), "en", &waivers, &select);
    let mut counted = Counted(0);
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut counted);
    report::json::write(&mut out, &checked.report).expect("report written");
    drop(out);
    counted.0
}

/// A writer that only counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The Rego translation of twenty `dp` obligations.
const POLICY: &str = include_str!("rego/dp.rego");
/// Their comply ids.
const TWENTY: &str = include_str!("rego/obligations.txt");

/// The built-in program cut down to the twenty obligations of the Rego comparison and the
/// override one of them reads (`telecom.breach.notify_authority` replaces
/// `dp.breach.notify_authority` for telecom operators, which the policy mirrors).
/// `tests/rego_equivalence.rs` checks that both find the same violations.
fn twenty(program: &Program) -> Program {
    let keep: Vec<usize> = TWENTY
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .chain(["telecom.breach.notify_authority"])
        .map(|id| program.by_id[id])
        .collect();
    let mut cut = program.clone();
    cut.order.retain(|i| keep.contains(i));
    cut
}

fn versus_regorus(c: &mut Criterion) {
    let program = builtin();
    let cut = twenty(&program);
    let mut group = c.benchmark_group("dp20");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for items in SIZES {
        let text = xtask::declaration(&program, items, SEED);
        group.throughput(criterion::Throughput::Elements(items as u64));
        let loaded = decl::load::load(
            &program.shape,
            SourceFile::new("generated.json", text.as_str()),
        )
        .map_err(|d| d.len())
        .expect("generated declaration loads");
        group.bench_with_input(BenchmarkId::new("comply", items), &loaded, |b, d| {
            b.iter(|| black_box(eval::evaluate(&cut, d, as_of(), "en").results.len()))
        });
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("dp.rego".to_string(), POLICY.to_string())
            .expect("the policy loads");
        engine
            .set_input_json(&text)
            .expect("regorus reads the declaration");
        group.bench_function(BenchmarkId::new("regorus", items), |b| {
            b.iter(|| {
                black_box(
                    engine
                        .eval_rule("data.comply.dp.violations".to_string())
                        .expect("the policy evaluates"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load_packs, sized, versus_regorus);
criterion_main!(benches);
