//! The impact of a new version: both versions evaluated over the same declarations, and
//! per obligation the organisations whose status changes, with the transition matrix.
//!
//! An organisation's status for an obligation is the most serious of its results
//! (violated, then blocked, unknown, waived, satisfied, not applicable); an obligation
//! with no result at all (it ranges over an empty list) counts as not applicable, and an
//! obligation missing from a version as `absent`. Moving between `absent` and
//! `not_applicable` is not a change for the organisation: it has no duty either way.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Serialize, Serializer};

use crate::decl::limits::Limits;
use crate::decl::load::{self, is_json};
use crate::decl::value::Declaration;
use crate::decl::{json, typed, yaml};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::eval::{self, status::Status};
use crate::program::Program;
use crate::source::SourceFile;
use crate::time::Date;

use super::prune::{covered, prune};
use super::version::Version;

/// Where an organisation stands with an obligation in one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// The version has no such obligation.
    Absent,
    /// The organisation's status.
    Is(Status),
}

impl Standing {
    /// `absent` or the status's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Absent => "absent",
            Standing::Is(s) => s.as_str(),
        }
    }

    /// Applies, as far as known: not absent and not `not_applicable`.
    pub fn in_scope(self) -> bool {
        !matches!(self, Standing::Absent | Standing::Is(Status::NotApplicable))
    }
}

impl Serialize for Standing {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How many organisations moved from one standing to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// Standing under the old version.
    pub from: Standing,
    /// Standing under the new version.
    pub to: Standing,
    /// Number of organisations.
    pub count: usize,
}

/// The impact on one obligation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObligationImpact {
    /// Obligation id.
    pub obligation: String,
    /// Organisations whose standing differs; `absent` and `not_applicable` count as the
    /// same (no duty either way), so an added obligation that applies to no one changes
    /// nothing.
    pub changed: usize,
    /// Now violated, and not before.
    pub newly_violated: usize,
    /// Violated before, not now.
    pub no_longer_violated: usize,
    /// Now applies (or may apply), and did not before.
    pub newly_in_scope: usize,
    /// Applied before, not now.
    pub out_of_scope: usize,
    /// Now unknown (facts to declare), and not before.
    pub newly_unknown: usize,
    /// The transition matrix, cells with no organisation left out, unchanged cells kept.
    pub transitions: Vec<Transition>,
}

/// A field one version does not declare, left out when evaluating that version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ignored {
    /// `old` or `new`: the version that does not declare it.
    pub version: &'static str,
    /// Its path, items written `[*]`.
    pub path: String,
    /// In how many declarations.
    pub declarations: usize,
}

/// The impact of the new version on a set of organisations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The evaluation date.
    pub as_of: String,
    /// Number of declarations (organisations).
    pub organisations: usize,
    /// The obligations of the compared packs, and any other whose results change; by id.
    pub obligations: Vec<ObligationImpact>,
    /// Fields a version does not declare, left out when evaluating it.
    pub ignored: Vec<Ignored>,
}

