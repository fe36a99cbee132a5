//! The permission matrix: every route × every role (and no user at all) gets the
//! answer the table below declares. A route added to the router without a line
//! here fails this test, so no route ships without a reviewed rule. Record-level
//! rules (scope, clearance) are checked after the route table.

use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::json;

/// Who may call each route: A admin, L leader, C coordinator, O officer, V viewer,
/// `*` anyone (no sign-in), `S` any signed-in user.
const RULES: &[(&str, &str)] = &[
    ("GET /healthz", "*"),
    ("GET /readyz", "*"),
    ("GET /system", "A"),
    ("GET /api/v1/system", "A"),
    ("GET /metrics", "A"),
    ("GET /assets/{*file}", "*"),
    ("GET /login", "*"),
    ("POST /login", "*"),
    ("POST /logout", "S"),
    ("GET /", "S"),
    ("GET /modules/{slug}", "S"),
    ("GET /notifications", "S"),
    ("GET /pick/{kind}", "S"),
    ("POST /notifications/read", "S"),
    ("POST /notifications/{id}/open", "S"),
    ("GET /agencies", "S"),
    ("GET /agencies.xlsx", "S"),
    ("GET /agencies.csv", "S"),
    ("GET /agencies/new", "A"),
    ("POST /agencies", "A"),
    ("GET /agencies/{id}", "S"),
    ("GET /agencies/{id}/edit", "A"),
    ("POST /agencies/{id}", "A"),
    ("POST /agencies/{id}/delete", "A"),
    ("POST /agencies/{id}/restore", "A"),
    ("POST /agencies/{id}/lineage", "A"),
    ("GET /agencies/{id}/history", "S"),
    ("POST /agencies/{id}/history/{seq}/restore", "A"),
    ("GET /partners", "S"),
    ("GET /partners.xlsx", "S"),
    ("GET /partners.csv", "S"),
    ("GET /partners/new", "ALCO"),
    ("POST /partners", "ALCO"),
    ("GET /partners/import", "ALCO"),
    ("POST /partners/import", "ALCO"),
    ("POST /partners/import/{id}", "ALCO"),
    ("GET /partners/{id}", "S"),
    ("GET /partners/{id}/edit", "ALCO"),
    ("POST /partners/{id}", "ALCO"),
    ("GET /partners/{id}/history", "S"),
    ("GET /partners/{id}/briefing.docx", "S"),
    ("POST /partners/{id}/briefing.docx", "S"),
    ("POST /partners/{id}/frameworks", "A"),
    ("POST /partners/{id}/frameworks/{step}", "A"),
    ("POST /partners/{id}/frameworks/{step}/remove", "A"),
    ("POST /partners/{id}/missions", "ALCO"),
    ("POST /partners/{id}/merge", "ALCO"),
    ("POST /partners/{id}/missions/{agency}/remove", "ALCO"),
    ("GET /people", "S"),
    ("GET /framework-levels", "A"),
    ("POST /framework-levels", "A"),
    ("POST /framework-levels/{code}", "A"),
    ("GET /secret-items", "A"),
    ("POST /secret-items", "A"),
    ("POST /secret-items/{id}", "A"),
    ("POST /secret-items/{id}/retire", "A"),
    ("POST /partners/{id}/positions", "ALCO"),
    ("POST /partners/{id}/positions/{position}/remove", "ALCO"),
    ("GET /agreements", "S"),
    ("GET /agreements.xlsx", "S"),
    ("GET /agreements.csv", "S"),
    ("GET /agreements/new", "ALCO"),
    ("POST /agreements", "ALCO"),
    ("GET /agreements/{id}", "S"),
    ("GET /agreements/{id}/edit", "ALCO"),
    ("POST /agreements/{id}", "ALCO"),
    ("POST /agreements/{id}/status", "ALCO"),
    ("POST /agreements/{id}/steps", "ALCO"),
    ("GET /agreements/{id}/history", "S"),
    ("POST /agreements/{id}/attachments", "ALCO"),
    ("GET /agreements/{id}/attachments/{file}", "S"),
    ("POST /agreements/{id}/attachments/{file}/remove", "ALCO"),
    ("GET /dashboard", "S"),
    ("GET /reports", "S"),
    ("GET /reports.xlsx", "S"),
    ("GET /reports.csv", "S"),
    ("GET /reports/new", "ALCO"),
    ("GET /reports/numbers", "S"),
    ("POST /reports", "ALCO"),
    ("GET /reports/{id}", "S"),
    ("GET /reports/{id}/edit", "ALCO"),
    ("POST /reports/{id}", "ALCO"),
    ("POST /reports/{id}/parts/{part}", "ALCO"),
    ("GET /reports/{id}/parts/{part}", "S"),
    ("POST /reports/{id}/move", "ALCO"),
    ("POST /reports/{id}/delete", "ALCO"),
    ("GET /reports/{id}/history", "S"),
    ("GET /reports/{id}/report.docx", "S"),
    ("GET /reports/{id}/tables.xlsx", "S"),
    ("GET /reports/{id}/print", "S"),
    ("GET /plans", "S"),
    ("GET /plans.xlsx", "S"),
    ("GET /plans.csv", "S"),
    ("GET /plans/new", "ALCO"),
    ("POST /plans", "ALCO"),
    ("GET /plans/tasks", "S"),
    ("GET /plans/tasks/{id}", "S"),
    ("GET /plans/tasks/{id}/edit", "ALCO"),
    ("POST /plans/tasks/{id}", "ALCO"),
    ("POST /plans/tasks/{id}/progress", "ALCO"),
    ("POST /plans/tasks/{id}/indicators", "ALCO"),
    ("POST /plans/indicators/{id}", "ALCO"),
    ("GET /plans/templates", "S"),
    ("GET /plans/templates/{id}", "S"),
    ("POST /plans/templates/{id}/retire", "A"),
    ("POST /plans/{id}/template", "A"),
    ("GET /plans/tasks/{id}/history", "S"),
    ("GET /plans/{id}", "S"),
    ("GET /plans/{id}/edit", "ALCO"),
    ("POST /plans/{id}", "ALCO"),
    ("POST /plans/{id}/move", "ALCO"),
    ("POST /plans/{id}/delete", "ALCO"),
    ("POST /plans/{id}/restore", "ALCO"),
    ("GET /plans/{id}/history", "S"),
    ("GET /plans/{id}/tasks/new", "ALCO"),
    ("GET /plans/{id}/tasks.xlsx", "S"),
    ("GET /plans/{id}/tasks.csv", "S"),
    ("POST /plans/{id}/delegations", "ALCO"),
    ("POST /plans/delegations/{id}", "ALCO"),
    ("GET /plans/{id}/import", "ALCO"),
    ("POST /plans/{id}/import", "ALCO"),
    ("POST /plans/{id}/import/{batch}", "ALCO"),
    ("POST /plans/{id}/tasks", "ALCO"),
    ("GET /protection", "S"),
    ("GET /protection.xlsx", "S"),
    ("GET /protection.csv", "S"),
    ("GET /protection/new", "ALCO"),
    ("GET /protection/fund", "S"),
    ("POST /protection", "ALCO"),
    ("GET /protection/subject", "S"),
    ("POST /protection/subject", "S"),
    ("GET /multilateral", "S"),
    ("GET /multilateral/roles", "S"),
    ("GET /multilateral/roles.xlsx", "S"),
    ("GET /multilateral/roles.csv", "S"),
    ("GET /multilateral/candidacies.xlsx", "S"),
    ("GET /multilateral/candidacies.csv", "S"),
    ("GET /multilateral/candidacies/{id}/board.xlsx", "S"),
    ("GET /multilateral/candidacies/{id}/board.csv", "S"),
    ("GET /multilateral/mechanisms/new", "A"),
    ("POST /multilateral/mechanisms", "A"),
    ("GET /multilateral/mechanisms/{id}", "S"),
    ("GET /multilateral/mechanisms/{id}/edit", "A"),
    ("POST /multilateral/mechanisms/{id}", "A"),
    ("POST /multilateral/mechanisms/{id}/roles", "AC"),
    (
        "POST /multilateral/mechanisms/{id}/roles/{role}/delete",
        "AC",
    ),
    ("GET /multilateral/candidacies", "S"),
    ("GET /multilateral/candidacies/new", "ALCO"),
    ("POST /multilateral/candidacies", "ALCO"),
    ("GET /multilateral/candidacies/{id}", "S"),
    ("GET /multilateral/candidacies/{id}/edit", "ALCO"),
    ("POST /multilateral/candidacies/{id}", "ALCO"),
    ("POST /multilateral/candidacies/{id}/move", "ALCO"),
    ("GET /multilateral/candidacies/{id}/pledges", "S"),
    ("POST /multilateral/candidacies/{id}/pledges", "ALCO"),
    (
        "POST /multilateral/candidacies/{id}/pledges/{pledge}/delete",
        "ALCO",
    ),
    ("GET /multilateral/candidacies/{id}/history", "S"),
    ("GET /multilateral/roles/{id}", "S"),
    ("POST /multilateral/mechanisms/{id}/outcomes", "ALCO"),
    ("POST /multilateral/outcomes/{id}/delete", "ALCO"),
    ("POST /activities/{id}/mechanisms", "ALCO"),
    (
        "POST /activities/{id}/mechanisms/{mechanism}/delete",
        "ALCO",
    ),
    ("GET /api/v1/multilateral/mechanisms", "S"),
    ("POST /api/v1/multilateral/mechanisms", "A"),
    ("GET /api/v1/multilateral/mechanisms/{id}", "S"),
    ("PUT /api/v1/multilateral/mechanisms/{id}", "A"),
    ("POST /api/v1/multilateral/mechanisms/{id}/roles", "AC"),
    ("GET /api/v1/multilateral/roles", "S"),
    ("GET /api/v1/multilateral/candidacies", "S"),
    ("POST /api/v1/multilateral/candidacies", "ALCO"),
    ("GET /api/v1/multilateral/candidacies/{id}", "S"),
    ("PUT /api/v1/multilateral/candidacies/{id}", "ALCO"),
    ("POST /api/v1/multilateral/candidacies/{id}/move", "ALCO"),
    ("GET /api/v1/multilateral/candidacies/{id}/pledges", "S"),
    ("POST /api/v1/multilateral/candidacies/{id}/pledges", "ALCO"),
    ("POST /api/v1/multilateral/mechanisms/{id}/meetings", "ALCO"),
    (
        "DELETE /api/v1/multilateral/mechanisms/{id}/meetings/{activity}",
        "ALCO",
    ),
    ("POST /api/v1/multilateral/mechanisms/{id}/outcomes", "ALCO"),
    ("DELETE /api/v1/multilateral/outcomes/{id}", "ALCO"),
    ("GET /protection/crises", "S"),
    ("GET /protection/crises/new", "ALCO"),
    ("GET /protection/crises/template.xlsx", "S"),
    ("POST /protection/crises", "ALCO"),
    ("GET /protection/crises/{id}", "S"),
    ("POST /protection/crises/{id}/personal", "S"),
    ("GET /protection/crises/{id}/edit", "ALCO"),
    ("POST /protection/crises/{id}", "ALCO"),
    ("POST /protection/crises/{id}/people", "ALCO"),
    ("POST /protection/crises/{id}/people/{entry}", "ALCO"),
    ("POST /protection/crises/{id}/people/{entry}/case", "ALCO"),
    ("POST /protection/crises/{id}/team", "ALCO"),
    ("GET /protection/crises/{id}/import", "ALCO"),
    ("POST /protection/crises/{id}/import", "ALCO"),
    ("POST /protection/crises/{id}/import/{batch}", "ALCO"),
    ("POST /protection/crises/{id}/duplicates", "S"),
    ("POST /protection/crises/{id}/merge", "ALCO"),
    ("POST /protection/crises/{id}/manifest", "S"),
    ("GET /protection/crises/{id}/history", "S"),
    ("GET /protection/{id}", "S"),
    ("POST /protection/{id}/personal", "S"),
    ("GET /protection/{id}/edit", "ALCO"),
    ("POST /protection/{id}", "ALCO"),
    ("POST /protection/{id}/move", "ALCO"),
    ("POST /protection/{id}/actions", "ALCO"),
    ("POST /protection/{id}/people", "ALCO"),
    ("POST /protection/{id}/team", "ALCO"),
    ("POST /protection/{id}/fund", "ALCO"),
    ("GET /protection/{id}/history", "S"),
    ("GET /commitments", "S"),
    ("GET /commitments.xlsx", "S"),
    ("GET /commitments.csv", "S"),
    ("GET /commitments/board", "S"),
    ("GET /commitments/board.xlsx", "S"),
    ("GET /commitments/new", "ALCO"),
    ("POST /commitments", "ALCO"),
    ("GET /commitments/{id}", "S"),
    ("GET /commitments/{id}/edit", "ALCO"),
    ("POST /commitments/{id}", "ALCO"),
    ("POST /commitments/{id}/notes", "ALCO"),
    ("GET /commitments/{id}/history", "S"),
    ("POST /commitments/{id}/attachments", "ALCO"),
    ("GET /commitments/{id}/attachments/{file}", "S"),
    ("POST /commitments/{id}/attachments/{file}/remove", "ALCO"),
    ("GET /calendar-days", "A"),
    ("POST /calendar-days", "A"),
    ("POST /calendar-days/remove", "A"),
    ("GET /users", "A"),
    ("GET /users.xlsx", "A"),
    ("GET /users.csv", "A"),
    ("GET /users/new", "A"),
    ("POST /users", "A"),
    ("GET /users/{id}", "A"),
    ("POST /users/{id}", "A"),
    ("POST /users/{id}/disable", "A"),
    ("POST /users/{id}/enable", "A"),
    ("POST /users/{id}/reset-password", "A"),
    ("GET /account", "S"),
    ("POST /account/password", "S"),
    ("POST /account/language", "S"),
    ("POST /account/tokens", "S"),
    ("POST /account/tokens/{id}/revoke", "S"),
    ("GET /audit", "A"),
    ("GET /audit.xlsx", "A"),
    ("GET /audit.csv", "A"),
    ("GET /trash", "A"),
    ("GET /reference/countries", "S"),
    ("GET /reference/countries.xlsx", "S"),
    ("GET /reference/countries.csv", "S"),
    ("GET /search", "S"),
    ("GET /reference/provinces", "S"),
    ("GET /reference/provinces.xlsx", "S"),
    ("GET /reference/provinces.csv", "S"),
    ("GET /reference/communes", "S"),
    ("GET /reference/communes.xlsx", "S"),
    ("GET /reference/communes.csv", "S"),
    ("GET /reference/communes/{code}", "A"),
    ("POST /reference/communes/{code}", "A"),
    ("GET /reference/provinces/{code}", "A"),
    ("POST /reference/provinces/{code}", "A"),
    ("GET /reference/countries/{code}", "A"),
    ("POST /reference/countries/{code}", "A"),
    ("GET /api/v1/openapi.json", "*"),
    ("GET /api/v1/me", "S"),
    ("GET /api/v1/notifications", "S"),
    ("POST /api/v1/notifications/read", "S"),
    ("POST /api/v1/notifications/{id}/read", "S"),
    ("POST /api/v1/me/password", "S"),
    ("GET /api/v1/me/tokens", "S"),
    ("POST /api/v1/me/tokens", "S"),
    ("DELETE /api/v1/me/tokens/{id}", "S"),
    ("GET /api/v1/agencies", "S"),
    ("POST /api/v1/agencies", "A"),
    ("GET /api/v1/agencies/{id}", "S"),
    ("PUT /api/v1/agencies/{id}", "A"),
    ("DELETE /api/v1/agencies/{id}", "A"),
    ("POST /api/v1/agencies/{id}/restore", "A"),
    ("POST /api/v1/agencies/{id}/lineage", "A"),
    ("GET /api/v1/agencies/{id}/history", "S"),
    ("POST /api/v1/agencies/{id}/history/{seq}/restore", "A"),
    ("GET /api/v1/users", "A"),
    ("POST /api/v1/users", "A"),
    ("GET /api/v1/users/{id}", "A"),
    ("PUT /api/v1/users/{id}", "A"),
    ("POST /api/v1/users/{id}/disable", "A"),
    ("POST /api/v1/users/{id}/enable", "A"),
    ("POST /api/v1/users/{id}/reset-password", "A"),
    ("GET /api/v1/partners", "S"),
    ("POST /api/v1/partners", "ALCO"),
    ("POST /api/v1/partners/import", "ALCO"),
    ("GET /api/v1/partners/{id}", "S"),
    ("GET /api/v1/partners/{id}/engagements", "S"),
    ("PUT /api/v1/partners/{id}", "ALCO"),
    ("GET /api/v1/partners/{id}/history", "S"),
    ("POST /api/v1/partners/{id}/frameworks", "A"),
    ("PUT /api/v1/partners/{id}/frameworks/{step}", "A"),
    ("DELETE /api/v1/partners/{id}/frameworks/{step}", "A"),
    ("PUT /api/v1/partners/{id}/missions/{agency}", "ALCO"),
    ("POST /api/v1/partners/{id}/merge", "ALCO"),
    ("DELETE /api/v1/partners/{id}/missions/{agency}", "ALCO"),
    ("GET /api/v1/people", "S"),
    ("POST /api/v1/framework-levels", "A"),
    ("PUT /api/v1/framework-levels/{code}", "A"),
    ("GET /api/v1/secret-items", "S"),
    ("POST /api/v1/secret-items", "A"),
    ("PUT /api/v1/secret-items/{id}", "A"),
    ("POST /api/v1/secret-items/{id}/retirement", "A"),
    ("GET /api/v1/people/{id}/positions", "S"),
    ("POST /api/v1/people/{id}/positions", "ALCO"),
    ("DELETE /api/v1/people/{id}/positions/{position}", "ALCO"),
    ("GET /api/v1/framework-levels", "S"),
    ("GET /activities", "S"),
    ("POST /api/v1/activities/import", "ALCO"),
    ("GET /activities/import", "ALCO"),
    ("GET /activities/import/template.xlsx", "ALCO"),
    ("POST /activities/import", "ALCO"),
    ("POST /activities/import/{id}", "ALCO"),
    ("POST /activities/import/{id}/partners", "ALCO"),
    ("GET /activities.xlsx", "S"),
    ("GET /activities.csv", "S"),
    ("GET /activities/new", "ALCO"),
    ("POST /activities", "ALCO"),
    ("GET /activities/{id}", "S"),
    ("GET /activities/{id}/edit", "ALCO"),
    ("POST /activities/{id}", "ALCO"),
    ("POST /activities/{id}/transition", "ALCO"),
    ("POST /activities/{id}/delete", "ALCO"),
    ("POST /activities/{id}/restore", "ALCO"),
    ("POST /activities/{id}/acknowledge", "LC"),
    ("POST /activities/{id}/consultations", "ALCO"),
    ("POST /activities/{id}/consultations/{c}", "ALCO"),
    ("POST /activities/{id}/consultations/{c}/remove", "ALCO"),
    ("GET /activities/{id}/history", "S"),
    ("POST /activities/{id}/attachments", "ALCO"),
    ("GET /activities/{id}/attachments/{file}", "S"),
    ("POST /activities/{id}/attachments/{file}/remove", "ALCO"),
    ("GET /coordination", "S"),
    ("GET /calendar", "S"),
    ("GET /activity-types", "A"),
    ("POST /activity-types", "A"),
    ("POST /calendar/feeds", "S"),
    ("POST /calendar/feeds/{id}/revoke", "S"),
    ("GET /feeds/{secret}", "*"),
    ("GET /api/v1/activities", "S"),
    ("POST /api/v1/activities", "ALCO"),
    ("GET /api/v1/activities/{id}", "S"),
    ("PUT /api/v1/activities/{id}", "ALCO"),
    ("DELETE /api/v1/activities/{id}", "ALCO"),
    ("POST /api/v1/activities/{id}/restore", "ALCO"),
    ("POST /api/v1/activities/{id}/transitions", "ALCO"),
    ("POST /api/v1/activities/{id}/acknowledgements", "LC"),
    ("POST /api/v1/activities/{id}/consultations", "ALCO"),
    ("PUT /api/v1/activities/{id}/consultations/{c}", "ALCO"),
    ("DELETE /api/v1/activities/{id}/consultations/{c}", "ALCO"),
    ("GET /api/v1/activities/{id}/history", "S"),
    ("POST /api/v1/activities/{id}/attachments", "ALCO"),
    ("GET /api/v1/activities/{id}/attachments", "S"),
    ("DELETE /api/v1/activities/{id}/attachments/{file}", "ALCO"),
    ("GET /api/v1/activity-types", "S"),
    ("POST /api/v1/activity-types", "A"),
    ("GET /api/v1/coordination", "S"),
    ("GET /api/v1/calendar", "S"),
    ("GET /api/v1/calendar.ics", "S"),
    ("GET /api/v1/coordination/warnings", "S"),
    ("GET /api/v1/agreements", "S"),
    ("POST /api/v1/agreements", "ALCO"),
    ("GET /api/v1/agreements/{id}", "S"),
    ("PUT /api/v1/agreements/{id}", "ALCO"),
    ("POST /api/v1/agreements/{id}/statuses", "ALCO"),
    ("POST /api/v1/agreements/{id}/steps", "ALCO"),
    ("GET /api/v1/agreements/{id}/history", "S"),
    ("POST /api/v1/agreements/{id}/attachments", "ALCO"),
    ("GET /api/v1/agreements/{id}/attachments", "S"),
    ("DELETE /api/v1/agreements/{id}/attachments/{file}", "ALCO"),
    ("GET /api/v1/reports", "S"),
    ("POST /api/v1/reports", "ALCO"),
    ("GET /api/v1/reports/numbers", "S"),
    ("GET /api/v1/reports/{id}", "S"),
    ("PUT /api/v1/reports/{id}", "ALCO"),
    ("PUT /api/v1/reports/{id}/parts/{part}", "ALCO"),
    ("POST /api/v1/reports/{id}/move", "ALCO"),
    ("GET /api/v1/plans", "S"),
    ("POST /api/v1/plans", "ALCO"),
    ("GET /api/v1/plans/tasks", "S"),
    ("GET /api/v1/plans/tasks/{id}", "S"),
    ("PUT /api/v1/plans/tasks/{id}", "ALCO"),
    ("POST /api/v1/plans/tasks/{id}/progress", "ALCO"),
    ("POST /api/v1/plans/tasks/{id}/indicators", "ALCO"),
    ("PUT /api/v1/plans/indicators/{id}", "ALCO"),
    ("DELETE /api/v1/plans/indicators/{id}", "ALCO"),
    ("GET /api/v1/plans/templates", "S"),
    ("GET /api/v1/plans/templates/{id}", "S"),
    ("POST /api/v1/plans/templates/{id}/retire", "A"),
    ("POST /api/v1/plans/{id}/template", "A"),
    ("GET /api/v1/plans/{id}", "S"),
    ("PUT /api/v1/plans/{id}", "ALCO"),
    ("POST /api/v1/plans/{id}/move", "ALCO"),
    ("DELETE /api/v1/plans/{id}", "ALCO"),
    ("POST /api/v1/plans/{id}/restore", "ALCO"),
    ("POST /api/v1/plans/{id}/tasks", "ALCO"),
    ("POST /api/v1/plans/{id}/tasks/import", "ALCO"),
    ("GET /api/v1/plans/{id}/delegations", "S"),
    ("POST /api/v1/plans/{id}/delegations", "ALCO"),
    ("POST /api/v1/plans/delegations/{id}", "ALCO"),
    ("GET /api/v1/protection/cases", "S"),
    ("GET /api/v1/protection/fund", "S"),
    ("POST /api/v1/protection/cases", "ALCO"),
    ("GET /api/v1/protection/cases/{id}", "S"),
    ("PUT /api/v1/protection/cases/{id}", "ALCO"),
    ("POST /api/v1/protection/cases/{id}/personal", "S"),
    ("POST /api/v1/protection/cases/{id}/move", "ALCO"),
    ("POST /api/v1/protection/cases/{id}/actions", "ALCO"),
    ("POST /api/v1/protection/cases/{id}/people", "ALCO"),
    ("POST /api/v1/protection/cases/{id}/team", "ALCO"),
    ("POST /api/v1/protection/cases/{id}/fund", "ALCO"),
    ("GET /api/v1/protection/cases/{id}/history", "S"),
    ("GET /api/v1/protection/crises", "S"),
    ("POST /api/v1/protection/crises", "ALCO"),
    ("GET /api/v1/protection/crises/{id}", "S"),
    ("PUT /api/v1/protection/crises/{id}", "ALCO"),
    ("GET /api/v1/protection/crises/{id}/counts", "S"),
    ("GET /api/v1/protection/crises/{id}/people", "S"),
    ("POST /api/v1/protection/crises/{id}/personal", "S"),
    ("POST /api/v1/protection/crises/{id}/people", "ALCO"),
    ("POST /api/v1/protection/crises/{id}/people/{entry}", "ALCO"),
    (
        "POST /api/v1/protection/crises/{id}/people/{entry}/case",
        "ALCO",
    ),
    ("POST /api/v1/protection/crises/{id}/merge", "ALCO"),
    ("POST /api/v1/protection/crises/{id}/team", "ALCO"),
    ("GET /api/v1/commitments", "S"),
    ("POST /api/v1/commitments", "ALCO"),
    ("GET /api/v1/commitments/board", "S"),
    ("GET /api/v1/commitments/{id}", "S"),
    ("PUT /api/v1/commitments/{id}", "ALCO"),
    ("POST /api/v1/commitments/{id}/notes", "ALCO"),
    ("GET /api/v1/commitments/{id}/history", "S"),
    ("POST /api/v1/commitments/{id}/attachments", "ALCO"),
    ("GET /api/v1/commitments/{id}/attachments", "S"),
    ("DELETE /api/v1/commitments/{id}/attachments/{file}", "ALCO"),
    ("GET /api/v1/calendar-days", "S"),
    ("POST /api/v1/calendar-days", "A"),
    ("POST /api/v1/calendar-days/remove", "A"),
    ("GET /api/v1/audit", "A"),
    ("GET /api/v1/trash", "A"),
    ("GET /api/v1/countries", "S"),
    ("GET /api/v1/search", "S"),
    ("GET /api/v1/provinces", "S"),
    ("GET /api/v1/communes", "S"),
    ("PUT /api/v1/countries/{code}", "A"),
    ("PUT /api/v1/provinces/{code}", "A"),
    ("PUT /api/v1/communes/{code}", "A"),
];

