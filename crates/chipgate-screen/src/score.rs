//! The one scorer: token similarity ([`tok_sim`]: exact, translated, transliterated, typos,
//! consonant skeletons for abjad scripts), weighted greedy token alignment (order-free) and the
//! whole-name rules of [`score_pair`], which screening, name comparison and explanations share.

use serde::{Deserialize, Serialize};

/// Score given when two names are equal once spaces are removed (`hua wei` / `Huawei`).
pub const JOINED_SCORE: f32 = 0.97;
/// Similarity of two spellings of one word in different transliteration systems
/// (`normalize::spelling_key`: `Eliseev` / `Elisiv`, `Tyre` / `Tire`): the same word written
/// another way, a little below a translation. At 0.9, alerts on 5,000 shuffled names of
/// listed people (`screen_eval people`, seed 20261206) were 2.64 % against 2.58 % at 0.85
/// and without spelling keys; NK F1 0.884 against 0.886. Recall on the variants of
/// `screen_eval` `RECALL_MORE` was the same at both.
pub const SPELLING_SIM: f32 = 0.85;
/// Similarity given to tokens whose consonant skeletons agree (abjad scripts omit vowels).
pub const SKELETON_SIM: f32 = 0.9;

/// Optimal-string-alignment distance, giving up (returning `max + 1`) beyond `max`.
pub fn osa(a: &[u8], b: &[u8], max: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return max + 1;
    }
    if n == 0 || m == 0 {
        return n.max(m);
    }
    // Three rows on the stack for words of ordinary length (no allocation per comparison).
    const STACK: usize = 64;
    let w = m + 1;
    let mut heap: Vec<usize>;
    let mut stack = [0usize; 3 * STACK];
    let rows: &mut [usize] = if w <= STACK {
        &mut stack[..3 * w]
    } else {
        heap = vec![0usize; 3 * w];
        &mut heap
    };
    let (prev2, rest) = rows.split_at_mut(w);
    let (prev, cur) = rest.split_at_mut(w);
    let (mut prev2, mut prev, mut cur) = (prev2, prev, cur);
    for (j, x) in prev.iter_mut().enumerate() {
        *x = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Penalty per edit, relative to the token length (1 = an edit costs its share of letters;
/// larger values were tried and cost more recall than they saved alerts).
pub const EDIT_PENALTY: f32 = 1.0;

/// Similarity of two tokens `d` edits apart, the longer of length `len`.
pub fn edit_sim(d: usize, len: usize) -> f32 {
    (1.0 - EDIT_PENALTY * d as f32 / len.max(1) as f32).max(0.0)
}

/// Names rarely get their first letter wrong: an edit there costs more (as in Jaro-Winkler).
pub const FIRST_LETTER_FACTOR: f32 = 0.9;

/// Shortest word a letter slipped in before it, or dropped from its head, costs no
/// first-letter penalty ([`keeps_first_letter`]).
const SLIP_MIN: usize = 6;

/// First letters that sound alike and are written one for the other (`Cencora` / `Sencora`,
/// `Kuang` / `Cuang`, `Yuri` / `Iuri`, `Wladimir` / `Vladimir`, `Selenskyj` / `Zelenskyy`): no
/// first-letter penalty.
fn sound_alike(a: Option<&u8>, b: Option<&u8>) -> bool {
    matches!(
        (a, b),
        (Some(b'c'), Some(b's' | b'k'))
            | (Some(b's' | b'k'), Some(b'c'))
            | (Some(b'i'), Some(b'y'))
            | (Some(b'y'), Some(b'i'))
            | (Some(b'v'), Some(b'w'))
            | (Some(b'w'), Some(b'v'))
            | (Some(b's'), Some(b'z'))
            | (Some(b'z'), Some(b's'))
    )
}

/// Edit budget for a pair of words of these lengths: none when both are shorter than five
/// letters (a changed letter in a short word is usually another word: `prio` / `trio`), one
/// otherwise, two when both have nine letters or more.
pub fn max_edits(a: usize, b: usize) -> usize {
    if a.min(b) >= 9 {
        2
    } else if a.max(b) >= 5 {
        1
    } else {
        0
    }
}

/// Two words of four letters or more that differ only by one swap of neighbouring letters.
fn is_transposition(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || a.len() < 4 {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// Whether two words keep each other's first letter: the same or a sound-alike one, the first
/// two letters swapped (`RPOFIT` / `PROFIT`), or a letter slipped in before a word of six
/// letters or more, or dropped from its head (`VHUAWEI` / `HUAWEI`): shorter words with a
/// letter more in front are often other words (`CARGO` / `ARGO`, `ORION` / `RION`).
fn keeps_first_letter(a: &[u8], b: &[u8]) -> bool {
    a.first() == b.first()
        || sound_alike(a.first(), b.first())
        || matches!((a, b), ([x, y, ..], [p, q, ..]) if x == q && y == p)
        || (a.len().min(b.len()) >= SLIP_MIN && (a.get(1..) == Some(b) || b.get(1..) == Some(a)))
}

/// Similarity of two words by their typos, within [`max_edits`] of each other.
fn typo_sim(a: &[u8], b: &[u8]) -> f32 {
    let len = a.len().max(b.len());
    let first = if keeps_first_letter(a, b) {
        1.0
    } else {
        FIRST_LETTER_FACTOR
    };
    let maxd = max_edits(a.len(), b.len());
    if maxd > 0 {
        let d = osa(a, b, maxd);
        if d <= maxd {
            return edit_sim(d, len) * first;
        }
    } else if is_transposition(a, b) {
        // Four-letter words keep one kind of typo: two neighbouring letters swapped
        // (`iran` / `iarn`), which keeps every letter.
        return edit_sim(1, len) * first;
    }
    0.0
}

/// A folded word with every `ks` written back as `x` (`normalize::fold` writes `x` as `ks`),
/// in `buf`; None when it has no `ks` or is longer than `buf`.
fn unfold_x<'b>(w: &[u8], buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    if w.len() > buf.len() || !w.windows(2).any(|p| p == b"ks") {
        return None;
    }
    let (mut n, mut i) = (0, 0);
    while let Some(&c) = w.get(i) {
        let x = c == b'k' && w.get(i + 1) == Some(&b's');
        *buf.get_mut(n)? = if x { b'x' } else { c };
        n += 1;
        i += if x { 2 } else { 1 };
    }
    buf.get(..n)
}

/// Similarity of two comparison tokens in [0, 1].
pub fn token_sim(a: &str, b: &str, abjad: bool) -> f32 {
    if a == b {
        return 1.0;
    }
    let mut best = typo_sim(a.as_bytes(), b.as_bytes());
    // Typos are counted on the words as written: a wrong or missing `x` is one typo, not the
    // two letters of its folded `ks` (`kixpas` / `kipas`, `impe` / `impex`).
    if best < 1.0 {
        let (mut ba, mut bb) = ([0u8; 64], [0u8; 64]);
        let (ua, ub) = (
            unfold_x(a.as_bytes(), &mut ba),
            unfold_x(b.as_bytes(), &mut bb),
        );
        if ua.is_some() || ub.is_some() {
            let s = typo_sim(ua.unwrap_or(a.as_bytes()), ub.unwrap_or(b.as_bytes()));
            best = best.max(s);
        }
    }
    // Spellings of words of three letters or more: an acronym's letters are not spelt
    // another way (`SSE` is not `SE`).
    if best < SPELLING_SIM && a.len().min(b.len()) >= 3 && crate::normalize::same_spelling(a, b) {
        best = SPELLING_SIM;
    }
    if abjad {
        let (sa, sb) = (crate::normalize::skeleton(a), crate::normalize::skeleton(b));
        if !sa.is_empty() && sa == sb {
            best = best.max(SKELETON_SIM);
        }
    }
    best
}

/// Similarity given to an initial (`J`) against a word starting with that letter (`Joachim`).
pub const INITIAL_SIM: f32 = 0.7;
/// Similarity of an initial in a run of a person's initials that spells, in order, the
/// initials of as many words of the other name (`J R` / `John Robert`): each initial that
/// agrees makes the others less likely a coincidence, so the run says more than one initial
/// alone ([`corroborate_initials`]).
pub const RUN_INITIAL_SIM: f32 = 0.8;

/// Whether a query has a run of two single-letter words or more (initials read one by one):
/// [`score_pair`] may then score pairs above the similarities it was given
/// ([`corroborate_initials`]), which a bound computed before it must count.
pub fn has_initial_run(q: &[STok]) -> bool {
    q.windows(2)
        .any(|w| w.iter().all(|t| t.literal.len() == 1 && !t.han))
}

/// Raises to [`RUN_INITIAL_SIM`] the pairs of a run of two initials or more in the queried
/// name (`J R Smith`) with as many neighbouring words of the other name whose first letters
/// they spell in order (`Smith, John Robert`). Raising twice raises nothing more.
pub fn corroborate_initials(q: &[STok], c: &[STok], sims: &mut [(usize, usize, f32)]) {
    let initial = |t: &STok| t.literal.len() == 1 && !t.han;
    let mut i = 0;
    while i < q.len() {
        let len = q
            .get(i..)
            .map_or(0, |r| r.iter().take_while(|t| initial(t)).count());
        if len < 2 {
            i += 1;
            continue;
        }
        let run = q.get(i..i + len).unwrap_or(&[]);
        for j in 0..c.len().saturating_sub(len - 1) {
            let words = c.get(j..j + len).unwrap_or(&[]);
            let spelt = run.iter().zip(words).all(|(a, b)| {
                b.literal.len() >= 2
                    && !b.han
                    && a.literal.bytes().next() == b.literal.bytes().next()
            });
            if !spelt {
                continue;
            }
            for p in sims.iter_mut() {
                if p.0 >= i && p.0 < i + len && p.1 == j + (p.0 - i) && p.2 < RUN_INITIAL_SIM {
                    p.2 = RUN_INITIAL_SIM;
                }
            }
        }
        i += len;
    }
}
/// For individuals, weight of the better one-sided coverage in the score (the rest is the
/// weighted Dice): people are often named with or without middle names and patronymics.
/// Organisations use the Dice alone (an extra word usually names another company).
pub const PERSON_COVERAGE_BLEND: f32 = 0.5;
/// Similarity of two words that a name table makes equivalent across languages or spellings
/// (`world` / `mundo`, `energy` / `energii`): evidence, but weaker than the same word.
pub const TRANSLATED_SIM: f32 = 0.9;
/// Similarity of a Han word and its pinyin spelling (`华为` / `Huawei`).
pub const TRANSLITERATED_SIM: f32 = 0.95;
/// Highest score a comparison can reach when every word it matched is a generic business
/// word (energy, global, trade, technology, ...), unless the two names are the same words
/// literally, two or more of them: well below the potential-match threshold.
pub const GENERIC_CAP: f32 = 0.7;
/// Smallest similarity of a word pair that counts as the same word written (typos allowed).
pub const LITERAL_MIN_SIM: f32 = 0.8;
/// Factor for a company name (it carries a legal form or company word) against a listed
/// individual: a person's name shares words with many companies.
pub const ORG_VS_PERSON_FACTOR: f32 = 0.75;
/// Score of a group entry ("Moore Threads") whose every word is found in the queried name:
/// the rule lists the group's subsidiaries, so their names contain it.
pub const GROUP_SCORE: f32 = 0.95;
/// Smallest similarity at which a word of a group name counts as found.
pub const GROUP_WORD_SIM: f32 = 0.85;

/// One comparison token with its weight: a view over a normalised token or an indexed one,
/// so that screening, comparison and explanation all score through [`score_pair`].
#[derive(Debug, Clone, Copy)]
pub struct STok<'a> {
    pub text: &'a str,
    pub literal: &'a str,
    pub symbol: bool,
    pub abjad: bool,
    pub han: bool,
    /// Stands for a word of another language (read from Chinese).
    pub translated: bool,
    /// The name writes this word more than once (scored once; `index::is_repeated`).
    pub repeated: bool,
    /// IDF weight.
    pub weight: f32,
    /// A generic business word: a name-table word (energy, trade, technology, ...), in any
    /// language or spelling. (Words frequent in the lists only weigh less, through `weight`:
    /// a listed group's own name is frequent without being generic.)
    pub generic: bool,
    /// A word common in real company names (`global`, `hotel`, `falcon`): in an organisation's
    /// name it identifies no one on its own, like a generic word.
    pub common: bool,
    /// A place (`tables::is_place`: a Chinese province or city, a country).
    pub place: bool,
    /// The Chinese phrase this word was read from, when English writes that phrase in several
    /// words or ways (0: none; see [`Token::phrase`](crate::normalize::Token::phrase)). Only
    /// a queried name's words carry it.
    pub phrase: u16,
    /// Written joined to the word before by a hyphen: a part of the same written name
    /// ([`Token::joined`](crate::normalize::Token::joined)). Only a queried name's words carry it.
    pub joined: bool,
}

/// Whether two literals of one table word are the same word inflected or abbreviated
/// (`technology` / `technologies` / `tech`, `energy` / `energies`) rather than a translation
/// (`world` / `mundo`): they share a prefix of at least four letters that covers all but two
/// letters of the shorter.
fn same_stem(a: &str, b: &str) -> bool {
    let p = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let short = a.len().min(b.len());
    p >= 4.min(short) && p + 2 >= short
}

/// Whether [`tok_sim`] pairs two tokens as one table word translated (`world` / `mundo`), as
/// opposed to written alike, inflected, misspelt or spelt another way (a similarity can equal
/// [`TRANSLATED_SIM`] without being a translation: one typo in ten letters).
fn is_translation(a: &STok, b: &STok) -> bool {
    !a.han
        && !b.han
        && a.text == b.text
        && a.literal != b.literal
        && (a.translated
            || b.translated
            || ((a.symbol || b.symbol) && !same_stem(a.literal, b.literal)))
}

/// Similarity of two comparison tokens in [0, 1]: the one token similarity every path uses.
///
/// - Han against Han: the same characters, else nothing (one character makes another name);
/// - Han against Latin: the pinyin spelling ([`TRANSLITERATED_SIM`]);
/// - the same table word: 1 when written alike or inflected, [`TRANSLATED_SIM`] when translated;
/// - otherwise typos between the literals ([`token_sim`]), consonant skeletons for abjad
///   scripts, given-name variants, and an initial against a word.
pub fn tok_sim(a: &STok, b: &STok) -> f32 {
    if a.han && b.han {
        return if a.literal == b.literal { 1.0 } else { 0.0 };
    }
    if a.han || b.han {
        return if a.text == b.text {
            TRANSLITERATED_SIM
        } else {
            0.0
        };
    }
    if a.text == b.text {
        return if is_translation(a, b) {
            TRANSLATED_SIM
        } else {
            1.0
        };
    }
    let mut s = token_sim(a.literal, b.literal, a.abjad || b.abjad);
    if s < crate::readings::VARIANT_SIM && crate::readings::same_given_name(a.text, b.text) {
        s = crate::readings::VARIANT_SIM;
    }
    if s == 0.0
        && (a.literal.len() == 1) != (b.literal.len() == 1)
        && a.literal.as_bytes().first() == b.literal.as_bytes().first()
    {
        return INITIAL_SIM;
    }
    s
}

/// What kind of party a name is, as far as the comparison needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SideKind {
    /// A listed individual.
    pub person: bool,
    /// A group name that stands for its subsidiaries.
    pub group: bool,
    /// The name carries a legal form or company word: an organisation.
    pub org: bool,
    /// The name is a company's beyond doubt (`index::is_company`): a legal form, or table
    /// words for half its words. Only the queried side's counts.
    pub company: bool,
}

