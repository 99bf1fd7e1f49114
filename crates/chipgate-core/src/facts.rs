//! The named facts a rule condition may mention, with their types, labels and units, and the
//! `Facts` of one question. This list *is* the vocabulary of the rule language: a rule file
//! naming anything else is rejected at load.

use crate::metrics::Metrics;
use chrono::{Datelike, NaiveDate};

/// Types of the condition language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Num,
    Bool,
    Str,
    Set,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Num => "number",
            Ty::Bool => "boolean",
            Ty::Str => "string",
            Ty::Set => "set",
        }
    }
}

/// Every fact a condition can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactId {
    Tpp,
    Pd,
    MemoryBw,
    InterconnectBw,
    MemoryGb,
    DieArea,
    Transistors,
    HbmBwDensity,
    Quantity,
    Count,
    OrderTpp,
    Year,
    Datacenter,
    HbmStack,
    HasHbm,
    System,
    ExportFromUs,
    ApprovedDesigner,
    AdvancedLogic,
    Destination,
    BuyerHq,
    EndUserHq,
    Exporter,
    Vendor,
    VendorCountry,
    Eccn,
    IcEccn,
    ExporterRole,
    ShipFrom,
    EndUse,
    BuyerLists,
    EndUserLists,
    PartyLists,
    OwnerLists,
    Product,
}

/// Name, type and how to talk about a fact.
pub struct FactMeta {
    pub id: FactId,
    pub name: &'static str,
    pub ty: Ty,
    pub label: &'static str,
    pub unit: &'static str,
    pub doc: &'static str,
}

macro_rules! facts_table {
    ($( $id:ident, $name:literal, $ty:ident, $label:literal, $unit:literal, $doc:literal; )*) => {
        /// The vocabulary, in documentation order.
        pub const FACTS: &[FactMeta] = &[
            $( FactMeta { id: FactId::$id, name: $name, ty: Ty::$ty, label: $label, unit: $unit, doc: $doc }, )*
        ];
    };
}

facts_table! {
    Tpp, "tpp", Num, "TPP", "", "total processing performance: max over throughputs of TOPS × bit length";
    Pd, "pd", Num, "performance density", "", "TPP ÷ applicable die area (mm²)";
    MemoryBw, "memory_bw_gbs", Num, "memory bandwidth", "GB/s", "DRAM/HBM bandwidth";
    InterconnectBw, "interconnect_bw_gbs", Num, "interconnect bandwidth", "GB/s", "aggregate bidirectional chip-to-chip I/O bandwidth";
    MemoryGb, "memory_gb", Num, "memory capacity", "GB", "memory capacity";
    DieArea, "die_area_mm2", Num, "applicable die area", "mm²", "summed logic die area";
    Transistors, "transistors_billion", Num, "transistor count", "bn", "aggregated transistor count (billions)";
    HbmBwDensity, "hbm_bw_density", Num, "memory-bandwidth density", "GB/s/mm²", "memory bandwidth ÷ stack or package area";
    Quantity, "quantity", Num, "quantity", "", "units in the order (1 when not given)";
    Count, "count", Num, "ICs per item", "", "ICs in a computer/assembly (1 for a bare IC)";
    OrderTpp, "order_tpp", Num, "order TPP", "", "TPP × ICs per item × quantity";
    Year, "year", Num, "year", "", "calendar year of the as-of date";
    Datacenter, "datacenter", Bool, "designed or marketed for datacenters", "", "vendor designs or markets the IC for datacenters";
    HbmStack, "hbm_stack", Bool, "a standalone HBM stack", "", "the item is high-bandwidth memory on its own";
    HasHbm, "has_hbm", Bool, "co-packaged with HBM", "", "memory type is HBM";
    System, "system", Bool, "a computer, assembly or component containing ICs", "", "spec gives a count of ICs";
    ExportFromUs, "export_from_us", Bool, "exported from the United States", "", "ship-from country is US";
    ApprovedDesigner, "approved_designer", Bool, "designed by an approved or authorized IC designer", "", "Supp. No. 6 to part 740";
    AdvancedLogic, "advanced_logic", Bool, "an advanced-node logic IC", "", "16/14 nm or finer, or non-planar transistors";
    Destination, "destination", Str, "destination", "", "country of the ship-to address (HK treated as CN)";
    BuyerHq, "buyer_hq", Set, "buyer headquarters", "", "countries where the buyer and its ultimate parent are headquartered";
    EndUserHq, "end_user_hq", Set, "end-user headquarters", "", "countries where the end user and its ultimate parent are headquartered";
    Exporter, "exporter", Str, "exporter", "", "exporter name (defaults to the chip's vendor)";
    Vendor, "vendor", Str, "vendor", "", "chip vendor";
    VendorCountry, "vendor_country", Str, "vendor country", "", "country where the vendor is headquartered";
    Eccn, "eccn", Str, "ECCN", "", "classification of the item (after classification)";
    IcEccn, "ic_eccn", Str, "ECCN of the IC", "", "classification of the IC inside a system";
    ExporterRole, "exporter_role", Str, "exporter role", "", "designer, front_end_fabricator, osat, distributor, other";
    ShipFrom, "ship_from", Str, "ship-from country", "", "country the item leaves from (default US)";
    EndUse, "end_use", Set, "end use", "", "recognised end-use codes";
    BuyerLists, "buyer_lists", Set, "buyer's list hits", "", "kinds of screening list the buyer is on";
    EndUserLists, "end_user_lists", Set, "end user's list hits", "", "kinds of screening list the end user is on";
    PartyLists, "party_lists", Set, "parties' list hits", "", "list kinds of any party (buyer or end user)";
    OwnerLists, "owner_lists", Set, "50 % owners' list hits", "", "list kinds of parties owning ≥ 50 % of the buyer or end user";
    Product, "product", Set, "product", "", "the item's names: its name, vendor-prefixed name and aliases (for letters and guidance that name products)";
}

