//! `comply check` end to end on an untrusted declaration: load it, evaluate it against the
//! built-in packs at a fixed date, and write every report format the CLI offers, plus the
//! remediation plan.

#![no_main]

use comply::report::{self, human, plan};
use comply::time::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = comply_fuzz::text(data) else {
        return;
    };
    let program = comply_fuzz::builtin();
    let Some(as_of) = Date::from_ymd(2026, 11, 23) else {
        return;
    };
    let decls = comply_fuzz::declarations(program, text);
    let reports: Vec<report::Report> = decls
        .iter()
        .map(|d| {
            let evaluation = comply::eval::evaluate(program, d, as_of, "en");
            report::build(program, d, &evaluation, "en")
        })
        .collect();
    let style = human::Style { colour: true };
    for r in &reports {
        let one = std::slice::from_ref(r);
        report::json::render(r);
        human::render(program, r, style);
        report::sarif::render(program, one, "en");
        report::junit::render(program, one);
        report::markdown::render(one);
        report::github::render(one);
        report::oscal::assessment_results(program, one);
        let p = plan::plan(program, r);
        plan::render_json(&p);
        plan::render_human(&p, "en");
        plan::render_markdown(&p, "en");
    }
    if !reports.is_empty() {
        report::json::render_batch(&reports, &as_of.to_string(), &report::pack_refs(program));
        human::render_table(&reports, style, "en");
    }
});
