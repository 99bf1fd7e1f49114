//! One order row, validated: its own fields checked (date, quantity, price), its decision
//! keys built from the raw text of the columns that can change a decision, and looked up in
//! the run's caches. Everything that can go wrong with a row becomes a reason attached to its
//! line number; nothing is dropped.

use super::cache::{Cache, Slot};
use super::columns::Field;
use super::record::Fields;
use super::segments::{SegKey, Segments};
use crate::question::parse_date;
use chrono::NaiveDate;

/// Columns that describe the parties and the transaction (one party key).
pub const PARTY_FIELDS: [Field; 8] = [
    Field::Buyer,
    Field::BuyerHq,
    Field::EndUser,
    Field::EndUserHq,
    Field::EndUse,
    Field::Exporter,
    Field::ExporterRole,
    Field::ShipFrom,
];
/// Columns that describe the item (one chip key).
pub const CHIP_FIELDS: [Field; 10] = [
    Field::Chip,
    Field::SpecJson,
    Field::Vendor,
    Field::Tops,
    Field::Bits,
    Field::DieArea,
    Field::MemoryBw,
    Field::InterconnectBw,
    Field::Datacenter,
    Field::Count,
];
/// Separates field values inside a key (rows containing it are refused).
pub const SEP: u8 = 0x1f;

/// Where a row stands in the pipeline.
#[derive(Debug)]
pub enum State {
    Rejected(String),
    /// Keys found (or to be added) in the caches.
    Keyed {
        party: Slot,
        chip: Slot,
        dest: Slot,
    },
    /// The distinct question this row is an instance of.
    Question(u32),
}

/// A parsed order.
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    /// Byte range of the order id in the block's id arena.
    pub id: (u32, u32),
    pub date: NaiveDate,
    pub seg: SegKey,
    pub quantity: f64,
    pub price: Option<f64>,
    pub state: State,
}

/// Parses YYYY-MM-DD quickly; other spellings go through the same parser `check` uses.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b.get(r)?.iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Ok(date);
            }
        }
    }
    parse_date("date", s).map_err(|e| e.to_string())
}

/// The largest quantity an order may have (units).
pub const MAX_QUANTITY: f64 = 1e9;
/// The largest unit price an order may have (US dollars).
pub const MAX_UNIT_PRICE: f64 = 1e9;

/// A number of a row: finite, ≥ 0, at most `max`, and whole when `whole`; errors name the
/// column and the value.
fn number(
    field: &str,
    s: Option<&str>,
    required: bool,
    max: f64,
    whole: bool,
) -> Result<Option<f64>, String> {
    match s {
        None if required => Err(format!("`{field}` is empty")),
        None => Ok(None),
        Some(t) => match if t.contains('_') {
            t.replace('_', "").parse::<f64>()
        } else {
            t.parse::<f64>()
        } {
            Ok(v) if !v.is_finite() || v < 0.0 => {
                Err(format!("`{field}`: must be a number ≥ 0 (got `{t}`)"))
            }
            Ok(v) if v > max => Err(format!(
                "`{field}`: `{t}` is out of range (at most {})",
                super::report::fmt::count(max as u64)
            )),
            Ok(v) if whole && v.fract() != 0.0 => {
                Err(format!("`{field}`: must be a whole number (got `{t}`)"))
            }
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(format!("`{field}`: `{t}` is not a number")),
        },
    }
}

fn key(buf: &mut Vec<u8>, f: &Fields<'_>, which: &[Field]) -> Result<(), String> {
    buf.clear();
    for (i, field) in which.iter().enumerate() {
        if i > 0 {
            buf.push(SEP);
        }
        if let Some(v) = f[*field as usize] {
            if v.as_bytes().contains(&SEP) {
                return Err(format!("`{}` contains a control character", field.name()));
            }
            buf.extend_from_slice(v.as_bytes());
        }
    }
    Ok(())
}

/// Reusable key buffers of one worker.
#[derive(Default)]
pub struct KeyBufs {
    party: Vec<u8>,
    chip: Vec<u8>,
    dest: Vec<u8>,
}

