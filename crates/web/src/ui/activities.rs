//! Activity pages: the list with filters, the form (new and edit), one activity
//! with its workflow buttons and coordination warnings, and the coordinator's board.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::pieces::{HistoryPage, Notice};
use crate::ui::{Choice, FormState, Saved, choices, render, render_status, saved, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kieng_domain::activity::{ActivityForm, Authority, HeadLevel};
use kieng_domain::agency::Pillar;
use kieng_store::StoreError;
use kieng_store::activities::{
    ActivityFilter, ActivityRow, ActivityView, BoardItem, TransitionForm,
};
use kieng_store::agencies::AgencyRef;
use kieng_store::entity::activity_type;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "activities/list.html")]
struct ListPage {
    page: PageCtx,
    items: Vec<ActivityRow>,
    pager: Pager,
    filter: FormState,
    pillars: Vec<Choice>,
    statuses: Vec<Choice>,
    types: Vec<activity_type::Model>,
    can_create: bool,
    /// The filter as a query string for the export links ("" or "?q=…").
    export_query: String,
    drill: crate::ui::pieces::DrillView,
}

/// The list's filters as the form sends them (empty strings allowed).
#[derive(Debug, Default, Deserialize)]
pub struct ListArgs {
    q: Option<String>,
    pillar: Option<String>,
    type_code: Option<String>,
    status: Option<String>,
    partner: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// A dashboard's drill-down (see `pieces::Drill`).
    scope: Option<String>,
    scope_ref: Option<String>,
    country: Option<String>,
    region: Option<String>,
    #[serde(default, deserialize_with = "kieng_domain::bounds::page")]
    page: Option<u64>,
}

/// The store's filter for what the list's form sent.
fn filter_of(a: &ListArgs) -> ActivityFilter {
    ActivityFilter {
        q: a.q.clone(),
        pillar: a.pillar.clone(),
        type_code: a.type_code.clone(),
        status: a.status.clone(),
        partner: a.partner.as_deref().and_then(|p| p.parse().ok()),
        from: a.from.as_deref().and_then(kieng_domain::agency::parse_date),
        to: a.to.as_deref().and_then(kieng_domain::agency::parse_date),
        country: a.country.clone(),
        region: a.region.clone(),
        agency: None,
        year: None,
        page: a.page,
    }
}

impl ListArgs {
    fn drill(&self) -> crate::ui::pieces::Drill {
        crate::ui::pieces::Drill {
            scope: self.scope.clone(),
            scope_ref: self.scope_ref.clone(),
            country: self.country.clone(),
            region: self.region.clone(),
        }
    }

    /// Every filter as a query string (pages and exports keep them all).
    fn query(&self) -> String {
        query_string(&[
            ("q", self.q.as_deref()),
            ("pillar", self.pillar.as_deref()),
            ("type_code", self.type_code.as_deref()),
            ("status", self.status.as_deref()),
            ("partner", self.partner.as_deref()),
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("scope", self.scope.as_deref()),
            ("scope_ref", self.scope_ref.as_deref()),
            ("country", self.country.as_deref()),
            ("region", self.region.as_deref()),
        ])
    }
}

/// The list as filtered, as a spreadsheet (at most the 10,000 the list counts).
async fn export(state: &AppState, me: &Me, a: &ListArgs, xlsx: bool) -> WebResult<Response> {
    let f = ActivityFilter {
        page: None,
        ..filter_of(a)
    };
    let (ctx, _) = a.drill().apply(state, me, "/activities").await?;
    let rows = state.store.activity_rows(&ctx, &f).await?;
    let types = state.store.activity_types().await?;
    let partners = state
        .store
        .partner_names_of_activities(&ctx, rows.iter().map(|r| r.activity.id).collect())
        .await?;
    let lines = crate::export::activity_lines(&rows, &types, &partners, me.lang);
    crate::export::list_download(
        "activities",
        crate::i18n::t(me.lang, "nav.activities"),
        &crate::export::activity_headings(me.lang),
        &lines,
        &[
            (0, 17.0),
            (1, 17.0),
            (2, 50.0),
            (3, 28.0),
            (6, 36.0),
            (7, 30.0),
        ],
        xlsx,
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, true).await
}

pub async fn export_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
) -> WebResult<Response> {
    export(&state, &me, &a, false).await
}

