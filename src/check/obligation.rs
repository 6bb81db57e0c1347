//! Checks obligations: ids, citations, domains, dependencies, conditions and texts.

use std::collections::{BTreeMap, HashMap};

use super::expr::{ExprChecker, Globals};
use super::Input;
use crate::ast::{self, Item, Severity, TextPart, Texts};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::program::expr::CExpr;
use crate::program::shape::Type;
use crate::program::{
    CitationDef, Domain, InstrumentDef, LocalText, ObligationDef, PackDef, RequireDef, Text,
    TextPiece, UnlessDef,
};
use crate::source::one_line;

/// Checks every obligation; the result is sorted by id, first declaration of each id only.
pub fn check_all(
    inputs: &Input,
    globals: &Globals<'_>,
    packs: &[PackDef],
    pack_of_file: &[String],
    instruments: &[InstrumentDef],
    diags: &mut Diagnostics,
) -> Vec<ObligationDef> {
    let mut firsts: BTreeMap<&str, (usize, &ast::Obligation)> = BTreeMap::new();
    for (file, item) in inputs.items() {
        if let Item::Obligation(o) = item {
            firsts.entry(o.id.name.as_str()).or_insert((file, o));
        }
    }
    let pack_index: HashMap<&str, usize> = packs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut out: Vec<ObligationDef> = firsts
        .values()
        .map(|(file, o)| {
            let pack_id = pack_of_file.get(*file).map_or("", String::as_str);
            let pack = pack_index.get(pack_id).copied().unwrap_or(usize::MAX);
            check_one(inputs, globals, *file, o, pack_id, pack, instruments, diags)
        })
        .collect();
    // Domains of overrides can only be compared once all domains are known.
    for i in 0..out.len() {
        let Some(ob) = out.get(i) else { continue };
        let Some(target) = ob.overrides else { continue };
        let (Some(a), Some(b)) = (out.get(i), out.get(target)) else {
            continue;
        };
        if a.domain != b.domain {
            let describe = |d: &Domain| match d {
                Domain::Organisation => "the organisation".to_string(),
                Domain::Each(p) => format!("each item of `{p}`"),
            };
            let (file, span) = (a.file, a.span);
            diags.push(
                Diagnostic::error(
                    Code::Invalid,
                    format!(
                        "`{}` overrides `{}` but they apply to different things",
                        a.id, b.id
                    ),
                )
                .in_file(inputs.file(file))
                .label(span, format!("applies to {}", describe(&a.domain)))
                .help(format!(
                    "`{}` applies to {}; an override replaces it for the same items",
                    b.id,
                    describe(&b.domain)
                )),
            );
        }
        if a.overrides == Some(i) {
            if let Some(slot) = out.get_mut(i) {
                slot.overrides = None;
            }
        }
    }
    out
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site, each argument a separate table"
)]
fn check_one(
    inputs: &Input,
    globals: &Globals<'_>,
    file: usize,
    o: &ast::Obligation,
    pack_id: &str,
    pack: usize,
    instruments: &[InstrumentDef],
    diags: &mut Diagnostics,
) -> ObligationDef {
    let source = inputs.file(file);
    if !pack_id.is_empty() && !o.id.name.starts_with(&format!("{pack_id}.")) {
        diags.push(
            Diagnostic::error(
                Code::Misplaced,
                format!("obligation `{}` is outside pack `{pack_id}`", o.id.name),
            )
            .in_file(source)
            .label(o.id.span, format!("should start with `{pack_id}.`"))
            .help(format!(
                "obligation ids start with their pack's id, e.g. `{pack_id}.{}`",
                o.id.name.rsplit('.').next().unwrap_or("name")
            )),
        );
    }
    let resolve_ob = |id: &ast::Ident, diags: &mut Diagnostics| -> Option<usize> {
        match globals.obligations.get(&id.name) {
            Some(&i) => Some(i),
            None => {
                let ids: Vec<&str> = globals.obligations.keys().map(String::as_str).collect();
                diags.push(
                    Diagnostic::error(
                        Code::UnknownObligation,
                        format!("unknown obligation `{}`", id.name),
                    )
                    .in_file(source)
                    .label(id.span, "not loaded")
                    .help(did_you_mean(&id.name, ids)),
                );
                None
            }
        }
    };
    let depends_on: Vec<usize> = o
        .depends_on
        .iter()
        .filter_map(|d| resolve_ob(d, diags))
        .collect();
    let overrides = o.overrides.as_ref().and_then(|d| resolve_ob(d, diags));
    let cites = o
        .cites
        .iter()
        .filter_map(
            |c| match instruments.iter().position(|i| i.id == c.instrument.name) {
                Some(instrument) => Some(CitationDef {
                    instrument,
                    place: c.place.clone(),
                }),
                None => {
                    let ids: Vec<&str> = instruments.iter().map(|i| i.id.as_str()).collect();
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownInstrument,
                            format!("unknown instrument `{}`", c.instrument.name),
                        )
                        .in_file(source)
                        .label(c.instrument.span, "not declared")
                        .help(format!(
                            "declare it with `instrument {} \"title\"`, or {}",
                            c.instrument.name,
                            did_you_mean(&c.instrument.name, ids)
                        )),
                    );
                    None
                }
            },
        )
        .collect();

    let mut checker = ExprChecker::new(globals, source, diags);
    let (domain, list) = match &o.for_each {
        None => (Domain::Organisation, None),
        Some(f) => {
            let list = checker.check(&f.list, None);
            let element = match &list.ty {
                Type::List(t) => (**t).clone(),
                Type::Error => Type::Error,
                other => {
                    let found = globals.shape.type_name(other).to_string();
                    checker.diags.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("`for` ranges over a list, found `{found}`"),
                        )
                        .in_file(source)
                        .label(list.span, format!("this is `{found}`"))
                        .help("write `for x in LIST` with a path to a list of records"),
                    );
                    Type::Error
                }
            };
            match &element {
                Type::Record(r) if globals.shape.record(*r).key.is_none() => {
                    let name = &globals.shape.record(*r).name;
                    checker.diags.push(
                        Diagnostic::error(
                            Code::Invalid,
                            format!("items of `{name}` have no key to name their results"),
                        )
                        .in_file(source)
                        .label(list.span, "iterated here")
                        .help(format!(
                            "declare the record with a key: `record {name} key id {{ ... }}`"
                        )),
                    );
                }
                Type::Record(_) | Type::Error => {}
                other => {
                    let found = globals.shape.type_name(other).to_string();
                    checker.diags.push(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            format!("`for` ranges over records, found items of type `{found}`"),
                        )
                        .in_file(source)
                        .label(list.span, "not a list of records")
                        .help("per-item obligations iterate over a list of keyed records"),
                    );
                }
            }
            checker.bind(&f.var.name, element);
            let path = one_line(source.slice(f.list.span));
            (Domain::Each(path), Some(list))
        }
    };
    let applies_when: Vec<(CExpr, String)> = o
        .applies_when
        .iter()
        .map(|e| (checker.condition(e), one_line(source.slice(e.span))))
        .collect();
    let unless: Vec<UnlessDef> = o
        .unless
        .iter()
        .map(|u| {
            let condition = checker.condition(&u.condition);
            let because = match &u.because {
                Some(t) => texts(&mut checker, t),
                None => Text {
                    entries: vec![LocalText {
                        lang: "en".into(),
                        parts: vec![TextPiece::Literal(
                            source.slice(u.condition.span).to_string(),
                        )],
                    }],
                },
            };
            UnlessDef {
                condition,
                because,
                source: one_line(source.slice(u.condition.span)),
            }
        })
        .collect();
    let requires: Vec<RequireDef> = o
        .requires
        .iter()
        .map(|r| {
            let condition = checker.condition(&r.condition);
            let written = one_line(source.slice(r.condition.span));
            let message = match &r.message {
                Some(t) => texts(&mut checker, t),
                None => Text {
                    entries: vec![LocalText {
                        lang: "en".into(),
                        parts: vec![TextPiece::Literal(format!(
                            "requirement not met: {written}"
                        ))],
                    }],
                },
            };
            RequireDef {
                condition,
                message,
                source: written,
            }
        })
        .collect();
    let title = o
        .title
        .as_ref()
        .map(|t| fixed_text(checker.diags, source, t, "a title"))
        .unwrap_or_default();
    let remedy = o
        .remedy
        .as_ref()
        .map(|t| fixed_text(checker.diags, source, t, "a remedy"))
        .unwrap_or_default();
    let locals = checker.slots;
    let references = std::mem::take(&mut checker.references);
    if o.requires.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::Invalid,
                format!("obligation `{}` requires nothing", o.id.name),
            )
            .in_file(source)
            .label(o.id.span, "no `require` clause")
            .help("add at least one `require CONDITION else \"message\"`"),
        );
    }
    ObligationDef {
        id: o.id.name.clone(),
        pack,
        file,
        span: o.id.span,
        domain,
        list,
        title,
        cites,
        severity: o.severity.map_or(Severity::Medium, |(s, _)| s),
        tags: o.tags.iter().map(|t| t.name.clone()).collect(),
        in_force: o.in_force,
        pending: o.pending.as_ref().map(|p| p.0.clone()),
        depends_on,
        overrides,
        applies_when,
        unless,
        requires,
        remedy,
        locals,
        references,
    }
}

