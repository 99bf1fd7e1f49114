//! `lists diff OLD NEW`: which entries were added, removed or changed between two snapshots of
//! a list, keyed by (source list, id).

use crate::model::{Entry, List};
use serde::Serialize;
use std::collections::HashMap;

/// One entry in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffItem {
    pub id: String,
    pub list: String,
    pub name: String,
}

/// The difference between two snapshots.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListDiff {
    pub added: Vec<DiffItem>,
    pub removed: Vec<DiffItem>,
    /// Same id, different name/aliases/addresses/programs/dates.
    pub changed: Vec<DiffItem>,
}

fn item(e: &Entry) -> DiffItem {
    DiffItem {
        id: e.id.clone(),
        list: e.list.clone(),
        name: e.name.clone(),
    }
}

fn same(a: &Entry, b: &Entry) -> bool {
    a.name == b.name
        && a.aliases == b.aliases
        && a.addresses == b.addresses
        && a.programs == b.programs
        && a.start_date == b.start_date
        && a.end_date == b.end_date
        && a.countries == b.countries
}

/// Compare two snapshots.
pub fn diff(old: &List, new: &List) -> ListDiff {
    let o: HashMap<(&str, &str), &Entry> = old
        .entries
        .iter()
        .map(|e| ((e.list.as_str(), e.id.as_str()), e))
        .collect();
    let n: HashMap<(&str, &str), &Entry> = new
        .entries
        .iter()
        .map(|e| ((e.list.as_str(), e.id.as_str()), e))
        .collect();
    let mut d = ListDiff::default();
    for e in &new.entries {
        match o.get(&(e.list.as_str(), e.id.as_str())) {
            None => d.added.push(item(e)),
            Some(old_e) if !same(old_e, e) => d.changed.push(item(e)),
            _ => {}
        }
    }
    for e in &old.entries {
        if !n.contains_key(&(e.list.as_str(), e.id.as_str())) {
            d.removed.push(item(e));
        }
    }
    d
}
