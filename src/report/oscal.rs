//! OSCAL exports, for governance, risk and compliance platforms: the packs as an OSCAL
//! catalog (`comply doc --format oscal-catalog`) and the verdicts as OSCAL assessment
//! results (`comply check --format oscal-ar`), in OSCAL [`OSCAL_VERSION`], JSON.
//!
//! A pack is a group of the catalog and an obligation a control, whose statement part says
//! what it requires and whose guidance part is the remedy; cited instruments are back-matter
//! resources. In the assessment results, each declaration is one result; each applicable
//! verdict is an observation and a finding on the obligation's statement (`satisfied` or
//! `not-satisfied`, with comply's own status as a property).
//!
//! Output is deterministic: UUIDs are derived from what they identify (a SHA-256 digest
//! laid out as a version 4 UUID, the form every OSCAL tool resolves in links) and timestamps
//! are the evaluation date at midnight UTC.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::finding::{self, path_uri, unwaived_status};
use super::words::words;
use super::{Report, ResultRow, Tool};
use crate::eval::status::Status;
use crate::program::{ObligationDef, Program};

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.2.1";

/// The namespace of comply's own properties.
pub const NS: &str = "urn:comply:oscal";

/// A UUID derived from a seed: its SHA-256 digest in the version 4 layout.
pub fn uuid(seed: &str) -> String {
    let digest = Sha256::digest(format!("comply/oscal/{seed}").as_bytes());
    let mut b = [0u8; 16];
    for (slot, byte) in b.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or(""),
        hex.get(8..12).unwrap_or(""),
        hex.get(12..16).unwrap_or(""),
        hex.get(16..20).unwrap_or(""),
        hex.get(20..32).unwrap_or("")
    )
}

/// A one-line, trimmed text, as OSCAL titles and property values must be; `-` if empty.
fn line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "-".to_string()
    } else {
        joined
    }
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": line(value)})
}

fn timestamp(as_of: &str) -> String {
    format!("{as_of}T00:00:00Z")
}

fn statement_id(ob: &str) -> String {
    format!("{ob}_smt")
}

/// The seed shared by both documents: every pack and its digest.
fn packs_seed(program: &Program) -> String {
    program
        .packs
        .iter()
        .map(|p| format!("{}@{}#{}", p.id, p.version, p.digest))
        .collect::<Vec<_>>()
        .join(",")
}

fn resources(program: &Program) -> Vec<Value> {
    program
        .instruments
        .iter()
        .map(|i| {
            let mut r = Map::new();
            r.insert("uuid".into(), json!(uuid(&format!("instrument/{}", i.id))));
            r.insert("title".into(), json!(line(&i.title)));
            let mut props = vec![prop("short-name", &i.short), prop("pack", &i.pack)];
            if let Some(v) = &i.version {
                props.push(prop("instrument-version", v));
            }
            if let Some(s) = &i.status {
                props.push(prop("instrument-status", s));
            }
            r.insert("props".into(), json!(props));
            if let Some(url) = &i.url {
                r.insert("rlinks".into(), json!([{"href": url}]));
            }
            Value::Object(r)
        })
        .collect()
}

