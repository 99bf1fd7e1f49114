//! The numbers the rules compare, computed from a spec with the method written down once.
//!
//! * TPP ("total processing performance", 15 CFR 774 Supp. 1, 3A090 technical note): the
//!   highest, over the listed dense throughputs, of TOPS × bit length. Datasheet TOPS already
//!   count a multiply-accumulate as two operations, so this equals 2 × MacTOPS × bit length.
//!   Sparse figures must not be entered (the catalog holds dense peaks only). TF32 is entered
//!   with 32 bits (the conservative reading); a spec may say otherwise through `bits`.
//! * When no throughput is known but a source states a TPP, that figure is used and the
//!   metric says so ([`TppBasis::Stated`]).
//! * PD ("performance density") = TPP ÷ applicable die area (logic dies only, summed).
//! * Memory-bandwidth density (3A090.c) = memory bandwidth ÷ stack or package area.

use crate::numfmt::fmt_num;
use crate::spec::{ChipSpec, ItemKind};
use serde::Serialize;

/// How the TPP figure was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum TppBasis {
    /// Computed from one listed throughput (the one giving the highest product).
    Throughput {
        tops: f64,
        bits: u32,
        format: Option<String>,
    },
    /// Taken from a figure a source states; no throughput was listed.
    Stated { value: f64 },
}

impl TppBasis {
    /// "296 TOPS × 8 bit" or "stated by a source".
    pub fn describe(&self) -> String {
        match self {
            TppBasis::Throughput { tops, bits, .. } => {
                format!("{} TOPS × {} bit", fmt_num(*tops), bits)
            }
            TppBasis::Stated { .. } => "stated by a source, no throughput listed".into(),
        }
    }
}

/// The computed metrics of one chip. `None` means unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Metrics {
    pub tpp: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpp_basis: Option<TppBasis>,
    pub pd: Option<f64>,
    pub memory_bw_gbs: Option<f64>,
    pub interconnect_bw_gbs: Option<f64>,
    pub memory_gb: Option<f64>,
    pub die_area_mm2: Option<f64>,
    pub transistors_billion: Option<f64>,
    /// Memory-bandwidth density (GB/s per mm²), for standalone HBM.
    pub hbm_bw_density: Option<f64>,
    pub datacenter: Option<bool>,
    pub has_hbm: Option<bool>,
    pub hbm_stack: bool,
    /// ICs per item (None = a single IC, not a system).
    pub count: Option<u32>,
    pub advanced_logic: Option<bool>,
    pub vendor_country: Option<String>,
}

/// Computes the metrics of a spec. Pure and total: bad numbers were rejected by validation,
/// and anything left non-finite is treated as unknown.
pub fn compute(spec: &ChipSpec) -> Metrics {
    let mut best: Option<(f64, &crate::spec::Throughput)> = None;
    for t in &spec.throughput {
        let product = t.tops * f64::from(t.bits);
        if !product.is_finite() {
            continue;
        }
        // Ties (e.g. TF32 × 32 = INT8 × 8) go to the larger TOPS figure, the one datasheets quote.
        let better = match best {
            None => true,
            Some((b, bt)) => product > b || (product == b && t.tops > bt.tops),
        };
        if better {
            best = Some((product, t));
        }
    }
    let (tpp, tpp_basis) = match best {
        Some((p, t)) => (
            Some(p),
            Some(TppBasis::Throughput {
                tops: t.tops,
                bits: t.bits,
                format: t.format.clone(),
            }),
        ),
        None => match spec.stated_tpp.filter(|v| v.is_finite()) {
            Some(v) => (Some(v), Some(TppBasis::Stated { value: v })),
            None => (None, None),
        },
    };
    let die = spec.die_area_mm2.filter(|a| a.is_finite() && *a > 0.0);
    let pd = match (tpp, die) {
        (Some(t), Some(a)) => Some(t / a),
        _ => None,
    };
    let hbm_stack = spec.kind == ItemKind::Hbm;
    let hbm_bw_density = match (spec.memory_bw_gbs, spec.hbm_stack_area_mm2) {
        (Some(bw), Some(area)) if area > 0.0 => Some(bw / area),
        _ => None,
    };
    Metrics {
        tpp,
        tpp_basis,
        pd,
        memory_bw_gbs: spec.memory_bw_gbs,
        interconnect_bw_gbs: spec.interconnect_bw_gbs,
        memory_gb: spec.memory_gb,
        die_area_mm2: die,
        transistors_billion: spec.transistors_billion,
        hbm_bw_density,
        datacenter: spec.datacenter,
        has_hbm: spec.has_hbm(),
        hbm_stack,
        count: spec.count,
        advanced_logic: spec.advanced_logic,
        vendor_country: spec.vendor_country.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Throughput;

    fn tp(bits: u32, tops: f64) -> Throughput {
        Throughput {
            bits,
            tops,
            format: None,
            source: None,
        }
    }

    #[test]
    fn tpp_is_the_highest_product_and_pd_divides_by_area() {
        let spec = ChipSpec {
            name: "H20".into(),
            throughput: vec![tp(16, 148.0), tp(8, 296.0), tp(64, 1.0)],
            die_area_mm2: Some(814.0),
            ..Default::default()
        };
        let m = compute(&spec);
        assert_eq!(m.tpp, Some(2368.0));
        let pd = m.pd.unwrap();
        assert!((pd - 2.909).abs() < 0.001);
        assert_eq!(m.tpp_basis.unwrap().describe(), "296 TOPS × 8 bit");
    }

    #[test]
    fn unknown_stays_unknown() {
        let spec = ChipSpec {
            name: "X".into(),
            ..Default::default()
        };
        let m = compute(&spec);
        assert_eq!(m.tpp, None);
        assert_eq!(m.pd, None);
    }

    #[test]
    fn stated_tpp_is_a_fallback_only() {
        let spec = ChipSpec {
            name: "X".into(),
            stated_tpp: Some(4707.0),
            die_area_mm2: Some(608.5),
            ..Default::default()
        };
        let m = compute(&spec);
        assert_eq!(m.tpp, Some(4707.0));
        assert!(matches!(m.tpp_basis, Some(TppBasis::Stated { .. })));
    }
}
