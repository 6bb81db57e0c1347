//! `comply fmt`: the canonical layout of rule files.
//!
//! Three properties hold for every file that parses, shipped or generated:
//!
//! - formatting is idempotent: `fmt(fmt(x)) == fmt(x)`;
//! - it changes layout only: `fmt(x)` parses to the same syntax tree as `x` (spans are
//!   left out of the tree's equality);
//! - it keeps every comment: the comments of `fmt(x)` are those of `x`, in order.
//!
//! They are checked on every rule file under `rules/` and `tests/packs/` (walked at test
//! time, so new packs are covered), and on generated files: random obligations and
//! predicates whose expressions nest `and`, `or`, `not`, comparisons, quantifiers, lists
//! and calls, written with random spacing, line breaks, redundant parentheses and
//! comments between any two tokens. Snapshots show the command's output on ugly input and
//! the diff of `--check`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken expectation is a panic with a message"
)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use comply::source::SourceFile;
use comply::{fmt, syntax};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ------------------------------------------------------------------ the properties

/// The comments of a rule file, found without the library's scanner: `#` outside quoted
/// texts, to the end of the line.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut inside = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if inside => {
                chars.next();
            }
            '"' => inside = !inside,
            '#' if !inside => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                found.push(text[i..end].trim_end().to_string());
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    found
}

/// Checks the three properties on one file that parses; returns the formatted text.
fn properties(name: &str, text: &str) -> Result<String, String> {
    let source = SourceFile::new(name, text);
    let tree = syntax::parse(&source).map_err(|d| format!("{name} does not parse: {d:?}"))?;
    let once = fmt::format(&source).map_err(|d| format!("{name} does not format: {d:?}"))?;
    let formatted = SourceFile::new(name, once.clone());
    let again = syntax::parse(&formatted)
        .map_err(|d| format!("{name} formatted does not parse: {d:?}\n{once}"))?;
    if again != tree {
        return Err(format!("{name}: the syntax tree changed\n{once}"));
    }
    let twice =
        fmt::format(&formatted).map_err(|d| format!("{name} formatted does not format: {d:?}"))?;
    if twice != once {
        return Err(format!(
            "{name}: not idempotent\n--- once\n{once}\n--- twice\n{twice}"
        ));
    }
    if comments(&once) != comments(text) {
        return Err(format!(
            "{name}: comments changed: {:?} became {:?}",
            comments(text),
            comments(&once)
        ));
    }
    if !once.is_empty() && !once.ends_with('\n') {
        return Err(format!("{name}: no final line break"));
    }
    Ok(once)
}

fn comply_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            comply_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "comply") {
            out.push(p);
        }
    }
}

