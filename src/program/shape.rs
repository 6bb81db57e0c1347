//! The declaration shape: records, enums and field types, merged from every loaded pack.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// Index of a record in [`Shape::records`].
pub type RecordId = usize;
/// Index of an enum in [`Shape::enums`].
pub type EnumId = usize;

/// The root record every declaration is an instance of.
pub const DECLARATION: RecordId = 0;
/// The built-in evidence record.
pub const EVIDENCE: RecordId = 1;

/// A type in the rule language.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `number`: a decimal.
    Number,
    /// `text`.
    Text,
    /// `date`.
    Date,
    /// `datetime`.
    DateTime,
    /// `duration`.
    Duration,
    /// A declared enum.
    Enum(EnumId),
    /// A declared record.
    Record(RecordId),
    /// `list<T>`.
    List(Box<Type>),
    /// The type of an empty list literal, which fits any list.
    EmptyList,
    /// An expression that already failed to check; accepted anywhere so that one mistake
    /// is reported once.
    Error,
}

impl Type {
    /// True for `int` and `number`.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Number)
    }

    /// True for `date` and `datetime`.
    pub fn is_temporal(&self) -> bool {
        matches!(self, Type::Date | Type::DateTime)
    }

    /// The element type of a list.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(t) => Some(t),
            _ => None,
        }
    }
}

/// A type with the shape at hand, for messages.
pub struct TypeName<'a>(pub &'a Shape, pub &'a Type);

impl fmt::Display for TypeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Number => f.write_str("number"),
            Type::Text => f.write_str("text"),
            Type::Date => f.write_str("date"),
            Type::DateTime => f.write_str("datetime"),
            Type::Duration => f.write_str("duration"),
            Type::Enum(e) => f.write_str(self.0.enums.get(*e).map_or("?", |d| d.name.as_str())),
            Type::Record(r) => f.write_str(self.0.records.get(*r).map_or("?", |d| d.name.as_str())),
            Type::List(t) => write!(f, "list<{}>", TypeName(self.0, t)),
            Type::EmptyList => f.write_str("list"),
            Type::Error => f.write_str("?"),
        }
    }
}

/// A field of a record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FieldDef {
    /// Name in paths and declarations.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Left out means "there is none" rather than "not stated".
    pub optional: bool,
    /// What it means.
    pub description: Option<String>,
    /// The pack that declared it (empty for built-ins).
    pub pack: String,
    /// Where it was declared.
    pub span: Span,
    /// Index of the rule file it was declared in.
    pub file: usize,
}

/// A record type.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordDef {
    /// Type name.
    pub name: String,
    /// Index of the key field, which names an item in a list.
    pub key: Option<usize>,
    /// Fields, declared ones first, then extensions in load order.
    pub fields: Vec<FieldDef>,
    /// The pack that declared it (empty for built-ins).
    pub pack: String,
}

impl RecordDef {
    /// The index of a field by name.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// A member of an enum.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MemberDef {
    /// Dotted key.
    pub name: String,
    /// What it means.
    pub description: Option<String>,
}

/// An enum type.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EnumDef {
    /// Type name.
    pub name: String,
    /// Members in load order.
    pub members: Vec<MemberDef>,
    /// The pack that declared it.
    pub pack: String,
}

impl EnumDef {
    /// The index of a member by its dotted key.
    pub fn member(&self, name: &str) -> Option<u32> {
        self.members
            .iter()
            .position(|m| m.name == name)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// The key of a member.
    pub fn member_name(&self, index: u32) -> &str {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.members.get(i))
            .map_or("?", |m| m.name.as_str())
    }

    /// True when `member` is `ancestor` or lies below it in the dotted hierarchy.
    pub fn within(&self, member: u32, ancestor: u32) -> bool {
        if member == ancestor {
            return true;
        }
        let m = self.member_name(member);
        let a = self.member_name(ancestor);
        m.len() > a.len() && m.starts_with(a) && m.as_bytes().get(a.len()) == Some(&b'.')
    }
}

/// Every record and enum the loaded packs declare.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Shape {
    /// Records; index 0 is the declaration root, 1 the evidence record.
    pub records: Vec<RecordDef>,
    /// Enums.
    pub enums: Vec<EnumDef>,
}

impl Shape {
    /// For a list whose items are records named by a key field, the record type and the
    /// name of that field: such items are named `list[key]` in paths and reports.
    pub fn keyed_items(&self, element: &Type) -> Option<(RecordId, &str)> {
        let Type::Record(r) = element else {
            return None;
        };
        let def = self.record(*r);
        def.key
            .and_then(|k| def.fields.get(k))
            .map(|f| (*r, f.name.as_str()))
    }

    /// The root record.
    pub fn root(&self) -> &RecordDef {
        self.record(DECLARATION)
    }

    /// A record by id.
    pub fn record(&self, id: RecordId) -> &RecordDef {
        static EMPTY: RecordDef = RecordDef {
            name: String::new(),
            key: None,
            fields: Vec::new(),
            pack: String::new(),
        };
        self.records.get(id).unwrap_or(&EMPTY)
    }

    /// An enum by id.
    pub fn enumeration(&self, id: EnumId) -> &EnumDef {
        static EMPTY: EnumDef = EnumDef {
            name: String::new(),
            members: Vec::new(),
            pack: String::new(),
        };
        self.enums.get(id).unwrap_or(&EMPTY)
    }

    /// A field of a record.
    pub fn field(&self, record: RecordId, index: usize) -> Option<&FieldDef> {
        self.records.get(record)?.fields.get(index)
    }

    /// A type's name, for messages.
    pub fn type_name<'a>(&'a self, ty: &'a Type) -> TypeName<'a> {
        TypeName(self, ty)
    }
}
