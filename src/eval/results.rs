//! The results of one evaluation, kept by obligation.

use std::iter::Flatten;
use std::slice;

use super::status::ItemResult;

/// Every result of one evaluation: by obligation index, then item in declaration order.
///
/// They are kept in one group per obligation, as the evaluator makes them and as
/// obligations read one another's: a declaration of 100,000 items has over a million
/// results, and a flat copy would briefly double them, as would the grouped copy that
/// locating findings and tracing need to evaluate clauses again.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// One group per obligation of the program; `None` for those not evaluated (left
    /// out of its order), an empty group for one whose list has no item.
    groups: Vec<Option<Vec<ItemResult>>>,
    /// Results in all groups.
    len: usize,
}

impl Results {
    /// The results of an evaluation, one group per obligation index.
    pub(crate) fn new(groups: Vec<Option<Vec<ItemResult>>>) -> Results {
        let len = groups.iter().flatten().map(Vec::len).sum();
        Results { groups, len }
    }

    /// How many results there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The results in order: by obligation index, then item.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.groups.iter().flatten().flatten(),
            left: self.len,
        }
    }

    /// The result at a position of [`Results::iter`].
    pub fn get(&self, mut index: usize) -> Option<&ItemResult> {
        for group in self.groups.iter().flatten() {
            match group.get(index) {
                Some(r) => return Some(r),
                None => index -= group.len(),
            }
        }
        None
    }

    /// The results of one obligation, by item; `None` when it was not evaluated.
    pub fn of(&self, obligation: usize) -> Option<&[ItemResult]> {
        self.groups.get(obligation)?.as_deref()
    }

    /// Every group, by obligation index, as expressions read them.
    pub(crate) fn by_obligation(&self) -> &[Option<Vec<ItemResult>>] {
        &self.groups
    }

    /// The groups of the obligations evaluated, in order, given away one by one: a
    /// consumer that is done with a group frees it before taking the next.
    pub fn into_groups(self) -> impl Iterator<Item = Vec<ItemResult>> {
        self.groups.into_iter().flatten()
    }
}

impl std::ops::Index<usize> for Results {
    type Output = ItemResult;

    #[expect(
        clippy::panic,
        reason = "indexing past the end panics, as it does on a slice"
    )]
    fn index(&self, index: usize) -> &ItemResult {
        match self.get(index) {
            Some(r) => r,
            None => panic!(
                "index out of bounds: the len is {} but the index is {index}",
                self.len
            ),
        }
    }
}

impl<'a> IntoIterator for &'a Results {
    type Item = &'a ItemResult;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The results of one evaluation in order, see [`Results::iter`].
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    inner: Flatten<Flatten<slice::Iter<'a, Option<Vec<ItemResult>>>>>,
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a ItemResult;

    fn next(&mut self) -> Option<&'a ItemResult> {
        let next = self.inner.next()?;
        self.left = self.left.saturating_sub(1);
        Some(next)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(obligation: usize, n: usize) -> Option<Vec<ItemResult>> {
        Some((0..n).map(|_| ItemResult::new(obligation, None)).collect())
    }

    #[test]
    fn results_read_in_order_across_groups() {
        let results = Results::new(vec![group(0, 2), None, group(2, 0), group(3, 3)]);
        assert_eq!(results.len(), 5);
        let order: Vec<usize> = results.iter().map(|r| r.obligation).collect();
        assert_eq!(order, vec![0, 0, 3, 3, 3]);
        assert_eq!(results.iter().len(), 5);
        for (i, r) in results.iter().enumerate() {
            assert!(std::ptr::eq(r, &results[i]), "position {i}");
        }
        assert!(results.get(5).is_none());
        assert_eq!(results.of(1).map(<[ItemResult]>::len), None);
        assert_eq!(results.of(2).map(<[ItemResult]>::len), Some(0));
        assert_eq!(results.of(3).map(<[ItemResult]>::len), Some(3));
        let sizes: Vec<usize> = results.into_groups().map(|g| g.len()).collect();
        assert_eq!(sizes, vec![2, 0, 3]);
    }
}
