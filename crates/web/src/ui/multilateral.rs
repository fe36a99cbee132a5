//! Multilateral diplomacy pages: the tree of mechanisms with Vietnam's
//! standing, a mechanism with the roles held and its candidacies, the roles
//! held across mechanisms, candidacies and the campaign board with every
//! country's latest word, pledges recorded from it.

use crate::AppState;
use crate::error::WebResult;
use crate::extract::{FormBody, Ids, QueryArgs};
use crate::middleware::Me;
use crate::ui::protection::label;
use crate::ui::{Choice, FormState, choices, render, render_status, see_other};
use crate::view::{PageCtx, Pager, query_string};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kieng_domain::multilateral::{
    CandidacyForm, Certainty, Electorate, Kind, MechanismForm, MeetingForm, OutcomeForm,
    OutcomeKind, PledgeForm, RoleForm, RoleKind, Standing, Status, Support,
};
use kieng_store::StoreError;
use kieng_store::multilateral::{
    CandidacyFilter, CandidacyRow, CandidacyView, MechanismEdit, MechanismNode, MechanismView,
    MoveForm, PledgeRow, RoleFilter, RoleRow,
};
use serde::Deserialize;
use uuid::Uuid;

/// A mechanism in the tree, in the reader's words.
pub struct NodeLine {
    pub n: MechanismNode,
    pub kind: String,
    pub standing: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "multilateral/index.html")]
struct IndexPage {
    page: PageCtx,
    nodes: Vec<NodeLine>,
    admin: bool,
}

pub async fn index(State(state): State<AppState>, me: Me) -> WebResult<Response> {
    let l = me.lang.code();
    let nodes = state
        .store
        .mechanism_tree()
        .await?
        .into_iter()
        .map(|n| NodeLine {
            kind: label(Kind::parse, Kind::label, &n.m.kind, l),
            standing: label(Standing::parse, Standing::label, &n.m.standing, l),
            since: n.since().map(|d| d.display()).unwrap_or_default(),
            n,
        })
        .collect();
    Ok(render(&IndexPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/multilateral", "nav.multilateral"),
        nodes,
        admin: me.p.actor.is_admin(),
    }))
}

/// A role in the reader's words.
pub struct RoleLine {
    pub r: RoleRow,
    pub kind: String,
    pub starts: String,
    pub ends: String,
    /// A hosted event's organising committee and programme (its mechanism's page).
    pub hosting: Option<kieng_store::multilateral::Hosting>,
}

fn role_line(r: RoleRow, l: &str) -> RoleLine {
    RoleLine {
        kind: label(RoleKind::parse, RoleKind::label, &r.r.kind, l),
        starts: r.starts(),
        ends: r.ends(),
        hosting: None,
        r,
    }
}

/// A candidacy in the reader's words.
pub struct CandidacyLine {
    pub r: CandidacyRow,
    pub status: String,
}

fn candidacy_line(r: CandidacyRow, l: &str) -> CandidacyLine {
    CandidacyLine {
        status: label(Status::parse, Status::label, &r.c.status, l),
        r,
    }
}

#[derive(Template)]
#[template(path = "multilateral/mechanism.html")]
struct MechanismPage {
    page: PageCtx,
    v: MechanismView,
    kind: String,
    standing: String,
    since: String,
    roles: Vec<RoleLine>,
    candidacies: Vec<CandidacyLine>,
    admin: bool,
    may_record_roles: bool,
    role_kinds: Vec<Choice>,
    /// Plans a hosting role's programme may be (id, title).
    plans: Vec<(Uuid, String)>,
    form: FormState,
    /// The form recording an outcome.
    outcome_form: FormState,
    outcome_kinds: Vec<Choice>,
    /// Agencies an outcome may be recorded for: those the reader writes for.
    owners: Vec<kieng_store::agencies::AgencyRef>,
    may_record_outcomes: bool,
    chronicle: Vec<ChronicleRow>,
    marking: crate::ui::Marking,
}

/// A line of a mechanism's chronicle, in the reader's words.
pub struct ChronicleRow {
    pub day: String,
    pub kind: String,
    pub tag: &'static str,
    pub title: String,
    pub href: String,
}

impl MechanismPage {
    /// The source's parts, each a link when it is an address.
    pub fn sources(&self) -> Vec<(String, bool)> {
        sources(&self.v.m.source)
    }
}

