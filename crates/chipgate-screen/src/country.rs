//! Loose country comparison for reporting whether a query's country agrees with an entry's
//! (lists mix ISO codes and names).

const CODES: &[(&str, &str)] = &[
    ("cn", "china"),
    ("hk", "hong kong"),
    ("ru", "russia"),
    ("ir", "iran"),
    ("kp", "north korea"),
    ("sy", "syria"),
    ("cu", "cuba"),
    ("by", "belarus"),
    ("ae", "united arab emirates"),
    ("us", "united states"),
    ("gb", "united kingdom"),
    ("de", "germany"),
    ("fr", "france"),
    ("tw", "taiwan"),
    ("sg", "singapore"),
    ("my", "malaysia"),
    ("tr", "turkey"),
    ("in", "india"),
    ("pk", "pakistan"),
    ("iq", "iraq"),
    ("lb", "lebanon"),
    ("ve", "venezuela"),
    ("mm", "burma"),
    ("am", "armenia"),
    ("ua", "ukraine"),
    ("kz", "kazakhstan"),
    ("jp", "japan"),
    ("kr", "south korea"),
    ("il", "israel"),
    ("ca", "canada"),
    ("mx", "mexico"),
    ("nl", "netherlands"),
    ("it", "italy"),
];

fn canon(s: &str) -> String {
    let t = s.trim().to_lowercase();
    let t = t.trim_start_matches("the ").to_string();
    for (code, name) in CODES {
        if t == *code
            || t == *name
            || t.starts_with(&format!("{name},"))
            || t.starts_with(&format!("{name} ("))
        {
            return (*code).to_string();
        }
    }
    match t.as_str() {
        "russian federation" => "ru".into(),
        "iran, islamic republic of" => "ir".into(),
        "korea, north" | "korea, democratic people's republic of" => "kp".into(),
        "uae" => "ae".into(),
        "usa" | "united states of america" => "us".into(),
        "uk" => "gb".into(),
        "myanmar" => "mm".into(),
        _ => t,
    }
}

/// Whether two country strings (codes or names) denote the same country.
pub fn same_country(a: &str, b: &str) -> bool {
    let (x, y) = (canon(a), canon(b));
    !x.is_empty() && x == y
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_and_names() {
        assert!(super::same_country("CN", "China"));
        assert!(super::same_country("Russia", "RU"));
        assert!(!super::same_country("CN", "HK"));
    }
}
