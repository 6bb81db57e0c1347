//! JSON read straight into typed records, for declarations with nothing wrong in them.
//!
//! The general path parses a file into the raw tree, then types the tree against the
//! shape (see [`super::typed`]). On a large generated declaration that tree takes several
//! times the file in memory and half of the loading time. This reader types each value as
//! it parses it and builds no tree.
//!
//! It knows only the way through a valid declaration. At the first thing it would have to
//! report (a syntax error, an unknown field, a value of the wrong type, a duplicate key, a
//! list over the limit) it gives up, and the loader takes the general path, whose
//! diagnostics say what is wrong. The two therefore never disagree on a diagnostic; on the
//! records they agree by construction of the same rules, which the tests below check on
//! every kind of value.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::json::Parser;
use super::limits::Limits;
use super::node::{NodeKind, MAX_DEPTH};
use super::value::{join_path, Record, Value};
use crate::program::shape::{EnumId, RecordDef, RecordId, Shape, Type, DECLARATION};
use crate::source::{SourceFile, Span};
use crate::time::{Date, DateTime, Duration};

/// The typed root record of a JSON declaration, or `None` when the file has anything the
/// general path would report (or anything this reader leaves to it, such as integer keys).
pub fn read(shape: &Shape, file: &SourceFile, limits: &Limits) -> Option<Record> {
    let mut reader = Reader {
        p: Parser::new(file),
        shape,
        limits,
        members: HashMap::new(),
    };
    reader.p.skip_ws();
    if reader.p.peek() != Some(b'{') {
        return None;
    }
    let root = reader.record(DECLARATION, String::new(), None, 0).ok()?;
    reader.p.skip_ws();
    reader.p.at_end().then_some(root)
}

/// Enums with more members than this are looked up through a map (countries, languages);
/// below it a scan is as fast.
const SCAN_MEMBERS: usize = 16;

/// The reader has met something the general path must report.
struct GiveUp;

type Read<T> = Result<T, GiveUp>;

impl From<crate::diagnostic::Diagnostic> for GiveUp {
    fn from(_: crate::diagnostic::Diagnostic) -> Self {
        GiveUp
    }
}

struct Reader<'a> {
    p: Parser<'a>,
    shape: &'a Shape,
    limits: &'a Limits,
    /// Member indices of the large enums, built on first use.
    members: HashMap<EnumId, HashMap<&'a str, u32>>,
}

