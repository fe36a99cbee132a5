//! The OpenAPI document as served: utoipa's, generated from the handlers'
//! annotations, then completed from what the server itself guarantees, so a
//! client generator and a contract tester can rely on it.
//!
//! - Every operation id is `{method}_{path}` (`get_activities_by_id`): unique by
//!   construction, stable as long as the route is.
//! - Every operation lists the errors the layers around its handler can answer,
//!   from the route table: 400 (unreadable parameters or body), 401 and 403
//!   (the route's access rule), 404 (a path naming a record), 409, 413 and 422
//!   (a body: a stale version or a duplicate, too large, a field to fix), 429
//!   (sign-in throttling), each with the one error shape. A 500 is never
//!   documented: it is a defect, not an answer.
//! - Every response has a description.
//! - Coded values in answers (classification, pillar, level, role, scope, kinds
//!   and statuses) are enumerations of the domain's codes. Inputs stay strings:
//!   they also take an empty value for "none", and the domain names a wrong one.

use crate::routes::{Access, RouteSpec};
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

/// The document, built once.
pub fn document() -> &'static Value {
    static DOC: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
        let mut doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap_or(Value::Null);
        complete(&mut doc, &crate::routes::specs());
        doc
    });
    &DOC
}

/// `get_activities_by_id_transitions` from `GET /api/v1/activities/{id}/transitions`.
pub fn operation_id(method: &str, path: &str) -> String {
    let rest = path.strip_prefix("/api/v1").unwrap_or(path);
    let mut id = method.to_ascii_lowercase();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(param);
            }
            None => id.extend(seg.chars().map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })),
        }
    }
    id
}

fn reason(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "Done; no content",
        "303" => "See other",
        "400" => "Unreadable parameters or body (the message says what to fix)",
        "401" => "Not signed in: no valid session or token",
        "403" => "Not allowed for this user's role, scope or clearance",
        "404" => "No record this reader may see has this id",
        "409" => "Stale version (the current record is in `error.current`) or a duplicate",
        "413" => "The body is larger than this request takes",
        "422" => "Some fields need fixing (`error.fields` names each)",
        "429" => "Too many failed sign-ins: try again later",
        _ => "Answer",
    }
}

fn error_response(status: &str) -> Value {
    json!({
        "description": reason(status),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// The codes a property of an answer schema holds: (schema, property, codes);
/// `*` for every answer schema with that property.
fn enumerations() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    use kieng_domain::{access, activity, agency, agreement, classification, commitment, partner};
    vec![
        (
            "*",
            "classification",
            codes(&classification::Classification::ALL, |c| c.as_str()),
        ),
        ("*", "pillar", codes(&agency::Pillar::ALL, |c| c.as_str())),
        (
            "Agency",
            "level",
            codes(&agency::Level::ALL, |c| c.as_str()),
        ),
        ("User", "role", codes(&access::Role::ALL, |c| c.as_str())),
        ("User", "scope", codes(&access::Scope::ALL, |c| c.as_str())),
        (
            "Partner",
            "kind",
            codes(&partner::PartnerKind::ALL, |c| c.as_str()),
        ),
        (
            "Activity",
            "status",
            codes(activity::Status::ALL, |c| c.as_str()),
        ),
        (
            "ActivityBrief",
            "status",
            codes(activity::Status::ALL, |c| c.as_str()),
        ),
        (
            "Agreement",
            "kind",
            codes(agreement::Kind::ALL, |c| c.as_str()),
        ),
        (
            "Agreement",
            "status",
            codes(agreement::Status::ALL, |c| c.as_str()),
        ),
        (
            "Commitment",
            "status",
            codes(commitment::Status::ALL, |c| c.as_str()),
        ),
    ]
}

/// State the domain's codes on the answer schemas (`enumerations`).
fn enumerate(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (schema, property, values) in enumerations() {
        for (name, s) in schemas.iter_mut() {
            if name.ends_with("Input") || (schema != "*" && name != schema) {
                continue;
            }
            let Some(p) = s.pointer_mut(&format!("/properties/{property}")) else {
                continue;
            };
            let nullable = p["type"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "null"));
            let mut list: Vec<Value> = values.iter().map(|v| json!(v)).collect();
            if nullable {
                list.push(Value::Null);
            }
            if p["type"] == "string" || nullable {
                p["enum"] = Value::Array(list);
            }
        }
    }
}

/// Complete every operation of `doc` as the module comment says.
pub fn complete(doc: &mut Value, routes: &[RouteSpec]) {
    enumerate(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in ops.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let route = routes
                .iter()
                .find(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method));
            complete_operation(op, method, path, route);
        }
    }
}

