//! Resolves and type-checks the loaded packs into a [`Program`].
//!
//! Every problem is collected, so a rule author sees all of them in one run: duplicate
//! ids, unknown names with suggestions, type mismatches, cycles.

mod depth;
mod expr;
mod obligation;
mod shape;

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::ast::{self, Item};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::graph::DepGraph;
use crate::program::{DefineDef, InstrumentDef, PackDef, Program};
use crate::source::{SourceFile, Span};
use expr::{DefineSig, ExprChecker, Globals};

pub use depth::{MAX_CALL_DEPTH, MAX_NESTED_LEVELS};
pub use expr::assignable;

/// The parsed files of every pack to load; files of one pack share a `pack` index.
#[derive(Default)]
pub struct Input {
    files: Vec<SourceFile>,
    asts: Vec<ast::File>,
    pack_of: Vec<usize>,
    packs: usize,
}

impl Input {
    /// Starts a new pack; files added next belong to it.
    pub fn begin_pack(&mut self) {
        self.packs += 1;
    }

    /// Adds a parsed file to the current pack.
    pub fn add(&mut self, source: SourceFile, file: ast::File) {
        self.files.push(source);
        self.asts.push(file);
        self.pack_of.push(self.packs.saturating_sub(1));
    }

    /// A file by index; an empty one for an index out of range.
    pub fn file(&self, index: usize) -> &SourceFile {
        static EMPTY: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
        self.files
            .get(index)
            .unwrap_or_else(|| EMPTY.get_or_init(|| SourceFile::new("<none>", "")))
    }

    /// Every item with the index of its file.
    pub fn items(&self) -> impl Iterator<Item = (usize, &Item)> {
        self.asts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.items.iter().map(move |item| (i, item)))
    }
}

/// Checks the input and orders its obligations.
pub fn check(inputs: Input) -> Result<Program, Diagnostics> {
    let mut diags = Diagnostics::new();
    let (packs, pack_of_file) = packs(&inputs, &mut diags);
    let instruments = instruments(&inputs, &pack_of_file, &mut diags);
    let table = shape::build(&inputs, &pack_of_file, &mut diags);

    let graph = DepGraph::build(&inputs);
    let cycles = graph.cycles(&inputs);
    diags.extend(cycles);

    // Defines, each checked after the ones it calls.
    let mut define_items: HashMap<String, (usize, &ast::Define)> = HashMap::new();
    for (file, item) in inputs.items() {
        if let Item::Define(d) = item {
            if let Some((first_file, first)) = define_items.get(&d.name.name) {
                let mut diag = Diagnostic::error(
                    Code::Duplicate,
                    format!("`{}` is defined twice", d.name.name),
                )
                .in_file(inputs.file(file))
                .label(d.name.span, "defined again here");
                if *first_file == file {
                    diag = diag.label(first.name.span, "first defined here");
                }
                diags.push(diag.help(format!(
                    "first defined in {}; rename one of them",
                    inputs.file(*first_file).name()
                )));
                continue;
            }
            define_items.insert(d.name.name.clone(), (file, d));
        }
    }
    let order: Vec<String> = graph
        .define_order()
        .into_iter()
        .filter(|n| define_items.contains_key(n))
        .collect();
    let obligation_ids = obligation_ids(&inputs, &mut diags);
    // Every define is known before any body is checked, so that predicates caught in a
    // cycle (already reported) do not also look undefined; their result type is settled
    // as each body is checked, callees first.
    let mut sigs: HashMap<String, DefineSig> = HashMap::new();
    for (index, name) in order.iter().enumerate() {
        let Some((file, d)) = define_items.get(name) else {
            continue;
        };
        let params: Option<Vec<crate::program::shape::Type>> = d.params.as_ref().map(|ps| {
            ps.iter()
                .map(|p| table.resolve(&p.ty, *file, &inputs, &mut diags))
                .collect()
        });
        let result = d
            .result
            .as_ref()
            .map_or(crate::program::shape::Type::Error, |t| {
                table.resolve(t, *file, &inputs, &mut Diagnostics::new())
            });
        sigs.insert(
            name.clone(),
            DefineSig {
                index,
                params,
                result,
            },
        );
    }
    let mut defines: Vec<DefineDef> = Vec::new();
    let mut depths = depth::Depths::new(order.len());
    for name in &order {
        let (Some((file, d)), Some(sig)) = (define_items.get(name), sigs.get(name).cloned()) else {
            continue;
        };
        let globals = Globals {
            shape: &table.shape,
            defines: &sigs,
            obligations: &obligation_ids,
        };
        let mut checker = ExprChecker::new(&globals, inputs.file(*file), &mut diags);
        for (p, ty) in d.params.iter().flatten().zip(sig.params.iter().flatten()) {
            checker.bind(&p.name.name, ty.clone());
        }
        let declared = d.result.as_ref().map(|_| sig.result.clone());
        let body = checker.check(&d.body, declared.as_ref());
        if let Some(want) = &declared {
            if !assignable(want, &body.ty) {
                let (w, f) = (
                    table.shape.type_name(want).to_string(),
                    table.shape.type_name(&body.ty).to_string(),
                );
                checker.diags.push(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        format!("`{}` is declared `{w}` but its body is `{f}`", d.name.name),
                    )
                    .in_file(inputs.file(*file))
                    .label(d.body.span, format!("this is `{f}`"))
                    .help(format!(
                        "make the body a `{w}`, or change the declared type"
                    )),
                );
            }
        }
        let body = match declared {
            Some(want) if want != crate::program::shape::Type::Error => {
                crate::program::expr::CExpr { ty: want, ..body }
            }
            _ => body,
        };
        let locals = checker.slots;
        let name_of = |i: usize| order.get(i).map_or("?", String::as_str);
        if let Some(d) = depths.measure(sig.index, &body, inputs.file(*file), name_of) {
            diags.push(d);
        }
        if let Some(entry) = sigs.get_mut(name) {
            entry.result = body.ty.clone();
        }
        defines.push(DefineDef {
            name: name.clone(),
            params: sig.params.map(|p| p.len()),
            locals,
            body,
            file: *file,
            span: d.span,
        });
    }

    let globals = Globals {
        shape: &table.shape,
        defines: &sigs,
        obligations: &obligation_ids,
    };
    let obligations = obligation::check_all(
        &inputs,
        &globals,
        &packs,
        &pack_of_file,
        &instruments,
        &mut diags,
    );

    if diags.has_errors() {
        return Err(diags);
    }
    let by_id: BTreeMap<String, usize> = obligations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), i))
        .collect();
    let mut overridden_by = vec![Vec::new(); obligations.len()];
    for (i, o) in obligations.iter().enumerate() {
        if let Some(slot) = o.overrides.and_then(|t| overridden_by.get_mut(t)) {
            slot.push(i);
        }
    }
    let order = graph
        .obligation_order()
        .unwrap_or_default()
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect();
    Ok(Program {
        files: inputs.files,
        packs,
        instruments,
        shape: table.shape,
        defines,
        obligations,
        by_id,
        overridden_by,
        order,
        graph,
        max_steps: crate::eval::budget::DEFAULT_MAX_STEPS,
    })
}

