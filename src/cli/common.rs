//! Options shared by the commands that load packs and evaluate declarations.

use std::path::PathBuf;

use comply::decl::limits::{parse_size, Limits, DEFAULT_MAX_LIST_ITEMS};
use comply::diagnostic::{Code, Diagnostic, Diagnostics};
use comply::eval::budget::DEFAULT_MAX_STEPS;
use comply::packs::{self, PackSource};
use comply::program::Program;
use comply::time::Date;

/// Which rule packs to load.
#[derive(clap::Args, Debug, Clone)]
pub struct PackArgs {
    /// More rule packs: a pack folder, a folder of packs, or a `.comply` file (repeatable).
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Leave out the built-in packs.
    #[arg(long)]
    pub no_default_rules: bool,
}

impl PackArgs {
    /// Loads the packs: the built-in ones unless left out, then those given.
    ///
    /// The built-in packs alone come from their snapshot; with other packs beside them,
    /// everything is parsed and checked together, since their shapes and obligations merge.
    pub fn load(&self) -> Result<Program, Diagnostics> {
        if self.rules.is_empty() && !self.no_default_rules {
            return packs::load_builtin();
        }
        let mut sources: Vec<PackSource> = if self.no_default_rules {
            Vec::new()
        } else {
            packs::builtin()
        };
        for path in &self.rules {
            sources.extend(packs::from_path(path).map_err(Diagnostics::from)?);
        }
        if sources.is_empty() {
            return Err(Diagnostics::from(
                Diagnostic::error(Code::Usage, "no rule packs to load")
                    .help("drop --no-default-rules, or add packs with --rules PATH"),
            ));
        }
        packs::load(sources)
    }
}

/// When and in which language to evaluate.
#[derive(clap::Args, Debug, Clone)]
pub struct EvalArgs {
    /// Language of titles and messages (ISO 639-1: en, fr, km, ...); falls back to English.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    pub lang: String,
    /// Evaluation date (YYYY-MM-DD); defaults to today, in UTC.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, allow_hyphen_values = true)]
    pub as_of: Option<Date>,
    /// Refuse a declaration file larger than this: bytes, or a size such as 512MiB or 1GiB.
    #[arg(long, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size, allow_negative_numbers = true)]
    pub max_file_size: u64,
    /// Refuse a declaration with a list of more items than this.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_LIST_ITEMS, value_parser = parse_count, allow_negative_numbers = true)]
    pub max_list_items: usize,
    /// Stop deciding one result after evaluating this many expressions, and refuse the
    /// run: a guard against rules whose nested quantifiers would run for hours.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_STEPS, value_parser = parse_steps, allow_negative_numbers = true)]
    pub max_steps: u64,
}

impl EvalArgs {
    /// The evaluation date.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today)
    }

    /// The limits declarations are read under.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size,
            max_list_items: self.max_list_items,
        }
    }
}

/// Parses `--as-of`. The option takes values starting with `-` so that `-2026-01-01`
/// reaches this parser and is refused as a date, rather than read as an unknown flag.
pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| "expected a calendar date written YYYY-MM-DD".to_string())
}

fn parse_steps(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("a limit of 0 would stop every evaluation; give at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number of expressions, e.g. 1000000000".to_string()),
    }
}

fn parse_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => {
            Err("a limit of 0 would refuse every list with an item; give at least 1".to_string())
        }
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number of items, e.g. 5000000".to_string()),
    }
}

/// Parses `--lang` for every command that takes it, so that all of them accept and refuse
/// the same codes: a code the packs cannot hold would otherwise fall back to English
/// silently in one command and be refused in another.
pub fn parse_lang(s: &str) -> Result<String, String> {
    if comply::syntax::is_language_code(s) {
        Ok(s.to_string())
    } else {
        Err("expected a two-letter ISO 639-1 language code such as en, fr or km".to_string())
    }
}

/// Reads and types one declaration file under the given limits.
pub fn load_declaration(
    program: &Program,
    path: &std::path::Path,
    limits: &Limits,
) -> Result<comply::decl::value::Declaration, Diagnostics> {
    let source = comply::decl::load::read(path, limits).map_err(Diagnostics::from)?;
    comply::decl::load::load_with(&program.shape, source, limits)
}
