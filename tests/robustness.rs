//! No panic on any input.
//!
//! Rule files are untrusted input for the companies that download them, and declarations
//! are written by hand. Whatever bytes comply is given, it must end with one of the exit
//! codes of the contract (0 to 3) in bounded time, never with a panic (101) or a signal,
//! and an input it refuses (2) must be named in the diagnostic.
//!
//! Every shipped rule file and every fixture is cut at evenly spaced byte offsets and has
//! single bytes corrupted at pseudo-random places (fixed seed, so a failure reproduces).
//! The mutated bytes need not be UTF-8: that is a valid input too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-23";

/// Cuts per file, at evenly spaced offsets from 0 (the empty file).
const CUTS: usize = 8;
/// Corrupted versions per file, one byte changed in each.
const FLIPS: usize = 8;
/// A run taking longer than this is a hang.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The seed of every pseudo-random choice.
const SEED: u64 = 0x5EED_C0DE_2026_1123;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: small, deterministic, no crate needed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// FNV-1a, to give each file its own stream of mutations.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One mutated version of a file.
struct Mutation {
    /// What was done, to reproduce it.
    what: String,
    bytes: Vec<u8>,
}

fn mutations(name: &str, original: &[u8]) -> Vec<Mutation> {
    let mut out = Vec::new();
    let len = original.len();
    for i in 0..CUTS {
        let at = len * i / CUTS;
        out.push(Mutation {
            what: format!("cut at byte {at} of {len}"),
            bytes: original[..at].to_vec(),
        });
    }
    if len == 0 {
        return out;
    }
    let mut rng = Rng::new(SEED ^ hash(name));
    for _ in 0..FLIPS {
        let at = rng.below(len);
        let mut bytes = original.to_vec();
        let old = bytes[at];
        let new = if rng.next() & 1 == 0 {
            old ^ (1 << rng.below(8))
        } else {
            (rng.next() & 0xff) as u8
        };
        bytes[at] = new;
        out.push(Mutation {
            what: format!("byte {at} changed from {old:#04x} to {new:#04x}"),
            bytes,
        });
    }
    out
}

fn files_under(dir: &Path, ext: &[&str], recursive: bool, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if recursive {
                files_under(&p, ext, recursive, out);
            }
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ext.contains(&e))
        {
            out.push(p);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How one run ended.
struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
}

/// Runs comply with stdout and stderr in files (a pipe could fill up and stall the child
/// while we poll), killing it after [`TIMEOUT`].
fn run(args: &[&std::ffi::OsStr], scratch: &Path) -> Result<Run, String> {
    let out_path = scratch.join("stdout.txt");
    let err_path = scratch.join("stderr.txt");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {TIMEOUT:?}: killed"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    Ok(Run {
        code: status.code(),
        stderr,
        took: start.elapsed(),
    })
}

/// The first lines of stderr, for a failure message.
fn head(stderr: &str) -> String {
    stderr.lines().take(12).collect::<Vec<_>>().join("\n")
}

/// Checks the exit code; returns a description of what is wrong, if anything.
fn judge(run: &Run) -> Option<String> {
    match run.code {
        Some(0..=3) => None,
        Some(101) => Some(format!("panicked (exit 101):\n{}", head(&run.stderr))),
        Some(code) => Some(format!(
            "exit code {code}, outside 0..=3:\n{}",
            head(&run.stderr)
        )),
        None => Some(format!("killed by a signal:\n{}", head(&run.stderr))),
    }
}

/// Work shared by the threads of one test.
struct Jobs<T> {
    items: Vec<T>,
    next: AtomicUsize,
    failures: Mutex<Vec<String>>,
    slowest: Mutex<Duration>,
    /// How many runs ended with each exit code 0 to 3.
    codes: Mutex<[usize; 4]>,
}

impl<T: Sync> Jobs<T> {
    fn new(items: Vec<T>) -> Self {
        Jobs {
            items,
            next: AtomicUsize::new(0),
            failures: Mutex::new(Vec::new()),
            slowest: Mutex::new(Duration::ZERO),
            codes: Mutex::new([0; 4]),
        }
    }

