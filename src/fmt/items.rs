//! Declarations and their clauses, one a line, in the order written.

use super::print::Printer;
use super::{quote_plain, quote_text};
use crate::ast::{
    Citation, Define, Enum, EnumMember, Expr, ExprKind, Extend, Field, File, Ident, InForce,
    Instrument, Item, Obligation, Pack, Record, Require, Severity, Texts, TypeRef, Unless,
};
use crate::source::Span;
use crate::time::Date;

/// Indentation of a clause, a field or a member.
const STEP: usize = 2;

/// Where a declaration was written.
fn item_span(p: &Printer<'_>, item: &Item) -> Span {
    let span = match item {
        Item::Pack(p) => p.span,
        Item::Instrument(i) => i.span,
        Item::Record(r) => r.span,
        Item::Enum(e) => e.span,
        Item::Extend(x) => x.span,
        Item::Define(d) => d.span,
        Item::Obligation(o) => o.span,
    };
    Span::new(span.start, p.tight(span.start, span.end))
}

/// Prints a whole file: declarations separated by one blank line, comments between them
/// kept with the blank lines around them.
pub(super) fn file(p: &mut Printer<'_>, file: &File) {
    let mut previous: Option<usize> = None;
    for item in &file.items {
        let span = item_span(p, item);
        match previous {
            // No blank line anywhere between two declarations: one goes after the first.
            Some(end) if !p.trivia.has_blank(end, span.start) => {
                if p.flush_with(span.start, 0, false, true) == 0 {
                    p.blank();
                }
            }
            _ => {
                p.flush(span.start, 0, true);
                p.separate(span.start);
            }
        }
        p.mark(span.start);
        p.open(0);
        match item {
            Item::Pack(x) => pack(p, x),
            Item::Instrument(x) => instrument(p, x),
            Item::Record(x) => record(p, x),
            Item::Enum(x) => enum_decl(p, x),
            Item::Extend(x) => extend(p, x),
            Item::Define(x) => define(p, x),
            Item::Obligation(x) => obligation(p, x),
        }
        p.mark(span.end);
        previous = Some(span.end);
    }
    p.flush(usize::MAX, 0, true);
}

/// One line of a block: where it starts and ends in the source, and how to print it.
struct Entry<'a> {
    start: usize,
    end: usize,
    what: What<'a>,
}