/// Evaluates both versions over the declarations at `as_of`. Every declaration is read
/// against both versions first: one unusable declaration, no figures.
pub fn impact(
    old: &Version,
    new: &Version,
    decls: &[SourceFile],
    as_of: Date,
    limits: &Limits,
) -> Result<Impact, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut pairs = Vec::new();
    // Keyed by version (old first) and path.
    let mut ignored: BTreeMap<(u8, String), usize> = BTreeMap::new();
    for file in decls {
        match read(old, new, file, limits) {
            Ok((a, b, dropped)) => {
                pairs.push((a, b));
                for key in dropped {
                    *ignored.entry(key).or_default() += 1;
                }
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut cells: BTreeMap<String, BTreeMap<(Standing, Standing), usize>> = BTreeMap::new();
    for (a, b) in &pairs {
        let sa = standings(&old.program, a, as_of);
        let sb = standings(&new.program, b, as_of);
        let ids: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
        for id in ids {
            let from = sa.get(id).copied().unwrap_or(Standing::Absent);
            let to = sb.get(id).copied().unwrap_or(Standing::Absent);
            *cells
                .entry(id.clone())
                .or_default()
                .entry((from, to))
                .or_default() += 1;
        }
    }
    let mut compared = old.pack_ids();
    compared.extend(new.pack_ids());
    let in_compared = |id: &str| {
        [&old.program, &new.program].iter().any(|p| {
            p.obligation(id)
                .and_then(|o| p.pack_of(o))
                .is_some_and(|pack| compared.contains(&pack.id))
        })
    };
    let obligations = cells
        .into_iter()
        .map(|(id, cells)| summarise(id, &cells))
        .filter(|o| o.changed > 0 || in_compared(&o.obligation))
        .collect();
    Ok(Impact {
        as_of: as_of.to_string(),
        organisations: pairs.len(),
        obligations,
        ignored: ignored
            .into_iter()
            .map(|((version, path), declarations)| Ignored {
                version: if version == 0 { "old" } else { "new" },
                path,
                declarations,
            })
            .collect(),
    })
}

type Read = (Declaration, Declaration, BTreeSet<(u8, String)>);

/// Reads one declaration against both versions, leaving out on each side the fields only
/// the other declares.
fn read(
    old: &Version,
    new: &Version,
    file: &SourceFile,
    limits: &Limits,
) -> Result<Read, Diagnostics> {
    let node = if is_json(file.name()) {
        json::parse_json(file)
    } else {
        yaml::parse_yaml(file)
    }
    .map_err(Diagnostics::from)?;
    let a = prune(&old.program.shape, &node);
    let b = prune(&new.program.shape, &node);
    let unknown_to_both = a.dropped.iter().any(|p| covered(p, &b.dropped))
        || b.dropped.iter().any(|p| covered(p, &a.dropped));
    if unknown_to_both {
        // Neither version declares it: the strict reading says what is wrong.
        return Err(
            match load::load_with(&new.program.shape, file.clone(), limits) {
                Err(d) => d,
                Ok(_) => Diagnostics::from(
                    Diagnostic::error(Code::Internal, "a field was found unknown, then known")
                        .in_file(file)
                        .help("this is a bug in comply; please report it with the declaration"),
                ),
            },
        );
    }
    let da = typed::read_with(&old.program.shape, file, &a.node, limits);
    let db = typed::read_with(&new.program.shape, file, &b.node, limits);
    let (ra, rb) = match (da, db) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(mut x), Err(y)) => {
            // The same problem seen by both versions is reported once.
            let seen: BTreeSet<String> = x.iter().map(|d| d.to_string()).collect();
            for d in y {
                if !seen.contains(&d.to_string()) {
                    x.push(d);
                }
            }
            return Err(x);
        }
        (Err(x), Ok(_)) | (Ok(_), Err(x)) => return Err(x),
    };
    let dropped = a
        .dropped
        .into_iter()
        .map(|p| (0, p))
        .chain(b.dropped.into_iter().map(|p| (1, p)))
        .collect();
    Ok((
        Declaration {
            file: file.clone(),
            root: ra,
        },
        Declaration {
            file: file.clone(),
            root: rb,
        },
        dropped,
    ))
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Violated => 5,
        Status::Blocked => 4,
        Status::Unknown => 3,
        Status::Waived => 2,
        Status::Satisfied => 1,
        Status::NotApplicable => 0,
    }
}

/// Each obligation's standing for one organisation.
fn standings(program: &Program, decl: &Declaration, as_of: Date) -> BTreeMap<String, Standing> {
    let evaluation = eval::evaluate(program, decl, as_of, "en");
    let mut out: BTreeMap<String, Standing> = program
        .obligations
        .iter()
        .map(|o| (o.id.clone(), Standing::Is(Status::NotApplicable)))
        .collect();
    for r in &evaluation.results {
        let Some(ob) = program.obligations.get(r.obligation) else {
            continue;
        };
        let slot = out
            .entry(ob.id.clone())
            .or_insert(Standing::Is(Status::NotApplicable));
        if let Standing::Is(s) = *slot {
            if rank(r.status) > rank(s) {
                *slot = Standing::Is(r.status);
            }
        }
    }
    out
}

fn summarise(
    obligation: String,
    cells: &BTreeMap<(Standing, Standing), usize>,
) -> ObligationImpact {
    let count = |f: &dyn Fn(Standing, Standing) -> bool| -> usize {
        cells
            .iter()
            .filter(|((a, b), _)| f(*a, *b))
            .map(|(_, n)| n)
            .sum()
    };
    let violated = Standing::Is(Status::Violated);
    let unknown = Standing::Is(Status::Unknown);
    ObligationImpact {
        changed: count(&|a, b| a != b && (a.in_scope() || b.in_scope())),
        newly_violated: count(&|a, b| a != violated && b == violated),
        no_longer_violated: count(&|a, b| a == violated && b != violated),
        newly_in_scope: count(&|a, b| !a.in_scope() && b.in_scope()),
        out_of_scope: count(&|a, b| a.in_scope() && !b.in_scope()),
        newly_unknown: count(&|a, b| a != unknown && b == unknown),
        transitions: cells
            .iter()
            .map(|(&(from, to), &count)| Transition { from, to, count })
            .collect(),
        obligation,
    }
}
