//! The order-book columns chipgate understands, and how a file's header maps onto them:
//! names are matched case-insensitively (spaces and dashes count as underscores), a few common
//! synonyms are accepted, and `--map theirs=ours` renames anything else. Unknown columns are
//! ignored and listed, missing required columns stop the run before any row is read.
//!
//! Supported columns (JSON Lines: the same names as object keys):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `order_id` (`id`, `order`) | yes | the order's id, echoed in the results |
//! | `date` (`order_date`) | yes | YYYY-MM-DD; the as-of date unless `--as-of` |
//! | `chip` (`product`, `model`) | yes, unless a spec is given | catalog chip name, as `check --chip` |
//! | `quantity` (`qty`, `units`) | yes | units, a number ≥ 0 |
//! | `ship_to` (`destination`, `to`) | yes | ISO 3166-1 alpha-2 destination |
//! | `unit_price_usd` (`unit_price`, `price_usd`) | no | value = quantity × unit price |
//! | `buyer`, `buyer_hq`, `end_user`, `end_user_hq`, `end_use`, `exporter`, `exporter_role`, `ship_from` | no | as the `check` options of the same names |
//! | `spec_json` (`spec`) | no | a chip spec JSON object (the `--spec` contract; `name` defaults to `chip`) |
//! | `tops`, `bits`, `die_area_mm2`, `memory_bw_gbs`, `interconnect_bw_gbs`, `datacenter`, `vendor` | no | a spec in columns (`tops` and `bits` needed; `datacenter` true/false) |
//! | `count` | no | ICs per computer/assembly (as `--count`) |
//!
//! An empty cell is an absent value. `vendor` overrides the catalog vendor; a spec (JSON or
//! columns) takes precedence over the catalog name.

use anyhow::{anyhow, bail, Result};

/// A column chipgate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrderId,
    Date,
    Chip,
    Quantity,
    UnitPrice,
    ShipTo,
    Buyer,
    BuyerHq,
    EndUser,
    EndUserHq,
    EndUse,
    Exporter,
    ExporterRole,
    ShipFrom,
    SpecJson,
    Vendor,
    Tops,
    Bits,
    DieArea,
    MemoryBw,
    InterconnectBw,
    Datacenter,
    Count,
}

/// Number of fields (size of a row's field table).
pub const N_FIELDS: usize = 23;

/// Every field with its canonical column name and accepted synonyms.
pub const FIELDS: [(Field, &str, &[&str]); N_FIELDS] = [
    (Field::OrderId, "order_id", &["id", "order"]),
    (Field::Date, "date", &["order_date"]),
    (Field::Chip, "chip", &["product", "model"]),
    (Field::Quantity, "quantity", &["qty", "units"]),
    (
        Field::UnitPrice,
        "unit_price_usd",
        &["unit_price", "price_usd"],
    ),
    (Field::ShipTo, "ship_to", &["destination", "to"]),
    (Field::Buyer, "buyer", &[]),
    (Field::BuyerHq, "buyer_hq", &[]),
    (Field::EndUser, "end_user", &[]),
    (Field::EndUserHq, "end_user_hq", &[]),
    (Field::EndUse, "end_use", &[]),
    (Field::Exporter, "exporter", &[]),
    (Field::ExporterRole, "exporter_role", &[]),
    (Field::ShipFrom, "ship_from", &[]),
    (Field::SpecJson, "spec_json", &["spec"]),
    (Field::Vendor, "vendor", &[]),
    (Field::Tops, "tops", &[]),
    (Field::Bits, "bits", &[]),
    (Field::DieArea, "die_area_mm2", &[]),
    (Field::MemoryBw, "memory_bw_gbs", &[]),
    (Field::InterconnectBw, "interconnect_bw_gbs", &[]),
    (Field::Datacenter, "datacenter", &[]),
    (Field::Count, "count", &[]),
];