#[test]
fn shipped_and_test_packs_keep_their_tree_comments_and_layout() {
    let mut files = Vec::new();
    comply_files(&root().join("rules"), &mut files);
    comply_files(&root().join("tests/packs"), &mut files);
    assert!(files.len() >= 10, "rule files not found: {files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        if let Err(e) = properties(&name, &text) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------------------------------ generated files

/// An expression to write, with the binding strength of its outermost operator.
#[derive(Clone, Debug)]
enum Gen {
    Leaf(&'static str),
    List(Vec<Gen>),
    Not(Box<Gen>),
    Neg(Box<Gen>),
    Binary(&'static str, Box<Gen>, Box<Gen>),
    Presence(Box<Gen>, bool),
    Quantifier(&'static str, Box<Gen>, Box<Gen>),
    CountOf(Box<Gen>),
    Call(Vec<Gen>),
    Paren(Box<Gen>),
}

const LEAVES: &[&str] = &[
    "o.a",
    "o.b.c",
    "x",
    "limit",
    "today",
    "true",
    "false",
    "12",
    "2.50",
    "\"a # b\"",
    "2026-01-02",
    "2026-01-02T10:00:00+02:00",
    "3y",
    "2w",
    "o . spaced",
    "applies(demo.other)",
    "satisfied(demo.other)",
];

/// (operator, binding strength) as the grammar's Pratt table has them.
const OPERATORS: &[(&str, u8)] = &[
    ("or", 1),
    ("and", 2),
    ("==", 4),
    ("!=", 4),
    ("<", 4),
    ("<=", 4),
    (">", 4),
    (">=", 4),
    ("in", 4),
    ("not in", 4),
    ("within", 4),
    ("+", 6),
    ("-", 6),
    ("*", 7),
    ("/", 7),
];

fn strength(g: &Gen) -> u8 {
    match g {
        Gen::Quantifier(..) => 0,
        Gen::Binary(op, ..) => OPERATORS.iter().find(|(o, _)| o == op).unwrap().1,
        Gen::Not(_) => 3,
        Gen::Presence(..) => 5,
        Gen::Neg(_) => 8,
        _ => 9,
    }
}

fn expression() -> impl Strategy<Value = Gen> {
    let leaf = proptest::sample::select(LEAVES).prop_map(Gen::Leaf);
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            4 => (proptest::sample::select(OPERATORS), inner.clone(), inner.clone())
                .prop_map(|((op, _), l, r)| Gen::Binary(op, Box::new(l), Box::new(r))),
            1 => inner.clone().prop_map(|e| Gen::Not(Box::new(e))),
            1 => inner.clone().prop_map(|e| Gen::Neg(Box::new(e))),
            1 => (inner.clone(), any::<bool>()).prop_map(|(e, p)| Gen::Presence(Box::new(e), p)),
            1 => proptest::collection::vec(inner.clone(), 0..5).prop_map(Gen::List),
            1 => (proptest::sample::select(&["any", "all", "count"][..]), inner.clone(), inner.clone())
                .prop_map(|(q, l, b)| Gen::Quantifier(q, Box::new(l), Box::new(b))),
            1 => inner.clone().prop_map(|e| Gen::CountOf(Box::new(e))),
            1 => proptest::collection::vec(inner.clone(), 0..3).prop_map(Gen::Call),
            1 => inner.prop_map(|e| Gen::Paren(Box::new(e))),
            1 => proptest::collection::vec(proptest::sample::select(LEAVES).prop_map(Gen::Leaf), 8..30)
                .prop_map(Gen::List),
        ]
    })
}

/// A text entry: a language (or none) and pieces of a message.
type GenText = Vec<(Option<&'static str>, Vec<&'static str>)>;

const TEXT_PIECES: &[&str] = &[
    "plain words",
    " ",
    "{o.name}",
    "\\{not a fact}",
    "\\\"quoted\\\"",
    "back\\\\slash",
    "line\\nbreak",
    "tab\\there",
    "odd \\q escape",
    "# not a comment",
    "accents éà",
    "}",
];

fn text() -> impl Strategy<Value = GenText> {
    let entry = (
        proptest::option::of(proptest::sample::select(&["en", "fr", "km"][..])),
        proptest::collection::vec(proptest::sample::select(TEXT_PIECES), 0..4),
    );
    proptest::collection::vec(entry, 1..4).prop_map(|mut entries| {
        // A language may be given once per text; no code means English.
        let mut seen = Vec::new();
        entries.retain(|(lang, _)| {
            let code = lang.unwrap_or("en");
            let fresh = !seen.contains(&code);
            seen.push(code);
            fresh
        });
        entries
    })
}

#[derive(Clone, Debug)]
enum Clause {
    Title(GenText),
    Cite,
    Tags,
    Applies(Gen),
    Unless(Gen, Option<GenText>),
    Require(Gen, Option<GenText>),
    Remedy(GenText),
    /// Clauses given at most once: severity, in force, pending, overrides.
    Once(usize),
    Depends,
}

#[derive(Clone, Debug)]
enum Decl {
    Obligation(bool, Vec<Clause>),
    Define(bool, Gen),
    Record(Vec<(bool, bool)>),
    Enum(usize),
    Extend(usize),
    Pack(GenText, Vec<usize>),
    /// The attributes present, in the order written.
    Instrument(Vec<usize>),
}

fn clause() -> impl Strategy<Value = Clause> {
    prop_oneof![
        1 => text().prop_map(Clause::Title),
        1 => Just(Clause::Cite),
        1 => Just(Clause::Tags),
        2 => expression().prop_map(Clause::Applies),
        2 => (expression(), proptest::option::of(text())).prop_map(|(e, t)| Clause::Unless(e, t)),
        4 => (expression(), proptest::option::of(text())).prop_map(|(e, t)| Clause::Require(e, t)),
        1 => text().prop_map(Clause::Remedy),
        1 => (0..4usize).prop_map(Clause::Once),
        1 => Just(Clause::Depends),
    ]
}

fn declaration() -> impl Strategy<Value = Decl> {
    prop_oneof![
        4 => (any::<bool>(), proptest::collection::vec(clause(), 0..6))
            .prop_map(|(each, clauses)| Decl::Obligation(each, clauses)),
        2 => (any::<bool>(), expression()).prop_map(|(params, body)| Decl::Define(params, body)),
        1 => proptest::collection::vec((any::<bool>(), any::<bool>()), 0..4).prop_map(Decl::Record),
        1 => (0..4usize).prop_map(Decl::Enum),
        1 => (0..4usize).prop_map(Decl::Extend),
        1 => (text(), proptest::sample::subsequence((0..4usize).collect::<Vec<_>>(), 0..=4).prop_shuffle())
            .prop_map(|(t, clauses)| Decl::Pack(t, clauses)),
        1 => proptest::sample::subsequence((0..4usize).collect::<Vec<_>>(), 0..=4)
            .prop_shuffle()
            .prop_map(Decl::Instrument),
    ]
}

/// Writes generated declarations as text, drawing the white space between tokens from
/// `spacing`: a space, line breaks, several spaces, a tab, or a comment.
struct Writer<'a> {
    text: String,
    spacing: &'a [u8],
    next: usize,
    comments: usize,
}

impl Writer<'_> {
    fn space(&mut self) {
        let choice = self.spacing[self.next % self.spacing.len()];
        self.next += 1;
        match choice % 20 {
            0..=10 => self.text.push(' '),
            11 => self.text.push('\n'),
            12 => self.text.push_str("\n\n    "),
            13 => self.text.push_str("   "),
            14 => self.text.push('\t'),
            15 | 16 => {
                self.comments += 1;
                let n = self.comments;
                self.text.push_str(&format!(" # c{n} \"q\" #\n"));
            }
            17 => {
                self.comments += 1;
                let n = self.comments;
                self.text.push_str(&format!("\n\n# own c{n}\n"));
            }
            _ => self.text.push_str("\r\n"),
        }
    }

    /// A token, then white space.
    fn token(&mut self, t: &str) {
        self.text.push_str(t);
        self.space();
    }

    /// Writes an operand, in parentheses when the grammar needs them.
    fn operand(&mut self, g: &Gen, parens: bool) {
        if parens {
            self.token("(");
            self.expr(g);
            self.token(")");
        } else {
            self.expr(g);
        }
    }

    fn expr(&mut self, g: &Gen) {
        match g {
            Gen::Leaf(t) => self.token(t),
            Gen::List(items) => {
                self.token("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.token(",");
                    }
                    self.expr(item);
                }
                if !items.is_empty() && self.spacing.len() % 2 == 0 {
                    self.token(",");
                }
                self.token("]");
            }
            Gen::Not(x) => {
                self.token("not");
                self.operand(x, strength(x) <= 3);
            }
            Gen::Neg(x) => {
                self.token("-");
                self.operand(x, strength(x) < 8);
            }
            Gen::Binary(op, l, r) => {
                let s = strength(g);
                self.operand(l, strength(l) < s);
                self.token(op);
                self.operand(r, strength(r) <= s);
            }
            Gen::Presence(x, present) => {
                self.operand(x, strength(x) < 5);
                self.token("is");
                self.token(if *present { "present" } else { "missing" });
            }
            Gen::Quantifier(q, list, body) => {
                self.token(q);
                self.token("v");
                self.token("in");
                self.operand(list, strength(list) == 0);
                self.token(":");
                self.expr(body);
            }
            Gen::CountOf(x) => {
                self.token("count");
                self.token("(");
                self.expr(x);
                self.token(")");
            }
            Gen::Call(args) => {
                self.token("check_it");
                self.token("(");
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        self.token(",");
                    }
                    self.expr(a);
                }
                self.token(")");
            }
            Gen::Paren(x) => self.operand(x, true),
        }
    }

    fn texts(&mut self, t: &GenText) {
        for (lang, pieces) in t {
            if let Some(l) = lang {
                self.token(l);
            }
            self.token(&format!("\"{}\"", pieces.concat()));
        }
    }

    fn declaration(&mut self, d: &Decl, n: usize) {
        match d {
            Decl::Obligation(each, clauses) => {
                self.token("obligation");
                self.token(&format!("demo.o{n}"));
                if *each {
                    self.token("for");
                    self.token("o");
                    self.token("in");
                    self.token("orgs");
                }
                self.token("{");
                let mut titled = false;
                let mut remedied = false;
                let mut once = [false; 4];
                for c in clauses {
                    match c {
                        Clause::Title(t) if !titled => {
                            titled = true;
                            self.token("title");
                            self.texts(t);
                        }
                        Clause::Remedy(t) if !remedied => {
                            remedied = true;
                            self.token("remedy");
                            self.texts(t);
                        }
                        Clause::Title(_) | Clause::Remedy(_) => {}
                        Clause::Once(k) => {
                            if !std::mem::replace(&mut once[*k], true) {
                                let words: &[&str] = match k {
                                    0 => &["severity", "high"],
                                    1 => &["in_force", "from", "2020-01-01", "until", "2030-01-01"],
                                    2 => &["pending", "\"awaiting \\\"the\\\" text\""],
                                    _ => &["overrides", "demo.base"],
                                };
                                for w in words {
                                    self.token(w);
                                }
                            }
                        }
                        Clause::Depends => {
                            for w in ["depends", "on", "demo.a", ",", "demo.b.c"] {
                                self.token(w);
                            }
                        }
                        Clause::Cite => {
                            self.token("cite");
                            self.token("law");
                            self.token("\"art. 1\"");
                        }
                        Clause::Tags => {
                            self.token("tags");
                            self.token("a-b");
                            self.token(",");
                            self.token("c");
                        }
                        Clause::Applies(e) => {
                            self.token("applies");
                            self.token("when");
                            self.expr(e);
                        }
                        Clause::Unless(e, t) => {
                            self.token("unless");
                            self.expr(e);
                            if let Some(t) = t {
                                self.token("because");
                                self.texts(t);
                            }
                        }
                        Clause::Require(e, t) => {
                            self.token("require");
                            self.expr(e);
                            if let Some(t) = t {
                                self.token("else");
                                self.texts(t);
                            }
                        }
                    }
                }
                self.token("}");
            }
            Decl::Define(params, body) => {
                self.token("define");
                self.token(&format!("p{n}"));
                if *params {
                    self.token("(");
                    self.token("o");
                    self.token(":");
                    self.token("Org");
                    self.token(",");
                    self.token("n");
                    self.token(":");
                    self.token("list");
                    self.token("<");
                    self.token("int");
                    self.token(">");
                    self.token(")");
                    self.token(":");
                    self.token("bool");
                }
                self.token("=");
                self.expr(body);
            }
            Decl::Record(fields) => {
                self.token("record");
                self.token(&format!("R{n}"));
                self.token("{");
                for (i, (optional, described)) in fields.iter().enumerate() {
                    self.token(&format!("f{i}"));
                    self.token(":");
                    self.token("text");
                    if *optional {
                        self.token("?");
                    }
                    if *described {
                        self.token("\"a field, {not} a fact\"");
                    }
                }
                self.token("}");
            }
            Decl::Extend(n) => {
                self.token("extend");
                self.token("Org");
                self.token("{");
                for i in 0..*n {
                    if i % 2 == 0 {
                        self.token(&format!("x{i}"));
                        self.token(":");
                        self.token("list");
                        self.token("<");
                        self.token("R0");
                        self.token(">");
                    } else {
                        self.token(&format!("m{i}"));
                        self.token("\"member\"");
                    }
                }
                self.token("}");
            }
            Decl::Pack(title, clauses) => {
                self.token("pack");
                self.token("demo");
                self.token("{");
                self.token("title");
                self.texts(title);
                for c in clauses {
                    let words: &[&str] = match c {
                        0 => &["version", "\"2026.1\""],
                        1 => &["in_force", "from", "2018-05-25"],
                        2 => &["pending", "\"not yet\""],
                        _ => &["requires", "core", ",", "dp"],
                    };
                    for w in words {
                        self.token(w);
                    }
                }
                self.token("}");
            }
            Decl::Instrument(attributes) => {
                self.token("instrument");
                self.token(&format!("law{n}"));
                self.token("\"The \\\"Law\\\" # 1\"");
                for a in attributes {
                    let words: &[&str] = match a {
                        0 => &["short", "\"status\""],
                        1 => &["url", "\"https://example.org/#law\""],
                        2 => &[
                            "version",
                            if n % 2 == 0 {
                                "2016-04-27"
                            } else {
                                "\"2016-04-27\""
                            },
                        ],
                        _ => &["status", "version"],
                    };
                    for w in words {
                        self.token(w);
                    }
                }
            }
            Decl::Enum(members) => {
                self.token("enum");
                self.token(&format!("E{n}"));
                self.token("{");
                for i in 0..*members {
                    self.token(&format!("m{i}.sub"));
                    if i % 2 == 0 {
                        self.token("\"described\"");
                    }
                    if i == 1 {
                        self.token(",");
                    }
                }
                self.token("}");
            }
        }
    }
}