/// A source text split into its parts ("; "), each marked when it is a web address.
pub fn sources(s: &str) -> Vec<(String, bool)> {
    s.split("; ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            (
                p.to_string(),
                p.starts_with("https://") || p.starts_with("http://"),
            )
        })
        .collect()
}

async fn mechanism_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
    outcome_form: FormState,
) -> WebResult<MechanismPage> {
    let v = state.store.mechanism_get(&me.ctx, id).await?;
    let l = me.lang.code();
    let chronicle = v
        .work
        .chronicle()
        .into_iter()
        .map(|c| {
            let (kind, tag) = match c.kind.as_str() {
                "meeting" => (
                    crate::i18n::t(me.lang, "mechanism.meeting").to_string(),
                    "tone-info",
                ),
                "commitment" => (
                    crate::i18n::t(me.lang, "commitment.one").to_string(),
                    "tone-warn",
                ),
                k => (
                    label(OutcomeKind::parse, OutcomeKind::label, k, l),
                    "tone-ok",
                ),
            };
            ChronicleRow {
                day: c.day.format("%d/%m/%Y").to_string(),
                kind,
                tag,
                title: c.title,
                href: c.href,
            }
        })
        .collect();
    let may_record_roles =
        me.p.actor.is_admin() || me.p.actor.role == kieng_domain::Role::Coordinator;
    // A hosted event's programme is chosen among the newest plans the reader sees.
    let plans = if may_record_roles {
        state
            .store
            .plan_list(&me.ctx, &kieng_store::plans::PlanFilter::default())
            .await?
            .items
            .into_iter()
            .map(|p| (p.plan.id, p.plan.title))
            .collect()
    } else {
        Vec::new()
    };
    let owners = if me.p.actor.role == kieng_domain::Role::Viewer {
        Vec::new()
    } else {
        state.store.activity_lead_choices(&me.ctx).await?
    };
    let roles = v
        .roles
        .iter()
        .cloned()
        .map(|r| {
            let hosting = v.hosting.get(&r.id).cloned();
            RoleLine {
                hosting,
                ..role_line(
                    RoleRow {
                        r,
                        mechanism_code: v.m.code.clone(),
                        mechanism_name: v.m.name_vi.clone(),
                    },
                    l,
                )
            }
        })
        .collect();
    let candidacies = v
        .candidacies
        .iter()
        .cloned()
        .map(|r| candidacy_line(r, l))
        .collect();
    let actor = &me.p.actor;
    Ok(MechanismPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/multilateral/mechanisms/{id}"),
            "nav.multilateral",
        )
        .with_marking(
            v.candidacies
                .iter()
                .map(|c| c.c.classification)
                .chain(v.work.outcomes.iter().map(|o| o.o.classification)),
        ),
        outcome_form,
        outcome_kinds: choices(
            OutcomeKind::ALL,
            OutcomeKind::as_str,
            OutcomeKind::label,
            me.lang,
        ),
        may_record_outcomes: !owners.is_empty(),
        owners,
        chronicle,
        marking: crate::ui::marking(state, me).await?,
        kind: label(Kind::parse, Kind::label, &v.m.kind, l),
        standing: label(Standing::parse, Standing::label, &v.m.standing, l),
        since: v.since().map(|d| d.display()).unwrap_or_default(),
        roles,
        candidacies,
        admin: actor.is_admin(),
        may_record_roles,
        plans,
        role_kinds: choices(RoleKind::ALL, RoleKind::as_str, RoleKind::label, me.lang),
        form,
        v,
    })
}

pub async fn mechanism(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let form = FormState::new(me.lang).with("kind", "host");
    Ok(render(
        &mechanism_page(&state, &me, id, form, outcome_form(&me)).await?,
    ))
}

/// An empty outcome form: a document adopted, for the reader's agency.
fn outcome_form(me: &Me) -> FormState {
    FormState::new(me.lang)
        .with("kind", "document")
        .with("owner_agency", me.p.actor.agency_id)
}

/// A role held has no page of its own: it is a line of its mechanism's
/// (search links here).
pub async fn role_show(State(state): State<AppState>, _me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let r = state.store.role_get(id).await?;
    Ok(axum::response::Redirect::to(&format!(
        "/multilateral/mechanisms/{}#role-{id}",
        r.mechanism_id
    ))
    .into_response())
}

