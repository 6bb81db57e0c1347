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
use crate::time::{DURATION_UNITS, MAX_MONTHS, MAX_SECONDS};

/// The dialect the schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A year the loader reads: four digits, 0001 to 9999.
const YEAR: &str = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})";
/// A month and a day that exists in every year.
const MONTH_DAY: &str = "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))";
/// 29 February of a leap year other than year 0.
const LEAP_DAY: &str =
    "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29";
/// A time of day as `DateTime::parse` reads it: seconds (up to a leap second) and their
/// fraction optional, then `Z` or an offset with a colon.
const TIME: &str = "[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60))?(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])";

/// A date as the loader reads it: one that exists, in years 1 to 9999.
fn date_pattern() -> String {
    format!("^({YEAR}-{MONTH_DAY}|{LEAP_DAY})$")
}

/// An instant as the loader reads it: RFC 3339 with a required offset, or a bare date
/// (midnight UTC).
///
/// One difference remains, because a pattern cannot add an offset to a time: an instant
/// on 0001-01-01 or 9999-12-31 whose offset carries it out of years 1 to 9999 matches,
/// and the loader refuses it.
fn datetime_pattern() -> String {
    format!("^({YEAR}-{MONTH_DAY}|{LEAP_DAY})({TIME})?$")
}

/// A duration as the loader reads it: digits (leading zeros allowed) and a unit, the
/// number no larger than the loader's bound for that unit.
fn duration_pattern() -> String {
    let alternatives: Vec<String> = DURATION_UNITS
        .iter()
        .filter_map(|(unit, _)| {
            let max = unit_bound(unit)?;
            Some(format!("0*({}){unit}", at_most(max)))
        })
        .collect();
    format!("^({})$", alternatives.join("|"))
}

/// The largest count of `unit` the loader reads: the bounds of a duration in months and
/// in seconds, in that unit.
fn unit_bound(unit: &str) -> Option<i64> {
    Some(match unit {
        "y" => MAX_MONTHS / 12,
        "mo" => MAX_MONTHS,
        "w" => MAX_SECONDS / (7 * 86_400),
        "d" => MAX_SECONDS / 86_400,
        "h" => MAX_SECONDS / 3_600,
        "min" => MAX_SECONDS / 60,
        "s" => MAX_SECONDS,
        _ => return None,
    })
}

