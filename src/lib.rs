//! comply: obligations written as rules, checked against what an organisation declares.
//!
//! The data flows in one direction, and the modules follow it:
//!
//! 1. [`syntax`] parses rule files into the [`ast`];
//! 2. [`check`] resolves names and types into a [`program`], using the [`graph`] of
//!    obligations and predicates to reject cycles and fix an evaluation order;
//! 3. [`decl`] reads a declaration (YAML or JSON) into values typed by the packs' shape;
//! 4. [`eval`] gives every obligation a verdict with three-valued logic;
//! 5. [`report`] turns the verdicts into the JSON report or text for people.
//!
//! Around them, [`waiver`] applies accepted exceptions during evaluation, [`baseline`]
//! reads an earlier report so that only new failures fail a run, and [`schema`] writes the
//! declaration shape as JSON Schema.
//!
//! ```
//! use comply::{decl, eval, packs, source::SourceFile, time::Date};
//!
//! let rules = SourceFile::new("demo.comply", r#"
//!     pack demo { title "Demo" version "1" }
//!     record Organisation { employees: int }
//!     extend Declaration { organisation: Organisation }
//!     obligation demo.small {
//!       title "Stay small"
//!       require organisation.employees < 250 else "Too many employees"
//!     }
//! "#);
//! let program = packs::load(vec![packs::PackSource { folder: "demo".into(), files: vec![rules] }])
//!     .map_err(|d| d.len())
//!     .unwrap();
//! let file = SourceFile::new("org.yaml", "organisation: {}\n");
//! let declaration = decl::load::load(&program.shape, file).map_err(|d| d.len()).unwrap();
//! let today = Date::parse("2026-11-23").unwrap();
//! let evaluation = eval::evaluate(&program, &declaration, today, "en");
//! let result = &evaluation.results[0];
//! assert_eq!(result.status, eval::status::Status::Unknown);
//! assert_eq!(result.missing(), vec!["organisation.employees".to_string()]);
//! ```

#![warn(missing_docs)]

pub mod ast;
pub mod baseline;
pub mod check;
pub mod decl;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod graph;
pub mod lint;
pub mod packs;
pub mod phrase;
pub mod program;
pub mod report;
pub mod ruletest;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod time;
pub mod waiver;
