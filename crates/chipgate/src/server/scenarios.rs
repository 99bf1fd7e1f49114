//! Scenarios for API requests: a request's `scenario` is either a scenario file's TOML text or
//! the name of a scenario shipped in `scenarios/` (embedded at build time, so the server never
//! reads a path a client chose). Overlaying copies the engine, so only requests that ask pay.

use super::error::ApiError;
use chipgate_core::rules::{RuleSource, Scenario};
use chipgate_core::Engine;
use include_dir::{include_dir, Dir};
use std::borrow::Cow;

static SHIPPED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../scenarios");

/// Names of the shipped scenarios (file stems).
pub fn shipped_names() -> Vec<String> {
    let mut v: Vec<String> = SHIPPED
        .files()
        .filter_map(|f| f.path().to_str())
        .filter_map(|p| p.strip_suffix(".toml"))
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// Parses the `scenario` field: TOML text or a shipped scenario's name.
pub fn parse(given: &str) -> Result<Scenario, ApiError> {
    let looks_like_toml = given.contains('\n') || given.contains('=');
    let source = if looks_like_toml {
        RuleSource {
            name: "request scenario".into(),
            text: given.to_string(),
        }
    } else {
        let name = given.trim().trim_end_matches(".toml");
        let file = SHIPPED.get_file(format!("{name}.toml")).ok_or_else(|| {
            ApiError::bad_request("unknown_scenario", format!("no shipped scenario `{name}`"))
                .with_field("scenario")
                .with_hint(format!(
                    "give the scenario's TOML text, or one of: {}",
                    shipped_names().join(", ")
                ))
        })?;
        let text = file
            .contents_utf8()
            .ok_or_else(|| ApiError::internal(format!("shipped scenario `{name}` is not UTF-8")))?;
        RuleSource {
            name: format!("scenarios/{name}.toml"),
            text: text.to_string(),
        }
    };
    Scenario::parse(source).map_err(|e| {
        ApiError::bad_request("invalid_scenario", format!("invalid scenario: {e}"))
            .with_field("scenario")
    })
}

/// The engine to answer with: the loaded one, or a copy with the scenario overlaid.
pub fn engine_for<'a>(
    engine: &'a Engine,
    scenario: Option<&str>,
) -> Result<Cow<'a, Engine>, ApiError> {
    match scenario {
        None => Ok(Cow::Borrowed(engine)),
        Some(s) => {
            let sc = parse(s)?;
            let e = engine.with_scenario(&sc).map_err(|e| {
                ApiError::bad_request("invalid_scenario", format!("invalid scenario: {e}"))
                    .with_field("scenario")
            })?;
            Ok(Cow::Owned(e))
        }
    }
}
