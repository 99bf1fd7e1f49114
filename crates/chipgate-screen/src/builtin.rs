//! The built-in default lists, embedded compressed in the library: the 2022-05-05 Consolidated
//! Screening List (flattened), the 2024-05-03 OFAC SDN list (with the 2025-12 alias and address
//! files), the 2025-12 OFAC non-SDN list and
//! the dated Entity List events of 2022-12 → 2025-11 (partial), each with its snapshot date.

use crate::error::ScreenError;
use crate::model::{Entry, List, ListSet};
use crate::parse::{flat_csl, ofac};
use chrono::NaiveDate;
use flate2::read::GzDecoder;
use std::io::Read;

const CSL_2022: &[u8] = include_bytes!("../../../data/lists/csl_flattened_2022-05-05.csv.gz");
const SDN_2024: &[u8] = include_bytes!("../../../data/lists/sdn_2024-05-03.csv.gz");
const SDN_ALT: &[u8] = include_bytes!("../../../data/lists/sdn_2025-12_alt.csv.gz");
const SDN_ADD: &[u8] = include_bytes!("../../../data/lists/sdn_2025-12_add.csv.gz");
const CONS_PRIM: &[u8] = include_bytes!("../../../data/lists/non_sdn_2025-12_cons_prim.csv.gz");
const CONS_ALT: &[u8] = include_bytes!("../../../data/lists/non_sdn_2025-12_cons_alt.csv.gz");
const CONS_ADD: &[u8] = include_bytes!("../../../data/lists/non_sdn_2025-12_cons_add.csv.gz");
const EL_EVENTS: &[u8] =
    include_bytes!("../../../data/lists/entity_list_events_2022-12_2025-11.csv");

/// Names of the built-in lists.
pub const BUILTIN_CSL: &str = "csl_2022-05-05";
pub const BUILTIN_SDN: &str = "ofac_sdn_2024-05-03";
pub const BUILTIN_NON_SDN: &str = "ofac_non_sdn_2025-12";
pub const BUILTIN_EL_EVENTS: &str = "entity_list_events_2022-12_2025-11";

/// SDN entries added after the 2024 primary file, named by their aliases (or, without any,
/// unnamed): a party an older Treasury list holds under the same `ent_num` (a sectoral entry
/// moved to the SDN list, as Rosneft was in 2025) takes that record's primary name, aliases,
/// type and (when it has none) countries; the caller drops those left unnamed. Each is
/// counted from 2024-05-04, the first day it can have been listed, and its remarks say so.
fn name_from_older_records(later: &mut [Entry], older: &List) {
    let by_id: std::collections::HashMap<&str, &Entry> = older
        .entries
        .iter()
        .filter(|e| e.list.ends_with("Treasury Department"))
        .map(|e| (e.id.as_str(), e))
        .collect();
    for e in later {
        let mut from = "its aliases in OFAC's December 2025 alias file";
        if let Some(old) = by_id.get(e.id.as_str()) {
            let mut names: Vec<String> = old.aliases.clone();
            names.push(std::mem::replace(&mut e.name, old.name.clone()));
            names.append(&mut e.aliases);
            names.retain(|n| !n.is_empty());
            crate::parse::util::add_aliases(e, names);
            e.entity_type.clone_from(&old.entity_type);
            if e.countries.is_empty() {
                e.countries.clone_from(&old.countries);
            }
            from = "the 2022 consolidated list's record of the same ent_num, and its aliases";
        }
        e.start_date = date(2024, 5, 4);
        e.footnotes.push(format!(
            "{}in OFAC's December 2025 SDN files but not in the SDN list of 2024-05-03: listed between 2024-05-04 and December 2025 (day unknown; counted from 2024-05-04); named by {from}",
            crate::model::WINDOW_NOTE
        ));
    }
}

/// Whether a consolidated list's source is one of the Treasury lists OFAC publishes in its
/// non-SDN consolidated list (SSI, CAPTA, NS-MBS, CMIC, PLC, FSE, ...): every Treasury list
/// but the SDN list.
fn is_non_sdn_treasury_list(source: &str) -> bool {
    source.ends_with("Treasury Department") && source != ofac::SDN_LIST
}

