//! A vector that remembers which of its items changed since the journal last wrote them, so
//! that writing the journal after a call costs what the call changed, not the whole job (see
//! [`super::journal`]'s records). Reads go through the slice it derefs to; every mutable access
//! (`v[i] = …`, `get_mut`, `push`) marks the item, and a change of shape that moves items
//! (`retain` that drops some, `clear`, `iter_mut`) marks the whole vector.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::{Deref, Index, IndexMut};

/// A `Vec<T>` with the set of items changed since [`Tracked::take_changes`].
#[derive(Debug, Clone)]
pub struct Tracked<T> {
    items: Vec<T>,
    /// Indexes marked since the last take, each once (see `marked`).
    changed: Vec<u32>,
    /// One flag per item: already in `changed`.
    marked: Vec<bool>,
    /// The shape changed (items dropped or moved): the whole vector is written.
    all: bool,
}

/// What changed since the last take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// These indexes, ascending (new items included).
    Some(Vec<u32>),
    /// Everything: write the whole vector.
    All,
}

impl<T> Default for Tracked<T> {
    fn default() -> Self {
        Vec::new().into()
    }
}

impl<T> From<Vec<T>> for Tracked<T> {
    fn from(items: Vec<T>) -> Self {
        Tracked {
            marked: vec![false; items.len()],
            items,
            changed: Vec::new(),
            all: false,
        }
    }
}

impl<T: PartialEq> PartialEq for Tracked<T> {
    /// Equal when the items are: what changed since the journal wrote is bookkeeping.
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<T> Deref for Tracked<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> Index<usize> for Tracked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.items[i]
    }
}

impl<T> IndexMut<usize> for Tracked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        self.mark(i);
        &mut self.items[i]
    }
}

impl<T> Tracked<T> {
    fn mark(&mut self, i: usize) {
        if self.all {
            return;
        }
        if let Some(m) = self.marked.get_mut(i) {
            if !*m {
                *m = true;
                self.changed.push(i as u32);
            }
        }
    }

    fn mark_all(&mut self) {
        self.all = true;
        self.changed = Vec::new();
        self.marked.iter_mut().for_each(|m| *m = false);
    }

    /// The item at `i`, marked as changed.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i < self.items.len() {
            self.mark(i);
        }
        self.items.get_mut(i)
    }

    /// Every item, all marked as changed.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.mark_all();
        self.items.iter_mut()
    }

    /// Appends an item, marked as changed.
    pub fn push(&mut self, item: T) {
        self.items.push(item);
        self.marked.push(false);
        self.mark(self.items.len() - 1);
    }

    /// Keeps the items `keep` says; dropping any moves the rest, so the whole vector is marked.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        let before = self.items.len();
        self.items.retain(keep);
        if self.items.len() != before {
            self.marked.truncate(self.items.len());
            self.mark_all();
        }
    }

    /// Drops every item (the whole vector is marked).
    pub fn clear(&mut self) {
        self.items.clear();
        self.marked.clear();
        self.mark_all();
    }

    /// What changed since the last take, and forgets it.
    pub fn take_changes(&mut self) -> Changes {
        if std::mem::take(&mut self.all) {
            return Changes::All;
        }
        let mut changed = std::mem::take(&mut self.changed);
        for &i in &changed {
            if let Some(m) = self.marked.get_mut(i as usize) {
                *m = false;
            }
        }
        changed.sort_unstable();
        Changes::Some(changed)
    }

    /// Forgets what changed (the journal wrote everything).
    pub fn forget_changes(&mut self) {
        let _ = self.take_changes();
    }

    /// Whether anything changed since the last take.
    pub fn is_changed(&self) -> bool {
        self.all || !self.changed.is_empty()
    }

    /// Whether the whole vector is marked.
    pub fn all_changed(&self) -> bool {
        self.all
    }

    /// Puts `item` at `i` (replacing, or appending when `i` is the length) without marking it:
    /// replaying a journal record. `None` when `i` is past the end.
    pub(super) fn replay(&mut self, i: usize, item: T) -> Option<()> {
        match i.cmp(&self.items.len()) {
            std::cmp::Ordering::Less => {
                self.items[i] = item;
            }
            std::cmp::Ordering::Equal => {
                self.items.push(item);
                self.marked.push(false);
            }
            std::cmp::Ordering::Greater => return None,
        }
        Some(())
    }

    /// The item at `i`, not marked (replaying a journal record).
    pub(super) fn replay_mut(&mut self, i: usize) -> Option<&mut T> {
        self.items.get_mut(i)
    }

    /// Cuts the vector to `len` items without marking (replaying a journal record).
    pub(super) fn replay_truncate(&mut self, len: usize) {
        self.items.truncate(len);
        self.marked.truncate(len);
    }
}

impl<'a, T> IntoIterator for &'a Tracked<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Tracked<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: Serialize> Serialize for Tracked<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tracked<T> {
    /// Each item through the journal's one reader of it (shared with the records').
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<super::journal::Once<T>>::deserialize(d)?;
        Ok(Tracked::from(
            items.into_iter().map(|item| item.0).collect::<Vec<T>>(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_what_is_changed_once_each_in_order() {
        let mut v: Tracked<u8> = vec![0, 1, 2, 3].into();
        v[2] = 9;
        v[0] = 7;
        v[2] = 8;
        let _ = v.get_mut(9);
        assert_eq!(v.take_changes(), Changes::Some(vec![0, 2]));
        assert_eq!(v.take_changes(), Changes::Some(vec![]));
        v.push(4);
        assert_eq!(v.take_changes(), Changes::Some(vec![4]));
    }

    #[test]
    fn a_change_of_shape_marks_everything_and_a_retain_that_drops_nothing_does_not() {
        let mut v: Tracked<u8> = vec![0, 1, 2].into();
        v.retain(|_| true);
        assert!(!v.is_changed());
        v.retain(|&x| x != 1);
        assert_eq!(v.take_changes(), Changes::All);
        assert_eq!(&*v, &[0, 2]);
        v.push(5);
        v[0] = 1;
        assert_eq!(v.take_changes(), Changes::Some(vec![0, 2]));
        for x in &mut v {
            *x += 1;
        }
        assert_eq!(v.take_changes(), Changes::All);
    }

    #[test]
    fn replaying_neither_marks_nor_accepts_a_gap() {
        let mut v: Tracked<u8> = vec![0].into();
        assert_eq!(v.replay(0, 5), Some(()));
        assert_eq!(v.replay(1, 6), Some(()));
        assert_eq!(v.replay(3, 7), None);
        assert!(!v.is_changed());
        assert_eq!(&*v, &[5, 6]);
        v[1] = 2;
        assert_eq!(v.take_changes(), Changes::Some(vec![1]));
    }
}
