//! Rule test files: YAML files (`*.test.yaml`) beside the rules, each a list of cases.
//!
//! ```yaml
//! as_of: 2026-11-23                  # evaluation date of every case (required)
//! cases:
//!   - name: a small organisation with occasional processing is exempt
//!     declaration:                     # inline, or `declaration_file: path` (relative)
//!       organisation: { ... }
//!     expect:
//!       dp.register: not_applicable    # organisation-level obligation
//!       dp.dpia[hr-payroll]: violated  # one item of a per-item obligation
//! ```

use std::path::{Path, PathBuf};

use crate::decl::node::{Key, Node, NodeKind};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::eval::status::Status;
use crate::source::{SourceFile, Span};
use crate::time::Date;

/// Where a case's declaration comes from.
#[derive(Clone, Debug)]
pub enum DeclSource {
    /// Written in the test file.
    Inline(Node),
    /// A file, resolved against the test file's folder.
    File(PathBuf, Span),
}

/// One expected status.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// Obligation id.
    pub obligation: String,
    /// Item key, for per-item obligations.
    pub item: Option<String>,
    /// The status expected.
    pub status: Status,
    /// Where it is written.
    pub span: Span,
}

/// One test case.
#[derive(Clone, Debug)]
pub struct Case {
    /// What it shows.
    pub name: String,
    /// Evaluation date.
    pub as_of: Date,
    /// The declaration.
    pub declaration: DeclSource,
    /// Expected statuses.
    pub expect: Vec<Expectation>,
}

/// A test file.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The file.
    pub file: SourceFile,
    /// Its cases.
    pub cases: Vec<Case>,
}

fn error(file: &SourceFile, span: Span, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::error(Code::DeclType, message)
        .in_file(file)
        .label(span, "here")
        .help(help)
}

fn entries<'n>(
    node: &'n Node,
    file: &SourceFile,
    what: &str,
) -> Result<&'n [(Key, Node)], Diagnostic> {
    match &node.kind {
        NodeKind::Map(e) => Ok(e),
        _ => Err(error(
            file,
            node.span,
            format!("{what} must be a mapping"),
            "a test file is a mapping with `as_of: YYYY-MM-DD` and `cases:`, a list of cases each with `name`, `declaration` (or `declaration_file`) and `expect`; see \"Maintaining rule packs\" in README.md",
        )),
    }
}

fn text<'n>(node: &'n Node, file: &SourceFile, what: &str) -> Result<&'n str, Diagnostic> {
    match &node.kind {
        NodeKind::Str(s) => Ok(s),
        _ => Err(error(
            file,
            node.span,
            format!("{what} must be a text"),
            "write it as a quoted or plain text",
        )),
    }
}

fn date(node: &Node, file: &SourceFile) -> Result<Date, Diagnostic> {
    let t = text(node, file, "`as_of`")?;
    Date::parse(t).ok_or_else(|| {
        error(
            file,
            node.span,
            format!("invalid date `{t}`"),
            "write a date as YYYY-MM-DD",
        )
    })
}

fn status(node: &Node, file: &SourceFile) -> Result<Status, Diagnostic> {
    let t = text(node, file, "an expected status")?;
    Status::ALL
        .iter()
        .copied()
        .find(|s| s.as_str() == t)
        .ok_or_else(|| {
            let names = Status::ALL.iter().map(|s| s.as_str());
            error(
                file,
                node.span,
                format!("unknown status `{t}`"),
                &did_you_mean(t, names),
            )
        })
}

/// Splits `id[item]`.
fn target(key: &str) -> (String, Option<String>) {
    match key.split_once('[') {
        Some((id, rest)) => (id.to_string(), Some(rest.trim_end_matches(']').to_string())),
        None => (key.to_string(), None),
    }
}

/// Reads one test file.
pub fn read(file: SourceFile) -> Result<Suite, Diagnostics> {
    let root = crate::decl::yaml::parse_yaml(&file)?;
    let mut as_of = None;
    let mut case_nodes: &[Node] = &[];
    for (k, v) in entries(&root, &file, "a test file")? {
        match k.name.as_str() {
            "as_of" => as_of = Some(date(v, &file)?),
            "cases" => match &v.kind {
                NodeKind::Seq(items) => case_nodes = items,
                _ => {
                    return Err(error(
                        &file,
                        v.span,
                        "`cases` must be a list",
                        "write `cases:` followed by `- name: ...` items",
                    )
                    .into())
                }
            },
            other => {
                return Err(error(
                    &file,
                    k.span,
                    format!("unknown key `{other}`"),
                    &did_you_mean(other, ["as_of", "cases"]),
                )
                .into())
            }
        }
    }
    let mut cases = Vec::new();
    for node in case_nodes {
        cases.push(read_case(node, &file, as_of)?);
    }
    if cases.is_empty() {
        return Err(error(
            &file,
            root.span,
            "a test file with no case",
            "add `cases:` with at least one case",
        )
        .into());
    }
    Ok(Suite { file, cases })
}

fn read_case(
    node: &Node,
    file: &SourceFile,
    default_as_of: Option<Date>,
) -> Result<Case, Diagnostic> {
    let mut name = None;
    let mut as_of = default_as_of;
    let mut declaration = None;
    // Where each form of declaration is written: a case with both would test one of them
    // while its author reads the other.
    let mut inline_at = None;
    let mut file_at = None;
    let mut expect = Vec::new();
    for (k, v) in entries(node, file, "a case")? {
        match k.name.as_str() {
            "name" => name = Some(text(v, file, "`name`")?.to_string()),
            "as_of" => as_of = Some(date(v, file)?),
            "declaration" => {
                inline_at = Some(k.span);
                declaration = Some(DeclSource::Inline(v.clone()));
            }
            "declaration_file" => {
                file_at = Some(k.span);
                let base = Path::new(file.name()).parent().unwrap_or(Path::new("."));
                declaration = Some(DeclSource::File(
                    base.join(text(v, file, "`declaration_file`")?),
                    v.span,
                ));
            }
            "expect" => {
                for (target_key, s) in entries(v, file, "`expect`")? {
                    let (obligation, item) = target(&target_key.name);
                    expect.push(Expectation {
                        obligation,
                        item,
                        status: status(s, file)?,
                        span: target_key.span,
                    });
                }
            }
            other => {
                let keys = ["name", "as_of", "declaration", "declaration_file", "expect"];
                return Err(error(
                    file,
                    k.span,
                    format!("unknown key `{other}`"),
                    &did_you_mean(other, keys),
                ));
            }
        }
    }
    if let (Some(inline), Some(path)) = (inline_at, file_at) {
        return Err(Diagnostic::error(
            Code::DeclType,
            "a case with both `declaration` and `declaration_file`",
        )
        .in_file(file)
        .label(inline, "an inline declaration")
        .label(path, "and a declaration file")
        .help("keep one of the two: a case checks a single declaration"));
    }
    let name = name.ok_or_else(|| {
        error(
            file,
            node.span,
            "a case with no `name`",
            "say what the case shows",
        )
    })?;
    let as_of = as_of.ok_or_else(|| {
        error(
            file,
            node.span,
            "a case with no `as_of` date",
            "set `as_of` for the file or the case",
        )
    })?;
    let declaration = declaration.ok_or_else(|| {
        error(
            file,
            node.span,
            "a case with no declaration",
            "add `declaration:` or `declaration_file:`",
        )
    })?;
    if expect.is_empty() {
        return Err(error(
            file,
            node.span,
            "a case that expects nothing",
            "add `expect:` with at least one `id: status`",
        ));
    }
    Ok(Case {
        name,
        as_of,
        declaration,
        expect,
    })
}
