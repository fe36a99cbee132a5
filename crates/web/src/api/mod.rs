//! The JSON API under `/api/v1`: the same services as the pages, bearer-token or
//! session authentication, one error shape, and an OpenAPI 3 document generated
//! from the handlers' annotations.

pub mod activities;
pub mod activity_dto;
pub mod activity_import;
pub mod activity_types;
pub mod agencies;
pub mod agreement_dto;
pub mod agreements;
pub mod audit;
pub mod commitments;
pub mod crises;
pub mod dto;
pub mod files;
pub mod health;
pub mod levels;
pub mod me;
pub mod multilateral;
pub mod notifications;
pub mod openapi;
pub mod partner_import;
pub mod partners;
pub mod people;
pub mod plans;
pub mod protection;
pub mod reference;
pub mod reports;
pub mod search;
pub mod secret_items;
pub mod users;
pub mod workdays;

use crate::error::ErrorReport;
use crate::i18n::Lang;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

/// `{"error":{"code","message","fields":{…}}}` in the reader's language.
pub fn error_json(status: StatusCode, report: &ErrorReport, lang: Lang) -> Response {
    let l = lang.code();
    let fields: serde_json::Map<String, serde_json::Value> = report
        .fields
        .0
        .iter()
        .map(|(k, m)| (k.clone(), serde_json::Value::String(m.get(l).to_string())))
        .collect();
    let mut error = serde_json::json!({ "code": report.code, "message": report.message.get(l), "fields": fields });
    if let Some(current) = &report.current {
        error["current"] = current.clone();
    }
    (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
}

/// An update sent without the version it was based on: say what to send.
pub(crate) fn version_required() -> kieng_store::StoreError {
    kieng_domain::FieldErrors::single(
        "version",
        kieng_domain::Msg::new(
            "Thiếu phiên bản của bản ghi đã đọc (version).",
            "Send the version of the record you read.",
        ),
    )
    .into()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kiềng API", description = "Foreign-affairs coordination platform. Authenticate with `Authorization: Bearer <token>` (create a token on /account or with `kieng token create`). Errors: `{\"error\":{\"code\",\"message\",\"fields\"}}`."),
    paths(
        health::healthz, health::readyz, health::system,
        me::me, me::change_password, me::tokens, me::create_token, me::revoke_token,
        notifications::list, notifications::read, notifications::read_all,
        agencies::list, agencies::create, agencies::get, agencies::update, agencies::delete, agencies::restore,
        agencies::lineage, agencies::history, agencies::restore_version,
        users::list, users::create, users::get, users::update, users::disable, users::enable, users::reset_password,
        partners::list, partners::create, partner_import::import, partners::get, partners::engagements, partners::add_framework, partners::correct_framework, partners::remove_framework, partners::levels,
        partners::update, partners::history, partners::merge, partners::set_mission, partners::remove_mission,
        people::list, people::positions, people::add_position, people::remove_position,
        activities::list, activities::create, activities::get, activities::update, activities::delete, activities::restore, activities::transition,
        activities::acknowledge, activities::consultation_add, activities::consultation_update, activities::consultation_remove, activities::history, activities::types, activities::board, activities::calendar, activities::calendar_ics, activities::warnings,
        crate::api::files::api_upload, crate::api::activity_types::api_create, crate::api::files::api_list, crate::api::files::api_remove,
        agreements::list, agreements::create, agreements::get, agreements::update, agreements::add_status,
        agreements::add_step, agreements::history,
        commitments::list, commitments::create, commitments::get, commitments::update, commitments::add_note,
        commitments::history, commitments::board,
        protection::list, protection::create, protection::get, protection::update, protection::personal, protection::do_move,
        protection::action, protection::person, protection::team, protection::history,
        protection::fund_add, protection::fund_totals,
        crises::list, crises::create, crises::get, crises::update, crises::counts, crises::people, crises::personal,
        crises::add, crises::status, crises::case, crises::merge, crises::team,
        activity_import::import,
        multilateral::mechanisms, multilateral::mechanism_get, multilateral::mechanism_create, multilateral::mechanism_update,
        multilateral::role_create, multilateral::roles, multilateral::candidacies, multilateral::candidacy_create,
        multilateral::candidacy_get, multilateral::candidacy_update, multilateral::candidacy_move,
        multilateral::pledges, multilateral::pledge_add, multilateral::meeting_add, multilateral::meeting_remove,
        multilateral::outcome_add, multilateral::outcome_remove,
        plans::list, plans::create, plans::get, plans::update, plans::do_move, plans::task_create, plans::task_get,
        plans::task_update, plans::progress, plans::mine, plans::task_import, plans::delegations, plans::delegation_add, plans::delegation_decide, plans::indicator_add, plans::indicator_update, plans::indicator_delete, plans::templates, plans::template, plans::template_from_plan, plans::template_retire, plans::delete, plans::restore,
        reports::list, reports::create, reports::get, reports::update, reports::save_part, reports::do_move, reports::numbers,
        crate::api::files::documented::agreement_upload, crate::api::files::documented::agreement_list,
        crate::api::files::documented::agreement_remove, crate::api::files::documented::commitment_upload,
        crate::api::files::documented::commitment_list, crate::api::files::documented::commitment_remove,
        crate::api::levels::api_create, crate::api::levels::api_update,
        secret_items::list, secret_items::create, secret_items::update, secret_items::retire,
        crate::api::workdays::api_list, crate::api::workdays::api_create, crate::api::workdays::api_remove,
        audit::list, audit::trash,
        reference::countries, reference::provinces, reference::communes, reference::correct_commune, reference::correct_province, reference::correct_country, search::search,
        openapi_json,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3 document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(()), responses((status = 200, description = "OpenAPI 3 document")))]
pub async fn openapi_json() -> Response {
    axum::Json(openapi::document()).into_response()
}
