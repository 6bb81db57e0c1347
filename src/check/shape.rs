//! Builds the declaration shape from every `record`, `enum` and `extend` of the loaded packs.

use std::collections::HashMap;

use super::Input;
use crate::ast::{Enum, Extend, Field, Item, Record, TypeRef};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::program::shape::{
    EnumDef, FieldDef, MemberDef, RecordDef, Shape, Type, DECLARATION, EVIDENCE,
};
use crate::source::Span;

/// Names of the built-in scalar types.
pub const SCALARS: [&str; 7] = [
    "bool", "int", "number", "text", "date", "datetime", "duration",
];

/// A declared type name.
#[derive(Clone, Copy)]
pub enum Named {
    Record(usize),
    Enum(usize),
}

/// The shape, and the type names in scope.
pub struct ShapeTable {
    pub shape: Shape,
    pub names: HashMap<String, (Named, Option<(usize, Span)>)>,
}

impl ShapeTable {
    /// Resolves a written type.
    pub fn resolve(
        &self,
        ty: &TypeRef,
        file: usize,
        inputs: &Input,
        diags: &mut Diagnostics,
    ) -> Type {
        match ty {
            TypeRef::List(inner, _) => {
                Type::List(Box::new(self.resolve(inner, file, inputs, diags)))
            }
            TypeRef::Named(id) => {
                let scalar = match id.name.as_str() {
                    "bool" => Some(Type::Bool),
                    "int" => Some(Type::Int),
                    "number" => Some(Type::Number),
                    "text" => Some(Type::Text),
                    "date" => Some(Type::Date),
                    "datetime" => Some(Type::DateTime),
                    "duration" => Some(Type::Duration),
                    _ => None,
                };
                if let Some(t) = scalar {
                    return t;
                }
                match self.names.get(&id.name) {
                    Some((Named::Record(r), _)) => Type::Record(*r),
                    Some((Named::Enum(e), _)) => Type::Enum(*e),
                    None => {
                        let candidates = SCALARS
                            .iter()
                            .copied()
                            .chain(self.names.keys().map(String::as_str));
                        diags.push(
                            Diagnostic::error(
                                Code::UnknownType,
                                format!("unknown type `{}`", id.name),
                            )
                            .in_file(inputs.file(file))
                            .label(id.span, "no record or enum has this name")
                            .help(did_you_mean(&id.name, candidates)),
                        );
                        Type::Error
                    }
                }
            }
        }
    }
}

fn builtin_record(name: &str, fields: &[(&str, Type, bool, &str)]) -> RecordDef {
    RecordDef {
        name: name.to_string(),
        key: None,
        fields: fields
            .iter()
            .map(|(n, t, optional, d)| FieldDef {
                name: (*n).to_string(),
                ty: t.clone(),
                optional: *optional,
                description: Some((*d).to_string()),
                pack: String::new(),
                span: Span::default(),
                file: usize::MAX,
            })
            .collect(),
        pack: String::new(),
    }
}

