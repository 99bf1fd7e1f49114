//! The request types of the HTTP API. Field names are the CLI flags' names with `_` for `-`,
//! unknown fields are rejected, and the OpenAPI document's request schemas are generated from
//! these very types, so the document cannot drift from what the server accepts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /v1/classify`: the ECCN paragraph of a catalog chip or a spec on a date.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// Catalog chip name (forgiving: `H20`, `nvidia h20`). Give this or `spec`.
    pub chip: Option<String>,
    /// A chip spec JSON object (the format of `--spec FILE`).
    #[schemars(with = "Option<Map<String, Value>>")]
    pub spec: Option<Value>,
    /// Number of ICs in a computer, assembly or component (a 4A090 question).
    pub count: Option<u32>,
    /// As-of date, YYYY-MM-DD (today when omitted).
    pub date: Option<String>,
    /// `enforced` (default) or `law`.
    pub view: Option<String>,
    /// A scenario: TOML text, or the name of a shipped scenario (`tpp-1000-d1`).
    pub scenario: Option<String>,
    /// designer, front_end_fabricator, osat, distributor, other.
    pub exporter_role: Option<String>,
}

/// `POST /v1/check` (and one row of `POST /v1/orders`): can this order ship?
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// Catalog chip name. Give this or `spec`.
    pub chip: Option<String>,
    /// A chip spec JSON object (the format of `--spec FILE`).
    #[schemars(with = "Option<Map<String, Value>>")]
    pub spec: Option<Value>,
    /// Number of ICs in a computer, assembly or component.
    pub count: Option<u32>,
    /// Destination country (ISO 3166-1 alpha-2).
    pub to: String,
    /// Buyer name (screened against the lists).
    pub buyer: Option<String>,
    /// Country where the buyer, or its ultimate parent, is headquartered.
    pub buyer_hq: Option<String>,
    /// End-user name (screened against the lists).
    pub end_user: Option<String>,
    /// Country where the end user, or its ultimate parent, is headquartered.
    pub end_user_hq: Option<String>,
    /// End use, free text (e.g. "supercomputer", "cloud inference").
    pub end_use: Option<String>,
    /// Exporter name (defaults to the chip's vendor).
    pub exporter: Option<String>,
    /// designer, front_end_fabricator, osat, distributor, other.
    pub exporter_role: Option<String>,
    /// The IC designer is approved or authorized (Supp. No. 6 to part 740).
    pub approved_designer: Option<bool>,
    /// Country the item ships from (default US).
    pub ship_from: Option<String>,
    /// Units in the order.
    pub quantity: Option<f64>,
    /// Do not screen the parties against the lists.
    pub no_screen: Option<bool>,
    /// As-of date, YYYY-MM-DD (today when omitted).
    pub date: Option<String>,
    /// `enforced` (default) or `law`.
    pub view: Option<String>,
    /// A scenario: TOML text, or the name of a shipped scenario.
    pub scenario: Option<String>,
    /// Your order id: echoed in the answer and stored (searchable) with the audit record.
    pub order_id: Option<String>,
    /// Your own reference, if not an order id: echoed and stored like `order_id`.
    pub client_ref: Option<String>,
}

/// `POST /v1/screen`: one name against the screening lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The name to screen.
    pub name: String,
    /// Country of the party (ISO alpha-2), used to rank hits.
    pub country: Option<String>,
    /// As-of date, YYYY-MM-DD: entries count from their start date.
    pub date: Option<String>,
    /// Score threshold for a potential match (0–1).
    pub threshold: Option<f64>,
    /// Only these lists (list kinds or source-list names).
    pub lists: Option<Vec<String>>,
}

/// `GET /v1/timeline` query parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    pub chip: String,
    pub to: String,
    /// First date (default 2022-01-01).
    pub from: Option<String>,
    /// Last date (default today).
    pub to_date: Option<String>,
    pub buyer_hq: Option<String>,
    pub end_user_hq: Option<String>,
    pub end_use: Option<String>,
    pub exporter: Option<String>,
    pub exporter_role: Option<String>,
    pub view: Option<String>,
    /// Name of a shipped scenario.
    pub scenario: Option<String>,
}

/// `GET /v1/rules` query parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    pub date: Option<String>,
    pub view: Option<String>,
    /// Name of a shipped scenario.
    pub scenario: Option<String>,
}