/// Whole-name facts a token alignment cannot see, computed by the caller.
#[derive(Debug, Clone, Copy, Default)]
pub struct WholeName {
    /// Similarity of the names joined without spaces (`hua wei` / `huawei`), 0 when not
    /// comparable.
    pub joined_sim: f32,
    /// The joined consonant skeletons agree (abjad scripts).
    pub skeleton: bool,
    /// A reading of one name's Han / Hangul characters spells the other name.
    pub reads: bool,
    /// The names are written alike, legal forms included, spaces and punctuation aside
    /// (`index::whole_key`).
    pub identical: bool,
}

/// How a score was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Tokens,
    Joined,
    Group,
    Reading,
    /// The names are written alike, every word included (`index::whole_key`).
    Identical,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Tokens => "tokens",
            Method::Joined => "joined",
            Method::Group => "group",
            Method::Reading => "reading",
            Method::Identical => "identical",
        }
    }
}

/// A scored comparison: the score, the method and the token alignment behind it.
#[derive(Debug, Clone)]
pub struct Scored {
    pub score: f32,
    pub method: Method,
    pub pairs: Vec<(usize, usize, f32)>,
    /// The generic-words cap lowered the score.
    pub generic_only: bool,
    /// Another limit on names of listed organisations lowered it ([`Cap`]).
    pub capped: Option<Cap>,
    /// The company-against-person factor applied.
    pub org_vs_person: bool,
    /// Query words left out of the score: other ways of writing a phrase another way matched
    /// (`score::align_phrases`).
    pub left_out: Vec<usize>,
    /// The names share no word that identifies a company by itself: every word they share is
    /// generic or common in company names (`GLOBAL ENERGY`, `HOTEL PLAZA`). Such a name is the
    /// same party only where other evidence agrees (the screener's country factor). A place
    /// shared counts as identifying: `IRAN AIR` and `CHINA MOBILE` have offices abroad.
    pub common_words_only: bool,
}

