//! OFAC legacy CSV set: primary file (`sdn.csv` / `cons_prim.csv`, 12 columns), aliases
//! (`alt.csv` / `cons_alt.csv`) and addresses (`add.csv` / `cons_add.csv`), joined on `ent_num`.
//! Copes with CRLF, `-0- ` for empty, the trailing 0x1A byte, and refuses empty files.
//! Aliases written only in the remarks (`a.k.a. 'X'`) are picked up too.

use super::util::{add_aliases, csv_rows, decode, line_error, ofac_field, row_fields};
use crate::aliases::clean_name;
use crate::error::ScreenError;
use crate::kind::ListKind;
use crate::model::{Entry, Parsed};
use std::collections::HashMap;

/// List name for SDN entries (the CSL's spelling).
pub const SDN_LIST: &str = "Specially Designated Nationals (SDN) - Treasury Department";
/// List name for OFAC's non-SDN consolidated list.
pub const NON_SDN_LIST: &str = "Non-SDN Consolidated Sanctions List (OFAC) - Treasury Department";

/// One input file: display name and bytes.
pub type FileBytes<'a> = (&'a str, &'a [u8]);

fn rows_of(file: &str, bytes: &[u8]) -> Result<super::util::Rows, ScreenError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    Ok(csv_rows(&text, b',', false).1)
}

/// The `ent_num`s an OFAC file names in its first column (a primary, alias or address file):
/// OFAC's address file has a row for every listed entry, so its numbers are the entries
/// listed on the day it was published.
pub fn ent_nums(
    file: &str,
    bytes: &[u8],
) -> Result<std::collections::HashSet<String>, ScreenError> {
    Ok(rows_of(file, bytes)?
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|(_, f)| f.into_iter().next())
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        .collect())
}

/// Parse an OFAC legacy set. `list` is the list name to give entries (e.g. [`SDN_LIST`]);
/// for [`NON_SDN_LIST`] each entry's kind follows its program (CMIC vs other non-SDN).
pub fn parse_set(
    list: &str,
    prim: FileBytes,
    alt: Option<FileBytes>,
    add: Option<FileBytes>,
) -> Result<Parsed, ScreenError> {
    let mut out = Parsed::default();
    let mut pos: HashMap<String, usize> = HashMap::new();
    for row in rows_of(prim.0, prim.1)? {
        let Some((line, f)) = row_fields(prim.0, row, 4.., 12, &mut out.errors) else {
            continue;
        };
        let err = |m: String| line_error(prim.0, line, m);
        let id = f[0].trim().to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
            out.errors
                .push(err(format!("ent_num {id:?} is not a number")));
            continue;
        }
        let Some(raw) = ofac_field(&f[1]) else {
            out.errors.push(err("empty SDN_Name".into()));
            continue;
        };
        let mut names = clean_name(&raw);
        if names.is_empty() {
            out.errors.push(err("name has no usable text".into()));
            continue;
        }
        let mut e = Entry::new(id.clone(), list, names.remove(0));
        e.aliases = names;
        e.entity_type = ofac_field(&f[2])
            .or(Some("entity".into()).filter(|_| f.len() >= 12 && ofac_field(&f[5]).is_none()));
        if let Some(p) = ofac_field(&f[3]) {
            e.programs = p
                .split("] [")
                .map(|s| {
                    s.trim_matches(|c| c == '[' || c == ']' || c == ' ')
                        .to_string()
                })
                .filter(|s| !s.is_empty())
                .collect();
        }
        if list == NON_SDN_LIST {
            e.kind = if e
                .programs
                .iter()
                .any(|p| p.to_ascii_uppercase().contains("CMIC"))
            {
                ListKind::Cmic
            } else {
                ListKind::NonSdn
            };
        }
        if let Some(rem) = f.get(11).and_then(|r| ofac_field(r)) {
            for a in akas(&rem) {
                add_aliases(&mut e, clean_name(&a));
            }
            e.footnotes.push(rem);
        }
        pos.insert(id, out.entries.len());
        out.entries.push(e);
    }
    if let Some(file) = alt {
        join_rows(&mut out, &pos, file, (4, 5), "alias", |e, f| {
            let a = ofac_field(&f[3]).ok_or("empty alt_name")?;
            add_aliases(e, clean_name(&a));
            Ok(())
        })?;
    }
    if let Some(file) = add {
        join_rows(&mut out, &pos, file, (5, 6), "address", join_address)?;
    }
    Ok(out)
}

/// One address row (`add.csv`: ent_num, add_num, address, city/state/postal code, country,
/// remarks) joined to its entry: the address, and its country among the entry's.
fn join_address(e: &mut Entry, f: &[String]) -> Result<(), &'static str> {
    let parts: Vec<String> = f
        .get(2..5)
        .unwrap_or_default()
        .iter()
        .filter_map(|x| ofac_field(x))
        .collect();
    if !parts.is_empty() {
        e.addresses.push(parts.join(", "));
    }
    if let Some(c) = f.get(4).and_then(|x| ofac_field(x)) {
        if !e.countries.contains(&c) {
            e.countries.push(c);
        }
    }
    Ok(())
}

/// Whether a name is written as OFAC writes a person's (`LAST, First Middle`): capitals, a
/// comma, then a name in mixed case. Organisations are written in capitals throughout.
fn written_as_person(name: &str) -> bool {
    name.split_once(", ").is_some_and(|(last, first)| {
        !last.chars().any(char::is_lowercase) && first.chars().any(char::is_lowercase)
    })
}

