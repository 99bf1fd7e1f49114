//! Buyer groups for the report: subsidiaries filed under their ultimate parent when the
//! ownership file (`--parties`) knows them, otherwise under the full normalised name: every
//! word of the name except legal forms and articles (words in parentheses, often a place, do
//! not count either), so "ByteDance Pte. Ltd." and "ByteDance Ltd." fall together, while
//! "China Mobile" and "China Telecom" stay apart. Grouping subsidiaries under their parent
//! needs the ownership file. No company is named in code.

use crate::screening::PartyContext;
use chipgate_core::catalog::normalise;

/// Words that do not count in a group key (legal forms, articles).
const SKIP: &[&str] = &[
    "the",
    "a",
    "an",
    "gmbh",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "co",
    "corp",
    "corporation",
    "company",
    "pte",
    "plc",
    "sa",
    "ag",
    "bv",
    "kk",
];

/// The group a buyer's orders are reported under.
pub fn buyer_group(cx: &PartyContext, buyer: Option<&str>) -> String {
    let Some(name) = buyer else {
        return "(no buyer given)".into();
    };
    if let Some(info) = cx.ownership.as_ref().and_then(|o| o.resolve(name)) {
        return info.ultimate_parent;
    }
    name_key(name)
}

/// The name without legal forms, articles and parenthesised words, as written (e.g.
/// `China Mobile` for "China Mobile Ltd."); names that differ only in case, punctuation or
/// legal form give the same key.
pub fn name_key(name: &str) -> String {
    let without_parens: String = {
        let mut depth = 0i32;
        name.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => return depth <= 0,
                }
                false
            })
            .collect()
    };
    let mut words: Vec<String> = Vec::new();
    for word in without_parens.split(|c: char| c.is_whitespace() || c == ',') {
        let n = normalise(word);
        if n.is_empty() || SKIP.contains(&n.as_str()) {
            continue;
        }
        words.push(n);
    }
    if words.is_empty() {
        return normalise(name);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_group_by_the_full_normalised_name() {
        assert_eq!(name_key("ByteDance Pte. Ltd."), name_key("ByteDance Ltd."));
        assert_eq!(name_key("BYTEDANCE LTD"), name_key("ByteDance Ltd."));
        assert_ne!(
            name_key("China Mobile Ltd."),
            name_key("China Telecom Corp.")
        );
        assert_ne!(
            name_key("Beijing Volcano Engine Technology Co., Ltd."),
            name_key("Beijing Kuaishou Technology Co., Ltd.")
        );
        assert_eq!(
            name_key("Alibaba Cloud (Singapore) Pte. Ltd."),
            name_key("Alibaba Cloud Ltd.")
        );
    }
}