pub async fn outcome_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<OutcomeForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.outcome_create(&me.ctx, id, &f).await {
        Ok(o) => Ok(see_other(
            &format!("/multilateral/mechanisms/{id}#outcome-{}", o.id),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("kind", &f.kind)
                .with("title", &f.title)
                .with("adopted_on", &f.adopted_on);
            for (k, v) in [
                ("activity", &f.activity),
                ("owner_agency", &f.owner_agency),
                ("note", &f.note),
                ("classification", &f.classification),
                ("secret_item", &f.secret_item),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            let roles = FormState::new(me.lang).with("kind", "host");
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &mechanism_page(&state, &me, id, roles, form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn outcome_delete(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let mechanism = state.store.outcome_mechanism(&me.ctx, id).await?;
    state.store.outcome_delete(&me.ctx, id).await?;
    Ok(see_other(
        &format!("/multilateral/mechanisms/{mechanism}#chronicle"),
        "deleted",
    ))
}

/// Record the activity as a meeting of the mechanism chosen on its page.
pub async fn meeting_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MeetingForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state
        .store
        .meeting_link(&me.ctx, &f.mechanism, id, true)
        .await?;
    Ok(see_other(&format!("/activities/{id}#mechanisms"), "saved"))
}

pub async fn meeting_remove(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let mechanism = ids.uuid(1)?;
    state
        .store
        .meeting_link(&me.ctx, &mechanism.to_string(), id, false)
        .await?;
    Ok(see_other(&format!("/activities/{id}#mechanisms"), "saved"))
}

pub async fn role_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<RoleForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.role_create(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/multilateral/mechanisms/{id}#roles"),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("kind", &f.kind)
                .with("title_vi", &f.title_vi)
                .with("starts", &f.starts)
                .with("source", &f.source);
            for (k, v) in [
                ("title_en", &f.title_en),
                ("ends", &f.ends),
                ("holder", &f.holder),
                ("agency", &f.agency),
                ("plan", &f.plan),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &mechanism_page(&state, &me, id, form, outcome_form(&me)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn role_delete(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let mechanism = ids.uuid(0)?;
    let id = ids.uuid(1)?;
    state.store.role_delete(&me.ctx, id).await?;
    Ok(see_other(
        &format!("/multilateral/mechanisms/{mechanism}#roles"),
        "deleted",
    ))
}

#[derive(Template)]
#[template(path = "multilateral/mechanism_form.html")]
struct MechanismFormPage {
    page: PageCtx,
    id: Option<Uuid>,
    form: FormState,
    kinds: Vec<Choice>,
    standings: Vec<Choice>,
}

fn mechanism_form_page(me: &Me, id: Option<Uuid>, form: FormState) -> MechanismFormPage {
    let path = match id {
        Some(id) => format!("/multilateral/mechanisms/{id}/edit"),
        None => "/multilateral/mechanisms/new".into(),
    };
    MechanismFormPage {
        page: PageCtx::new(me.lang, Some(&me.p), &path, "mechanism.edit"),
        id,
        form,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::label, me.lang),
        standings: choices(Standing::ALL, Standing::as_str, Standing::label, me.lang),
    }
}

fn mechanism_state(f: &MechanismForm, version: Option<i32>, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("code", &f.code)
        .with("kind", &f.kind)
        .with("name_vi", &f.name_vi)
        .with("standing", &f.standing);
    for (k, v) in [
        ("parent", &f.parent),
        ("name_en", &f.name_en),
        ("abbreviation", &f.abbreviation),
        ("since", &f.since),
        ("source", &f.source),
        ("partner", &f.partner),
        ("note", &f.note),
    ] {
        s.set_opt(k, v);
    }
    if let Some(v) = version {
        s = s.with("version", v);
    }
    s
}

pub async fn mechanism_new(me: Me) -> WebResult<Response> {
    let form = FormState::new(me.lang)
        .with("kind", "organisation")
        .with("standing", "member");
    Ok(render(&mechanism_form_page(&me, None, form)))
}

pub async fn mechanism_create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<MechanismForm>,
) -> WebResult<Response> {
    match state.store.mechanism_create(&me.ctx, &f).await {
        Ok(m) => Ok(see_other(
            &format!("/multilateral/mechanisms/{}", m.id),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = mechanism_state(&f, None, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &mechanism_form_page(&me, None, form),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn mechanism_edit(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.mechanism_get(&me.ctx, id).await?;
    let m = &v.m;
    let mut form = FormState::new(me.lang)
        .with("code", &m.code)
        .with("kind", &m.kind)
        .with("name_vi", &m.name_vi)
        .with("name_en", &m.name_en)
        .with("abbreviation", &m.abbreviation)
        .with("standing", &m.standing)
        .with("source", &m.source)
        .with("since", v.since().map(|d| d.display()).unwrap_or_default())
        .with("version", m.version);
    if let Some(p) = &v.parent {
        form = form.with("parent", &p.code);
    }
    if let Some(p) = &v.partner_name {
        form = form.with("partner", p);
    }
    form.set_opt("note", &m.note);
    Ok(render(&mechanism_form_page(&me, Some(id), form)))
}

pub async fn mechanism_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MechanismEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.mechanism_update(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/multilateral/mechanisms/{id}"),
            "saved",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = mechanism_state(&f.form, f.version, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &mechanism_form_page(&me, Some(id), form),
            ))
        }
        Err(StoreError::Conflict {
            current_version, ..
        }) => {
            let mut form = mechanism_state(&f.form, Some(current_version), me.lang);
            form.errors = kieng_domain::FieldErrors::single(
                "version",
                kieng_domain::Msg::new(
                    "Bản ghi vừa được người khác sửa; nội dung bạn nhập vẫn còn, hãy xem lại rồi lưu.",
                    "Someone else changed this record; what you typed is kept: check it and save again.",
                ),
            );
            Ok(render_status(
                StatusCode::CONFLICT,
                &mechanism_form_page(&me, Some(id), form),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "multilateral/roles.html")]
struct RolesPage {
    page: PageCtx,
    rows: Vec<RoleLine>,
    pager: Pager,
    /// The filter as a query string for the export links ("" or "?kind=…").
    export_query: String,
    filter: FormState,
    kinds: Vec<Choice>,
}

pub async fn roles(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<RoleFilter>,
) -> WebResult<Response> {
    let res = state.store.role_list(&f).await?;
    let base = query_string(&[
        ("kind", f.kind.as_deref()),
        ("mechanism", f.mechanism.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("kind", &f.kind);
    filter.set_opt("mechanism", &f.mechanism);
    let l = me.lang.code();
    Ok(render(&RolesPage {
        page: PageCtx::new(me.lang, Some(&me.p), "/multilateral/roles", "role.title"),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        export_query: export_query(&base),
        rows: res.items.into_iter().map(|r| role_line(r, l)).collect(),
        filter,
        kinds: choices(RoleKind::ALL, RoleKind::as_str, RoleKind::label, me.lang),
    }))
}

/// A list's filter as the query string of its export links.
fn export_query(base: &str) -> String {
    if base.is_empty() {
        String::new()
    } else {
        format!("?{base}")
    }
}

/// The roles list as filtered, as a spreadsheet.
async fn roles_export(
    state: &AppState,
    me: &Me,
    f: &RoleFilter,
    xlsx: bool,
) -> WebResult<Response> {
    let l = me.lang.code();
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let headings = vec![
        t("role.what"),
        t("role.kind"),
        t("mechanism.code"),
        t("nav.multilateral"),
        t("role.starts"),
        t("role.ends"),
        t("role.holder"),
        t("mechanism.source"),
    ];
    let rows: Vec<Vec<String>> = state
        .store
        .role_export_rows(f)
        .await?
        .into_iter()
        .map(|r| {
            let line = role_line(r, l);
            vec![
                line.r.r.title_vi.clone(),
                line.kind,
                line.r.mechanism_code.clone(),
                line.r.mechanism_name.clone(),
                line.starts,
                line.ends,
                line.r.r.holder.clone().unwrap_or_default(),
                line.r.r.source.clone(),
            ]
        })
        .collect();
    crate::export::list_download(
        "roles",
        &t("role.title"),
        &headings,
        &rows,
        &[(0, 50.0), (3, 30.0), (7, 50.0)],
        xlsx,
    )
}

pub async fn roles_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<RoleFilter>,
) -> WebResult<Response> {
    roles_export(&state, &me, &f, true).await
}

pub async fn roles_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<RoleFilter>,
) -> WebResult<Response> {
    roles_export(&state, &me, &f, false).await
}

/// The candidacies list as filtered, as a spreadsheet.
async fn candidacies_export(
    state: &AppState,
    me: &Me,
    f: &CandidacyFilter,
    xlsx: bool,
) -> WebResult<Response> {
    let l = me.lang.code();
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let headings = vec![
        t("candidacy.post"),
        t("candidacy.term"),
        t("mechanism.code"),
        t("nav.multilateral"),
        t("candidacy.election_on"),
        t("candidacy.votes_needed"),
        t("candidacy.status"),
        t("candidacy.agency"),
        t("candidacy.competitors"),
        t("field.classification"),
    ];
    let rows: Vec<Vec<String>> = state
        .store
        .candidacy_export_rows(&me.ctx, f)
        .await?
        .into_iter()
        .map(|r| {
            let line = candidacy_line(r, l);
            let c = &line.r.c;
            vec![
                c.post.clone(),
                c.term.clone().unwrap_or_default(),
                line.r.mechanism_code.clone(),
                line.r.mechanism_name.clone(),
                c.election_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                c.votes_needed.to_string(),
                line.status.clone(),
                line.r.agency_name.clone(),
                line.r.competitors.join("; "),
                kieng_store::audit::from_rank(c.classification)
                    .label()
                    .get(l)
                    .to_string(),
            ]
        })
        .collect();
    crate::export::list_download(
        "candidacies",
        &t("candidacy.title"),
        &headings,
        &rows,
        &[(0, 50.0), (3, 30.0), (7, 30.0)],
        xlsx,
    )
}

pub async fn candidacies_xlsx(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CandidacyFilter>,
) -> WebResult<Response> {
    candidacies_export(&state, &me, &f, true).await
}

pub async fn candidacies_csv(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CandidacyFilter>,
) -> WebResult<Response> {
    candidacies_export(&state, &me, &f, false).await
}

/// A campaign board's countries — each one's latest word, region, channel
/// and competitors — as a spreadsheet, within the reader's clearance.
async fn board_export(state: &AppState, me: &Me, id: Uuid, xlsx: bool) -> WebResult<Response> {
    let l = me.lang.code();
    let t = |k: &str| crate::i18n::t(me.lang, k).to_string();
    let v = state.store.candidacy_get(&me.ctx, id).await?;
    let regions: std::collections::HashMap<&str, &str> = v
        .regions
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let headings = vec![
        t("pledge.country"),
        t("candidacy.region"),
        t("pledge.support"),
        t("pledge.given_on"),
        t("pledge.channel"),
        t("candidacy.also_to"),
    ];
    let rows: Vec<Vec<String>> = v
        .countries
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                regions
                    .get(c.region.as_str())
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                c.support
                    .map(|s| s.label().get(l).to_string())
                    .unwrap_or_default(),
                c.given_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                c.channel.clone().unwrap_or_default(),
                c.also_to.join("; "),
            ]
        })
        .collect();
    crate::export::list_download(
        "campaign-board",
        &t("candidacy.countries"),
        &headings,
        &rows,
        &[(0, 30.0), (1, 20.0), (4, 40.0)],
        xlsx,
    )
}

pub async fn board_xlsx(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    board_export(&state, &me, ids.uuid(0)?, true).await
}

pub async fn board_csv(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    board_export(&state, &me, ids.uuid(0)?, false).await
}

#[derive(Template)]
#[template(path = "multilateral/candidacies.html")]
struct CandidaciesPage {
    page: PageCtx,
    rows: Vec<CandidacyLine>,
    pager: Pager,
    /// The filter as a query string for the export links.
    export_query: String,
    filter: FormState,
    statuses: Vec<Choice>,
}

pub async fn candidacies(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<CandidacyFilter>,
) -> WebResult<Response> {
    let res = state.store.candidacy_list(&me.ctx, &f).await?;
    let base = query_string(&[
        ("q", f.q.as_deref()),
        ("status", f.status.as_deref()),
        ("mechanism", f.mechanism.as_deref()),
    ]);
    let mut filter = FormState::new(me.lang);
    filter.set_opt("q", &f.q);
    filter.set_opt("status", &f.status);
    filter.set_opt("mechanism", &f.mechanism);
    let l = me.lang.code();
    Ok(render(&CandidaciesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            "/multilateral/candidacies",
            "candidacy.title",
        )
        .with_marking(res.items.iter().map(|r| r.c.classification)),
        pager: Pager::new(res.page, res.pages(), res.total, &base),
        export_query: export_query(&base),
        rows: res
            .items
            .into_iter()
            .map(|r| candidacy_line(r, l))
            .collect(),
        filter,
        statuses: choices(Status::ALL, Status::as_str, Status::label, me.lang),
    }))
}

#[derive(Template)]
#[template(path = "multilateral/candidacy_form.html")]
struct CandidacyFormPage {
    page: PageCtx,
    id: Option<Uuid>,
    form: FormState,
    electorates: Vec<Choice>,
    agencies: Vec<kieng_store::agencies::AgencyRef>,
    marking: crate::ui::Marking,
}

async fn candidacy_form_page(
    state: &AppState,
    me: &Me,
    id: Option<Uuid>,
    form: FormState,
) -> WebResult<CandidacyFormPage> {
    let path = match id {
        Some(id) => format!("/multilateral/candidacies/{id}/edit"),
        None => "/multilateral/candidacies/new".into(),
    };
    Ok(CandidacyFormPage {
        page: PageCtx::new(me.lang, Some(&me.p), &path, "candidacy.new"),
        id,
        form,
        electorates: choices(
            Electorate::ALL,
            Electorate::as_str,
            Electorate::label,
            me.lang,
        ),
        agencies: state.store.agency_choices(&me.ctx).await?,
        marking: crate::ui::marking(state, me).await?,
    })
}

fn candidacy_state(f: &CandidacyForm, version: Option<i32>, lang: crate::i18n::Lang) -> FormState {
    let mut s = FormState::new(lang)
        .with("mechanism", &f.mechanism)
        .with("post", &f.post)
        .with("electorate", &f.electorate)
        .with("owner_agency", &f.owner_agency);
    for (k, v) in [
        ("term", &f.term),
        ("election_on", &f.election_on),
        ("method", &f.method),
        ("electorate_size", &f.electorate_size),
        ("votes_needed", &f.votes_needed),
        ("note", &f.note),
        ("classification", &f.classification),
        ("secret_item", &f.secret_item),
    ] {
        s.set_opt(k, v);
    }
    let competitors = kieng_domain::text::listed(f.competitors.as_ref(), &['\n', ';']).join("\n");
    s = s.with("competitors", competitors);
    if let Some(v) = version {
        s = s.with("version", v);
    }
    s
}

#[derive(Deserialize)]
pub struct NewArgs {
    pub mechanism: Option<String>,
}

pub async fn candidacy_new(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(a): QueryArgs<NewArgs>,
) -> WebResult<Response> {
    let own = state
        .store
        .agency_get_quiet_code(me.p.actor.agency_id)
        .await?;
    let mut form = FormState::new(me.lang)
        .with("electorate", "un")
        .with("votes_needed", "97")
        .with("owner_agency", own);
    form.set_opt("mechanism", &a.mechanism);
    Ok(render(&candidacy_form_page(&state, &me, None, form).await?))
}

pub async fn candidacy_create(
    State(state): State<AppState>,
    me: Me,
    FormBody(f): FormBody<CandidacyForm>,
) -> WebResult<Response> {
    match state.store.candidacy_create(&me.ctx, &f).await {
        Ok(c) => Ok(see_other(
            &format!("/multilateral/candidacies/{}", c.id),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = candidacy_state(&f, None, me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &candidacy_form_page(&state, &me, None, form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// A candidacy edit: the form and the version it was read at.
#[derive(Deserialize)]
pub struct CandidacyEdit {
    #[serde(flatten)]
    pub form: CandidacyForm,
    #[serde(default)]
    pub version: i32,
}

pub async fn candidacy_edit(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.candidacy_get(&me.ctx, id).await?;
    if !v.can_write {
        return Err(StoreError::forbidden().into());
    }
    let c = &v.row.c;
    let code = state.store.agency_get_quiet_code(c.owner_agency_id).await?;
    let mut form = FormState::new(me.lang)
        .with("mechanism", &v.row.mechanism_code)
        .with("post", &c.post)
        .with("electorate", &c.electorate)
        .with("electorate_size", c.electorate_size)
        .with("votes_needed", c.votes_needed)
        .with("competitors", v.row.competitors.join("\n"))
        .with("owner_agency", code)
        .with(
            "classification",
            kieng_store::audit::from_rank(c.classification).as_str(),
        )
        .with("version", c.version);
    if let Some(d) = c.election_on {
        form = form.with("election_on", d.format("%d/%m/%Y"));
    }
    form.set_opt("term", &c.term);
    form.set_opt("method", &c.method);
    form.set_opt("note", &c.note);
    if let Some(s) = c.secret_item_id {
        form = form.with("secret_item", s);
    }
    Ok(render(
        &candidacy_form_page(&state, &me, Some(id), form).await?,
    ))
}

pub async fn candidacy_update(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<CandidacyEdit>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state
        .store
        .candidacy_update(&me.ctx, id, f.version, &f.form)
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/multilateral/candidacies/{id}"),
            "saved",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = candidacy_state(&f.form, Some(f.version), me.lang);
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &candidacy_form_page(&state, &me, Some(id), form).await?,
            ))
        }
        Err(StoreError::Conflict {
            current_version, ..
        }) => {
            let mut form = candidacy_state(&f.form, Some(current_version), me.lang);
            form.errors = kieng_domain::FieldErrors::single(
                "version",
                kieng_domain::Msg::new(
                    "Hồ sơ vừa được người khác sửa; nội dung bạn nhập vẫn còn, hãy xem lại rồi lưu.",
                    "Someone else changed this record; what you typed is kept: check it and save again.",
                ),
            );
            Ok(render_status(
                StatusCode::CONFLICT,
                &candidacy_form_page(&state, &me, Some(id), form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// A certainty's column on the board.
pub struct CertaintyHead {
    pub code: &'static str,
    pub label: String,
    pub tone: &'static str,
    pub n: u64,
}

/// A country's line in the reader's words.
pub struct CountryView {
    pub code: String,
    pub name: String,
    pub region: String,
    pub support: String,
    pub tone: &'static str,
    pub given_on: String,
    pub channel: String,
    pub also_to: String,
}

/// A region's line in the reader's words.
pub struct RegionView {
    pub name: String,
    pub voters: u64,
    pub counts: Vec<u64>,
}

#[derive(Template)]
#[template(path = "multilateral/candidacy.html")]
struct CandidacyPage {
    page: PageCtx,
    v: CandidacyView,
    status: String,
    heads: Vec<CertaintyHead>,
    regions: Vec<RegionView>,
    countries: Vec<CountryView>,
    to_ask: Vec<String>,
    moves: Vec<Choice>,
    supports: Vec<Choice>,
    form: FormState,
    marking: crate::ui::Marking,
    /// The bar's widths in percent: firm, likely, and the needed mark.
    bar: (u64, u64, u64),
    /// The activity the pledge form was started from, if the reader may see it.
    from_activity: Option<(Uuid, String)>,
}

async fn candidacy_page(
    state: &AppState,
    me: &Me,
    id: Uuid,
    form: FormState,
) -> WebResult<CandidacyPage> {
    let v = state.store.candidacy_get(&me.ctx, id).await?;
    let l = me.lang.code();
    let heads = Certainty::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| CertaintyHead {
            code: c.as_str(),
            label: c.label().get(l).to_string(),
            tone: c.tone(),
            n: v.board.by_certainty.get(i).copied().unwrap_or(0),
        })
        .collect();
    let region_name = |code: &str| {
        v.regions
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let regions = v
        .board
        .by_region
        .iter()
        .map(|r| RegionView {
            name: region_name(&r.region),
            voters: r.voters,
            counts: r.by_certainty.clone(),
        })
        .collect();
    let names: std::collections::HashMap<&str, &str> = v
        .countries
        .iter()
        .map(|c| (c.code.as_str(), c.name.as_str()))
        .collect();
    let to_ask = v
        .board
        .to_ask
        .iter()
        .map(|c| {
            names
                .get(c.as_str())
                .map(|n| n.to_string())
                .unwrap_or_else(|| c.clone())
        })
        .collect();
    let countries = v
        .countries
        .iter()
        .map(|c| CountryView {
            code: c.code.clone(),
            name: c.name.clone(),
            region: region_name(&c.region),
            support: c
                .support
                .map(|s| s.label().get(l).to_string())
                .unwrap_or_default(),
            tone: c
                .support
                .map(|s| s.certainty().tone())
                .unwrap_or(Certainty::Unasked.tone()),
            given_on: c
                .given_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            channel: c.channel.clone().unwrap_or_default(),
            also_to: c.also_to.join(", "),
        })
        .collect();
    let from_activity = match form.v("activity").parse::<Uuid>() {
        Ok(a) => state
            .store
            .activity_get(&me.ctx, a)
            .await
            .ok()
            .map(|x| (a, x.activity.title)),
        Err(_) => None,
    };
    let voters = v.board.voters.max(1);
    let likely = v.board.pledged - v.board.firm;
    let bar = (
        v.board.firm * 100 / voters,
        likely * 100 / voters,
        (v.board.votes_needed * 100 / voters).min(100),
    );
    Ok(CandidacyPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/multilateral/candidacies/{id}"),
            "candidacy.title",
        )
        .with_marking([v.row.c.classification]),
        status: label(Status::parse, Status::label, &v.row.c.status, l),
        heads,
        regions,
        countries,
        to_ask,
        moves: v
            .moves
            .iter()
            .map(|s| Choice {
                value: s.as_str(),
                label: s.label().get(l).to_string(),
            })
            .collect(),
        supports: choices(Support::ALL, Support::as_str, Support::label, me.lang),
        form,
        marking: crate::ui::marking(state, me).await?,
        bar,
        from_activity,
        v,
    })
}

/// A pledge form started from an activity: its id and the country.
#[derive(Deserialize, Default)]
pub struct PledgeFrom {
    pub activity: Option<Uuid>,
    pub country: Option<String>,
}

pub async fn candidacy(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(from): QueryArgs<PledgeFrom>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let mut form = FormState::new(me.lang)
        .with("support", "written")
        .with("given_on", kieng_store::today().format("%d/%m/%Y"));
    if let Some(a) = from.activity {
        form = form.with("activity", a);
    }
    if let Some(c) = from
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        form = form.with("country", c.chars().take(300).collect::<String>());
    }
    Ok(render(&candidacy_page(&state, &me, id, form).await?))
}

pub async fn candidacy_move(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<MoveForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    state.store.candidacy_move(&me.ctx, id, &f).await?;
    Ok(see_other(
        &format!("/multilateral/candidacies/{id}"),
        "saved",
    ))
}

pub async fn pledge_add(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    FormBody(f): FormBody<PledgeForm>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    match state.store.pledge_add(&me.ctx, id, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/multilateral/candidacies/{id}#board"),
            "created",
        )),
        Err(StoreError::Invalid(errors)) => {
            let mut form = FormState::new(me.lang)
                .with("country", &f.country)
                .with("support", &f.support)
                .with("given_on", &f.given_on);
            for (k, v) in [
                ("channel", &f.channel),
                ("activity", &f.activity),
                ("competitor", &f.competitor),
                ("reciprocal", &f.reciprocal),
                ("reciprocal_due", &f.reciprocal_due),
                ("note", &f.note),
                ("classification", &f.classification),
                ("secret_item", &f.secret_item),
            ] {
                form.set_opt(k, v);
            }
            form.errors = errors;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &candidacy_page(&state, &me, id, form).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PledgeArgs {
    pub country: Option<String>,
}

/// A pledge in the reader's words.
pub struct PledgeLine {
    pub r: PledgeRow,
    pub support: String,
    pub tone: &'static str,
}

#[derive(Template)]
#[template(path = "multilateral/pledges.html")]
struct PledgesPage {
    page: PageCtx,
    id: Uuid,
    post: String,
    country: Option<String>,
    rows: Vec<PledgeLine>,
    can_write: bool,
}

pub async fn pledges(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
    QueryArgs(a): QueryArgs<PledgeArgs>,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.candidacy_get(&me.ctx, id).await?;
    let rows = state
        .store
        .pledge_list(&me.ctx, id, a.country.as_deref())
        .await?;
    let l = me.lang.code();
    Ok(render(&PledgesPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/multilateral/candidacies/{id}/pledges"),
            "pledge.history",
        )
        .with_marking(rows.iter().map(|r| r.p.classification)),
        id,
        post: v.row.c.post.clone(),
        country: a.country,
        can_write: v.can_write,
        rows: rows
            .into_iter()
            .map(|r| PledgeLine {
                support: label(Support::parse, Support::label, &r.p.support, l),
                tone: r.support().map(|s| s.certainty().tone()).unwrap_or("muted"),
                r,
            })
            .collect(),
    }))
}

pub async fn pledge_delete(State(state): State<AppState>, me: Me, ids: Ids) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let pledge = ids.uuid(1)?;
    state.store.pledge_delete(&me.ctx, id, pledge).await?;
    Ok(see_other(
        &format!("/multilateral/candidacies/{id}/pledges"),
        "deleted",
    ))
}

pub async fn candidacy_history(
    State(state): State<AppState>,
    me: Me,
    ids: Ids,
) -> WebResult<Response> {
    let id = ids.uuid(0)?;
    let v = state.store.candidacy_get(&me.ctx, id).await?;
    let entries = state
        .store
        .record_history(&me.ctx, kieng_store::multilateral::CANDIDACY_ENTITY, id)
        .await?;
    Ok(render(&crate::ui::pieces::HistoryPage {
        page: PageCtx::new(
            me.lang,
            Some(&me.p),
            &format!("/multilateral/candidacies/{id}/history"),
            "history.title",
        ),
        base: "/multilateral/candidacies",
        id,
        name: v.row.c.post.clone(),
        version: v.row.c.version,
        entries: crate::ui::pieces::readable(&state, &me, entries).await?,
        can_manage: false,
    }))
}
