//! What a chip is, as the rules need to know it: the spec a user writes (JSON) and the catalog
//! holds (TOML). Unknown values stay `None`: the engine never fills a gap with a default.

use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One dense peak throughput figure: `tops` tera-operations per second at `bits` bit length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throughput {
    pub bits: u32,
    pub tops: f64,
    /// The number format ("fp16", "int8", "tf32", …) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Where the figure comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What kind of item the spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A logic IC (GPU, accelerator, CPU); HBM co-packaged with it does not change this.
    #[default]
    Ic,
    /// A standalone high-bandwidth-memory stack (the subject of 3A090.c).
    Hbm,
}

/// A chip specification: the JSON contract of `chipgate classify --spec` (unknown fields are an
/// error) and the shape every catalog entry is turned into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChipSpec {
    pub name: String,
    #[serde(default)]
    pub vendor: String,
    /// Designed or marketed for datacenters. `None` = not known (the answer says what it changes).
    #[serde(default)]
    pub datacenter: Option<bool>,
    #[serde(default)]
    pub throughput: Vec<Throughput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub die_area_mm2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transistors_billion: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bw_gbs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interconnect_bw_gbs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_type: Option<String>,
    /// Area of the HBM stack or package (mm²), for memory-bandwidth density (3A090.c).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hbm_stack_area_mm2: Option<f64>,
    #[serde(default, skip_serializing_if = "is_default_kind")]
    pub kind: ItemKind,
    /// Number of such ICs in a computer, assembly or component (makes the item a 4A090 candidate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// A TPP figure stated by a source, used only when no throughput is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_tpp: Option<f64>,
    /// Country where the vendor is headquartered (ISO alpha-2), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_country: Option<String>,
    /// Made on a 16/14 nm-class or finer node, or with non-planar transistors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_logic: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dies: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Which source backs which value (field name → URL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_sources: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Why a fact the rules test is unknown (fact name → reason), for catalog chips.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_reasons: BTreeMap<String, String>,
}

fn is_default_kind(k: &ItemKind) -> bool {
    *k == ItemKind::Ic
}

/// The smallest area (die, HBM stack) a spec may give, in mm².
pub const MIN_AREA_MM2: f64 = 0.01;
/// The largest area a spec may give, in mm² (a whole 300 mm wafer is about 70,700 mm²).
pub const MAX_AREA_MM2: f64 = 1e6;
/// The largest value of any other spec number (TOPS, GB/s, GB, billions of transistors, TPP).
pub const MAX_VALUE: f64 = 1e12;

impl ChipSpec {
    /// Parses the JSON spec contract; errors name the field.
    /// Also accepts the output of `chipgate chips show --json` (`{"spec": {…}, "metrics":
    /// {…}}`): its `spec` is read and the derived `metrics` are ignored (they are recomputed).
    pub fn from_json(text: &str) -> Result<ChipSpec, InputError> {
        let invalid =
            |e: serde_json::Error| InputError::new("spec", format!("invalid chip spec: {e}"));
        let value: serde_json::Value = serde_json::from_str(text).map_err(invalid)?;
        let value = match value {
            serde_json::Value::Object(mut m)
                if m.get("spec").is_some_and(serde_json::Value::is_object)
                    && m.keys().all(|k| k == "spec" || k == "metrics") =>
            {
                m.remove("spec").unwrap_or_default()
            }
            v => v,
        };
        let spec: ChipSpec = serde_json::from_value(value).map_err(invalid)?;
        spec.validate()?;
        Ok(spec)
    }

