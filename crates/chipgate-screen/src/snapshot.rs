//! A compact binary snapshot of a parsed [`ListSet`] and its built [`Index`], so that a
//! screener over the built-in lists starts without decompressing, parsing and normalising them
//! (`chipgate-screen-prebuilt` makes one at build time and embeds it).
//!
//! Layout: an 8-byte magic, the format version, the length of the head and a checksum of
//! the head and one of the tables, then length-prefixed sections. The head: the fingerprint
//! of the code and data the snapshot was built from ([`FINGERPRINT`]), the lists (postcard)
//! and the index (postcard). The tables: the five sorted hash tables of the index as raw
//! little-endian records, each with its directory (`sorted_table`), so that a snapshot
//! embedded in the binary serves them where they lie ([`decode_static`]). A snapshot whose
//! magic, version or fingerprint differs from this build of the library, or that does not
//! decode, is refused ([`decode`] gives `None`) and the
//! caller builds the index the slow way: a stale index is never served.

use crate::error::{LineError, ScreenError};
use crate::fxhash::FxHashMap;
use crate::index::{Index, NameRec};
use crate::kind::ListKind;
use crate::model::{Entry, List, ListSet, Provenance};
use crate::screener::Screener;
use crate::sorted_table::{Parts, SortedTable};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"CGSNAP\0\x01";
/// Bumped whenever the layout of the snapshot changes (2: the deletion table is keyed by
/// `index::del_hash` and holds the literals themselves; a joined-form deletion table follows
/// the joined skeletons; 3: token flags mark repeated words, and a table of whole-name keys
/// follows the joined-form deletions; 4: the deletion table also holds each literal under its
/// spelling key, `normalize::spelling_key`; 5: each sorted table is stored with its
/// directory and filter, four sections: records, bits, directory, filter; the head and the
/// tables have a checksum each).
const FORMAT_VERSION: u32 = 5;

/// Fingerprint of this library's sources, its tables and the embedded list files (set by its
/// build script), with the crate version: a snapshot made by other code or data is refused.
pub const FINGERPRINT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("CHIPGATE_SCREEN_FINGERPRINT")
);

/// The built-in lists and their index, encoded (about 1 s: used by build scripts).
pub fn encode_builtin() -> Result<Vec<u8>, ScreenError> {
    let lists = ListSet::builtin()?;
    let index = Index::build(&lists);
    encode(&lists, &index)
}

/// Encode lists and the index built over them.
pub fn encode(lists: &ListSet, index: &Index) -> Result<Vec<u8>, ScreenError> {
    let bad = |e: postcard::Error| ScreenError::Invalid(format!("encoding the snapshot: {e}"));
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Three header words filled in below: the length of the head (fingerprint, lists, index),
    // its checksum, and the checksum of the sorted tables that follow it.
    let header_at = out.len();
    out.extend_from_slice(&[0; 24]);
    let body_at = out.len();
    section(&mut out, FINGERPRINT.as_bytes());
    let slists: Vec<SListRef> = lists.lists.iter().map(SListRef::from).collect();
    section(&mut out, &postcard::to_stdvec(&slists).map_err(bad)?);
    section(
        &mut out,
        &postcard::to_stdvec(&SIndexRef::from(index)).map_err(bad)?,
    );
    let tables_at = out.len();
    for t in [
        &index.deletes,
        &index.skeletons,
        &index.joined_skel,
        &index.joined_deletes,
        &index.wholes,
    ] {
        let p = t.parts();
        section(&mut out, p.records);
        section(&mut out, &p.bits.to_le_bytes());
        section(&mut out, p.dir);
        section(&mut out, p.filter);
    }
    let head_sum = checksum(out.get(body_at..tables_at).unwrap_or_default());
    let tables_sum = checksum(out.get(tables_at..).unwrap_or_default());
    let header = [(tables_at - body_at) as u64, head_sum, tables_sum];
    for (i, w) in header.iter().enumerate() {
        let at = header_at + 8 * i;
        if let Some(slot) = out.get_mut(at..at + 8) {
            slot.copy_from_slice(&w.to_le_bytes());
        }
    }
    Ok(out)
}

/// Decode a snapshot made by this build of the library: `None` when it is empty, corrupt, or
/// made from other code or data. The index's sorted tables are copied out of `bytes`.
pub fn decode(bytes: &[u8]) -> Option<(ListSet, Index)> {
    decode_with(bytes, SortedTable::from_parts, Verify::Tables)
}