/// Entries that OFAC's alias file names but its primary file does not hold (`known`: the
/// primary file's `ent_num`s), when the side files are newer than the primary file: parties
/// listed after it. Each is named by its aliases (first one first), an individual when that
/// name is written as a person's, with the address file's addresses and countries. Entries
/// without any alias cannot be named and are left out (their rows stay line errors of
/// [`parse_set`]).
pub fn entries_named_by_aliases(
    list: &str,
    (alt_file, alt_bytes): FileBytes,
    (add_file, add_bytes): FileBytes,
    known: &std::collections::HashSet<String>,
) -> Result<Parsed, ScreenError> {
    let mut out = Parsed::default();
    let mut pos: HashMap<String, usize> = HashMap::new();
    for (line, f) in rows_of(alt_file, alt_bytes)?
        .into_iter()
        .filter_map(Result::ok)
    {
        let Some(id) = f.first().map(|x| x.trim().to_string()) else {
            continue;
        };
        if known.contains(&id) || !id.chars().all(|c| c.is_ascii_digit()) || id.is_empty() {
            continue;
        }
        let Some(raw) = f.get(3).and_then(|x| ofac_field(x)) else {
            out.errors
                .push(line_error(alt_file, line, "empty alt_name"));
            continue;
        };
        let mut names = clean_name(&raw);
        if names.is_empty() {
            continue;
        }
        match pos.get(&id).and_then(|&p| out.entries.get_mut(p)) {
            Some(e) => add_aliases(e, names),
            None => {
                let mut e = Entry::new(id.clone(), list, names.remove(0));
                e.entity_type = Some(
                    if written_as_person(&raw) {
                        "individual"
                    } else {
                        "entity"
                    }
                    .to_string(),
                );
                add_aliases(&mut e, names);
                pos.insert(id, out.entries.len());
                out.entries.push(e);
            }
        }
    }
    for (_, f) in rows_of(add_file, add_bytes)?
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = f.first().and_then(|id| pos.get(id.trim()).copied());
        if let Some(e) = p.and_then(|p| out.entries.get_mut(p)) {
            join_address(e, &f).ok();
        }
    }
    Ok(out)
}

/// Join the rows of a side file (aliases or addresses) to their entries on `ent_num` (field 0).
/// Read errors, rows with fewer than `min` fields (reported as "expected `expected` fields") and
/// unknown `ent_num`s (reported as "`what` for unknown ent_num") are recorded as line errors; every
/// other row goes to `apply` with its entry, and an `Err` message from it is recorded too.
fn join_rows(
    out: &mut Parsed,
    pos: &HashMap<String, usize>,
    (file, bytes): FileBytes,
    (min, expected): (usize, usize),
    what: &str,
    mut apply: impl FnMut(&mut Entry, &[String]) -> Result<(), &'static str>,
) -> Result<(), ScreenError> {
    for row in rows_of(file, bytes)? {
        let Some((line, f)) = row_fields(file, row, min.., expected, &mut out.errors) else {
            continue;
        };
        let Some(&p) = pos.get(f[0].trim()) else {
            out.errors.push(line_error(
                file,
                line,
                format!("{what} for unknown ent_num {:?}", f[0].trim()),
            ));
            continue;
        };
        if let Some(e) = out.entries.get_mut(p) {
            if let Err(m) = apply(e, &f) {
                out.errors.push(line_error(file, line, m));
            }
        }
    }
    Ok(())
}

/// `a.k.a. 'X'; f.k.a. 'Y'` → [X, Y].
fn akas(remarks: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = remarks.to_ascii_lowercase();
    if lower.len() != remarks.len() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find(".k.a. '").map(|i| i + from) {
        let start = i + ".k.a. '".len();
        let rest = &remarks[start..];
        let end =
            rest.char_indices()
                .find(|&(j, c)| {
                    c == '\''
                        && rest[j + 1..].chars().next().is_none_or(|n| {
                            n == ';' || n == '.' || n == ')' || n == ' ' || n == ','
                        })
                })
                .map(|(j, _)| j);
        let Some(end) = end else { break };
        let name = rest[..end].trim();
        if !name.is_empty() {
            out.push(name.to_string());
        }
        from = start + end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aka_from_remarks() {
        assert_eq!(akas("a.k.a. 'BNC'."), vec!["BNC"]);
        assert_eq!(
            akas("DOB 1962; a.k.a. 'A B'; f.k.a. 'C D'; Linked To: X."),
            vec!["A B", "C D"]
        );
    }

    /// Parties the alias file names and the primary file lacks become entries named by their
    /// aliases, people when written as OFAC writes people, with their addresses; parties the
    /// primary file holds, or without a usable alias, do not.
    #[test]
    fn later_parties_named_by_their_aliases() {
        let alt = b"10,1,\"aka\",\"KNOWN LTD\",-0- \n\
20,2,\"aka\",\"OOO NOVAYA\",-0- \n\
20,3,\"fka\",\"NOVAYA TRADING LLC\",-0- \n\
30,4,\"aka\",\"PETROV, Ivan Ivanovich\",-0- \n\
40,5,\"aka\",-0- ,-0- \n";
        let add = b"20,7,-0- ,\"Moscow\",\"Russia\",-0- \n50,8,-0- ,-0- ,\"China\",-0- \n";
        let known = ["10".to_string()].into_iter().collect();
        let p = entries_named_by_aliases(SDN_LIST, ("alt.csv", alt), ("add.csv", add), &known)
            .expect("parsed");
        let names: Vec<(&str, &str, Option<&str>)> = p
            .entries
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str(), e.entity_type.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("20", "OOO NOVAYA", Some("entity")),
                ("30", "PETROV, Ivan Ivanovich", Some("individual")),
            ]
        );
        assert_eq!(p.entries[0].aliases, vec!["NOVAYA TRADING LLC"]);
        assert_eq!(p.entries[0].countries, vec!["Russia"]);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert!(!written_as_person("BANK MELLI, IRAN"));
    }
}
