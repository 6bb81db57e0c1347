//! Diagnostics: what comply tells a user about input it cannot use, or should warn about.
//!
//! One type serves every stage (rule parsing, type checking, declaration loading), so the
//! command line renders them all the same way and tests snapshot them the same way. Each
//! carries a stable code from [`Code`], a one-line message, labelled spans in a source
//! file and a help line.

mod code;
mod snippet;

pub use code::Code;

use std::fmt;

use crate::source::{SourceFile, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The input cannot be used.
    Error,
    /// The input can be used but is probably not what its author meant.
    Warning,
}

/// A labelled span.
#[derive(Clone, Debug)]
pub struct Label {
    span: Span,
    text: Option<String>,
}

/// One problem found in the input.
///
/// Boxed so that `Result<T, Diagnostic>` stays small on the happy path.
#[derive(Clone, Debug)]
pub struct Diagnostic(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    code: Code,
    level: Level,
    message: String,
    help: Option<String>,
    source: Option<SourceFile>,
    labels: Vec<Label>,
    related: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error with the given code and one-line message.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic(Box::new(Inner {
            code,
            level: Level::Error,
            message: message.into(),
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        }))
    }

    /// A warning with the given code and one-line message.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        let mut d = Diagnostic::error(code, message);
        d.0.level = Level::Warning;
        d
    }

    /// Attaches the file the labels point into.
    pub fn in_file(mut self, source: &SourceFile) -> Self {
        self.0.source = Some(source.clone());
        self
    }

    /// Adds a labelled span; the first label is the primary one.
    pub fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.0.labels.push(Label {
            span,
            text: Some(text.into()),
        });
        self
    }

    /// Adds a span with no text of its own.
    pub fn span(mut self, span: Span) -> Self {
        self.0.labels.push(Label { span, text: None });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// Adds a further diagnostic shown under this one.
    pub fn related(mut self, other: Diagnostic) -> Self {
        self.0.related.push(other);
        self
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.0.code
    }

    /// Error or warning.
    pub fn level(&self) -> Level {
        self.0.level
    }

    /// The one-line message.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The help line, if any.
    pub fn help_text(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The file the diagnostic points into, if any.
    pub fn file(&self) -> Option<&SourceFile> {
        self.0.source.as_ref()
    }

    /// The primary span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.0.labels.first().map(|l| l.span)
    }

    /// `name:line:column` of the primary span, for one-line renderings.
    pub fn location(&self) -> Option<String> {
        let file = self.0.source.as_ref()?;
        let span = self.primary_span()?;
        let (line, col) = file.line_col(span.start);
        Some(format!("{}:{line}:{col}", file.name()))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.0.labels.is_empty() {
            return None;
        }
        let source = self.0.source.as_ref()?;
        Some(Box::new(self.0.labels.iter().enumerate().map(|(i, l)| {
            let span = miette::SourceSpan::from(snippet::drawn_label(source, l.span));
            if i == 0 {
                miette::LabeledSpan::new_primary_with_span(l.text.clone(), span)
            } else {
                miette::LabeledSpan::new_with_span(l.text.clone(), span)
            }
        })))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.0.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.0.related.iter().map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

/// Every problem found in one load, in the order found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when any entry is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.0.level == Level::Error)
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Err(self)` when any entry is an error, so a stage can stop there.
    pub fn into_result(self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Suggests the candidates closest to a misspelt name, best first, at most `max`.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// A help line offering the closest candidates, or listing a few when none is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let all: Vec<&str> = candidates.into_iter().collect();
    let close = closest(name, all.iter().copied(), 3);
    if let [one] = close.as_slice() {
        return format!("did you mean `{one}`?");
    }
    if !close.is_empty() {
        return format!("did you mean one of {}?", quote_list(&close));
    }
    if all.is_empty() {
        return "nothing of that kind is declared here".to_string();
    }
    let mut sorted = all.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let shown: Vec<&str> = sorted.iter().take(5).copied().collect();
    let more = if sorted.len() > 5 {
        format!(" and {} more", sorted.len() - 5)
    } else {
        String::new()
    };
    format!("expected one of {}{more}", quote_list(&shown))
}

/// `a`, `b` and `c`, with backticks.
pub fn quote_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_picks_the_closest_name() {
        let help = did_you_mean("employes", ["employees", "name", "sector"]);
        assert_eq!(help, "did you mean `employees`?");
    }

    #[test]
    fn did_you_mean_lists_candidates_when_none_is_close() {
        let help = did_you_mean("zzz", ["b", "a"]);
        assert_eq!(help, "expected one of `a` or `b`");
    }
}