/// Obligation ids, reporting duplicates; the index is the position in id order.
fn obligation_ids(inputs: &Input, diags: &mut Diagnostics) -> HashMap<String, usize> {
    let mut first: BTreeMap<String, (usize, Span)> = BTreeMap::new();
    for (file, item) in inputs.items() {
        if let Item::Obligation(o) = item {
            if let Some((f, s)) = first.get(&o.id.name) {
                let mut d = Diagnostic::error(
                    Code::Duplicate,
                    format!("obligation `{}` is declared twice", o.id.name),
                )
                .in_file(inputs.file(file))
                .label(o.id.span, "declared again here");
                if *f == file {
                    d = d.label(*s, "first declared here");
                }
                diags.push(d.help(format!(
                    "obligation ids are unique across all loaded packs; the first is in {}",
                    inputs.file(*f).name()
                )));
                continue;
            }
            first.insert(o.id.name.clone(), (file, o.id.span));
        }
    }
    first
        .into_keys()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect()
}

/// Reads each pack's manifest; returns the packs sorted by id, and each file's pack id.
fn packs(inputs: &Input, diags: &mut Diagnostics) -> (Vec<PackDef>, Vec<String>) {
    let mut manifests: Vec<Option<(usize, &ast::Pack)>> = vec![None; inputs.packs];
    for (file, item) in inputs.items() {
        let Item::Pack(p) = item else { continue };
        let Some(slot) = inputs.pack_of.get(file).and_then(|&i| manifests.get_mut(i)) else {
            continue;
        };
        match slot {
            Some((f, first)) => {
                let mut d = Diagnostic::error(Code::Duplicate, "a pack has two manifests")
                    .in_file(inputs.file(file))
                    .label(p.span, "second manifest");
                if *f == file {
                    d = d.label(first.span, "first manifest");
                }
                diags.push(d.help(format!(
                    "the files of one folder form one pack; its manifest is in {}",
                    inputs.file(*f).name()
                )));
            }
            None => *slot = Some((file, p)),
        }
    }
    let mut pack_of_file = vec![String::new(); inputs.files.len()];
    let mut defs: Vec<PackDef> = Vec::new();
    let mut seen: HashMap<String, (usize, Span)> = HashMap::new();
    for (index, manifest) in manifests.iter().enumerate() {
        let files: Vec<usize> = (0..inputs.files.len())
            .filter(|f| inputs.pack_of.get(*f) == Some(&index))
            .collect();
        let Some((file, p)) = manifest else {
            if let Some(&f) = files.first() {
                diags.push(
                    Diagnostic::error(Code::Misplaced, "these rules belong to no pack")
                        .in_file(inputs.file(f))
                        .label(Span::new(0, 0), "no `pack` manifest in this folder")
                        .help("add a manifest such as `pack dp { title \"...\" version \"1\" }` to one file of the folder"),
                );
            }
            continue;
        };
        if let Some((f, s)) = seen.get(&p.id.name) {
            let mut d = Diagnostic::error(
                Code::Duplicate,
                format!("pack `{}` is loaded twice", p.id.name),
            )
            .in_file(inputs.file(*file))
            .label(p.id.span, "loaded again here");
            if f == file {
                d = d.label(*s, "first loaded here");
            }
            diags.push(d.help(format!(
                "the first is in {}; give a pack of your own another id, or pass --no-default-rules to replace the built-in one",
                inputs.file(*f).name()
            )));
            continue;
        }
        seen.insert(p.id.name.clone(), (*file, p.id.span));
        for f in &files {
            if let Some(slot) = pack_of_file.get_mut(*f) {
                slot.clone_from(&p.id.name);
            }
        }
        let mut hasher = Sha256::new();
        let mut sorted = files.clone();
        sorted.sort_by(|a, b| inputs.file(*a).name().cmp(inputs.file(*b).name()));
        for f in &sorted {
            let source = inputs.file(*f);
            let base = source.name().rsplit(['/', '\\']).next().unwrap_or("");
            hasher.update(base.as_bytes());
            hasher.update([0]);
            hasher.update(source.text().as_bytes());
            hasher.update([0]);
        }
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        defs.push(PackDef {
            id: p.id.name.clone(),
            title: p
                .title
                .as_ref()
                .map(|t| obligation::fixed_text(diags, inputs.file(*file), t, "a title"))
                .unwrap_or_default(),
            version: p.version.as_ref().map(|v| v.0.clone()).unwrap_or_default(),
            in_force: p.in_force,
            pending: p.pending.as_ref().map(|v| v.0.clone()),
            digest: format!("sha256:{digest}"),
            files,
        });
    }
    for (file, item) in inputs.items() {
        let Item::Pack(p) = item else { continue };
        for r in &p.requires {
            if !seen.contains_key(&r.name) {
                let names: Vec<&str> = seen.keys().map(String::as_str).collect();
                diags.push(
                    Diagnostic::error(
                        Code::UnknownPack,
                        format!(
                            "pack `{}` requires pack `{}`, which is not loaded",
                            p.id.name, r.name
                        ),
                    )
                    .in_file(inputs.file(file))
                    .label(r.span, "not loaded")
                    .help(format!(
                        "load it with --rules, or keep the built-in packs; {}",
                        did_you_mean(&r.name, names)
                    )),
                );
            }
        }
    }
    let order: Vec<usize> = {
        let mut idx: Vec<usize> = (0..defs.len()).collect();
        idx.sort_by(|a, b| {
            defs.get(*a)
                .map(|p| &p.id)
                .cmp(&defs.get(*b).map(|p| &p.id))
        });
        idx
    };
    let sorted = order.iter().filter_map(|i| defs.get(*i).cloned()).collect();
    (sorted, pack_of_file)
}

