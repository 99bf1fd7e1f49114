//! Cleaning of name strings as the lists publish them: CSL `"; and "` joining artefacts, Entity
//! List "Affiliated Entity:" concatenations, trailing city/province fragments after a legal form,
//! and acronyms in parentheses (kept as extra aliases).

/// Legal-form endings after which trailing ", City, Province" fragments are dropped.
const LEGAL_ENDINGS: &[&str] = &[
    "ltd",
    "ltd.",
    "limited",
    "inc",
    "inc.",
    "llc",
    "l.l.c.",
    "co",
    "co.",
    "corp",
    "corp.",
    "corporation",
    "company",
    "gmbh",
    "s.a.",
    "sa",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "llp",
    "plc",
    "ag",
    "b.v.",
    "bv",
    "oao",
    "ooo",
    "zao",
    "pao",
    "fze",
    "fzco",
    "fzc",
    "l.t.d.",
    "pte",
    "pvt",
    "srl",
    "s.r.l.",
    "sarl",
    "group",
];

/// Clean one raw name field into one or more names (primary first).
pub fn clean_name(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in split_affiliated(raw) {
        let part = strip_and_artefact(&part);
        let part = strip_trailing_places(&part);
        let part = collapse_ws(&part);
        if part.is_empty() {
            continue;
        }
        let (without, acronyms) = split_parenthesised(&part);
        push_unique(&mut out, part.clone());
        // The name without its parenthetical only when that was an acronym / short form:
        // "(Australia)" or "(Germany)" distinguish affiliates and must stay.
        if without != part && !without.is_empty() && !acronyms.is_empty() {
            push_unique(&mut out, without);
        }
        for a in acronyms {
            push_unique(&mut out, a);
        }
    }
    out
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
        out.push(s);
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == ',' || c == ';')
        .trim()
        .to_string()
}

/// `"X.  Affiliated Entity:  Y"` → `[X, Y]`.
fn split_affiliated(raw: &str) -> Vec<String> {
    let lower = raw.to_lowercase();
    if let Some(pos) = lower.find("affiliated entity:") {
        if lower.len() == raw.len() {
            let head = raw[..pos].trim().trim_end_matches('.').trim();
            let tail = raw[pos + "affiliated entity:".len()..].trim();
            let mut v = Vec::new();
            if !head.is_empty() {
                v.push(head.to_string());
            }
            v.extend(split_affiliated(tail));
            return v;
        }
    }
    vec![raw.to_string()]
}

/// Leading `and ` / `; and ` artefacts and trailing `; and any successor...` clauses.
fn strip_and_artefact(s: &str) -> String {
    let mut t = s.trim().trim_start_matches(';').trim();
    loop {
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("and ") {
            t = t[4..].trim_start();
        } else {
            break;
        }
    }
    let lower = t.to_ascii_lowercase();
    if let Some(pos) = lower.find("; and any successor") {
        if lower.len() == t.len() {
            t = &t[..pos];
        }
    }
    t.trim().trim_end_matches(';').trim().to_string()
}

/// `"Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan"` → without the trailing places.
fn strip_trailing_places(s: &str) -> String {
    let segs: Vec<&str> = s.split(", ").collect();
    if segs.len() < 2 {
        return s.to_string();
    }
    let ends_legal = |seg: &str| {
        let last = seg
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_ascii_lowercase();
        LEGAL_ENDINGS.contains(&last.as_str())
    };
    let Some(last_legal) = (0..segs.len()).rev().find(|&i| ends_legal(segs[i])) else {
        return s.to_string();
    };
    if last_legal + 1 >= segs.len() || (last_legal == 0 && segs[0].split_whitespace().count() < 2) {
        return s.to_string();
    }
    let rest = &segs[last_legal + 1..];
    let places = rest.len() <= 3
        && rest.iter().all(|r| {
            let w = r.split_whitespace().count();
            (1..=3).contains(&w)
                && !r
                    .chars()
                    .any(|c| c.is_ascii_digit() || c == '(' || c == ')')
                && !r
                    .split_whitespace()
                    .any(|x| LEGAL_ENDINGS.contains(&x.to_ascii_lowercase().as_str()))
        });
    if places {
        segs[..=last_legal].join(", ")
    } else {
        s.to_string()
    }
}

/// `"Foo Bar Corp (FBC)"` → (`"Foo Bar Corp"`, [`"FBC"`]); only short parentheticals become aliases.
fn split_parenthesised(s: &str) -> (String, Vec<String>) {
    let mut without = String::new();
    let mut acr = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    cur.clear();
                    continue;
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let inner = cur.trim();
                    let words = inner.split_whitespace().count();
                    let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
                    let upperish =
                        inner.chars().filter(|c| c.is_uppercase()).count() * 2 >= letters;
                    let short_form = s
                        .split_whitespace()
                        .next()
                        .is_some_and(|w| w.eq_ignore_ascii_case(inner));
                    if words == 1 && letters >= 2 && (upperish || short_form) {
                        acr.push(inner.to_string());
                    } else if words >= 2 && s.trim_start().starts_with(inner) {
                        // "(X Y Z)" as the expansion of a leading acronym: keep as an alias too.
                        acr.push(inner.to_string());
                    }
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            cur.push(c);
        } else {
            without.push(c);
        }
    }
    (collapse_ws(&without), acr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affiliated_and_acronym() {
        let v = clean_name(
            "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Beijing Huawei Longshine Information Technology Co., Ltd.",
        );
        assert_eq!(
            v,
            vec![
                "Huawei Technologies Co., Ltd. (Huawei)",
                "Huawei Technologies Co., Ltd.",
                "Huawei",
                "Beijing Huawei Longshine Information Technology Co., Ltd."
            ]
        );
    }

    #[test]
    fn and_artefact_and_places() {
        assert_eq!(
            clean_name(" and JSC 140 Repair Plant"),
            vec!["JSC 140 Repair Plant"]
        );
        assert_eq!(
            clean_name("Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan"),
            vec!["Chengdu Huawei Technologies Co., Ltd."]
        );
        assert_eq!(
            clean_name("Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof"),
            vec!["Sinobright Import and Export Company"]
        );
        assert_eq!(
            clean_name("ANGLO-CARIBBEAN CO., LTD."),
            vec!["ANGLO-CARIBBEAN CO., LTD."]
        );
    }
}
