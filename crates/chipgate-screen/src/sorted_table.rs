//! Sorted tables of `(64-bit hash, id)` records with a directory by the hashes' top bits: the
//! deletion, skeleton, joined-form and whole-name tables of the index.
//!
//! A table is held as little-endian bytes, either its own or borrowed from a snapshot that
//! lives as long as the program (the one embedded in the binary). A borrowed table is used
//! where it lies: loading copies nothing and zeroes no memory for it, and a one-name screen
//! reads only the few pages its lookups touch. Copying these tables into vectors and building
//! their directories had been a third of the cold start of `chipgate screen NAME`.

use std::borrow::Cow;

/// Bytes of a table: its own, or a snapshot's.
type Bytes = Cow<'static, [u8]>;

/// Bytes of one record: the hash, then the id.
const REC: usize = 12;

/// A table's parts as a snapshot stores them (see [`SortedTable::parts`]).
#[derive(Clone, Copy)]
pub(crate) struct Parts<'a> {
    pub records: &'a [u8],
    pub bits: u32,
    pub dir: &'a [u8],
    pub filter: &'a [u8],
}

/// A sorted table of `(hash, id)` records and its directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct SortedTable {
    records: Bytes,
    /// The directory is `dir[k]` = the first record whose hash's top `bits` bits are at least
    /// `k` (one more entry closes the last bucket): one or two records per bucket, so that a
    /// lookup reads two cache lines. `u32` little-endian.
    bits: u32,
    dir: Bytes,
    /// One bit per low-bits value of the hashes (eight bits per record or more), set for every
    /// hash: most lookups of absent hashes (the deletion variants of a word the lists do not
    /// have) end on one read of this bitmap, small enough to stay in cache. `u64` little-endian.
    filter: Bytes,
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    let w = b.get(i * 4..i * 4 + 4)?;
    Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let w: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(w))
}

impl SortedTable {
    /// The table of `v`, sorted here (and with repeated records removed when `dedup`).
    pub(crate) fn of(mut v: Vec<(u64, u32)>, dedup: bool) -> SortedTable {
        v.sort_unstable();
        if dedup {
            v.dedup();
        }
        let bits = (usize::BITS - v.len().leading_zeros())
            .saturating_sub(1)
            .clamp(1, 32);
        let buckets = 1usize << bits;
        let mut dir = Vec::with_capacity((buckets + 1) * 4);
        let mut at = 0usize;
        for k in 0..buckets {
            while v
                .get(at)
                .is_some_and(|x| ((x.0 >> (64 - bits)) as usize) < k)
            {
                at += 1;
            }
            dir.extend_from_slice(&(at as u32).to_le_bytes());
        }
        dir.extend_from_slice(&(v.len() as u32).to_le_bytes());
        let words = (v.len() * 8).next_power_of_two().div_ceil(64).max(1);
        let mut filter = vec![0u64; words];
        let mask = (words * 64 - 1) as u64;
        for &(h, _) in &v {
            let b = (h & mask) as usize;
            if let Some(w) = filter.get_mut(b / 64) {
                *w |= 1 << (b % 64);
            }
        }
        let mut records = Vec::with_capacity(v.len() * REC);
        for (h, id) in &v {
            records.extend_from_slice(&h.to_le_bytes());
            records.extend_from_slice(&id.to_le_bytes());
        }
        SortedTable {
            records: Cow::Owned(records),
            bits,
            dir: Cow::Owned(dir),
            filter: Cow::Owned(filter.iter().flat_map(|w| w.to_le_bytes()).collect()),
        }
    }

    /// This table with the records of `extra` added.
    pub(crate) fn merged(&self, extra: Vec<(u64, u32)>, dedup: bool) -> SortedTable {
        if extra.is_empty() {
            return self.clone();
        }
        let mut v = self.to_vec();
        v.extend(extra);
        SortedTable::of(v, dedup)
    }

    /// A table from a snapshot's parts, borrowed where they lie; `None` when the parts do not
    /// make a table (lengths that disagree). The order of the records is not checked: the
    /// snapshot's checksum vouches for what its encoder wrote, and that was sorted.
    pub(crate) fn from_static(p: Parts<'static>) -> Option<SortedTable> {
        Self::from_parts_as(p, Cow::Borrowed)
    }

    /// A table from a snapshot's parts, copied.
    pub(crate) fn from_parts(p: Parts<'_>) -> Option<SortedTable> {
        Self::from_parts_as(p, |b| Cow::Owned(b.to_vec()))
    }

    fn from_parts_as<'a>(p: Parts<'a>, bytes: impl Fn(&'a [u8]) -> Bytes) -> Option<SortedTable> {
        Self::checked(&p)?;
        Some(SortedTable {
            records: bytes(p.records),
            bits: p.bits,
            dir: bytes(p.dir),
            filter: bytes(p.filter),
        })
    }