impl FactId {
    pub fn meta(self) -> &'static FactMeta {
        // FACTS is in declaration order (checked when compiling, below), so the discriminant
        // indexes it and the fallback is never used.
        FACTS.get(self as usize).unwrap_or(&UNREACHABLE_META)
    }

    pub fn by_name(name: &str) -> Option<FactId> {
        FACTS.iter().find(|m| m.name == name).map(|m| m.id)
    }
}

/// Stands in for a table entry that the compile-time check below proves present.
const UNREACHABLE_META: FactMeta = FactMeta {
    id: FactId::Tpp,
    name: "?",
    ty: Ty::Num,
    label: "?",
    unit: "",
    doc: "",
};

// Every fact has its entry, at the index of its discriminant.
#[expect(
    clippy::indexing_slicing,
    reason = "evaluated by the compiler: a bad table fails the build, never a run"
)]
const _: () = {
    assert!(FACTS.len() == FactId::Product as usize + 1);
    let mut i = 0;
    while i < FACTS.len() {
        assert!(FACTS[i].id as usize == i);
        i += 1;
    }
};

/// A set-valued fact that may be only partly known: `definite` members for sure, `possible`
/// members pending review (e.g. a potential screening match).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetFact {
    pub definite: Vec<String>,
    pub possible: Vec<String>,
}

impl SetFact {
    pub fn of(items: &[&str]) -> SetFact {
        SetFact {
            definite: items.iter().map(|s| s.to_string()).collect(),
            possible: Vec::new(),
        }
    }
}

/// The facts of one question. `None` = unknown.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub metrics: Metrics,
    pub date: Option<NaiveDate>,
    pub quantity: Option<f64>,
    pub destination: Option<String>,
    /// Headquarters of the buyer and of its ultimate parent (None = unknown).
    pub buyer_hq: Option<Vec<String>>,
    pub end_user_hq: Option<Vec<String>>,
    pub exporter: Option<String>,
    pub vendor: Option<String>,
    pub eccn: Option<String>,
    pub ic_eccn: Option<String>,
    pub exporter_role: Option<String>,
    pub ship_from: Option<String>,
    pub approved_designer: Option<bool>,
    pub end_use: SetFact,
    pub buyer_lists: SetFact,
    pub end_user_lists: SetFact,
    pub owner_lists: SetFact,
    /// The item's names (name, vendor-prefixed name, aliases).
    pub product: Vec<String>,
    /// Values forced by a what-if sweep (see `classify`), taking precedence.
    pub overrides: Vec<(FactId, Value)>,
}

/// A fact's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Str(String),
    Set(SetFact),
    Unknown,
}

