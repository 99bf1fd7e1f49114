//! Buyer groups for the report: subsidiaries filed under their ultimate parent when the
//! ownership file (`--parties`) knows them, otherwise under a name-normalisation key — the
//! first significant word of the normalised name (legal forms, articles and place words in
//! parentheses do not count), so "ByteDance Pte. Ltd." and "ByteDance Ltd." fall together and
//! "Alibaba Cloud (Singapore)" joins "Alibaba …". No company is named in code.

use crate::screening::PartyContext;
use chipgate_core::catalog::normalise;

/// Words that never start a group key.
const SKIP: &[&str] = &[
    "the",
    "a",
    "an",
    "de",
    "la",
    "le",
    "el",
    "gmbh",
    "ltd",
    "limited",
    "inc",
    "llc",
    "co",
    "corp",
    "company",
    "group",
    "holdings",
    "pte",
    "plc",
    "sa",
    "ag",
    "bv",
    "kk",
    "international",
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

/// The first significant word of a name, as written (e.g. `ByteDance`), with a `…` mark.
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
    for word in without_parens.split(|c: char| c.is_whitespace() || c == ',') {
        let n = normalise(word);
        if n.is_empty() || SKIP.contains(&n.as_str()) {
            continue;
        }
        let shown = word.trim_matches(|c: char| !c.is_alphanumeric());
        return format!("{shown} …");
    }
    name.to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn subsidiaries_fall_together_by_name() {
        assert_eq!(name_key("ByteDance Pte. Ltd."), "ByteDance …");
        assert_eq!(name_key("ByteDance Ltd."), "ByteDance …");
        assert_eq!(name_key("Alibaba Cloud (Singapore) Pte. Ltd."), "Alibaba …");
        assert_eq!(name_key("The Hut Group"), "Hut …");
    }
}
