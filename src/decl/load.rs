//! Loads a declaration file: YAML or JSON by its extension, typed against the shape.

use std::path::Path;

use super::limits::{too_large, Limits};
use super::value::Declaration;
use super::{json, json_typed, typed, yaml};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::program::shape::Shape;
use crate::source::SourceFile;

/// True when the file is read as JSON rather than YAML.
pub fn is_json(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// The help line of a declaration over the size limit.
const RAISE_FILE_SIZE: &str =
    "to read a file this large, pass a larger limit, e.g. --max-file-size 1GiB";

/// Reads a declaration file, refusing one larger than the limits allow before reading it.
pub fn read(path: &Path, limits: &Limits) -> Result<SourceFile, Diagnostic> {
    crate::packs::read_at_most(path, limits.max_file_size, RAISE_FILE_SIZE)
}

/// Parses and types a declaration under the default [`Limits`].
pub fn load(shape: &Shape, file: SourceFile) -> Result<Declaration, Diagnostics> {
    load_with(shape, file, &Limits::default())
}

/// Parses and types a declaration under the given limits.
///
/// A JSON file is first read straight into typed values; when that reader meets anything
/// to report it gives up, and the file is parsed into the raw tree and typed from it, the
/// path that words the diagnostics.
///
/// [`read`] already refuses a file over the size limit; the text is measured again here
/// for sources that were not read from a file by it.
pub fn load_with(
    shape: &Shape,
    file: SourceFile,
    limits: &Limits,
) -> Result<Declaration, Diagnostics> {
    let size = file.text().len() as u64;
    if size > limits.max_file_size {
        return Err(Diagnostics::from(too_large(
            file.name(),
            Some(size),
            limits.max_file_size,
            RAISE_FILE_SIZE,
        )));
    }
    let json = is_json(file.name());
    if json {
        if let Some(root) = json_typed::read(shape, &file, limits) {
            return Ok(Declaration { file, root });
        }
    }
    let node = if json {
        json::parse_json(&file)
    } else {
        yaml::parse_yaml(&file)
    }
    .map_err(Diagnostics::from)?;
    let root = typed::read_with(shape, &file, &node, limits)?;
    Ok(Declaration { file, root })
}
