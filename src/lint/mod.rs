//! `comply lint`: authoring mistakes in rule files that still load.
//!
//! The packs have already loaded and type-checked into a [`Program`]; the lints look for
//! what is legal but probably wrong: an obligation with no citation or no test, a text with
//! no French version, a `define` nothing uses, a condition that can never hold, a
//! condition written twice, a prerequisite that is not in force when its dependent is.
//!
//! Every lint is a small module under [`rules`], listed in the [`codes`] registry with its
//! stable code. Each finding is a warning [`Diagnostic`] pointing into the rule file, with
//! a help line. Authors silence a code with a comment (see [`allow`]):
//!
//! ```text
//! # comply: allow(missing-french)
//! ```
//!
//! ```
//! use comply::{lint, packs, source::SourceFile};
//!
//! let rules = SourceFile::new("demo/demo.comply", r#"
//!     pack demo { title en "Demo" fr "Démo" version "1" }
//!     obligation demo.ok { title en "Fine" fr "Bien" require true }
//! "#);
//! let program = packs::load(vec![packs::PackSource { folder: "demo".into(), files: vec![rules] }])
//!     .map_err(|d| d.len())
//!     .unwrap();
//! let scope = lint::Scope { files: vec![0], tested: None };
//! let warnings = lint::lint(&program, &scope);
//! let codes: Vec<&str> = warnings.iter().map(|w| w.code().as_str()).collect();
//! assert_eq!(codes, ["comply::lint::missing-citation", "comply::lint::missing-message"]);
//! ```

use std::collections::BTreeSet;

use crate::ast;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::program::{ObligationDef, Program};
use crate::source::{SourceFile, Span};

