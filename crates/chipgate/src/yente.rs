//! Screening in the shape of OpenSanctions yente's `POST /match/{dataset}`, so a client written
//! for yente can point at chipgate: FollowTheMoney-style query entities (`schema`,
//! `properties.name`, `properties.country` …), many per call, each answered with scored
//! entities. Every name of every query goes through the same [`crate::answer::screen`] as
//! `chipgate screen` and `POST /v1/screen`; this module only translates shapes.
//!
//! What differs from yente: datasets are chipgate's list names or kinds (`default` = all
//! lists); `algorithm`, `weights` and `config` are accepted and ignored (chipgate has one
//! scorer); result `schema` is `LegalEntity` (the lists do not all say person or company).

use crate::answer::{self, AnswerError};
use crate::request::ScreenRequest;
use chipgate_core::countries::Countries;
use chipgate_core::InputError;
use chipgate_screen::Screener;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most queries one call may carry.
pub const MAX_QUERIES: usize = 100;

/// The request body: query entities by a key the client chooses.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct MatchRequest {
    pub queries: BTreeMap<String, EntityExample>,
    /// Accepted for compatibility; chipgate has one scorer.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Accepted for compatibility; ignored.
    #[serde(default)]
    pub config: BTreeMap<String, Value>,
}

/// A query entity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct EntityExample {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// FollowTheMoney schema (`Person`, `Company`, `Organization`, `LegalEntity` …).
    pub schema: String,
    /// Property values; `name` (and `alias`) are screened, `country` / `jurisdiction` /
    /// `nationality` rank hits by country. A single string is taken as a one-item list.
    #[serde(default)]
    pub properties: BTreeMap<String, Value>,
}

/// Query-string options of `POST /match/{dataset}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct MatchParams {
    /// Score from which a result is a match (default 0.7, as yente's).
    pub threshold: Option<f64>,
    /// Results per query (default 5).
    pub limit: Option<usize>,
    /// Accepted for compatibility; ignored.
    pub algorithm: Option<String>,
    /// Results below this score are left out (default: chipgate's potential-match threshold).
    pub cutoff: Option<f64>,
    /// As-of date, YYYY-MM-DD (chipgate extension; today when omitted).
    pub date: Option<String>,
}

/// The response: one entry per query key.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MatchResponse {
    pub responses: BTreeMap<String, EntityMatches>,
    pub limit: usize,
}

/// The results of one query.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EntityMatches {
    pub status: u16,
    pub results: Vec<ScoredEntity>,
    pub total: Total,
    pub query: EntityExample,
}

/// How many results there were.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Total {
    pub value: usize,
    pub relation: String,
}

/// A list entry that matched, scored.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScoredEntity {
    /// The list's own identifier of the entry.
    pub id: String,
    /// The entry's primary name.
    pub caption: String,
    pub schema: String,
    pub properties: BTreeMap<String, Vec<String>>,
    /// The list the entry is on.
    pub datasets: Vec<String>,
    pub referents: Vec<String>,
    pub target: bool,
    pub score: f64,
    /// Whether the score reaches the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// chipgate's explanation of the score, under the key `chipgate`.
    pub explanations: BTreeMap<String, Explanation>,
}

/// A score with its reason.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Explanation {
    pub score: f64,
    pub explanation: String,
}

fn values(p: &BTreeMap<String, Value>, key: &str) -> Vec<String> {
    match p.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Answers a match request against `dataset` (`default` = every list).
pub fn match_entities(
    countries: &Countries,
    screener: Option<&Screener>,
    dataset: &str,
    params: &MatchParams,
    req: &MatchRequest,
) -> Result<MatchResponse, AnswerError> {
    if req.queries.is_empty() {
        return Err(InputError::new("queries", "no queries provided").into());
    }
    if req.queries.len() > MAX_QUERIES {
        return Err(InputError::new(
            "queries",
            format!("too many queries in one call (at most {MAX_QUERIES})"),
        )
        .into());
    }
    let threshold = params.threshold.unwrap_or(0.7);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(InputError::new("threshold", "must be between 0 and 1").into());
    }
    let limit = params.limit.unwrap_or(5).clamp(1, 500);
    let lists = match dataset {
        "default" | "all" | "sanctions" => None,
        d => Some(vec![d.to_string()]),
    };
    let mut responses = BTreeMap::new();
    for (key, q) in &req.queries {
        let mut names = values(&q.properties, "name");
        names.extend(values(&q.properties, "alias"));
        if names.is_empty() {
            return Err(InputError::new(
                format!("queries.{key}.properties.name"),
                "a query entity needs at least one name",
            )
            .into());
        }
        let country = ["country", "jurisdiction", "nationality"]
            .iter()
            .find_map(|k| values(&q.properties, k).into_iter().next());
        let mut best: BTreeMap<(String, String), ScoredEntity> = BTreeMap::new();
        for name in names {
            let r = answer::screen(
                countries,
                screener,
                &ScreenRequest {
                    name,
                    country: country.clone(),
                    date: params.date.clone(),
                    threshold: params.cutoff,
                    lists: lists.clone(),
                },
            )?
            .result;
            for h in r.hits.iter().filter(|h| h.suppressed.is_none()) {
                let e = ScoredEntity {
                    id: h.entry_id.clone(),
                    caption: h.name.clone(),
                    schema: "LegalEntity".into(),
                    properties: BTreeMap::from([
                        ("name".to_string(), vec![h.name.clone()]),
                        ("alias".to_string(), vec![h.matched_name.clone()]),
                        (
                            "country".to_string(),
                            h.country
                                .as_deref()
                                .map(|c| c.split("; ").map(str::to_string).collect())
                                .unwrap_or_default(),
                        ),
                        ("program".to_string(), h.programs.clone()),
                    ]),
                    datasets: vec![h.list.clone()],
                    referents: Vec::new(),
                    target: true,
                    score: h.score,
                    is_match: h.score >= threshold,
                    explanations: BTreeMap::from([(
                        "chipgate".to_string(),
                        Explanation {
                            score: h.score,
                            explanation: h.explanation.summary.clone(),
                        },
                    )]),
                };
                let k = (h.list.clone(), h.entry_id.clone());
                if best.get(&k).is_none_or(|b| b.score < e.score) {
                    best.insert(k, e);
                }
            }
        }
        let mut results: Vec<ScoredEntity> = best.into_values().collect();
        results.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let total = results.len();
        results.truncate(limit);
        responses.insert(
            key.clone(),
            EntityMatches {
                status: 200,
                results,
                total: Total {
                    value: total,
                    relation: "eq".into(),
                },
                query: q.clone(),
            },
        );
    }
    Ok(MatchResponse { responses, limit })
}