fn rule_file() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(declaration(), 1..4),
        proptest::collection::vec(any::<u8>(), 1..48),
    )
        .prop_map(|(decls, spacing)| {
            let mut w = Writer {
                text: String::new(),
                spacing: &spacing,
                next: 0,
                comments: 0,
            };
            for (n, d) in decls.iter().enumerate() {
                w.declaration(d, n);
            }
            w.text
        })
}

proptest! {
    #![proptest_config(Config {
        cases: 384,
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn generated_files_keep_their_tree_comments_and_layout(text in rule_file()) {
        properties("generated.comply", &text).map_err(TestCaseError::fail)?;
    }
}

// ------------------------------------------------------------------ layout details

fn format(text: &str) -> String {
    properties("test.comply", text).unwrap()
}

#[test]
fn an_empty_file_stays_empty_and_comments_alone_are_kept() {
    assert_eq!(format(""), "");
    assert_eq!(format("\n\n  \n"), "");
    assert_eq!(format("# only\n\n\n# comments"), "# only\n\n# comments\n");
}

#[test]
fn line_breaks_become_unix_ones() {
    let text = "pack demo {\r\n  version \"1\" # v\r\n}\r\n";
    assert_eq!(format(text), "pack demo {\n  version \"1\"  # v\n}\n");
}