/// A text that is the same for every item (a title, a remedy): facts are refused.
pub fn fixed_text(
    diags: &mut Diagnostics,
    source: &crate::source::SourceFile,
    t: &Texts,
    what: &str,
) -> Text {
    for e in &t.entries {
        for p in &e.parts {
            if let TextPart::Fact(expr) = p {
                diags.push(
                    Diagnostic::error(Code::Invalid, format!("{what} cannot show facts"))
                        .in_file(source)
                        .label(expr.span, "a fact here")
                        .help(format!(
                            "{what} is the same for every organisation and item; show facts in `require ... else` messages, or write `\\{{` for a literal brace"
                        )),
                );
            }
        }
    }
    crate::program::plain_text(&t.entries)
}

/// Checks the facts interpolated in a text.
fn texts(checker: &mut ExprChecker<'_>, t: &Texts) -> Text {
    Text {
        entries: t
            .entries
            .iter()
            .map(|e| LocalText {
                lang: e.lang.clone(),
                parts: e
                    .parts
                    .iter()
                    .map(|p| match p {
                        TextPart::Literal(s) => TextPiece::Literal(s.clone()),
                        TextPart::Fact(expr) => {
                            let c = checker.check(expr, None);
                            let path = checker.file.slice(expr.span).to_string();
                            TextPiece::Fact(c, path)
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}
