//! The SanctionToolkit flattened CSL CSV: one row per name or alias; rows of one entry share
//! `(sanction_list, list_internal_id)`; the first row carries the primary name.

use super::util::{add_aliases, csv_rows, decode, field_at, header_row, line_error, parse_date};
use crate::aliases::clean_name;
use crate::error::ScreenError;
use crate::model::{Entry, Parsed};
use std::collections::HashMap;

/// Parse a flattened CSL file.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, ScreenError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    let (headers, rows) = csv_rows(&text, b',', true);
    let idx = |n: &str| headers.iter().position(|h| h == n);
    let (Some(name_i), Some(id_i), Some(list_i)) = (
        idx("full_name"),
        idx("list_internal_id"),
        idx("sanction_list"),
    ) else {
        return Err(ScreenError::Malformed {
            file: file.to_string(),
            line: 1,
            message: "missing full_name / list_internal_id / sanction_list columns".into(),
        });
    };
    let (type_i, date_i, addr_i, country_i, nat_i, cit_i, regime_i, pos_i) = (
        idx("entity_type"),
        idx("date_added"),
        idx("address"),
        idx("address_country"),
        idx("nationality"),
        idx("citizenship"),
        idx("regime"),
        idx("position"),
    );
    let mut out = Parsed::default();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for row in rows {
        let Some((line, f)) = header_row(file, row, headers.len(), &mut out.errors) else {
            continue;
        };
        let get = |i: Option<usize>| field_at(&f, i);
        let (Some(raw), Some(id), Some(list)) =
            (get(Some(name_i)), get(Some(id_i)), get(Some(list_i)))
        else {
            out.errors.push(line_error(
                file,
                line,
                "empty full_name, list_internal_id or sanction_list",
            ));
            continue;
        };
        let names = clean_name(&raw);
        if names.is_empty() {
            out.errors
                .push(line_error(file, line, "name has no usable text"));
            continue;
        }
        let key = (list.clone(), id.clone());
        let pos = match by_key.get(&key) {
            Some(&p) => p,
            None => {
                let mut e = Entry::new(id, list, names[0].clone());
                e.entity_type = get(type_i);
                e.start_date = get(date_i).and_then(|d| parse_date(&d));
                e.programs = get(regime_i).into_iter().collect();
                e.footnotes = get(pos_i).into_iter().collect();
                out.entries.push(e);
                by_key.insert(key, out.entries.len() - 1);
                out.entries.len() - 1
            }
        };
        let Some(e) = out.entries.get_mut(pos) else {
            continue;
        };
        add_aliases(e, names);
        if let Some(a) = get(addr_i) {
            // The flattened list leaves `address_country` empty and ends each address (`; `
            // between them) with its country's ISO code.
            for c in a.split("; ").filter_map(crate::country::of_address) {
                if !e.countries.iter().any(|x| x == c) {
                    e.countries.push(c.to_string());
                }
            }
            if !e.addresses.contains(&a) {
                e.addresses.push(a);
            }
        }
        for c in [country_i, nat_i, cit_i] {
            if let Some(c) = get(c) {
                if !e.countries.contains(&c) {
                    e.countries.push(c);
                }
            }
        }
        if e.start_date.is_none() {
            e.start_date = get(date_i).and_then(|d| parse_date(&d));
        }
    }
    Ok(out)
}
