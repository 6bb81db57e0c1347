//! One side of a comparison: the compared packs, parsed, and loaded with the packs they
//! require.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{File, Item};
use crate::diagnostic::Diagnostics;
use crate::packs::{self, PackSource};
use crate::program::Program;
use crate::report::PackRef;
use crate::source::SourceFile;
use crate::syntax;

/// A pack as read: its files and their syntax trees.
#[derive(Clone, Debug)]
pub struct ParsedPack {
    /// The sources, as found.
    pub source: PackSource,
    /// Each file with its tree, in the order found.
    pub files: Vec<(SourceFile, File)>,
}

impl ParsedPack {
    /// The id its manifest gives, if it has one.
    pub fn id(&self) -> Option<&str> {
        self.manifests().next().map(|p| p.id.name.as_str())
    }

    /// The packs its manifest requires.
    pub fn requires(&self) -> impl Iterator<Item = &str> {
        self.manifests()
            .flat_map(|p| p.requires.iter().map(|r| r.name.as_str()))
    }

    fn manifests(&self) -> impl Iterator<Item = &crate::ast::Pack> {
        self.files.iter().flat_map(|(_, f)| {
            f.items.iter().filter_map(|i| match i {
                Item::Pack(p) => Some(p),
                _ => None,
            })
        })
    }
}

/// Parses packs, reporting every syntax error of every file.
pub fn parse(sources: Vec<PackSource>) -> Result<Vec<ParsedPack>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut out = Vec::new();
    for source in sources {
        let mut files = Vec::new();
        for file in &source.files {
            match syntax::parse(file) {
                Ok(tree) => files.push((file.clone(), tree)),
                Err(d) => diags.extend(d),
            }
        }
        out.push(ParsedPack { source, files });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// One version: the compared packs and the program they load into.
#[derive(Clone, Debug)]
pub struct Version {
    /// As given on the command line, for the report.
    pub label: String,
    /// The compared packs.
    pub packs: Vec<ParsedPack>,
    /// The compared packs with the packs they need, checked.
    pub program: Program,
}

impl Version {
    /// The ids of the compared packs.
    pub fn pack_ids(&self) -> BTreeSet<String> {
        ids(&self.packs)
    }

    /// The compared packs as named in a receipt: id, version and digest.
    pub fn pack_refs(&self) -> Vec<PackRef> {
        self.refs(true)
    }

    /// The packs loaded beside the compared ones (extra and library packs), as named in
    /// a receipt.
    pub fn context_refs(&self) -> Vec<PackRef> {
        self.refs(false)
    }

    fn refs(&self, compared: bool) -> Vec<PackRef> {
        let ids = self.pack_ids();
        self.program
            .packs
            .iter()
            .filter(|p| ids.contains(&p.id) == compared)
            .map(|p| PackRef {
                id: p.id.clone(),
                version: p.version.clone(),
                digest: p.digest.clone(),
            })
            .collect()
    }
}

fn ids(packs: &[ParsedPack]) -> BTreeSet<String> {
    ids_of(packs.iter())
}

fn ids_of<'a>(packs: impl Iterator<Item = &'a ParsedPack>) -> BTreeSet<String> {
    packs.filter_map(|p| p.id().map(str::to_string)).collect()
}

/// Two sides to compare, with what each is loaded with.
pub struct Sides {
    /// The old version's label and packs.
    pub old: (String, Vec<ParsedPack>),
    /// The new version's label and packs.
    pub new: (String, Vec<ParsedPack>),
    /// Packs given to both sides (`--rules`).
    pub extra: Vec<ParsedPack>,
    /// Packs to fill in with (the built-in packs, or none).
    pub library: Vec<ParsedPack>,
}

/// A library pack left out of both versions, because it does not load with one of them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// Its id (its folder when it has no manifest).
    pub pack: String,
    /// The versions it does not load with: `old`, `new` or both.
    pub versions: Vec<&'static str>,
}

/// Both versions, loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The old version.
    pub old: Version,
    /// The new version.
    pub new: Version,
    /// Library packs left out of both.
    pub left_out: Vec<LeftOut>,
}