    /// Checks values a rule could misread (out-of-range values are refused too, so every
    /// metric derived from a spec is a finite number): negative or non-finite numbers, zero bit lengths.
    pub fn validate(&self) -> Result<(), InputError> {
        if self.name.trim().is_empty() {
            return Err(InputError::new("name", "a chip spec needs a name"));
        }
        for (i, t) in self.throughput.iter().enumerate() {
            if t.bits == 0 || t.bits > 1024 {
                return Err(InputError::new(
                    format!("throughput[{i}].bits"),
                    format!("bit length {} is not between 1 and 1024", t.bits),
                ));
            }
            if !t.tops.is_finite() || t.tops < 0.0 || !(t.tops * f64::from(t.bits)).is_finite() {
                return Err(InputError::new(
                    format!("throughput[{i}].tops"),
                    "must be a finite number ≥ 0",
                ));
            }
            if t.tops > MAX_VALUE {
                return Err(InputError::new(
                    format!("throughput[{i}].tops"),
                    format!("{} is out of range (at most {MAX_VALUE:e})", t.tops),
                ));
            }
        }
        let checks = [
            ("die_area_mm2", self.die_area_mm2, true),
            ("transistors_billion", self.transistors_billion, false),
            ("memory_bw_gbs", self.memory_bw_gbs, false),
            ("interconnect_bw_gbs", self.interconnect_bw_gbs, false),
            ("memory_gb", self.memory_gb, false),
            ("hbm_stack_area_mm2", self.hbm_stack_area_mm2, true),
            ("stated_tpp", self.stated_tpp, false),
        ];
        for (field, value, strictly_positive) in checks {
            if let Some(v) = value {
                let bad = !v.is_finite() || v < 0.0 || (strictly_positive && v == 0.0);
                if bad {
                    let want = if strictly_positive {
                        "a finite number > 0"
                    } else {
                        "a finite number ≥ 0"
                    };
                    return Err(InputError::new(field, format!("must be {want}")));
                }
                // Areas divide: a tiny one makes densities overflow to infinity.
                let (lo, hi) = if strictly_positive {
                    (MIN_AREA_MM2, MAX_AREA_MM2)
                } else {
                    (0.0, MAX_VALUE)
                };
                if v < lo || v > hi {
                    return Err(InputError::new(
                        field,
                        format!("{v} is out of range (between {lo} and {hi:e})"),
                    ));
                }
            }
        }
        if self.count == Some(0) {
            return Err(InputError::new("count", "must be at least 1"));
        }
        Ok(())
    }

    /// Display name with the vendor in front, as answers print it ("NVIDIA H20 (HGX)").
    pub fn display_name(&self) -> String {
        if self.vendor.is_empty() || self.name.starts_with(&self.vendor) {
            self.name.clone()
        } else {
            format!("{} {}", self.vendor, self.name)
        }
    }

    /// Whether the memory type names HBM (co-packaged high-bandwidth memory).
    pub fn has_hbm(&self) -> Option<bool> {
        self.memory_type
            .as_ref()
            .map(|m| m.to_ascii_uppercase().contains("HBM"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_contract_and_rejects_unknown_fields() {
        let ok = r#"{"name":"X","vendor":"V","datacenter":true,"throughput":[{"bits":8,"tops":100}],"die_area_mm2":300}"#;
        let s = ChipSpec::from_json(ok).unwrap();
        assert_eq!(s.throughput[0].tops, 100.0);
        let bad = r#"{"name":"X","vendor":"V","datacenter":true,"throughput":[],"die_area":300}"#;
        let e = ChipSpec::from_json(bad).unwrap_err();
        assert!(e.message.contains("die_area"), "{e}");
    }

    #[test]
    fn accepts_the_chips_show_json_envelope() {
        let inner = r#"{"name":"X1","vendor":"V","throughput":[{"tops":10,"bits":8}]}"#;
        let wrapped = format!(r#"{{"spec":{inner},"metrics":{{"tpp":80}}}}"#);
        assert_eq!(
            ChipSpec::from_json(&wrapped).unwrap(),
            ChipSpec::from_json(inner).unwrap()
        );
        assert!(ChipSpec::from_json(r#"{"spec":{"name":"X"},"other":1}"#).is_err());
    }

    #[test]
    fn rejects_negative_and_zero_values_naming_the_field() {
        let bad =
            r#"{"name":"X","vendor":"V","datacenter":true,"throughput":[{"bits":8,"tops":-1}]}"#;
        assert_eq!(
            ChipSpec::from_json(bad).unwrap_err().field,
            "throughput[0].tops"
        );
        let bad = r#"{"name":"X","vendor":"V","datacenter":true,"throughput":[],"die_area_mm2":0}"#;
        assert_eq!(ChipSpec::from_json(bad).unwrap_err().field, "die_area_mm2");
    }
}