enum What<'a> {
    Title(&'a Texts),
    Version(&'a str),
    InForce(&'a InForce),
    Pending(&'a str),
    Requires(&'a [Ident]),
    Cite(&'a Citation),
    Severity(Severity),
    Tags(&'a [Ident]),
    Depends(&'a [Ident]),
    Overrides(&'a Ident),
    Applies(&'a Expr),
    Unless(&'a Unless),
    Require(&'a Require),
    Remedy(&'a Texts),
    Field(&'a Field),
    Member(&'a EnumMember),
    Attribute(&'static str, String),
}

/// Prints the entries of a block in source order, after its opening line, then the
/// closing line at `close` (the offset of the closing brace, if any).
fn block(p: &mut Printer<'_>, mut entries: Vec<Entry<'_>>, close: Option<usize>) {
    entries.sort_by_key(|e| e.start);
    for entry in &mut entries {
        entry.end = p.tight(entry.start, entry.end);
    }
    for entry in &entries {
        p.flush(entry.start, STEP, true);
        p.separate(entry.start);
        p.open(STEP);
        print_entry(p, entry);
        p.mark(entry.end);
    }
    if let Some(close) = close {
        p.flush(close, STEP, true);
        p.open(0);
        p.push("}");
    }
}

/// ` {`, then the block, or ` {}` for an empty block with no comment inside.
fn braces(p: &mut Printer<'_>, entries: Vec<Entry<'_>>, span: Span) {
    let close = span.end.saturating_sub(1);
    if entries.is_empty() && !p.trivia.has_comment(span.start, close) {
        p.push(" {}");
    } else {
        p.push(" {");
        block(p, entries, Some(close));
    }
}

fn print_entry(p: &mut Printer<'_>, entry: &Entry<'_>) {
    match &entry.what {
        What::Title(t) => keyword_texts(p, "title", t),
        What::Version(v) => {
            p.push("version ");
            p.push(&quote_plain(v));
        }
        What::InForce(f) => {
            p.push(&format!("in_force from {}", f.from));
            if let Some(until) = f.until {
                p.push(&format!(" until {until}"));
            }
        }
        What::Pending(s) => {
            p.push("pending ");
            p.push(&quote_plain(s));
        }
        What::Requires(ids) => {
            p.push("requires ");
            p.push(&names(ids));
        }
        What::Cite(c) => {
            p.push(&format!(
                "cite {} {}",
                c.instrument.name,
                quote_plain(&c.place)
            ));
        }
        What::Severity(s) => {
            p.push("severity ");
            p.push(s.as_str());
        }
        What::Tags(ids) => {
            p.push("tags ");
            p.push(&names(ids));
        }
        What::Depends(ids) => {
            p.push("depends on ");
            p.push(&names(ids));
        }
        What::Overrides(id) => {
            p.push("overrides ");
            p.push(&id.name);
        }
        What::Applies(e) => {
            p.push("applies when ");
            p.expr(e, true);
        }
        What::Unless(u) => {
            p.push("unless ");
            p.expr(&u.condition, true);
            if let Some(because) = &u.because {
                sub_clause(p, "because", because);
            }
        }
        What::Require(r) => {
            p.push("require ");
            p.expr(&r.condition, true);
            if let Some(message) = &r.message {
                sub_clause(p, "else", message);
            }
        }
        What::Remedy(t) => keyword_texts(p, "remedy", t),
        What::Field(f) => field(p, f),
        What::Member(m) => member(p, m),
        What::Attribute(keyword, value) => {
            p.push(keyword);
            p.push(" ");
            p.push(value);
        }
    }
}

/// `else TEXTS` or `because TEXTS` on the line after its condition, one step further in.
fn sub_clause(p: &mut Printer<'_>, keyword: &str, texts: &Texts) {
    p.flush(texts.span.start, 2 * STEP, false);
    p.open(2 * STEP);
    keyword_texts(p, keyword, texts);
}

/// `keyword en "..."`, each further language on its own line under the first.
fn keyword_texts(p: &mut Printer<'_>, keyword: &str, texts: &Texts) {
    p.push(keyword);
    p.push(" ");
    let col = p.col();
    for (i, entry) in texts.entries.iter().enumerate() {
        if i > 0 {
            p.flush(entry.span.start, col, false);
            p.open(col);
        }
        p.push(&entry.lang);
        p.push(" ");
        p.push(&quote_text(entry));
    }
}

fn names(ids: &[Ident]) -> String {
    let names: Vec<&str> = ids.iter().map(|i| i.name.as_str()).collect();
    names.join(", ")
}

fn type_ref(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => id.name.clone(),
        TypeRef::List(inner, _) => format!("list<{}>", type_ref(inner)),
    }
}

fn field(p: &mut Printer<'_>, f: &Field) {
    p.push(&format!("{}: {}", f.name.name, type_ref(&f.ty)));
    if f.optional {
        p.push("?");
    }
    if let Some(d) = &f.description {
        p.push(" ");
        p.push(&quote_plain(d));
    }
}

fn member(p: &mut Printer<'_>, m: &EnumMember) {
    p.push(&m.name.name);
    if let Some(d) = &m.description {
        p.push(" ");
        p.push(&quote_plain(d));
    }
}

/// The first and last offsets of a list of names (clauses given more than once merge).
fn ids_entry<'a>(ids: &'a [Ident], what: fn(&'a [Ident]) -> What<'a>) -> Option<Entry<'a>> {
    let first = ids.first()?;
    let last = ids.last()?;
    Some(Entry {
        start: first.span.start,
        end: last.span.end,
        what: what(ids),
    })
}

fn texts_entry<'a>(t: &'a Texts, what: fn(&'a Texts) -> What<'a>) -> Entry<'a> {
    Entry {
        start: t.span.start,
        end: t.span.end,
        what: what(t),
    }
}

fn pack(p: &mut Printer<'_>, x: &Pack) {
    p.push("pack ");
    p.push(&x.id.name);
    let mut entries = Vec::new();
    if let Some(t) = &x.title {
        entries.push(texts_entry(t, What::Title));
    }
    if let Some((v, span)) = &x.version {
        entries.push(Entry {
            start: span.start,
            end: span.end,
            what: What::Version(v),
        });
    }
    if let Some(f) = &x.in_force {
        entries.push(Entry {
            start: f.span.start,
            end: f.span.end,
            what: What::InForce(f),
        });
    }
    if let Some((s, span)) = &x.pending {
        entries.push(Entry {
            start: span.start,
            end: span.end,
            what: What::Pending(s),
        });
    }
    entries.extend(ids_entry(&x.requires, What::Requires));
    braces(p, entries, x.span);
}

/// The version of an instrument, bare when it reads back as the same date.
fn instrument_version(v: &str) -> String {
    let is_date = v.len() == 10
        && v.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    match Date::parse(v) {
        Some(d) if is_date && d.to_string() == v => v.to_string(),
        _ => quote_plain(v),
    }
}

/// The source offsets of an instrument's attributes, by keyword: its tokens are read
/// again, since the tree keeps no span per attribute.
fn attribute_offsets(p: &Printer<'_>, span: Span) -> Vec<(String, usize, usize)> {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut at = span.start;
    while let Some((start, c)) = p.trivia.code_after(p.src, at) {
        if start >= span.end {
            break;
        }
        let rest = p.src.get(start..span.end).unwrap_or("");
        let len = if c == '"' {
            let mut escaped = false;
            rest.char_indices()
                .skip(1)
                .find(|&(_, ch)| {
                    let closes = ch == '"' && !escaped;
                    escaped = ch == '\\' && !escaped;
                    closes
                })
                .map_or(rest.len(), |(i, _)| i + 1)
        } else {
            rest.find(|ch: char| ch.is_whitespace() || ch == '"' || ch == '#')
                .unwrap_or(rest.len())
        };
        tokens.push((start, start + len.max(1)));
        at = start + len.max(1);
    }
    tokens
        .get(3..)
        .unwrap_or(&[])
        .chunks(2)
        .filter_map(|pair| match pair {
            [(ks, ke), (_, ve)] => Some((p.src.get(*ks..*ke)?.to_string(), *ks, *ve)),
            _ => None,
        })
        .collect()
}

fn instrument(p: &mut Printer<'_>, x: &Instrument) {
    p.push(&format!(
        "instrument {} {}",
        x.id.name,
        quote_plain(&x.title)
    ));
    let attributes: [(&'static str, Option<String>); 4] = [
        ("short", x.short.as_deref().map(quote_plain)),
        ("url", x.url.as_deref().map(quote_plain)),
        ("version", x.version.as_deref().map(instrument_version)),
        ("status", x.status.as_ref().map(|s| s.name.clone())),
    ];
    // `instrument id "title"` takes three tokens; the attributes follow in pairs.
    let offsets = attribute_offsets(p, x.span);
    let mut entries = Vec::new();
    for (keyword, value) in attributes {
        let Some(value) = value else { continue };
        let found = offsets.iter().find(|(k, _, _)| k == keyword);
        // Not found (it always is in a file that parsed): last, in the usual order.
        let last = x.span.end.saturating_sub(1);
        let (start, end) = found.map_or((last, last), |(_, s, e)| (*s, *e));
        entries.push(Entry {
            start,
            end,
            what: What::Attribute(keyword, value),
        });
    }
    block(p, entries, None);
}

fn record(p: &mut Printer<'_>, x: &Record) {
    p.push("record ");
    p.push(&x.name.name);
    if let Some(key) = &x.key {
        p.push(" key ");
        p.push(&key.name);
    }
    let entries = x.fields.iter().map(field_entry).collect();
    braces(p, entries, x.span);
}

fn field_entry(f: &Field) -> Entry<'_> {
    Entry {
        start: f.span.start,
        end: f.span.end,
        what: What::Field(f),
    }
}

fn member_entry(m: &EnumMember) -> Entry<'_> {
    Entry {
        start: m.name.span.start,
        end: m.name.span.end,
        what: What::Member(m),
    }
}

fn enum_decl(p: &mut Printer<'_>, x: &Enum) {
    p.push("enum ");
    p.push(&x.name.name);
    let entries = x.members.iter().map(member_entry).collect();
    braces(p, entries, x.span);
}

fn extend(p: &mut Printer<'_>, x: &Extend) {
    p.push("extend ");
    p.push(&x.name.name);
    let entries = x
        .fields
        .iter()
        .map(field_entry)
        .chain(x.members.iter().map(member_entry))
        .collect();
    braces(p, entries, x.span);
}

/// `define name(params): type = body`, the body on the next line when the whole does not
/// fit on one.
fn define(p: &mut Printer<'_>, x: &Define) {
    p.push("define ");
    p.push(&x.name.name);
    if let Some(params) = &x.params {
        let params: Vec<String> = params
            .iter()
            .map(|q| format!("{}: {}", q.name.name, type_ref(&q.ty)))
            .collect();
        p.push(&format!("({})", params.join(", ")));
    }
    if let Some(result) = &x.result {
        p.push(": ");
        p.push(&type_ref(result));
    }
    p.push(" =");
    let body = &x.body;
    let flat = p.flat(body, true);
    let forced = p.forced(body);
    let breakable = p.chain(body).is_some() || matches!(body.kind, ExprKind::Quantifier(..));
    let list = match &body.kind {
        ExprKind::List(_) => true,
        ExprKind::CountOf(inner) => matches!(inner.kind, ExprKind::List(_)),
        _ => false,
    };
    let own_line = !forced && STEP + flat.chars().count() <= super::print::WIDTH;
    if !forced && p.fits(&format!(" {flat}")) {
        p.push(" ");
        p.push(&flat);
    } else if breakable || (own_line && !list) {
        p.flush(p.inner(body).0, STEP, false);
        p.open(STEP);
        p.expr(body, true);
    } else {
        // `= [` or `= count([`: the list opens on this line and breaks below it.
        p.push(" ");
        p.expr(body, true);
    }
}

fn obligation(p: &mut Printer<'_>, x: &Obligation) {
    p.push("obligation ");
    p.push(&x.id.name);
    if let Some(each) = &x.for_each {
        p.push(" for ");
        p.push(&each.var.name);
        p.push(" in ");
        let list = p.flat(&each.list, true);
        p.push(&list);
    }
    let mut entries = Vec::new();
    if let Some(t) = &x.title {
        entries.push(texts_entry(t, What::Title));
    }
    for c in &x.cites {
        entries.push(Entry {
            start: c.span.start,
            end: c.span.end,
            what: What::Cite(c),
        });
    }
    if let Some((s, span)) = &x.severity {
        entries.push(Entry {
            start: span.start,
            end: span.end,
            what: What::Severity(*s),
        });
    }
    entries.extend(ids_entry(&x.tags, What::Tags));
    if let Some(f) = &x.in_force {
        entries.push(Entry {
            start: f.span.start,
            end: f.span.end,
            what: What::InForce(f),
        });
    }
    if let Some((s, span)) = &x.pending {
        entries.push(Entry {
            start: span.start,
            end: span.end,
            what: What::Pending(s),
        });
    }
    entries.extend(ids_entry(&x.depends_on, What::Depends));
    if let Some(id) = &x.overrides {
        entries.push(Entry {
            start: id.span.start,
            end: id.span.end,
            what: What::Overrides(id),
        });
    }
    for e in &x.applies_when {
        let (start, end) = p.inner(e);
        entries.push(Entry {
            start,
            end,
            what: What::Applies(e),
        });
    }
    for u in &x.unless {
        let (start, end) = p.inner(&u.condition);
        let end = u.because.as_ref().map_or(end, |t| t.span.end);
        entries.push(Entry {
            start,
            end,
            what: What::Unless(u),
        });
    }
    for r in &x.requires {
        let (start, end) = p.inner(&r.condition);
        let end = r.message.as_ref().map_or(end, |t| t.span.end);
        entries.push(Entry {
            start,
            end,
            what: What::Require(r),
        });
    }
    if let Some(t) = &x.remedy {
        entries.push(texts_entry(t, What::Remedy));
    }
    braces(p, entries, x.span);
}
