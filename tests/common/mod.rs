//! What several test files share: snapshots with the tool version and pack digests
//! redacted.

/// Redactions for snapshots: the tool version and the pack digests (which change with
/// every edit of a rule file, comments included; their form is tested separately).
fn filters() -> Vec<(String, String)> {
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    vec![
        (
            format!(r#""version": "{version}""#),
            r#""version": "[VERSION]""#.to_string(),
        ),
        (format!(r"\b{version}\b"), "[VERSION]".to_string()),
        (
            "sha256:[0-9a-f]{64}".to_string(),
            "sha256:[DIGEST]".to_string(),
        ),
    ]
}

/// Asserts a named snapshot under `tests/snapshots/`, redacted.
pub fn snapshot(name: &str, text: &str) {
    let filters = filters();
    let filters: Vec<(&str, &str)> = filters
        .iter()
        .map(|(re, by)| (re.as_str(), by.as_str()))
        .collect();
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        snapshot_path => "../snapshots",
        filters => filters,
    }, {
        insta::assert_snapshot!(name, text);
    });
}
