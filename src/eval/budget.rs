//! How much work deciding one result may take.
//!
//! Rule files are written by others and downloaded. A quantifier nested in another over
//! the same list costs the product of their lengths, so a few levels of it over a list of
//! a hundred thousand items would run for years, and no limit on the size of a rule file
//! or of a declaration can see it coming. Deciding one result (one obligation for one
//! item) may therefore evaluate at most so many expressions. Past that its evaluation
//! stops, the result says so, and `comply check` refuses the run with `comply::limit`.

use std::cell::Cell;

/// Expressions one result may evaluate unless `--max-steps` says otherwise.
///
/// An organisation-level obligation over a list at the longest a declaration may hold (a
/// million items) with a condition of a hundred expressions per item stays within it;
/// in a release build it is some seconds of work for one result.
pub const DEFAULT_MAX_STEPS: u64 = 100_000_000;

/// The default for programs decoded or built without a setting of their own.
pub fn default_max_steps() -> u64 {
    DEFAULT_MAX_STEPS
}

/// The expressions left to one result's evaluation.
#[derive(Debug)]
pub struct Budget {
    left: Cell<u64>,
    exhausted: Cell<bool>,
}

impl Budget {
    /// A budget of `steps` expressions.
    pub fn new(steps: u64) -> Self {
        Budget {
            left: Cell::new(steps),
            exhausted: Cell::new(false),
        }
    }

    /// Takes one step; false once none is left, and from then on.
    pub fn step(&self) -> bool {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                true
            }
            None => {
                self.exhausted.set(true);
                false
            }
        }
    }

    /// True once a step was asked for with none left: the evaluation was cut short.
    pub fn spent(&self) -> bool {
        self.exhausted.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_gives_exactly_its_steps() {
        let b = Budget::new(3);
        assert!(b.step() && b.step() && b.step());
        assert!(!b.spent(), "the last step was taken, none was refused");
        assert!(!b.step());
        assert!(b.spent());
        assert!(!b.step());
        let none = Budget::new(0);
        assert!(!none.step() && none.spent());
    }
}