/// [`decode`] a snapshot that lives as long as the program (one embedded in the binary): the
/// index's sorted tables are used where they lie, not copied.
pub fn decode_static(bytes: &'static [u8]) -> Option<(ListSet, Index)> {
    decode_with(bytes, SortedTable::from_static, Verify::HeadOnly)
}

fn decode_with<'a>(
    bytes: &'a [u8],
    table: fn(Parts<'a>) -> Option<SortedTable>,
    verify: Verify,
) -> Option<(ListSet, Index)> {
    let mut r = Reader::open(bytes, verify)?;
    let (ls, core) = (r.section()?, r.section()?);
    let mut tables = Vec::with_capacity(5);
    for _ in 0..5 {
        let records = r.section()?;
        let bits = u32::from_le_bytes(r.section()?.try_into().ok()?);
        let (dir, filter) = (r.section()?, r.section()?);
        tables.push(Parts {
            records,
            bits,
            dir,
            filter,
        });
    }
    if !r.rest.is_empty() {
        return None;
    }
    // The lists and the index decode independently: on two threads when there are two.
    // (Without a thread, on this one.)
    let (lists, index) = std::thread::scope(|s| {
        let lists = std::thread::Builder::new().spawn_scoped(s, || decode_lists_section(ls));
        let index = postcard::from_bytes::<SIndex>(core).ok().and_then(|c| {
            let mut t = tables.into_iter().map(table);
            c.into_index(t.next()??, t.next()??, t.next()??, t.next()??, t.next()??)
        });
        let lists = match lists {
            Ok(h) => h.join().ok().flatten(),
            Err(_) => decode_lists_section(ls),
        };
        (lists, index)
    });
    let (lists, index) = (lists?, index?);
    check_consistent(&lists, &index)?;
    Some((lists, index))
}

/// Only the lists of a snapshot (for commands that do not screen): `None` as for [`decode`].
pub fn decode_lists(bytes: &[u8]) -> Option<ListSet> {
    let mut r = Reader::open(bytes, Verify::HeadOnly)?;
    decode_lists_section(r.section()?)
}

impl ListSet {
    /// The built-in lists from a snapshot, or parsed from the embedded files when the snapshot
    /// cannot be used.
    pub fn builtin_from_snapshot(snapshot: &[u8]) -> Result<ListSet, ScreenError> {
        match decode_lists(snapshot) {
            Some(l) => Ok(l),
            None => ListSet::builtin(),
        }
    }
}

impl Screener {
    /// A screener over the built-in lists followed by `extra` (imported lists): the built-in
    /// part comes from `snapshot` when it is usable, else it is parsed and indexed; the
    /// `extra` lists are indexed on top. Answers are those of
    /// `Screener::new(builtin + extra)`.
    pub fn from_snapshot(snapshot: &[u8], extra: Vec<List>) -> Result<Screener, ScreenError> {
        Self::from_decoded(|| decode(snapshot), extra)
    }

    /// [`Screener::from_snapshot`] for a snapshot that lives as long as the program (one
    /// embedded in the binary): the index's sorted tables are used where they lie.
    pub fn from_static_snapshot(
        snapshot: &'static [u8],
        extra: Vec<List>,
    ) -> Result<Screener, ScreenError> {
        Self::from_decoded(|| decode_static(snapshot), extra)
    }

    fn from_decoded(
        decode: impl FnOnce() -> Option<(ListSet, Index)>,
        extra: Vec<List>,
    ) -> Result<Screener, ScreenError> {
        // Decode while another thread builds the normaliser's tables the first query needs.
        let decoded = std::thread::scope(|s| {
            let warm = std::thread::Builder::new().spawn_scoped(s, warm_tables);
            let d = decode();
            // Joined here so that a failure there is not this caller's: the tables are
            // built again on first use if it did fail.
            if let Ok(h) = warm {
                let _ = h.join();
            }
            d
        });
        let (mut lists, mut index) = match decoded {
            Some(x) => x,
            None => {
                let mut set = ListSet::builtin()?;
                set.lists.extend(extra);
                return Ok(Screener::new(set));
            }
        };
        if !extra.is_empty() {
            let from = lists.lists.len();
            lists.lists.extend(extra);
            index.add_lists(&lists, from);
        }
        Ok(Screener::with_index(lists, index))
    }
}

/// Build the lazily built tables of the normaliser and of the readings (about 20 ms).
fn warm_tables() {
    let _ = crate::normalize::normalize("Huawei Technologies Co Ltd");
    let _ = crate::readings::name_groups("huawei");
}