/// Validates a record's fields and looks its keys up. `as_of` replaces each order's date.
pub fn parse(
    f: &Fields<'_>,
    line: u64,
    id: (u32, u32),
    segs: &Segments,
    as_of: Option<NaiveDate>,
    cache: &Cache,
    bufs: &mut KeyBufs,
) -> Row {
    let mut row = Row {
        line,
        id,
        date: NaiveDate::MIN,
        seg: 0,
        quantity: 0.0,
        price: None,
        state: State::Rejected(String::new()),
    };
    match fill(&mut row, f, segs, as_of, cache, bufs) {
        Ok(state) => row.state = state,
        Err(reason) => row.state = State::Rejected(reason),
    }
    row
}

fn fill(
    row: &mut Row,
    f: &Fields<'_>,
    segs: &Segments,
    as_of: Option<NaiveDate>,
    cache: &Cache,
    bufs: &mut KeyBufs,
) -> Result<State, String> {
    if f[Field::OrderId as usize].is_none() {
        return Err("`order_id` is empty".into());
    }
    let order_date = date(f[Field::Date as usize].ok_or("`date` is empty")?)?;
    let eval_date = as_of.unwrap_or(order_date);
    if let Some(first) = segs.earliest {
        if eval_date < first {
            return Err(format!(
                "`date`: {eval_date} is before the first rule encoded ({first})"
            ));
        }
    }
    row.date = eval_date;
    row.seg = segs.key(eval_date);
    row.quantity = number(
        "quantity",
        f[Field::Quantity as usize],
        true,
        MAX_QUANTITY,
        true,
    )?
    .unwrap_or(0.0);
    row.price = number(
        "unit_price_usd",
        f[Field::UnitPrice as usize],
        false,
        MAX_UNIT_PRICE,
        false,
    )?;
    if f[Field::ShipTo as usize].is_none() {
        return Err("`ship_to` is empty".into());
    }
    if f[Field::Chip as usize].is_none()
        && f[Field::SpecJson as usize].is_none()
        && f[Field::Tops as usize].is_none()
    {
        return Err("`chip` is empty (and no spec_json or tops/bits columns)".into());
    }
    key(&mut bufs.party, f, &PARTY_FIELDS)?;
    key(&mut bufs.chip, f, &CHIP_FIELDS)?;
    key(&mut bufs.dest, f, &[Field::ShipTo])?;
    Ok(State::Keyed {
        party: cache.parties.slot(&bufs.party),
        chip: cache.chips.slot(&bufs.chip),
        dest: cache.dests.slot(&bufs.dest),
    })
}

/// Splits a key back into its field values (empty = absent).
pub fn unkey(key: &[u8]) -> Vec<Option<String>> {
    key.split(|b| *b == SEP)
        .map(|v| Some(String::from_utf8_lossy(v).into_owned()).filter(|s| !s.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers() {
        assert_eq!(
            date("2025-04-09").unwrap(),
            NaiveDate::from_ymd_opt(2025, 4, 9).unwrap()
        );
        assert!(date("2025-02-30").is_err());
        assert!(date("yesterday").unwrap_err().contains("not a date"));
        let q = |s: Option<&str>| number("quantity", s, true, MAX_QUANTITY, true);
        assert!(q(Some("-1")).unwrap_err().contains("≥ 0"));
        assert!(q(None).is_err());
        assert!(q(Some("1.5")).unwrap_err().contains("whole number"));
        assert!(q(Some("99999999999999999999999"))
            .unwrap_err()
            .contains("out of range"));
        assert!(q(Some("inf")).unwrap_err().contains("≥ 0"));
        assert!(q(Some("NaN")).unwrap_err().contains("≥ 0"));
        assert_eq!(q(Some("1_000")).unwrap(), Some(1000.0));
        let p = |s: &str| number("unit_price_usd", Some(s), false, MAX_UNIT_PRICE, false);
        assert!(p("1e308").unwrap_err().contains("out of range"));
        assert_eq!(p("12.5").unwrap(), Some(12.5));
        assert_eq!(
            number("unit_price_usd", None, false, MAX_UNIT_PRICE, false).unwrap(),
            None
        );
    }
}
