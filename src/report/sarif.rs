//! SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.
//!
//! One run; one rule per loaded obligation (title, citation, remedy, `helpUri` from the
//! citation's address, severity and tags as properties); one result per violated, blocked
//! or unknown verdict, at the line of the deciding field or of the item in the declaration
//! file. Waived results are kept, carried as suppressions with their justification, and
//! with a baseline every result says whether it is new or unchanged.

use serde_json::{json, Map, Value};

use super::finding::{self, citation_url, fingerprint, is_finding, level, path_uri};
use super::{Report, ResultRow, Tool};
use crate::eval::status::Status;
use crate::program::{ObligationDef, Program};

/// The schema the document declares: the OASIS standard's, as validators expect.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF log of one or more reports, pretty-printed with a final newline.
pub fn render(program: &Program, reports: &[Report], lang: &str) -> String {
    let tool = Tool::this();
    let rules: Vec<Value> = program
        .obligations
        .iter()
        .map(|ob| rule(program, ob, lang))
        .collect();
    let artifacts: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "location": {"uri": path_uri(&r.declaration.path)},
                "roles": ["analysisTarget"],
                "description": {"text": sentence(&format!("The declaration of {}", r.declaration.organisation))},
            })
        })
        .collect();
    let mut results = Vec::new();
    for (artifact, report) in reports.iter().enumerate() {
        for row in report.results.iter().filter(|r| is_finding(r)) {
            let rule_index = program.by_id.get(&*row.obligation).copied();
            results.push(result(report, row, artifact, rule_index));
        }
    }
    let as_of = reports.first().map(|r| r.as_of.clone()).unwrap_or_default();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": tool.name,
                "version": tool.version,
                "semanticVersion": tool.version,
                "rules": rules,
            }},
            "automationDetails": {"id": format!("comply/{as_of}/")},
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
            "properties": {
                "as_of": as_of,
                "lang": lang,
                "packs": super::pack_refs(program),
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// A rule name as SARIF recommends: one Pascal-case identifier (`DpBreachNotifyAuthority`).
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn rule(program: &Program, ob: &ObligationDef, lang: &str) -> Value {
    let title = ob.title.plain(lang);
    let citation = program.citation(ob);
    let remedy = ob.remedy.plain(lang);
    let full = if citation.is_empty() {
        sentence(&title)
    } else {
        format!("{} ({citation}).", title.trim().trim_end_matches('.'))
    };
    let help_text = if remedy.is_empty() {
        full.clone()
    } else {
        sentence(&remedy)
    };
    let mut help_md = format!("**{title}**");
    if !citation.is_empty() {
        help_md.push_str(&format!(" — {citation}"));
    }
    if !remedy.is_empty() {
        help_md.push_str(&format!("\n\n{}", sentence(&remedy)));
    }
    let level = match ob.severity.as_str() {
        "critical" | "high" => "error",
        "medium" => "warning",
        _ => "note",
    };
    let mut r = Map::new();
    r.insert("id".into(), json!(ob.id));
    r.insert("name".into(), json!(pascal(&ob.id)));
    r.insert("shortDescription".into(), json!({"text": sentence(&title)}));
    r.insert("fullDescription".into(), json!({"text": full}));
    r.insert(
        "help".into(),
        json!({"text": help_text, "markdown": help_md}),
    );
    if let Some(url) = citation_url(program, ob) {
        r.insert("helpUri".into(), json!(url));
    }
    r.insert("defaultConfiguration".into(), json!({"level": level}));
    let mut tags = vec!["compliance".to_string()];
    tags.extend(ob.tags.iter().cloned());
    r.insert(
        "properties".into(),
        json!({
            "severity": ob.severity.as_str(),
            "tags": tags,
            "citation": citation,
            "pack": program.pack_of(ob).map(|p| p.id.clone()).unwrap_or_default(),
        }),
    );
    Value::Object(r)
}

fn result(report: &Report, row: &ResultRow, artifact: usize, rule_index: Option<usize>) -> Value {
    let mut region = Map::new();
    region.insert(
        "startLine".into(),
        json!(row.place.as_ref().map_or(1, |p| p.line)),
    );
    if let Some(p) = &row.place {
        region.insert("startColumn".into(), json!(p.column));
    }
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": path_uri(&report.declaration.path), "index": artifact},
            "region": region,
        },
    });
    if let (Some(p), Some(obj)) = (&row.place, location.as_object_mut()) {
        obj.insert(
            "logicalLocations".into(),
            json!([{"fullyQualifiedName": p.path, "kind": "member"}]),
        );
    }
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(row.obligation));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("kind".into(), json!("fail"));
    r.insert("level".into(), json!(level(row).as_str()));
    r.insert("message".into(), json!({"text": finding::message(row)}));
    r.insert("locations".into(), json!([location]));
    r.insert(
        "partialFingerprints".into(),
        json!({"complyFinding/v1": fingerprint(&row.obligation, row.item.as_deref(), &report.declaration.path)}),
    );
    if report.baseline.is_some() {
        let state = if row.carried_over { "unchanged" } else { "new" };
        r.insert("baselineState".into(), json!(state));
    }
    if let (Status::Waived, Some(w)) = (row.status, &row.waiver) {
        r.insert(
            "suppressions".into(),
            json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!("{} (approved by {}, until {})", w.justification, w.approved_by, w.expires),
            }]),
        );
    }
    let mut props = Map::new();
    props.insert("status".into(), json!(row.status));
    props.insert("severity".into(), json!(row.about.severity));
    if let Some(item) = &row.item {
        props.insert("item".into(), json!(item));
    }
    if !row.missing.is_empty() {
        props.insert("missing".into(), json!(row.missing));
    }
    if !row.blocked_by.is_empty() {
        props.insert("blocked_by".into(), json!(row.blocked_by));
    }
    if let Some(remedy) = row.remedy() {
        props.insert("remedy".into(), json!(remedy));
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

#[cfg(test)]
mod tests {
    use super::pascal;

    #[test]
    fn rule_names_are_pascal_identifiers() {
        assert_eq!(
            pascal("dp.breach.notify_authority"),
            "DpBreachNotifyAuthority"
        );
        assert_eq!(pascal("health.hosting"), "HealthHosting");
    }
}
