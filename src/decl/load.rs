//! Loads a declaration file: YAML or JSON by its extension, typed against the shape.

use super::value::Declaration;
use super::{json, typed, yaml};
use crate::diagnostic::Diagnostics;
use crate::program::shape::Shape;
use crate::source::SourceFile;

/// True when the file is read as JSON rather than YAML.
pub fn is_json(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// Parses and types a declaration.
pub fn load(shape: &Shape, file: SourceFile) -> Result<Declaration, Diagnostics> {
    let node = if is_json(file.name()) {
        json::parse_json(&file)
    } else {
        yaml::parse_yaml(&file)
    }
    .map_err(Diagnostics::from)?;
    let root = typed::read(shape, &file, &node)?;
    Ok(Declaration { file, root })
}