/// The one scoring function: screening, name comparison and explanations all call it.
/// `sims` holds every token pair with a positive [`tok_sim`] (query index, candidate index)
/// and, between people ([`person_pair`]), the [`loose_sim`] pairs [`add_loose_pairs`] adds:
/// screening needs them before scoring, for its upper bound.
pub fn score_pair(
    q: &[STok],
    c: &[STok],
    qk: SideKind,
    ck: SideKind,
    sims: Vec<(usize, usize, f32)>,
    whole: WholeName,
) -> Scored {
    let qw: Vec<f32> = q.iter().map(|t| t.weight).collect();
    let cw: Vec<f32> = c.iter().map(|t| t.weight).collect();
    // An initial stands for a word only in a person's name ("J. Smith"); an organisation's
    // initials count only as an acronym the list itself gives.
    let mut sims = sims;
    if !ck.person {
        sims.retain(|&(i, j, _)| {
            let (a, b) = (
                q.get(i).map_or(0, |t| t.literal.len()),
                c.get(j).map_or(0, |t| t.literal.len()),
            );
            (a == 1) == (b == 1)
        });
    }
    // Between organisations' names, a queried word common in company names that is not the
    // listed word is another word, not a misspelling of it ("MARKET" / "Markel", "BUILDING" /
    // "BILDING"): no typo pairs for it. Another spelling of it is it (`TIRE` / `TYRE`).
    let orgs = !ck.person && (qk.org || ck.org);
    if orgs {
        sims.retain(|&(i, j, _)| match (q.get(i), c.get(j)) {
            (Some(a), Some(b)) => {
                !a.common
                    || a.text == b.text
                    || a.literal == b.literal
                    || a.han
                    || b.han
                    || crate::normalize::same_spelling(a.literal, b.literal)
            }
            _ => true,
        });
    }
    let people = person_pair(qk, ck);
    if people {
        corroborate_initials(q, c, &mut sims);
    }
    let (mut al, left_out) = align_phrases(q, &qw, &cw, sims);
    let q_len = q.len() - left_out.len();
    // A listed person's name of two words one of which is a particle (`AL-QADHAFI`) is scored
    // by the Dice alone: a queried name containing it may be anyone of that family.
    let person = ck.person && (c.len() >= 3 || (c.len() == 2 && !c.iter().any(is_particle)));
    // Which words the alignment paired (re-weighting below keeps the same pairs).
    let (mut paired_q, mut paired_c) = ([false; 64], [false; 64]);
    for p in &al.pairs {
        if let (Some(x), Some(y)) = (paired_q.get_mut(p.0), paired_c.get_mut(p.1)) {
            (*x, *y) = (true, true);
        }
    }
    // A word left unpaired (the query's when `query`), not counting query words left out as
    // other writings of a phrase.
    let unpaired = |query: bool, k: usize| {
        let paired = if query { &paired_q } else { &paired_c };
        let left = query && left_out.contains(&k);
        !(paired.get(k).copied().unwrap_or(false) || left)
    };
    // Particles and patronymics are written or left out: unpaired, they are no difference
    // between two people's names (`Boris Johnson` / `Alexandre Boris de Pfeffel Johnson`,
    // `Sergey Lavrov` / `Sergey Viktorovich Lavrov`).
    if people {
        let unpaired_part = |v: &[STok], query: bool| -> Vec<(usize, NamePart)> {
            (0..v.len())
                .filter(|&k| unpaired(query, k))
                .filter_map(|k| optional_name_part(v, k).map(|p| (k, p)))
                .collect()
        };
        let (uq, uc) = (unpaired_part(q, true), unpaired_part(c, false));
        // Two different patronymics are two fathers: those stay in the score.
        let both_patronymic = uq.iter().any(|p| p.1 == NamePart::Patronymic)
            && uc.iter().any(|p| p.1 == NamePart::Patronymic);
        let droppable = |p: &(usize, NamePart)| !(both_patronymic && p.1 == NamePart::Patronymic);
        if uq.iter().chain(&uc).any(droppable) {
            let (mut wq, mut wc) = (qw.clone(), cw.clone());
            for &k in &left_out {
                if let Some(x) = wq.get_mut(k) {
                    *x = 0.0;
                }
            }
            for (w, u) in [(&mut wq, &uq), (&mut wc, &uc)] {
                for p in u.iter().filter(|p| droppable(p)) {
                    if let Some(x) = w.get_mut(p.0) {
                        *x = 0.0;
                    }
                }
            }
            al = align(&wq, &wc, al.pairs.clone());
        }
    }
    // Two people's names that each keep a word the other does not have ("... HASAN
    // AL-MASHHADANI" / "... HASAN AL-TIKRITI"), or write once a word the other writes twice
    // ("ABDUL KABIR ABDUL JAN" / "ABDUL KABIR MOHAMMAD JAN"), disagree; a name written with or
    // without a middle name or patronymic does not. Such names are scored by their Dice alone
    // and lowered by [`PERSON_CONFLICT_FACTOR`].
    let conflict = people && {
        let similar = |a: &STok, b: &STok| tok_sim(a, b) > 0.0 || loose_sim(a, b) > 0.0;
        // A word of `own` (the query's when `query`) that the other name lacks: unpaired and
        // not a particle, or the second writing of a repeated word; but a word left unpaired
        // against a repeated word it is similar to is that word's second writing misspelt
        // (`BARRERA BARREA` / `BARRERA BARRERA`).
        let extra = |query: bool| {
            let (own, other) = if query { (q, c) } else { (c, q) };
            let lone = (0..own.len()).any(|k| {
                unpaired(query, k)
                    && optional_name_part(own, k) != Some(NamePart::Particle)
                    && !own
                        .get(k)
                        .is_some_and(|t| other.iter().any(|r| r.repeated && similar(t, r)))
            });
            lone || al.pairs.iter().any(|p| {
                let (a, b) = if query { (p.0, p.1) } else { (p.1, p.0) };
                own.get(a).is_some_and(|t| {
                    t.repeated
                        && optional_name_part(own, a) != Some(NamePart::Particle)
                        && !other.get(b).is_some_and(|x| x.repeated)
                        && !(0..other.len()).any(|k| {
                            unpaired(!query, k) && other.get(k).is_some_and(|x| similar(t, x))
                        })
                })
            })
        };
        extra(true) && extra(false)
    };
    let blend = if person && !conflict {
        PERSON_COVERAGE_BLEND
    } else {
        0.0
    };
    // A listed name paired only within one hyphenated name of the query (`RAHIM, Abdul`
    // within `Abdul-Rahim GELERI`, `ABU-'AMMAR` within `ABU-'AMMAR MALYSHEV`) while a word
    // of the query's other names goes unpaired is that one name, not the person: the listed
    // name's coverage does not count, only the query's.
    if blend > 0.0
        && q.iter().any(|t| t.joined)
        && one_written_name(q, &al.pairs, |k| {
            unpaired(true, k) && optional_name_part(q, k).is_none()
        })
    {
        al.coverage = al.cov_q;
    }
    let mut score = al.blended(blend);
    if conflict {
        score *= PERSON_CONFLICT_FACTOR;
    }
    let mut method = Method::Tokens;
    // Generic words alone identify nobody, unless the names are the same words literally; in
    // organisations' names neither do words common in company names.
    let weak = |t: &STok| t.generic || (t.common && orgs);
    let distinctive = al
        .pairs
        .iter()
        .any(|&(i, j, _)| !c.get(j).is_some_and(weak) && !q.get(i).is_some_and(weak));
    // Words common in company names name a company together, when no word is left over on
    // either side ("SILVER TECHNOLOGY"); generic words do not even then.
    let beyond_generic = al.pairs.iter().any(|&(i, j, _)| {
        !c.get(j).is_some_and(|t| t.generic) && !q.get(i).is_some_and(|t| t.generic)
    });
    let complete = al.pairs.len() == q_len && al.pairs.len() == c.len();
    // The same name: every word paired both ways (typos allowed) and written alike; or three
    // words or more paired with at most one left over on each side (a whole name translated
    // word by word, "国防科技大学").
    let translated_pairs = al
        .pairs
        .iter()
        .any(|&(i, j, _)| match (q.get(i), c.get(j)) {
            (Some(a), Some(b)) => is_translation(a, b),
            _ => false,
        });
    let close = al.pairs.iter().all(|p| p.2 >= LITERAL_MIN_SIM);
    let literal_same = if let ([a], [b]) = (q, c) {
        // One generic word each ("ENERGY S.P.A." / "JSC ENERGY") identifies nobody, even
        // written alike; one word common in company names ("OOO GAS") names a company when it
        // is written exactly so.
        !a.generic && !b.generic && a.literal == b.literal
    } else if al.pairs.len() >= 3 {
        // Three words or more: at most one left over on either side.
        close && q_len <= al.pairs.len() + 1 && c.len() <= al.pairs.len() + 1
    } else {
        close
            && q_len >= 2
            && al.pairs.len() == q_len
            && al.pairs.len() == c.len()
            && !translated_pairs
    };
    let mut generic_only = false;
    // Group names: every word of the group found in the queried name.
    if ck.group && !c.is_empty() {
        let found = c.len() == al.pairs.len() && al.pairs.iter().all(|p| p.2 >= GROUP_WORD_SIM);
        if found && distinctive {
            let cov = al.pairs.iter().map(|p| p.2 * cw[p.1]).sum::<f32>()
                / cw.iter().sum::<f32>().max(f32::MIN_POSITIVE);
            let g = GROUP_SCORE * cov;
            if g > score {
                score = g;
                method = Method::Group;
            }
        }
    }
    // Names written with or without spaces ("hua wei" / "Huawei"): only where the word counts
    // differ, and only for names with a distinctive word on each side.
    let has_distinctive = |v: &[STok]| v.iter().any(|t| !t.generic);
    // Same word counts: only for people (a syllable misspelt in "Kim Jong-uun").
    if q.len() + c.len() >= 3
        && (q.len() != c.len() || ck.person || whole.joined_sim >= 1.0)
        && has_distinctive(q)
        && has_distinctive(c)
    {
        let j = JOINED_SCORE * whole.joined_sim;
        if j > score {
            score = j;
            method = Method::Joined;
        }
        if whole.skeleton && JOINED_SCORE * SKELETON_SIM > score {
            score = JOINED_SCORE * SKELETON_SIM;
            method = Method::Joined;
        }
    }
    // Generic words name no one unless the names are the same words; words common in company
    // names name no one unless every word pairs, even among three or more.
    let weak_only = if beyond_generic {
        !distinctive && !complete
    } else {
        !literal_same
    };
    if method != Method::Joined && weak_only && score > GENERIC_CAP {
        score = GENERIC_CAP;
        generic_only = true;
    }
    let mut capped = None;
    if !ck.person && !ck.group && method == Method::Tokens && !generic_only {
        // A listed organisation named by a short acronym alone (`JCT`, `ECS`): many companies
        // use those letters, so a queried name with other words besides says little.
        let lone_acronym = matches!(c, [t] if !t.han && t.literal.len() <= ACRONYM_MAX);
        let extra = (0..q.len()).any(|k| unpaired(true, k));
        if lone_acronym && extra && score > GENERIC_CAP {
            score = GENERIC_CAP;
            capped = Some(Cap::LoneAcronym);
        }
    }
    if orgs && !ck.group && method == Method::Tokens && !generic_only && capped.is_none() {
        if let Some(own) = near_spelling_limit(q, c, &cw, &al.pairs) {
            if score > own {
                score = own;
                capped = Some(Cap::NearSpelling);
            }
        }
    }
    let qt: Vec<&str> = q.iter().map(|t| t.text).collect();
    let ct: Vec<&str> = c.iter().map(|t| t.text).collect();
    score *= structure_factor(&qt, &ct, &al.pairs);
    // Numbered siblings ("Fund V" / "Fund VI", "Trust I" / "Trust") are one family: shown,
    // never the same name.
    if (has_numeral(&qt) || has_numeral(&ct)) && numerals(&qt) != numerals(&ct) {
        score = score.min(SIBLING_CAP);
    }
    // A place on each side that the other does not have ("Santander México" / "Santander
    // Chile"): members of one group in different places, not one party.
    let unmatched_place = |v: &[STok], query: bool| {
        v.iter().enumerate().any(|(k, t)| {
            t.place
                && !(query && left_out.contains(&k))
                && !al
                    .pairs
                    .iter()
                    .any(|p| if query { p.0 == k } else { p.1 == k })
        })
    };
    if unmatched_place(q, true) && unmatched_place(c, false) {
        score = score.min(PLACE_CONFLICT_CAP);
    }
    // A company named with a listed person's whole name (`Nicolás Maduro LLC`), written as
    // the list writes it, is what screening is for; fewer words than that, or words only
    // spelt like the person's (`Victor Green Limited` / `GRIN, Viktor`), say little.
    let written_alike = al.pairs.iter().all(|p| p.2 >= 1.0);
    let org_vs_person =
        qk.company && ck.person && !(literal_same && written_alike && al.pairs.len() >= 2);
    if org_vs_person {
        score *= ORG_VS_PERSON_FACTOR;
    }
    if whole.reads && score < crate::readings::READING_SCORE {
        score = crate::readings::READING_SCORE;
        method = Method::Reading;
    }
    // The same name, written alike: whatever its words, a 1.00 (a generic name written with
    // its legal form, `Société Générale S.A.`, or glued to it, `SiemensAG`).
    if whole.identical {
        score = 1.0;
        method = Method::Identical;
    }
    let common_words_only = shares_common_words_only(q, c, method, &al.pairs);
    Scored {
        score,
        method,
        pairs: al.pairs,
        generic_only,
        capped,
        org_vs_person,
        left_out,
        common_words_only,
    }
}