pub async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<ListArgs>,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let f = filter_of(&a);
    let (ctx, drill) = a.drill().apply(&state, &me, "/activities").await?;
    let res = state.store.activity_list(&ctx, &f).await?;
    let base = a.query();
    let mut filter = FormState::new(me.lang);
    for (k, v) in [
        ("q", &a.q),
        ("pillar", &a.pillar),
        ("type_code", &a.type_code),
        ("status", &a.status),
        ("from", &a.from),
        ("to", &a.to),
    ] {
        filter.set_opt(k, v);
    }
    Ok(render(&ListPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/activities", "nav.activities")
            .with_notice(ok.ok.as_deref())
            .with_marking(res.items.iter().map(|r| r.activity.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        export_query: if base.is_empty() {
            String::new()
        } else {
            format!("?{base}")
        },
        items: res.items,
        drill,
        filter,
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        statuses: choices(
            kieng_domain::activity::Status::ALL,
            kieng_domain::activity::Status::as_str,
            kieng_domain::activity::Status::label,
            me.lang,
        ),
        types: state.store.activity_types().await?,
        can_create: kieng_store::Store::may_record_activities(&me.ctx),
    }))
}

#[derive(Template)]
#[template(path = "activities/show.html")]
pub(crate) struct ShowPage {
    page: PageCtx,
    basis: crate::ui::Basis,
    v: ActivityView,
    form: FormState,
    can_ack: bool,
    files: Vec<kieng_store::activities::AttachmentMeta>,
    accepted: String,
    /// Signed and promised during the activity.
    agreements: Vec<kieng_store::agreements::AgreementRow>,
    commitments: Vec<kieng_store::commitments::CommitmentRow>,
    /// May record agreements and commitments (every role but viewers).
    can_follow_up: bool,
    /// Open candidacies a country's word given here may be recorded on.
    candidacies: Vec<(Uuid, String)>,
    /// Where it came from, when imported from a spreadsheet.
    origin: Option<kieng_store::entity::record_import::Model>,
    /// The mechanisms this activity is a meeting of.
    mechanisms: Vec<kieng_store::entity::mechanism::Model>,
    /// Every mechanism to link it to (code, name indented by depth), for
    /// writers of its lead agency.
    mechanism_choices: Vec<(String, String)>,
    /// The forms of the consultations section (Decision 06/2020, Art. 5).
    pub(crate) consult_edits: Vec<crate::ui::consultations::ConsultForm>,
    pub(crate) consult_add: crate::ui::consultations::ConsultForm,
}

impl ShowPage {
    /// An imported record known only to the month or the year: said so
    /// ("05/2019", "2019") instead of a made-up day and hour.
    fn partial_when(&self) -> Option<String> {
        let o = self.origin.as_ref()?;
        let day = kieng_store::activities::vn_date(self.v.activity.starts_at);
        match o.date_precision.as_str() {
            "year" => Some(day.format("%Y").to_string()),
            "month" => Some(day.format("%m/%Y").to_string()),
            _ => None,
        }
    }
}

pub(crate) async fn show_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    notice: Option<&str>,
) -> WebResult<ShowPage> {
    let v = state.store.activity_get(&me.ctx, id).await?;
    let files = state
        .store
        .attachments_of(&me.ctx, kieng_store::activities::Holder::Activity, id)
        .await?;
    let (consult_edits, consult_add) =
        crate::ui::consultations::forms(id, &v.consultations, me.lang);
    Ok(ShowPage {
        consult_edits,
        consult_add,
        basis: crate::ui::basis(state, v.activity.classification, v.activity.secret_item_id)
            .await?,
        files,
        agreements: state.store.agreements_of_activity(&me.ctx, id).await?,
        commitments: state.store.commitments_of_activity(&me.ctx, id).await?,
        can_follow_up: kieng_store::Store::may_record_activities(&me.ctx),
        candidacies: state.store.candidacies_to_record(&me.ctx).await?,
        mechanisms: state.store.mechanisms_of_activity(&me.ctx, id).await?,
        origin: state.store.activity_origin(id).await?,
        mechanism_choices: if kieng_store::Store::may_link_meeting(&me.ctx, &v.activity) {
            state
                .store
                .mechanism_tree()
                .await?
                .into_iter()
                .map(|n| {
                    let name = format!("{}{}", "— ".repeat(n.depth), n.m.name_vi);
                    (n.m.code, name)
                })
                .collect()
        } else {
            Vec::new()
        },
        accepted: kieng_domain::attachment::accepted(),
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/activities/{id}"),
            "nav.activities",
        )
        .with_title(v.activity.title.clone())
        .with_notice(notice)
        .with_marking([v.activity.classification]),
        can_ack: may_ack(me) && v.warnings.iter().any(|w| w.ack.is_none()),
        v,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let form = FormState::new(me.lang);
    Ok(render(
        &show_page(&state, &me, id, form, ok.ok.as_deref()).await?,
    ))
}

#[derive(Template)]
#[template(path = "activities/form.html")]
struct FormPage {
    page: PageCtx,
    form: FormState,
    action: String,
    editing: bool,
    types: Vec<activity_type::Model>,
    leads: Vec<AgencyRef>,
    pillars: Vec<Choice>,
    head_levels: Vec<Choice>,
    /// External-relations channels beyond the pillars.
    channels: Vec<Choice>,
    authorities: Vec<Choice>,
    countries: Vec<(String, String)>,
    /// Time zones by name; empty takes the country's.
    zones: &'static [&'static str],
    marking: crate::ui::Marking,
    conflict: bool,
}

