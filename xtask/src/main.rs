//! Project tasks:
//!
//! - `cargo xtask gen --items N [--seed S] [--output FILE]`: writes a generated declaration
//!   (JSON) for benchmarks and scale tests;
//! - `cargo xtask snapshot`: writes the snapshot of the checked built-in program
//!   (`rules/builtin.snapshot`), after the built-in rules change.

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask gen --items N [--seed S] [--output FILE]\n       cargo xtask snapshot";

fn main() -> ExitCode {
    let args: Result<Vec<String>, String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| format!("`{}` is not UTF-8", a.to_string_lossy()))
        })
        .collect();
    match args.and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or("no task given")?;
    match command.as_str() {
        "gen" => generate(rest),
        "snapshot" if rest.is_empty() => snapshot(),
        "snapshot" => Err("`snapshot` takes no options".to_string()),
        _ => Err(format!("unknown task `{command}`")),
    }
}

/// Writes the snapshot of the built-in program into the repository this task is built from.
fn snapshot() -> Result<(), String> {
    let bytes = comply::packs::snapshot::generate().map_err(|d| {
        format!(
            "the built-in packs do not load ({} diagnostics); `cargo run -- check \
             fixtures/compliant.yaml` shows them",
            d.len()
        )
    })?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the xtask crate has no parent folder")?;
    let path = root.join(comply::packs::snapshot::FILE);
    std::fs::write(&path, &bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    eprintln!("{}: {} bytes", path.display(), bytes.len());
    Ok(())
}

fn generate(rest: &[String]) -> Result<(), String> {
    let mut items = None;
    let mut seed = 1;
    let mut output = None;
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--items" => items = Some(number(flag, value)?),
            "--seed" => seed = number(flag, value)?,
            "--output" => output = Some(value.clone()),
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    let items = items.ok_or("`--items` is required")?;
    let program = comply::packs::load(comply::packs::builtin())
        .map_err(|d| format!("the built-in packs do not load ({} diagnostics)", d.len()))?;
    let text = xtask::declaration(&program, usize::try_from(items).unwrap_or(usize::MAX), seed);
    for (list, n) in xtask::spread(&program.shape, usize::try_from(items).unwrap_or(0)) {
        eprintln!("{list}: {n}");
    }
    match output {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| format!("cannot write `{path}`: {e}"))
        }
        None => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| format!("cannot write to stdout: {e}"))
        }
    }
}

fn number(flag: &str, value: &str) -> Result<u64, String> {
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{flag}` takes a whole number, not `{value}`"))
}
