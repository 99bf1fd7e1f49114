//! The data model shared by parsers, the index and the screener: a list entry, a loaded list
//! with its snapshot date, and a set of lists.

use crate::error::LineError;
use crate::kind::ListKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One listed party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The list's own identifier (CSL `_id` / `list_internal_id` / `entity_number`, OFAC `ent_num`).
    pub id: String,
    /// The source list name exactly as the file gives it.
    pub list: String,
    /// What kind of list this entry is on (decides the export effect).
    pub kind: ListKind,
    /// Primary name.
    pub name: String,
    /// Other names (cleaned of CSL joining artefacts).
    pub aliases: Vec<String>,
    pub addresses: Vec<String>,
    /// Country names or ISO codes as given by the list.
    pub countries: Vec<String>,
    /// Listing date, when the list gives it.
    pub start_date: Option<NaiveDate>,
    pub programs: Vec<String>,
    /// Federal Register citation, when given.
    pub federal_register: Option<String>,
    /// Footnotes / remarks / licence requirements, when given.
    pub footnotes: Vec<String>,
    /// "Individual", "Entity", "Vessel", ... when given.
    pub entity_type: Option<String>,
    /// The day the listing stopped counting (a removal's effective date), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The name stands for a group listed through its subsidiaries ("Moore Threads"): it also
    /// matches company names that contain it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub group: bool,
    /// Where a dated listing comes from (Entity List events), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// Where a dated listing comes from: the Federal Register rule, the dates, and how sure the
/// data behind it is. Shown with every hit on the entry and kept in audit records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Federal Register document number (`2023-23048`).
    pub fr_doc: String,
    /// Federal Register citation (`88 FR 71991`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr_citation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<NaiveDate>,
    /// Which date starts the listing: `effective date`, or `publication date (effective date
    /// not seen)`.
    pub date_basis: String,
    /// How sure the source data is (`high`, `medium`, `low`).
    pub confidence: String,
    /// `FN4` where the entry carries footnote 4 (foreign direct product rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footnote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_requirement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_policy: Option<String>,
    /// Where the row's facts were read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Later revisions and removals of the entry, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

impl Entry {
    /// A new entry with only id, list and name set.
    pub fn new(id: impl Into<String>, list: impl Into<String>, name: impl Into<String>) -> Entry {
        let list = list.into();
        Entry {
            id: id.into(),
            kind: ListKind::from_source(&list),
            list,
            name: name.into(),
            aliases: Vec::new(),
            addresses: Vec::new(),
            countries: Vec::new(),
            start_date: None,
            programs: Vec::new(),
            federal_register: None,
            footnotes: Vec::new(),
            entity_type: None,
            end_date: None,
            group: false,
            provenance: None,
        }
    }

    /// Primary name followed by the aliases.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The names screened for this entry: every name, and for a name that ends in a
    /// parenthesised acronym ("National University of Defense Technology (NUDT)") also the
    /// name without it and the acronym alone — the list gives both names in one.
    pub fn match_names(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.all_names().flat_map(|n| {
            let mut v = vec![std::borrow::Cow::Borrowed(n)];
            if let Some((base, acr)) = split_acronym(n) {
                v.push(std::borrow::Cow::Owned(base.to_string()));
                v.push(std::borrow::Cow::Owned(acr.to_string()));
            }
            v
        })
    }

    /// Whether the list calls this entry an individual.
    pub fn is_individual(&self) -> bool {
        self.entity_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("individual"))
    }

    /// Whether the entry was listed on `date`: from its start date (unknown start dates count
    /// as listed) until its end date, half-open `[start, end)`.
    pub fn listed_on(&self, date: NaiveDate) -> bool {
        self.start_date.is_none_or(|d| d <= date) && self.end_date.is_none_or(|d| date < d)
    }
}

impl Provenance {
    /// One line for reports: the rule, the date the listing counts from, the confidence, and
    /// what footnote 4 adds.
    pub fn describe(&self) -> String {
        let mut s = format!("FR Doc. {}", self.fr_doc);
        if let Some(c) = &self.fr_citation {
            s.push_str(&format!(" ({c})"));
        }
        match (self.effective_date, self.publication_date) {
            (Some(e), _) => s.push_str(&format!(", effective {e}")),
            (None, Some(p)) => s.push_str(&format!(
                ", published {p} (effective date not seen: counted from publication)"
            )),
            (None, None) => {}
        }
        s.push_str(&format!(", confidence {}", self.confidence));
        if self.footnote.as_deref() == Some("FN4") {
            s.push_str("; footnote 4: foreign-made items produced from US technology or software are subject to the EAR (15 CFR 734.9(e))");
        }
        for c in &self.changes {
            s.push_str(&format!("; {c}"));
        }
        s
    }
}