impl Facts {
    /// The value of a fact (Unknown when not known).
    pub fn get(&self, id: FactId) -> Value {
        if let Some((_, v)) = self.overrides.iter().find(|(f, _)| *f == id) {
            return v.clone();
        }
        let m = &self.metrics;
        let num = |o: Option<f64>| {
            o.filter(|v| v.is_finite())
                .map(Value::Num)
                .unwrap_or(Value::Unknown)
        };
        let boolean = |o: Option<bool>| o.map(Value::Bool).unwrap_or(Value::Unknown);
        let string = |o: &Option<String>| o.clone().map(Value::Str).unwrap_or(Value::Unknown);
        let count = f64::from(m.count.unwrap_or(1));
        let hq = |o: &Option<Vec<String>>| match o {
            Some(v) if !v.is_empty() => Value::Set(SetFact {
                definite: v.clone(),
                possible: Vec::new(),
            }),
            _ => Value::Unknown,
        };
        match id {
            FactId::Tpp => num(m.tpp),
            FactId::Pd => num(m.pd),
            FactId::MemoryBw => num(m.memory_bw_gbs),
            FactId::InterconnectBw => num(m.interconnect_bw_gbs),
            FactId::MemoryGb => num(m.memory_gb),
            FactId::DieArea => num(m.die_area_mm2),
            FactId::Transistors => num(m.transistors_billion),
            FactId::HbmBwDensity => num(m.hbm_bw_density),
            FactId::Quantity => num(Some(self.quantity.unwrap_or(1.0))),
            FactId::Count => Value::Num(count),
            FactId::OrderTpp => num(m.tpp.map(|t| t * count * self.quantity.unwrap_or(1.0))),
            FactId::Year => num(self.date.map(|d| f64::from(d.year()))),
            FactId::Datacenter => boolean(m.datacenter),
            FactId::HbmStack => Value::Bool(m.hbm_stack),
            FactId::HasHbm => boolean(m.has_hbm),
            FactId::System => Value::Bool(m.count.is_some()),
            FactId::ExportFromUs => self
                .ship_from
                .as_ref()
                .map(|s| Value::Bool(s == "US"))
                .unwrap_or(Value::Bool(true)),
            FactId::ApprovedDesigner => Value::Bool(self.approved_designer.unwrap_or(false)),
            FactId::AdvancedLogic => boolean(m.advanced_logic),
            FactId::Destination => string(&self.destination),
            FactId::BuyerHq => hq(&self.buyer_hq),
            FactId::EndUserHq => hq(&self.end_user_hq),
            FactId::Exporter => string(&self.exporter),
            FactId::Vendor => string(&self.vendor),
            FactId::VendorCountry => string(&m.vendor_country),
            FactId::Eccn => string(&self.eccn),
            FactId::IcEccn => string(&self.ic_eccn),
            FactId::ExporterRole => Value::Str(
                self.exporter_role
                    .clone()
                    .unwrap_or_else(|| "unspecified".into()),
            ),
            FactId::ShipFrom => Value::Str(self.ship_from.clone().unwrap_or_else(|| "US".into())),
            FactId::EndUse => Value::Set(self.end_use.clone()),
            FactId::BuyerLists => Value::Set(self.buyer_lists.clone()),
            FactId::EndUserLists => Value::Set(self.end_user_lists.clone()),
            FactId::PartyLists => {
                let mut s = self.buyer_lists.clone();
                s.definite
                    .extend(self.end_user_lists.definite.iter().cloned());
                s.possible
                    .extend(self.end_user_lists.possible.iter().cloned());
                Value::Set(s)
            }
            FactId::OwnerLists => Value::Set(self.owner_lists.clone()),
            FactId::Product => Value::Set(SetFact {
                definite: self.product.clone(),
                possible: Vec::new(),
            }),
        }
    }

    /// A display string for a fact's value ("2,368 (296 TOPS × 8 bit)", "CN", "unknown").
    pub fn display(&self, id: FactId) -> String {
        let meta = id.meta();
        match self.get(id) {
            Value::Num(v) => {
                let base = crate::numfmt::fmt_with_unit(v, meta.unit);
                let is_override = self.overrides.iter().any(|(f, _)| *f == id);
                match (&self.metrics.tpp_basis, id, is_override) {
                    (Some(b), FactId::Tpp, false) => format!("{base} ({})", b.describe()),
                    _ => base,
                }
            }
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => s,
            Value::Set(s) => {
                let mut items = s.definite.clone();
                items.extend(s.possible.iter().map(|p| format!("{p}?")));
                if items.is_empty() {
                    "none".into()
                } else {
                    items.join(", ")
                }
            }
            Value::Unknown => "unknown".into(),
        }
    }
}

