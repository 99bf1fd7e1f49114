//! A generic delimited-file parser driven by a column mapping (which header holds the name, the
//! id, the aliases, ...). The trade.gov CSL CSV parsers are presets of this mapping.

use super::util::{
    add_aliases, country_of_address, csv_rows, decode, field_at, header_row, line_error,
    parse_date, split_multi, stable_id,
};
use crate::aliases::clean_name;
use crate::error::ScreenError;
use crate::model::{Entry, Parsed};
use serde::{Deserialize, Serialize};

/// Which header names hold which fields. Only `name` is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ColumnMap {
    pub name: String,
    pub id: Option<String>,
    /// Column holding the source list name; otherwise `default_list` is used.
    pub list: Option<String>,
    pub default_list: Option<String>,
    /// Aliases, `;`-separated within the field.
    pub aliases: Option<String>,
    /// Addresses, `;`-separated within the field.
    pub addresses: Option<String>,
    pub countries: Vec<String>,
    pub start_date: Option<String>,
    pub programs: Option<String>,
    pub federal_register: Option<String>,
    pub footnotes: Vec<String>,
    pub entity_type: Option<String>,
    /// Field delimiter (default `,`).
    pub delimiter: Option<u8>,
}

impl ColumnMap {
    /// Mapping for the trade.gov consolidated.csv (both current and 2019 headers).
    pub fn csl() -> ColumnMap {
        ColumnMap {
            name: "name".into(),
            id: Some("_id".into()),
            list: Some("source".into()),
            default_list: None,
            aliases: Some("alt_names".into()),
            addresses: Some("addresses".into()),
            countries: vec!["nationalities".into(), "citizenships".into()],
            start_date: Some("start_date".into()),
            programs: Some("programs".into()),
            federal_register: Some("federal_register_notice".into()),
            footnotes: vec![
                "license_requirement".into(),
                "license_policy".into(),
                "remarks".into(),
            ],
            entity_type: Some("type".into()),
            delimiter: None,
        }
    }
}

fn col(headers: &[String], name: &Option<String>) -> Option<usize> {
    let n = name.as_ref()?;
    headers.iter().position(|h| h.eq_ignore_ascii_case(n))
}

/// Parse a delimited file with a header row according to `map`.
pub fn parse(file: &str, bytes: &[u8], map: &ColumnMap) -> Result<Parsed, ScreenError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    let (headers, rows) = csv_rows(&text, map.delimiter.unwrap_or(b','), true);
    let name_col =
        col(&headers, &Some(map.name.clone())).ok_or_else(|| ScreenError::Malformed {
            file: file.to_string(),
            line: 1,
            message: format!("no `{}` column in header", map.name),
        })?;
    let id_col = col(&headers, &map.id).or_else(|| {
        col(&headers, &Some("entity_number".into()))
            .filter(|_| map.list.as_deref() == Some("source"))
    });
    let list_col = col(&headers, &map.list);
    let alias_col = col(&headers, &map.aliases);
    let addr_col = col(&headers, &map.addresses);
    let country_cols: Vec<usize> = map
        .countries
        .iter()
        .filter_map(|c| col(&headers, &Some(c.clone())))
        .collect();
    let date_col = col(&headers, &map.start_date);
    let prog_col = col(&headers, &map.programs);
    let fr_col = col(&headers, &map.federal_register);
    let foot_cols: Vec<usize> = map
        .footnotes
        .iter()
        .filter_map(|c| col(&headers, &Some(c.clone())))
        .collect();
    let type_col = col(&headers, &map.entity_type);
    let mut out = Parsed::default();
    for row in rows {
        let Some((line, f)) = header_row(file, row, headers.len(), &mut out.errors) else {
            continue;
        };
        let get = |i: Option<usize>| field_at(&f, i);
        let Some(raw_name) = get(Some(name_col)) else {
            out.errors.push(line_error(file, line, "empty name"));
            continue;
        };
        let list = get(list_col)
            .or_else(|| map.default_list.clone())
            .unwrap_or_else(|| file.to_string());
        let mut names = clean_name(&raw_name);
        if names.is_empty() {
            out.errors
                .push(line_error(file, line, "name has no usable text"));
            continue;
        }
        let primary = names.remove(0);
        let id = get(id_col).unwrap_or_else(|| stable_id(&[&list, &raw_name]));
        let mut e = Entry::new(id, list, primary);
        e.aliases = names;
        if let Some(a) = get(alias_col) {
            for alias in split_multi(&a) {
                add_aliases(&mut e, clean_name(&alias));
            }
        }
        if let Some(a) = get(addr_col) {
            e.addresses = split_multi(&a);
            e.countries = e
                .addresses
                .iter()
                .filter_map(|a| country_of_address(a))
                .collect();
        }
        for c in &country_cols {
            if let Some(v) = get(Some(*c)) {
                e.countries.extend(split_multi(&v));
            }
        }
        e.countries.dedup();
        if let Some(d) = get(date_col) {
            match parse_date(&d) {
                Some(d) => e.start_date = Some(d),
                None => out.errors.push(line_error(
                    file,
                    line,
                    format!("bad start date {d:?} (entry kept without a date)"),
                )),
            }
        }
        e.programs = get(prog_col).map(|p| split_multi(&p)).unwrap_or_default();
        e.federal_register = get(fr_col);
        e.footnotes = foot_cols.iter().filter_map(|c| get(Some(*c))).collect();
        e.entity_type = get(type_col);
        out.entries.push(e);
    }
    Ok(out)
}