/// How the snapshots dated an entry's listing ([`List::end_entries_missing_from`], and the
/// SDN entries named by their aliases): its remarks that begin with [`WINDOW_NOTE`].
pub fn window_notes(e: &Entry) -> Vec<String> {
    e.footnotes
        .iter()
        .filter(|f| f.starts_with(WINDOW_NOTE))
        .cloned()
        .collect()
}

/// The first words of a remark that dates a listing from the snapshots.
pub const WINDOW_NOTE: &str = "dated from the snapshots: ";

/// `Name (ACR)` → (`Name`, `ACR`) when the parenthesis holds an acronym: 2–12 capitals,
/// digits or hyphens, with at least two capitals, at the end of a name of two words or more.
fn split_acronym(n: &str) -> Option<(&str, &str)> {
    let t = n.trim_end();
    let inner = t.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let acr = inner.get(open + 1..)?.trim();
    let base = inner.get(..open)?.trim_end_matches([' ', ',']);
    let ok = (2..=12).contains(&acr.len())
        && acr
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && acr.chars().filter(char::is_ascii_uppercase).count() >= 2
        && base.split_whitespace().count() >= 2;
    ok.then_some((base, acr))
}

/// The output of a parser: the records it could read plus one error per malformed line.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub errors: Vec<LineError>,
}

/// A loaded list (one file or file set) with its snapshot date.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct List {
    /// Short name of the loaded list, e.g. `csl_2022-05-05`.
    pub name: String,
    /// Date the snapshot was taken (answers after it warn).
    pub snapshot_date: Option<NaiveDate>,
    pub entries: Vec<Entry>,
    /// Malformed records found while parsing.
    #[serde(skip)]
    pub errors: Vec<LineError>,
}

/// Name and snapshot date of a list, as reported in every answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInfo {
    pub name: String,
    pub snapshot_date: Option<NaiveDate>,
}

impl List {
    /// Build from parser output.
    pub fn new(name: impl Into<String>, snapshot_date: Option<NaiveDate>, parsed: Parsed) -> List {
        List {
            name: name.into(),
            snapshot_date,
            entries: parsed.entries,
            errors: parsed.errors,
        }
    }

    /// Ends the entries of this list that a later snapshot of their source no longer holds:
    /// an entry whose source list `sources` accepts and whose id is not in `present` (the ids
    /// of that snapshot, `later`, taken on `on`) was taken off between this list's snapshot and
    /// `on`. Not knowing the day, it counts as listed until `on` (an answer for an earlier
    /// date still finds it), and its remarks say so. Entries already ended keep their date.
    /// Returns how many entries were ended.
    pub fn end_entries_missing_from(
        &mut self,
        sources: impl Fn(&str) -> bool,
        present: &std::collections::HashSet<String>,
        later: &str,
        on: NaiveDate,
    ) -> usize {
        let since = self
            .snapshot_date
            .map_or_else(|| format!("the {} snapshot", self.name), |d| d.to_string());
        let mut ended = 0;
        for e in &mut self.entries {
            if e.end_date.is_some() || !sources(&e.list) || present.contains(&e.id) {
                continue;
            }
            e.end_date = Some(on);
            e.footnotes.push(format!(
                "{WINDOW_NOTE}not in {later}: taken off the list between {since} and {on}; counted as listed until {on}"
            ));
            ended += 1;
        }
        ended
    }

    pub fn info(&self) -> ListInfo {
        ListInfo {
            name: self.name.clone(),
            snapshot_date: self.snapshot_date,
        }
    }
}

/// Several lists screened together.
#[derive(Debug, Clone, Default)]
pub struct ListSet {
    pub lists: Vec<List>,
}

impl ListSet {
    pub fn new(lists: Vec<List>) -> ListSet {
        ListSet { lists }
    }

    pub fn push(&mut self, list: List) {
        self.lists.push(list);
    }

    /// One list named `name` whose entries are these names (ids `t-0`, `t-1`, ...): for tests
    /// and examples.
    pub fn of_names(name: &str, names: &[&str]) -> ListSet {
        let entries = names
            .iter()
            .enumerate()
            .map(|(i, n)| Entry::new(format!("t-{i}"), "test list", (*n).to_string()))
            .collect();
        ListSet::new(vec![List::new(
            name,
            None,
            Parsed {
                entries,
                errors: Vec::new(),
            },
        )])
    }

    pub fn infos(&self) -> Vec<ListInfo> {
        self.lists.iter().map(List::info).collect()
    }

    /// Number of entries over all lists.
    pub fn entry_count(&self) -> usize {
        self.lists.iter().map(|l| l.entries.len()).sum()
    }
}