const ROLES: [(&str, char); 5] = [
    ("admin", 'A'),
    ("leader", 'L'),
    ("coordinator", 'C'),
    ("officer", 'O'),
    ("viewer", 'V'),
];

async fn every_route_answers_every_role_as_declared(app: &TestApp) {
    let specs = kieng_web::routes::specs();
    let keys: Vec<String> = specs
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    for k in &keys {
        assert!(
            RULES.iter().any(|(r, _)| r == k),
            "route {k} has no line in the permission matrix"
        );
    }
    for (r, _) in RULES {
        assert!(
            keys.iter().any(|k| k == r),
            "matrix line {r} names no route"
        );
    }
    let agency = app.agencies["A1"].id.to_string();
    // A user outside the scoped admin's reach, so no call here disables a caller.
    let user = app.users["root"].to_string();
    let tokens = [
        ("admin", app.token("admin").await),
        ("leader", app.token("leader").await),
        ("coordinator", app.token("coordinator").await),
        ("officer", app.token("officer").await),
        ("viewer", app.token("viewer").await),
    ];
    for spec in &specs {
        let key = format!("{} {}", spec.method, spec.path);
        let rule = RULES
            .iter()
            .find(|(r, _)| *r == key)
            .map(|(_, w)| *w)
            .unwrap_or_default();
        let path = spec
            .path
            .replace(
                "{id}",
                if spec.path.contains("/users/") {
                    &user
                } else {
                    &agency
                },
            )
            .replace("{agency}", &agency)
            .replace("{file}", &agency)
            .replace("{position}", &agency)
            .replace("{code}", "strategic")
            .replace("{seq}", "1")
            .replace("{slug}", "economic")
            .replace("{secret}", "not-a-feed.ics")
            .replace("{*file}", "app.css");
        // Anonymous.
        let r = app
            .anon()
            .request(spec.method.clone(), app.url(&path))
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        if rule == "*" {
            assert!(st != 401 && st != 403, "{key} anonymous: {st}");
        } else if path.starts_with("/api/") || spec.method != Method::GET {
            assert!(
                st == 401 || st == 400,
                "{key} anonymous: expected 401 (or a refused CSRF), got {st}"
            );
        } else {
            assert_eq!(st, 303, "{key} anonymous: expected a redirect to sign-in");
        }
        // Each role, through a bearer token (CSRF is not in the way).
        for (name, letter) in ROLES {
            let token = &tokens.iter().find(|(n, _)| *n == name).unwrap().1;
            let mut rb = app
                .anon()
                .request(spec.method.clone(), app.url(&path))
                .bearer_auth(token);
            if spec.method != Method::GET {
                rb = rb.json(&json!({}));
            }
            let st = rb.send().await.unwrap().status().as_u16();
            let allowed = rule == "*" || rule == "S" || rule.contains(letter);
            if allowed {
                assert!(
                    st != 401 && !(st == 403 && rule != "A"),
                    "{key} as {name}: allowed but got {st}"
                );
            } else {
                assert_eq!(st, 403, "{key} as {name}: expected 403");
            }
        }
    }
}

