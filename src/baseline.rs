//! Baselines: an earlier JSON report whose failing results no longer fail the run.
//!
//! Adopting comply on an estate with known gaps should not turn every pipeline red on the
//! first day: with `--baseline REPORT.json`, only results that were not already failing in
//! that report make the run fail. A finding is identified by obligation id, item key and
//! declaration path — never by line — so editing the declaration does not turn old findings
//! into new ones, and a new violation is never hidden by an old one elsewhere.

use std::collections::BTreeSet;

use crate::decl::node::{Node, NodeKind};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::report::{BaselineSection, Report, SCHEMA_VERSION};
use crate::source::{SourceFile, Span};

/// A finding: obligation id, item key, declaration path.
pub type Finding = (String, Option<String>, String);

/// The failing results of an earlier report.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    file: String,
    failing: BTreeSet<Finding>,
}

/// A declaration path as compared: `./a/b.yaml` and `a\b.yaml` are `a/b.yaml`.
pub fn normalise_path(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_string()
}

const HELP: &str = "a baseline is a report written earlier by \
    `comply check --format json --output REPORT.json`";

impl Baseline {
    /// Reads an earlier JSON report (of one declaration or of several).
    pub fn parse(file: &SourceFile) -> Result<Baseline, Diagnostics> {
        let root = crate::decl::json::parse_json(file).map_err(|d| {
            Diagnostics::from(
                Diagnostic::error(
                    Code::BaselineInvalid,
                    format!("`{}` is not a JSON report: {}", file.name(), d.message()),
                )
                .in_file(file)
                .label(d.primary_span().unwrap_or_default(), "here")
                .help(HELP),
            )
        })?;
        let invalid = |span: Span, message: String, label: &str| {
            Diagnostics::from(
                Diagnostic::error(Code::BaselineInvalid, message)
                    .in_file(file)
                    .label(span, label)
                    .help(HELP),
            )
        };
        let NodeKind::Map(_) = &root.kind else {
            return Err(invalid(
                root.span,
                format!("a baseline is a JSON report, found {}", root.kind_name()),
                "expected the report's object",
            ));
        };
        match get(&root, "schema_version").map(|n| (&n.kind, n.span)) {
            Some((NodeKind::Int(v), _)) if u32::try_from(*v).ok() == Some(SCHEMA_VERSION) => {}
            Some((_, span)) => {
                return Err(invalid(
                    span,
                    format!("unsupported report version in `{}`", file.name()),
                    "this comply reads reports of schema version 1",
                ))
            }
            None => {
                return Err(invalid(
                    root.span,
                    format!("`{}` has no `schema_version`", file.name()),
                    "not a comply report",
                ))
            }
        }
        let reports: Vec<&Node> = match get(&root, "reports").map(|n| &n.kind) {
            Some(NodeKind::Seq(items)) => items.iter().collect(),
            _ => vec![&root],
        };
        let mut failing = BTreeSet::new();
        for report in reports {
            let path = get(report, "declaration")
                .and_then(|d| get(d, "path"))
                .and_then(text);
            let results = get(report, "results");
            let (
                Some(path),
                Some(Node {
                    kind: NodeKind::Seq(rows),
                    ..
                }),
            ) = (path, results)
            else {
                return Err(invalid(
                    report.span,
                    "a report in the baseline lacks `declaration.path` or `results`".to_string(),
                    "this report",
                ));
            };
            let path = normalise_path(path);
            for row in rows {
                let status = get(row, "status").and_then(text);
                let obligation = get(row, "obligation").and_then(text);
                let item = get(row, "item").and_then(text).map(str::to_string);
                let (Some(status), Some(obligation)) = (status, obligation) else {
                    return Err(invalid(
                        row.span,
                        "a result in the baseline lacks `obligation` or `status`".to_string(),
                        "this result",
                    ));
                };
                if matches!(status, "violated" | "blocked" | "unknown") {
                    failing.insert((obligation.to_string(), item, path.clone()));
                }
            }
        }
        Ok(Baseline {
            file: file.name().to_string(),
            failing,
        })
    }

    /// True when the finding was failing in the baseline.
    pub fn contains(&self, obligation: &str, item: Option<&str>, decl_path: &str) -> bool {
        self.failing.contains(&(
            obligation.to_string(),
            item.map(str::to_string),
            normalise_path(decl_path),
        ))
    }

    /// Marks the failing results of a report that were already failing, and says how many.
    pub fn apply(&self, report: &mut Report) {
        let path = report.declaration.path.clone();
        let mut carried = 0;
        let mut new = 0;
        for row in &mut report.results {
            if !row.status.is_failing() {
                continue;
            }
            row.carried_over = self.contains(&row.obligation, row.item.as_deref(), &path);
            if row.carried_over {
                carried += 1;
            } else {
                new += 1;
            }
        }
        report.baseline = Some(BaselineSection {
            file: self.file.clone(),
            carried_over: carried,
            new,
        });
    }
}

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

fn text(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Str(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_without_dot_slash_or_backslashes() {
        assert_eq!(normalise_path("./fixtures/a.yaml"), "fixtures/a.yaml");
        assert_eq!(normalise_path(r"fixtures\a.yaml"), "fixtures/a.yaml");
    }

    #[test]
    fn reads_failing_findings_of_single_and_batch_reports() {
        let one = SourceFile::new(
            "old.json",
            r#"{"schema_version": 1, "declaration": {"path": "./d.yaml"},
               "results": [{"obligation": "a.b", "item": null, "status": "violated"},
                           {"obligation": "a.c", "item": "x", "status": "satisfied"}]}"#,
        );
        let b = Baseline::parse(&one).unwrap();
        assert!(b.contains("a.b", None, "d.yaml"));
        assert!(!b.contains("a.c", Some("x"), "d.yaml"));
        assert!(!b.contains("a.b", None, "other.yaml"));
        let batch = SourceFile::new(
            "old.json",
            r#"{"schema_version": 1, "reports": [{"declaration": {"path": "e.yaml"},
               "results": [{"obligation": "a.b", "item": "k", "status": "unknown"}]}]}"#,
        );
        assert!(Baseline::parse(&batch)
            .unwrap()
            .contains("a.b", Some("k"), "e.yaml"));
    }

    #[test]
    fn refuses_what_is_not_a_report() {
        let bad = SourceFile::new("old.json", r#"{"schema_version": 7}"#);
        let e = Baseline::parse(&bad).unwrap_err();
        let d = e.iter().next().unwrap();
        assert_eq!(d.code(), Code::BaselineInvalid);
        let broken = SourceFile::new("old.json", "{\"schema_version\": 1,");
        assert!(Baseline::parse(&broken).is_err());
    }
}