impl<'a> Reader<'a> {
    /// Skips whitespace, then steps over `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.p.skip_ws();
        let found = self.p.peek() == Some(byte);
        if found {
            self.p.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Read<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// The record whose `{` is next; `depth` counts the collections around it.
    fn record(
        &mut self,
        ty: RecordId,
        path: String,
        key: Option<Arc<str>>,
        depth: usize,
    ) -> Read<Record> {
        self.p.skip_ws();
        let start = self.p.pos;
        if depth >= MAX_DEPTH || !self.eat(b'{') {
            return Err(GiveUp);
        }
        let def = self.shape.record(ty);
        let mut fields: Vec<Option<Value>> = vec![None; def.fields.len()];
        let mut written = vec![false; def.fields.len()];
        // Fields are usually written in the order the packs declare them.
        let mut next = 0;
        if !self.eat(b'}') {
            loop {
                self.p.skip_ws();
                if self.p.peek() != Some(b'"') {
                    return Err(GiveUp);
                }
                let name = self.p.cow_string()?;
                let index = field_index(def, &name, next).ok_or(GiveUp)?;
                next = index + 1;
                match written.get_mut(index) {
                    Some(seen @ false) => *seen = true,
                    _ => return Err(GiveUp),
                }
                self.expect(b':')?;
                self.p.skip_ws();
                if self.p.looking_at(b"null") {
                    self.p.pos += 4;
                } else {
                    let ty = &def.fields.get(index).ok_or(GiveUp)?.ty;
                    let value = self.value(ty, &path, &name, depth + 1)?;
                    if let Some(slot) = fields.get_mut(index) {
                        *slot = Some(value);
                    }
                }
                if self.eat(b'}') {
                    break;
                }
                self.expect(b',')?;
            }
        }
        Ok(Record {
            ty,
            path: Arc::from(path),
            key,
            fields: fields.into_boxed_slice(),
            span: Span::new(start, self.p.pos),
        })
    }

    /// The value of the field `name` of the record at `parent`, which is next after
    /// whitespace; `depth` counts the collections around it.
    fn value(&mut self, ty: &Type, parent: &str, name: &str, depth: usize) -> Read<Value> {
        self.p.skip_ws();
        match ty {
            Type::Record(r) => self
                .record(*r, join_path(parent, name), None, depth)
                .map(|r| Value::Record(Box::new(r))),
            Type::List(element) => {
                let path = join_path(parent, name);
                self.list(element, &path, depth).map(Value::List)
            }
            _ => self.scalar(ty),
        }
    }

    /// A value of a type other than a record or a list, next in the file.
    fn scalar(&mut self, ty: &Type) -> Read<Value> {
        match ty {
            Type::Bool if self.p.looking_at(b"true") => {
                self.p.pos += 4;
                Ok(Value::Bool(true))
            }
            Type::Bool if self.p.looking_at(b"false") => {
                self.p.pos += 5;
                Ok(Value::Bool(false))
            }
            Type::Int | Type::Number if matches!(self.p.peek(), Some(b'-' | b'0'..=b'9')) => {
                match (ty, self.p.number()?.kind) {
                    (Type::Int, NodeKind::Int(n)) => Ok(Value::Int(n)),
                    (Type::Number, NodeKind::Int(n)) => Ok(Value::Number(n as f64)),
                    (Type::Number, NodeKind::Float(n)) if n.is_finite() => Ok(Value::Number(n)),
                    _ => Err(GiveUp),
                }
            }
            Type::Text | Type::Date | Type::DateTime | Type::Duration | Type::Enum(_)
                if self.p.peek() == Some(b'"') =>
            {
                let text = self.p.cow_string()?;
                self.text(ty, text)
            }
            _ => Err(GiveUp),
        }
    }

    /// A value written as a JSON text.
    fn text(&mut self, ty: &Type, text: Cow<'_, str>) -> Read<Value> {
        let value = match ty {
            Type::Text => Some(Value::Text(match text {
                Cow::Borrowed(s) => Box::from(s),
                Cow::Owned(s) => s.into_boxed_str(),
            })),
            Type::Date => Date::parse(&text).map(Value::Date),
            Type::DateTime => DateTime::parse(&text).map(Value::DateTime),
            Type::Duration => Duration::parse(&text).ok().map(Value::Duration),
            Type::Enum(e) => self.member(*e, &text).map(Value::Enum),
            _ => None,
        };
        value.ok_or(GiveUp)
    }

    fn member(&mut self, e: EnumId, name: &str) -> Option<u32> {
        let def = self.shape.enumeration(e);
        if def.members.len() <= SCAN_MEMBERS {
            return def.member(name);
        }
        let index = self.members.entry(e).or_insert_with(|| {
            def.members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| Some((m.name.as_str(), u32::try_from(i).ok()?)))
                .rev()
                .collect()
        });
        index.get(name).copied()
    }

    /// The list whose `[` is next; items of a keyed list are named by their key.
    fn list(&mut self, element: &Type, path: &str, depth: usize) -> Read<Box<[Value]>> {
        if depth >= MAX_DEPTH {
            return Err(GiveUp);
        }
        self.expect(b'[')?;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(items.into_boxed_slice());
        }
        let keyed = self.shape.keyed_items(element);
        let mut seen: HashSet<Arc<str>> = HashSet::new();
        loop {
            if items.len() >= self.limits.max_list_items {
                return Err(GiveUp);
            }
            let item = match keyed {
                Some((record, key_name)) => {
                    self.p.skip_ws();
                    let key: Arc<str> = Arc::from(self.item_key(key_name)?.as_ref());
                    if !seen.insert(Arc::clone(&key)) {
                        return Err(GiveUp);
                    }
                    let item_path = format!("{path}[{key}]");
                    Value::Record(Box::new(self.record(
                        record,
                        item_path,
                        Some(key),
                        depth + 1,
                    )?))
                }
                None => {
                    let name = format!("[{}]", items.len());
                    self.p.skip_ws();
                    match element {
                        Type::Record(r) => Value::Record(Box::new(self.record(
                            *r,
                            format!("{path}{name}"),
                            None,
                            depth + 1,
                        )?)),
                        Type::List(inner) => {
                            Value::List(self.list(inner, &format!("{path}{name}"), depth + 1)?)
                        }
                        _ => self.scalar(element)?,
                    }
                }
            };
            items.push(item);
            if self.eat(b']') {
                return Ok(items.into_boxed_slice());
            }
            self.expect(b',')?;
        }
    }

    /// The key of the list item whose `{` is next, looked up ahead without moving: the
    /// item's path, and so the paths of everything in it, are made from it. The key is
    /// nearly always the first member, which keeps the look-ahead short.
    fn item_key(&self, key_name: &str) -> Read<Cow<'a, str>> {
        let mut ahead = self.p.clone();
        if ahead.peek() != Some(b'{') {
            return Err(GiveUp);
        }
        ahead.pos += 1;
        loop {
            ahead.skip_ws();
            if ahead.peek() != Some(b'"') {
                return Err(GiveUp);
            }
            let name = ahead.cow_string()?;
            ahead.skip_ws();
            if ahead.peek() != Some(b':') {
                return Err(GiveUp);
            }
            ahead.pos += 1;
            ahead.skip_ws();
            if name == key_name {
                if ahead.peek() != Some(b'"') {
                    return Err(GiveUp);
                }
                let key = ahead.cow_string()?;
                return if key.is_empty() { Err(GiveUp) } else { Ok(key) };
            }
            ahead.value(1)?;
            ahead.skip_ws();
            if ahead.peek() != Some(b',') {
                return Err(GiveUp);
            }
            ahead.pos += 1;
        }
    }
}

