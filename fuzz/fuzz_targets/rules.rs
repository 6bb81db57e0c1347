//! The rule parser, formatter, type checker and lints on one untrusted rule file: alone as
//! a pack, and as a pack beside the built-in ones, whose names it may extend or reuse. A
//! file that loads is also evaluated, and its texts reported: an empty declaration against
//! the file alone, a shipped fixture against it beside the built-in packs.

#![no_main]

use comply::lint::{self, Scope};
use comply::packs::{self, PackSource};
use comply::program::Program;
use comply::report::{self, human};
use comply::source::SourceFile;
use comply::time::Date;
use libfuzzer_sys::fuzz_target;

const COMPLIANT: &str = include_str!("../../fixtures/compliant.yaml");

fn evaluate(program: &Program, declaration: &str) {
    let Some(as_of) = Date::from_ymd(2026, 11, 23) else {
        return;
    };
    let file = SourceFile::new("decl.yaml", declaration);
    match comply::decl::load::load(&program.shape, file) {
        Ok(decl) => {
            let evaluation = comply::eval::evaluate(program, &decl, as_of, "en");
            let r = report::build(program, &decl, &evaluation, "en");
            report::json::render(&r);
            human::render(program, &r, human::Style { colour: false });
        }
        Err(d) => {
            comply_fuzz::render(&d);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = comply_fuzz::text(data) else {
        return;
    };
    let file = SourceFile::new("fuzz/fuzz.comply", text);
    let parsed = match comply::syntax::parse(&file) {
        Ok(parsed) => parsed,
        Err(d) => {
            // Loading would stop at the same errors.
            comply_fuzz::render(&d);
            return;
        }
    };
    if let Err(d) = comply::fmt::format(&file) {
        comply_fuzz::render(&d);
    }
    let alone = packs::load(vec![PackSource {
        folder: "fuzz".into(),
        files: vec![file.clone()],
    }]);
    let beside = comply_fuzz::load_beside_builtin(file, parsed);
    for (loaded, declaration) in [(alone, "{}\n"), (beside, COMPLIANT)] {
        match loaded {
            Ok(program) => {
                evaluate(&program, declaration);
                // The input is the last file loaded.
                let scope = Scope {
                    files: vec![program.files.len().saturating_sub(1)],
                    tested: None,
                };
                comply_fuzz::render(&lint::lint(&program, &scope));
            }
            Err(d) => {
                comply_fuzz::render(&d);
            }
        }
    }
});
