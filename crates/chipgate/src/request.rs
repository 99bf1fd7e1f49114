//! The one request schema: every question chipgate answers — from a command line, an HTTP
//! body, an order-book row or a golden case — is first turned into one of these types, and
//! only then answered (by [`crate::answer`]). Field names are the CLI flags' names with `_`
//! for `-`; unknown fields are rejected; the OpenAPI request schemas are generated from these
//! very types, so the document cannot drift from what the server accepts. Adding a fact means
//! adding it here (and reading it in `question::prepare`); every entry point then has it.

use crate::args::{Common, ItemArgs, PartyArgs};
use anyhow::Context;
use chipgate_core::spec::ChipSpec;
use chipgate_core::InputError;
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
    /// Buyer name (screened as of the last date).
    pub buyer: Option<String>,
    /// First date (default 2022-01-01).
    pub from: Option<String>,
    /// Last date (default today).
    pub to_date: Option<String>,
    pub buyer_hq: Option<String>,
    pub end_user_hq: Option<String>,
    pub end_use: Option<String>,
    pub exporter: Option<String>,
    pub exporter_role: Option<String>,
    /// Country the item ships from (default US).
    pub ship_from: Option<String>,
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

/// `POST /v1/orders/report` query parameters (the body is the order book itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBookQuery {
    /// Name of a shipped scenario to compare with the baseline.
    pub scenario: Option<String>,
    /// Evaluate every order as of this date, YYYY-MM-DD (default: each order's own date).
    pub as_of: Option<String>,
    /// `enforced` (default) or `law`.
    pub view: Option<String>,
    /// The file's name, shown in the report's title.
    pub name: Option<String>,
}

/// `GET /v1/map` query parameters: the threshold map as of a date.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MapQuery {
    /// As-of date, YYYY-MM-DD (today when omitted).
    pub date: Option<String>,
    /// `enforced` (default) or `law`.
    pub view: Option<String>,
    /// Colour the chips by the decision for this destination (ISO alpha-2).
    pub to: Option<String>,
    /// Name of a shipped scenario.
    pub scenario: Option<String>,
}

/// Reads `--spec FILE` (`-` = standard input) into the JSON object a request carries. The
/// file is parsed as a chip spec here, so a bad file is reported with its line and key.
pub fn read_spec(item: &ItemArgs) -> anyhow::Result<Option<Value>> {
    let Some(path) = item.spec.as_deref() else {
        return Ok(None);
    };
    let text = if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("reading the spec from standard input")?;
        text
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading spec file {path}"))?
    };
    let spec = ChipSpec::from_json(&text)?;
    Ok(Some(serde_json::to_value(&spec).map_err(|e| {
        InputError::new("spec", format!("the spec cannot be re-encoded: {e}"))
    })?))
}

impl ClassifyRequest {
    /// The request a `chipgate classify` command line asks (the spec file read).
    pub fn from_cli(
        chip: Option<&str>,
        item: &ItemArgs,
        common: &Common,
        exporter_role: Option<&str>,
    ) -> anyhow::Result<ClassifyRequest> {
        Ok(ClassifyRequest {
            chip: chip.map(str::to_string),
            spec: read_spec(item)?,
            count: item.count,
            date: common.date.clone(),
            view: Some(common.view.clone()),
            scenario: None,
            exporter_role: exporter_role.map(str::to_string),
        })
    }
}

impl CheckRequest {
    /// The request a `chipgate check` command line asks (the spec file read; scenario files
    /// are applied to the engine by the caller, so `scenario` stays empty).
    pub fn from_cli(
        chip: Option<&str>,
        item: &ItemArgs,
        to: &str,
        p: &PartyArgs,
        common: &Common,
    ) -> anyhow::Result<CheckRequest> {
        Ok(CheckRequest {
            chip: chip.map(str::to_string),
            spec: read_spec(item)?,
            count: item.count,
            to: to.to_string(),
            date: common.date.clone(),
            view: Some(common.view.clone()),
            scenario: None,
            ..CheckRequest::from_party_args(p)
        })
    }

    /// The party and transaction facts of a command line (or of anything built like one),
    /// with no item, destination or date yet.
    pub fn from_party_args(p: &PartyArgs) -> CheckRequest {
        CheckRequest {
            buyer: p.buyer.clone(),
            buyer_hq: p.buyer_hq.clone(),
            end_user: p.end_user.clone(),
            end_user_hq: p.end_user_hq.clone(),
            end_use: p.end_use.clone(),
            exporter: p.exporter.clone(),
            exporter_role: p.exporter_role.clone(),
            approved_designer: p.approved_designer.then_some(true),
            ship_from: p.ship_from.clone(),
            quantity: p.quantity,
            no_screen: p.no_screen.then_some(true),
            ..CheckRequest::default()
        }
    }

    /// Whether the parties are to be screened.
    pub fn screens(&self) -> bool {
        !self.no_screen.unwrap_or(false)
    }
}

/// A timeline question: the order asked on every date between two dates. `GET /v1/timeline`
/// (a [`TimelineQuery`]) and `chipgate timeline` both become one.
#[derive(Debug, Clone, Default)]
pub struct TimelineRequest {
    pub check: CheckRequest,
    /// First date, YYYY-MM-DD (default 2022-01-01).
    pub from: Option<String>,
    /// Last date, YYYY-MM-DD (default today).
    pub to_date: Option<String>,
}

impl TimelineRequest {
    /// The request a `chipgate timeline` command line asks.
    pub fn from_cli(
        chip: Option<&str>,
        item: &ItemArgs,
        to: &str,
        from: Option<&str>,
        to_date: Option<&str>,
        p: &PartyArgs,
        view: &str,
    ) -> anyhow::Result<TimelineRequest> {
        let common = Common {
            view: view.to_string(),
            ..Common::default()
        };
        Ok(TimelineRequest {
            check: CheckRequest::from_cli(chip, item, to, p, &common)?,
            from: from.map(str::to_string),
            to_date: to_date.map(str::to_string),
        })
    }
}

impl From<&TimelineQuery> for TimelineRequest {
    fn from(t: &TimelineQuery) -> TimelineRequest {
        TimelineRequest {
            check: CheckRequest::from(t),
            from: t.from.clone(),
            to_date: t.to_date.clone(),
        }
    }
}

impl From<&TimelineQuery> for CheckRequest {
    /// The question asked on every date of a timeline.
    fn from(t: &TimelineQuery) -> CheckRequest {
        CheckRequest {
            chip: Some(t.chip.clone()),
            to: t.to.clone(),
            buyer: t.buyer.clone(),
            buyer_hq: t.buyer_hq.clone(),
            end_user_hq: t.end_user_hq.clone(),
            end_use: t.end_use.clone(),
            exporter: t.exporter.clone(),
            exporter_role: t.exporter_role.clone(),
            ship_from: t.ship_from.clone(),
            view: t.view.clone(),
            scenario: t.scenario.clone(),
            ..CheckRequest::default()
        }
    }
}
