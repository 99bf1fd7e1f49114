//! A per-thread memo of [`Index::similar_literals`](crate::index::Index::similar_literals):
//! which listed words each queried word may be a misspelling or another spelling of. Finding
//! them takes dozens of lookups in the deletion table per word, and a customer file or order
//! book repeats its words (`trading`, `international`, `holdings`) from name to name, so each
//! thread remembers the answers for the index it last served. The memo holds answers only:
//! with it or without it, screening gives the same results.

use crate::fxhash::FxHashMap;
use std::cell::RefCell;

/// Words remembered per thread before the memo starts again.
const CAPACITY: usize = 20_000;

/// What the answer depends on besides the index and the word as written: its comparison form
/// (given-name groups are read from it) and its script flags.
struct Entry {
    text: Box<str>,
    abjad: bool,
    han: bool,
    answer: Box<[u32]>,
}

#[derive(Default)]
struct Memo {
    /// The index the answers are for ([`Index::cache_id`](crate::index::Index)).
    index: u64,
    /// Answers by the word as written (looked up without building a key).
    answers: FxHashMap<Box<str>, Vec<Entry>>,
    len: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The answer for this word in index `index`, computed by `compute` when not remembered.
pub(crate) fn similar_literals(
    index: u64,
    literal: &str,
    text: &str,
    abjad: bool,
    han: bool,
    compute: impl FnOnce() -> Vec<u32>,
) -> Vec<u32> {
    let same = |e: &&Entry| &*e.text == text && e.abjad == abjad && e.han == han;
    let known = MEMO.with(|m| {
        let m = m.borrow();
        (m.index == index)
            .then(|| {
                m.answers
                    .get(literal)?
                    .iter()
                    .find(same)
                    .map(|e| e.answer.to_vec())
            })
            .flatten()
    });
    if let Some(a) = known {
        return a;
    }
    let answer = compute();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.index != index || m.len >= CAPACITY {
            m.answers.clear();
            m.len = 0;
            m.index = index;
        }
        m.len += 1;
        m.answers.entry(literal.into()).or_default().push(Entry {
            text: text.into(),
            abjad,
            han,
            answer: answer.clone().into_boxed_slice(),
        });
    });
    answer
}
