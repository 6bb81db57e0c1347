//! The command line as a usage diagnostic shows it, and which of its arguments a clap
//! error is about.
//!
//! Arguments come from the shell: they may hold spaces, be empty, or not be UTF-8 at all
//! (a file name is any bytes on Unix). The diagnostic writes each one so that it could be
//! pasted back into a shell, and underlines the argument itself rather than the first text
//! that happens to look like it, such as `sarif` inside `sarif.yaml`.

use std::ffi::OsString;

use comply::source::Span;

/// The arguments as one line of text, and where each one sits in it.
#[derive(Debug)]
pub struct CommandLine {
    text: String,
    /// Each argument, the program's name shown as `comply` whatever path ran it.
    args: Vec<Arg>,
}

/// One argument: its text, with any bytes that are not UTF-8 replaced, and where it sits.
#[derive(Debug)]
struct Arg {
    text: String,
    span: Span,
    utf8: bool,
}

impl CommandLine {
    /// Lays out the arguments, the first one being the program.
    pub fn new(args: &[OsString]) -> CommandLine {
        let mut text = String::new();
        let mut laid = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let given = if i == 0 {
                "comply".to_string()
            } else {
                arg.to_string_lossy().into_owned()
            };
            let utf8 = arg.to_str().is_some();
            if i > 0 {
                text.push(' ');
            }
            let shown = quoted(&given);
            // The span covers the argument's own text, not the quotes around it.
            let inner = usize::from(shown.len() != given.len());
            let start = text.len() + inner;
            text.push_str(&shown);
            let end = text.len() - inner;
            laid.push(Arg {
                text: given,
                span: Span::new(start, end.max(start)),
                utf8,
            });
        }
        CommandLine { text, args: laid }
    }

    /// The line as shown.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The name of the subcommand, when the first argument is one.
    pub fn command(&self) -> Option<&str> {
        self.args
            .get(1)
            .map(|a| a.text.as_str())
            .filter(|a| !a.starts_with('-'))
    }

    /// Where the argument an error is about sits. `value` is what clap says was wrong:
    /// a value, an unknown flag or an unexpected argument. `flag` is the option the value
    /// was given to, when there is one (`--fail-on <FAIL_ON>`).
    pub fn culprit(&self, value: &str, flag: Option<&str>) -> Option<Span> {
        let flag = flag
            .and_then(|f| f.split_whitespace().next())
            .and_then(|f| f.split('=').next())
            .filter(|f| f.starts_with('-'));
        let given = || self.args.iter().enumerate().skip(1);
        if let Some(span) = flag.and_then(|flag| self.given_to(flag, value)) {
            return Some(span);
        }
        // An unknown flag, an unexpected argument, or a value given to a short option.
        // Among equal arguments, one following an option is the likelier culprit.
        let exact = given().filter(|(_, arg)| arg.text == value);
        let after_option = exact.clone().find(|(i, _)| {
            self.args
                .get(i - 1)
                .is_some_and(|prev| prev.text.starts_with('-'))
        });
        if let Some((_, arg)) = after_option.or_else(|| exact.clone().next()) {
            return Some(arg.span);
        }
        // `--unknown=value` is named by its flag part.
        given()
            .find(|(_, arg)| {
                value.starts_with('-')
                    && arg
                        .text
                        .strip_prefix(value)
                        .is_some_and(|rest| rest.starts_with('='))
            })
            .map(|(_, arg)| Span::new(arg.span.start, arg.span.start + value.len()))
    }

    /// Where `value` sits when it is given to the option `flag`, as `flag value` or
    /// `flag=value`.
    pub fn given_to(&self, flag: &str, value: &str) -> Option<Span> {
        for (i, arg) in self.args.iter().enumerate().skip(1) {
            if arg.text == flag {
                if let Some(next) = self.args.get(i + 1).filter(|n| n.text == value) {
                    return Some(next.span);
                }
            } else if let Some(rest) = arg.text.strip_prefix(flag) {
                if rest.strip_prefix('=') == Some(value) {
                    let shown = escaped(value).len();
                    return Some(Span::new(arg.span.end - shown, arg.span.end));
                }
            }
        }
        None
    }

    /// The first argument that is not UTF-8: options that take text refuse it.
    pub fn first_not_utf8(&self) -> Option<Span> {
        self.args.iter().skip(1).find(|a| !a.utf8).map(|a| a.span)
    }
}

