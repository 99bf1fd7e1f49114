//! `lists update`: download the current trade.gov Consolidated Screening List CSV over HTTP
//! (blocking `ureq`; HTTPS needs the `tls` feature) and import it into a [`ListStore`].

use crate::error::ScreenError;
use crate::store::{ListStore, StoredList};
use chrono::NaiveDate;
use std::time::Duration;

/// Where trade.gov publishes the consolidated CSV.
pub const TRADE_GOV_CSL_URL: &str =
    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv";

/// Download `url` (at most 512 MB, 120 s).
pub fn fetch(url: &str) -> Result<Vec<u8>, ScreenError> {
    let http = |m: String| ScreenError::Http {
        url: url.to_string(),
        message: m,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let mut resp = agent.get(url).call().map_err(|e| http(e.to_string()))?;
    resp.body_mut()
        .with_config()
        .limit(512 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| http(e.to_string()))
}

/// Download the CSL CSV from `url` and import it into `store` as `consolidated_<date>.csv`.
/// An empty or unparsable download is an error and leaves the store unchanged.
pub fn update(
    store: &ListStore,
    url: &str,
    snapshot: NaiveDate,
) -> Result<StoredList, ScreenError> {
    let bytes = fetch(url)?;
    let name = format!("consolidated_{snapshot}.csv");
    store.import_bytes(&name, &bytes, Some(snapshot))
}