fn control(program: &Program, ob: &ObligationDef, lang: &str) -> Value {
    let file = program.files.get(ob.file);
    let mut statement = Vec::new();
    for (c, _) in &ob.applies_when {
        statement.push(format!("Applies when {}.", words(program, file, c)));
    }
    for u in &ob.unless {
        statement.push(format!(
            "Unless {} ({}).",
            words(program, file, &u.condition),
            u.because.plain(lang)
        ));
    }
    for r in &ob.requires {
        statement.push(format!(
            "Requires {}; otherwise: {}",
            words(program, file, &r.condition),
            r.message.plain(lang)
        ));
    }
    let mut props = vec![
        json!({"name": "label", "value": line(&ob.id)}),
        prop("severity", ob.severity.as_str()),
    ];
    for t in &ob.tags {
        props.push(prop("tag", t));
    }
    let citation = program.citation(ob);
    if !citation.is_empty() {
        props.push(prop("citation", &citation));
    }
    let links: Vec<Value> = ob
        .cites
        .iter()
        .filter_map(|c| {
            let i = program.instruments.get(c.instrument)?;
            Some(json!({
                "href": format!("#{}", uuid(&format!("instrument/{}", i.id))),
                "rel": "reference",
                "text": line(&format!("{} {}", i.short, c.place)),
            }))
        })
        .collect();
    let mut parts = vec![json!({
        "id": statement_id(&ob.id),
        "name": "statement",
        "prose": if statement.is_empty() { "Always required.".to_string() } else { statement.join("\n\n") },
    })];
    let remedy = ob.remedy.plain(lang);
    if !remedy.is_empty() {
        parts.push(json!({"id": format!("{}_gdn", ob.id), "name": "guidance", "prose": remedy}));
    }
    let mut c = Map::new();
    c.insert("id".into(), json!(ob.id));
    c.insert("class".into(), json!("obligation"));
    c.insert("title".into(), json!(line(&ob.title.plain(lang))));
    c.insert("props".into(), json!(props));
    if !links.is_empty() {
        c.insert("links".into(), json!(links));
    }
    c.insert("parts".into(), json!(parts));
    Value::Object(c)
}

fn finish(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The packs as an OSCAL catalog.
pub fn catalog(program: &Program, lang: &str, as_of: &str) -> String {
    let tool = Tool::this();
    let groups: Vec<Value> = program
        .packs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let controls: Vec<Value> = program
                .obligations
                .iter()
                .filter(|o| o.pack == i)
                .map(|o| control(program, o, lang))
                .collect();
            if controls.is_empty() {
                return None;
            }
            Some(json!({
                "id": p.id,
                "class": "pack",
                "title": line(&p.title.plain(lang)),
                "props": [prop("pack-version", &p.version), prop("digest", &p.digest)],
                "controls": controls,
            }))
        })
        .collect();
    let version: Vec<String> = program
        .packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let mut catalog = Map::new();
    catalog.insert(
        "uuid".into(),
        json!(uuid(&format!("catalog/{}", packs_seed(program)))),
    );
    catalog.insert(
        "metadata".into(),
        json!({
            "title": "comply rule packs",
            "last-modified": timestamp(as_of),
            "version": line(&version.join(", ")),
            "oscal-version": OSCAL_VERSION,
            "props": [prop("generator", &format!("{} {}", tool.name, tool.version))],
        }),
    );
    if !groups.is_empty() {
        catalog.insert("groups".into(), json!(groups));
    }
    let res = resources(program);
    if !res.is_empty() {
        catalog.insert("back-matter".into(), json!({"resources": res}));
    }
    finish(&json!({"catalog": catalog}))
}

/// The verdicts of one or more reports as OSCAL assessment results.
pub fn assessment_results(program: &Program, reports: &[Report]) -> String {
    let tool = Tool::this();
    let as_of = reports.first().map(|r| r.as_of.clone()).unwrap_or_default();
    let seed = packs_seed(program);
    let plan_uuid = uuid(&format!("plan/{seed}"));
    let results: Vec<Value> = reports.iter().map(|r| result(r, &seed)).collect();
    let res = vec![json!({
        "uuid": plan_uuid,
        "title": "comply check: every obligation of the loaded packs, evaluated against a declaration",
        "description": "The assessment plan is implicit: comply evaluates every obligation of the packs (see `comply doc --format oscal-catalog`) against each declaration at the evaluation date.",
        "props": program.packs.iter().map(|p| prop("pack", &format!("{} {} {}", p.id, p.version, p.digest))).collect::<Vec<_>>(),
    })];
    let decls: Vec<String> = reports.iter().map(|r| r.declaration.path.clone()).collect();
    let doc = json!({"assessment-results": {
        "uuid": uuid(&format!("ar/{seed}/{as_of}/{}", decls.join(","))),
        "metadata": {
            "title": line(&format!("comply assessment of {}", reports.iter().map(|r| r.declaration.organisation.clone()).collect::<Vec<_>>().join(", "))),
            "last-modified": timestamp(&as_of),
            "version": as_of,
            "oscal-version": OSCAL_VERSION,
            "props": [prop("generator", &format!("{} {}", tool.name, tool.version))],
        },
        "import-ap": {"href": format!("#{plan_uuid}")},
        "results": results,
        "back-matter": {"resources": res},
    }});
    finish(&doc)
}

