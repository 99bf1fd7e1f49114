//! `GET /openapi.json`: an OpenAPI 3.0 document. Request bodies and query parameters come from
//! the request types' own JSON schemas (schemars, `additionalProperties: false` from
//! `deny_unknown_fields`), so the document states exactly what the server accepts. Responses
//! are the CLI's `--json` objects, described by name.

use super::error::ErrorBody;
use crate::request::{
    CheckRequest, ClassifyRequest, MapQuery, OrderBookQuery, RulesQuery, ScreenRequest,
    TimelineQuery,
};
use crate::yente::{MatchParams, MatchRequest, MatchResponse};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Every route: (method, path, needs a key, operationId). The router in `server::router`
/// serves exactly these; client generators name their methods after the operationIds.
pub const ROUTES: &[(&str, &str, bool, &str)] = &[
    ("get", "/healthz", false, "healthz"),
    ("get", "/openapi.json", false, "openapi"),
    ("get", "/metrics", false, "metrics"),
    ("post", "/v1/classify", true, "classify"),
    ("post", "/v1/check", true, "check"),
    ("post", "/v1/screen", true, "screen"),
    ("post", "/v1/orders", true, "orders"),
    ("post", "/v1/orders/report", true, "ordersReport"),
    ("get", "/v1/map", true, "thresholdMap"),
    ("get", "/v1/chips", true, "listChips"),
    ("get", "/v1/chips/{name}", true, "getChip"),
    ("get", "/v1/rules", true, "listRules"),
    ("get", "/v1/timeline", true, "timeline"),
    ("post", "/v1/admin/reload", true, "reload"),
    ("post", "/match/{dataset}", true, "matchEntities"),
    ("get", "/v1/audit/records", true, "auditRecords"),
    ("post", "/v1/jobs/orders", true, "createOrdersJob"),
    ("get", "/v1/jobs/{id}", true, "getJob"),
    ("get", "/v1/jobs/{id}/results", true, "getJobResults"),
];

/// Request examples, by path.
fn example(path: &str) -> Option<Value> {
    Some(match path {
        "/v1/classify" => json!({"chip": "H20", "date": "2025-04-20"}),
        "/v1/check" => {
            json!({"chip": "H20", "to": "MY", "buyer": "ByteDance Pte. Ltd.", "buyer_hq": "CN", "date": "2025-04-20"})
        }
        "/v1/screen" => json!({"name": "Huawei Technologies Co., Ltd.", "country": "CN"}),
        "/match/{dataset}" => {
            json!({"queries": {"q1": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], "country": ["cn"]}}}})
        }
        _ => return None,
    })
}

fn body_of(schema: &Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn ok_json(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
}

/// Query parameters from a query type's schema (one per property).
fn query_params<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let schema = generator.root_schema_for::<T>();
    let v = schema.as_value();
    let required: Vec<&str> = v
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut params = Vec::new();
    if let Some(props) = v.get("properties").and_then(Value::as_object) {
        for (name, s) in props {
            let mut s = s.clone();
            let description = s.as_object_mut().and_then(|o| o.remove("description"));
            let mut p = json!({"name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": s});
            if let (Some(o), Some(d)) = (p.as_object_mut(), description) {
                o.insert("description".into(), d);
            }
            params.push(p);
        }
    }
    Value::Array(params)
}

fn operation(summary: &str, secured: bool, extra: Value) -> Value {
    let mut op = json!({
        "summary": summary,
        "responses": {
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
            "413": {"$ref": "#/components/responses/Error"},
            "503": {"$ref": "#/components/responses/Error"},
        }
    });
    if let (Some(o), Some(e)) = (op.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            if k == "responses" {
                if let (Some(r), Some(add)) = (
                    o.get_mut("responses").and_then(Value::as_object_mut),
                    v.as_object(),
                ) {
                    r.extend(add.clone());
                }
            } else {
                o.insert(k.clone(), v.clone());
            }
        }
        if secured {
            o.insert("security".into(), json!([{"bearer": []}]));
        } else {
            o.insert("security".into(), json!([]));
        }
    }
    op
}