/// Whether two names share only words that identify no company by themselves (generic or
/// common in company names): judged on the words paired, or, for a score by the whole name
/// (joined, read, identical), on each side's words.
fn shares_common_words_only(
    q: &[STok],
    c: &[STok],
    method: Method,
    pairs: &[(usize, usize, f32)],
) -> bool {
    let identifies = |t: &STok| t.place || !(t.generic || t.common);
    match method {
        Method::Tokens | Method::Group => !pairs
            .iter()
            .any(|&(i, j, _)| q.get(i).is_some_and(identifies) && c.get(j).is_some_and(identifies)),
        _ => !(q.iter().any(identifies) && c.iter().any(identifies)),
    }
}

/// Between organisations' names, the most a comparison may score when every word that
/// identifies pairs only as a near spelling (`Inova Technology` / `Nova Technologies`): those
/// words' similarity, weighted as the listed name weighs them, which generic words written
/// alike do not lift. Identifying words are those neither generic nor common in company names;
/// without any, the common words that name a company together. None when one of them is
/// written alike (or there are none).
fn near_spelling_limit(
    q: &[STok],
    c: &[STok],
    cw: &[f32],
    pairs: &[(usize, usize, f32)],
) -> Option<f32> {
    let select = |weak: &dyn Fn(&STok) -> bool| -> Vec<(usize, f32)> {
        pairs
            .iter()
            .filter(|&&(i, j, _)| !c.get(j).is_some_and(weak) && !q.get(i).is_some_and(weak))
            .map(|&(_, j, sim)| (j, sim))
            .collect()
    };
    let mut identifying = select(&|t: &STok| t.generic || t.common);
    if identifying.is_empty() {
        identifying = select(&|t: &STok| t.generic);
    }
    let weight = |j: usize| cw.get(j).copied().unwrap_or(0.0);
    let total: f32 = identifying.iter().map(|&(j, _)| weight(j)).sum();
    if identifying.is_empty() || total <= 0.0 || identifying.iter().any(|&(_, s)| s >= 1.0) {
        return None;
    }
    Some(identifying.iter().map(|&(j, s)| s * weight(j)).sum::<f32>() / total)
}