/// Loads both versions, each with the extra packs and the library packs, as `comply
/// check` and `comply test` would, so that the impact figures are those organisations
/// would see.
///
/// A library pack with the id or the folder name of a compared pack (of either side) is
/// left out of both, so that comparing two versions of a built-in pack never loads the
/// built-in copy. A library pack that does not load with one version (it cites an
/// instrument the old version lacks, overrides an obligation the new one removed, ...) is
/// left out of both too, and named in [`Loaded::left_out`], unless a compared or extra pack
/// requires it. Any other problem, of either side, is reported, all together.
pub fn load(sides: Sides) -> Result<Loaded, Diagnostics> {
    let Sides {
        old,
        new,
        extra,
        library,
    } = sides;
    let compared = || old.1.iter().chain(&new.1);
    let ids = ids_of(compared());
    let folders: BTreeSet<String> = compared().map(|p| folder_name(&p.source.folder)).collect();
    let mut fill: Vec<&ParsedPack> = library
        .iter()
        .filter(|p| {
            !p.id().is_some_and(|id| ids.contains(id))
                && !folders.contains(&folder_name(&p.source.folder))
        })
        .collect();
    let required = required(compared().chain(&extra), &library);
    let one = |(label, packs): &(String, Vec<ParsedPack>),
               fill: &[&ParsedPack]|
     -> Result<Version, Diagnostics> {
        let sources = packs
            .iter()
            .chain(&extra)
            .chain(fill.iter().copied())
            .map(|p| p.source.clone())
            .collect();
        Ok(Version {
            label: label.clone(),
            packs: packs.clone(),
            program: packs::load(sources)?,
        })
    };
    let mut left_out = Vec::new();
    loop {
        let (a, b) = match (one(&old, &fill), one(&new, &fill)) {
            (Ok(a), Ok(b)) => {
                return Ok(Loaded {
                    old: a,
                    new: b,
                    left_out,
                })
            }
            (a, b) => (a.err(), b.err()),
        };
        // The library packs the problems are found in, and with which version.
        let mut culprits: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
        for (version, diags) in [("old", &a), ("new", &b)] {
            for d in diags.iter().flat_map(Diagnostics::iter) {
                let Some(file) = d.file() else { continue };
                let hit = fill.iter().position(|p| {
                    p.files.iter().any(|(f, _)| f.name() == file.name())
                        && !p.id().is_some_and(|id| required.contains(id))
                });
                if let Some(i) = hit {
                    let versions = culprits.entry(i).or_default();
                    if !versions.contains(&version) {
                        versions.push(version);
                    }
                }
            }
        }
        if culprits.is_empty() {
            let mut all = a.unwrap_or_default();
            all.extend(b.unwrap_or_default());
            return Err(all);
        }
        for (i, versions) in culprits.into_iter().rev() {
            if i < fill.len() {
                let p = fill.remove(i);
                left_out.push(LeftOut {
                    pack: p
                        .id()
                        .map_or_else(|| p.source.folder.clone(), str::to_string),
                    versions,
                });
            }
        }
        left_out.sort_by(|x, y| x.pack.cmp(&y.pack));
    }
}

/// The ids of the library packs the given packs require, directly or through others.
fn required<'a>(
    packs: impl Iterator<Item = &'a ParsedPack>,
    library: &[ParsedPack],
) -> BTreeSet<String> {
    let mut wanted: Vec<String> = packs
        .flat_map(|p| p.requires().map(str::to_string))
        .collect();
    let mut out = BTreeSet::new();
    while let Some(id) = wanted.pop() {
        if out.insert(id.clone()) {
            if let Some(p) = library.iter().find(|p| p.id() == Some(id.as_str())) {
                wanted.extend(p.requires().map(str::to_string));
            }
        }
    }
    out
}

/// The last component of a pack's folder: `data-protection` for `rules/data-protection`.
fn folder_name(folder: &str) -> String {
    std::path::Path::new(folder)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads the packs at a path and parses them.
pub fn read(path: &std::path::Path) -> Result<Vec<ParsedPack>, Diagnostics> {
    parse(packs::from_path(path).map_err(Diagnostics::from)?)
}