/// Cheap structural checks: every indexed name points at an existing entry, and every token
/// at an existing vocabulary entry and literal (a snapshot that decodes but does not fit
/// would otherwise give wrong hits silently).
fn check_consistent(lists: &ListSet, ix: &Index) -> Option<()> {
    let nv = ix.vocab_str.len();
    let nl = ix.lit_str.len();
    let ok = ix.idf.len() == nv
        && ix.postings.len() == nv
        && ix.generic.len() == nv
        && ix.lit_texts.len() == nl
        && ix.names.iter().all(|n| {
            lists
                .lists
                .get(n.list as usize)
                .and_then(|l| l.entries.get(n.entry as usize))
                .is_some()
                && n.toks
                    .iter()
                    .all(|t| (t.text as usize) < nv && (t.lit as usize) < nl)
        })
        && ix
            .postings
            .iter()
            .flatten()
            .all(|&p| (p as usize) < ix.names.len())
        && ix.lit_texts.iter().flatten().all(|&t| (t as usize) < nv)
        && ix.wholes.iter().all(|(_, n)| (n as usize) < ix.names.len());
    ok.then_some(())
}

fn decode_lists_section(b: &[u8]) -> Option<ListSet> {
    let slists: Vec<SList> = postcard::from_bytes(b).ok()?;
    Some(ListSet::new(
        slists.into_iter().map(SList::into_list).collect(),
    ))
}

fn section(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u64).to_le_bytes());
    out.extend_from_slice(b);
}

struct Reader<'a> {
    rest: &'a [u8],
}

/// What [`Reader::open`] checks against the checksums besides the head.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verify {
    Tables,
    HeadOnly,
}

impl<'a> Reader<'a> {
    /// Open a snapshot, checking its head (fingerprint, lists, index) against its checksum,
    /// and its sorted tables too when `tables` is [`Verify::Tables`]: a snapshot embedded in the binary
    /// skips that, so that its tables are read only where lookups need them (it is part of
    /// the program image, which nothing rewrites; its fingerprint is still checked).
    fn open(bytes: &'a [u8], tables: Verify) -> Option<Reader<'a>> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (v, rest) = rest.split_first_chunk::<4>()?;
        if u32::from_le_bytes(*v) != FORMAT_VERSION {
            return None;
        }
        let (head_len, rest) = rest.split_first_chunk::<8>()?;
        let (head_sum, rest) = rest.split_first_chunk::<8>()?;
        let (tables_sum, rest) = rest.split_first_chunk::<8>()?;
        let head_len = usize::try_from(u64::from_le_bytes(*head_len)).ok()?;
        let (head, tail) = (rest.get(..head_len)?, rest.get(head_len..)?);
        if u64::from_le_bytes(*head_sum) != checksum(head)
            || (tables == Verify::Tables && u64::from_le_bytes(*tables_sum) != checksum(tail))
        {
            return None;
        }
        let mut r = Reader { rest };
        if r.section()? != FINGERPRINT.as_bytes() {
            return None;
        }
        Some(r)
    }

    fn section(&mut self) -> Option<&'a [u8]> {
        let (n, rest) = self.rest.split_first_chunk::<8>()?;
        let n = usize::try_from(u64::from_le_bytes(*n)).ok()?;
        if n > rest.len() {
            return None;
        }
        let (s, rest) = rest.split_at(n);
        self.rest = rest;
        Some(s)
    }
}

/// A fast 64-bit checksum (8 bytes a step, FxHash-style mixing; about 3 ms for 20 MB), so
/// that a damaged snapshot is refused rather than decoded into a wrong index.
fn checksum(b: &[u8]) -> u64 {
    let mut h: u64 = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    for &x in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h
}

// The model types skip empty optional fields when serialised (for JSON), which a
// non-self-describing format cannot read back: the snapshot writes every field, through serde
// "remote" definitions that read straight into the model types (dates as day numbers).