fn instruments(
    inputs: &Input,
    pack_of_file: &[String],
    diags: &mut Diagnostics,
) -> Vec<InstrumentDef> {
    let mut out: Vec<InstrumentDef> = Vec::new();
    let mut seen: HashMap<String, (usize, Span)> = HashMap::new();
    for (file, item) in inputs.items() {
        let Item::Instrument(i) = item else { continue };
        if let Some((f, s)) = seen.get(&i.id.name) {
            let mut d = Diagnostic::error(
                Code::Duplicate,
                format!("instrument `{}` is declared twice", i.id.name),
            )
            .in_file(inputs.file(file))
            .label(i.id.span, "declared again here");
            if *f == file {
                d = d.label(*s, "first declared here");
            }
            diags.push(d.help(format!(
                "instruments are shared by all packs; cite the one declared in {}",
                inputs.file(*f).name()
            )));
            continue;
        }
        seen.insert(i.id.name.clone(), (file, i.id.span));
        out.push(InstrumentDef {
            id: i.id.name.clone(),
            title: i.title.clone(),
            short: i.short.clone().unwrap_or_else(|| i.id.name.to_uppercase()),
            url: i.url.clone(),
            version: i.version.clone(),
            status: i.status.as_ref().map(|s| s.name.clone()),
            pack: pack_of_file.get(file).cloned().unwrap_or_default(),
        });
    }
    out
}
