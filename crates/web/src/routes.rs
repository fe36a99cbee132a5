//! The route table: every route with its method, path and access rule. The
//! router is built from this table only, and the permission-matrix test walks
//! the same table, so a route cannot exist without a declared rule.

use crate::middleware::{
    authenticate, csrf, expose_principal, finish, guard, request_meta, security_headers,
};
use crate::{AppState, api, assets, ui};
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use kieng_domain::Role;

/// Who may call a route. Record-level rules (scope, clearance) are the store's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    SignedIn,
    Roles(&'static [Role]),
}

pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Everyone who records work: all roles but viewers.
pub const WRITERS: Access =
    Access::Roles(&[Role::Admin, Role::Leader, Role::Coordinator, Role::Officer]);

/// Those who keep the record of roles held in multilateral mechanisms.
pub const ROLE_KEEPERS: Access = Access::Roles(&[Role::Admin, Role::Coordinator]);

/// Those who acknowledge coordination warnings.
pub const COORDINATORS: Access = Access::Roles(&[Role::Coordinator, Role::Leader]);

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! table {
    ($( $m:ident $path:literal $access:expr => $h:expr ;)*) => {
        vec![ $( (
            RouteSpec { method: Method::$m, path: $path, access: $access },
            on(MethodFilter::$m, $h),
        ) ),* ]
    };
}

