//! `GET /openapi.json`: an OpenAPI 3.0 document. Request bodies and query parameters come from
//! the request types' own JSON schemas (schemars, `additionalProperties: false` from
//! `deny_unknown_fields`), so the document states exactly what the server accepts. Responses
//! are the CLI's `--json` objects, described by name.

use super::error::ErrorBody;
use crate::request::{
    CheckRequest, ClassifyRequest, MapQuery, OrderBookQuery, RulesQuery, ScreenRequest,
    TimelineQuery,
};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Every route: (method, path, needs a key). The router in `server::router` serves exactly these.
pub const ROUTES: &[(&str, &str, bool)] = &[
    ("get", "/healthz", false),
    ("get", "/openapi.json", false),
    ("post", "/v1/classify", true),
    ("post", "/v1/check", true),
    ("post", "/v1/screen", true),
    ("post", "/v1/orders", true),
    ("post", "/v1/orders/report", true),
    ("get", "/v1/map", true),
    ("get", "/v1/chips", true),
    ("get", "/v1/chips/{name}", true),
    ("get", "/v1/rules", true),
    ("get", "/v1/timeline", true),
    ("post", "/v1/admin/reload", true),
];

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
            let description = s
                .as_object_mut()
                .and_then(|o| o.remove("description"))
                .unwrap_or(Value::Null);
            params.push(json!({"name": name, "in": "query", "required": required.contains(&name.as_str()), "schema": s, "description": description}));
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
    let book_q = query_params::<OrderBookQuery>(&mut g);
    let map_q = query_params::<MapQuery>(&mut g);
    let mut schemas: Map<String, Value> = g.take_definitions(true);
    schemas.insert("Decision".into(), json!({"type": "object", "description": "The CLI's `--json` answer for the endpoint (check: CheckOutput, classify: Classification, screen: ScreenResult, timeline: segments)."}));

    let decision = |d: &str| json!({"200": {"description": d, "headers": {"x-audit-seq": {"schema": {"type": "integer"}, "description": "sequence number of the durable audit record"}, "x-audit-hash": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}}});
    let paths = json!({
        "/healthz": {"get": operation("Liveness, audit writer state and loaded fingerprints (no key needed)", false, json!({"responses": {"200": ok_json("healthy")}}))},
        "/openapi.json": {"get": operation("This document", false, json!({"responses": {"200": ok_json("OpenAPI 3 document")}}))},
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
    });
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