fn result(report: &Report, seed: &str) -> Value {
    let key = format!("{seed}/{}/{}", report.as_of, report.declaration.path);
    let rows: Vec<&ResultRow> = report
        .results
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
        .collect();
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for row in rows {
        let name = finding::name(row);
        let obs_uuid = uuid(&format!("observation/{key}/{name}"));
        let mut description = row.reasons.join("\n\n");
        if description.is_empty() {
            description = format!("{}: {}", row.about.title, row.status);
        }
        let mut evidence = format!(
            "{} ({})",
            report.declaration.path, report.declaration.organisation
        );
        if let Some(p) = &row.place {
            evidence.push_str(&format!(", `{}` at line {}", p.path, p.line));
        }
        observations.push(json!({
            "uuid": obs_uuid,
            "title": line(&format!("{name}: {}", row.status)),
            "description": description,
            "props": [prop("status", row.status.as_str())],
            "methods": ["TEST"],
            "types": ["finding"],
            "relevant-evidence": [{"href": path_uri(&report.declaration.path), "description": evidence}],
            "collected": timestamp(&report.as_of),
        }));
        let (state, reason) = match row.status {
            Status::Satisfied => ("satisfied", "pass"),
            Status::Violated | Status::Blocked => ("not-satisfied", "fail"),
            _ => ("not-satisfied", "other"),
        };
        let mut props = vec![
            prop("status", row.status.as_str()),
            prop("severity", row.about.severity),
        ];
        if let Some(item) = &row.item {
            props.push(prop("item", item));
        }
        if row.status == Status::Waived {
            props.push(prop("status-without-waiver", unwaived_status(row).as_str()));
        }
        if row.carried_over {
            props.push(prop("baseline", "carried-over"));
        }
        let mut f = Map::new();
        f.insert("uuid".into(), json!(uuid(&format!("finding/{key}/{name}"))));
        f.insert(
            "title".into(),
            json!(line(&format!("{name}: {}", row.about.title))),
        );
        f.insert("description".into(), json!(finding::message(row)));
        f.insert("props".into(), json!(props));
        f.insert(
            "target".into(),
            json!({
                "type": "statement-id",
                "target-id": statement_id(&row.obligation),
                "status": {"state": state, "reason": reason},
            }),
        );
        f.insert(
            "related-observations".into(),
            json!([{"observation-uuid": obs_uuid}]),
        );
        if let Some(w) = &row.waiver {
            f.insert(
                "remarks".into(),
                json!(format!(
                    "Waiver{} approved by {} until {}: {}",
                    if w.in_force { "" } else { " (expired)" },
                    w.approved_by,
                    w.expires,
                    w.justification
                )),
            );
        }
        findings.push(Value::Object(f));
    }
    let mut r = Map::new();
    r.insert("uuid".into(), json!(uuid(&format!("result/{key}"))));
    r.insert(
        "title".into(),
        json!(line(&format!(
            "{} ({})",
            report.declaration.organisation, report.declaration.path
        ))),
    );
    r.insert(
        "description".into(),
        json!(format!(
            "Verdicts of comply on `{}` as of {}: {}.",
            report.declaration.path,
            report.as_of,
            super::human::summary_line(&report.summary, "en")
        )),
    );
    r.insert("start".into(), json!(timestamp(&report.as_of)));
    r.insert("end".into(), json!(timestamp(&report.as_of)));
    r.insert(
        "reviewed-controls".into(),
        json!({"control-selections": [{"include-all": {}}]}),
    );
    if !observations.is_empty() {
        r.insert("observations".into(), json!(observations));
        r.insert("findings".into(), json!(findings));
    }
    Value::Object(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_in_the_version_4_layout() {
        let a = uuid("x");
        assert_eq!(a, uuid("x"));
        assert_ne!(a, uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn lines_are_single_and_trimmed() {
        assert_eq!(line("  a\n b  "), "a b");
        assert_eq!(line(" "), "-");
    }
}