/// Longest listed name, in letters, that counts as a lone acronym ([`Cap::LoneAcronym`]).
pub const ACRONYM_MAX: usize = 3;

/// A limit that lowered a comparison with a listed organisation, shown in its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Every identifying word paired only as a near spelling: at most their similarity.
    NearSpelling,
    /// The listed name is a short acronym alone, and the queried name has other words:
    /// at most [`GENERIC_CAP`].
    LoneAcronym,
}

/// Whether a comparison is between two people's names: a listed individual and a queried
/// name that carries no legal form or company word.
pub fn person_pair(qk: SideKind, ck: SideKind) -> bool {
    ck.person && !qk.company
}

/// What a word of a person's name is, when it may be written or left out without naming
/// someone else: a particle ([`NAME_PARTICLES`]), or a patronymic (`Viktorovich`, `Ivanovna`)
/// after the first word of a name of three words or more (`KADYROV, Ramzan Akhmatovich`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    Particle,
    Patronymic,
}

/// The optional part word `k` of name `v` is, if any ([`NamePart`]).
pub fn optional_name_part(v: &[STok], k: usize) -> Option<NamePart> {
    const PATRONYMIC: [&str; 10] = [
        "ovich", "evich", "ovych", "evych", "ovitch", "ovna", "evna", "ivna", "ichna", "oglu",
    ];
    let t = v.get(k)?;
    if is_particle(t) {
        Some(NamePart::Particle)
    } else if v.len() >= 3
        && k > 0
        && t.text.len() >= 7
        && PATRONYMIC.iter().any(|s| t.text.ends_with(s))
    {
        Some(NamePart::Patronymic)
    } else {
        None
    }
}

/// Whether a word is a particle of personal names ([`NAME_PARTICLES`]).
fn is_particle(t: &STok) -> bool {
    NAME_PARTICLES.contains(&t.text)
}

/// Particles of personal names (`al`, `bin`, `de`, `van`): written or left out, and spelt
/// many ways (`el` / `al`), so one left unpaired is no disagreement.
const NAME_PARTICLES: [&str; 25] = [
    "al", "el", "ul", "ud", "ad", "as", "ash", "bin", "ibn", "ben", "bint", "binti", "bn", "ould",
    "de", "da", "di", "del", "du", "dos", "van", "von", "der", "den", "la",
];

