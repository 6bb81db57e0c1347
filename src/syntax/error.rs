//! Turns pest's parse errors into diagnostics a rule author can act on.
//!
//! pest names grammar rules; an author thinks in keywords and constructs, so every rule gets
//! a human name here (the match is exhaustive: a new rule cannot ship without one).

use pest::error::{ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{SourceFile, Span};

/// A syntax error at the point pest gave up, with what it expected there.
pub fn syntax_error(source: &SourceFile, error: &pest::error::Error<Rule>) -> Diagnostic {
    let text = source.text();
    let span = match error.location {
        InputLocation::Pos(p) => point(text, p),
        InputLocation::Span((s, e)) => Span::new(s.min(text.len()), e.min(text.len())),
    };
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(text, at);
    let (message, help) = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().map(|r| rule_name(*r)).collect();
            names.sort_unstable();
            names.dedup();
            let expected = join_or(&names);
            if found == "end of file" && unclosed_braces(text) > 0 {
                let message = "the file ends before a `}` closes a block".to_string();
                let help = "add the missing `}` at the end of the pack, record, enum or obligation"
                    .to_string();
                (message, Some(help))
            } else {
                let message = if expected.is_empty() {
                    format!("unexpected {found}")
                } else if names.len() > 8 {
                    let some: Vec<&str> = names.iter().take(6).copied().collect();
                    format!(
                        "unexpected {found}: expected one of {} things, such as {}",
                        names.len(),
                        some.join(", ")
                    )
                } else {
                    format!("expected {expected}, found {found}")
                };
                (message, help_for(positives))
            }
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let label = if found == "end of file" {
        "the file ends after this".to_string()
    } else {
        "unexpected here".to_string()
    };
    let d = Diagnostic::error(Code::Syntax, message)
        .in_file(source)
        .label(span, label);
    d.help(help.unwrap_or_else(|| {
        "see docs/language.md for the form of each declaration and clause".to_string()
    }))
}

/// A one-character span at byte `p`, widened to a whole character and clamped to the text;
/// at the end of the file, the last character that is not white space, so the label shows.
fn point(text: &str, p: usize) -> Span {
    let p = p.min(text.len());
    let width = text
        .get(p..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8);
    if width > 0 {
        return Span::new(p, p + width);
    }
    match text.trim_end().char_indices().last() {
        Some((at, c)) => Span::new(at, at + c.len_utf8()),
        None => Span::new(p, p),
    }
}

/// How many `{` are left open at the end of the text, outside quotes and comments.
fn unclosed_braces(text: &str) -> usize {
    let mut depth: usize = 0;
    for line in text.lines() {
        let mut inside = false;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '#' if !inside => break,
                '\\' if inside && !escaped => {
                    escaped = true;
                    continue;
                }
                '"' if !escaped => inside = !inside,
                '{' if !inside => depth += 1,
                '}' if !inside => depth = depth.saturating_sub(1),
                _ => {}
            }
            escaped = false;
        }
    }
    depth
}

/// What stands at `p`: a short quoted token, or "end of file".
fn describe_found(text: &str, p: usize) -> String {
    let rest = text.get(p..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return "end of file".to_string();
    };
    if first == '\n' || first == '\r' {
        return "end of line".to_string();
    }
    let token: String = if first.is_alphanumeric() || first == '_' {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .take(24)
            .collect()
    } else {
        first.to_string()
    };
    format!("`{token}`")
}

fn join_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Extra advice for the commonest mistakes.
fn help_for(positives: &[Rule]) -> Option<String> {
    let has = |r: Rule| positives.contains(&r);
    if has(Rule::string) && has(Rule::lang) {
        return Some(
            "texts are written `\"...\"` or per language: `en \"...\" fr \"...\"`".to_string(),
        );
    }
    if has(Rule::k_title) || has(Rule::k_require) {
        return Some(
            "an obligation holds clauses such as `title`, `cite`, `severity`, `tags`, \
             `applies when`, `unless`, `require ... else`, `depends on`, `remedy`"
                .to_string(),
        );
    }
    if has(Rule::k_pack) || has(Rule::k_obligation) {
        return Some(
            "a rule file holds `pack`, `instrument`, `record`, `enum`, `extend`, `define` and \
             `obligation` declarations"
                .to_string(),
        );
    }
    if has(Rule::expr) || has(Rule::path) {
        return Some(
            "an expression is a literal, a path such as `organisation.employees`, a call, a \
             quantifier or a combination with operators"
                .to_string(),
        );
    }
    None
}

