//! Where each key of a declaration is written, found again in its file.
//!
//! Typed records keep no spans for their fields: a large declaration has millions of them
//! and only the reports that point at lines (SARIF, JUnit, annotations) ever ask where one
//! is. Those reports parse the file once more into the raw tree, which keeps every key's
//! span, and walk it along the shape the way the typed reader did.

use std::collections::BTreeMap;

use super::load::is_json;
use super::node::{Key, Node, NodeKind};
use super::value::join_path;
use super::{json, yaml};
use crate::program::shape::{RecordId, Shape, Type, DECLARATION};
use crate::source::{SourceFile, Span};

/// Every key written in a declaration, by declaration path
/// (`processing[hr].dpia.completed`), including keys written `null`; every item of a keyed
/// list, by its path (`processing[hr]`), at the span of the whole item.
///
/// Meant for a file that loaded: one that no longer parses gives an empty map.
pub fn written(shape: &Shape, file: &SourceFile) -> BTreeMap<String, Span> {
    let parsed = if is_json(file.name()) {
        json::parse_json(file)
    } else {
        yaml::parse_yaml(file)
    };
    let mut walk = Walk {
        shape,
        out: BTreeMap::new(),
    };
    if let Ok(Node {
        kind: NodeKind::Map(entries),
        ..
    }) = &parsed
    {
        walk.record(DECLARATION, entries, "");
    }
    walk.out
}

struct Walk<'a> {
    shape: &'a Shape,
    out: BTreeMap<String, Span>,
}

impl Walk<'_> {
    fn record(&mut self, ty: RecordId, entries: &[(Key, Node)], path: &str) {
        let def = self.shape.record(ty);
        for (key, value) in entries {
            let Some(field) = def.field(&key.name).and_then(|i| def.fields.get(i)) else {
                continue;
            };
            let field_path = join_path(path, &key.name);
            self.out.insert(field_path.clone(), key.span);
            self.value(&field.ty, value, &field_path);
        }
    }

    fn value(&mut self, ty: &Type, node: &Node, path: &str) {
        match (ty, &node.kind) {
            (Type::Record(r), NodeKind::Map(entries)) => self.record(*r, entries, path),
            (Type::List(element), NodeKind::Seq(items)) => self.list(element, items, path),
            _ => {}
        }
    }

    /// Items of a keyed list are named by their key, as the typed reader names them;
    /// other items by their position.
    fn list(&mut self, element: &Type, items: &[Node], path: &str) {
        let key_name = self.shape.keyed_items(element);
        let Some((record, key_name)) = key_name else {
            for (i, item) in items.iter().enumerate() {
                self.value(element, item, &format!("{path}[{i}]"));
            }
            return;
        };
        for item in items {
            let NodeKind::Map(entries) = &item.kind else {
                continue;
            };
            let key = entries
                .iter()
                .find(|(k, _)| k.name == key_name)
                .and_then(|(_, v)| match &v.kind {
                    NodeKind::Str(s) if !s.is_empty() => Some(s.clone()),
                    NodeKind::Int(n) => Some(n.to_string()),
                    _ => None,
                });
            if let Some(key) = key {
                let item_path = format!("{path}[{key}]");
                self.out.insert(item_path.clone(), item.span);
                self.record(record, entries, &item_path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packs;
    use crate::program::Program;

    const SHAPE: &str = r#"
pack t { title "Test" version "1" }
record Organisation {
  name: text?
  register: Register?
  processing: list<Processing>
  sites: list<Site>
}
record Register { kept: bool }
record Site { city: text }
record Processing key id { id: text  dpia: Register? }
extend Declaration { organisation: Organisation }
"#;

    fn program() -> Program {
        packs::inline(SHAPE)
    }

    /// Each path with the text its span covers.
    fn written_texts(name: &str, text: &str) -> Vec<(String, String)> {
        let file = SourceFile::new(name, text);
        written(&program().shape, &file)
            .into_iter()
            .map(|(path, span)| {
                (
                    path,
                    text.get(span.start..span.end).unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn keys_items_and_null_fields_are_found_in_json() {
        let text = r#"{"organisation": {"name": null, "register": {"kept": true},
  "processing": [{"id": "hr", "dpia": {"kept": false}}],
  "sites": [{"city": "Dakar"}]}}"#;
        let found = written_texts("d.json", text);
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("organisation", "\"organisation\""),
                ("organisation.name", "\"name\""),
                ("organisation.processing", "\"processing\""),
                (
                    "organisation.processing[hr]",
                    "{\"id\": \"hr\", \"dpia\": {\"kept\": false}}"
                ),
                ("organisation.processing[hr].dpia", "\"dpia\""),
                ("organisation.processing[hr].dpia.kept", "\"kept\""),
                ("organisation.processing[hr].id", "\"id\""),
                ("organisation.register", "\"register\""),
                ("organisation.register.kept", "\"kept\""),
                ("organisation.sites", "\"sites\""),
                ("organisation.sites[0].city", "\"city\""),
            ]
        );
    }

    #[test]
    fn yaml_keys_are_found_alike() {
        let text = "organisation:\n  name:\n  processing:\n    - id: hr\n      dpia:\n        kept: false\n";
        let found = written_texts("d.yaml", text);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "organisation",
                "organisation.name",
                "organisation.processing",
                "organisation.processing[hr]",
                "organisation.processing[hr].dpia",
                "organisation.processing[hr].dpia.kept",
                "organisation.processing[hr].id",
            ]
        );
        assert!(found
            .iter()
            .all(|(p, t)| p.ends_with(']') || p.ends_with(t.as_str())));
    }

    #[test]
    fn a_file_that_no_longer_parses_has_no_keys() {
        let file = SourceFile::new("d.json", "{");
        assert!(written(&program().shape, &file).is_empty());
    }
}