    fn checked(p: &Parts<'_>) -> Option<()> {
        let n = p.records.len() / REC;
        let dir_len = (1usize << p.bits.clamp(1, 32)) + 1;
        let words = p.filter.len() / 8;
        let ok = p.records.len().is_multiple_of(REC)
            && (1..=32).contains(&p.bits)
            && p.dir.len() == dir_len * 4
            && u32_at(p.dir, dir_len - 1) == Some(n as u32)
            && p.filter.len().is_multiple_of(8)
            && words.is_power_of_two();
        ok.then_some(())
    }

    /// The parts a snapshot stores.
    pub(crate) fn parts(&self) -> Parts<'_> {
        Parts {
            records: &self.records,
            bits: self.bits,
            dir: &self.dir,
            filter: &self.filter,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len() / REC
    }

    /// Record `i`.
    pub(crate) fn get(&self, i: usize) -> Option<(u64, u32)> {
        let at = i.checked_mul(REC)?;
        let h = u64_at(&self.records, at)?;
        let id = u32_at(&self.records, at / 4 + 2)?;
        Some((h, id))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub(crate) fn to_vec(&self) -> Vec<(u64, u32)> {
        self.iter().collect()
    }

    /// Whether `h` may be a hash of the table (false: it is not).
    fn may_hold(&self, h: u64) -> bool {
        let words = self.filter.len() / 8;
        if words == 0 {
            return true;
        }
        let b = (h & (words * 64 - 1) as u64) as usize;
        u64_at(&self.filter, (b / 64) * 8).is_none_or(|w| w & (1 << (b % 64)) != 0)
    }

    /// The records of bucket `h` (a range of record positions).
    fn bucket(&self, h: u64) -> std::ops::Range<usize> {
        if !self.may_hold(h) {
            return 0..0;
        }
        let k = (h >> (64 - self.bits.clamp(1, 32))) as usize;
        let lo = u32_at(&self.dir, k).unwrap_or(0) as usize;
        let hi = u32_at(&self.dir, k + 1).unwrap_or(0) as usize;
        lo..hi.max(lo)
    }

    /// The ids stored under hash `h`.
    pub(crate) fn lookup(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        self.bucket(h)
            .filter_map(move |i| self.get(i))
            .filter(move |x| x.0 == h)
            .map(|x| x.1)
    }
}

impl PartialEq for SortedTable {
    /// Same records, directory and filter, wherever their bytes lie.
    fn eq(&self, other: &Self) -> bool {
        *self.records == *other.records
            && self.bits == other.bits
            && *self.dir == *other.dir
            && *self.filter == *other.filter
    }
}

#[cfg(test)]
mod tests {
    use super::{Parts, SortedTable};

    fn sample() -> Vec<(u64, u32)> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut v: Vec<(u64, u32)> = (0..5000u32)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Some duplicate keys, and some clustered ones.
                (if i % 7 == 0 { x & !0xFFFF } else { x }, i)
            })
            .collect();
        v.push((0, 1));
        v.push((u64::MAX, 2));
        v
    }

    #[test]
    fn lookup_finds_every_run_as_a_scan_does() {
        let v = sample();
        let t = SortedTable::of(v.clone(), false);
        let p = t.parts();
        let copy = SortedTable::from_parts(Parts { ..p }).unwrap();
        for probe in v.iter().map(|p| p.0).chain([1, 12345, u64::MAX - 1]) {
            let mut want: Vec<u32> = v.iter().filter(|p| p.0 == probe).map(|p| p.1).collect();
            want.sort_unstable();
            assert_eq!(t.lookup(probe).collect::<Vec<_>>(), want, "{probe:x}");
            assert_eq!(copy.lookup(probe).collect::<Vec<_>>(), want, "{probe:x}");
        }
        assert_eq!(SortedTable::of(Vec::new(), true).lookup(7).count(), 0);
        assert_eq!(SortedTable::default().lookup(7).count(), 0);
    }

    #[test]
    fn merging_is_building_from_all_records() {
        let v = sample();
        let (a, b) = v.split_at(1234);
        let merged = SortedTable::of(a.to_vec(), true).merged(b.to_vec(), true);
        assert!(merged == SortedTable::of(v.clone(), true));
        let mut want = v;
        want.sort_unstable();
        want.dedup();
        assert_eq!(merged.to_vec(), want);
    }

    #[test]
    fn parts_that_disagree_are_refused() {
        let t = SortedTable::of(sample(), false);
        let p = t.parts();
        assert!(SortedTable::from_parts(Parts {
            records: &p.records[1..],
            ..t.parts()
        })
        .is_none());
        assert!(SortedTable::from_parts(Parts {
            bits: p.bits + 1,
            ..t.parts()
        })
        .is_none());
        assert!(SortedTable::from_parts(Parts {
            filter: &p.filter[8..],
            ..t.parts()
        })
        .is_none());
        assert!(SortedTable::from_parts(t.parts()).is_some());
    }
}