/// The name of each grammar rule as a rule author would say it.
fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::WHITESPACE | Rule::COMMENT | Rule::BOM => "white space",
        Rule::file | Rule::item => "a declaration",
        Rule::pack_clause => "a pack clause",
        Rule::instrument_attr => "`short`, `url`, `version` or `status`",
        Rule::obligation_clause => "an obligation clause",
        Rule::prefix => "`not` or `-`",
        Rule::postfix => "`is present` or `is missing`",
        Rule::infix => "an operator",
        Rule::primary => "a value",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::ident | Rule::name => "a name",
        Rule::keyword => "a keyword",
        Rule::dotted_id => "a dotted id",
        Rule::tag => "a tag",
        Rule::lang => "a language code",
        Rule::k_pack => "`pack`",
        Rule::k_title => "`title`",
        Rule::k_version => "`version`",
        Rule::k_in_force => "`in_force`",
        Rule::k_from => "`from`",
        Rule::k_until => "`until`",
        Rule::k_pending => "`pending`",
        Rule::k_requires => "`requires`",
        Rule::k_instrument => "`instrument`",
        Rule::k_url => "`url`",
        Rule::k_short => "`short`",
        Rule::k_status => "`status`",
        Rule::k_record => "`record`",
        Rule::k_key => "`key`",
        Rule::k_enum => "`enum`",
        Rule::k_extend => "`extend`",
        Rule::k_list => "`list`",
        Rule::k_define => "`define`",
        Rule::k_obligation => "`obligation`",
        Rule::k_for => "`for`",
        Rule::k_in => "`in`",
        Rule::k_cite => "`cite`",
        Rule::k_severity => "`severity`",
        Rule::k_tags => "`tags`",
        Rule::k_applies => "`applies`",
        Rule::k_when => "`when`",
        Rule::k_unless => "`unless`",
        Rule::k_because => "`because`",
        Rule::k_require => "`require`",
        Rule::k_else => "`else`",
        Rule::k_remedy => "`remedy`",
        Rule::k_depends => "`depends`",
        Rule::k_on => "`on`",
        Rule::k_overrides => "`overrides`",
        Rule::k_satisfied => "`satisfied`",
        Rule::k_any => "`any`",
        Rule::k_all => "`all`",
        Rule::k_count => "`count`",
        Rule::k_not => "`not`",
        Rule::k_is => "`is`",
        Rule::k_present => "`present`",
        Rule::k_missing => "`missing`",
        Rule::k_true => "`true`",
        Rule::k_false => "`false`",
        Rule::k_today => "`today`",
        Rule::string | Rule::string_inner => "a quoted text",
        Rule::date => "a date",
        Rule::datetime => "a date and time",
        Rule::duration => "a duration",
        Rule::decimal => "a decimal number",
        Rule::integer => "a whole number",
        Rule::texts | Rule::text_entry => "a text",
        Rule::pack => "a pack manifest",
        Rule::title_clause => "a title",
        Rule::version_clause => "a version",
        Rule::in_force_clause => "an `in_force` clause",
        Rule::pending_clause => "a `pending` clause",
        Rule::requires_clause => "a `requires` clause",
        Rule::instrument => "an instrument",
        Rule::url_attr => "`url`",
        Rule::short_attr => "`short`",
        Rule::version_attr => "`version`",
        Rule::status_attr => "`status`",
        Rule::record => "a record",
        Rule::key_clause => "`key`",
        Rule::field => "a field",
        Rule::optional => "`?`",
        Rule::type_ref => "a type",
        Rule::list_type => "a list type",
        Rule::enum_decl => "an enum",
        Rule::enum_member => "an enum member",
        Rule::extend => "an extension",
        Rule::define => "a definition",
        Rule::params => "parameters",
        Rule::result_type => "a result type",
        Rule::param => "a parameter",
        Rule::obligation => "an obligation",
        Rule::for_clause => "`for`",
        Rule::cite_clause => "`cite`",
        Rule::severity_clause => "`severity`",
        Rule::tags_clause => "`tags`",
        Rule::depends_clause => "`depends on`",
        Rule::overrides_clause => "`overrides`",
        Rule::applies_clause => "`applies when`",
        Rule::unless_clause => "`unless`",
        Rule::require_clause => "`require`",
        Rule::remedy_clause => "`remedy`",
        Rule::expr => "an expression",
        Rule::op_not => "`not`",
        Rule::op_neg => "`-`",
        Rule::is_present => "`is present`",
        Rule::is_missing => "`is missing`",
        Rule::op_or => "`or`",
        Rule::op_and => "`and`",
        Rule::op_eq => "`==`",
        Rule::op_ne => "`!=`",
        Rule::op_le => "`<=`",
        Rule::op_ge => "`>=`",
        Rule::op_lt => "`<`",
        Rule::op_gt => "`>`",
        Rule::op_not_in => "`not in`",
        Rule::op_in => "`in`",
        Rule::op_within => "`within`",
        Rule::op_add => "`+`",
        Rule::op_sub => "`-`",
        Rule::op_mul => "`*`",
        Rule::op_div => "`/`",
        Rule::list => "a list",
        Rule::quantifier | Rule::quantifier_kind => "a quantifier",
        Rule::count_of => "`count(...)`",
        Rule::obligation_ref => "`applies(...)` or `satisfied(...)`",
        Rule::call => "a call",
        Rule::path => "a path",
        Rule::interpolation => "a path inside `{...}`",
    }
}
