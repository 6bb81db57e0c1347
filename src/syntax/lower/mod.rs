//! Lowering: pest's pairs become the typed syntax tree.
//!
//! Lowering checks what the grammar cannot (dates that exist, duration units, language
//! codes, severities) and collects every such problem instead of stopping at the first. A
//! pair whose shape does not match the grammar is an internal error, never a panic.

use pest::iterators::{Pair, Pairs};
use pest::Parser;

use super::grammar::{Rule, RuleParser};

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
use crate::time::Date;

mod expr;
mod text;

type Lowered<T> = Result<T, ()>;

struct Lowerer<'s> {
    source: &'s SourceFile,
    diagnostics: Diagnostics,
}

/// Lowers a parsed file.
pub fn lower_file(source: &SourceFile, mut pairs: Pairs<'_, Rule>) -> Result<File, Diagnostics> {
    let mut l = Lowerer {
        source,
        diagnostics: Diagnostics::new(),
    };
    let mut items = Vec::new();
    if let Some(file) = pairs.next() {
        for pair in file.into_inner() {
            if pair.as_rule() == Rule::EOI {
                continue;
            }
            if let Ok(item) = l.item(pair) {
                items.push(item);
            }
        }
    }
    if l.diagnostics.has_errors() {
        Err(l.diagnostics)
    } else {
        Ok(File { items })
    }
}

/// Parses the path inside a message interpolation `{...}`; `offset` is where the path
/// starts in the rule file, so spans point into it.
pub fn parse_interpolation(source: &SourceFile, text: &str, offset: usize) -> Option<Expr> {
    let mut pairs = RuleParser::parse(Rule::interpolation, text).ok()?;
    let path = pairs
        .next()?
        .into_inner()
        .find(|p| p.as_rule() == Rule::path)?;
    let mut l = Lowerer {
        source,
        diagnostics: Diagnostics::new(),
    };
    let mut expr = l.path(path).ok()?;
    shift(&mut expr, offset);
    Some(expr)
}

fn shift(expr: &mut Expr, offset: usize) {
    expr.span = Span::new(expr.span.start + offset, expr.span.end + offset);
    if let ExprKind::Path(segments) = &mut expr.kind {
        for s in segments {
            s.span = Span::new(s.span.start + offset, s.span.end + offset);
        }
    }
}

fn is_keyword_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::k_pack
            | Rule::k_title
            | Rule::k_version
            | Rule::k_in_force
            | Rule::k_from
            | Rule::k_until
            | Rule::k_pending
            | Rule::k_requires
            | Rule::k_instrument
            | Rule::k_url
            | Rule::k_short
            | Rule::k_status
            | Rule::k_record
            | Rule::k_key
            | Rule::k_enum
            | Rule::k_extend
            | Rule::k_list
            | Rule::k_define
            | Rule::k_obligation
            | Rule::k_for
            | Rule::k_in
            | Rule::k_cite
            | Rule::k_severity
            | Rule::k_tags
            | Rule::k_when
            | Rule::k_unless
            | Rule::k_because
            | Rule::k_require
            | Rule::k_else
            | Rule::k_remedy
            | Rule::k_depends
            | Rule::k_on
            | Rule::k_overrides
            | Rule::k_is
            | Rule::k_present
            | Rule::k_missing
            | Rule::k_applies
            | Rule::k_count
    )
}

