//! Lowering: pest's pairs become the typed syntax tree.
//!
//! Lowering checks what the grammar cannot (dates that exist, duration units, language
//! codes, severities) and collects every such problem instead of stopping at the first. A
//! pair whose shape does not match the grammar is an internal error, never a panic.

use std::sync::OnceLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;

use super::grammar::{Rule, RuleParser};
use super::language::is_language_code;
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span};
use crate::time::{Date, DateTime, Duration, DurationError, DURATION_UNITS};

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

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::infix(Rule::op_in, Assoc::Left)
                | Op::infix(Rule::op_not_in, Assoc::Left)
                | Op::infix(Rule::op_within, Assoc::Left))
            .op(Op::postfix(Rule::is_present) | Op::postfix(Rule::is_missing))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg))
    })
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

    fn texts(&mut self, pair: Pair<'_, Rule>) -> Lowered<Texts> {
        let span: Span = pair.as_span().into();
        let mut entries = Vec::new();
        for entry in pair.into_inner() {
            let entry_span: Span = entry.as_span().into();
            let mut lang = "en".to_string();
            let mut text = None;
            for part in entry.into_inner() {
                match part.as_rule() {
                    Rule::lang => {
                        let code = part.as_str();
                        if !is_language_code(code) {
                            self.error(
                                Diagnostic::error(
                                    Code::UnknownLanguage,
                                    format!("unknown language code `{code}`"),
                                )
                                .label(part.as_span().into(), "not an ISO 639-1 code")
                                .help("use a two-letter ISO 639-1 code such as `en`, `fr` or `km`"),
                            );
                        }
                        lang = code.to_string();
                    }
                    Rule::string => {
                        let span: Span = part.as_span().into();
                        text = Some((self.text_parts(&part)?, span));
                    }
                    _ => {}
                }
            }
            let Some((parts, text_span)) = text else {
                self.internal(entry_span, "a text");
                return Err(());
            };
            if let Some(previous) = entries.iter().find(|e: &&TextEntry| e.lang == lang) {
                let first = previous.span;
                self.error(
                    Diagnostic::error(Code::Duplicate, format!("text given twice in `{lang}`"))
                        .label(entry_span, "second text")
                        .label(first, "first text")
                        .help("give each language once"),
                );
            }
            entries.push(TextEntry {
                lang,
                parts,
                span: text_span,
            });
        }
        Ok(Texts { entries, span })
    }

    /// Splits a quoted text into literal runs and `{path}` interpolations.
    fn text_parts(&mut self, pair: &Pair<'_, Rule>) -> Lowered<Vec<TextPart>> {
        let raw = pair.as_str();
        let base = pair.as_span().start() + 1;
        let inner = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = inner;
        let mut offset = 0;
        while let Some(c) = rest.chars().next() {
            let width = c.len_utf8();
            if c == '\\' {
                let next = rest.get(width..).and_then(|r| r.chars().next());
                match next {
                    Some('n') => literal.push('\n'),
                    Some('t') => literal.push('\t'),
                    Some(other) => literal.push(other),
                    None => {}
                }
                let step = width + next.map_or(0, char::len_utf8);
                rest = rest.get(step..).unwrap_or("");
                offset += step;
                continue;
            }
            if c == '{' {
                let Some(close) = rest.find('}') else {
                    let at = base + offset;
                    self.error(
                        Diagnostic::error(Code::Syntax, "unclosed `{` in a text")
                            .label(Span::new(at, at + 1), "opened here")
                            .help("write `{path}` to show a fact, or `\\{` for a literal brace"),
                    );
                    return Err(());
                };
                let inside = rest.get(1..close).unwrap_or("");
                let at = base + offset + 1;
                match parse_interpolation(self.source, inside.trim_end(), at) {
                    Some(expr) if inside.trim() == inside => {
                        if !literal.is_empty() {
                            parts.push(TextPart::Literal(std::mem::take(&mut literal)));
                        }
                        parts.push(TextPart::Fact(expr));
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(
                                Code::Syntax,
                                format!("`{{{inside}}}` is not a path to a fact"),
                            )
                            .label(Span::new(at - 1, at + inside.len() + 1), "expected a path")
                            .help(
                                "write `{path}` such as `{p.name}`, or `\\{` for a literal brace",
                            ),
                        );
                        return Err(());
                    }
                }
                rest = rest.get(close + 1..).unwrap_or("");
                offset += close + 1;
                continue;
            }
            literal.push(c);
            rest = rest.get(width..).unwrap_or("");
            offset += width;
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(TextPart::Literal(literal));
        }
        Ok(parts)
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

    fn path(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span: Span = pair.as_span().into();
        let segments: Vec<Ident> = pair.into_inner().map(|p| self.ident(&p)).collect();
        if segments.is_empty() {
            self.internal(span, "a path");
            return Err(());
        }
        Ok(Expr {
            kind: ExprKind::Path(segments),
            span,
        })
    }

    fn expr(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        if pair.as_rule() != Rule::expr || pair.clone().into_inner().next().is_none() {
            self.internal(pair.as_span().into(), "an expression");
            return Err(());
        }
        let result = std::cell::RefCell::new(&mut *self);
        pratt()
            .map_primary(|p| result.borrow_mut().primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let op_span: Span = op.as_span().into();
                let kind = match op.as_rule() {
                    Rule::op_neg => UnaryOp::Neg,
                    _ => UnaryOp::Not,
                };
                Ok(Expr {
                    span: op_span.to(rhs.span),
                    kind: ExprKind::Unary(kind, Box::new(rhs)),
                })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let op_span: Span = op.as_span().into();
                let present = op.as_rule() == Rule::is_present;
                Ok(Expr {
                    span: lhs.span.to(op_span),
                    kind: ExprKind::Presence(Box::new(lhs), present),
                })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_in => BinaryOp::In,
                    Rule::op_not_in => BinaryOp::NotIn,
                    Rule::op_within => BinaryOp::Within,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                Ok(Expr {
                    span: lhs.span.to(rhs.span),
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                })
            })
            .parse(pair.into_inner())
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span: Span = pair.as_span().into();
        let kind = match pair.as_rule() {
            Rule::expr => return self.expr(pair),
            Rule::path => return self.path(pair),
            Rule::k_true => ExprKind::Bool(true),
            Rule::k_false => ExprKind::Bool(false),
            Rule::k_today => ExprKind::Today,
            Rule::string => ExprKind::Text(self.string(&pair)),
            Rule::integer => match pair.as_str().parse::<i64>() {
                Ok(n) => ExprKind::Int(n),
                Err(_) => {
                    self.number_error(span, pair.as_str());
                    return Err(());
                }
            },
            Rule::decimal => match pair.as_str().parse::<f64>() {
                Ok(n) if n.is_finite() => ExprKind::Decimal(n),
                _ => {
                    self.number_error(span, pair.as_str());
                    return Err(());
                }
            },
            Rule::date => ExprKind::Date(self.date(&pair)?),
            Rule::datetime => match DateTime::parse(pair.as_str()) {
                Some(d) => ExprKind::DateTime(d),
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::InvalidDate,
                            format!("invalid date and time `{}`", pair.as_str()),
                        )
                        .label(span, "no such instant")
                        .help("write an RFC 3339 instant such as `2026-03-01T10:00:00Z`"),
                    );
                    return Err(());
                }
            },
            Rule::duration => ExprKind::Duration(self.duration(&pair)?),
            Rule::list => {
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    items.push(self.expr(p)?);
                }
                ExprKind::List(items)
            }
            Rule::quantifier => {
                let mut it = children(pair).into_iter();
                let kind = self.expect(&mut it, span, "a quantifier")?;
                let var = self.expect(&mut it, span, "a quantifier")?;
                let list = self.expect(&mut it, span, "a quantifier")?;
                let body = self.expect(&mut it, span, "a quantifier")?;
                let q = match kind.as_str() {
                    "any" => Quantifier::Any,
                    "all" => Quantifier::All,
                    _ => Quantifier::Count,
                };
                ExprKind::Quantifier(
                    q,
                    self.ident(&var),
                    Box::new(self.expr(list)?),
                    Box::new(self.expr(body)?),
                )
            }
            Rule::count_of => {
                let inner = self.single_child(pair, "`count(...)`")?;
                ExprKind::CountOf(Box::new(self.expr(inner)?))
            }
            Rule::obligation_ref => {
                let mut it = pair.into_inner();
                let which = self.expect(&mut it, span, "an obligation reference")?;
                let id = self.expect(&mut it, span, "an obligation reference")?;
                let q = if which.as_rule() == Rule::k_satisfied {
                    ObligationQuery::Satisfied
                } else {
                    ObligationQuery::Applies
                };
                ExprKind::ObligationRef(q, self.ident(&id))
            }
            Rule::call => {
                let mut it = pair.into_inner();
                let name = self.expect(&mut it, span, "a call")?;
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr(a)?);
                }
                ExprKind::Call(self.ident(&name), args)
            }
            _ => {
                self.internal(span, "an expression");
                return Err(());
            }
        };
        Ok(Expr { kind, span })
    }

    fn number_error(&mut self, span: Span, text: &str) {
        self.error(
            Diagnostic::error(Code::InvalidNumber, format!("number `{text}` does not fit"))
                .label(span, "too large")
                .help("whole numbers range from -9223372036854775808 to 9223372036854775807"),
        );
    }

    fn duration(&mut self, pair: &Pair<'_, Rule>) -> Lowered<Duration> {
        let text = pair.as_str();
        match Duration::parse(text) {
            Ok(d) => Ok(d),
            Err(e) => {
                let units: Vec<String> = DURATION_UNITS
                    .iter()
                    .map(|(u, meaning)| format!("`{u}` ({meaning})"))
                    .collect();
                let (message, label) = match e {
                    DurationError::Unit(u) => (
                        format!("invalid duration `{text}`"),
                        format!("unknown unit `{u}`"),
                    ),
                    DurationError::NoUnit | DurationError::Number => (
                        format!("invalid duration `{text}`"),
                        "longer than 10,000 years".to_string(),
                    ),
                };
                self.error(
                    Diagnostic::error(Code::InvalidDuration, message)
                        .label(pair.as_span().into(), label)
                        .help(format!(
                            "a duration is a whole number and a unit: {}",
                            units.join(", ")
                        )),
                );
                Err(())
            }
        }
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