/// Alternatives matching the decimal numbers from 0 to `max`, without leading zeros
/// beyond those of shorter numbers.
fn at_most(max: i64) -> String {
    let digits = max.to_string();
    let n = digits.len();
    let mut out = Vec::new();
    if n > 1 {
        out.push(format!("[0-9]{{1,{}}}", n - 1));
    }
    for (i, d) in digits.bytes().enumerate() {
        if d > b'0' {
            let prefix = digits.get(..i).unwrap_or_default();
            let below = char::from(d - 1);
            let rest = n - i - 1;
            let tail = if rest == 0 {
                String::new()
            } else {
                format!("[0-9]{{{rest}}}")
            };
            out.push(format!("{prefix}[0-{below}]{tail}"));
        }
    }
    out.push(digits);
    out.join("|")
}

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
        // Bounded, as the loader reads a whole number into 64 bits. JSON Schema counts
        // `7.0` as an integer and cannot tell it from `7`, which the loader refuses
        // (docs/language.md, "Values"): that one difference remains.
        Type::Int => scalar("integer", json!({"minimum": i64::MIN, "maximum": i64::MAX})),
        Type::Number => scalar("number", json!({})),
        Type::Text => scalar("string", json!({})),
        Type::Date => scalar(
            "string",
            json!({"format": "date", "pattern": date_pattern()}),
        ),
        Type::DateTime => scalar("string", json!({"pattern": datetime_pattern()})),
        Type::Duration => scalar("string", json!({"pattern": duration_pattern()})),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{Date, DateTime, Duration};
    use regex::Regex;

    fn re(pattern: &str) -> Regex {
        Regex::new(pattern).unwrap()
    }

    #[track_caller]
    fn agree(pattern: &Regex, text: &str, loader: bool) {
        assert_eq!(
            pattern.is_match(text),
            loader,
            "`{text}`: the schema says {}, the loader {loader}",
            pattern.is_match(text)
        );
    }

    fn dates() -> Vec<String> {
        let mut out = Vec::new();
        for y in [
            "0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "9999",
        ] {
            for m in 0..=13 {
                for d in 0..=32 {
                    out.push(format!("{y}-{m:02}-{d:02}"));
                }
            }
        }
        out.extend(
            [
                "2026-1-01",
                "20260-01-01",
                "2026/01/01",
                "2026-01-01 ",
                "+2026-01-01",
            ]
            .map(String::from),
        );
        out
    }

    #[test]
    fn the_date_pattern_accepts_what_the_loader_reads() {
        let p = re(&date_pattern());
        for text in dates() {
            agree(&p, &text, Date::parse(&text).is_some());
        }
    }

    #[test]
    fn the_instant_pattern_accepts_what_the_loader_reads() {
        let p = re(&datetime_pattern());
        for text in dates() {
            agree(&p, &text, DateTime::parse(&text).is_some());
        }
        for time in [
            "T10:00:00Z",
            "t10:00:00z",
            " 10:00:00Z",
            "T10:00Z",
            "T10:00:00.5+07:00",
            "T23:59:60-23:59",
            "T10:00:00",
            "T10:00",
            "T10:00:00+0700",
            "T10:00:00+07",
            "T24:00:00Z",
            "T10:60:00Z",
            "T10:00:61Z",
            "T10:00:00.Z",
            "T10:00:00+24:00",
            "T10:00:00+07:60",
            "T1:00:00Z",
            "X10:00:00Z",
            "T10:00:00Z ",
            "T10:00:00.123456789Z",
            "T10:00:00,5Z",
        ] {
            for date in ["2026-01-01", "2024-02-29", "2023-02-29"] {
                let text = format!("{date}{time}");
                agree(&p, &text, DateTime::parse(&text).is_some());
            }
        }
    }

    #[test]
    fn the_duration_pattern_accepts_what_the_loader_reads() {
        let p = re(&duration_pattern());
        for (unit, _) in DURATION_UNITS {
            let max = unit_bound(unit).unwrap_or(MAX_SECONDS);
            let mut numbers: Vec<String> =
                [0, 1, 9, 10, 99, max / 10, max - 1, max, max + 1, max * 10]
                    .iter()
                    .map(i64::to_string)
                    .collect();
            numbers
                .extend(["", "007", "-1", "+1", "1.5", "99999999999999999999"].map(String::from));
            numbers.push(format!("000{max}"));
            numbers.push(format!("000{}", max + 1));
            for n in numbers {
                let text = format!("{n}{unit}");
                agree(&p, &text, Duration::parse(&text).is_ok());
            }
        }
        for text in ["10001y", "3 y", "3Y", "3", "y", "3yy", "3ms"] {
            agree(&p, text, Duration::parse(text).is_ok());
        }
    }

    #[test]
    fn at_most_counts_to_its_bound_and_no_further() {
        let p = re(&format!("^({})$", at_most(522_857)));
        for n in (0..600_000).step_by(7) {
            agree(&p, &n.to_string(), n <= 522_857);
        }
        agree(&p, "522857", true);
        agree(&p, "522858", false);
    }

    #[test]
    fn the_integer_bounds_are_the_loaders() {
        let program = crate::packs::inline(
            "pack t { title \"T\" version \"1\" }\nrecord O { n: int }\nextend Declaration { o: O }\n",
        );
        let schema: Value = serde_json::from_str(&render(&program)).unwrap();
        let n = &schema["$defs"]["O"]["properties"]["n"];
        assert_eq!(n["minimum"], json!(i64::MIN));
        assert_eq!(n["maximum"], json!(i64::MAX));
    }
}