impl Field {
    pub fn name(self) -> &'static str {
        FIELDS[self as usize].1
    }
}

/// Lower-cases and turns spaces and dashes into underscores.
fn canon(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

/// Parsed `--map theirs=ours` pairs.
pub fn parse_map(pairs: &[String]) -> Result<Vec<(String, Field)>> {
    let mut out = Vec::new();
    for p in pairs {
        let (from, to) = p
            .split_once('=')
            .ok_or_else(|| anyhow!("--map `{p}`: expected THEIRS=OURS"))?;
        let to_c = canon(to);
        let field = FIELDS
            .iter()
            .find(|(_, n, _)| *n == to_c)
            .map(|(f, _, _)| *f)
            .ok_or_else(|| {
                anyhow!(
                    "--map `{p}`: `{to}` is not a column chipgate reads ({})",
                    FIELDS.iter().map(|f| f.1).collect::<Vec<_>>().join(", ")
                )
            })?;
        out.push((canon(from), field));
    }
    Ok(out)
}

/// Which input column feeds which field.
#[derive(Debug, Clone)]
pub struct Columns {
    /// For each input column position, the field it feeds.
    pub by_position: Vec<Option<Field>>,
    /// Input columns chipgate does not read.
    pub ignored: Vec<String>,
}

/// Maps one column name to a field (after `--map`), or `None`.
pub fn field_of(name: &str, map: &[(String, Field)]) -> Option<Field> {
    let c = canon(name);
    if let Some((_, f)) = map.iter().find(|(from, _)| *from == c) {
        return Some(*f);
    }
    FIELDS
        .iter()
        .find(|(_, n, syn)| *n == c || syn.contains(&c.as_str()))
        .map(|(f, _, _)| *f)
}

impl Columns {
    /// Maps a header; fails when a required column is missing or a field is given twice.
    pub fn from_header(header: &[String], map: &[(String, Field)]) -> Result<Columns> {
        let mut by_position = Vec::with_capacity(header.len());
        let mut ignored = Vec::new();
        for h in header {
            let f = field_of(h, map);
            if let Some(f) = f {
                if by_position.contains(&Some(f)) {
                    bail!(
                        "two columns map to `{}` (the second is `{h}`); rename one with --map",
                        f.name()
                    );
                }
            } else {
                ignored.push(h.clone());
            }
            by_position.push(f);
        }
        let c = Columns {
            by_position,
            ignored,
        };
        c.require()?;
        Ok(c)
    }

    /// Whether some input column feeds `f`.
    pub fn has(&self, f: Field) -> bool {
        self.by_position.contains(&Some(f))
    }

    fn require(&self) -> Result<()> {
        let mut missing: Vec<&str> = [Field::OrderId, Field::Date, Field::Quantity, Field::ShipTo]
            .iter()
            .filter(|f| !self.has(**f))
            .map(|f| f.name())
            .collect();
        if !self.has(Field::Chip) && !self.has(Field::SpecJson) && !self.has(Field::Tops) {
            missing.push("chip (or spec_json, or tops/bits spec columns)");
        }
        if !missing.is_empty() {
            bail!("the order book has no column for {} (columns are matched case-insensitively; rename yours with --map theirs=ours)", missing.join(", "));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matching_is_case_insensitive_and_mappable() {
        let map = parse_map(&["Kunde=buyer".to_string()]).unwrap();
        let h: Vec<String> = [
            "Order_ID", "Date", "CHIP", "Qty", "Ship To", "Kunde", "Notes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = Columns::from_header(&h, &map).unwrap();
        assert_eq!(c.by_position[4], Some(Field::ShipTo));
        assert_eq!(c.by_position[5], Some(Field::Buyer));
        assert_eq!(c.ignored, vec!["Notes".to_string()]);
        let h: Vec<String> = ["order_id", "date", "chip"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(Columns::from_header(&h, &[]).is_err());
    }
}
