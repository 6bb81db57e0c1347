//! The checked program of the built-in packs, stored in the repository, so that a command
//! run on the built-in packs alone decodes it instead of parsing and checking them.
//!
//! Parsing, checking and ordering the built-in packs takes tens of milliseconds, most of
//! it in the parser, at every run of `comply check`; decoding the program they check into
//! takes about two. `cargo xtask snapshot` writes it to [`FILE`], and the build embeds it
//! beside the rule files.
//!
//! A snapshot is used only when it was made from exactly the rule files embedded in this
//! binary, by this version of comply and of the snapshot layout: its key is a digest of
//! all three. Any other snapshot, stale, damaged or missing, is passed over and the packs
//! are parsed and checked as before, which is slower and gives the same program. What the
//! key cannot see, a change to the parser or the checker that changes the program they
//! make, `tests/snapshot.rs` does: it fails whenever a fresh snapshot differs from the
//! committed one, by a byte.
//!
//! The file is [`MAGIC`], the key (32 bytes), the SHA-256 digest of the body (32 bytes),
//! then the body: the [`Program`] in postcard. The body leaves out the texts of the rule
//! files, which the binary embeds already; the program's files are rebuilt from those, in
//! the order the packs load them.

use sha2::{Digest, Sha256};

use super::embedded::BUILTIN;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::program::Program;
use crate::source::SourceFile;

/// Where the snapshot is kept, from the repository root.
pub const FILE: &str = "rules/builtin.snapshot";

/// The first bytes of a snapshot.
pub const MAGIC: &[u8; 16] = b"comply snapshot\n";

/// The version of the snapshot layout. Raise it whenever a type stored in the program
/// changes, so that a binary never decodes a snapshot of other types into its own.
pub const FORMAT: u32 = 1;

/// The length of a SHA-256 digest.
const DIGEST: usize = 32;

/// Why a snapshot is passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejected {
    /// The bytes do not start like a snapshot (there is none, or it is another file).
    NotASnapshot,
    /// It was made from other rule files, by another version of comply or of the layout.
    Stale,
    /// Its body does not match its digest, or does not decode into a program.
    Damaged,
}

/// The built-in program from the snapshot the build embedded, when that was made from the
/// embedded rule files.
pub fn load() -> Result<Program, Rejected> {
    decode(super::embedded::SNAPSHOT)
}

/// Decodes a snapshot of the embedded rule files.
fn decode(bytes: &[u8]) -> Result<Program, Rejected> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or(Rejected::NotASnapshot)?;
    let (key, rest) = rest.split_at_checked(DIGEST).ok_or(Rejected::Damaged)?;
    if key != key_of(BUILTIN).as_slice() {
        return Err(Rejected::Stale);
    }
    let (checksum, body) = rest.split_at_checked(DIGEST).ok_or(Rejected::Damaged)?;
    if checksum != Sha256::digest(body).as_slice() {
        return Err(Rejected::Damaged);
    }
    let (mut program, rest): (Program, _) =
        postcard::take_from_bytes(body).map_err(|_| Rejected::Damaged)?;
    if !rest.is_empty() {
        return Err(Rejected::Damaged);
    }
    program.files = BUILTIN
        .iter()
        .map(|(_, path, text)| SourceFile::new(*path, *text))
        .collect();
    Ok(program)
}

/// Parses and checks the embedded rule files, and encodes the program they check into.
///
/// The same rule files and the same comply give the same bytes: the committed snapshot is
/// compared byte for byte with a fresh one to tell whether it is stale.
pub fn generate() -> Result<Vec<u8>, Diagnostics> {
    let program = super::load(super::builtin())?;
    encode(&program).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::Internal,
                format!("the built-in program cannot be stored: {e}"),
            )
            .help("this is a bug in comply; please report it"),
        )
    })
}

/// A snapshot of a program checked from the embedded rule files.
fn encode(program: &Program) -> Result<Vec<u8>, postcard::Error> {
    let body = postcard::to_stdvec(program)?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + 2 * DIGEST + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key_of(BUILTIN));
    bytes.extend_from_slice(&Sha256::digest(&body));
    bytes.extend_from_slice(&body);
    Ok(bytes)
}

/// The digest of what a snapshot depends on: the layout, comply's version, and every
/// rule file with its pack and name, in the order they load. Each text is preceded by its
/// length, so that no two different lists of files run together into the same bytes.
fn key_of(files: &[(&str, &str, &str)]) -> [u8; DIGEST] {
    let mut hasher = Sha256::new();
    let mut text = |s: &str| {
        hasher.update((s.len() as u64).to_le_bytes());
        hasher.update(s.as_bytes());
    };
    text(&FORMAT.to_string());
    text(env!("CARGO_PKG_VERSION"));
    for (folder, path, source) in files {
        text(folder);
        text(path);
        text(source);
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Vec<u8> {
        generate().map_err(|d| d.len()).unwrap()
    }

    /// The bytes of a fresh snapshot with its body replaced, under a matching digest.
    fn with_body(bytes: &[u8], body: &[u8]) -> Vec<u8> {
        let mut out = bytes[..MAGIC.len() + DIGEST].to_vec();
        out.extend_from_slice(&Sha256::digest(body));
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_decoded_snapshot_encodes_to_the_same_bytes_and_has_the_embedded_files() {
        let bytes = fresh();
        let program = decode(&bytes).unwrap();
        assert_eq!(encode(&program).unwrap(), bytes);
        let names: Vec<(&str, &str)> = program.files.iter().map(|f| (f.name(), f.text())).collect();
        let embedded: Vec<(&str, &str)> = BUILTIN.iter().map(|(_, p, t)| (*p, *t)).collect();
        assert_eq!(names, embedded);
    }

    #[test]
    fn other_bytes_are_not_a_snapshot() {
        assert_eq!(decode(&[]).err(), Some(Rejected::NotASnapshot));
        assert_eq!(decode(b"pack dp { }").err(), Some(Rejected::NotASnapshot));
    }

    #[test]
    fn a_snapshot_of_other_rules_or_another_layout_is_stale() {
        let mut bytes = fresh();
        bytes[MAGIC.len()] ^= 1;
        assert_eq!(decode(&bytes).err(), Some(Rejected::Stale));
    }

    #[test]
    fn a_damaged_snapshot_is_refused() {
        let bytes = fresh();
        assert_eq!(
            decode(&bytes[..MAGIC.len() + 10]).err(),
            Some(Rejected::Damaged)
        );
        assert_eq!(
            decode(&bytes[..MAGIC.len() + DIGEST + 10]).err(),
            Some(Rejected::Damaged)
        );
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(decode(&flipped).err(), Some(Rejected::Damaged));
        let body = &bytes[MAGIC.len() + 2 * DIGEST..];
        let cut = with_body(&bytes, &body[..body.len() / 2]);
        assert_eq!(decode(&cut).err(), Some(Rejected::Damaged));
        let longer = with_body(&bytes, &[body, &[0]].concat());
        assert_eq!(decode(&longer).err(), Some(Rejected::Damaged));
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(
            decode(&with_body(&bytes, &noise)).err(),
            Some(Rejected::Damaged)
        );
    }
}