/// Factor for two people's names each keeping a word the other lacks (a different father's
/// or family name, not a missing one): scored by the Dice alone, and lowered by this much.
/// A name of seven words with one word changed has a Dice near 0.95, because the words that
/// tell two relatives apart are often common given names (`AHMED` / `MOHAMED`): 0.95 left such
/// names above the 0.80 threshold; 0.85 puts them under it. On the nomenklatura pairs, 0.95 →
/// 0.85 took F1 from 0.890 to 0.896 (five pairs of relatives no longer alert, no match lost);
/// recall, the people probe and the `rewritten` set did not move.
pub const PERSON_CONFLICT_FACTOR: f32 = 0.85;

/// Factor on the edit similarity of a loose pair of personal-name words ([`loose_sim`]). On
/// the nomenklatura pairs, 1.0 gave F1 0.884 and 0.9 gave 0.879; on 5,000 shuffled names of
/// listed people (`screen_eval people`, retrieval then widened for every name that may be a
/// person's), alerts rose from 2.6 % without loose pairs to 3.6 % at 1.0 and 3.0 % at 0.9.
pub const LOOSE_FACTOR: f32 = 0.9;
/// Highest similarity a loose pair of personal names can have by its edits ([`loose_sim`]): one
/// edit in four letters, by [`LOOSE_FACTOR`].
pub const LOOSE_EDIT_MAX: f32 = 0.675;
/// Similarity of two words of personal names written with other vowels ([`vowel_variant`]:
/// `Khairbek` / `Khayrbik`, `Douraid` / `Dureid`, `Kattan` / `Qattan`). Scripts that leave
/// vowels unwritten (Arabic, Persian, Hebrew) are romanised with whatever vowels the writer
/// hears, so the same consonants in the same order are most often the same name. Just under
/// the potential-match threshold: one such word alone (`TOKISA` / `TUKESA`) alerts no one,
/// another word must agree. On 449 real rewrites of OFAC names (`screen_eval rewritten`), 0.78
/// found 238 first, 0.80 239 and no vowel variants 228; at 0.80, two more of 380,000 GLEIF
/// names alerted (`Van Houtum` / `HITEM`), at 0.78 none. Shuffled names of listed people
/// (`screen_eval people`, three seeds) alerted 0.1 point more often than without.
pub const VOWEL_SIM: f32 = 0.78;
/// Highest similarity [`loose_sim`] gives: the greater of [`VOWEL_SIM`] and
/// [`LOOSE_EDIT_MAX`]. Screening's search and pruning bounds take loose pairs at this.
pub const LOOSE_MAX: f32 = 0.78;
// Screening's bounds are sound only if no loose pair exceeds them.
const _: () = assert!(LOOSE_MAX >= VOWEL_SIM && LOOSE_MAX >= LOOSE_EDIT_MAX);

/// Similarity of two words of personal names beyond the typo budget of [`token_sim`]: names of
/// people are spelt by ear (`Scholz` / `Schulze`, `Nadella` / `Nandela`, `Abiy` / `Abiyot`),
/// so two edits in words of four letters or more, or one in three-letter words, still count,
/// for less ([`LOOSE_FACTOR`], at most [`LOOSE_EDIT_MAX`]), when the first letters agree or
/// sound alike; one name written with other vowels counts for [`VOWEL_SIM`]
/// ([`vowel_variant`]), and so does `Eddin` written apart against `Din`. Table words, Han words
/// and numbers take no loose pairs.
pub fn loose_sim(a: &STok, b: &STok) -> f32 {
    if a.han || b.han || a.symbol || b.symbol {
        return 0.0;
    }
    let (x, y) = (a.literal.as_bytes(), b.literal.as_bytes());
    let short = x.len().min(y.len());
    if short < 3 || !x.iter().chain(y).all(u8::is_ascii_lowercase) {
        return 0.0;
    }
    // `Eddin` written apart is the article and `Din` (`Kamal Eddin` / `Kamal al-Din`): one
    // name written another way, like other vowels (the query's `Eddin` is also read as `Din`
    // whole, `compounds`; a listed one is not).
    let din = |w: &[u8], other: &[u8]| {
        other == b"din" && std::str::from_utf8(w).is_ok_and(crate::compounds::din_apart)
    };
    if vowel_variant(x, y) || din(x, y) || din(y, x) {
        return VOWEL_SIM;
    }
    if !(x.first() == y.first() || sound_alike(x.first(), y.first())) {
        return 0.0;
    }
    let max = if short >= 4 { 2 } else { 1 };
    let d = osa(x, y, max);
    if d == 0 || d > max {
        return 0.0;
    }
    (LOOSE_FACTOR * edit_sim(d, x.len().max(y.len()))).min(LOOSE_EDIT_MAX)
}

/// Whether two words of personal names are one name written with other vowels: their
/// [`vowel_key`](crate::normalize::vowel_key)s, of four letters or more, have the same
/// consonants in the same order, two at least, and the same ending; they are at most two edits
/// apart, and begin with the same consonant or both with a vowel (`Urfali` / `Orfali`). Two
/// edits at most keep apart names whose vowels move as well as change (`Mohamed` / `Mahmud`).
fn vowel_variant(x: &[u8], y: &[u8]) -> bool {
    use crate::normalize::{vowel_key, SPELLING_MAX};
    let (mut bx, mut by) = ([0u8; SPELLING_MAX], [0u8; SPELLING_MAX]);
    let (Some(n), Some(m)) = (vowel_key(x, &mut bx), vowel_key(y, &mut by)) else {
        return false;
    };
    let (kx, ky) = (
        bx.get(..n).unwrap_or_default(),
        by.get(..m).unwrap_or_default(),
    );
    if kx.len().min(ky.len()) < 4 {
        return false;
    }
    let vowel = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let consonants = kx.iter().filter(|c| !vowel(c)).count();
    // Two consonants leave little to tell names apart: one edit at most (`Adil` / `Adel`,
    // `Ehab` / `Ihab`; not `Olga` / `Oleg`).
    let edits = match consonants {
        0 | 1 => return false,
        2 => 1,
        _ => 2,
    };
    let same_start = kx.first() == ky.first()
        || (kx.first().is_some_and(vowel) && ky.first().is_some_and(vowel));
    // A vowel ending added or changed makes another name: a feminine (`Akhmadova` /
    // `Akhmadov`), a family name from a place or a father (`Hammadi` / `Hamid`).
    let same_end =
        kx.last() == ky.last() || !(kx.last().is_some_and(vowel) || ky.last().is_some_and(vowel));
    same_start
        && same_end
        && kx
            .iter()
            .filter(|c| !vowel(c))
            .eq(ky.iter().filter(|c| !vowel(c)))
        && osa(kx, ky, edits) <= edits
}

/// Adds to `sims` the [`loose_sim`] of every token pair that has no similarity yet (between
/// two people's names, [`person_pair`]), and raises a pair similar for less than [`VOWEL_SIM`]
/// to its loose similarity when that is more: one name written with other vowels (`Urfali` /
/// `Orfali`, otherwise a typo in the first letter).
pub fn add_loose_pairs(q: &[STok], c: &[STok], sims: &mut Vec<(usize, usize, f32)>) {
    // Pairs already similar, by query word (names keep at most 64 words).
    let mut has = [0u64; 64];
    for p in sims.iter_mut() {
        let (i, j) = (p.0, p.1);
        if let Some(h) = has.get_mut(i) {
            *h |= 1u64.checked_shl(j as u32).unwrap_or(0);
        }
        if p.2 < VOWEL_SIM {
            if let (Some(a), Some(b)) = (q.get(i), c.get(j)) {
                p.2 = p.2.max(loose_sim(a, b));
            }
        }
    }
    for (i, a) in q.iter().enumerate().take(64) {
        for (j, b) in c.iter().enumerate().take(64) {
            if has[i] >> j & 1 == 1 {
                continue;
            }
            let s = loose_sim(a, b);
            if s > 0.0 {
                sims.push((i, j, s));
            }
        }
    }
}