// Declared before the modules below, which use it through textual scope.
/// Declares a lint: a unit struct whose doc comment (What / Why / Example / Fix) is also
/// kept as text in `DOC`, so that the command line can print it.
macro_rules! declare_lint {
    ($(#[doc = $doc:literal])* $vis:vis struct $name:ident;) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug)]
        $vis struct $name;

        impl $name {
            /// The documentation above, as written.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}

pub mod allow;
pub mod codes;
pub mod rules;

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Indices in [`Program::files`] of the rule files to lint; the other loaded files
    /// (packs the linted ones require) are read but not reported on.
    pub files: Vec<usize>,
    /// The obligation ids some rule test expects; `None` when the tests could not be looked
    /// for, which turns the untested-obligation lint off.
    pub tested: Option<BTreeSet<String>>,
}

/// A rule file being linted.
pub struct LintedFile {
    /// Index in [`Program::files`].
    pub index: usize,
    /// The file.
    pub source: SourceFile,
    /// Its syntax tree.
    pub ast: ast::File,
}

/// What every lint reads.
pub struct Context<'a> {
    /// Every loaded pack, checked.
    pub program: &'a Program,
    /// The files to lint, with their syntax trees.
    pub files: Vec<LintedFile>,
    /// Obligation ids some rule test expects, when the tests were looked for.
    pub tested: Option<&'a BTreeSet<String>>,
}

impl Context<'_> {
    /// Every obligation of the linted files: its file, its syntax and its checked form.
    pub fn obligations(
        &self,
    ) -> impl Iterator<Item = (&LintedFile, &ast::Obligation, &ObligationDef)> {
        self.files.iter().flat_map(move |f| {
            f.ast.items.iter().filter_map(move |item| match item {
                ast::Item::Obligation(o) => self
                    .program
                    .obligation(&o.id.name)
                    .map(|def| (f, &**o, def)),
                _ => None,
            })
        })
    }

    /// Every `define` of the linted files.
    pub fn defines(&self) -> impl Iterator<Item = (&LintedFile, &ast::Define)> {
        self.files.iter().flat_map(|f| {
            f.ast.items.iter().filter_map(move |item| match item {
                ast::Item::Define(d) => Some((f, d)),
                _ => None,
            })
        })
    }
}

/// Runs every lint over the files in scope: warnings, minus those allowed by comments,
/// sorted by file and position. A file that no longer parses gives its errors instead.
pub fn lint(program: &Program, scope: &Scope) -> Diagnostics {
    let mut out = Diagnostics::new();
    let mut files = Vec::new();
    for &index in &scope.files {
        let Some(source) = program.files.get(index) else {
            continue;
        };
        match crate::syntax::parse(source) {
            Ok(ast) => files.push(LintedFile {
                index,
                source: source.clone(),
                ast,
            }),
            Err(d) => out.extend(d),
        }
    }
    let cx = Context {
        program,
        files,
        tested: scope.tested.as_ref(),
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    for rule in codes::RULES {
        (rule.check)(&cx, &mut found);
    }
    let allows = allow::Allows::read(&cx);
    found.retain(|d| !allows.silences(d));
    let position = |d: &Diagnostic| {
        let file = d
            .file()
            .and_then(|f| cx.files.iter().position(|l| l.source.name() == f.name()))
            .unwrap_or(usize::MAX);
        (file, d.primary_span().map_or(0, |s| s.start), d.code())
    };
    found.sort_by_key(position);
    for d in found {
        out.push(d);
    }
    out
}

/// The documentation of a lint, by code (`comply::lint::missing-citation`) or short name
/// (`missing-citation`): what it finds, why it matters, an example and the fix.
pub fn explain(code: &str) -> Option<String> {
    let rule = codes::find(code)?;
    let mut text = format!("{}\n\n", rule.code.as_str());
    for line in rule.doc.lines() {
        text.push_str(line.strip_prefix(' ').unwrap_or(line));
        text.push('\n');
    }
    Some(text)
}

/// A span without the white space and comments that the parser lets trail after a path,
/// and with the parentheses it leaves out when an operand starts or ends with one, so
/// that a label underlines exactly what was written.
pub(crate) fn written(file: &SourceFile, span: Span) -> Span {
    let text = file.slice(span);
    let mut end = text.len();
    loop {
        let kept = text.get(..end).unwrap_or("").trim_end();
        let line = kept.rfind('\n').map_or(0, |i| i + 1);
        let cut = kept
            .get(line..)
            .and_then(comment_start)
            .map_or(kept.len(), |c| line + c);
        if cut == end {
            break;
        }
        end = cut;
    }
    let mut start = span.start;
    let mut open = unclosed(text.get(..end).unwrap_or(""));
    let before = file.text().get(..span.start).unwrap_or("");
    for (i, c) in before.char_indices().rev() {
        if open >= 0 {
            break;
        }
        match c {
            '(' => {
                open += 1;
                start = i;
            }
            c if c.is_whitespace() => {}
            _ => break,
        }
    }
    let mut stop = span.start + end;
    let after = file.text().get(stop..).unwrap_or("");
    for (i, c) in after.char_indices() {
        if open <= 0 {
            break;
        }
        match c {
            ')' => {
                open -= 1;
                stop = span.start + end + i + 1;
            }
            c if c.is_whitespace() => {}
            _ => break,
        }
    }
    Span::new(start, stop)
}

/// Opening minus closing parentheses outside quoted texts.
fn unclosed(text: &str) -> i64 {
    let (mut depth, mut inside, mut escaped) = (0, false, false);
    for c in text.chars() {
        match c {
            '\\' if inside && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => inside = !inside,
            '(' if !inside => depth += 1,
            ')' if !inside => depth -= 1,
            _ => {}
        }
        escaped = false;
    }
    depth
}

/// Where a `#` comment starts on a line, skipping `#` inside quoted texts.
fn comment_start(line: &str) -> Option<usize> {
    let mut inside = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '#' if !inside => return Some(i),
            '\\' if inside && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => inside = !inside,
            _ => {}
        }
        escaped = false;
    }
    None
}

#[cfg(test)]
mod tests;
