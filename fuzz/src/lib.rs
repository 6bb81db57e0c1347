//! What the fuzz targets share: the built-in program, loaded once per process, and the
//! diagnostic rendering the CLI does, so that a bad span is found here rather than by a
//! user reading an error.

use std::sync::OnceLock;

use comply::ast;
use comply::check::{self, Input};
use comply::decl::limits::Limits;
use comply::decl::value::Declaration;
use comply::decl::{json, json_typed, typed};
use comply::diagnostic::Diagnostics;
use comply::packs;
use comply::program::Program;
use comply::source::SourceFile;

/// The built-in packs, checked. Loading them takes far longer than one fuzz input, so it
/// is done once.
pub fn builtin() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| match packs::load(packs::builtin()) {
        Ok(program) => program,
        Err(d) => panic!("the built-in packs do not load: {} diagnostics", d.len()),
    })
}

/// The built-in packs, parsed: parsing them is most of the cost of loading them, and a
/// fuzz input beside them only needs them checked again.
fn builtin_parsed() -> &'static [Vec<(SourceFile, ast::File)>] {
    static PARSED: OnceLock<Vec<Vec<(SourceFile, ast::File)>>> = OnceLock::new();
    PARSED.get_or_init(|| {
        packs::builtin()
            .into_iter()
            .map(|pack| {
                pack.files
                    .into_iter()
                    .map(|file| match comply::syntax::parse(&file) {
                        Ok(parsed) => (file, parsed),
                        Err(_) => panic!("built-in rule file {} does not parse", file.name()),
                    })
                    .collect()
            })
            .collect()
    })
}

/// Checks one parsed rule file as a pack of its own after the built-in packs, as
/// [`packs::load`] would with the file given by `--rules`.
pub fn load_beside_builtin(file: SourceFile, parsed: ast::File) -> Result<Program, Diagnostics> {
    let mut input = Input::default();
    for pack in builtin_parsed() {
        input.begin_pack();
        for (source, ast) in pack {
            input.add(source.clone(), ast.clone());
        }
    }
    input.begin_pack();
    input.add(file, parsed);
    check::check(input)
}

/// Renders diagnostics as `comply` prints them on stderr.
pub fn render(diags: &Diagnostics) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for d in diags.iter() {
        let _ = handler.render_report(&mut out, d);
    }
    out
}

/// The input as text; the CLI refuses other bytes before any parser sees them.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Loads the input as a declaration, under a `.yaml` name and under a `.json` one: the
/// file name picks the parser. Refusals are rendered; loaded declarations are returned.
///
/// JSON that the typed reader accepts must read as the general path reads it; a
/// difference is a finding.
pub fn declarations(program: &Program, text: &str) -> Vec<Declaration> {
    let json = SourceFile::new("fuzz.json", text);
    if let Some(fast) = json_typed::read(&program.shape, &json, &Limits::default()) {
        let general = json::parse_json(&json)
            .ok()
            .and_then(|node| typed::read(&program.shape, &json, &node).ok());
        assert!(
            general.as_ref() == Some(&fast),
            "the typed JSON reader accepted what the general path reads otherwise"
        );
    }
    let mut out = Vec::new();
    for name in ["fuzz.yaml", "fuzz.json"] {
        match comply::decl::load::load(&program.shape, SourceFile::new(name, text)) {
            Ok(d) => out.push(d),
            Err(d) => {
                render(&d);
            }
        }
    }
    out
}