async fn form_page(
    state: &AppState,
    me: &Me,
    form: FormState,
    action: String,
    editing: bool,
) -> WebResult<FormPage> {
    Ok(FormPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &action,
            if editing {
                "activity.edit"
            } else {
                "activity.new"
            },
        ),
        form,
        action,
        editing,
        types: state.store.activity_types().await?,
        leads: state.store.activity_lead_choices(&me.ctx).await?,
        pillars: choices(&Pillar::ALL, Pillar::as_str, Pillar::label, me.lang),
        head_levels: choices(HeadLevel::ALL, HeadLevel::as_str, HeadLevel::label, me.lang),
        channels: choices(
            kieng_domain::activity::Channel::ALL,
            kieng_domain::activity::Channel::as_str,
            kieng_domain::activity::Channel::label,
            me.lang,
        ),
        authorities: choices(Authority::ALL, Authority::as_str, Authority::label, me.lang),
        countries: state
            .store
            .countries()
            .await?
            .into_iter()
            .map(|c| (c.alpha2, c.name_vi))
            .collect(),
        zones: kieng_domain::zones::all(),
        marking: crate::ui::marking(state, me).await?,
        conflict: false,
    })
}

fn state_of(f: &ActivityForm, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("title", &f.title)
        .with("type_code", &f.type_code)
        .with("lead_agency", &f.lead_agency)
        .with("starts_at", &f.starts_at)
        .with("ends_at", &f.ends_at);
    for (k, v) in [
        ("pillar", &f.pillar),
        ("agencies", &f.agencies.as_ref().map(|l| l.text())),
        ("partners", &f.partners.as_ref().map(|l| l.text())),
        ("head_name", &f.head_name),
        ("head_level", &f.head_level),
        ("members", &f.members.as_ref().map(|l| l.text())),
        ("time_zone", &f.time_zone),
        ("country_code", &f.country_code),
        ("city", &f.city),
        ("purpose", &f.purpose),
        ("programme", &f.programme),
        ("inviting_party", &f.inviting_party),
        ("funding", &f.funding),
        ("authority", &f.authority),
        ("filed_on", &f.filed_on),
        ("channel", &f.channel),
        ("decision_number", &f.decision_number),
        ("decision_date", &f.decision_date),
        ("approver", &f.approver),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    s
}

/// The form's strings for a stored activity, times in its own zone.
fn form_of(v: &ActivityView) -> ActivityForm {
    let a = &v.activity;
    let tz: chrono_tz::Tz = a.time_zone.parse().unwrap_or(chrono_tz::Asia::Ho_Chi_Minh);
    let local = |d: chrono::DateTime<chrono::Utc>| {
        d.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
    };
    ActivityForm {
        title: a.title.clone(),
        type_code: a.type_code.clone(),
        pillar: Some(a.pillar.clone()),
        lead_agency: v.lead.as_ref().map(|l| l.code.clone()).unwrap_or_default(),
        agencies: Some(
            v.agencies
                .iter()
                .map(|a| a.code.clone())
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
        ),
        partners: Some(
            v.partners
                .iter()
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join("\n")
                .into(),
        ),
        head_name: a.head_name.clone(),
        head_level: a.head_level.clone(),
        members: Some(kieng_domain::text::Listed::Items(
            v.people
                .iter()
                .filter(|p| !p.head)
                .map(|p| kieng_domain::activity::Member {
                    name: p.name.clone(),
                    position: p.position.clone(),
                })
                .collect(),
        )),
        starts_at: local(a.starts_at),
        ends_at: local(a.ends_at),
        time_zone: Some(a.time_zone.clone()),
        country_code: a.country_code.clone(),
        city: a.city.clone(),
        purpose: a.purpose.clone(),
        programme: a.programme.clone(),
        inviting_party: a.inviting_party.clone(),
        funding: a.funding.clone(),
        authority: a.authority.clone(),
        filed_on: a.filed_on.map(|d| d.format("%d/%m/%Y").to_string()),
        channel: a.channel.clone(),
        decision_number: a.decision_number.clone(),
        decision_date: a.decision_date.map(|d| d.format("%d/%m/%Y").to_string()),
        approver: a.approver.clone(),
        classification: Some(crate::api::dto::class(a.classification)),
        secret_item: a.secret_item_id.map(|i| i.to_string()),
    }
}

pub async fn new_form(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let form = FormState::new(me.lang)
        .with("type_code", "talks")
        .with("lead_agency", own)
        .with("classification", "none");
    Ok(render(
        &form_page(&state, &me, form, "/activities".into(), false).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<ActivityForm>,
) -> WebResult<Response> {
    match state.store.activity_create(&me.ctx, &f).await {
        Ok(a) => Ok(see_other(&format!("/activities/{}", a.id), "created")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = state_of(&f, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(&state, &me, form, "/activities".into(), false).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.activity_get(&me.ctx, id).await?;
    if !v.can_edit {
        return Err(StoreError::forbidden().into());
    }
    let form = state_of(&form_of(&v), me.lang).with("version", v.activity.version);
    Ok(render(
        &form_page(&state, &me, form, format!("/activities/{id}"), true).await?,
    ))
}

#[derive(Deserialize)]
pub struct ActivityEdit {
    #[serde(flatten)]
    form: ActivityForm,
    #[serde(default)]
    version: String,
}

pub async fn update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(b): FormBody<ActivityEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let version: i32 = b.version.trim().parse().unwrap_or(-1);
    let res = state
        .store
        .activity_update(&me.ctx, id, version, &b.form)
        .await;
    // On a conflict the page says someone saved first and links to their version.
    let (status, form, current) = match saved(res, || state_of(&b.form, me.lang), version)? {
        Saved::Done(_) => return Ok(see_other(&format!("/activities/{id}"), "saved")),
        Saved::Again {
            status,
            form,
            current,
        } => (status, form, current),
    };
    let mut page = form_page(&state, &me, form, format!("/activities/{id}"), true).await?;
    page.conflict = current.is_some();
    Ok(render_status(status, &page))
}

/// Where a move made away from the activity's page returns to.
#[derive(Deserialize, Default)]
pub struct Back {
    /// "home": a leader's decision made on the home page.
    #[serde(default)]
    back: String,
}

pub async fn transition(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(back): QueryArgs<Back>,
    FormBody(f): FormBody<TransitionForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.activity_transition(&me.ctx, id, &f).await {
        Ok(a) if back.back == "home" => Ok(see_other("/", &a.status)),
        Ok(a) => Ok(see_other(&format!("/activities/{id}"), &a.status)),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("transition", &f.transition);
            form.set_opt("note", &f.note);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    note: String,
    /// "board" when sent from the coordination board, which it returns to.
    #[serde(default)]
    back: String,
}

/// Coordinators and leaders acknowledge warnings.
fn may_ack(me: &Me) -> bool {
    matches!(
        me.p.actor.role,
        kieng_domain::Role::Coordinator | kieng_domain::Role::Leader
    )
}

pub async fn acknowledge(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<AckForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state
        .store
        .activity_ack_warning(&me.ctx, id, &f.key, &f.note)
        .await
    {
        Ok(()) if f.back == "board" => Ok(see_other("/coordination", "acknowledged")),
        Ok(()) => Ok(see_other(&format!("/activities/{id}"), "acknowledged")),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang).with("ack_key", &f.key);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &show_page(&state, &me, id, form, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn history(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.activity_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::activities::ENTITY, id)
        .await?;
    Ok(render(&HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/activities/{id}/history"),
            "history.title",
        ),
        base: "/activities",
        id,
        name: v.activity.title.clone(),
        version: v.activity.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}

#[derive(Template)]
#[template(path = "activities/board.html")]
struct BoardPage {
    page: PageCtx,
    entries: Vec<BoardItem>,
    can_ack: bool,
}

pub async fn board(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(ok): QueryArgs<Notice>,
) -> WebResult<Response> {
    Ok(render(&BoardPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/coordination", "nav.coordination")
            .with_notice(ok.ok.as_deref()),
        entries: state.store.coordination_board(&me.ctx, 500).await?,
        can_ack: may_ack(&me),
    }))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    version: i32,
}

/// Move the activity to the trash (see `Store::activity_delete` for who and when).
pub async fn delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<DeleteForm>,
) -> WebResult<Response> {
    state
        .store
        .activity_delete(&me.ctx, ids.uuid(0)?, f.version)
        .await?;
    Ok(see_other("/activities", "activity_deleted"))
}

/// Take it out of the trash.
pub async fn restore(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.activity_restore(&me.ctx, id).await?;
    Ok(see_other(&format!("/activities/{id}"), "activity_restored"))
}
