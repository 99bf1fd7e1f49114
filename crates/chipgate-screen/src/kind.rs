//! What a hit on each source list means for an export: the list kind, its effect and the
//! regulation to cite. Kept apart from parsing so the licence engine can use it directly.

use serde::{Deserialize, Serialize};

/// The family a source list belongs to. Serialised as a stable snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    EntityList,
    Sdn,
    Dpl,
    Unverified,
    Meu,
    Cmic,
    NonSdn,
    Other,
}

/// The consequence of a confirmed hit for an export of items subject to the EAR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportEffect {
    /// Entity List: a licence is required for all items subject to the EAR.
    LicenceRequiredAllItems,
    /// DPL, SDN: the transaction is prohibited.
    Prohibited,
    /// Unverified List: red flag; a UVL statement from the party is required before export.
    RedFlagStatementRequired,
    /// MEU List: a licence is required for the items in Supp. 2 to part 744.
    LicenceRequiredListedItems,
    /// Not an export-control list (CMIC, other non-SDN lists, ...): informational only.
    Informational,
}

impl ListKind {
    /// All kinds, in a stable order.
    pub const ALL: [ListKind; 8] = [
        ListKind::EntityList,
        ListKind::Sdn,
        ListKind::Dpl,
        ListKind::Unverified,
        ListKind::Meu,
        ListKind::Cmic,
        ListKind::NonSdn,
        ListKind::Other,
    ];

    /// Stable snake_case identifier (`entity_list`, `sdn`, `dpl`, `unverified`, `meu`, `cmic`, `non_sdn`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::EntityList => "entity_list",
            ListKind::Sdn => "sdn",
            ListKind::Dpl => "dpl",
            ListKind::Unverified => "unverified",
            ListKind::Meu => "meu",
            ListKind::Cmic => "cmic",
            ListKind::NonSdn => "non_sdn",
            ListKind::Other => "other",
        }
    }

    /// Parse the snake_case identifier.
    pub fn parse(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Classify a source list by the name the file gives it (e.g. the CSL `source` column).
    pub fn from_source(source: &str) -> ListKind {
        let s = source.to_ascii_lowercase();
        if s.contains("entity list") {
            ListKind::EntityList
        } else if s.contains("denied persons") {
            ListKind::Dpl
        } else if s.contains("unverified") {
            ListKind::Unverified
        } else if s.contains("military end user") || s.contains("(meu)") {
            ListKind::Meu
        } else if s.contains("military-industrial") || s.contains("cmic") {
            ListKind::Cmic
        } else if s.contains("non-sdn")
            || s.contains("sectoral sanctions")
            || s.contains("capta")
            || s.contains("foreign sanctions evaders")
            || s.contains("palestinian legislative")
        {
            ListKind::NonSdn
        } else if s.contains("specially designated nationals") || s.contains("(sdn)") || s == "sdn"
        {
            ListKind::Sdn
        } else {
            ListKind::Other
        }
    }

    /// The export effect of a hit on this kind of list.
    pub fn effect(self) -> ExportEffect {
        match self {
            ListKind::EntityList => ExportEffect::LicenceRequiredAllItems,
            ListKind::Sdn | ListKind::Dpl => ExportEffect::Prohibited,
            ListKind::Unverified => ExportEffect::RedFlagStatementRequired,
            ListKind::Meu => ExportEffect::LicenceRequiredListedItems,
            ListKind::Cmic | ListKind::NonSdn | ListKind::Other => ExportEffect::Informational,
        }
    }

    /// The regulation to cite for a hit on this kind of list.
    pub fn citation(self) -> &'static str {
        match self {
            ListKind::EntityList => "15 CFR 744.11 / Supp. 4 to part 744",
            ListKind::Sdn => "31 CFR chapter V (OFAC SDN) / 15 CFR 744.8",
            ListKind::Dpl => "15 CFR 764.3 / DPL",
            ListKind::Unverified => "15 CFR 744.15 / Supp. 6 to part 744",
            ListKind::Meu => "15 CFR 744.21 / Supp. 7 to part 744",
            ListKind::Cmic => {
                "EO 13959 as amended by EO 14032 / 31 CFR part 586 (not an export control)"
            }
            ListKind::NonSdn => "31 CFR chapter V (OFAC non-SDN lists; not an export control)",
            ListKind::Other => "see the source list",
        }
    }
}

impl ExportEffect {
    /// Stable snake_case identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportEffect::LicenceRequiredAllItems => "licence_required_all_items",
            ExportEffect::Prohibited => "prohibited",
            ExportEffect::RedFlagStatementRequired => "red_flag_statement_required",
            ExportEffect::LicenceRequiredListedItems => "licence_required_listed_items",
            ExportEffect::Informational => "informational",
        }
    }

    /// One sentence for a report.
    pub fn describe(self) -> &'static str {
        match self {
            ExportEffect::LicenceRequiredAllItems => {
                "licence required for all items subject to the EAR"
            }
            ExportEffect::Prohibited => "prohibited: no export, reexport or transfer",
            ExportEffect::RedFlagStatementRequired => {
                "red flag: a UVL statement from the party is required; no licence exceptions"
            }
            ExportEffect::LicenceRequiredListedItems => {
                "licence required for the items listed in Supp. 2 to part 744"
            }
            ExportEffect::Informational => "informational: not an export-control restriction",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_csl_sources() {
        let cases = [
            ("Entity List (EL) - Bureau of Industry and Security", ListKind::EntityList),
            ("Specially Designated Nationals (SDN) - Treasury Department", ListKind::Sdn),
            ("Denied Persons List (DPL) - Bureau of Industry and Security", ListKind::Dpl),
            ("Unverified List (UVL) - Bureau of Industry and Security", ListKind::Unverified),
            ("Military End User (MEU) List - Bureau of Industry and Security", ListKind::Meu),
            (
                "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
                ListKind::Cmic,
            ),
            ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", ListKind::NonSdn),
            ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", ListKind::NonSdn),
            ("ITAR Debarred (DTC) - State Department", ListKind::Other),
        ];
        for (s, k) in cases {
            assert_eq!(ListKind::from_source(s), k, "{s}");
            assert_eq!(ListKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            ListKind::EntityList.effect(),
            ExportEffect::LicenceRequiredAllItems
        );
        assert_eq!(ListKind::Dpl.effect(), ExportEffect::Prohibited);
        assert!(ListKind::EntityList.citation().contains("744.11"));
    }
}