#[test]
fn parentheses_are_added_where_needed_and_kept_where_written() {
    let text = "define a = (x or y) and (z) and not (p == q) and (not r) == s\n\
                define b = any v in l: v or w\n\
                define c = (any v in l: v) or w\n\
                define d = w or any v in l: v and u\n\
                define e = -(1 + 2) * 3 - -4\n";
    assert_eq!(
        format(text),
        "define a = (x or y) and (z) and not (p == q) and (not r) == s\n\n\
         define b = any v in l: v or w\n\n\
         define c = (any v in l: v) or w\n\n\
         define d = w or any v in l: v and u\n\n\
         define e = -(1 + 2) * 3 - -4\n"
    );
}

#[test]
fn texts_are_written_with_the_escapes_the_lexer_reads() {
    let text = r#"obligation x.y { title "a \"b\" \\ {o.name} \{c} \q	tab" fr "d" }"#;
    assert_eq!(
        format(text),
        "obligation x.y {\n  title en \"a \\\"b\\\" \\\\ {o.name} \\{c} q\\ttab\"\n        fr \"d\"\n}\n"
    );
}

#[test]
fn a_long_condition_breaks_at_its_operators() {
    let text = "obligation x.y { require organisation.first_long_condition and organisation.second_long_condition or organisation.third }";
    assert_eq!(
        format(text),
        "obligation x.y {\n  \
           require organisation.first_long_condition and organisation.second_long_condition\n          \
                   or organisation.third\n}\n"
    );
}

