//! Expressions: parentheses, one-line form, and where long or commented ones break.
//!
//! The syntax tree keeps no parentheses, so they are recovered here: an operand is
//! parenthesised when precedence needs it, or when the author wrote parentheses around it
//! (found in the source, around the operand's own span). Spans of composite expressions
//! leave out their operands' parentheses, so extents are rebuilt from the leaves.

use super::print::Printer;
use super::quote_plain;
use crate::ast::{BinaryOp, Expr, ExprKind, ObligationQuery, Quantifier, UnaryOp};
use crate::time::{DateTime, Duration};

/// Where an operand sits relative to its operator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// Left of an infix operator.
    Left,
    /// Right of an infix operator.
    Right,
    /// After `not` or `-`.
    Prefix,
    /// Before `is present` or `is missing`.
    Postfix,
}

/// Binding strength, loosest first, as the grammar's Pratt table sets it. A quantifier's
/// body runs to the end of the enclosing expression, so it binds loosest of all.
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Quantifier(..) => 0,
        ExprKind::Binary(op, ..) => binary_prec(*op),
        ExprKind::Unary(UnaryOp::Not, _) => 3,
        ExprKind::Presence(..) => 5,
        ExprKind::Unary(UnaryOp::Neg, _) => 8,
        _ => 9,
    }
}

fn binary_prec(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::NotIn
        | BinaryOp::Within => 4,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div => 7,
    }
}

/// A name or a literal: list items that may share a line.
fn is_atom(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Path(_)
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Text(_)
            | ExprKind::Date(_)
            | ExprKind::DateTime(_)
            | ExprKind::Duration(_)
            | ExprKind::Today
            | ExprKind::ObligationRef(..)
    )
}

fn is_quantifier(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Quantifier(..))
}

/// Text ending in a date: a `:` right after it would not read as one.
fn ends_with_date(text: &str) -> bool {
    let tail: Vec<char> = text.chars().rev().take(10).collect();
    tail.len() == 10
        && tail.iter().rev().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The expressions directly under one.
fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::List(items) | ExprKind::Call(_, items) => items.iter().collect(),
        ExprKind::Unary(_, x) | ExprKind::Presence(x, _) | ExprKind::CountOf(x) => vec![x],
        ExprKind::Binary(_, l, r) => vec![l, r],
        ExprKind::Quantifier(_, _, list, body) => vec![list, body],
        _ => Vec::new(),
    }
}

