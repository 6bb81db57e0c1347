//! How large a declaration may be before it is refused.
//!
//! Declarations come from many hands, and some are generated. A file the machine cannot
//! hold in memory, or a list so long that typing and evaluating it takes hours, is refused
//! with `comply::limit` before the work starts, and the diagnostic names the option that
//! raises the limit for a file that really is that large.

use std::fmt::Write as _;

use crate::diagnostic::{Code, Diagnostic};

/// The limits a declaration is read under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read, in bytes.
    pub max_file_size: u64,
    /// The most items one list may hold.
    pub max_list_items: usize,
}

/// 256 MiB: room for a million items of about 250 bytes, the size of a real record of
/// processing or a system, so it agrees with [`DEFAULT_MAX_LIST_ITEMS`]. Reading,
/// parsing and typing take about 10 bytes of memory per byte of such a file (measured
/// in a release build: 0.3 GiB for 29 MiB of JSON) and up to 40 for a list of the
/// smallest items, so a run at the limit needs a few GiB, which a CI runner has. A larger
/// file is more likely a dump or a log passed by mistake than a declaration.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// A million: far beyond a register kept by hand. Checking a generated list this long
/// with one obligation per item already takes seconds and about 1.8 GiB of memory
/// (measured in a release build), and a YAML file cannot hold more values anyway (its
/// parser stops at a million).
pub const DEFAULT_MAX_LIST_ITEMS: usize = 1_000_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_list_items: DEFAULT_MAX_LIST_ITEMS,
        }
    }
}

/// A size for a message: a whole number of GiB, MiB or KiB when it is one, otherwise
/// the exact number of bytes, followed by an approximation for sizes of 1 KiB or more
/// (so that 8 MiB and one byte does not read as 8 MiB).
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    let exact = if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    };
    for (unit, size) in UNITS {
        if bytes >= size {
            let mut out = String::new();
            if bytes % size == 0 {
                let _ = write!(out, "{} {unit}", bytes / size);
            } else {
                let _ = write!(out, "{exact} ({:.1} {unit})", bytes as f64 / size as f64);
            }
            return out;
        }
    }
    exact
}

/// The error for a file over a size limit, with `raise` as its help line; `size` is
/// `None` when it is not known (a pipe, or a file that grew while being read).
pub fn too_large(name: &str, size: Option<u64>, limit: u64, raise: &str) -> Diagnostic {
    let limit = describe_size(limit);
    let message = match size {
        Some(size) => format!(
            "`{name}` is {}, more than the limit of {limit}",
            describe_size(size)
        ),
        None => format!("`{name}` holds more than the limit of {limit}"),
    };
    Diagnostic::error(Code::Limit, message).help(raise)
}

/// Reads a size written `1048576`, `512MiB`, `2 GiB` or `500KB`: binary units (`KiB`,
/// `MiB`, `GiB`) count in powers of 1024, decimal ones (`KB`, `MB`, `GB`) in powers of
/// 1000, and a bare number (or `B`) is bytes. Units are case-insensitive.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(
                "expected a number of bytes, optionally with a unit: B, KiB, MiB, GiB \
                 (powers of 1024) or KB, MB, GB (powers of 1000), e.g. 512MiB"
                    .to_string(),
            )
        }
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| "expected a whole number of bytes, e.g. 1048576 or 512MiB".to_string())?;
    let bytes = number
        .checked_mul(factor)
        .ok_or_else(|| "that size does not fit in 64 bits".to_string())?;
    if bytes == 0 {
        return Err("a limit of 0 would refuse every file; give at least 1 byte".to_string());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_binary_and_decimal_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("2 gib"), Ok(2 << 30));
        assert_eq!(parse_size("500KB"), Ok(500_000));
        assert_eq!(parse_size("3b"), Ok(3));
        assert!(parse_size("12M").is_err());
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5GiB").is_err());
        assert!(parse_size("99999999999GiB").is_err());
    }

    #[test]
    fn sizes_are_described_in_the_largest_whole_unit() {
        assert_eq!(describe_size(1), "1 byte");
        assert_eq!(describe_size(1023), "1023 bytes");
        assert_eq!(describe_size(1024), "1 KiB");
        assert_eq!(describe_size(1536), "1536 bytes (1.5 KiB)");
        assert_eq!(describe_size((8 << 20) + 1), "8388609 bytes (8.0 MiB)");
        assert_eq!(describe_size(DEFAULT_MAX_FILE_SIZE), "256 MiB");
        assert_eq!(describe_size(3 << 30), "3 GiB");
    }
}