/// Every route of the application.
pub fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::{Public, SignedIn};
    table! {
        GET "/healthz" Public => api::health::healthz;
        GET "/readyz" Public => api::health::readyz;
        GET "/system" ADMIN => ui::system::page;
        GET "/api/v1/system" ADMIN => api::health::system;
        GET "/metrics" ADMIN => crate::metrics::metrics;
        GET "/assets/{*file}" Public => assets::serve;
        GET "/login" Public => ui::auth::login_page;
        POST "/login" Public => ui::auth::login_submit;
        POST "/logout" SignedIn => ui::auth::logout;

        GET "/" SignedIn => ui::home::home;
        GET "/modules/{slug}" SignedIn => ui::home::module;
        GET "/notifications" SignedIn => ui::notifications::list;
        GET "/pick/{kind}" SignedIn => ui::pick::pick;
        POST "/notifications/read" SignedIn => ui::notifications::read_all;
        POST "/notifications/{id}/open" SignedIn => ui::notifications::open;

        GET "/agencies" SignedIn => ui::agencies::list;
        GET "/agencies.xlsx" SignedIn => ui::agencies::export_xlsx;
        GET "/agencies.csv" SignedIn => ui::agencies::export_csv;
        GET "/agencies/new" ADMIN => ui::agencies::new_form;
        POST "/agencies" ADMIN => ui::agencies::create;
        GET "/agencies/{id}" SignedIn => ui::agencies::show;
        GET "/agencies/{id}/edit" ADMIN => ui::agencies::edit_form;
        POST "/agencies/{id}" ADMIN => ui::agencies::update;
        POST "/agencies/{id}/delete" ADMIN => ui::agencies::delete;
        POST "/agencies/{id}/restore" ADMIN => ui::agencies::restore;
        POST "/agencies/{id}/lineage" ADMIN => ui::agencies::lineage;
        GET "/agencies/{id}/history" SignedIn => ui::agencies::history;
        POST "/agencies/{id}/history/{seq}/restore" ADMIN => ui::agencies::restore_version;

        GET "/partners" SignedIn => ui::partners::list;
        GET "/partners.xlsx" SignedIn => ui::partners::export_xlsx;
        GET "/partners.csv" SignedIn => ui::partners::export_csv;
        GET "/partners/new" WRITERS => ui::partners::new_form;
        GET "/partners/import" WRITERS => ui::partner_import::form;
        POST "/partners/import" WRITERS => ui::partner_import::preview;
        POST "/partners/import/{id}" WRITERS => ui::partner_import::apply;
        POST "/partners" WRITERS => ui::partners::create;
        GET "/partners/{id}" SignedIn => ui::partners::show;
        GET "/partners/{id}/edit" WRITERS => ui::partner_edit::edit_form;
        POST "/partners/{id}" WRITERS => ui::partner_edit::update;
        GET "/partners/{id}/history" SignedIn => ui::partner_edit::history;
        GET "/partners/{id}/briefing.docx" SignedIn => ui::briefing::docx;
        POST "/partners/{id}/briefing.docx" SignedIn => ui::briefing::docx_with;
        POST "/partners/{id}/frameworks" ADMIN => ui::partners::add_framework;
        POST "/partners/{id}/frameworks/{step}" ADMIN => ui::partners::correct_framework;
        POST "/partners/{id}/frameworks/{step}/remove" ADMIN => ui::partners::remove_framework;
        POST "/partners/{id}/missions" WRITERS => ui::partner_edit::add_mission;
        POST "/partners/{id}/merge" WRITERS => ui::partner_edit::merge;
        POST "/partners/{id}/missions/{agency}/remove" WRITERS => ui::partner_edit::remove_mission;
        GET "/people" SignedIn => ui::partners::people;
        POST "/partners/{id}/positions" WRITERS => ui::partner_edit::add_position;
        POST "/partners/{id}/positions/{position}/remove" WRITERS => ui::partner_edit::remove_position;

        GET "/activities" SignedIn => ui::activities::list;
        GET "/activities/import" WRITERS => ui::activity_import::form;
        GET "/activities/import/template.xlsx" WRITERS => ui::activity_import::template;
        POST "/activities/import" WRITERS => ui::activity_import::preview;
        POST "/activities/import/{id}" WRITERS => ui::activity_import::apply;
        POST "/activities/import/{id}/partners" WRITERS => ui::activity_import::add_partner;
        GET "/activities.xlsx" SignedIn => ui::activities::export_xlsx;
        GET "/activities.csv" SignedIn => ui::activities::export_csv;
        GET "/activities/new" WRITERS => ui::activities::new_form;
        POST "/activities" WRITERS => ui::activities::create;
        GET "/activities/{id}" SignedIn => ui::activities::show;
        GET "/activities/{id}/edit" WRITERS => ui::activities::edit_form;
        POST "/activities/{id}" WRITERS => ui::activities::update;
        POST "/activities/{id}/transition" WRITERS => ui::activities::transition;
        POST "/activities/{id}/delete" WRITERS => ui::activities::delete;
        POST "/activities/{id}/restore" WRITERS => ui::activities::restore;
        POST "/activities/{id}/acknowledge" COORDINATORS => ui::activities::acknowledge;
        POST "/activities/{id}/consultations" WRITERS => ui::consultations::add;
        POST "/activities/{id}/consultations/{c}" WRITERS => ui::consultations::update;
        POST "/activities/{id}/consultations/{c}/remove" WRITERS => ui::consultations::remove;
        GET "/activities/{id}/history" SignedIn => ui::activities::history;
        POST "/activities/{id}/attachments" WRITERS => ui::files::upload;
        GET "/activities/{id}/attachments/{file}" SignedIn => ui::files::download;
        POST "/activities/{id}/attachments/{file}/remove" WRITERS => ui::files::remove;
        GET "/coordination" SignedIn => ui::activities::board;
        GET "/activity-types" ADMIN => ui::activity_types::list;
        POST "/activity-types" ADMIN => ui::activity_types::create;
        GET "/calendar" SignedIn => ui::calendar::page;
        POST "/calendar/feeds" SignedIn => ui::calendar::create_feed;
        POST "/calendar/feeds/{id}/revoke" SignedIn => ui::calendar::revoke_feed;
        GET "/feeds/{secret}" Public => ui::calendar::feed;

        GET "/agreements" SignedIn => ui::agreements::list;
        GET "/agreements.xlsx" SignedIn => ui::agreements::export_xlsx;
        GET "/agreements.csv" SignedIn => ui::agreements::export_csv;
        GET "/agreements/new" WRITERS => ui::agreements::new_form;
        POST "/agreements" WRITERS => ui::agreements::create;
        GET "/agreements/{id}" SignedIn => ui::agreements::show;
        GET "/agreements/{id}/edit" WRITERS => ui::agreements::edit_form;
        POST "/agreements/{id}" WRITERS => ui::agreements::update;
        POST "/agreements/{id}/status" WRITERS => ui::agreements::add_status;
        POST "/agreements/{id}/steps" WRITERS => ui::agreements::add_step;
        GET "/agreements/{id}/history" SignedIn => ui::agreements::history;
        POST "/agreements/{id}/attachments" WRITERS => ui::files::upload;
        GET "/agreements/{id}/attachments/{file}" SignedIn => ui::files::download;
        POST "/agreements/{id}/attachments/{file}/remove" WRITERS => ui::files::remove;
        GET "/dashboard" SignedIn => ui::dashboard::show;
        GET "/reports" SignedIn => ui::reports::list;
        GET "/reports.xlsx" SignedIn => ui::reports::export_xlsx;
        GET "/reports.csv" SignedIn => ui::reports::export_csv;
        GET "/reports/new" WRITERS => ui::reports::new_form;
        GET "/reports/numbers" SignedIn => ui::reports::numbers;
        POST "/reports" WRITERS => ui::reports::create;
        GET "/reports/{id}" SignedIn => ui::reports::show;
        GET "/reports/{id}/edit" WRITERS => ui::reports::edit_form;
        POST "/reports/{id}" WRITERS => ui::reports::update;
        POST "/reports/{id}/parts/{part}" WRITERS => ui::reports::save_part;
        GET "/reports/{id}/parts/{part}" SignedIn => ui::reports::part_history;
        POST "/reports/{id}/move" WRITERS => ui::reports::do_move;
        POST "/reports/{id}/delete" WRITERS => ui::reports::delete;
        GET "/reports/{id}/history" SignedIn => ui::reports::history;
        GET "/reports/{id}/report.docx" SignedIn => ui::report_document::docx;
        GET "/reports/{id}/tables.xlsx" SignedIn => ui::report_document::xlsx;
        GET "/reports/{id}/print" SignedIn => ui::report_document::print;
        GET "/plans" SignedIn => ui::plans::list;
        GET "/plans.xlsx" SignedIn => ui::plans::export_xlsx;
        GET "/plans.csv" SignedIn => ui::plans::export_csv;
        GET "/plans/new" WRITERS => ui::plans::new_form;
        POST "/plans" WRITERS => ui::plans::create;
        GET "/plans/tasks" SignedIn => ui::plans::mine;
        GET "/plans/templates" SignedIn => ui::plan_templates::list;
        GET "/plans/templates/{id}" SignedIn => ui::plan_templates::show;
        POST "/plans/templates/{id}/retire" ADMIN => ui::plan_templates::retire;
        POST "/plans/{id}/template" ADMIN => ui::plan_templates::from_plan;
        GET "/plans/tasks/{id}" SignedIn => ui::plans::task_show;
        GET "/plans/tasks/{id}/edit" WRITERS => ui::plans::task_edit_form;
        POST "/plans/tasks/{id}" WRITERS => ui::plans::task_update;
        POST "/plans/tasks/{id}/progress" WRITERS => ui::plans::progress;
        POST "/plans/tasks/{id}/indicators" WRITERS => ui::plans::indicator_add;
        POST "/plans/indicators/{id}" WRITERS => ui::plans::indicator_change;
        GET "/plans/tasks/{id}/history" SignedIn => ui::plans::task_history;
        GET "/plans/{id}" SignedIn => ui::plans::show;
        GET "/plans/{id}/edit" WRITERS => ui::plans::edit_form;
        POST "/plans/{id}" WRITERS => ui::plans::update;
        POST "/plans/{id}/move" WRITERS => ui::plans::do_move;
        POST "/plans/{id}/delete" WRITERS => ui::plans::delete;
        POST "/plans/{id}/restore" WRITERS => ui::plans::restore;
        GET "/plans/{id}/history" SignedIn => ui::plans::history;
        GET "/plans/{id}/tasks/new" WRITERS => ui::plans::task_new;
        GET "/plans/{id}/tasks.xlsx" SignedIn => ui::plan_import::export_xlsx;
        GET "/plans/{id}/tasks.csv" SignedIn => ui::plan_import::export_csv;
        POST "/plans/{id}/delegations" WRITERS => ui::plan_delegations::add;
        POST "/plans/delegations/{id}" WRITERS => ui::plan_delegations::decide;
        GET "/plans/{id}/import" WRITERS => ui::plan_import::form;
        POST "/plans/{id}/import" WRITERS => ui::plan_import::preview;
        POST "/plans/{id}/import/{batch}" WRITERS => ui::plan_import::apply;
        POST "/plans/{id}/tasks" WRITERS => ui::plans::task_create;
        GET "/protection" SignedIn => ui::protection::list;
        GET "/protection.xlsx" SignedIn => ui::protection::export_xlsx;
        GET "/protection.csv" SignedIn => ui::protection::export_csv;
        GET "/protection/new" WRITERS => ui::protection::new_form;
        GET "/protection/fund" SignedIn => ui::protection::fund;
        POST "/protection" WRITERS => ui::protection::create;
        GET "/protection/subject" SignedIn => ui::crises::subject_form;
        POST "/protection/subject" SignedIn => ui::crises::subject_export;
        GET "/multilateral" SignedIn => ui::multilateral::index;
        GET "/multilateral/roles" SignedIn => ui::multilateral::roles;
        GET "/multilateral/roles.xlsx" SignedIn => ui::multilateral::roles_xlsx;
        GET "/multilateral/roles.csv" SignedIn => ui::multilateral::roles_csv;
        GET "/multilateral/candidacies.xlsx" SignedIn => ui::multilateral::candidacies_xlsx;
        GET "/multilateral/candidacies.csv" SignedIn => ui::multilateral::candidacies_csv;
        GET "/multilateral/candidacies/{id}/board.xlsx" SignedIn => ui::multilateral::board_xlsx;
        GET "/multilateral/candidacies/{id}/board.csv" SignedIn => ui::multilateral::board_csv;
        GET "/multilateral/mechanisms/new" ADMIN => ui::multilateral::mechanism_new;
        POST "/multilateral/mechanisms" ADMIN => ui::multilateral::mechanism_create;
        GET "/multilateral/mechanisms/{id}" SignedIn => ui::multilateral::mechanism;
        GET "/multilateral/mechanisms/{id}/edit" ADMIN => ui::multilateral::mechanism_edit;
        POST "/multilateral/mechanisms/{id}" ADMIN => ui::multilateral::mechanism_update;
        POST "/multilateral/mechanisms/{id}/roles" ROLE_KEEPERS => ui::multilateral::role_add;
        POST "/multilateral/mechanisms/{id}/roles/{role}/delete" ROLE_KEEPERS => ui::multilateral::role_delete;
        GET "/multilateral/roles/{id}" SignedIn => ui::multilateral::role_show;
        POST "/multilateral/mechanisms/{id}/outcomes" WRITERS => ui::multilateral::outcome_add;
        POST "/multilateral/outcomes/{id}/delete" WRITERS => ui::multilateral::outcome_delete;
        POST "/activities/{id}/mechanisms" WRITERS => ui::multilateral::meeting_add;
        POST "/activities/{id}/mechanisms/{mechanism}/delete" WRITERS => ui::multilateral::meeting_remove;
        GET "/multilateral/candidacies" SignedIn => ui::multilateral::candidacies;
        GET "/multilateral/candidacies/new" WRITERS => ui::multilateral::candidacy_new;
        POST "/multilateral/candidacies" WRITERS => ui::multilateral::candidacy_create;
        GET "/multilateral/candidacies/{id}" SignedIn => ui::multilateral::candidacy;
        GET "/multilateral/candidacies/{id}/edit" WRITERS => ui::multilateral::candidacy_edit;
        POST "/multilateral/candidacies/{id}" WRITERS => ui::multilateral::candidacy_update;
        POST "/multilateral/candidacies/{id}/move" WRITERS => ui::multilateral::candidacy_move;
        GET "/multilateral/candidacies/{id}/pledges" SignedIn => ui::multilateral::pledges;
        POST "/multilateral/candidacies/{id}/pledges" WRITERS => ui::multilateral::pledge_add;
        POST "/multilateral/candidacies/{id}/pledges/{pledge}/delete" WRITERS => ui::multilateral::pledge_delete;
        GET "/multilateral/candidacies/{id}/history" SignedIn => ui::multilateral::candidacy_history;
        GET "/protection/crises" SignedIn => ui::crises::list;
        GET "/protection/crises/new" WRITERS => ui::crises::new_form;
        GET "/protection/crises/template.xlsx" SignedIn => ui::crises::template;
        POST "/protection/crises" WRITERS => ui::crises::create;
        GET "/protection/crises/{id}" SignedIn => ui::crises::show;
        POST "/protection/crises/{id}/personal" SignedIn => ui::crises::personal;
        GET "/protection/crises/{id}/edit" WRITERS => ui::crises::edit_form;
        POST "/protection/crises/{id}" WRITERS => ui::crises::update;
        POST "/protection/crises/{id}/people" WRITERS => ui::crises::add;
        POST "/protection/crises/{id}/people/{entry}" WRITERS => ui::crises::status;
        POST "/protection/crises/{id}/people/{entry}/case" WRITERS => ui::crises::case;
        POST "/protection/crises/{id}/team" WRITERS => ui::crises::team;
        GET "/protection/crises/{id}/import" WRITERS => ui::crises::import_form;
        POST "/protection/crises/{id}/import" WRITERS => ui::crises::import_preview;
        POST "/protection/crises/{id}/import/{batch}" WRITERS => ui::crises::import_apply;
        POST "/protection/crises/{id}/duplicates" SignedIn => ui::crises::duplicates;
        POST "/protection/crises/{id}/merge" WRITERS => ui::crises::merge;
        POST "/protection/crises/{id}/manifest" SignedIn => ui::crises::manifest;
        GET "/protection/crises/{id}/history" SignedIn => ui::crises::history;
        GET "/protection/{id}" SignedIn => ui::protection::show;
        POST "/protection/{id}/personal" SignedIn => ui::protection::personal;
        GET "/protection/{id}/edit" WRITERS => ui::protection::edit_form;
        POST "/protection/{id}" WRITERS => ui::protection::update;
        POST "/protection/{id}/move" WRITERS => ui::protection::do_move;
        POST "/protection/{id}/actions" WRITERS => ui::protection::add_action;
        POST "/protection/{id}/people" WRITERS => ui::protection::add_person;
        POST "/protection/{id}/team" WRITERS => ui::protection::team;
        POST "/protection/{id}/fund" WRITERS => ui::protection::add_fund;
        GET "/protection/{id}/history" SignedIn => ui::protection::history;
        GET "/commitments" SignedIn => ui::commitments::list;
        GET "/commitments.xlsx" SignedIn => ui::commitments::export_xlsx;
        GET "/commitments.csv" SignedIn => ui::commitments::export_csv;
        GET "/commitments/board" SignedIn => ui::commitments::board;
        GET "/commitments/board.xlsx" SignedIn => ui::commitments::board_xlsx;
        GET "/commitments/new" WRITERS => ui::commitments::new_form;
        POST "/commitments" WRITERS => ui::commitments::create;
        GET "/commitments/{id}" SignedIn => ui::commitments::show;
        GET "/commitments/{id}/edit" WRITERS => ui::commitments::edit_form;
        POST "/commitments/{id}" WRITERS => ui::commitments::update;
        POST "/commitments/{id}/notes" WRITERS => ui::commitments::add_note;
        GET "/commitments/{id}/history" SignedIn => ui::commitments::history;
        POST "/commitments/{id}/attachments" WRITERS => ui::files::upload;
        GET "/commitments/{id}/attachments/{file}" SignedIn => ui::files::download;
        POST "/commitments/{id}/attachments/{file}/remove" WRITERS => ui::files::remove;
        GET "/framework-levels" ADMIN => ui::levels::list;
        POST "/framework-levels" ADMIN => ui::levels::create;
        POST "/framework-levels/{code}" ADMIN => ui::levels::update;
        GET "/secret-items" ADMIN => ui::secret_items::list;
        POST "/secret-items" ADMIN => ui::secret_items::create;
        POST "/secret-items/{id}" ADMIN => ui::secret_items::update;
        POST "/secret-items/{id}/retire" ADMIN => ui::secret_items::retire;
        GET "/calendar-days" ADMIN => ui::workdays::list;
        POST "/calendar-days" ADMIN => ui::workdays::create;
        POST "/calendar-days/remove" ADMIN => ui::workdays::remove;

        GET "/users" ADMIN => ui::users::list;
        GET "/users.xlsx" ADMIN => ui::users::export_xlsx;
        GET "/users.csv" ADMIN => ui::users::export_csv;
        GET "/users/new" ADMIN => ui::users::new_form;
        POST "/users" ADMIN => ui::users::create;
        GET "/users/{id}" ADMIN => ui::users::show;
        POST "/users/{id}" ADMIN => ui::users::update;
        POST "/users/{id}/disable" ADMIN => ui::users::disable;
        POST "/users/{id}/enable" ADMIN => ui::users::enable;
        POST "/users/{id}/reset-password" ADMIN => ui::users::reset_password;

        GET "/account" SignedIn => ui::account::page;
        POST "/account/password" SignedIn => ui::account::change_password;
        POST "/account/language" SignedIn => ui::account::language;
        POST "/account/tokens" SignedIn => ui::account::create_token;
        POST "/account/tokens/{id}/revoke" SignedIn => ui::account::revoke_token;

        GET "/audit" ADMIN => ui::audit::list;
        GET "/audit.xlsx" ADMIN => ui::audit::export_xlsx;
        GET "/audit.csv" ADMIN => ui::audit::export_csv;
        GET "/trash" ADMIN => ui::audit::trash;
        GET "/reference/countries" SignedIn => ui::reference::countries;
        GET "/reference/countries.xlsx" SignedIn => ui::reference::countries_xlsx;
        GET "/reference/countries.csv" SignedIn => ui::reference::countries_csv;
        GET "/reference/provinces" SignedIn => ui::reference::provinces;
        GET "/reference/provinces.xlsx" SignedIn => ui::reference::provinces_xlsx;
        GET "/reference/provinces.csv" SignedIn => ui::reference::provinces_csv;
        GET "/reference/communes" SignedIn => ui::reference::communes;
        GET "/reference/communes.xlsx" SignedIn => ui::reference::communes_xlsx;
        GET "/reference/communes.csv" SignedIn => ui::reference::communes_csv;
        GET "/reference/communes/{code}" ADMIN => ui::reference::commune_form;
        POST "/reference/communes/{code}" ADMIN => ui::reference::commune_save;
        GET "/reference/provinces/{code}" ADMIN => ui::reference::province_form;
        POST "/reference/provinces/{code}" ADMIN => ui::reference::province_save;
        GET "/reference/countries/{code}" ADMIN => ui::reference::country_form;
        POST "/reference/countries/{code}" ADMIN => ui::reference::country_save;
        GET "/search" SignedIn => ui::search::page;

        GET "/api/v1/openapi.json" Public => api::openapi_json;
        GET "/api/v1/me" SignedIn => api::me::me;
        GET "/api/v1/notifications" SignedIn => api::notifications::list;
        POST "/api/v1/notifications/read" SignedIn => api::notifications::read_all;
        POST "/api/v1/notifications/{id}/read" SignedIn => api::notifications::read;
        POST "/api/v1/me/password" SignedIn => api::me::change_password;
        GET "/api/v1/me/tokens" SignedIn => api::me::tokens;
        POST "/api/v1/me/tokens" SignedIn => api::me::create_token;
        DELETE "/api/v1/me/tokens/{id}" SignedIn => api::me::revoke_token;
        GET "/api/v1/agencies" SignedIn => api::agencies::list;
        POST "/api/v1/agencies" ADMIN => api::agencies::create;
        GET "/api/v1/agencies/{id}" SignedIn => api::agencies::get;
        PUT "/api/v1/agencies/{id}" ADMIN => api::agencies::update;
        DELETE "/api/v1/agencies/{id}" ADMIN => api::agencies::delete;
        POST "/api/v1/agencies/{id}/restore" ADMIN => api::agencies::restore;
        POST "/api/v1/agencies/{id}/lineage" ADMIN => api::agencies::lineage;
        GET "/api/v1/agencies/{id}/history" SignedIn => api::agencies::history;
        POST "/api/v1/agencies/{id}/history/{seq}/restore" ADMIN => api::agencies::restore_version;
        GET "/api/v1/users" ADMIN => api::users::list;
        POST "/api/v1/users" ADMIN => api::users::create;
        GET "/api/v1/users/{id}" ADMIN => api::users::get;
        PUT "/api/v1/users/{id}" ADMIN => api::users::update;
        POST "/api/v1/users/{id}/disable" ADMIN => api::users::disable;
        POST "/api/v1/users/{id}/enable" ADMIN => api::users::enable;
        POST "/api/v1/users/{id}/reset-password" ADMIN => api::users::reset_password;
        GET "/api/v1/partners" SignedIn => api::partners::list;
        POST "/api/v1/partners" WRITERS => api::partners::create;
        POST "/api/v1/partners/import" WRITERS => api::partner_import::import;
        POST "/api/v1/activities/import" WRITERS => api::activity_import::import;
        GET "/api/v1/partners/{id}" SignedIn => api::partners::get;
        GET "/api/v1/partners/{id}/engagements" SignedIn => api::partners::engagements;
        PUT "/api/v1/partners/{id}" WRITERS => api::partners::update;
        GET "/api/v1/partners/{id}/history" SignedIn => api::partners::history;
        POST "/api/v1/partners/{id}/frameworks" ADMIN => api::partners::add_framework;
        PUT "/api/v1/partners/{id}/frameworks/{step}" ADMIN => api::partners::correct_framework;
        DELETE "/api/v1/partners/{id}/frameworks/{step}" ADMIN => api::partners::remove_framework;
        PUT "/api/v1/partners/{id}/missions/{agency}" WRITERS => api::partners::set_mission;
        POST "/api/v1/partners/{id}/merge" WRITERS => api::partners::merge;
        DELETE "/api/v1/partners/{id}/missions/{agency}" WRITERS => api::partners::remove_mission;
        GET "/api/v1/framework-levels" SignedIn => api::partners::levels;
        POST "/api/v1/framework-levels" ADMIN => api::levels::api_create;
        PUT "/api/v1/framework-levels/{code}" ADMIN => api::levels::api_update;
        GET "/api/v1/secret-items" SignedIn => api::secret_items::list;
        POST "/api/v1/secret-items" ADMIN => api::secret_items::create;
        PUT "/api/v1/secret-items/{id}" ADMIN => api::secret_items::update;
        POST "/api/v1/secret-items/{id}/retirement" ADMIN => api::secret_items::retire;
        GET "/api/v1/people" SignedIn => api::people::list;
        GET "/api/v1/people/{id}/positions" SignedIn => api::people::positions;
        POST "/api/v1/people/{id}/positions" WRITERS => api::people::add_position;
        DELETE "/api/v1/people/{id}/positions/{position}" WRITERS => api::people::remove_position;
        GET "/api/v1/activities" SignedIn => api::activities::list;
        POST "/api/v1/activities" WRITERS => api::activities::create;
        GET "/api/v1/activities/{id}" SignedIn => api::activities::get;
        PUT "/api/v1/activities/{id}" WRITERS => api::activities::update;
        DELETE "/api/v1/activities/{id}" WRITERS => api::activities::delete;
        POST "/api/v1/activities/{id}/restore" WRITERS => api::activities::restore;
        POST "/api/v1/activities/{id}/transitions" WRITERS => api::activities::transition;
        POST "/api/v1/activities/{id}/acknowledgements" COORDINATORS => api::activities::acknowledge;
        POST "/api/v1/activities/{id}/consultations" WRITERS => api::activities::consultation_add;
        PUT "/api/v1/activities/{id}/consultations/{c}" WRITERS => api::activities::consultation_update;
        DELETE "/api/v1/activities/{id}/consultations/{c}" WRITERS => api::activities::consultation_remove;
        GET "/api/v1/activities/{id}/history" SignedIn => api::activities::history;
        POST "/api/v1/activities/{id}/attachments" WRITERS => api::files::api_upload;
        GET "/api/v1/activities/{id}/attachments" SignedIn => api::files::api_list;
        DELETE "/api/v1/activities/{id}/attachments/{file}" WRITERS => api::files::api_remove;
        GET "/api/v1/activity-types" SignedIn => api::activities::types;
        POST "/api/v1/activity-types" ADMIN => api::activity_types::api_create;
        GET "/api/v1/coordination" SignedIn => api::activities::board;
        GET "/api/v1/calendar" SignedIn => api::activities::calendar;
        GET "/api/v1/calendar.ics" SignedIn => api::activities::calendar_ics;
        GET "/api/v1/coordination/warnings" SignedIn => api::activities::warnings;
        GET "/api/v1/agreements" SignedIn => api::agreements::list;
        POST "/api/v1/agreements" WRITERS => api::agreements::create;
        GET "/api/v1/agreements/{id}" SignedIn => api::agreements::get;
        PUT "/api/v1/agreements/{id}" WRITERS => api::agreements::update;
        POST "/api/v1/agreements/{id}/statuses" WRITERS => api::agreements::add_status;
        POST "/api/v1/agreements/{id}/steps" WRITERS => api::agreements::add_step;
        GET "/api/v1/agreements/{id}/history" SignedIn => api::agreements::history;
        POST "/api/v1/agreements/{id}/attachments" WRITERS => api::files::documented::agreement_upload;
        GET "/api/v1/agreements/{id}/attachments" SignedIn => api::files::documented::agreement_list;
        DELETE "/api/v1/agreements/{id}/attachments/{file}" WRITERS => api::files::documented::agreement_remove;
        GET "/api/v1/reports" SignedIn => api::reports::list;
        POST "/api/v1/reports" WRITERS => api::reports::create;
        GET "/api/v1/reports/numbers" SignedIn => api::reports::numbers;
        GET "/api/v1/reports/{id}" SignedIn => api::reports::get;
        PUT "/api/v1/reports/{id}" WRITERS => api::reports::update;
        PUT "/api/v1/reports/{id}/parts/{part}" WRITERS => api::reports::save_part;
        POST "/api/v1/reports/{id}/move" WRITERS => api::reports::do_move;
        GET "/api/v1/plans" SignedIn => api::plans::list;
        POST "/api/v1/plans" WRITERS => api::plans::create;
        GET "/api/v1/plans/tasks" SignedIn => api::plans::mine;
        GET "/api/v1/plans/templates" SignedIn => api::plans::templates;
        GET "/api/v1/plans/templates/{id}" SignedIn => api::plans::template;
        POST "/api/v1/plans/templates/{id}/retire" ADMIN => api::plans::template_retire;
        POST "/api/v1/plans/{id}/template" ADMIN => api::plans::template_from_plan;
        GET "/api/v1/plans/tasks/{id}" SignedIn => api::plans::task_get;
        PUT "/api/v1/plans/tasks/{id}" WRITERS => api::plans::task_update;
        POST "/api/v1/plans/tasks/{id}/progress" WRITERS => api::plans::progress;
        POST "/api/v1/plans/tasks/{id}/indicators" WRITERS => api::plans::indicator_add;
        PUT "/api/v1/plans/indicators/{id}" WRITERS => api::plans::indicator_update;
        DELETE "/api/v1/plans/indicators/{id}" WRITERS => api::plans::indicator_delete;
        GET "/api/v1/plans/{id}" SignedIn => api::plans::get;
        PUT "/api/v1/plans/{id}" WRITERS => api::plans::update;
        POST "/api/v1/plans/{id}/move" WRITERS => api::plans::do_move;
        DELETE "/api/v1/plans/{id}" WRITERS => api::plans::delete;
        POST "/api/v1/plans/{id}/restore" WRITERS => api::plans::restore;
        POST "/api/v1/plans/{id}/tasks" WRITERS => api::plans::task_create;
        POST "/api/v1/plans/{id}/tasks/import" WRITERS => api::plans::task_import;
        GET "/api/v1/plans/{id}/delegations" SignedIn => api::plans::delegations;
        POST "/api/v1/plans/{id}/delegations" WRITERS => api::plans::delegation_add;
        POST "/api/v1/plans/delegations/{id}" WRITERS => api::plans::delegation_decide;
        GET "/api/v1/protection/cases" SignedIn => api::protection::list;
        GET "/api/v1/protection/fund" SignedIn => api::protection::fund_totals;
        POST "/api/v1/protection/cases" WRITERS => api::protection::create;
        GET "/api/v1/protection/cases/{id}" SignedIn => api::protection::get;
        PUT "/api/v1/protection/cases/{id}" WRITERS => api::protection::update;
        POST "/api/v1/protection/cases/{id}/personal" SignedIn => api::protection::personal;
        POST "/api/v1/protection/cases/{id}/move" WRITERS => api::protection::do_move;
        POST "/api/v1/protection/cases/{id}/actions" WRITERS => api::protection::action;
        POST "/api/v1/protection/cases/{id}/people" WRITERS => api::protection::person;
        POST "/api/v1/protection/cases/{id}/team" WRITERS => api::protection::team;
        POST "/api/v1/protection/cases/{id}/fund" WRITERS => api::protection::fund_add;
        GET "/api/v1/protection/cases/{id}/history" SignedIn => api::protection::history;
        GET "/api/v1/multilateral/mechanisms" SignedIn => api::multilateral::mechanisms;
        POST "/api/v1/multilateral/mechanisms" ADMIN => api::multilateral::mechanism_create;
        GET "/api/v1/multilateral/mechanisms/{id}" SignedIn => api::multilateral::mechanism_get;
        PUT "/api/v1/multilateral/mechanisms/{id}" ADMIN => api::multilateral::mechanism_update;
        POST "/api/v1/multilateral/mechanisms/{id}/roles" ROLE_KEEPERS => api::multilateral::role_create;
        GET "/api/v1/multilateral/roles" SignedIn => api::multilateral::roles;
        GET "/api/v1/multilateral/candidacies" SignedIn => api::multilateral::candidacies;
        POST "/api/v1/multilateral/candidacies" WRITERS => api::multilateral::candidacy_create;
        GET "/api/v1/multilateral/candidacies/{id}" SignedIn => api::multilateral::candidacy_get;
        PUT "/api/v1/multilateral/candidacies/{id}" WRITERS => api::multilateral::candidacy_update;
        POST "/api/v1/multilateral/candidacies/{id}/move" WRITERS => api::multilateral::candidacy_move;
        GET "/api/v1/multilateral/candidacies/{id}/pledges" SignedIn => api::multilateral::pledges;
        POST "/api/v1/multilateral/candidacies/{id}/pledges" WRITERS => api::multilateral::pledge_add;
        POST "/api/v1/multilateral/mechanisms/{id}/meetings" WRITERS => api::multilateral::meeting_add;
        DELETE "/api/v1/multilateral/mechanisms/{id}/meetings/{activity}" WRITERS => api::multilateral::meeting_remove;
        POST "/api/v1/multilateral/mechanisms/{id}/outcomes" WRITERS => api::multilateral::outcome_add;
        DELETE "/api/v1/multilateral/outcomes/{id}" WRITERS => api::multilateral::outcome_remove;
        GET "/api/v1/protection/crises" SignedIn => api::crises::list;
        POST "/api/v1/protection/crises" WRITERS => api::crises::create;
        GET "/api/v1/protection/crises/{id}" SignedIn => api::crises::get;
        PUT "/api/v1/protection/crises/{id}" WRITERS => api::crises::update;
        GET "/api/v1/protection/crises/{id}/counts" SignedIn => api::crises::counts;
        GET "/api/v1/protection/crises/{id}/people" SignedIn => api::crises::people;
        POST "/api/v1/protection/crises/{id}/personal" SignedIn => api::crises::personal;
        POST "/api/v1/protection/crises/{id}/people" WRITERS => api::crises::add;
        POST "/api/v1/protection/crises/{id}/people/{entry}" WRITERS => api::crises::status;
        POST "/api/v1/protection/crises/{id}/people/{entry}/case" WRITERS => api::crises::case;
        POST "/api/v1/protection/crises/{id}/merge" WRITERS => api::crises::merge;
        POST "/api/v1/protection/crises/{id}/team" WRITERS => api::crises::team;
        GET "/api/v1/commitments" SignedIn => api::commitments::list;
        POST "/api/v1/commitments" WRITERS => api::commitments::create;
        GET "/api/v1/commitments/board" SignedIn => api::commitments::board;
        GET "/api/v1/commitments/{id}" SignedIn => api::commitments::get;
        PUT "/api/v1/commitments/{id}" WRITERS => api::commitments::update;
        POST "/api/v1/commitments/{id}/notes" WRITERS => api::commitments::add_note;
        GET "/api/v1/commitments/{id}/history" SignedIn => api::commitments::history;
        POST "/api/v1/commitments/{id}/attachments" WRITERS => api::files::documented::commitment_upload;
        GET "/api/v1/commitments/{id}/attachments" SignedIn => api::files::documented::commitment_list;
        DELETE "/api/v1/commitments/{id}/attachments/{file}" WRITERS => api::files::documented::commitment_remove;
        GET "/api/v1/calendar-days" SignedIn => api::workdays::api_list;
        POST "/api/v1/calendar-days" ADMIN => api::workdays::api_create;
        POST "/api/v1/calendar-days/remove" ADMIN => api::workdays::api_remove;
        GET "/api/v1/audit" ADMIN => api::audit::list;
        GET "/api/v1/trash" ADMIN => api::audit::trash;
        GET "/api/v1/countries" SignedIn => api::reference::countries;
        GET "/api/v1/provinces" SignedIn => api::reference::provinces;
        GET "/api/v1/communes" SignedIn => api::reference::communes;
        PUT "/api/v1/countries/{code}" ADMIN => api::reference::correct_country;
        PUT "/api/v1/provinces/{code}" ADMIN => api::reference::correct_province;
        PUT "/api/v1/communes/{code}" ADMIN => api::reference::correct_commune;
        GET "/api/v1/search" SignedIn => api::search::search;
    }
}