impl Printer<'_> {
    /// The source range of an expression, its operands' parentheses included but not its
    /// own.
    pub fn inner(&self, e: &Expr) -> (usize, usize) {
        let key = std::ptr::from_ref(e) as usize;
        if let Some(known) = self.memo.inner.borrow().get(&key) {
            return *known;
        }
        let range = match &e.kind {
            ExprKind::Binary(_, l, r) => (self.full(l).0, self.full(r).1),
            ExprKind::Unary(_, x) => (self.own(e).0, self.full(x).1),
            ExprKind::Presence(x, _) => (self.full(x).0, self.own(e).1),
            _ => self.own(e),
        };
        self.memo.inner.borrow_mut().insert(key, range);
        range
    }

    /// An expression's span without the white space pest may count after it, and without
    /// the parentheses lowering may count around it: no expression but one in
    /// parentheses starts with `(` and ends with `)`, except a binary one, whose range
    /// [`Printer::inner`] builds from its operands.
    fn own(&self, e: &Expr) -> (usize, usize) {
        let start = e.span.start;
        let end = self.tight(start, e.span.end);
        let text = self.src.get(start..end).unwrap_or("");
        if text.len() >= 2 && text.starts_with('(') && text.ends_with(')') {
            let open = self.trivia.code_after(self.src, start + 1);
            let close = self.trivia.code_before(self.src, end - 1);
            if let (Some((s, _)), Some((c, ch))) = (open, close) {
                if s < c + ch.len_utf8() {
                    return (s, c + ch.len_utf8());
                }
            }
        }
        (start, end)
    }

    /// The source range of an operand, with any parentheses written around it.
    fn full(&self, e: &Expr) -> (usize, usize) {
        let mut range = self.inner(e);
        while let Some(wider) = self.wrapped(range) {
            range = wider;
        }
        range
    }

    /// The range with the parentheses right around it, if there are some.
    fn wrapped(&self, (start, end): (usize, usize)) -> Option<(usize, usize)> {
        let (open, '(') = self.trivia.code_before(self.src, start)? else {
            return None;
        };
        let (close, ')') = self.trivia.code_after(self.src, end)? else {
            return None;
        };
        Some((open, close + 1))
    }

    /// A quantifier's list is parenthesised when it is itself a quantifier, or when it
    /// ends in a date, which the `:` after it would not let read as one.
    fn list_parens(&self, list: &Expr) -> bool {
        is_quantifier(list) || ends_with_date(&self.flat(list, false))
    }

    /// The author wrote parentheses around this operand.
    fn author_parens(&self, e: &Expr) -> bool {
        self.wrapped(self.inner(e)).is_some()
    }

    /// Whether an operand is written in parentheses. `tail`: nothing follows the operand
    /// up to the end of the enclosing expression, so a quantifier there needs none.
    fn parens(&self, parent: u8, child: &Expr, pos: Pos, tail: bool) -> bool {
        let p = prec(child);
        let needed = match pos {
            Pos::Left | Pos::Postfix => p < parent,
            Pos::Right | Pos::Prefix if is_quantifier(child) => !tail,
            Pos::Right => p <= parent,
            Pos::Prefix => p < parent,
        };
        needed || self.author_parens(child)
    }

    /// The operands of an `and` or `or` chain, left to right.
    pub fn chain<'e>(&self, e: &'e Expr) -> Option<(BinaryOp, Vec<&'e Expr>)> {
        let ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), _, _) = &e.kind else {
            return None;
        };
        let mut operands = Vec::new();
        let mut cur = e;
        loop {
            match &cur.kind {
                ExprKind::Binary(o, l, r)
                    if o == op && (std::ptr::eq(cur, e) || !self.author_parens(cur)) =>
                {
                    operands.push(&**r);
                    cur = l;
                }
                _ => break,
            }
        }
        operands.push(cur);
        operands.reverse();
        Some((*op, operands))
    }

    /// A comment sits where this expression breaks into lines: between the operands of
    /// a chain, around the items of a list, before a quantifier's body.
    fn must_break(&self, e: &Expr) -> bool {
        if let Some((_, operands)) = self.chain(e) {
            return operands.windows(2).any(
                |w| matches!(w, [a, b] if self.trivia.has_comment(self.full(a).1, self.full(b).0)),
            );
        }
        match &e.kind {
            ExprKind::List(items) => {
                let (open, close) = self.own(e);
                let mut at = open.saturating_add(1);
                for item in items {
                    let (start, end) = self.inner(item);
                    if self.trivia.has_comment(at, start) {
                        return true;
                    }
                    at = end;
                }
                !items.is_empty() && self.trivia.has_comment(at, close)
            }
            ExprKind::Quantifier(_, _, list, body) => self
                .trivia
                .has_comment(self.inner(list).1, self.inner(body).0),
            _ => false,
        }
    }

    /// This expression or one inside it must break.
    pub fn forced(&self, e: &Expr) -> bool {
        let key = std::ptr::from_ref(e) as usize;
        if let Some(known) = self.memo.forced.borrow().get(&key) {
            return *known;
        }
        let forced = children(e).into_iter().any(|c| self.forced(c)) || self.must_break(e);
        self.memo.forced.borrow_mut().insert(key, forced);
        forced
    }

    /// The expression on one line.
    pub fn flat(&self, e: &Expr, tail: bool) -> String {
        let mut out = String::new();
        self.write_flat(e, tail, &mut out);
        out
    }

    fn flat_operand(&self, e: &Expr, parens: bool, tail: bool, out: &mut String) {
        if parens {
            out.push('(');
            self.write_flat(e, true, out);
            out.push(')');
        } else {
            self.write_flat(e, tail, out);
        }
    }

    fn write_flat(&self, e: &Expr, tail: bool, out: &mut String) {
        match &e.kind {
            ExprKind::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_flat(item, true, out);
                }
                out.push(']');
            }
            ExprKind::Unary(op, x) => {
                out.push_str(unary(*op));
                let parens = self.parens(prec(e), x, Pos::Prefix, tail);
                self.flat_operand(x, parens, tail, out);
            }
            ExprKind::Binary(op, l, r) => {
                let parens = self.parens(prec(e), l, Pos::Left, false);
                self.flat_operand(l, parens, false, out);
                out.push(' ');
                out.push_str(op.as_str());
                out.push(' ');
                let parens = self.parens(prec(e), r, Pos::Right, tail);
                self.flat_operand(r, parens, tail, out);
            }
            ExprKind::Presence(x, present) => {
                let parens = self.parens(prec(e), x, Pos::Postfix, false);
                self.flat_operand(x, parens, false, out);
                out.push_str(presence(*present));
            }
            ExprKind::Quantifier(q, var, list, body) => {
                out.push_str(quantifier(*q));
                out.push(' ');
                out.push_str(&var.name);
                out.push_str(" in ");
                self.flat_operand(list, self.list_parens(list), false, out);
                out.push_str(": ");
                self.write_flat(body, true, out);
            }
            ExprKind::CountOf(x) => {
                out.push_str("count(");
                self.write_flat(x, true, out);
                out.push(')');
            }
            ExprKind::Call(name, args) => {
                out.push_str(&name.name);
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_flat(a, true, out);
                }
                out.push(')');
            }
            _ => out.push_str(&self.atom(e)),
        }
    }

    /// A literal, a path or an obligation reference.
    fn atom(&self, e: &Expr) -> String {
        let (start, end) = self.own(e);
        let written = self.src.get(start..end).unwrap_or("");
        match &e.kind {
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Int(n) => n.to_string(),
            ExprKind::Decimal(x) => {
                let text = x.to_string();
                if text.contains('.') {
                    text
                } else {
                    format!("{text}.0")
                }
            }
            ExprKind::Text(s) => quote_plain(s),
            ExprKind::Date(d) => d.to_string(),
            // Instants and durations are kept as written (`2w`, an offset) when the text
            // under the span reads back to the same value.
            ExprKind::DateTime(d) => match DateTime::parse(written) {
                Some(same) if same == *d => written.to_string(),
                _ => d.to_string(),
            },
            ExprKind::Duration(d) => match Duration::parse(written) {
                Ok(same) if same == *d => written.to_string(),
                _ => d.to_string(),
            },
            ExprKind::Today => "today".to_string(),
            ExprKind::Path(segments) => {
                let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                names.join(".")
            }
            ExprKind::ObligationRef(q, id) => {
                let word = match q {
                    ObligationQuery::Applies => "applies",
                    ObligationQuery::Satisfied => "satisfied",
                };
                format!("{word}({})", id.name)
            }
            _ => self.flat(e, true),
        }
    }

    /// Writes an expression at the current position, on one line when it fits and holds
    /// no comment that forces a break, otherwise broken where it can break.
    pub fn expr(&mut self, e: &Expr, tail: bool) {
        let flat = self.flat(e, tail);
        if self.fits(&flat) && !self.forced(e) {
            self.push(&flat);
            return;
        }
        let breaks = !self.fits(&flat) || self.must_break(e);
        if let Some((op, operands)) = self.chain(e) {
            // A chain is on one line or one operand a line, never in between.
            let breaks = breaks || operands.iter().any(|o| self.forced(o));
            self.chain_layout(op, &operands, tail, breaks);
            return;
        }
        match &e.kind {
            ExprKind::List(items) if !items.is_empty() => self.list_layout(e, items),
            ExprKind::Quantifier(..) => self.quantifier_layout(e),
            ExprKind::Unary(op, x) => {
                self.push(unary(*op));
                let parens = self.parens(prec(e), x, Pos::Prefix, tail);
                self.operand(x, parens, tail);
            }
            ExprKind::Binary(op, l, r) => {
                let parens = self.parens(prec(e), l, Pos::Left, false);
                self.operand(l, parens, false);
                self.push(" ");
                self.push(op.as_str());
                self.push(" ");
                let parens = self.parens(prec(e), r, Pos::Right, tail);
                self.operand(r, parens, tail);
            }
            ExprKind::Presence(x, present) => {
                let parens = self.parens(prec(e), x, Pos::Postfix, false);
                self.operand(x, parens, false);
                self.push(presence(*present));
            }
            ExprKind::CountOf(x) => {
                self.push("count(");
                self.expr(x, true);
                self.push(")");
            }
            ExprKind::Call(name, args) => {
                self.push(&name.name);
                self.push("(");
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.expr(a, true);
                }
                self.push(")");
            }
            _ => self.push(&flat),
        }
    }

    fn operand(&mut self, e: &Expr, parens: bool, tail: bool) {
        if parens {
            self.push("(");
            self.expr(e, true);
            self.push(")");
        } else {
            self.expr(e, tail);
        }
    }

    /// `a and b and c`: on one line, or one operand a line with the operator first,
    /// aligned under the first operand.
    fn chain_layout(&mut self, op: BinaryOp, operands: &[&Expr], tail: bool, breaks: bool) {
        let col = self.col();
        let strength = binary_prec(op);
        for (i, o) in operands.iter().enumerate() {
            let last = i + 1 == operands.len();
            let pos = if i == 0 { Pos::Left } else { Pos::Right };
            let mut parens = self.parens(strength, o, pos, tail && last);
            if i == 0 && breaks && !parens && self.chain(o).is_some() {
                // A first operand that is itself a chain would break at the same column
                // as this one: parentheses show which operator binds.
                let flat = self.flat(o, false);
                parens = self.forced(o) || !self.fits(&flat);
            }
            if i > 0 {
                if breaks {
                    let start = self.full(o).0;
                    self.flush(start, col, false);
                    self.open(col);
                } else {
                    self.push(" ");
                }
                self.push(op.as_str());
                self.push(" ");
            }
            self.operand(o, parens, tail && last);
        }
    }

    /// A quantifier that does not fit on one line: the heads of directly nested
    /// quantifiers on the first line, the innermost body on the next, two columns in from
    /// the first quantifier, unless it fits after the heads.
    fn quantifier_layout(&mut self, e: &Expr) {
        let col = self.col();
        let mut q = e;
        while let ExprKind::Quantifier(kind, var, list, body) = &q.kind {
            self.push(quantifier(*kind));
            self.push(" ");
            self.push(&var.name);
            self.push(" in ");
            let parens = self.list_parens(list);
            self.operand(list, parens, false);
            self.push(":");
            let comment = self.must_break(q);
            if is_quantifier(body) && !comment {
                self.push(" ");
                q = body;
                continue;
            }
            let flat = format!(" {}", self.flat(body, true));
            if comment || !self.fits(&flat) {
                let start = self.inner(body).0;
                self.flush(start, col + 2, false);
                self.open(col + 2);
            } else {
                self.push(" ");
            }
            self.expr(body, true);
            break;
        }
    }

    /// A list that does not fit on one line: one item a line, each followed by a comma,
    /// indented one step from the line the list opens on. Short items with no comment
    /// among them (names, literals) fill the lines instead.
    fn list_layout(&mut self, e: &Expr, items: &[Expr]) {
        let base = self.line_indent();
        let (open, close) = self.own(e);
        let fill = items.iter().all(is_atom) && !self.trivia.has_comment(open, close);
        self.push("[");
        if fill {
            self.open(base + 2);
            for (i, item) in items.iter().enumerate() {
                let text = format!("{},", self.flat(item, true));
                if i > 0 && self.fits(&format!(" {text}")) {
                    self.push(" ");
                } else if i > 0 {
                    self.open(base + 2);
                }
                self.push(&text);
            }
            self.mark(close);
            self.open(base);
            self.push("]");
            return;
        }
        for item in items {
            let (start, end) = self.inner(item);
            self.flush(start, base + 2, true);
            self.separate(start);
            self.open(base + 2);
            self.expr(item, true);
            self.push(",");
            self.mark(end);
        }
        self.flush(self.own(e).1.saturating_sub(1), base + 2, true);
        self.open(base);
        self.push("]");
    }
}

fn unary(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Not => "not ",
        UnaryOp::Neg => "-",
    }
}

fn presence(present: bool) -> &'static str {
    if present {
        " is present"
    } else {
        " is missing"
    }
}

fn quantifier(q: Quantifier) -> &'static str {
    match q {
        Quantifier::Any => "any",
        Quantifier::All => "all",
        Quantifier::Count => "count",
    }
}
