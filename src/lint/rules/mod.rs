//! The lints, one module each. Every module declares its lint with its documentation
//! (What / Why / Example / Fix) and a `check` function listed in [`super::codes`].

pub mod dependency_not_in_force;
pub mod duplicate_condition;
pub mod impossible_condition;
pub mod missing_citation;
pub mod missing_french;
pub mod missing_message;
pub mod unknown_allow;
pub mod untested_obligation;
pub mod unused_define;
