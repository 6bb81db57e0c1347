//! Declarations: what an organisation states about itself, in YAML or JSON.
pub mod json;
pub mod json_typed;
pub mod keys;
pub mod limits;
pub mod load;
pub mod node;
pub mod typed;
pub mod value;
pub mod yaml;