/// The largest body a request without a session may send.
pub const PUBLIC_BODY_LIMIT: usize = 16 * 1024;

/// The rules alone, for tests and documentation.
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(s, _)| s).collect()
}

pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for (spec, mr) in table() {
        let mr = mr.layer(axum::middleware::from_fn_with_state(spec.access, guard));
        // Uploads may be larger than the 2 MB every other request is held to.
        let mr = if spec.method == Method::POST && spec.path.ends_with("/attachments") {
            mr.layer(axum::extract::DefaultBodyLimit::max(
                ui::files::UPLOAD_LIMIT,
            ))
        } else if spec.method == Method::POST && spec.path.ends_with("/import") {
            mr.layer(axum::extract::DefaultBodyLimit::max(
                kieng_domain::import::MAX_BYTES + 64 * 1024,
            ))
        } else if spec.method == Method::POST && spec.access == Access::Public {
            // Whoever is not signed in sends a sign-in form and nothing larger.
            mr.layer(axum::extract::DefaultBodyLimit::max(PUBLIC_BODY_LIMIT))
        } else {
            mr
        };
        r = r.route(spec.path, mr);
    }
    r.fallback(|| async { crate::error::WebError::NotFound })
        .layer(axum::middleware::from_fn(csrf))
        .layer(axum::middleware::from_fn(expose_principal))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), finish))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_meta,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::count,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(2 << 20))
        .with_state(state)
}
