//! A party file: the user's own CSV of facts about their customers, which screening and
//! licensing read alongside the public lists. It may hold ownership rows (`entity, parent,
//! share, hq_country`, optional `id` — see [`Ownership`]) and rows naming parties the user
//! knows to be listed (`name` or `entity`, `list`, optional `date_added`), in one file or two.
//! Parsed with the `csv` crate (quoted fields, embedded commas); every bad row is an error
//! naming its line, because a party file decides answers and is fixed rather than partly used.

use crate::error::ScreenError;
use crate::ownership::Ownership;
use chrono::NaiveDate;

/// A party the user knows to be on a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedParty {
    pub name: String,
    /// The list as written (`entity_list`, `Entity List`, `SDN`, …).
    pub list: String,
    /// Counts from this date (always, when absent).
    pub date_added: Option<NaiveDate>,
    /// Line in the file.
    pub line: u64,
}

/// What a party file says.
#[derive(Debug, Clone, Default)]
pub struct PartyFile {
    /// Ownership, when the file has a `parent` column.
    pub ownership: Option<Ownership>,
    /// Known listings, when the file has a `list` column.
    pub listed: Vec<ListedParty>,
}

fn malformed(file: &str, line: u64, message: impl Into<String>) -> ScreenError {
    ScreenError::Malformed {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

impl PartyFile {
    /// Parses a party file's bytes (`file` names it in errors). A file with neither a
    /// `parent` nor a `list` column says nothing chipgate can use, and is an error.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<PartyFile, ScreenError> {
        let text = crate::parse::util_decode(bytes);
        if text.trim().is_empty() {
            return Err(malformed(file, 1, "the party file is empty"));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = crate::parse::csv_headers(file, &mut rdr)?;
        let col = |n: &str| headers.iter().position(|h| h == n);
        let mut out = PartyFile::default();
        if col("parent").is_some() {
            let own = Ownership::parse(file, bytes)?;
            if let Some(e) = own.errors.first() {
                return Err(malformed(file, e.line, e.message.clone()));
            }
            out.ownership = Some(own);
        }
        let Some(cl) = col("list") else {
            if out.ownership.is_none() {
                return Err(malformed(
                    file,
                    1,
                    format!(
                        "the header names neither `parent` (ownership rows) nor `list` (known listings); found: {}",
                        headers.join(",")
                    ),
                ));
            }
            return Ok(out);
        };
        let cn = col("name")
            .or_else(|| col("entity"))
            .ok_or_else(|| malformed(file, 1, "header needs `name` (or `entity`)"))?;
        let cd = col("date_added");
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                malformed(file, e.position().map_or(0, |p| p.line()), e.to_string())
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: Option<usize>| {
                i.and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            let Some(list) = get(Some(cl)) else {
                continue;
            };
            let name = get(Some(cn)).ok_or_else(|| malformed(file, line, "missing name"))?;
            let date_added = match get(cd) {
                Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    malformed(
                        file,
                        line,
                        format!("date_added: `{d}` is not a date (expected YYYY-MM-DD)"),
                    )
                })?),
                None => None,
            };
            out.listed.push(ListedParty {
                name: name.to_string(),
                list: list.to_string(),
                date_added,
                line,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_and_ownership_in_one_file() {
        let csv = "entity,parent,share,hq_country,list,date_added\n\
                   \"Kinabalu Compute Sdn. Bhd.\",Tasik Holdings Berhad,60%,MY,,\n\
                   Tasik Holdings Berhad,,,MY,entity_list,2024-05-01\n";
        let p = PartyFile::parse("p.csv", csv.as_bytes()).unwrap();
        assert!(p.ownership.is_some());
        assert_eq!(p.listed.len(), 1);
        assert_eq!(p.listed[0].name, "Tasik Holdings Berhad");
        assert_eq!(p.listed[0].line, 3);
        assert_eq!(p.listed[0].date_added, NaiveDate::from_ymd_opt(2024, 5, 1));
    }

    #[test]
    fn a_quoted_name_with_a_comma_stays_one_field() {
        let csv = "name,list\n\"Acme, Inc.\",SDN\n";
        let p = PartyFile::parse("p.csv", csv.as_bytes()).unwrap();
        assert_eq!(p.listed[0].name, "Acme, Inc.");
    }

    #[test]
    fn bad_rows_name_their_line() {
        let csv = "name,list,date_added\nA,SDN,2024-01-01\nB,SDN,01/02/2024\n";
        let e = PartyFile::parse("p.csv", csv.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("p.csv:3"), "{e}");
        let e = PartyFile::parse("p.csv", b"name,country\nA,CN\n").unwrap_err();
        assert!(e.to_string().contains("neither"), "{e}");
        let e = PartyFile::parse("p.csv", b"").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
    }
}
