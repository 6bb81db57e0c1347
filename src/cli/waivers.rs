//! `--waivers FILE`, shared by `check`, `plan` and `explain`: one waiver logic for all.

use std::path::PathBuf;

use super::report_diagnostics;
use comply::diagnostic::Diagnostics;
use comply::packs;
use comply::program::Program;
use comply::time::Date;
use comply::waiver::{WaiverUse, Waivers};

/// Accepted exceptions.
#[derive(clap::Args, Debug, Clone)]
pub struct WaiverArgs {
    /// A YAML file of waivers (obligation `id`, optional `item`, `justification`,
    /// `approved_by`, `expires`): a failing result it covers is shown as waived.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
}

impl WaiverArgs {
    /// Reads the waiver file, if one is given; a malformed one is an input error.
    pub fn load(&self, program: &Program) -> Result<Waivers, Diagnostics> {
        match &self.waivers {
            None => Ok(Waivers::none()),
            Some(path) => {
                let file = packs::read(path).map_err(Diagnostics::from)?;
                Waivers::parse(file, program)
            }
        }
    }
}

/// Warns on stderr about waivers that expired, matched nothing or expire soon, over every
/// result of the run, given by the waivers they name ([`comply::eval::status::ItemResult::waiver`]).
pub fn warn(waivers: &Waivers, uses: impl IntoIterator<Item = WaiverUse>, as_of: Date) {
    if waivers.file().is_none() {
        return;
    }
    let review = waivers.review(uses, as_of);
    let warnings = waivers.warnings(&review, as_of);
    if !warnings.is_empty() {
        report_diagnostics(&warnings);
    }
}