#[derive(Serialize, Deserialize)]
#[serde(remote = "Entry")]
struct EntryDef {
    id: String,
    list: String,
    kind: ListKind,
    name: String,
    aliases: Vec<String>,
    addresses: Vec<String>,
    countries: Vec<String>,
    #[serde(with = "opt_day")]
    start_date: Option<NaiveDate>,
    programs: Vec<String>,
    federal_register: Option<String>,
    footnotes: Vec<String>,
    entity_type: Option<String>,
    #[serde(with = "opt_day")]
    end_date: Option<NaiveDate>,
    group: bool,
    #[serde(with = "opt_provenance")]
    provenance: Option<Provenance>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Provenance")]
struct ProvenanceDef {
    fr_doc: String,
    fr_citation: Option<String>,
    #[serde(with = "opt_day")]
    publication_date: Option<NaiveDate>,
    #[serde(with = "opt_day")]
    effective_date: Option<NaiveDate>,
    date_basis: String,
    confidence: String,
    footnote: Option<String>,
    license_requirement: Option<String>,
    review_policy: Option<String>,
    sources: Vec<String>,
    changes: Vec<String>,
}

struct EntryRef<'a>(&'a Entry);

impl Serialize for EntryRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EntryDef::serialize(self.0, s)
    }
}

#[derive(Deserialize)]
struct EntryOwned(#[serde(with = "EntryDef")] Entry);

mod opt_day {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        d.map(|d| d.num_days_from_ce()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<i32>::deserialize(d)? {
            None => Ok(None),
            Some(n) => NaiveDate::from_num_days_from_ce_opt(n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("not a date")),
        }
    }
}

mod opt_provenance {
    use super::ProvenanceDef;
    use crate::model::Provenance;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    struct Ref<'a>(&'a Provenance);

    impl Serialize for Ref<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            ProvenanceDef::serialize(self.0, s)
        }
    }

    #[derive(Deserialize)]
    struct Owned(#[serde(with = "ProvenanceDef")] Provenance);

    pub fn serialize<S: Serializer>(p: &Option<Provenance>, s: S) -> Result<S::Ok, S::Error> {
        p.as_ref().map(Ref).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Provenance>, D::Error> {
        Ok(Option::<Owned>::deserialize(d)?.map(|o| o.0))
    }
}

#[derive(Serialize)]
struct SListRef<'a> {
    name: &'a str,
    #[serde(with = "opt_day")]
    snapshot_date: Option<NaiveDate>,
    entries: Vec<EntryRef<'a>>,
    errors: Vec<(&'a str, u64, &'a str)>,
}

#[derive(Deserialize)]
struct SList {
    name: String,
    #[serde(with = "opt_day")]
    snapshot_date: Option<NaiveDate>,
    entries: Vec<EntryOwned>,
    errors: Vec<(String, u64, String)>,
}

impl<'a> From<&'a List> for SListRef<'a> {
    fn from(l: &'a List) -> SListRef<'a> {
        SListRef {
            name: &l.name,
            snapshot_date: l.snapshot_date,
            entries: l.entries.iter().map(EntryRef).collect(),
            errors: l
                .errors
                .iter()
                .map(|e| (e.file.as_str(), e.line, e.message.as_str()))
                .collect(),
        }
    }
}

impl SList {
    fn into_list(self) -> List {
        List {
            name: self.name,
            snapshot_date: self.snapshot_date,
            entries: self.entries.into_iter().map(|e| e.0).collect(),
            errors: self
                .errors
                .into_iter()
                .map(|(file, line, message)| LineError {
                    file,
                    line,
                    message,
                })
                .collect(),
        }
    }
}

/// The index as written: the hash maps are rebuilt from the id-ordered strings on load.
#[derive(Serialize)]
struct SIndexRef<'a> {
    names: &'a [NameRec],
    vocab_str: &'a [Box<str>],
    idf: &'a [f32],
    postings: &'a [Vec<u32>],
    lit_str: &'a [Box<str>],
    lit_texts: &'a [Vec<u32>],
    joined: Vec<(&'a str, &'a [u32])>,
    generic: &'a [bool],
    idf_unknown: f32,
    sorted_joined: &'a [(Box<str>, u32)],
    group_members: Vec<(u16, &'a [u32])>,
}

/// The index as read back (same fields as [`SIndexRef`]).
#[derive(Deserialize)]
struct SIndex {
    names: Vec<NameRec>,
    vocab_str: Vec<Box<str>>,
    idf: Vec<f32>,
    postings: Vec<Vec<u32>>,
    lit_str: Vec<Box<str>>,
    lit_texts: Vec<Vec<u32>>,
    joined: Vec<(Box<str>, Vec<u32>)>,
    generic: Vec<bool>,
    idf_unknown: f32,
    sorted_joined: Vec<(Box<str>, u32)>,
    group_members: Vec<(u16, Vec<u32>)>,
}