/// The alignment of a queried name's words with a candidate's, where a word read from a
/// Chinese phrase that another word of the same phrase already matched does not count when it
/// is left unmatched (`科技` read as `science technology` against a list's `Technology`): the
/// alignment and the words left out that way.
fn align_phrases(
    q: &[STok],
    qw: &[f32],
    cw: &[f32],
    sims: Vec<(usize, usize, f32)>,
) -> (Alignment, Vec<usize>) {
    if q.iter().all(|t| t.phrase == 0) {
        return (align(qw, cw, sims), Vec::new());
    }
    let first = align(qw, cw, sims.clone());
    let matched = |i: usize| first.pairs.iter().any(|p| p.0 == i);
    let phrase = |i: usize| q.get(i).map_or(0, |t| t.phrase);
    // An unmatched word of a phrase is left out when another word of the phrase matched, or
    // when an earlier one stands for the unmatched phrase (it counts once, not once per way
    // of writing it); an optional phrase left unmatched is left out altogether.
    let left: Vec<usize> = (0..q.len())
        .filter(|&i| {
            let ph = phrase(i);
            ph != 0
                && !matched(i)
                && (ph == crate::normalize::OPTIONAL_PHRASE
                    || (0..q.len()).any(|k| k != i && matched(k) && phrase(k) == ph)
                    || (0..i).any(|k| phrase(k) == ph))
        })
        .collect();
    if left.is_empty() {
        return (first, left);
    }
    let mut w = qw.to_vec();
    for &i in &left {
        if let Some(x) = w.get_mut(i) {
            *x = 0.0;
        }
    }
    (align(&w, cw, sims), left)
}

/// Factor when the given name of one name aligns with the father's name of the other in Arabic
/// patronymic chains ("Salman bin Muhammad" / "Muhammad bin Salman": father and son).
pub const NASAB_SWAP_FACTOR: f32 = 0.75;

const PARTICLES: [&str; 7] = ["bin", "ibn", "ben", "bint", "binti", "bn", "ould"];

/// Whether a comparison token is a number or a Roman numeral up to 39 (read from its folded
/// form: `x` → `ks`, `viii` → `viy`). One-letter numerals and `xi` count only as the last token
/// (elsewhere they are initials, or the surname Xi).
pub fn is_numeral(t: &str, last: bool) -> bool {
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| matches!(b, b'i' | b'v' | b'k' | b's' | b'y'))
    {
        return false;
    }
    let mut r = t.replace("ks", "x");
    if r.len() > 1 && r.ends_with('y') {
        r.truncate(r.len() - 1);
        r.push_str("ii");
    }
    if r.is_empty() || !r.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        return false;
    }
    let tens = r.bytes().take_while(|&b| b == b'x').count();
    let unit = &r[tens..];
    let unit_ok = matches!(
        unit,
        "" | "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix"
    );
    unit_ok && tens <= 3 && (last || (r.len() >= 2 && r != "xi"))
}

/// Patronymic roles: 1 = given name (first token), 2 = father's name (after `bin`, `ben`, ...);
/// all 0 when the name has no particle after its first token.
fn nasab_roles(t: &[&str]) -> Vec<u8> {
    let mut r = vec![0u8; t.len()];
    if !t.iter().skip(1).any(|x| PARTICLES.contains(x)) {
        return r;
    }
    for (k, x) in t.iter().enumerate() {
        if PARTICLES.contains(x) {
            if let (Some(next), Some(role)) = (t.get(k + 1), r.get_mut(k + 1)) {
                if !PARTICLES.contains(next) {
                    *role = 2;
                }
            }
        }
    }
    if let (Some(first), Some(role)) = (t.first(), r.first_mut()) {
        if !PARTICLES.contains(first) {
            *role = 1;
        }
    }
    r
}

/// Highest score of two names each of which names a place the other does not: below the
/// default potential-match threshold.
pub const PLACE_CONFLICT_CAP: f32 = 0.75;

/// Highest score of two names that differ in their numbers or Roman numerals: below the
/// default match threshold (numbered names are siblings, `index::NUMERAL_WEIGHT`).
pub const SIBLING_CAP: f32 = 0.9;

/// Whether a name's token texts hold a number or Roman numeral.
fn has_numeral(t: &[&str]) -> bool {
    t.iter()
        .enumerate()
        .any(|(k, x)| is_numeral(x, k + 1 == t.len()))
}

/// The numbers and Roman numerals of a name's token texts, sorted.
fn numerals<'a>(t: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = t
        .iter()
        .enumerate()
        .filter(|(k, x)| is_numeral(x, k + 1 == t.len()))
        .map(|(_, x)| *x)
        .collect();
    v.sort_unstable();
    v
}

/// Factor for structural disagreements the order-free alignment does not see: swapped
/// patronymic chains ([`NASAB_SWAP_FACTOR`]). `q` and `c` are the aligned token texts,
/// `pairs` the alignment. (Numerals weigh little instead, `index::NUMERAL_WEIGHT`: numbered
/// names are siblings of one family, which screening should show.)
pub fn structure_factor(q: &[&str], c: &[&str], pairs: &[(usize, usize, f32)]) -> f32 {
    let mut f = 1.0;
    let particle = |t: &[&str]| t.iter().skip(1).any(|x| PARTICLES.contains(x));
    if !particle(q) || !particle(c) {
        return f;
    }
    let (rq, rc) = (nasab_roles(q), nasab_roles(c));
    if rq.contains(&2) && rc.contains(&2) {
        let swapped = pairs.iter().any(|&(i, j, _)| {
            matches!(
                (rq.get(i).copied(), rc.get(j).copied()),
                (Some(1), Some(2)) | (Some(2), Some(1))
            )
        });
        if swapped {
            f *= NASAB_SWAP_FACTOR;
        }
    }
    f
}

/// One aligned token pair in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenMatch {
    pub query: String,
    pub candidate: String,
    pub similarity: f32,
}

/// Why a hit scored what it scored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Token pairs that matched (exactly or approximately).
    pub matched: Vec<TokenMatch>,
    /// Query tokens with no counterpart.
    pub query_only: Vec<String>,
    /// Candidate-name tokens with no counterpart.
    pub candidate_only: Vec<String>,
    /// Legal forms / company words set aside on either side (not counted as evidence).
    pub set_aside: Vec<String>,
    /// `tokens` (weighted token alignment) or `joined` (equal once spaces are removed).
    pub method: String,
    pub score: f32,
    /// One-line human summary.
    pub summary: String,
}