/// Collects the shape of all packs; `pack_of_file` names the pack of each file.
pub fn build(inputs: &Input, pack_of_file: &[String], diags: &mut Diagnostics) -> ShapeTable {
    let mut table = ShapeTable {
        shape: Shape {
            records: vec![
                builtin_record("Declaration", &[]),
                builtin_record(
                    "Evidence",
                    &[
                        (
                            "ref",
                            Type::Text,
                            false,
                            "Where the document is: a reference, file name or address",
                        ),
                        (
                            "collected",
                            Type::Date,
                            false,
                            "When the document was collected",
                        ),
                        ("expires", Type::Date, true, "When it stops being valid"),
                        (
                            "digest",
                            Type::Text,
                            true,
                            "A digest of the document, e.g. sha256:...",
                        ),
                    ],
                ),
            ],
            enums: Vec::new(),
        },
        names: HashMap::new(),
    };
    table
        .names
        .insert("Declaration".into(), (Named::Record(DECLARATION), None));
    table
        .names
        .insert("Evidence".into(), (Named::Record(EVIDENCE), None));

    // First pass: every type name, so fields may refer to types declared later.
    let mut records: Vec<(usize, &Record, usize)> = Vec::new();
    let mut enums: Vec<(usize, &Enum, usize)> = Vec::new();
    for (file, item) in inputs.items() {
        let pack = pack_of_file.get(file).cloned().unwrap_or_default();
        let (name, span, named) = match item {
            Item::Record(r) => {
                let id = table.shape.records.len();
                table.shape.records.push(RecordDef {
                    name: r.name.name.clone(),
                    key: None,
                    fields: Vec::new(),
                    pack,
                });
                records.push((file, r, id));
                (&r.name, r.name.span, Named::Record(id))
            }
            Item::Enum(e) => {
                let id = table.shape.enums.len();
                table.shape.enums.push(EnumDef {
                    name: e.name.name.clone(),
                    members: Vec::new(),
                    pack,
                });
                enums.push((file, e, id));
                (&e.name, e.name.span, Named::Enum(id))
            }
            _ => continue,
        };
        if SCALARS.contains(&name.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is a built-in type", name.name),
                )
                .in_file(inputs.file(file))
                .label(span, "cannot be declared again")
                .help("choose another name"),
            );
            continue;
        }
        match table.names.get(&name.name) {
            Some((_, first)) => {
                let mut d = Diagnostic::error(
                    Code::Duplicate,
                    format!("type `{}` is declared twice", name.name),
                )
                .in_file(inputs.file(file))
                .label(span, "declared again here");
                d = match first {
                    Some((f, s)) if *f == file => d.label(*s, "first declared here"),
                    Some((f, _)) => d.help(format!(
                        "it is first declared in {}; use `extend {}` to add to it",
                        inputs.file(*f).name(),
                        name.name
                    )),
                    None => d.help(format!(
                        "`{}` is built in; use `extend {}` to add to it",
                        name.name, name.name
                    )),
                };
                if first.is_some_and(|(f, _)| f == file) {
                    d = d.help(format!(
                        "use `extend {}` to add fields to a type",
                        name.name
                    ));
                }
                diags.push(d);
            }
            None => {
                table
                    .names
                    .insert(name.name.clone(), (named, Some((file, span))));
            }
        }
    }

    for (file, r, id) in &records {
        let pack = pack_of_file.get(*file).cloned().unwrap_or_default();
        add_fields(&mut table, *id, &r.fields, *file, &pack, inputs, diags);
        if let Some(key) = &r.key {
            set_key(&mut table, *id, key, *file, inputs, diags);
        }
    }
    for (file, e, id) in &enums {
        let pack = pack_of_file.get(*file).cloned().unwrap_or_default();
        let _ = pack;
        add_members(&mut table, *id, &e.members, *file, inputs, diags);
    }
    for (file, item) in inputs.items() {
        if let Item::Extend(ext) = item {
            let pack = pack_of_file.get(file).cloned().unwrap_or_default();
            extend(&mut table, ext, file, &pack, inputs, diags);
        }
    }
    table
}

fn set_key(
    table: &mut ShapeTable,
    id: usize,
    key: &crate::ast::Ident,
    file: usize,
    inputs: &Input,
    diags: &mut Diagnostics,
) {
    let Some(record) = table.shape.records.get_mut(id) else {
        return;
    };
    match record.field(&key.name) {
        Some(index) => {
            let ok = record
                .fields
                .get(index)
                .is_some_and(|f| matches!(f.ty, Type::Text | Type::Int) && !f.optional);
            if ok {
                record.key = Some(index);
            } else {
                diags.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("key field `{}` must be a required text or int", key.name),
                    )
                    .in_file(inputs.file(file))
                    .label(key.span, "names each item")
                    .help("declare the key field as `text` or `int`, without `?`"),
                );
            }
        }
        None => {
            let names: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    Code::UnknownPath,
                    format!("key `{}` is not a field of `{}`", key.name, record.name),
                )
                .in_file(inputs.file(file))
                .label(key.span, "no such field")
                .help(did_you_mean(&key.name, names)),
            );
        }
    }
}