impl<'a> From<&'a Index> for SIndexRef<'a> {
    fn from(ix: &'a Index) -> SIndexRef<'a> {
        let mut joined: Vec<(&str, &[u32])> = ix
            .joined
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_slice()))
            .collect();
        joined.sort_unstable();
        let mut group_members: Vec<(u16, &[u32])> = ix
            .group_members
            .iter()
            .map(|(k, v)| (*k, v.as_slice()))
            .collect();
        group_members.sort_unstable();
        SIndexRef {
            names: &ix.names,
            vocab_str: &ix.vocab_str,
            idf: &ix.idf,
            postings: &ix.postings,
            lit_str: &ix.lit_str,
            lit_texts: &ix.lit_texts,
            joined,
            generic: &ix.generic,
            idf_unknown: ix.idf_unknown,
            sorted_joined: &ix.sorted_joined,
            group_members,
        }
    }
}

/// Strings by id → id by string; `None` when a string repeats (not an index's vocabulary).
fn ids_of(strs: &[Box<str>]) -> Option<FxHashMap<Box<str>, u32>> {
    let mut m = FxHashMap::default();
    m.reserve(strs.len());
    for (i, s) in strs.iter().enumerate() {
        if m.insert(s.clone(), i as u32).is_some() {
            return None;
        }
    }
    Some(m)
}

impl SIndex {
    fn into_index(
        self,
        deletes: SortedTable,
        skeletons: SortedTable,
        joined_skel: SortedTable,
        joined_deletes: SortedTable,
        wholes: SortedTable,
    ) -> Option<Index> {
        let mut ix = Index {
            cache_id: 0,
            names: self.names,
            vocab: ids_of(&self.vocab_str)?,
            vocab_str: self.vocab_str,
            idf: self.idf,
            postings: self.postings,
            lits: ids_of(&self.lit_str)?,
            lit_str: self.lit_str,
            lit_texts: self.lit_texts,
            joined: self.joined.into_iter().collect(),
            deletes,
            skeletons,
            joined_skel,
            joined_deletes,
            generic: self.generic,
            common: Vec::new(),
            place: Vec::new(),
            idf_unknown: self.idf_unknown,
            sorted_joined: self.sorted_joined,
            group_members: self.group_members.into_iter().collect(),
            wholes,
            lit_abjad: Vec::new(),
        };
        // Each name's whole-name key is kept once, in the sorted table.
        for (k, n) in ix.wholes.iter() {
            if let Some(rec) = ix.names.get_mut(n as usize) {
                rec.whole = k;
            }
        }
        ix.refresh_derived();
        Some(ix)
    }
}

/// Where two indexes differ, field by field (empty when they are identical; IDF weights are
/// compared bit for bit). For tests proving that a loaded snapshot is the index a build makes.
pub fn index_differences(a: &Index, b: &Index) -> Vec<String> {
    let mut d = Vec::new();
    let mut check = |field: &str, same: bool| {
        if !same {
            d.push(field.to_string());
        }
    };
    check(
        "names",
        a.names.len() == b.names.len()
            && a.names.iter().zip(&b.names).all(|(x, y)| {
                (x.list, x.entry, x.alias, &x.toks, x.whole, x.org)
                    == (y.list, y.entry, y.alias, &y.toks, y.whole, y.org)
            }),
    );
    check("vocab", a.vocab == b.vocab);
    check("vocab_str", a.vocab_str == b.vocab_str);
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    check("idf", bits(&a.idf) == bits(&b.idf));
    check("postings", a.postings == b.postings);
    check("lits", a.lits == b.lits);
    check("lit_str", a.lit_str == b.lit_str);
    check("lit_texts", a.lit_texts == b.lit_texts);
    check("joined", a.joined == b.joined);
    check("deletes", a.deletes == b.deletes);
    check("skeletons", a.skeletons == b.skeletons);
    check("joined_skel", a.joined_skel == b.joined_skel);
    check("joined_deletes", a.joined_deletes == b.joined_deletes);
    check("generic", a.generic == b.generic);
    check(
        "idf_unknown",
        a.idf_unknown.to_bits() == b.idf_unknown.to_bits(),
    );
    check("sorted_joined", a.sorted_joined == b.sorted_joined);
    check("group_members", a.group_members == b.group_members);
    check("wholes", a.wholes == b.wholes);
    d
}