/// The meaningful children of a pair: keywords are dropped.
fn children(pair: Pair<'_, Rule>) -> Vec<Pair<'_, Rule>> {
    pair.into_inner()
        .filter(|p| !is_keyword_rule(p.as_rule()))
        .collect()
}

impl<'s> Lowerer<'s> {
    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d.in_file(self.source));
    }

    /// A pair whose shape the grammar should have ruled out.
    fn internal(&mut self, span: Span, what: &str) {
        self.error(
            Diagnostic::error(
                Code::Internal,
                format!("internal error while reading {what}"),
            )
            .label(span, "here")
            .help("this is a bug in comply; please report it with this rule file"),
        );
    }

    fn expect<'p>(
        &mut self,
        it: &mut impl Iterator<Item = Pair<'p, Rule>>,
        parent: Span,
        what: &str,
    ) -> Lowered<Pair<'p, Rule>> {
        match it.next() {
            Some(p) => Ok(p),
            None => {
                self.internal(parent, what);
                Err(())
            }
        }
    }

    fn item(&mut self, pair: Pair<'_, Rule>) -> Lowered<Item> {
        Ok(match pair.as_rule() {
            Rule::pack => Item::Pack(self.pack(pair)?),
            Rule::instrument => Item::Instrument(self.instrument(pair)?),
            Rule::record => Item::Record(self.record(pair)?),
            Rule::enum_decl => Item::Enum(self.enum_decl(pair)?),
            Rule::extend => Item::Extend(self.extend(pair)?),
            Rule::define => Item::Define(self.define(pair)?),
            Rule::obligation => Item::Obligation(Box::new(self.obligation(pair)?)),
            _ => {
                self.internal(pair.as_span().into(), "a declaration");
                return Err(());
            }
        })
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: pair.as_span().into(),
        }
    }

    fn string(&mut self, pair: &Pair<'_, Rule>) -> String {
        let raw = pair.as_str();
        let inner = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        unescape(inner)
    }

    fn date(&mut self, pair: &Pair<'_, Rule>) -> Lowered<Date> {
        match Date::parse(pair.as_str()) {
            Some(d) => Ok(d),
            None => {
                self.error(
                    Diagnostic::error(
                        Code::InvalidDate,
                        format!("invalid date `{}`", pair.as_str()),
                    )
                    .label(pair.as_span().into(), "no such day")
                    .help("dates are written YYYY-MM-DD and must exist in the calendar"),
                );
                Err(())
            }
        }
    }

    fn in_force(&mut self, pair: Pair<'_, Rule>) -> Lowered<InForce> {
        let span: Span = pair.as_span().into();
        let dates = children(pair);
        let from = match dates.first() {
            Some(p) => self.date(p)?,
            None => {
                self.internal(span, "an `in_force` clause");
                return Err(());
            }
        };
        let until = match dates.get(1) {
            Some(p) => Some(self.date(p)?),
            None => None,
        };
        if let (Some(u), Some(p)) = (until, dates.get(1)) {
            if u <= from {
                self.error(
                    Diagnostic::error(
                        Code::InvalidDate,
                        format!("`until {u}` is not after `from {from}`"),
                    )
                    .label(p.as_span().into(), "ends before it starts")
                    .help("`until` is the first day no longer in force; it must come after `from`"),
                );
            }
        }
        Ok(InForce { from, until, span })
    }

    fn pack(&mut self, pair: Pair<'_, Rule>) -> Lowered<Pack> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let id = self.expect(&mut it, span, "a pack")?;
        let mut pack = Pack {
            id: self.ident(&id),
            title: None,
            version: None,
            in_force: None,
            pending: None,
            requires: Vec::new(),
            span,
        };
        for clause in it {
            let clause_span: Span = clause.as_span().into();
            match clause.as_rule() {
                Rule::title_clause => {
                    let t = self.single_child(clause, "a title")?;
                    let texts = self.texts(t)?;
                    self.once(&mut pack.title, texts, clause_span, "title");
                }
                Rule::version_clause => {
                    let s = self.single_child(clause, "a version")?;
                    let v = (self.string(&s), clause_span);
                    self.once(&mut pack.version, v, clause_span, "version");
                }
                Rule::in_force_clause => {
                    let f = self.in_force(clause)?;
                    self.once(&mut pack.in_force, f, clause_span, "in_force");
                }
                Rule::pending_clause => {
                    let s = self.single_child(clause, "a pending clause")?;
                    let v = (self.string(&s), clause_span);
                    self.once(&mut pack.pending, v, clause_span, "pending");
                }
                Rule::requires_clause => {
                    for p in children(clause) {
                        pack.requires.push(self.ident(&p));
                    }
                }
                _ => self.internal(clause_span, "a pack clause"),
            }
        }
        Ok(pack)
    }

    /// Stores a clause that may appear once, reporting a repeat.
    fn once<T>(&mut self, slot: &mut Option<T>, value: T, span: Span, clause: &str) {
        if slot.is_some() {
            self.error(
                Diagnostic::error(Code::Duplicate, format!("`{clause}` given twice"))
                    .label(span, "repeated here")
                    .help(format!("keep a single `{clause}` clause")),
            );
        } else {
            *slot = Some(value);
        }
    }

    fn single_child<'p>(&mut self, pair: Pair<'p, Rule>, what: &str) -> Lowered<Pair<'p, Rule>> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        self.expect(&mut it, span, what)
    }

    fn instrument(&mut self, pair: Pair<'_, Rule>) -> Lowered<Instrument> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let id = self.expect(&mut it, span, "an instrument")?;
        let title = self.expect(&mut it, span, "an instrument")?;
        let mut inst = Instrument {
            id: self.ident(&id),
            title: self.string(&title),
            short: None,
            url: None,
            version: None,
            status: None,
            span,
        };
        for attr in it {
            let attr_span: Span = attr.as_span().into();
            let rule = attr.as_rule();
            let value = self.single_child(attr, "an instrument attribute")?;
            match rule {
                Rule::short_attr => {
                    let v = self.string(&value);
                    self.once(&mut inst.short, v, attr_span, "short");
                }
                Rule::url_attr => {
                    let v = self.string(&value);
                    self.once(&mut inst.url, v, attr_span, "url");
                }
                Rule::version_attr => {
                    let v = if value.as_rule() == Rule::date {
                        self.date(&value)?.to_string()
                    } else {
                        self.string(&value)
                    };
                    self.once(&mut inst.version, v, attr_span, "version");
                }
                Rule::status_attr => {
                    let v = self.ident(&value);
                    self.once(&mut inst.status, v, attr_span, "status");
                }
                _ => self.internal(attr_span, "an instrument attribute"),
            }
        }
        Ok(inst)
    }

    fn type_ref(&mut self, pair: Pair<'_, Rule>) -> Lowered<TypeRef> {
        let span: Span = pair.as_span().into();
        let inner = self.single_child(pair, "a type")?;
        match inner.as_rule() {
            Rule::ident => Ok(TypeRef::Named(self.ident(&inner))),
            Rule::list_type => {
                let element = self.single_child(inner, "a list type")?;
                Ok(TypeRef::List(Box::new(self.type_ref(element)?), span))
            }
            _ => {
                self.internal(span, "a type");
                Err(())
            }
        }
    }

    fn field(&mut self, pair: Pair<'_, Rule>) -> Lowered<Field> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "a field")?;
        let ty = self.expect(&mut it, span, "a field")?;
        let mut field = Field {
            name: self.ident(&name),
            ty: self.type_ref(ty)?,
            optional: false,
            description: None,
            span,
        };
        for rest in it {
            match rest.as_rule() {
                Rule::optional => field.optional = true,
                Rule::string => field.description = Some(self.string(&rest)),
                _ => self.internal(rest.as_span().into(), "a field"),
            }
        }
        Ok(field)
    }

    fn record(&mut self, pair: Pair<'_, Rule>) -> Lowered<Record> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "a record")?;
        let mut record = Record {
            name: self.ident(&name),
            key: None,
            fields: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::key_clause => {
                    let k = self.single_child(p, "a key")?;
                    record.key = Some(self.ident(&k));
                }
                Rule::field => {
                    if let Ok(f) = self.field(p) {
                        record.fields.push(f);
                    }
                }
                _ => self.internal(p.as_span().into(), "a record"),
            }
        }
        Ok(record)
    }

    fn enum_member(&mut self, pair: Pair<'_, Rule>) -> Lowered<EnumMember> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "an enum member")?;
        let description = it.next().map(|d| self.string(&d));
        Ok(EnumMember {
            name: self.ident(&name),
            description,
        })
    }

    fn enum_decl(&mut self, pair: Pair<'_, Rule>) -> Lowered<Enum> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "an enum")?;
        let mut members = Vec::new();
        for p in it {
            if let Ok(m) = self.enum_member(p) {
                members.push(m);
            }
        }
        Ok(Enum {
            name: self.ident(&name),
            members,
            span,
        })
    }

    fn extend(&mut self, pair: Pair<'_, Rule>) -> Lowered<Extend> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "an extension")?;
        let mut ext = Extend {
            name: self.ident(&name),
            fields: Vec::new(),
            members: Vec::new(),
            span,
        };
        for p in it {
            match p.as_rule() {
                Rule::field => {
                    if let Ok(f) = self.field(p) {
                        ext.fields.push(f);
                    }
                }
                Rule::enum_member => {
                    if let Ok(m) = self.enum_member(p) {
                        ext.members.push(m);
                    }
                }
                _ => self.internal(p.as_span().into(), "an extension"),
            }
        }
        Ok(ext)
    }

    fn define(&mut self, pair: Pair<'_, Rule>) -> Lowered<Define> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let name = self.expect(&mut it, span, "a definition")?;
        let mut params = None;
        let mut result = None;
        let mut body = None;
        for p in it {
            match p.as_rule() {
                Rule::params => {
                    let mut list = Vec::new();
                    for param in children(p) {
                        let pspan: Span = param.as_span().into();
                        let mut pit = children(param).into_iter();
                        let pname = self.expect(&mut pit, pspan, "a parameter")?;
                        let pty = self.expect(&mut pit, pspan, "a parameter")?;
                        list.push(Param {
                            name: self.ident(&pname),
                            ty: self.type_ref(pty)?,
                        });
                    }
                    params = Some(list);
                }
                Rule::result_type => {
                    let t = self.single_child(p, "a result type")?;
                    result = Some(self.type_ref(t)?);
                }
                Rule::expr => body = Some(self.expr(p)?),
                _ => self.internal(p.as_span().into(), "a definition"),
            }
        }
        let Some(body) = body else {
            self.internal(span, "a definition");
            return Err(());
        };
        Ok(Define {
            name: self.ident(&name),
            params,
            result,
            body,
            span,
        })
    }

    fn obligation(&mut self, pair: Pair<'_, Rule>) -> Lowered<Obligation> {
        let span: Span = pair.as_span().into();
        let mut it = children(pair).into_iter();
        let id = self.expect(&mut it, span, "an obligation")?;
        let mut ob = Obligation {
            id: self.ident(&id),
            for_each: None,
            title: None,
            cites: Vec::new(),
            severity: None,
            tags: Vec::new(),
            in_force: None,
            pending: None,
            depends_on: Vec::new(),
            overrides: None,
            applies_when: Vec::new(),
            unless: Vec::new(),
            requires: Vec::new(),
            remedy: None,
            span,
        };
        let mut failed = false;
        for clause in it {
            if self.obligation_clause(&mut ob, clause).is_err() {
                failed = true;
            }
        }
        if failed {
            Err(())
        } else {
            Ok(ob)
        }
    }

    fn obligation_clause(&mut self, ob: &mut Obligation, clause: Pair<'_, Rule>) -> Lowered<()> {
        let span: Span = clause.as_span().into();
        match clause.as_rule() {
            Rule::for_clause => {
                let mut it = children(clause).into_iter();
                let var = self.expect(&mut it, span, "`for`")?;
                let list = self.expect(&mut it, span, "`for`")?;
                ob.for_each = Some(ForEach {
                    var: self.ident(&var),
                    list: self.path(list)?,
                });
            }
            Rule::title_clause => {
                let t = self.single_child(clause, "a title")?;
                let texts = self.texts(t)?;
                self.once(&mut ob.title, texts, span, "title");
            }
            Rule::cite_clause => {
                let mut it = children(clause).into_iter();
                let inst = self.expect(&mut it, span, "`cite`")?;
                let place = self.expect(&mut it, span, "`cite`")?;
                ob.cites.push(Citation {
                    instrument: self.ident(&inst),
                    place: self.string(&place),
                    span,
                });
            }
            Rule::severity_clause => {
                let s = self.single_child(clause, "`severity`")?;
                match Severity::parse(s.as_str()) {
                    Some(sev) => self.once(&mut ob.severity, (sev, span), span, "severity"),
                    None => {
                        let names: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
                        self.error(
                            Diagnostic::error(
                                Code::UnknownSeverity,
                                format!("unknown severity `{}`", s.as_str()),
                            )
                            .label(s.as_span().into(), "not a severity")
                            .help(crate::diagnostic::did_you_mean(s.as_str(), names)),
                        );
                    }
                }
            }
            Rule::tags_clause => {
                for t in children(clause) {
                    ob.tags.push(self.ident(&t));
                }
            }
            Rule::in_force_clause => {
                let f = self.in_force(clause)?;
                self.once(&mut ob.in_force, f, span, "in_force");
            }
            Rule::pending_clause => {
                let s = self.single_child(clause, "`pending`")?;
                let v = (self.string(&s), span);
                self.once(&mut ob.pending, v, span, "pending");
            }
            Rule::depends_clause => {
                for d in children(clause) {
                    ob.depends_on.push(self.ident(&d));
                }
            }
            Rule::overrides_clause => {
                let d = self.single_child(clause, "`overrides`")?;
                let id = self.ident(&d);
                self.once(&mut ob.overrides, id, span, "overrides");
            }
            Rule::applies_clause => {
                let e = self.single_child(clause, "`applies when`")?;
                ob.applies_when.push(self.expr(e)?);
            }
            Rule::unless_clause => {
                let mut it = children(clause).into_iter();
                let e = self.expect(&mut it, span, "`unless`")?;
                let condition = self.expr(e)?;
                let because = match it.next() {
                    Some(t) => Some(self.texts(t)?),
                    None => None,
                };
                ob.unless.push(Unless { condition, because });
            }
            Rule::require_clause => {
                let mut it = children(clause).into_iter();
                let e = self.expect(&mut it, span, "`require`")?;
                let condition = self.expr(e)?;
                let message = match it.next() {
                    Some(t) => Some(self.texts(t)?),
                    None => None,
                };
                ob.requires.push(Require { condition, message });
            }
            Rule::remedy_clause => {
                let t = self.single_child(clause, "`remedy`")?;
                let texts = self.texts(t)?;
                self.once(&mut ob.remedy, texts, span, "remedy");
            }
            _ => self.internal(span, "an obligation clause"),
        }
        Ok(())
    }
}

/// Resolves `\"`, `\\`, `\n` and `\t`; other escapes keep the escaped character.
fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}
