//! Country comparison between a query and a list entry. Lists write countries as ISO codes
//! (`CO`, at the end of a consolidated list's addresses), as OFAC's names (`Korea, North`,
//! `Burma`, `Bahamas, The`) or as ISO names (`Russian Federation`); a party's country may come
//! in any of these. Each is read as its ISO 3166-1 alpha-2 code, from the project's ISO table
//! (`data/countries.toml`) and the other spellings the lists use. A string read as no country
//! (`undetermined`, `Region: Crimea`) is unknown: it neither agrees nor disagrees.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The ISO 3166-1 table shared with the licensing side (`[names]`: `CO = "Colombia"`).
const ISO_TABLE: &str = include_str!("../../../data/countries.toml");

/// Other spellings of countries, as the lists and parties write them → ISO code.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("russia", "RU"),
    ("iran islamic republic of", "IR"),
    ("korea north", "KP"),
    ("korea democratic people s republic of", "KP"),
    ("dprk", "KP"),
    ("korea south", "KR"),
    ("korea republic of", "KR"),
    ("burma", "MM"),
    ("turkey", "TR"),
    ("czech republic", "CZ"),
    ("syrian arab republic", "SY"),
    ("venezuela bolivarian republic of", "VE"),
    ("viet nam", "VN"),
    ("lao people s democratic republic", "LA"),
    ("moldova republic of", "MD"),
    ("tanzania united republic of", "TZ"),
    ("congo democratic republic of the", "CD"),
    ("democratic republic of the congo", "CD"),
    ("congo republic of the", "CG"),
    ("cote d ivoire", "CI"),
    ("ivory coast", "CI"),
    ("north macedonia the republic of", "MK"),
    ("macedonia", "MK"),
    ("macau", "MO"),
    ("bahamas the", "BS"),
    ("the gambia", "GM"),
    ("gambia the", "GM"),
    ("virgin islands british", "VG"),
    ("british virgin islands", "VG"),
    ("man isle of", "IM"),
    ("isle of man", "IM"),
    ("palestinian", "PS"),
    ("west bank", "PS"),
    ("gaza", "PS"),
    ("kosovo", "XK"),
    ("netherlands antilles", "AN"),
    ("brunei", "BN"),
    ("uae", "AE"),
    ("usa", "US"),
    ("united states of america", "US"),
    ("uk", "GB"),
    ("great britain", "GB"),
    ("prc", "CN"),
    ("people s republic of china", "CN"),
];

/// A country string folded for lookup: ASCII, lowercase, words joined by one space.
fn fold(s: &str) -> String {
    let ascii = any_ascii::any_ascii(s).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folded names and lowercase codes → ISO code.
fn table() -> &'static HashMap<String, String> {
    static T: OnceLock<HashMap<String, String>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = HashMap::new();
        let mut in_names = false;
        let mut shortened = Vec::new();
        for line in ISO_TABLE.lines().map(str::trim) {
            if line.starts_with('[') {
                in_names = line == "[names]";
                continue;
            }
            let Some((code, name)) = line.split_once(" = ") else {
                continue;
            };
            let name = name.trim_matches('"');
            if !in_names || code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                continue;
            }
            t.insert(code.to_ascii_lowercase(), code.to_string());
            t.insert(fold(name), code.to_string());
            // `Micronesia, Federated States of` is also written `Micronesia`.
            if let Some((short, _)) = name.split_once(',') {
                shortened.push((fold(short), code.to_string()));
            }
        }
        for (name, code) in OTHER_NAMES {
            t.insert((*name).to_string(), (*code).to_string());
        }
        t.insert("xk".into(), "XK".into());
        t.insert("an".into(), "AN".into());
        // A shortened name never displaces a full one (`Congo` is CG, not CD).
        for (short, code) in shortened {
            t.entry(short).or_insert(code);
        }
        t
    })
}