/// The index of the field called `name`, trying first the one at `hint`.
fn field_index(def: &RecordDef, name: &str, hint: usize) -> Option<usize> {
    match def.fields.get(hint) {
        Some(f) if f.name == name => Some(hint),
        _ => def.field(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decl::{json, typed};
    use crate::packs;
    use crate::program::Program;

    const SHAPE: &str = r#"
pack t { title "Test" version "1" }
record Organisation {
  name: text
  employees: int
  turnover: number?
  public_body: bool
  founded: date?
  audited_at: datetime?
  retention: duration?
  country: Country?
  languages: list<Country>
  register: Register?
  processing: list<Processing>
  matrix: list<list<int>>
  sites: list<Site>
}
record Register { kept: bool  reviewed: date? }
record Site { city: text }
record Processing key id {
  id: text
  purpose: text?
  dpia: Register?
  uses: list<text>
}
enum Country { FR "France"  KH "Cambodia"  SN "Senegal" }
extend Declaration { organisation: Organisation }
"#;

    fn program() -> Program {
        packs::inline(SHAPE)
    }

    /// The typed reader's record and the general path's, which must be equal whenever
    /// the typed reader gives one.
    fn both(text: &str, limits: &Limits) -> (Option<Record>, Option<Record>) {
        let program = program();
        let file = SourceFile::new("org.json", text);
        let fast = read(&program.shape, &file, limits);
        let general = json::parse_json(&file)
            .ok()
            .and_then(|node| typed::read_with(&program.shape, &file, &node, limits).ok());
        (fast, general)
    }

    #[track_caller]
    fn agrees(text: &str) {
        let (fast, general) = both(text, &Limits::default());
        assert!(fast.is_some(), "the typed reader gave up on {text}");
        assert_eq!(fast, general, "on {text}");
    }

    /// The typed reader gives up on what the general path refuses.
    #[track_caller]
    fn gives_up(text: &str) {
        let (fast, general) = both(text, &Limits::default());
        assert!(general.is_none(), "the general path accepted {text}");
        assert!(fast.is_none(), "the typed reader accepted {text}");
    }

    const VALID: &str = r#"{
      "organisation": {
        "name": "Caf\u00e9 \"Mekong\"", "employees": 12, "turnover": 3, "public_body": false,
        "founded": "2001-02-03", "audited_at": "2026-01-02T10:00:00+07:00",
        "retention": "6mo", "country": "KH", "languages": ["FR", "SN"],
        "register": {"kept": true, "reviewed": null},
        "processing": [
          {"purpose": "pay", "id": "hr-pay", "uses": ["a", "b"], "dpia": {"kept": false}},
          {"id": "crm", "purpose": null, "uses": []}
        ],
        "matrix": [[1, 2], [], [-3]],
        "sites": [{"city": "Phnom Penh"}, {"city": "Dakar"}]
      }
    }"#;

    #[test]
    fn reads_every_kind_of_value_as_the_general_path_does() {
        agrees(VALID);
        agrees(&format!("\u{feff} \n{VALID}\n\n"));
        agrees(r#"{"organisation": {"turnover": 2.5e3, "employees": -0}}"#);
        agrees("{}");
        agrees(r#"{"organisation": null}"#);
        agrees(r#"{"organisation": {}}"#);
        agrees(r#"{"organisation": {"processing": [{"id": "x\ty"}], "na\u006de": "n"}}"#);
    }

    #[test]
    fn decimals_for_whole_numbers_and_instants_at_their_edges_read_alike() {
        gives_up(r#"{"organisation": {"employees": 7.0}}"#);
        gives_up(r#"{"organisation": {"matrix": [[1e3]]}}"#);
        agrees(r#"{"organisation": {"audited_at": "9999-12-31T22:59:59-01:00"}}"#);
        gives_up(r#"{"organisation": {"employees": 1.5}}"#);
        gives_up(r#"{"organisation": {"employees": 18446744073709551615}}"#);
        gives_up(r#"{"organisation": {"employees": 9223372036854775808.0}}"#);
        gives_up(r#"{"organisation": {"audited_at": "9999-12-31T23:59:59-01:00"}}"#);
        gives_up(r#"{"organisation": {"audited_at": "0001-01-01T00:00:00+01:00"}}"#);
    }

    #[test]
    fn keys_and_paths_name_items_by_their_key_wherever_it_is_written() {
        let (fast, _) = both(VALID, &Limits::default());
        let Some(root) = fast else {
            panic!("gave up on a valid declaration");
        };
        let mut paths = Vec::new();
        let mut stack = vec![&root];
        while let Some(r) = stack.pop() {
            paths.push(r.path.to_string());
            for v in r.fields.iter().flatten() {
                match v {
                    Value::Record(inner) => stack.push(inner),
                    Value::List(items) => stack.extend(items.iter().filter_map(|i| match i {
                        Value::Record(inner) => Some(&**inner),
                        _ => None,
                    })),
                    _ => {}
                }
            }
        }
        paths.sort();
        assert_eq!(
            paths,
            [
                "",
                "organisation",
                "organisation.processing[crm]",
                "organisation.processing[hr-pay]",
                "organisation.processing[hr-pay].dpia",
                "organisation.register",
                "organisation.sites[0]",
                "organisation.sites[1]",
            ]
        );
    }

    #[test]
    fn gives_up_on_whatever_the_general_path_reports() {
        for text in [
            "",
            "[]",
            r#"{"organisation": {"name": "x"},}"#,
            r#"{"organisation": {"name": "x"}} {}"#,
            r#"{"organisation": {"nmae": "x"}}"#,
            r#"{"organisation": {"name": 1}}"#,
            r#"{"organisation": {"employees": 1.5}}"#,
            r#"{"organisation": {"public_body": "yes"}}"#,
            r#"{"organisation": {"founded": "2001-02-30"}}"#,
            r#"{"organisation": {"audited_at": "2026-01-02T25:00:00Z"}}"#,
            r#"{"organisation": {"retention": "6 months"}}"#,
            r#"{"organisation": {"country": "XX"}}"#,
            r#"{"organisation": {"languages": ["FR", null]}}"#,
            r#"{"organisation": {"name": "a", "name": "b"}}"#,
            r#"{"organisation": {"name": null, "name": null}}"#,
            r#"{"organisation": {"processing": [{"id": "a"}, {"id": "a"}]}}"#,
            r#"{"organisation": {"processing": [{"purpose": "no key"}]}}"#,
            r#"{"organisation": {"processing": [{"id": ""}]}}"#,
            r#"{"organisation": {"processing": [{"id": null}]}}"#,
            r#"{"organisation": {"processing": ["x"]}}"#,
            r#"{"organisation": {"register": []}}"#,
            r#"{"organisation": {"name": "unterminated}}"#,
            r#"{"organisation": {"turnover": 1e999}}"#,
        ] {
            gives_up(text);
        }
    }

    #[test]
    fn leaves_integer_item_keys_to_the_general_path() {
        let (fast, _) = both(
            r#"{"organisation": {"processing": [{"id": 7}]}}"#,
            &Limits::default(),
        );
        assert!(fast.is_none());
    }

    #[test]
    fn a_list_at_the_limit_is_read_and_one_past_it_is_left_to_the_general_path() {
        let limits = Limits {
            max_list_items: 3,
            ..Limits::default()
        };
        let at = r#"{"organisation": {"languages": ["FR", "KH", "SN"]}}"#;
        let (fast, general) = both(at, &limits);
        assert!(fast.is_some());
        assert_eq!(fast, general);
        let past = r#"{"organisation": {"languages": ["FR", "KH", "SN", "FR"]}}"#;
        assert!(both(past, &limits).0.is_none());
    }

    #[test]
    fn nesting_past_the_limit_is_left_to_the_general_path() {
        let deep = format!(
            r#"{{"organisation": {{"matrix": {}{}}}}}"#,
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        gives_up(&deep);
    }
}