async fn records_obey_scope_and_clearance(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    // Clearance: the Tối mật agency does not exist for a Mật reader — not in the
    // page, not in the list, not in the count, not in its history.
    let secret = app.agencies["SECRET"].id;
    for path in [
        format!("/api/v1/agencies/{secret}"),
        format!("/api/v1/agencies/{secret}/history"),
    ] {
        let (s, _) = app.api(&officer, Method::GET, &path, None).await;
        assert_eq!(s, 404, "{path}");
    }
    let (_, list) = app
        .api(&officer, Method::GET, "/api/v1/agencies", None)
        .await;
    let (_, all) = app.api(&root, Method::GET, "/api/v1/agencies", None).await;
    assert_eq!(
        all["total"].as_u64().unwrap(),
        list["total"].as_u64().unwrap() + 1
    );
    assert!(!list.to_string().contains("SECRET"));
    let s = app.signed_in("officer").await;
    assert_eq!(s.get(&format!("/agencies/{secret}")).await.status(), 404);
    // Scope: the admin of A (own-agency scope) manages A1 but not B.
    let admin = app.token("admin").await;
    let a1 = &app.agencies["A1"];
    let b = &app.agencies["B"];
    let (s1, _) = app.api(&admin, Method::PUT, &format!("/api/v1/agencies/{}", a1.id), Some(json!({"code": "A1", "name_vi": "Cục Lãnh sự", "pillar": "state", "level": "central", "parent_id": app.agencies["A"].id, "version": a1.version}))).await;
    assert_eq!(s1, 200);
    let (s2, _) = app.api(&admin, Method::PUT, &format!("/api/v1/agencies/{}", b.id), Some(json!({"code": "B", "name_vi": "x", "pillar": "party", "level": "central", "version": b.version}))).await;
    assert_eq!(s2, 403);
    // Nor can they create a top-level agency, grant a wider scope or clearance,
    // or see users outside their agencies.
    let (s3, _) = app
        .api(
            &admin,
            Method::POST,
            "/api/v1/agencies",
            Some(json!({"code": "TOP", "name_vi": "x", "pillar": "state", "level": "central"})),
        )
        .await;
    assert_eq!(s3, 403);
    let (s4, e) = app.api(&admin, Method::POST, "/api/v1/users", Some(json!({"username": "rong", "agency_id": app.agencies["A"].id, "role": "viewer", "scope": "all", "clearance": "toi_mat"}))).await;
    assert_eq!(s4, 422);
    assert!(
        e["error"]["fields"]["scope"].is_string() && e["error"]["fields"]["clearance"].is_string()
    );
    let (_, users) = app.api(&admin, Method::GET, "/api/v1/users", None).await;
    assert!(
        !users.to_string().contains("\"root\""),
        "root belongs to another agency"
    );
    let (s5, _) = app
        .api(
            &admin,
            Method::GET,
            &format!("/api/v1/users/{}", app.users["root"]),
            None,
        )
        .await;
    assert_eq!(s5, 404);
    // A user signs in with their own password only.
    let r = app
        .anon()
        .post(app.url("/login"))
        .form(&[("username", "root"), ("password", &format!("{PASSWORD}x"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

both!(
    every_route_answers_every_role_as_declared,
    records_obey_scope_and_clearance
);