    /// Runs `work` on every item, from a few threads; `setup` makes each thread's state.
    fn run<S>(
        &self,
        setup: impl Fn() -> S + Sync,
        work: impl Fn(&mut S, &T) -> Result<Run, String> + Sync,
    ) {
        let threads = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    let mut state = setup();
                    loop {
                        let i = self.next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = self.items.get(i) else {
                            break;
                        };
                        match work(&mut state, item) {
                            Ok(run) => {
                                let mut slowest = self.slowest.lock().unwrap();
                                *slowest = (*slowest).max(run.took);
                                drop(slowest);
                                // `judge` has accepted it, so the code is 0 to 3.
                                let code = run.code.unwrap() as usize;
                                self.codes.lock().unwrap()[code] += 1;
                            }
                            Err(failure) => self.failures.lock().unwrap().push(failure),
                        }
                    }
                });
            }
        });
    }

    fn assert_none_failed(&self, what: &str) {
        let failures = self.failures.lock().unwrap();
        eprintln!(
            "{what}: {} runs, slowest {:?}, exit codes 0/1/2/3: {:?}",
            self.items.len(),
            self.slowest.lock().unwrap(),
            self.codes.lock().unwrap()
        );
        assert!(
            failures.is_empty(),
            "{} of {} {what} failed:\n\n{}",
            failures.len(),
            self.items.len(),
            failures
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

/// A mutated rule file: its path relative to `rules/`, and the mutation.
struct RuleCase {
    rel: PathBuf,
    original: Vec<u8>,
    mutation: Mutation,
}

#[test]
fn mutated_rule_files_never_crash() {
    let rules = root().join("rules");
    let mut files = Vec::new();
    files_under(&rules, &["comply"], true, &mut files);
    assert!(files.len() >= 2, "the shipped rule files are missing");

    let mut cases = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&rules).unwrap().to_path_buf();
        let original = std::fs::read(f).unwrap();
        for mutation in mutations(&rel.to_string_lossy(), &original) {
            cases.push(RuleCase {
                rel: rel.clone(),
                original: original.clone(),
                mutation,
            });
        }
    }
    let compliant = root().join("fixtures/compliant.yaml");

    let jobs = Jobs::new(cases);
    jobs.run(
        || {
            // Each thread has its own copy of the rules, restored after each run.
            let dir = tempfile::tempdir().unwrap();
            copy_tree(&rules, &dir.path().join("rules"));
            dir
        },
        |dir, case| {
            let packs = dir.path().join("rules");
            let target = packs.join(&case.rel);
            std::fs::write(&target, &case.mutation.bytes).unwrap();
            let args = [
                "check".as_ref(),
                "--as-of".as_ref(),
                AS_OF.as_ref(),
                "--no-default-rules".as_ref(),
                "--rules".as_ref(),
                packs.as_os_str(),
                compliant.as_os_str(),
            ];
            let result = run(&args, dir.path());
            std::fs::write(&target, &case.original).unwrap();
            let name = format!("rules/{} ({})", case.rel.display(), case.mutation.what);
            let run = result.map_err(|e| format!("{name}: {e}"))?;
            if let Some(problem) = judge(&run) {
                return Err(format!("{name}: {problem}"));
            }
            if run.code == Some(2) {
                refused_rules_are_named(&run.stderr, &case.rel, &packs, &compliant)
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            Ok(run)
        },
    );
    jobs.assert_none_failed("rule-file mutations");
}

/// A refused input must be explained with a location in it.
///
/// A syntax or literal error can only be in the mutated file, so it must be named. A
/// mutation that still parses may break other inputs instead: a cut between two
/// declarations drops the records and predicates other rule files use, a changed enum
/// member makes the declaration invalid. Then it is enough that the diagnostics point
/// into a rule file or into the declaration.
fn refused_rules_are_named(
    stderr: &str,
    rel: &Path,
    packs: &Path,
    decl: &Path,
) -> Result<(), String> {
    let rel = rel.to_string_lossy();
    if stderr.contains(rel.as_ref()) {
        return Ok(());
    }
    if stderr.contains("comply::parse::") {
        return Err(format!(
            "a parse error that does not name `{rel}`:\n{}",
            head(stderr)
        ));
    }
    if !stderr.contains(&*packs.to_string_lossy()) && !stderr.contains(&*decl.to_string_lossy()) {
        return Err(format!(
            "exit 2 with no diagnostic pointing into the rules or the declaration:\n{}",
            head(stderr)
        ));
    }
    Ok(())
}

/// A mutated fixture: the extension to keep, and the mutation.
struct DeclCase {
    name: String,
    ext: String,
    mutation: Mutation,
}

#[test]
fn mutated_declarations_never_crash() {
    let mut files = Vec::new();
    files_under(
        &root().join("fixtures"),
        &["yaml", "json"],
        false,
        &mut files,
    );
    assert!(files.len() >= 2, "the fixtures are missing");

    let mut cases = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let ext = f.extension().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read(f).unwrap();
        for mutation in mutations(&name, &original) {
            cases.push(DeclCase {
                name: name.clone(),
                ext: ext.clone(),
                mutation,
            });
        }
    }

    let jobs = Jobs::new(cases);
    jobs.run(
        || tempfile::tempdir().unwrap(),
        |dir, case| {
            let file = format!("mutated-declaration.{}", case.ext);
            let path = dir.path().join(&file);
            std::fs::write(&path, &case.mutation.bytes).unwrap();
            let args = [
                "check".as_ref(),
                "--as-of".as_ref(),
                AS_OF.as_ref(),
                path.as_os_str(),
            ];
            let name = format!("fixtures/{} ({})", case.name, case.mutation.what);
            let run = run(&args, dir.path()).map_err(|e| format!("{name}: {e}"))?;
            if let Some(problem) = judge(&run) {
                return Err(format!("{name}: {problem}"));
            }
            if run.code == Some(2) && !run.stderr.contains(&file) {
                return Err(format!(
                    "{name}: exit 2 without naming the declaration:\n{}",
                    head(&run.stderr)
                ));
            }
            Ok(run)
        },
    );
    jobs.assert_none_failed("declaration mutations");
}

#[test]
fn mutations_are_deterministic() {
    let a = mutations("x.yaml", b"organisation:\n  name: Acme\n");
    let b = mutations("x.yaml", b"organisation:\n  name: Acme\n");
    assert_eq!(a.len(), CUTS + FLIPS);
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.what, b.what);
        assert_eq!(a.bytes, b.bytes);
    }
}