/// The argument as a shell would need it: bare when it is plain, else in single quotes.
fn quoted(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.,/:=@%+^".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", escaped(arg))
    }
}

/// The text of an argument inside single quotes, where a quote is written `'\''`.
fn escaped(arg: &str) -> String {
    arg.replace('\'', r"'\''")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(args: &[&str]) -> CommandLine {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        CommandLine::new(&args)
    }

    fn underlined(l: &CommandLine, span: Option<Span>) -> &str {
        span.and_then(|s| l.text().get(s.start..s.end))
            .unwrap_or("")
    }

    #[test]
    fn the_program_is_shown_as_comply_and_odd_arguments_are_quoted() {
        let l = line(&["/usr/bin/comply", "check", "my decl.yaml", "", "it's"]);
        assert_eq!(l.text(), r"comply check 'my decl.yaml' '' 'it'\''s'");
        assert_eq!(l.command(), Some("check"));
    }

    #[test]
    fn a_bad_value_is_found_after_its_option_not_inside_another_argument() {
        let l = line(&["comply", "check", "--fail-on", "sarif", "sarif.yaml"]);
        let span = l.culprit("sarif", Some("--fail-on <FAIL_ON>"));
        assert_eq!(span, Some(Span::new(23, 28)));
        assert_eq!(underlined(&l, span), "sarif");
    }

    #[test]
    fn a_bad_value_after_an_equals_sign_is_underlined_alone() {
        let l = line(&["comply", "check", "x.yaml", "--fail-on=x"]);
        let span = l.culprit("x", Some("--fail-on <FAIL_ON>"));
        assert_eq!(span, Some(Span::new(30, 31)));
    }

    #[test]
    fn the_same_value_twice_names_the_one_given_to_the_option() {
        let l = line(&["comply", "check", "x", "--fail-on", "x"]);
        let span = l.culprit("x", Some("--fail-on <FAIL_ON>"));
        assert_eq!(span, Some(Span::new(25, 26)));
        // A short option is not named in clap's context: the value after an option wins.
        let l = line(&["comply", "check", "x", "-j", "x"]);
        assert_eq!(l.culprit("x", Some("--jobs <N>")), Some(Span::new(16, 17)));
    }

    #[test]
    fn unknown_flags_are_found_whole_or_before_their_value() {
        let l = line(&["comply", "check", "--frmat", "json", "x.yaml"]);
        assert_eq!(underlined(&l, l.culprit("--frmat", None)), "--frmat");
        let l = line(&["comply", "check", "--frmat=json", "x.yaml"]);
        assert_eq!(underlined(&l, l.culprit("--frmat", None)), "--frmat");
    }

    #[test]
    fn a_value_holding_a_quote_is_underlined_whole() {
        let l = line(&["comply", "check", "--lang=é'é"]);
        assert_eq!(l.text(), r"comply check '--lang=é'\''é'");
        assert_eq!(
            underlined(&l, l.culprit("é'é", Some("--lang <LANG>"))),
            r"é'\''é"
        );
    }

    #[test]
    fn a_quoted_argument_is_underlined_inside_its_quotes() {
        let l = line(&["comply", "check", "--as-of", "next week"]);
        assert_eq!(
            underlined(&l, l.culprit("next week", Some("--as-of <YYYY-MM-DD>"))),
            "next week"
        );
    }

    #[test]
    fn a_value_given_to_one_option_is_not_taken_for_the_same_text_given_to_another() {
        let l = line(&[
            "comply", "diff", "a", "b", "--decl", "d.yaml", "-o", "d.yaml",
        ]);
        assert_eq!(l.given_to("-o", "d.yaml"), Some(Span::new(35, 41)));
        assert_eq!(l.given_to("--output", "d.yaml"), None);
    }

    #[test]
    fn nothing_is_underlined_for_a_value_not_on_the_line() {
        let l = line(&["comply", "check"]);
        assert_eq!(l.culprit("x.yaml", None), None);
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_shown_replaced_and_found() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![
            OsString::from("comply"),
            OsString::from("check"),
            OsString::from_vec(b"\xffx.yaml".to_vec()),
        ];
        let l = CommandLine::new(&args);
        assert_eq!(l.text(), "comply check '\u{fffd}x.yaml'");
        let span = l.first_not_utf8();
        assert_eq!(underlined(&l, span), "\u{fffd}x.yaml");
    }
}
