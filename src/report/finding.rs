//! What the CI formats (SARIF, JUnit, GitHub, Markdown, OSCAL) say alike about a result:
//! which results are findings, how loud each is, its one-line message and its identity.

use sha2::{Digest, Sha256};

use super::{ResultRow, RowWaiver};
use crate::eval::status::Status;
use crate::program::{ObligationDef, Program};

/// How loud a finding is, as code-scanning tools and CI logs grade them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Informational.
    Note,
    /// Worth a look.
    Warning,
    /// Must be fixed.
    Error,
}

impl Level {
    /// `note`, `warning` or `error`, as SARIF spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// True for results reported as findings: violated, blocked or unknown, and waived ones
/// (which are shown as suppressed, never hidden).
pub fn is_finding(r: &ResultRow) -> bool {
    r.status.is_failing() || r.status == Status::Waived
}

/// The status a finding has without its waiver.
pub fn unwaived_status(r: &ResultRow) -> Status {
    match r.waiver.as_deref() {
        Some(RowWaiver {
            in_force: true,
            status,
            ..
        }) => *status,
        _ => r.status,
    }
}

/// The level follows severity: critical and high are errors, medium a warning, low and info
/// notes. An unknown result (facts missing) is at most a warning.
pub fn level(r: &ResultRow) -> Level {
    let by_severity = match r.about.severity {
        "critical" | "high" => Level::Error,
        "medium" => Level::Warning,
        _ => Level::Note,
    };
    if unwaived_status(r) == Status::Unknown {
        by_severity.min(Level::Warning)
    } else {
        by_severity
    }
}

/// `dp.dpia [item]`.
pub fn name(r: &ResultRow) -> String {
    match &r.item {
        Some(i) => format!("{} [{i}]", r.obligation),
        None => r.obligation.to_string(),
    }
}

/// The finding in one paragraph: status, reasons, missing facts, blockers, ending with a
/// period.
pub fn message(r: &ResultRow) -> String {
    let mut parts = vec![format!("{}: {}", r.about.title, unwaived_status(r))];
    parts.extend(r.reasons.iter().cloned());
    if !r.missing.is_empty() {
        parts.push(format!("missing: {}", r.missing.join(", ")));
    }
    let mut text = parts.join(". ");
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The address of the obligation's first cited instrument, when the pack gives one.
pub fn citation_url<'p>(program: &'p Program, ob: &ObligationDef) -> Option<&'p str> {
    ob.cites.iter().find_map(|c| {
        program
            .instruments
            .get(c.instrument)
            .and_then(|i| i.url.as_deref())
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    })
}

/// A stable identity of a finding (obligation, item, declaration path), independent of
/// where it is written, as lowercase hex.
pub fn fingerprint(obligation: &str, item: Option<&str>, decl_path: &str) -> String {
    let mut h = Sha256::new();
    h.update(obligation.as_bytes());
    h.update([0]);
    h.update(item.unwrap_or("").as_bytes());
    h.update([0]);
    h.update(crate::baseline::normalise_path(decl_path).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A file path as a URI reference: relative paths stay relative (with `/`), absolute ones
/// become `file://` URIs; reserved and non-ASCII bytes are percent-encoded.
pub fn path_uri(path: &str) -> String {
    let slashed = crate::baseline::normalise_path(path);
    let mut out = String::with_capacity(slashed.len());
    for b in slashed.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if slashed.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_reserved_characters() {
        assert_eq!(path_uri("./fixtures/a b.yaml"), "fixtures/a%20b.yaml");
        assert_eq!(path_uri("/tmp/x#.yaml"), "file:///tmp/x%23.yaml");
        assert_eq!(path_uri("é.yaml"), "%C3%A9.yaml");
    }

    #[test]
    fn fingerprints_ignore_path_spelling() {
        assert_eq!(
            fingerprint("a.b", Some("x"), "./d.yaml"),
            fingerprint("a.b", Some("x"), "d.yaml")
        );
        assert_ne!(
            fingerprint("a.b", Some("x"), "d.yaml"),
            fingerprint("a.b", None, "d.yaml")
        );
    }
}