/// Allocation-free accessors used by the fast evaluator (`expr::eval_tri`).
impl Facts {
    fn overridden(&self, id: FactId) -> Option<&Value> {
        if self.overrides.is_empty() {
            return None;
        }
        self.overrides
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, v)| v)
    }

    /// A numeric fact, or None when unknown (or not numeric).
    pub fn num(&self, id: FactId) -> Option<f64> {
        if let Some(v) = self.overridden(id) {
            return match v {
                Value::Num(n) => Some(*n),
                _ => None,
            };
        }
        let m = &self.metrics;
        let count = f64::from(m.count.unwrap_or(1));
        let v = match id {
            FactId::Tpp => m.tpp,
            FactId::Pd => m.pd,
            FactId::MemoryBw => m.memory_bw_gbs,
            FactId::InterconnectBw => m.interconnect_bw_gbs,
            FactId::MemoryGb => m.memory_gb,
            FactId::DieArea => m.die_area_mm2,
            FactId::Transistors => m.transistors_billion,
            FactId::HbmBwDensity => m.hbm_bw_density,
            FactId::Quantity => Some(self.quantity.unwrap_or(1.0)),
            FactId::Count => Some(count),
            FactId::OrderTpp => m.tpp.map(|t| t * count * self.quantity.unwrap_or(1.0)),
            FactId::Year => self.date.map(|d| f64::from(d.year())),
            _ => None,
        };
        v.filter(|x| x.is_finite())
    }

    /// A boolean fact, or None when unknown.
    pub fn boolean(&self, id: FactId) -> Option<bool> {
        if let Some(v) = self.overridden(id) {
            return match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            };
        }
        let m = &self.metrics;
        match id {
            FactId::Datacenter => m.datacenter,
            FactId::HbmStack => Some(m.hbm_stack),
            FactId::HasHbm => m.has_hbm,
            FactId::System => Some(m.count.is_some()),
            FactId::ExportFromUs => {
                Some(self.ship_from.as_deref().map(|s| s == "US").unwrap_or(true))
            }
            FactId::ApprovedDesigner => Some(self.approved_designer.unwrap_or(false)),
            FactId::AdvancedLogic => m.advanced_logic,
            _ => None,
        }
    }

    /// A string fact, borrowed, or None when unknown.
    pub fn string(&self, id: FactId) -> Option<&str> {
        if let Some(v) = self.overridden(id) {
            return match v {
                Value::Str(s) => Some(s.as_str()),
                _ => None,
            };
        }
        match id {
            FactId::Destination => self.destination.as_deref(),
            FactId::Exporter => self.exporter.as_deref(),
            FactId::Vendor => self.vendor.as_deref(),
            FactId::VendorCountry => self.metrics.vendor_country.as_deref(),
            FactId::Eccn => self.eccn.as_deref(),
            FactId::IcEccn => self.ic_eccn.as_deref(),
            FactId::ExporterRole => Some(self.exporter_role.as_deref().unwrap_or("unspecified")),
            FactId::ShipFrom => Some(self.ship_from.as_deref().unwrap_or("US")),
            _ => None,
        }
    }

    /// The parts of a set-valued fact: (definite, possible) slices, or None when unknown.
    pub fn set_parts(&self, id: FactId) -> Option<[(&[String], &[String]); 2]> {
        fn one(s: &SetFact) -> [(&[String], &[String]); 2] {
            [(s.definite.as_slice(), s.possible.as_slice()), (&[], &[])]
        }
        if let Some(v) = self.overridden(id) {
            return match v {
                Value::Set(s) => Some([(&s.definite, &s.possible), (&[], &[])]),
                _ => None,
            };
        }
        match id {
            FactId::EndUse => Some(one(&self.end_use)),
            FactId::BuyerLists => Some(one(&self.buyer_lists)),
            FactId::EndUserLists => Some(one(&self.end_user_lists)),
            FactId::OwnerLists => Some(one(&self.owner_lists)),
            FactId::Product => Some([(self.product.as_slice(), &[][..]), (&[][..], &[][..])]),
            FactId::PartyLists => Some([
                (
                    self.buyer_lists.definite.as_slice(),
                    self.buyer_lists.possible.as_slice(),
                ),
                (
                    self.end_user_lists.definite.as_slice(),
                    self.end_user_lists.possible.as_slice(),
                ),
            ]),
            FactId::BuyerHq => self
                .buyer_hq
                .as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| [(v.as_slice(), &[][..]), (&[][..], &[][..])]),
            FactId::EndUserHq => self
                .end_user_hq
                .as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| [(v.as_slice(), &[][..]), (&[][..], &[][..])]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for (i, m) in FACTS.iter().enumerate() {
            assert_eq!(m.id as usize, i, "{} out of order", m.name);
            assert_eq!(FactId::by_name(m.name), Some(m.id));
        }
    }
}