#[test]
fn long_lists_fill_their_lines_or_go_one_item_a_line() {
    let codes: Vec<String> = (0..30).map(|i| format!("\"C{i:02}\"")).collect();
    let text = format!(
        "define codes: list<text> = [{}]\n\
         define rank(l: Level): int = count([l == substantial or l == high, l == high or l == very_high, l == top])\n",
        codes.join(",")
    );
    assert_eq!(
        format(&text),
        "define codes: list<text> = [\n  \
           \"C00\", \"C01\", \"C02\", \"C03\", \"C04\", \"C05\", \"C06\", \"C07\", \"C08\", \"C09\", \"C10\", \"C11\", \"C12\", \"C13\",\n  \
           \"C14\", \"C15\", \"C16\", \"C17\", \"C18\", \"C19\", \"C20\", \"C21\", \"C22\", \"C23\", \"C24\", \"C25\", \"C26\", \"C27\",\n  \
           \"C28\", \"C29\",\n]\n\n\
         define rank(l: Level): int = count([\n  \
           l == substantial or l == high,\n  \
           l == high or l == very_high,\n  \
           l == top,\n])\n"
    );
}

#[test]
fn nested_quantifiers_share_the_first_line() {
    let text = "obligation x.y { require any a in systems: any b in systems: critical(a) and critical(b) and a.hosting.provider != b.hosting.provider }";
    assert_eq!(
        format(text),
        "obligation x.y {\n  \
           require any a in systems: any b in systems:\n            \
                     critical(a) and critical(b) and a.hosting.provider != b.hosting.provider\n}\n"
    );
}