/// Section sizes of a snapshot in bytes (lists, index, deletion table, skeletons, joined
/// skeletons, joined deletions), for measurements; `None` when it is not usable.
pub fn section_sizes(bytes: &[u8]) -> Option<Vec<usize>> {
    let mut r = Reader::open(bytes, Verify::Tables)?;
    let mut v = Vec::new();
    while !r.rest.is_empty() {
        v.push(r.section()?.len());
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Parsed;

    fn list(name: &str, source: &str, rows: &[(&str, &[&str])]) -> List {
        let entries = rows
            .iter()
            .enumerate()
            .map(|(i, (n, aliases))| {
                let mut e = Entry::new(format!("{name}-{i}"), source, *n);
                e.aliases = aliases.iter().map(|a| a.to_string()).collect();
                e.start_date = NaiveDate::from_ymd_opt(2020, 1, 1 + i as u32);
                e
            })
            .collect();
        List::new(
            name,
            NaiveDate::from_ymd_opt(2024, 5, 3),
            Parsed {
                entries,
                errors: vec![LineError {
                    file: format!("{name}.csv"),
                    line: 7,
                    message: "bad row".into(),
                }],
            },
        )
    }

    fn sample() -> ListSet {
        ListSet::new(vec![
            list(
                "el",
                "Entity List (EL) - Bureau of Industry and Security",
                &[
                    ("Huawei Technologies Co., Ltd.", &["Huawei"]),
                    ("National University of Defense Technology (NUDT)", &[]),
                    ("Moore Threads Technology Co., Ltd.", &["摩尔线程"]),
                ],
            ),
            list(
                "sdn",
                "Specially Designated Nationals (SDN) - Treasury Department",
                &[
                    ("KIM, Jong Un", &["Kim Jong-un"]),
                    ("Islamic Revolutionary Guard Corps", &["IRGC"]),
                ],
            ),
            list(
                "imported",
                "Entity List (EL) - Bureau of Industry and Security",
                &[
                    ("Acme Quantum Devices Ltd", &["Acme QD"]),
                    ("Huawei Cloud Computing Technologies", &[]),
                    ("Shenzhen Kimjong Trading Co", &[]),
                ],
            ),
        ])
    }

    #[test]
    fn round_trip_is_identical() {
        let set = sample();
        let ix = Index::build(&set);
        let bytes = encode(&set, &ix).unwrap();
        let (set2, ix2) = decode(&bytes).unwrap();
        assert_eq!(index_differences(&ix, &ix2), Vec::<String>::new());
        assert_eq!(set.lists.len(), set2.lists.len());
        for (a, b) in set.lists.iter().zip(&set2.lists) {
            assert_eq!(
                (&a.name, a.snapshot_date, &a.entries, &a.errors),
                (&b.name, b.snapshot_date, &b.entries, &b.errors)
            );
        }
        assert_eq!(decode_lists(&bytes).unwrap().lists.len(), 3);
    }

    #[test]
    fn adding_lists_equals_building_all() {
        let all = sample();
        let mut first = all.clone();
        first.lists.truncate(2);
        let mut ix = Index::build(&first);
        ix.add_lists(&all, 2);
        assert_eq!(
            index_differences(&Index::build(&all), &ix),
            Vec::<String>::new()
        );
    }

    #[test]
    fn damaged_snapshots_are_refused_without_panicking() {
        let set = sample();
        let bytes = encode(&set, &Index::build(&set)).unwrap();
        assert!(decode(&[]).is_none());
        assert!(decode(b"CGSNAP").is_none());
        for cut in [1, 8, 12, 20, 40, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "truncated at {cut}");
        }
        // Flipped bits: refused by the checksum.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut b = bytes.clone();
            let at = (seed as usize) % b.len();
            b[at] ^= 1 << (seed % 8);
            assert!(decode(&b).is_none(), "flip at {at}");
        }
        // Garbage behind a valid checksum: refused or decoded, never a panic.
        let body_at = MAGIC.len() + 4 + 8;
        for _ in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut b = bytes.clone();
            let at = body_at + (seed as usize) % (b.len() - body_at);
            b[at] = (seed >> 32) as u8;
            let sum = checksum(&b[body_at..]);
            b[body_at - 8..body_at].copy_from_slice(&sum.to_le_bytes());
            let _ = decode(&b);
        }
        // Another fingerprint (other code or data): refused.
        let mut other = bytes.clone();
        let fp_at = body_at + 8;
        other[fp_at] ^= 0x20;
        let sum = checksum(&other[body_at..]);
        other[body_at - 8..body_at].copy_from_slice(&sum.to_le_bytes());
        assert!(decode(&other).is_none());
    }
}
