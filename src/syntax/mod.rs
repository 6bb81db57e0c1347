//! From rule-file text to a syntax tree: pest parses, lowering builds the [`crate::ast`].

mod error;
mod grammar;
mod language;
pub mod limits;
mod lower;

pub use language::is_language_code;
pub use lower::parse_interpolation;

use pest::Parser;

use crate::ast::File;
use crate::diagnostic::Diagnostics;
use crate::source::SourceFile;
use grammar::{Rule, RuleParser};

/// Parses one rule file, reporting every problem lowering finds.
pub fn parse(source: &SourceFile) -> Result<File, Diagnostics> {
    limits::check_text(source)?;
    let pairs = RuleParser::parse(Rule::file, source.text())
        .map_err(|e| Diagnostics::from(error::syntax_error(source, &e)))?;
    lower::lower_file(source, pairs)
}