/// The ranges `kieng_domain::bounds` enforces, stated on the parameters.
fn bound_parameters(op: &mut Map<String, Value>, path: &str) {
    use kieng_domain::bounds::{MAX_PAGE, MAX_YEAR, MIN_YEAR};
    let last_page = if path == "/api/v1/search" {
        kieng_store::search::MAX_PAGE as u64
    } else {
        MAX_PAGE
    };
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
        return;
    };
    for p in params {
        let range = match p["name"].as_str() {
            Some("page") => json!({"type": "integer", "minimum": 1, "maximum": last_page}),
            Some("year") => json!({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
            _ => continue,
        };
        p["schema"] = range;
    }
}

fn complete_operation(
    op: &mut Map<String, Value>,
    method: &str,
    path: &str,
    route: Option<&RouteSpec>,
) {
    op.insert(
        "operationId".into(),
        Value::String(operation_id(method, path)),
    );
    let has_body = op.contains_key("requestBody");
    let has_params = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let names_record = path.contains('{');
    let access = route.map(|r| r.access).unwrap_or(Access::SignedIn);
    let mut errors: Vec<&str> = Vec::new();
    if has_body || has_params {
        errors.push("400");
    }
    match access {
        Access::Public => {}
        Access::SignedIn => errors.push("401"),
        Access::Roles(_) => errors.extend(["401", "403"]),
    }
    if names_record {
        errors.push("404");
    }
    if has_body {
        errors.extend(["409", "413"]);
    }
    if has_body || has_params {
        errors.push("422");
    }
    bound_parameters(op, path);
    if path == "/login" {
        errors.push("429");
    }
    let responses = op
        .entry("responses")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(responses) = responses.as_object_mut() else {
        return;
    };
    for status in errors {
        responses
            .entry(status.to_string())
            .or_insert_with(|| error_response(status));
    }
    for (status, r) in responses.iter_mut() {
        if let Some(o) = r.as_object_mut()
            && !o.contains_key("description")
        {
            o.insert("description".into(), Value::String(reason(status).into()));
        }
        // The layers around a handler answer a refusal in the one error shape,
        // whatever body the handler's own refusal has.
        if status.starts_with('4')
            && let Some(schema) = r.pointer_mut("/content/application~1json/schema")
            && schema.get("$ref").and_then(Value::as_str) != Some("#/components/schemas/ErrorBody")
        {
            let own = schema.take();
            *schema = json!({"oneOf": [own, {"$ref": "#/components/schemas/ErrorBody"}]});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_are_unique_and_read_as_the_route() {
        assert_eq!(
            operation_id("post", "/api/v1/activities/{id}/transitions"),
            "post_activities_by_id_transitions"
        );
        assert_eq!(
            operation_id("get", "/api/v1/calendar.ics"),
            "get_calendar_ics"
        );
        assert_eq!(operation_id("get", "/healthz"), "get_healthz");
        let doc = document();
        let mut ids = std::collections::HashSet::new();
        for (_, item) in doc["paths"].as_object().unwrap() {
            for (_, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap();
                assert!(ids.insert(id.to_string()), "{id} twice");
                for (status, r) in op["responses"].as_object().unwrap() {
                    assert!(r["description"].is_string(), "{id} {status}");
                }
            }
        }
        assert!(ids.len() > 80);
    }

    #[test]
    fn each_operation_lists_what_its_route_can_refuse() {
        let doc = document();
        let ops = &doc["paths"]["/api/v1/activities/{id}"];
        let put = ops["put"]["responses"].as_object().unwrap();
        for s in ["400", "401", "403", "404", "409", "413", "422"] {
            assert!(put.contains_key(s), "PUT activity lacks {s}");
        }
        let health = doc["paths"]["/healthz"]["get"]["responses"]
            .as_object()
            .unwrap();
        assert!(!health.contains_key("401"), "public routes need no sign-in");
        let days = &doc["paths"]["/api/v1/calendar-days"]["get"]["parameters"][0];
        assert_eq!(days["in"], "query");
        let class = &doc["components"]["schemas"]["Activity"]["properties"]["classification"];
        assert_eq!(
            class["enum"],
            json!(["none", "mat", "toi_mat", "tuyet_mat"])
        );
        let input = &doc["components"]["schemas"]["ActivityInput"]["properties"]["classification"];
        assert!(input.get("enum").is_none());
    }
}