// ------------------------------------------------------------------ the command

fn comply(args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_comply"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "\nstdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

const UGLY: &str = r#"# A pack written in a hurry.


pack   demo{title "Demo" fr "Démo" version "1"   requires core}
instrument law "The Law"   status draft # the law
  short "L"
record Org key id { id:text "Id" name : text?
  # Optional: not every organisation has one.
  tags:list< text >? "Tags"
}
enum Kind { small "Small", large }
define small(o: Org): bool = o.employees<250 and not(o.listed)   # SME
define score(o: Org) = count([o.a, # first criterion
     o.b,
     o.c])
obligation demo.one for o in orgs { title en "Keep \"records\" of {o.name}" fr "Tenir des registres"
  severity   high
  tags records,organisational
  applies when o.active and # only active ones
     o.registered or o.listed
  unless small(o) because "Small organisations are exempt"
  require score(o) >= 2 else en "two of three" # see art. 3
  require o.first_long_requirement is present and o.second_long_requirement is present and o.third_one is missing
  remedy "Keep records"
  # TODO: cite the article
}
"#;

#[test]
fn fmt_of_standard_input_prints_the_canonical_layout() {
    let dir = tempfile::tempdir().unwrap();
    let out = comply(&["fmt", "-"], dir.path(), Some(UGLY));
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
    snapshot("fmt_ugly_stdin", &stdout(&out));
    let again = comply(&["fmt", "-"], dir.path(), Some(&stdout(&out)));
    assert_eq!(stdout(&again), stdout(&out));
}

#[test]
fn fmt_check_prints_a_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules/demo")).unwrap();
    let ugly = dir.path().join("rules/demo/ugly.comply");
    std::fs::write(&ugly, UGLY).unwrap();
    let formatted = comply(&["fmt", "-"], dir.path(), Some(UGLY));
    let clean = dir.path().join("rules/demo/clean.comply");
    std::fs::write(&clean, stdout(&formatted)).unwrap();

    let out = comply(&["fmt", "--check"], dir.path(), None);
    assert_code(&out, 1);
    snapshot("fmt_check_diff", &stdout(&out));
    assert_eq!(
        stderr(&out),
        "1 of 2 files would be reformatted; run `comply fmt` to fix\n"
    );
    assert_eq!(std::fs::read_to_string(&ugly).unwrap(), UGLY);

    let out = comply(
        &["fmt", "--check", "rules/demo/clean.comply"],
        dir.path(),
        None,
    );
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn fmt_rewrites_files_in_place_and_is_then_clean() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("packs/demo")).unwrap();
    let ugly = dir.path().join("packs/demo/ugly.comply");
    std::fs::write(&ugly, UGLY).unwrap();
    let out = comply(&["fmt", "packs"], dir.path(), None);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    let rewritten = std::fs::read_to_string(&ugly).unwrap();
    let expected = comply(&["fmt", "-"], dir.path(), Some(UGLY));
    assert_eq!(rewritten, stdout(&expected));
    let out = comply(&["fmt", "--check", "packs"], dir.path(), None);
    assert_code(&out, 0);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "obligation x.y {\n  require a and\n}\n";
    let path = dir.path().join("broken.comply");
    std::fs::write(&path, broken).unwrap();
    let good = dir.path().join("good.comply");
    std::fs::write(&good, "pack   x {}").unwrap();
    let out = comply(&["fmt", "."], dir.path(), None);
    assert_code(&out, 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(&good).unwrap(), "pack x {}\n");
    snapshot("fmt_syntax_error", &stderr(&out));

    let out = comply(&["fmt", "--check", "-"], dir.path(), Some(broken));
    assert_code(&out, 2);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("comply::parse::syntax"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fmt_check_of_standard_input_and_missing_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = comply(&["fmt", "--check", "-"], dir.path(), Some("pack x {}\n"));
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    let out = comply(&["fmt", "--check", "-"], dir.path(), Some("pack  x {}"));
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        "--- <stdin>\n+++ <stdin> (formatted)\n@@ -1 +1 @@\n-pack  x {}\n\\ No newline at end of file\n+pack x {}\n"
    );
    let out = comply(&["fmt", "nowhere"], dir.path(), None);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("cannot read `nowhere`"),
        "{}",
        stderr(&out)
    );
}

/// A byte order mark some editors write is read past; the canonical layout has none, so
/// `fmt` drops it (once, not doubled), on a file as on standard input.
#[test]
fn fmt_reads_past_a_byte_order_mark_and_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = "\u{feff}pack x {}\n";
    let out = comply(&["fmt", "-"], dir.path(), Some(with_bom));
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "pack x {}\n");
    let path = dir.path().join("bom.comply");
    std::fs::write(&path, with_bom).unwrap();
    let out = comply(&["fmt", "--check", "bom.comply"], dir.path(), None);
    assert_code(&out, 1);
    let out = comply(&["fmt", "bom.comply"], dir.path(), None);
    assert_code(&out, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "pack x {}\n");
}
