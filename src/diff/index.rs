//! Every declaration of one version's packs by name, with the file it was written in.

use std::collections::BTreeMap;

use crate::ast::{
    Define, Enum, EnumMember, Field, Instrument, Item, Obligation, Pack, Record, Texts,
};
use crate::program::Program;
use crate::source::{one_line, SourceFile, Span};

use super::version::Version;

/// A declaration and the file it is written in.
pub struct At<'a, T> {
    /// The file.
    pub file: &'a SourceFile,
    /// The declaration.
    pub item: &'a T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

impl<'a, T> At<'a, T> {
    /// The text under a span, on one line, comments dropped.
    pub fn shown(&self, span: Span) -> String {
        one_line(self.file.slice(span))
    }
}

/// One version's declarations by name.
pub struct Index<'a> {
    /// The program the version loads into, to resolve citations.
    pub program: &'a Program,
    /// Pack manifests by id.
    pub packs: BTreeMap<&'a str, At<'a, Pack>>,
    /// Instruments by id.
    pub instruments: BTreeMap<&'a str, At<'a, Instrument>>,
    /// Records by name.
    pub records: BTreeMap<&'a str, At<'a, Record>>,
    /// Enums by name.
    pub enums: BTreeMap<&'a str, At<'a, Enum>>,
    /// Fields by type and name, whether declared with the record or by `extend`.
    pub fields: BTreeMap<(&'a str, &'a str), At<'a, Field>>,
    /// Enum members by enum and name, whether declared with the enum or by `extend`.
    pub members: BTreeMap<(&'a str, &'a str), &'a EnumMember>,
    /// Predicates and constants by name.
    pub defines: BTreeMap<&'a str, At<'a, Define>>,
    /// Obligations by id.
    pub obligations: BTreeMap<&'a str, At<'a, Obligation>>,
}

impl<'a> Index<'a> {
    /// Indexes the compared packs of a version.
    pub fn new(version: &'a Version) -> Index<'a> {
        let mut ix = Index {
            program: &version.program,
            packs: BTreeMap::new(),
            instruments: BTreeMap::new(),
            records: BTreeMap::new(),
            enums: BTreeMap::new(),
            fields: BTreeMap::new(),
            members: BTreeMap::new(),
            defines: BTreeMap::new(),
            obligations: BTreeMap::new(),
        };
        for pack in &version.packs {
            for (file, tree) in &pack.files {
                for item in &tree.items {
                    ix.add(file, item);
                }
            }
        }
        ix
    }

    fn add(&mut self, file: &'a SourceFile, item: &'a Item) {
        match item {
            Item::Pack(p) => {
                self.packs.insert(&p.id.name, At { file, item: p });
            }
            Item::Instrument(i) => {
                self.instruments.insert(&i.id.name, At { file, item: i });
            }
            Item::Record(r) => {
                self.records.insert(&r.name.name, At { file, item: r });
                for f in &r.fields {
                    self.fields
                        .insert((&r.name.name, &f.name.name), At { file, item: f });
                }
            }
            Item::Enum(e) => {
                self.enums.insert(&e.name.name, At { file, item: e });
                for m in &e.members {
                    self.members.insert((&e.name.name, &m.name.name), m);
                }
            }
            Item::Extend(x) => {
                for f in &x.fields {
                    self.fields
                        .insert((&x.name.name, &f.name.name), At { file, item: f });
                }
                for m in &x.members {
                    self.members.insert((&x.name.name, &m.name.name), m);
                }
            }
            Item::Define(d) => {
                self.defines.insert(&d.name.name, At { file, item: d });
            }
            Item::Obligation(o) => {
                self.obligations.insert(
                    &o.id.name,
                    At {
                        file,
                        item: o.as_ref(),
                    },
                );
            }
        }
    }

    /// How citations name an instrument: its `short`, else its id in upper case.
    pub fn short_name(&self, instrument: &str) -> String {
        self.program
            .instruments
            .iter()
            .find(|i| i.id == instrument)
            .map_or_else(|| instrument.to_uppercase(), |i| i.short.clone())
    }
}

/// A text per language, as written (interpolations as `{path}`).
pub fn texts(t: Option<&Texts>) -> BTreeMap<String, String> {
    t.map(|t| {
        t.entries
            .iter()
            .map(|e| (e.lang.clone(), e.plain()))
            .collect()
    })
    .unwrap_or_default()
}

/// The text to show in a language: that language, else English, else the first given.
pub fn pick(t: &BTreeMap<String, String>, lang: &str) -> Option<String> {
    t.get(lang)
        .or_else(|| t.get("en"))
        .or_else(|| t.values().next())
        .cloned()
}