/// The ISO 3166-1 alpha-2 code a country string stands for (a code, an ISO name or another
/// name the lists use), None when it is no country this table knows.
pub fn iso_code(s: &str) -> Option<&'static str> {
    let f = fold(s);
    let t = table();
    let f = f.strip_prefix("the ").unwrap_or(&f);
    t.get(f).map(String::as_str)
}

/// The country a party in `code` is screened as: Hong Kong and Macao as China, whose listed
/// groups keep subsidiaries there (the EAR treats them so too: `treat_as` in the ISO table).
fn screened_as(code: &'static str) -> &'static str {
    match code {
        "HK" | "MO" => "CN",
        _ => code,
    }
}

/// Whether a party in `country` is in none of `countries` (an entry's): known only when the
/// party's country and at least one of the entry's are countries this table knows; None
/// otherwise. Hong Kong and Macao count as China here ([`screened_as`]).
pub fn differs(country: &str, countries: &[String]) -> Option<bool> {
    let c = screened_as(iso_code(country)?);
    let known: Vec<&str> = countries
        .iter()
        .filter_map(|x| iso_code(x))
        .map(screened_as)
        .collect();
    if known.is_empty() {
        return None;
    }
    Some(!known.contains(&c))
}

/// The ISO code ending one address as a consolidated list writes it (`..., Barranquilla,
/// Atlantico, CO`), when that code is a country.
pub fn of_address(address: &str) -> Option<&'static str> {
    let last = address.trim().rsplit(',').next()?.trim();
    (last.len() == 2 && last.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| iso_code(last))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two country strings (codes or names) denote the same known country.
    fn same_country(a: &str, b: &str) -> bool {
        matches!((iso_code(a), iso_code(b)), (Some(x), Some(y)) if x == y)
    }

    #[test]
    fn codes_and_names() {
        assert!(same_country("CN", "China"));
        assert!(same_country("Russia", "RU"));
        assert!(same_country("Russian Federation", "ru"));
        assert!(!same_country("CN", "HK"));
        assert!(same_country("CO", "Colombia"));
        assert!(same_country("Korea, North", "KP"));
        assert!(same_country("Burma", "Myanmar"));
        assert!(same_country("Bahamas, The", "BS"));
        assert!(same_country("Türkiye", "Turkey"));
        assert!(same_country("Cote d Ivoire", "Côte d'Ivoire"));
        assert!(same_country("Congo, Democratic Republic of the", "CD"));
        assert!(!same_country("Congo, Republic of the", "CD"));
        assert!(same_country("Micronesia", "FM"));
        // Unknown strings agree with nothing, not even themselves.
        assert!(!same_country("undetermined", "undetermined"));
    }

    #[test]
    fn unknown_countries_neither_agree_nor_differ() {
        let entry = vec!["Colombia".to_string()];
        assert_eq!(differs("CO", &entry), Some(false));
        assert_eq!(differs("FR", &entry), Some(true));
        assert_eq!(differs("Atlantis", &entry), None);
        assert_eq!(differs("FR", &["Region: Crimea".to_string()]), None);
        // A Hong Kong subsidiary of a listed Chinese party is in the party's country.
        assert_eq!(differs("HK", &["CN".to_string()]), Some(false));
        assert_eq!(differs("Macau", &["China".to_string()]), Some(false));
        assert_eq!(differs("TW", &["CN".to_string()]), Some(true));
        assert_eq!(
            differs("FR", &["Region: Crimea".to_string(), "RU".to_string()]),
            Some(true)
        );
    }

    #[test]
    fn addresses_end_in_their_country_code() {
        assert_eq!(
            of_address("CL 94 No 51 B - 43 PI 4 Of 401, Barranquilla, Atlantico, CO"),
            Some("CO")
        );
        assert_eq!(of_address("Tehran, Iran"), None);
        assert_eq!(of_address("Unit 5, ZZ"), None);
    }
}