pub(crate) fn gunzip(name: &str, bytes: &[u8]) -> Result<Vec<u8>, ScreenError> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| ScreenError::io(name, e))?;
    Ok(out)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl ListSet {
    /// The built-in default lists (decompressed and parsed; about 0.5 s).
    pub fn builtin() -> Result<ListSet, ScreenError> {
        let mut set = ListSet::default();
        let mut csl = builtin_csl()?;
        let sdn = gunzip("sdn_2024-05-03.csv", SDN_2024)?;
        // Aliases and addresses (with countries) come from the 2025-12 alias / address files,
        // joined on `ent_num`; rows of entries added after 2024-05-03 find no primary record
        // and are kept as line errors of the list, not applied.
        let (alt, add) = (
            gunzip("sdn_2025-12_alt.csv", SDN_ALT)?,
            gunzip("sdn_2025-12_add.csv", SDN_ADD)?,
        );
        let parsed = ofac::parse_set(
            ofac::SDN_LIST,
            ("sdn_2024-05-03.csv", &sdn),
            Some(("sdn_2025-12_alt.csv", &alt)),
            Some(("sdn_2025-12_add.csv", &add)),
        )?;
        let mut sdn_list = List::new(BUILTIN_SDN, date(2024, 5, 3), parsed);
        let (p, a, d) = (
            gunzip("cons_prim.csv", CONS_PRIM)?,
            gunzip("cons_alt.csv", CONS_ALT)?,
            gunzip("cons_add.csv", CONS_ADD)?,
        );
        let parsed = ofac::parse_set(
            ofac::NON_SDN_LIST,
            ("cons_prim.csv", &p),
            Some(("cons_alt.csv", &a)),
            Some(("cons_add.csv", &d)),
        )?;
        // The source gives only the month; the first of the month is the conservative snapshot date.
        let non_sdn = List::new(BUILTIN_NON_SDN, date(2025, 12, 1), parsed);
        // Later OFAC snapshots end the entries they no longer hold (delisted: Syria's
        // programme ended in 2025, for one): the 2022 CSL's SDN entries by the 2024 SDN list,
        // its other Treasury lists' entries by the December 2025 non-SDN list, and both lists'
        // SDN entries by the December 2025 address file. A December snapshot of unknown day
        // ends them on 2026-01-01, the latest day it can mean.
        let ids = |l: &List| -> std::collections::HashSet<String> {
            l.entries.iter().map(|e| e.id.clone()).collect()
        };
        let listed_2025 = ofac::ent_nums("sdn_2025-12_add.csv", &add)?;
        // Parties listed after 2024-05-03 that the December 2025 alias file names.
        let mut later = ofac::entries_named_by_aliases(
            ofac::SDN_LIST,
            ("sdn_2025-12_alt.csv", &alt),
            ("sdn_2025-12_add.csv", &add),
            &ids(&sdn_list),
        )?;
        // Later parties without an alias are known only when an older Treasury record holds
        // their number (a sectoral entry moved to the SDN list).
        let named = ids(&sdn_list);
        let adopted: std::collections::HashSet<&str> =
            later.entries.iter().map(|e| e.id.as_str()).collect();
        let mut unnamed: Vec<&String> = listed_2025
            .iter()
            .filter(|id| !named.contains(*id) && !adopted.contains(id.as_str()))
            .collect();
        unnamed.sort();
        let unnamed: Vec<Entry> = unnamed
            .into_iter()
            .map(|id| Entry::new(id.clone(), ofac::SDN_LIST, String::new()))
            .collect();
        later.entries.extend(unnamed);
        name_from_older_records(&mut later.entries, &csl);
        later.entries.retain(|e| !e.name.is_empty());
        sdn_list.entries.append(&mut later.entries);
        if let Some(on) = sdn_list.snapshot_date {
            let mut present = ids(&sdn_list);
            present.extend(listed_2025.iter().cloned());
            csl.end_entries_missing_from(
                |s| s == ofac::SDN_LIST,
                &present,
                "the SDN list of 2024-05-03 or OFAC's December 2025 address file",
                on,
            );
        }
        if let Some(on) = date(2026, 1, 1) {
            csl.end_entries_missing_from(
                is_non_sdn_treasury_list,
                &ids(&non_sdn),
                "OFAC's non-SDN consolidated list of December 2025",
                on,
            );
            for l in [&mut csl, &mut sdn_list] {
                l.end_entries_missing_from(
                    |s| s == ofac::SDN_LIST,
                    &listed_2025,
                    "the SDN address file of December 2025 (which has a row for every listed entry)",
                    on,
                );
            }
        }
        set.push(csl);
        set.push(sdn_list);
        set.push(non_sdn);
        set.push(builtin_el_events()?);
        Ok(set)
    }
}

/// The built-in Entity List events since the 2022 CSL snapshot (partial, medium confidence),
/// whose snapshot date is the last date the file covers: answers after it are stale.
pub fn builtin_el_events() -> Result<List, ScreenError> {
    let file = "entity_list_events_2022-12_2025-11.csv";
    let parsed = crate::parse::el_events::parse(file, EL_EVENTS)?;
    if let Some(e) = parsed.errors.first() {
        return Err(ScreenError::Malformed {
            file: e.file.clone(),
            line: e.line,
            message: e.message.clone(),
        });
    }
    let last = parsed
        .entries
        .iter()
        .flat_map(|e| [e.start_date, e.end_date])
        .flatten()
        .max();
    Ok(List::new(BUILTIN_EL_EVENTS, last, parsed))
}

/// Only the built-in 2022-05-05 CSL (the benchmark list).
pub fn builtin_csl() -> Result<List, ScreenError> {
    let csl = gunzip("csl_flattened_2022-05-05.csv", CSL_2022)?;
    let parsed = flat_csl::parse("csl_flattened_2022-05-05.csv", &csl)?;
    Ok(List::new(BUILTIN_CSL, date(2022, 5, 5), parsed))
}
