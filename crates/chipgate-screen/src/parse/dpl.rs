//! BIS Denied Persons List, tab-separated text (`Name`, `Street_Address`, `City`, `State`,
//! `Country`, `Postal_Code`, `Effective_Date`, ..., `FR_Citation`). The DPL has no ids: a stable
//! hash of name and effective date stands in.

use super::util::{csv_rows, decode, field_at, header_row, line_error, parse_date, stable_id};
use crate::aliases::clean_name;
use crate::error::ScreenError;
use crate::model::{Entry, Parsed};

/// List name used for DPL entries (the CSL's spelling).
pub const DPL_LIST: &str = "Denied Persons List (DPL) - Bureau of Industry and Security";

/// Parse a DPL text file.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, ScreenError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    let (headers, rows) = csv_rows(&text, b'\t', true);
    let idx = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
    let name_i = idx("Name").ok_or_else(|| ScreenError::Malformed {
        file: file.to_string(),
        line: 1,
        message: "no Name column".into(),
    })?;
    let (street, city, state, country, postal, eff, fr, action) = (
        idx("Street_Address"),
        idx("City"),
        idx("State"),
        idx("Country"),
        idx("Postal_Code"),
        idx("Effective_Date"),
        idx("FR_Citation"),
        idx("Action"),
    );
    let mut out = Parsed::default();
    for row in rows {
        let Some((line, f)) = header_row(file, row, headers.len(), &mut out.errors) else {
            continue;
        };
        let get = |i: Option<usize>| field_at(&f, i);
        let Some(raw) = get(Some(name_i)) else {
            out.errors.push(line_error(file, line, "empty name"));
            continue;
        };
        let mut names = clean_name(&raw);
        if names.is_empty() {
            out.errors
                .push(line_error(file, line, "name has no usable text"));
            continue;
        }
        let eff_s = get(eff).unwrap_or_default();
        let mut e = Entry::new(stable_id(&[&raw, &eff_s]), DPL_LIST, names.remove(0));
        e.aliases = names;
        let addr: Vec<String> = [street, city, state, postal, country]
            .iter()
            .filter_map(|i| get(*i))
            .collect();
        if !addr.is_empty() {
            e.addresses.push(addr.join(", "));
        }
        e.countries = get(country).into_iter().collect();
        e.start_date = parse_date(&eff_s);
        e.federal_register = get(fr);
        e.footnotes = get(action).into_iter().collect();
        out.entries.push(e);
    }
    Ok(out)
}