/// Result of aligning two weighted token lists: score and chosen pairs (query idx, cand idx, sim).
pub struct Alignment {
    /// Weighted Dice coefficient.
    pub score: f32,
    /// Better one-sided coverage (share of one name's weight that is matched).
    pub coverage: f32,
    /// The query's coverage: the share of its weight that is matched.
    pub cov_q: f32,
    pub pairs: Vec<(usize, usize, f32)>,
}

impl Alignment {
    /// Score with the given coverage blend (0 = Dice only).
    pub fn blended(&self, blend: f32) -> f32 {
        (1.0 - blend) * self.score + blend * self.coverage
    }
}

/// Greedy weighted alignment: pairs sorted by similarity; score is the weighted Dice coefficient
/// Σ sim·(w_q + w_c) / (Σ w_q + Σ w_c).
pub fn align(qw: &[f32], cw: &[f32], mut sims: Vec<(usize, usize, f32)>) -> Alignment {
    sims.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then((qw[b.0] + cw[b.1]).total_cmp(&(qw[a.0] + cw[a.1])))
    });
    let mut qused = [false; 64];
    let mut cused = [false; 64];
    let mut pairs = Vec::new();
    let mut matched = 0.0f32;
    for (i, j, s) in sims {
        if i >= 64 || j >= 64 || qused[i] || cused[j] || s <= 0.0 {
            continue;
        }
        qused[i] = true;
        cused[j] = true;
        matched += s * (qw[i] + cw[j]);
        pairs.push((i, j, s));
    }
    let (wq, wc): (f32, f32) = (qw.iter().sum(), cw.iter().sum());
    let denom = wq + wc;
    let dice = if denom > 0.0 { matched / denom } else { 0.0 };
    let cov_q = if wq > 0.0 {
        pairs.iter().map(|p| p.2 * qw[p.0]).sum::<f32>() / wq
    } else {
        0.0
    };
    let cov_c = if wc > 0.0 {
        pairs.iter().map(|p| p.2 * cw[p.1]).sum::<f32>() / wc
    } else {
        0.0
    };
    Alignment {
        score: dice,
        coverage: cov_q.max(cov_c),
        cov_q,
        pairs,
    }
}

/// Whether every pair, particles aside (`al` is written in many names), falls within one name
/// the query writes hyphenated (its words joined by [`STok::joined`]) while some other word
/// of the query that `counts` is left over.
fn one_written_name(
    q: &[STok],
    pairs: &[(usize, usize, f32)],
    counts: impl Fn(usize) -> bool,
) -> bool {
    let paired: Vec<usize> = pairs
        .iter()
        .map(|p| p.0)
        .filter(|&i| !q.get(i).is_some_and(is_particle))
        .collect();
    // The written name each word belongs to: a new one begins at each word not joined.
    let mut name = Vec::with_capacity(q.len());
    let mut n = 0usize;
    for (k, t) in q.iter().enumerate() {
        if k > 0 && !t.joined {
            n += 1;
        }
        name.push(n);
    }
    let Some(first) = paired.first().and_then(|&i| name.get(i)).copied() else {
        return false;
    };
    let hyphenated = name.iter().filter(|&&x| x == first).count() >= 2;
    hyphenated
        && paired.iter().all(|&i| name.get(i) == Some(&first))
        && (0..q.len()).any(|k| name.get(k) != Some(&first) && counts(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_basics() {
        assert_eq!(osa(b"scholz", b"scholze", 2), 1);
        assert_eq!(osa(b"ab", b"ba", 2), 1);
        assert_eq!(osa(b"kitten", b"sitting", 1), 2);
        assert!(token_sim("huawei", "huawie", false) > 0.8);
        assert_eq!(token_sim("li", "lu", false), 0.0);
        assert!(token_sim("mhmd", "mohamed", true) >= SKELETON_SIM);
        // A swap of the first two letters costs no first-letter penalty; another first letter
        // does.
        assert!(token_sim("rpofit", "profit", false) > 0.8);
        assert!(token_sim("brofit", "profit", false) < 0.8);
        // So does a letter slipped in before a word of six letters or more, or dropped from its
        // head; before a shorter word, the penalty stays (`cargo` is not `argo` misspelt).
        assert!(token_sim("vhuawei", "huawei", false) > 0.85);
        assert!(token_sim("huawei", "vhuawei", false) > 0.85);
        assert!(token_sim("cargo", "argo", false) < 0.8);
    }

    #[test]
    fn vowel_variants_of_personal_names() {
        let pair = |a: &'static str, b: &'static str| {
            let (x, y) = (words(&[a]), words(&[b]));
            loose_sim(&x[0], &y[0])
        };
        for (a, b) in [
            ("khairbek", "khayrbik"),
            ("douraid", "dureid"),
            ("kattan", "qattan"),
            ("dikij", "dikiy"),
            ("urfali", "orfali"),
            ("ehab", "ihab"),
            ("adil", "adel"),
        ] {
            assert_eq!(pair(a, b), VOWEL_SIM, "{a} / {b}");
        }
        // The vowels move as well, two consonants and two edits, a vowel ending, a key of three
        // letters: no vowel variant.
        for (a, b) in [
            ("mohamed", "mahmud"),
            ("olga", "oleg"),
            ("hammadi", "hamid"),
            ("akhmadova", "akhmadov"),
            ("said", "saad"),
        ] {
            assert!(pair(a, b) < VOWEL_SIM, "{a} / {b}");
        }
    }

    fn words(v: &[&'static str]) -> Vec<STok<'static>> {
        v.iter()
            .map(|w| STok {
                text: w,
                literal: w,
                symbol: false,
                abjad: false,
                han: false,
                translated: false,
                repeated: false,
                weight: 1.0,
                generic: false,
                common: false,
                place: false,
                phrase: 0,
                joined: false,
            })
            .collect()
    }

    fn initial_pairs(q: &[STok], c: &[STok]) -> Vec<(usize, usize, f32)> {
        let mut sims = Vec::new();
        for (i, a) in q.iter().enumerate() {
            for (j, b) in c.iter().enumerate() {
                let s = tok_sim(a, b);
                if s > 0.0 {
                    sims.push((i, j, s));
                }
            }
        }
        corroborate_initials(q, c, &mut sims);
        sims
    }

    #[test]
    fn a_run_of_initials_spelling_the_other_names_words_in_order_is_corroborated() {
        let c = words(&["smith", "john", "robert"]);
        let sims = initial_pairs(&words(&["j", "r", "smith"]), &c);
        assert!(sims.contains(&(0, 1, RUN_INITIAL_SIM)), "{sims:?}");
        assert!(sims.contains(&(1, 2, RUN_INITIAL_SIM)), "{sims:?}");
        assert!(sims.contains(&(2, 0, 1.0)), "{sims:?}");
        // Out of order, or a lone initial: initials as usual.
        let sims = initial_pairs(&words(&["r", "j", "smith"]), &c);
        assert!(
            sims.iter().all(|p| p.2 == 1.0 || p.2 == INITIAL_SIM),
            "{sims:?}"
        );
        let sims = initial_pairs(&words(&["j", "smith"]), &c);
        assert!(
            sims.iter().all(|p| p.2 == 1.0 || p.2 == INITIAL_SIM),
            "{sims:?}"
        );
        assert!(has_initial_run(&words(&["j", "r", "smith"])));
        assert!(!has_initial_run(&words(&["j", "smith", "r"])));
    }
}