fn add_fields(
    table: &mut ShapeTable,
    id: usize,
    fields: &[Field],
    file: usize,
    pack: &str,
    inputs: &Input,
    diags: &mut Diagnostics,
) {
    for f in fields {
        let ty = table.resolve(&f.ty, file, inputs, diags);
        let Some(record) = table.shape.records.get_mut(id) else {
            return;
        };
        if let Some(existing) = record.fields.iter().find(|x| x.name == f.name.name) {
            let mut d = Diagnostic::error(
                Code::Duplicate,
                format!(
                    "field `{}` of `{}` is declared twice",
                    f.name.name, record.name
                ),
            )
            .in_file(inputs.file(file))
            .label(f.name.span, "declared again here");
            if existing.file == file {
                d = d.label(existing.span, "first declared here");
            }
            let help = if existing.pack.is_empty() {
                "the field is built in; give the new one another name".to_string()
            } else if existing.pack == pack {
                "a record has each field once; remove or rename one of them".to_string()
            } else {
                format!(
                    "pack `{}` already declares this field; give the new one another name",
                    existing.pack
                )
            };
            diags.push(d.help(help));
            continue;
        }
        record.fields.push(FieldDef {
            name: f.name.name.clone(),
            ty,
            optional: f.optional,
            description: f.description.clone(),
            pack: pack.to_string(),
            span: f.name.span,
            file,
        });
    }
}

fn add_members(
    table: &mut ShapeTable,
    id: usize,
    members: &[crate::ast::EnumMember],
    file: usize,
    inputs: &Input,
    diags: &mut Diagnostics,
) {
    let Some(e) = table.shape.enums.get_mut(id) else {
        return;
    };
    for m in members {
        if e.member(&m.name.name).is_some() {
            diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("member `{}` of `{}` is declared twice", m.name.name, e.name),
                )
                .in_file(inputs.file(file))
                .label(m.name.span, "declared again here")
                .help("remove the repeated member"),
            );
            continue;
        }
        e.members.push(MemberDef {
            name: m.name.name.clone(),
            description: m.description.clone(),
        });
    }
}

fn extend(
    table: &mut ShapeTable,
    ext: &Extend,
    file: usize,
    pack: &str,
    inputs: &Input,
    diags: &mut Diagnostics,
) {
    match table.names.get(&ext.name.name).map(|(n, _)| *n) {
        Some(Named::Record(id)) => {
            if !ext.members.is_empty() {
                diags.push(
                    Diagnostic::error(
                        Code::Invalid,
                        format!("`{}` is a record: extend it with fields", ext.name.name),
                    )
                    .in_file(inputs.file(file))
                    .label(ext.name.span, "a record")
                    .help("a field is written `name: type`"),
                );
            }
            if id == crate::program::shape::EVIDENCE {
                diags.push(
                    Diagnostic::error(
                        Code::Invalid,
                        "the built-in `Evidence` record cannot be extended",
                    )
                    .in_file(inputs.file(file))
                    .label(ext.name.span, "built in")
                    .help("declare a record of your own with an `Evidence` field"),
                );
                return;
            }
            add_fields(table, id, &ext.fields, file, pack, inputs, diags);
        }
        Some(Named::Enum(id)) => {
            if !ext.fields.is_empty() {
                diags.push(
                    Diagnostic::error(
                        Code::Invalid,
                        format!("`{}` is an enum: extend it with members", ext.name.name),
                    )
                    .in_file(inputs.file(file))
                    .label(ext.name.span, "an enum")
                    .help("a member is a dotted name such as `user.health`"),
                );
            }
            add_members(table, id, &ext.members, file, inputs, diags);
        }
        None => {
            let names: Vec<&str> = table.names.keys().map(String::as_str).collect();
            diags.push(
                Diagnostic::error(
                    Code::UnknownType,
                    format!("unknown type `{}`", ext.name.name),
                )
                .in_file(inputs.file(file))
                .label(ext.name.span, "nothing to extend")
                .help(did_you_mean(&ext.name.name, names)),
            );
        }
    }
}
