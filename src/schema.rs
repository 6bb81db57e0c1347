//! The declaration shape as JSON Schema (draft 2020-12), for editors and validators.
//!
//! Every record of the loaded packs is a definition under `$defs`, every enum a list of its
//! members; field descriptions come from the packs. The schema says what the declaration
//! loader accepts: unknown fields are refused, any field may be left out or written `null`
//! (a fact not yet stated), items of keyed lists need their key, dates are `YYYY-MM-DD`,
//! instants RFC 3339 and durations a number and a unit (`72h`, `3y`).

use serde_json::{json, Map, Value};

use crate::program::shape::{RecordId, Shape, Type, DECLARATION};
use crate::program::Program;

/// The dialect the schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A date as the loader reads it.
const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// An instant as the loader reads it: RFC 3339, or a bare date (midnight UTC).
const DATETIME_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$";
/// A duration as the loader reads it.
const DURATION_PATTERN: &str = r"^[0-9]+(s|min|h|d|w|mo|y)$";

fn def_name(shape: &Shape, ty: RecordId) -> String {
    let name = &shape.record(ty).name;
    if name.is_empty() {
        format!("record{ty}")
    } else {
        name.clone()
    }
}

fn enum_def_name(shape: &Shape, e: usize) -> String {
    shape.enumeration(e).name.clone()
}

/// The schema of a value of `ty`; `nullable` for fields, which may be written `null`.
fn value_schema(shape: &Shape, ty: &Type, nullable: bool) -> Value {
    let scalar = |t: &str, extra: Value| {
        let mut m = Map::new();
        m.insert(
            "type".into(),
            if nullable {
                json!([t, "null"])
            } else {
                json!(t)
            },
        );
        if let Value::Object(x) = extra {
            m.extend(x);
        }
        Value::Object(m)
    };
    let nullable_ref = |r: String| {
        if nullable {
            json!({"anyOf": [{"$ref": r}, {"type": "null"}]})
        } else {
            json!({"$ref": r})
        }
    };
    match ty {
        Type::Bool => scalar("boolean", json!({})),
        Type::Int => scalar("integer", json!({})),
        Type::Number => scalar("number", json!({})),
        Type::Text => scalar("string", json!({})),
        Type::Date => scalar("string", json!({"format": "date", "pattern": DATE_PATTERN})),
        Type::DateTime => scalar("string", json!({"pattern": DATETIME_PATTERN})),
        Type::Duration => scalar("string", json!({"pattern": DURATION_PATTERN})),
        Type::Enum(e) => nullable_ref(format!("#/$defs/{}", enum_def_name(shape, *e))),
        Type::Record(r) => nullable_ref(format!("#/$defs/{}", def_name(shape, *r))),
        Type::List(element) => {
            let mut items = value_schema(shape, element, false);
            if let (Type::Record(r), Value::Object(m)) = (element.as_ref(), &mut items) {
                let def = shape.record(*r);
                if let Some(key) = def.key.and_then(|k| def.fields.get(k)) {
                    m.insert("required".into(), json!([key.name]));
                }
            }
            scalar("array", json!({"items": items}))
        }
        Type::EmptyList | Type::Error => json!({}),
    }
}

fn record_schema(shape: &Shape, ty: RecordId) -> Value {
    let def = shape.record(ty);
    let mut properties = Map::new();
    for f in &def.fields {
        let mut s = value_schema(shape, &f.ty, true);
        if let (Some(d), Value::Object(m)) = (&f.description, &mut s) {
            m.insert("description".into(), json!(d));
        }
        properties.insert(f.name.clone(), s);
    }
    let mut m = Map::new();
    m.insert("title".into(), json!(def.name));
    if ty == DECLARATION {
        m.insert("type".into(), json!(["object", "null"]));
    } else {
        m.insert("type".into(), json!("object"));
    }
    if let Some(key) = def.key.and_then(|k| def.fields.get(k)) {
        m.insert(
            "description".into(),
            json!(format!(
                "An item of a list is named by its `{}`, which must be unique in the list.",
                key.name
            )),
        );
    }
    m.insert("properties".into(), Value::Object(properties));
    m.insert("additionalProperties".into(), json!(false));
    Value::Object(m)
}

/// The JSON Schema of the declarations the program reads, pretty-printed with a final
/// newline; the same packs always give the same bytes.
pub fn render(program: &Program) -> String {
    let shape = &program.shape;
    let mut defs = Map::new();
    for ty in 0..shape.records.len() {
        defs.insert(def_name(shape, ty), record_schema(shape, ty));
    }
    for (e, def) in shape.enums.iter().enumerate() {
        let members: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
        let described: Vec<String> = def
            .members
            .iter()
            .filter_map(|m| m.description.as_ref().map(|d| format!("`{}`: {d}", m.name)))
            .collect();
        let mut m = Map::new();
        m.insert("title".into(), json!(def.name));
        m.insert("type".into(), json!("string"));
        m.insert("enum".into(), json!(members));
        if !described.is_empty() {
            m.insert("description".into(), json!(described.join("\n")));
        }
        defs.insert(enum_def_name(shape, e), Value::Object(m));
    }
    let packs: Vec<String> = program
        .packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let schema = json!({
        "$schema": DIALECT,
        "$id": "urn:comply:declaration",
        "title": "comply declaration",
        "description": format!(
            "What an organisation declares about itself, as read by comply {} with the packs {}. Leave a fact out (or write null) when it is not known: the obligations that need it come out unknown.",
            env!("CARGO_PKG_VERSION"),
            packs.join(", ")
        ),
        "$ref": format!("#/$defs/{}", def_name(shape, DECLARATION)),
        "$defs": defs,
    });
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