/// The whole document.
pub fn document() -> Value {
    let mut g = SchemaSettings::openapi3().into_generator();
    let classify = g.subschema_for::<ClassifyRequest>().to_value();
    let check = g.subschema_for::<CheckRequest>().to_value();
    let screen = g.subschema_for::<ScreenRequest>().to_value();
    let error = g.subschema_for::<ErrorBody>().to_value();
    let rules_q = query_params::<RulesQuery>(&mut g);
    let timeline_q = query_params::<TimelineQuery>(&mut g);
    let audit_q = query_params::<super::audit_read::AuditQuery>(&mut g);
    let audit_page = g.subschema_for::<super::audit_read::AuditPage>().to_value();
    let match_req = g.subschema_for::<MatchRequest>().to_value();
    let match_resp = g.subschema_for::<MatchResponse>().to_value();
    let mut match_q = query_params::<MatchParams>(&mut g);
    if let Some(a) = match_q.as_array_mut() {
        a.insert(0, json!({"name": "dataset", "in": "path", "required": true, "schema": {"type": "string"}, "description": "a list name or kind (`entity_list`, `sdn`, …), or `default` for every list"}));
    }
    let book_q = query_params::<OrderBookQuery>(&mut g);
    let map_q = query_params::<MapQuery>(&mut g);
    let mut schemas: Map<String, Value> = g.take_definitions(true);
    schemas.insert("Decision".into(), json!({"type": "object", "description": "The CLI's `--json` answer for the endpoint (check: CheckOutput, classify: Classification, screen: ScreenResult, timeline: segments)."}));

    let decision = |d: &str| json!({"200": {"description": d, "headers": {"x-audit-seq": {"schema": {"type": "integer"}, "description": "sequence number of the durable audit record"}, "x-audit-hash": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}}});
    let paths = json!({
        "/healthz": {"get": operation("Liveness, audit writer state and loaded fingerprints (no key needed)", false, json!({"responses": {"200": ok_json("healthy")}}))},
        "/openapi.json": {"get": operation("This document", false, json!({"responses": {"200": ok_json("OpenAPI 3 document")}}))},
        "/metrics": {"get": operation("Counters in Prometheus text format (no key needed)", false, json!({"responses": {"200": {"description": "OpenMetrics text", "content": {"application/openmetrics-text": {"schema": {"type": "string"}}}}}}))},
        "/v1/classify": {"post": operation("Classify a chip (ECCN paragraph) as of a date", true, json!({"requestBody": body_of(&classify), "responses": decision("Classification (as `chipgate classify --json`)")}))},
        "/v1/check": {"post": operation("Licence determination for an order", true, json!({"requestBody": body_of(&check), "responses": decision("CheckOutput (as `chipgate check --json`)")}))},
        "/v1/screen": {"post": operation("Screen a name against the lists", true, json!({"requestBody": body_of(&screen), "responses": decision("ScreenResult")}))},
        "/v1/orders": {"post": operation("Order book (CSV with header, or JSON Lines of check requests); streamed JSON Lines answer", true, json!({
            "requestBody": {"required": true, "content": {
                "text/csv": {"schema": {"type": "string", "description": "header row of CheckRequest field names"}},
                "application/x-ndjson": {"schema": check},
            }},
            "responses": {"200": {"description": "one line per row: {row, audit_seq, result} or {row, error}; then {summary}", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}}
        }))},
        "/v1/orders/report": {"post": operation("Order book evaluated as `chipgate orders` does (CSV or JSON Lines, its columns), one audit record for the run", true, json!({
            "parameters": book_q,
            "requestBody": {"required": true, "content": {
                "text/csv": {"schema": {"type": "string", "description": "an order book with a header row, as `chipgate orders` reads"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            }},
            "responses": decision("{report (as `chipgate orders --json`), html (the HTML report), csv (per-order results)}")
        }))},
        "/v1/map": {"get": operation("The 3A090 threshold map as of a date (SVG)", true, json!({"parameters": map_q, "responses": {"200": {"description": "SVG picture", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}}}))},
        "/v1/chips": {"get": operation("The chip catalog with metrics", true, json!({"responses": {"200": ok_json("array of chips")}}))},
        "/v1/chips/{name}": {"get": operation("One chip's spec and metrics", true, json!({
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": ok_json("chip"), "404": {"$ref": "#/components/responses/Error"}}
        }))},
        "/v1/rules": {"get": operation("Provisions and their standing on a date", true, json!({"parameters": rules_q, "responses": {"200": ok_json("provisions")}}))},
        "/v1/timeline": {"get": operation("The decision over time", true, json!({"parameters": timeline_q, "responses": decision("timeline segments")}))},
        "/v1/admin/reload": {"post": operation("Reload rules and lists without restart", true, json!({"responses": {"200": ok_json("new fingerprints"), "422": {"$ref": "#/components/responses/Error"}}}))},
        "/v1/audit/records": {"get": operation("Audit records by sequence range, date range or client reference, paged (admin scope)", true, json!({
            "parameters": audit_q,
            "responses": {"200": {"description": "a page of records (the lines `chipgate audit export` writes) and where the next page starts", "content": {"application/json": {"schema": audit_page}}}, "403": {"$ref": "#/components/responses/Error"}}
        }))},
        "/v1/jobs/orders": {"post": operation("Start an order book job (CSV or JSON Lines, larger than /v1/orders takes); 202 with the job id", true, json!({
            "requestBody": {"required": true, "content": {
                "text/csv": {"schema": {"type": "string", "description": "header row of CheckRequest field names"}},
                "application/x-ndjson": {"schema": check},
            }},
            "responses": {"202": ok_json("the job: id, status, rows")}
        }))},
        "/v1/jobs/{id}": {"get": operation("A job's progress", true, json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": ok_json("status (running, done, failed), rows, answered, decided, errors"), "404": {"$ref": "#/components/responses/Error"}}
        }))},
        "/v1/jobs/{id}/results": {"get": operation("A job's result lines so far, as /v1/orders streams them", true, json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "JSON Lines: {row, audit_seq, result} or {row, error}; then {summary}", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}, "404": {"$ref": "#/components/responses/Error"}}
        }))},
        "/match/{dataset}": {"post": operation("Screen many query entities, shaped like OpenSanctions yente's match API", true, json!({
            "parameters": match_q,
            "requestBody": body_of(&match_req),
            "responses": {"200": {"description": "scored entities per query", "content": {"application/json": {"schema": match_resp}}}}
        }))},
    });
    let mut paths = paths;
    for (method, path, _, id) in ROUTES {
        let Some(op) = paths
            .get_mut(*path)
            .and_then(|p| p.get_mut(*method))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        op.insert("operationId".into(), json!(id));
        if let (Some(ex), Some(media)) = (
            example(path),
            op.get_mut("requestBody")
                .and_then(|b| b.pointer_mut("/content/application~1json"))
                .and_then(Value::as_object_mut),
        ) {
            media.insert("example".into(), ex);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "chipgate", "version": env!("CARGO_PKG_VERSION"), "description": "Export-control answers for advanced AI chips. Every decision is recorded in a tamper-evident audit log before it is returned."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": {"description": "error", "content": {"application/json": {"schema": error}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "a key from `chipgate keys create`"}},
        },
    })
}
