//! Multilateral diplomacy: the mechanisms Vietnam belongs to (a tree, each
//! membership date with its source), the roles it has held, and candidacies
//! with every country's pledge — the campaign's workflow and the board's rule.

use crate::days::{optional_date, required_date};
use crate::error::msgs;
use crate::partner::PartialDate;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

code_enum!(
    /// What a mechanism is.
    Kind {
        Organisation = "organisation", "Tổ chức quốc tế", "International organisation";
        Organ = "organ", "Cơ quan chính", "Principal organ";
        Body = "body", "Cơ quan, ủy ban", "Body or committee";
        FundProgramme = "fund_programme", "Quỹ, chương trình", "Fund or programme";
        SpecialisedAgency = "specialised_agency", "Tổ chức chuyên môn", "Specialised agency";
        Forum = "forum", "Diễn đàn, cơ chế hợp tác", "Forum";
        Grouping = "grouping", "Nhóm, phong trào", "Grouping or movement";
        Parliamentary = "parliamentary", "Tổ chức liên nghị viện", "Inter-parliamentary organisation";
        PartyForum = "party_forum", "Diễn đàn các chính đảng", "Forum of political parties";
    }
);

code_enum!(
    /// Vietnam's standing in a mechanism.
    Standing {
        Member = "member", "Thành viên", "Member";
        FoundingMember = "founding_member", "Thành viên sáng lập", "Founding member";
        MemberByElection = "member_by_election", "Thành viên theo nhiệm kỳ bầu", "Member when elected";
        Observer = "observer", "Quan sát viên", "Observer";
        PartnerCountry = "partner_country", "Nước đối tác", "Partner country";
        Participant = "participant", "Bên tham gia", "Participant";
        ProgrammeCountry = "programme_country", "Nước có chương trình hợp tác", "Programme country";
        NationalMember = "national_member", "Có công dân là thành viên", "A national sits on it";
        NotMember = "none", "Chưa tham gia", "Not a member";
    }
);

code_enum!(
    /// A role Vietnam (or a Vietnamese national) holds in a mechanism.
    RoleKind {
        Chair = "chair", "Chủ tịch", "Chair";
        Host = "host", "Nước chủ nhà", "Host";
        CouncilSeat = "council_seat", "Thành viên hội đồng, ban chấp hành", "Council or board seat";
        CommitteeChair = "committee_chair", "Chủ tịch ủy ban", "Committee chair";
        SecretariatPost = "secretariat_post", "Chức vụ tại ban thư ký", "Secretariat post";
        JudicialPost = "judicial_post", "Thành viên cơ quan tài phán, luật pháp", "Judicial or legal post";
    }
);

code_enum!(
    /// Where a candidacy stands.
    Status {
        Considered = "considered", "Đang cân nhắc", "Under consideration";
        Decided = "decided", "Đã quyết định ứng cử", "Decided";
        Announced = "announced", "Đã thông báo", "Announced";
        Campaigning = "campaigning", "Đang vận động", "Campaigning";
        Elected = "elected", "Trúng cử", "Elected";
        NotElected = "not_elected", "Không trúng cử", "Not elected";
        Withdrawn = "withdrawn", "Rút ứng cử", "Withdrawn";
    }
);

impl Status {
    /// The campaign is over: nothing moves it again.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Elected | Self::NotElected | Self::Withdrawn)
    }

    /// Position in the open chain, considered → campaigning.
    fn step(self) -> Option<u8> {
        match self {
            Self::Considered => Some(0),
            Self::Decided => Some(1),
            Self::Announced => Some(2),
            Self::Campaigning => Some(3),
            _ => None,
        }
    }

    /// The rule of the workflow: forward along considered → decided →
    /// announced → campaigning (steps may be skipped); the result only once
    /// announced; withdrawn from any open status; a final status never moves.
    pub fn may_move(self, to: Self) -> bool {
        if self.is_final() || self == to {
            return false;
        }
        match (self.step(), to) {
            (_, Self::Withdrawn) => true,
            (Some(s), Self::Elected | Self::NotElected) => s >= 2,
            (Some(s), t) => t.step().is_some_and(|t| t > s),
            (None, _) => false,
        }
    }

    /// The moves open from here, in order.
    pub fn moves(self) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|t| self.may_move(*t))
            .collect()
    }
}

code_enum!(
    /// Who votes.
    Electorate {
        Un = "un", "Các nước thành viên Liên hợp quốc", "The member states of the United Nations";
        Other = "other", "Thành viên của cơ chế (ghi số lượng)", "The mechanism's members (give their number)";
    }
);

code_enum!(
    /// The support a country gave.
    Support {
        Written = "written", "Cam kết bằng văn bản", "Written";
        Reciprocal = "reciprocal", "Ủng hộ có đi có lại", "Reciprocal";
        Oral = "oral", "Cam kết miệng", "Oral";
        Conditional = "conditional", "Có điều kiện", "Conditional";
        Declined = "declined", "Từ chối", "Declined";
        Unknown = "unknown", "Chưa rõ", "Unknown";
    }
);

code_enum!(
    /// How far a country's support can be counted on.
    Certainty {
        Firm = "firm", "Chắc chắn", "Firm";
        Likely = "likely", "Nhiều khả năng", "Likely";
        Uncertain = "uncertain", "Chưa chắc chắn", "Uncertain";
        Against = "against", "Không ủng hộ", "Against";
        Unasked = "unasked", "Chưa có ý kiến", "No answer yet";
    }
);

impl Support {
    /// The rule of the board: a written or a reciprocal pledge is firm, an
    /// oral one likely, a conditional one uncertain; a refusal is against and
    /// "unknown" is no answer yet. Firm and likely count as pledged.
    pub fn certainty(self) -> Certainty {
        match self {
            Self::Written | Self::Reciprocal => Certainty::Firm,
            Self::Oral => Certainty::Likely,
            Self::Conditional => Certainty::Uncertain,
            Self::Declined => Certainty::Against,
            Self::Unknown => Certainty::Unasked,
        }
    }
}

impl Certainty {
    pub fn pledged(self) -> bool {
        matches!(self, Self::Firm | Self::Likely)
    }

    /// The colour class the board shows it in.
    pub fn tone(self) -> &'static str {
        match self {
            Self::Firm => "ok",
            Self::Likely => "info",
            Self::Uncertain => "warn",
            Self::Against => "bad",
            Self::Unasked => "muted",
        }
    }
}

/// The most competing candidates a candidacy names.
pub const MAX_COMPETITORS: usize = 20;
/// The largest electorate a candidacy may name.
pub const MAX_ELECTORATE: u32 = 1_000;

fn choice<T>(e: &mut FieldErrors, field: &str, v: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let r = parse(v);
    if r.is_none() {
        e.add(field, msgs::invalid_choice());
    }
    r
}

fn partial(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<PartialDate> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    let d = PartialDate::parse(v);
    if d.is_none() {
        e.add(
            field,
            Msg::new(
                "Ghi năm, tháng/năm hoặc ngày/tháng/năm (vd. 1995, 07/1995, 28/07/1995).",
                "Give a year, month/year or day/month/year (e.g. 1995, 07/1995, 28/07/1995).",
            ),
        );
    }
    d
}

fn number(e: &mut FieldErrors, field: &str, v: Option<&str>, max: u32) -> Option<u32> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match v.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            e.add(
                field,
                Msg::new(
                    format!("Ghi một số từ 1 đến {max}."),
                    format!("Give a number from 1 to {max}."),
                ),
            );
            None
        }
    }
}

/// The raw strings of a mechanism form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MechanismForm {
    #[serde(default)]
    pub code: String,
    /// The parent mechanism's code; empty for a root.
    pub parent: Option<String>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name_vi: String,
    pub name_en: Option<String>,
    pub abbreviation: Option<String>,
    #[serde(default)]
    pub standing: String,
    /// Since when Vietnam belongs: a year, month/year or a day.
    pub since: Option<String>,
    /// Where the membership (and the date) is stated: a document, a page.
    pub source: Option<String>,
    /// The partner record of the organisation (name, alias or code).
    pub partner: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MechanismInput {
    pub code: String,
    pub parent: Option<String>,
    pub kind: Kind,
    pub name_vi: String,
    pub name_en: String,
    pub abbreviation: String,
    pub standing: Standing,
    pub since: Option<PartialDate>,
    pub source: String,
    pub partner: Option<String>,
    pub note: Option<String>,
}

/// The message of a membership date given without its source.
pub fn source_needed() -> Msg {
    Msg::new(
        "Ghi nguồn (văn bản, trang chính thức) xác nhận ngày tham gia.",
        "Give the source (a document, an official page) that states the date.",
    )
}

impl MechanismInput {
    pub fn parse(f: &MechanismForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = text::required(&mut e, "code", &f.code, 32).to_uppercase();
        if !code.is_empty()
            && !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            e.add(
                "code",
                Msg::new(
                    "Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch.",
                    "A code holds only unaccented letters, digits and dashes.",
                ),
            );
        }
        let parent =
            text::optional(&mut e, "parent", f.parent.as_deref(), 32).map(|p| p.to_uppercase());
        if parent.as_deref() == Some(code.as_str()) && !code.is_empty() {
            e.add(
                "parent",
                Msg::new(
                    "Một cơ chế không thể là cấp trên của chính nó.",
                    "A mechanism cannot be its own parent.",
                ),
            );
        }
        let kind = choice(&mut e, "kind", &f.kind, Kind::parse);
        let name_vi = text::required(&mut e, "name_vi", &f.name_vi, 300);
        let name_en =
            text::optional(&mut e, "name_en", f.name_en.as_deref(), 300).unwrap_or_default();
        let abbreviation = text::optional(&mut e, "abbreviation", f.abbreviation.as_deref(), 40)
            .unwrap_or_default();
        let standing = choice(&mut e, "standing", &f.standing, Standing::parse);
        let since = partial(&mut e, "since", f.since.as_deref());
        let source =
            text::optional(&mut e, "source", f.source.as_deref(), 1000).unwrap_or_default();
        if since.is_some() && source.is_empty() {
            e.add("source", source_needed());
        }
        let partner = text::optional(&mut e, "partner", f.partner.as_deref(), 300);
        let note = text::optional(&mut e, "note", f.note.as_deref(), 2000);
        match (kind, standing) {
            (Some(kind), Some(standing)) if e.is_empty() => Ok(Self {
                code,
                parent,
                kind,
                name_vi,
                name_en,
                abbreviation,
                standing,
                since,
                source,
                partner,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// The raw strings of a role form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title_vi: String,
    pub title_en: Option<String>,
    #[serde(default)]
    pub starts: String,
    pub ends: Option<String>,
    /// The Vietnamese national holding a post; empty when the role is the country's.
    pub holder: Option<String>,
    #[serde(default)]
    pub source: String,
    /// A hosted event's organising structure: the national committee (an
    /// agency's code), its sub-committees being the agencies under it.
    pub agency: Option<String>,
    /// A hosted event's programme: a plan's id.
    pub plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleInput {
    pub kind: RoleKind,
    pub title_vi: String,
    pub title_en: String,
    pub starts: PartialDate,
    pub ends: Option<PartialDate>,
    pub holder: Option<String>,
    pub source: String,
    pub agency: Option<String>,
    pub plan: Option<uuid::Uuid>,
}

impl RoleInput {
    pub fn parse(f: &RoleForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = choice(&mut e, "kind", &f.kind, RoleKind::parse);
        let title_vi = text::required(&mut e, "title_vi", &f.title_vi, 500);
        let title_en =
            text::optional(&mut e, "title_en", f.title_en.as_deref(), 500).unwrap_or_default();
        let starts = partial(&mut e, "starts", Some(&f.starts));
        if starts.is_none() && e.get("starts").is_none() {
            e.add("starts", msgs::required());
        }
        let ends = partial(&mut e, "ends", f.ends.as_deref());
        if let (Some(s), Some(t)) = (starts, ends)
            && t.date < s.date
        {
            e.add(
                "ends",
                Msg::new(
                    "Năm kết thúc trước năm bắt đầu.",
                    "It ends before it starts.",
                ),
            );
        }
        let holder = text::optional(&mut e, "holder", f.holder.as_deref(), 200);
        let source = text::required(&mut e, "source", &f.source, 1000);
        let agency = text::optional(&mut e, "agency", f.agency.as_deref(), 100);
        let plan = match f.plan.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let id = s.parse::<uuid::Uuid>().ok();
                if id.is_none() {
                    e.add("plan", Msg::new("Mã không hợp lệ.", "Not a valid id."));
                }
                id
            }
        };
        if (agency.is_some() || plan.is_some()) && kind.is_some_and(|k| k != RoleKind::Host) {
            e.add(
                "agency",
                Msg::new(
                    "Ban tổ chức và chương trình chỉ ghi cho vai trò nước chủ nhà.",
                    "An organising committee and programme belong to a hosting role.",
                ),
            );
        }
        match (kind, starts) {
            (Some(kind), Some(starts)) if e.is_empty() => Ok(Self {
                kind,
                title_vi,
                title_en,
                starts,
                ends,
                holder,
                source,
                agency,
                plan,
            }),
            _ => Err(e),
        }
    }
}

/// The raw strings of a candidacy form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CandidacyForm {
    /// The mechanism's code.
    #[serde(default)]
    pub mechanism: String,
    #[serde(default)]
    pub post: String,
    /// The term sought, e.g. "2026–2028".
    pub term: Option<String>,
    pub election_on: Option<String>,
    /// How the election is held (e.g. secret ballot of the General Assembly).
    pub method: Option<String>,
    #[serde(default)]
    pub electorate: String,
    /// The number of voters for an electorate other than the UN's.
    pub electorate_size: Option<String>,
    pub votes_needed: Option<String>,
    /// Competing candidates, one per line.
    pub competitors: Option<crate::text::Listed>,
    /// The agency leading the campaign (code or id).
    #[serde(default)]
    pub owner_agency: String,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

/// The members of the United Nations: the electorate of its General Assembly.
pub const UN_MEMBERS: u32 = 193;

#[derive(Debug, Clone, PartialEq)]
pub struct CandidacyInput {
    pub mechanism: String,
    pub post: String,
    pub term: Option<String>,
    pub election_on: Option<NaiveDate>,
    pub method: Option<String>,
    pub electorate: Electorate,
    pub electorate_size: u32,
    pub votes_needed: u32,
    pub competitors: Vec<String>,
    pub owner_agency: String,
    pub note: Option<String>,
}

impl CandidacyInput {
    pub fn parse(f: &CandidacyForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let mechanism = text::required(&mut e, "mechanism", &f.mechanism, 32).to_uppercase();
        let post = text::required(&mut e, "post", &f.post, 500);
        let term = text::optional(&mut e, "term", f.term.as_deref(), 50);
        let election_on = optional_date(&mut e, "election_on", f.election_on.as_deref());
        let method = text::optional(&mut e, "method", f.method.as_deref(), 300);
        let electorate = choice(&mut e, "electorate", &f.electorate, Electorate::parse);
        let size = match electorate {
            Some(Electorate::Un) => Some(UN_MEMBERS),
            Some(Electorate::Other) => {
                let n = number(
                    &mut e,
                    "electorate_size",
                    f.electorate_size.as_deref(),
                    MAX_ELECTORATE,
                );
                if n.is_none() && e.get("electorate_size").is_none() {
                    e.add("electorate_size", msgs::required());
                }
                n
            }
            None => None,
        };
        let needed = number(
            &mut e,
            "votes_needed",
            f.votes_needed.as_deref(),
            MAX_ELECTORATE,
        );
        if needed.is_none() && e.get("votes_needed").is_none() {
            e.add("votes_needed", msgs::required());
        }
        if let (Some(n), Some(s)) = (needed, size)
            && n > s
        {
            e.add(
                "votes_needed",
                Msg::new(
                    format!("Số phiếu cần không thể lớn hơn số nước bỏ phiếu ({s})."),
                    format!("The votes needed cannot exceed the voters ({s})."),
                ),
            );
        }
        let competitors = text::listed(f.competitors.as_ref(), &['\n', ';']);
        if competitors.len() > MAX_COMPETITORS {
            e.add(
                "competitors",
                Msg::new(
                    format!("Tối đa {MAX_COMPETITORS} ứng viên cạnh tranh."),
                    format!("At most {MAX_COMPETITORS} competing candidates."),
                ),
            );
        }
        if competitors.iter().any(|c| c.chars().count() > 200) {
            e.add("competitors", msgs::too_long(200));
        }
        let owner_agency = text::required(&mut e, "owner_agency", &f.owner_agency, 64);
        let note = f
            .note
            .as_deref()
            .map(|s| text::clean(s, true))
            .filter(|s| !s.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > 10_000) {
            e.add("note", msgs::too_long(10_000));
        }
        match (electorate, size, needed) {
            (Some(electorate), Some(electorate_size), Some(votes_needed)) if e.is_empty() => {
                Ok(Self {
                    mechanism,
                    post,
                    term,
                    election_on,
                    method,
                    electorate,
                    electorate_size,
                    votes_needed,
                    competitors,
                    owner_agency,
                    note,
                })
            }
            _ => Err(e),
        }
    }
}

/// The raw strings of a pledge form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PledgeForm {
    /// The country (partner name, alias or ISO code).
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub support: String,
    #[serde(default)]
    pub given_on: String,
    /// Through which channel: a meeting, a note, a call.
    pub channel: Option<String>,
    /// The activity where it was given (id).
    pub activity: Option<String>,
    /// The competing candidate it was given to; empty: to Vietnam's.
    pub competitor: Option<String>,
    /// What Vietnam promised in return: becomes a commitment.
    pub reciprocal: Option<String>,
    pub reciprocal_due: Option<String>,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PledgeInput {
    pub country: String,
    pub support: Support,
    pub given_on: NaiveDate,
    pub channel: Option<String>,
    pub activity: Option<uuid::Uuid>,
    pub competitor: Option<String>,
    /// Vietnam's promise in return and its deadline.
    pub reciprocal: Option<(String, NaiveDate)>,
    pub note: Option<String>,
}

impl PledgeInput {
    /// `competitors`: the candidacy's; a pledge to a competitor names one of them.
    pub fn parse(f: &PledgeForm, competitors: &[String]) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let country = text::required(&mut e, "country", &f.country, 300);
        let support = choice(&mut e, "support", &f.support, Support::parse);
        let given_on = required_date(&mut e, "given_on", &f.given_on);
        let channel = text::optional(&mut e, "channel", f.channel.as_deref(), 500);
        let activity = activity_id(&mut e, f.activity.as_deref());
        let competitor = text::optional(&mut e, "competitor", f.competitor.as_deref(), 200);
        let competitor = match competitor {
            None => None,
            Some(c) => {
                let folded = text::fold(&c);
                match competitors.iter().find(|k| text::fold(k) == folded) {
                    Some(k) => Some(k.clone()),
                    None => {
                        e.add(
                            "competitor",
                            Msg::new(
                                "Chọn một ứng viên cạnh tranh đã ghi trong hồ sơ ứng cử.",
                                "Choose a competing candidate named on the candidacy.",
                            ),
                        );
                        None
                    }
                }
            }
        };
        let promise = f
            .reciprocal
            .as_deref()
            .map(|s| text::clean(s, true))
            .filter(|s| !s.is_empty());
        if promise.as_ref().is_some_and(|p| p.chars().count() > 1000) {
            e.add("reciprocal", msgs::too_long(1000));
        }
        let due = optional_date(&mut e, "reciprocal_due", f.reciprocal_due.as_deref());
        let reciprocal = match (promise, due) {
            (Some(p), Some(d)) => Some((p, d)),
            (Some(_), None) if e.get("reciprocal_due").is_none() => {
                e.add(
                    "reciprocal_due",
                    Msg::new(
                        "Ghi thời hạn thực hiện cam kết ủng hộ lại.",
                        "Give the deadline of the support promised in return.",
                    ),
                );
                None
            }
            (None, Some(_)) => {
                e.add(
                    "reciprocal",
                    Msg::new(
                        "Ghi nội dung Việt Nam cam kết ủng hộ lại.",
                        "Say what Vietnam promised in return.",
                    ),
                );
                None
            }
            _ => None,
        };
        if support == Some(Support::Reciprocal)
            && competitor.is_none()
            && reciprocal.is_none()
            && e.get("reciprocal").is_none()
            && e.get("reciprocal_due").is_none()
        {
            e.add(
                "reciprocal",
                Msg::new(
                    "Ủng hộ có đi có lại: ghi nội dung và thời hạn Việt Nam ủng hộ lại.",
                    "Reciprocal support: say what Vietnam promised in return, and by when.",
                ),
            );
        }
        if competitor.is_some() && reciprocal.is_some() {
            e.add(
                "reciprocal",
                Msg::new(
                    "Cam kết ủng hộ lại chỉ ghi cho ủng hộ dành cho ứng viên Việt Nam.",
                    "A promise in return belongs to support given to Vietnam's candidate.",
                ),
            );
        }
        let note = text::optional(&mut e, "note", f.note.as_deref(), 2000);
        match (support, given_on) {
            (Some(support), Some(given_on)) if e.is_empty() => Ok(Self {
                country,
                support,
                given_on,
                channel,
                activity,
                competitor,
                reciprocal,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// One pledge as the board reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct PledgeFact {
    /// The country's ISO alpha-2 code.
    pub country: String,
    pub support: Support,
    pub given_on: NaiveDate,
    /// Order of entry, breaking ties on the date.
    pub entered: i64,
    /// `None`: given to Vietnam's candidate.
    pub competitor: Option<String>,
}

/// One country of the electorate: its code and the region it is counted in.
#[derive(Debug, Clone, PartialEq)]
pub struct Voter {
    pub country: String,
    pub region: String,
}

/// A region's line of the board.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RegionLine {
    pub region: String,
    /// Countries by certainty, in `Certainty::ALL`'s order.
    pub by_certainty: Vec<u64>,
    pub voters: u64,
}

/// What a competitor has been pledged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompetitorLine {
    pub name: String,
    /// Countries whose latest word to this competitor is firm or likely.
    pub pledged: u64,
    /// Of those, countries also pledged to Vietnam's candidate.
    pub also_ours: u64,
}

/// The campaign board.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Board {
    pub votes_needed: u64,
    pub voters: u64,
    /// Countries by certainty of their latest word to Vietnam's candidate.
    pub by_certainty: Vec<u64>,
    /// Firm and likely.
    pub pledged: u64,
    pub firm: u64,
    /// Votes still missing from the pledged to the needed (0 when reached).
    pub missing: u64,
    pub by_region: Vec<RegionLine>,
    /// Countries of the electorate with no answer yet, by code.
    pub to_ask: Vec<String>,
    pub competitors: Vec<CompetitorLine>,
    /// Each country's latest word to Vietnam's candidate (code → support).
    pub latest: Vec<(String, Support)>,
}

fn certainty_index(c: Certainty) -> usize {
    Certainty::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// The board's rule: each country counts once, by its latest word (latest
/// date, then latest entered) to each candidate; for Vietnam's candidate its
/// certainty (`Support::certainty`) is what the board counts, and the
/// electorate's countries with no word are those still to ask. With an
/// electorate of named countries (the UN's), only they count; otherwise
/// (`voters` empty) every country that answered counts, out of
/// `electorate_size`.
pub fn board(
    voters: &[Voter],
    electorate_size: u64,
    votes_needed: u64,
    competitors: &[String],
    pledges: &[PledgeFact],
) -> Board {
    let named = !voters.is_empty();
    let region_of: HashMap<&str, &str> = voters
        .iter()
        .map(|v| (v.country.as_str(), v.region.as_str()))
        .collect();
    let counts = |c: &str| !named || region_of.contains_key(c);
    // Latest per (candidate, country).
    let mut latest: HashMap<(Option<&str>, &str), &PledgeFact> = HashMap::new();
    for p in pledges.iter().filter(|p| counts(&p.country)) {
        let key = (p.competitor.as_deref(), p.country.as_str());
        match latest.get(&key) {
            Some(q) if (q.given_on, q.entered) >= (p.given_on, p.entered) => {}
            _ => {
                latest.insert(key, p);
            }
        }
    }
    let ours: HashMap<&str, Support> = latest
        .iter()
        .filter(|((c, _), _)| c.is_none())
        .map(|((_, country), p)| (*country, p.support))
        .collect();
    let mut by_certainty = vec![0u64; Certainty::ALL.len()];
    for s in ours.values() {
        by_certainty[certainty_index(s.certainty())] += 1;
    }
    let mut regions: Vec<RegionLine> = Vec::new();
    let mut to_ask = Vec::new();
    for v in voters {
        let c = ours
            .get(v.country.as_str())
            .map(|s| s.certainty())
            .unwrap_or(Certainty::Unasked);
        if !ours.contains_key(v.country.as_str()) {
            to_ask.push(v.country.clone());
        }
        let at = match regions.iter().position(|r| r.region == v.region) {
            Some(i) => i,
            None => {
                regions.push(RegionLine {
                    region: v.region.clone(),
                    by_certainty: vec![0; Certainty::ALL.len()],
                    voters: 0,
                });
                regions.len() - 1
            }
        };
        let line = &mut regions[at];
        line.voters += 1;
        line.by_certainty[certainty_index(c)] += 1;
    }
    // Named voters with no word count as unasked.
    let unasked = certainty_index(Certainty::Unasked);
    if named {
        by_certainty[unasked] += to_ask.len() as u64;
    }
    regions.sort_by(|a, b| a.region.cmp(&b.region));
    to_ask.sort();
    let pledged = by_certainty[certainty_index(Certainty::Firm)]
        + by_certainty[certainty_index(Certainty::Likely)];
    let competitors = competitors
        .iter()
        .map(|name| {
            let theirs: Vec<&str> = latest
                .iter()
                .filter(|((c, _), p)| *c == Some(name.as_str()) && p.support.certainty().pledged())
                .map(|((_, country), _)| *country)
                .collect();
            CompetitorLine {
                name: name.clone(),
                pledged: theirs.len() as u64,
                also_ours: theirs
                    .iter()
                    .filter(|c| ours.get(*c).is_some_and(|s| s.certainty().pledged()))
                    .count() as u64,
            }
        })
        .collect();
    let mut latest: Vec<(String, Support)> =
        ours.into_iter().map(|(c, s)| (c.to_string(), s)).collect();
    latest.sort();
    Board {
        votes_needed,
        voters: if named {
            voters.len() as u64
        } else {
            electorate_size
        },
        by_certainty,
        pledged,
        firm: latest
            .iter()
            .filter(|(_, s)| s.certainty() == Certainty::Firm)
            .count() as u64,
        missing: votes_needed.saturating_sub(pledged),
        by_region: regions,
        to_ask,
        competitors,
        latest,
    }
}

code_enum!(
    /// What came out of a mechanism's meeting that Vietnam keeps track of.
    OutcomeKind {
        Document = "document", "Văn kiện được thông qua", "Document adopted";
        Initiative = "initiative", "Sáng kiến của Việt Nam", "Vietnam's initiative";
    }
);

/// The raw strings of an outcome form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub adopted_on: String,
    /// The meeting where it was adopted (an activity's id), if recorded.
    pub activity: Option<String>,
    /// The agency recording it (its code); the reader's own when empty.
    pub owner_agency: Option<String>,
    pub note: Option<String>,
    pub classification: Option<String>,
    pub secret_item: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeInput {
    pub kind: OutcomeKind,
    pub title: String,
    pub adopted_on: NaiveDate,
    pub activity: Option<uuid::Uuid>,
    pub owner_agency: Option<String>,
    pub note: Option<String>,
}

impl OutcomeInput {
    pub fn parse(f: &OutcomeForm) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = choice(&mut e, "kind", &f.kind, OutcomeKind::parse);
        let title = text::required(&mut e, "title", &f.title, 1000);
        let adopted_on = required_date(&mut e, "adopted_on", &f.adopted_on);
        let activity = activity_id(&mut e, f.activity.as_deref());
        let owner_agency = text::optional(&mut e, "owner_agency", f.owner_agency.as_deref(), 100);
        let note = text::optional(&mut e, "note", f.note.as_deref(), 2000);
        match (kind, adopted_on) {
            (Some(kind), Some(adopted_on)) if e.is_empty() => Ok(Self {
                kind,
                title,
                adopted_on,
                activity,
                owner_agency,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// The raw strings of a form linking an activity to a mechanism as one of
/// its meetings.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    /// The mechanism's code (from an activity's page) or the activity's id
    /// (from the mechanism's).
    #[serde(default)]
    pub mechanism: String,
    #[serde(default)]
    pub activity: String,
}

/// An activity's id as a form gives it: empty is none, anything else must be
/// a valid id.
fn activity_id(e: &mut FieldErrors, v: Option<&str>) -> Option<uuid::Uuid> {
    match v.map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            let id = s.parse::<uuid::Uuid>().ok();
            if id.is_none() {
                e.add("activity", Msg::new("Mã không hợp lệ.", "Not a valid id."));
            }
            id
        }
    }
}

/// A mechanism's meetings, upcoming first in the order they come, then
/// the past newest first: `today` splits them (a meeting starting today is
/// upcoming).
pub fn split_meetings<T>(
    mut meetings: Vec<T>,
    today: NaiveDate,
    day: impl Fn(&T) -> NaiveDate,
) -> (Vec<T>, Vec<T>) {
    meetings.sort_by_key(|m| day(m));
    let at = meetings.partition_point(|m| day(m) < today);
    let upcoming = meetings.split_off(at);
    meetings.reverse();
    (upcoming, meetings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn p(country: &str, support: Support, on: &str, entered: i64, to: Option<&str>) -> PledgeFact {
        PledgeFact {
            country: country.into(),
            support,
            given_on: day(on),
            entered,
            competitor: to.map(str::to_string),
        }
    }

    fn voters() -> Vec<Voter> {
        [
            ("FR", "150"),
            ("DE", "150"),
            ("JP", "142"),
            ("LA", "142"),
            ("BR", "019"),
        ]
        .into_iter()
        .map(|(c, r)| Voter {
            country: c.into(),
            region: r.into(),
        })
        .collect()
    }

    #[test]
    fn the_workflow_moves_forward_and_ends_once() {
        use Status::*;
        assert!(Considered.may_move(Decided));
        assert!(Considered.may_move(Campaigning), "steps may be skipped");
        assert!(!Campaigning.may_move(Decided), "never back");
        assert!(!Decided.may_move(Elected), "a result only once announced");
        assert!(Announced.may_move(Elected));
        assert!(Campaigning.may_move(NotElected));
        assert!(Considered.may_move(Withdrawn));
        for f in [Elected, NotElected, Withdrawn] {
            assert!(f.moves().is_empty(), "{f:?} is final");
        }
        assert!(!Campaigning.may_move(Campaigning));
    }

    #[test]
    fn each_country_counts_once_by_its_latest_word() {
        let pledges = vec![
            p("FR", Support::Oral, "2026-01-10", 1, None),
            p("FR", Support::Written, "2026-03-01", 2, None),
            // Same day: the one entered last.
            p("DE", Support::Written, "2026-02-01", 3, None),
            p("DE", Support::Conditional, "2026-02-01", 4, None),
            p("JP", Support::Declined, "2026-02-02", 5, None),
            // Outside the electorate: not counted.
            p("TW", Support::Written, "2026-02-02", 6, None),
            // To a competitor.
            p("LA", Support::Written, "2026-02-02", 7, Some("Ứng viên X")),
            p("FR", Support::Oral, "2026-02-02", 8, Some("Ứng viên X")),
        ];
        let b = board(&voters(), 5, 3, &["Ứng viên X".to_string()], &pledges);
        assert_eq!(b.voters, 5);
        assert_eq!(b.firm, 1);
        assert_eq!(b.pledged, 1);
        assert_eq!(b.missing, 2);
        assert_eq!(
            b.by_certainty,
            vec![1, 0, 1, 1, 2],
            "firm FR, uncertain DE, against JP, unasked LA and BR"
        );
        assert_eq!(b.to_ask, vec!["BR".to_string(), "LA".to_string()]);
        assert_eq!(
            b.by_certainty.iter().sum::<u64>(),
            b.voters,
            "every voter once"
        );
        let europe = b.by_region.iter().find(|r| r.region == "150").unwrap();
        assert_eq!(
            (
                europe.voters,
                europe.by_certainty[0],
                europe.by_certainty[2]
            ),
            (2, 1, 1)
        );
        assert_eq!(
            b.competitors,
            vec![CompetitorLine {
                name: "Ứng viên X".into(),
                pledged: 2,
                also_ours: 1
            }]
        );
    }

    #[test]
    fn the_needed_votes_reached_leave_nothing_missing() {
        let pledges: Vec<PledgeFact> = ["FR", "DE", "JP"]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                p(
                    c,
                    if i == 0 {
                        Support::Oral
                    } else {
                        Support::Reciprocal
                    },
                    "2026-01-01",
                    i as i64,
                    None,
                )
            })
            .collect();
        let b = board(&voters(), 5, 3, &[], &pledges);
        assert_eq!((b.pledged, b.firm, b.missing), (3, 2, 0));
    }

    #[test]
    fn without_named_voters_every_answer_counts() {
        let pledges = vec![
            p("TW", Support::Written, "2026-01-01", 1, None),
            p("FR", Support::Unknown, "2026-01-01", 2, None),
        ];
        let b = board(&[], 11, 6, &[], &pledges);
        assert_eq!((b.voters, b.pledged, b.missing), (11, 1, 5));
        assert!(b.to_ask.is_empty());
        assert_eq!(b.by_certainty[certainty_index(Certainty::Unasked)], 1);
    }

    #[test]
    fn a_membership_date_needs_its_source() {
        let f = MechanismForm {
            code: "asean".into(),
            kind: "organisation".into(),
            name_vi: "Hiệp hội các quốc gia Đông Nam Á".into(),
            standing: "member".into(),
            since: Some("28/07/1995".into()),
            ..Default::default()
        };
        let e = MechanismInput::parse(&f).unwrap_err();
        assert_eq!(e.get("source"), Some(&source_needed()));
        let ok = MechanismInput::parse(&MechanismForm {
            source: Some("https://asean.org/member-states/".into()),
            ..f
        })
        .unwrap();
        assert_eq!(ok.code, "ASEAN");
        assert_eq!(ok.since.unwrap().display(), "28/07/1995");
        let bad = MechanismInput::parse(&MechanismForm {
            code: "a b".into(),
            since: Some("tháng bảy".into()),
            ..Default::default()
        })
        .unwrap_err();
        for f in ["code", "since", "kind", "name_vi", "standing"] {
            assert!(bad.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn a_candidacy_needs_no_more_votes_than_voters() {
        let f = CandidacyForm {
            mechanism: "unhrc".into(),
            post: "Thành viên Hội đồng Nhân quyền".into(),
            electorate: "un".into(),
            votes_needed: Some("194".into()),
            owner_agency: "BNG".into(),
            ..Default::default()
        };
        assert!(
            CandidacyInput::parse(&f)
                .unwrap_err()
                .get("votes_needed")
                .is_some()
        );
        let ok = CandidacyInput::parse(&CandidacyForm {
            votes_needed: Some("97".into()),
            competitors: Some(crate::text::Listed::Text(
                "Ứng viên A\nỨng viên B\nứng viên a".into(),
            )),
            ..f.clone()
        })
        .unwrap();
        assert_eq!((ok.electorate_size, ok.votes_needed), (193, 97));
        assert_eq!(ok.competitors.len(), 2, "repeats dropped");
        let other = CandidacyInput::parse(&CandidacyForm {
            electorate: "other".into(),
            votes_needed: Some("6".into()),
            ..f
        })
        .unwrap_err();
        assert!(other.get("electorate_size").is_some());
    }

    #[test]
    fn a_reciprocal_pledge_carries_the_promise_and_its_deadline() {
        let comps = vec!["Ứng viên A".to_string()];
        let f = PledgeForm {
            country: "Pháp".into(),
            support: "reciprocal".into(),
            given_on: "12/03/2026".into(),
            ..Default::default()
        };
        assert!(
            PledgeInput::parse(&f, &comps)
                .unwrap_err()
                .get("reciprocal")
                .is_some()
        );
        let half = PledgeForm {
            reciprocal: Some("Ủng hộ ứng cử của Pháp vào UNESCO".into()),
            ..f.clone()
        };
        assert!(
            PledgeInput::parse(&half, &comps)
                .unwrap_err()
                .get("reciprocal_due")
                .is_some()
        );
        let ok = PledgeInput::parse(
            &PledgeForm {
                reciprocal_due: Some("31/12/2027".into()),
                ..half
            },
            &comps,
        )
        .unwrap();
        assert_eq!(ok.reciprocal.unwrap().1, day("2027-12-31"));
        let to_them = PledgeInput::parse(
            &PledgeForm {
                support: "written".into(),
                competitor: Some("ứng viên a".into()),
                ..f.clone()
            },
            &comps,
        )
        .unwrap();
        assert_eq!(to_them.competitor.as_deref(), Some("Ứng viên A"));
        let unknown = PledgeForm {
            support: "written".into(),
            competitor: Some("Ai đó".into()),
            ..f
        };
        assert!(
            PledgeInput::parse(&unknown, &comps)
                .unwrap_err()
                .get("competitor")
                .is_some()
        );
    }

    #[test]
    fn roles_need_a_start_and_a_source() {
        let e = RoleInput::parse(&RoleForm {
            kind: "chair".into(),
            title_vi: "Chủ tịch ASEAN".into(),
            starts: "2020".into(),
            ends: Some("2019".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.get("source").is_some() && e.get("ends").is_some());
    }

    #[test]
    fn only_a_hosting_role_has_an_organising_committee_and_programme() {
        let form = |kind: &str| RoleForm {
            kind: kind.into(),
            title_vi: "Nước chủ nhà APEC 2027".into(),
            starts: "2027".into(),
            source: "https://apec.org".into(),
            agency: Some("UBQG-APEC".into()),
            plan: Some("0190b5f0-0000-7000-8000-000000000001".into()),
            ..Default::default()
        };
        let i = RoleInput::parse(&form("host")).unwrap();
        assert_eq!(i.agency.as_deref(), Some("UBQG-APEC"));
        assert!(i.plan.is_some());
        assert!(
            RoleInput::parse(&form("chair"))
                .unwrap_err()
                .get("agency")
                .is_some()
        );
        let bad = RoleInput::parse(&RoleForm {
            plan: Some("ke-hoach".into()),
            ..form("host")
        })
        .unwrap_err();
        assert!(bad.get("plan").is_some());
    }

    #[test]
    fn an_outcome_needs_its_kind_title_and_day() {
        let e = OutcomeInput::parse(&OutcomeForm::default()).unwrap_err();
        for f in ["kind", "title", "adopted_on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let bad = OutcomeInput::parse(&OutcomeForm {
            kind: "initiative".into(),
            title: "  Sáng kiến về an ninh nguồn nước  ".into(),
            adopted_on: "12/11/2025".into(),
            activity: Some("not-an-id".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(bad.get("activity").is_some());
        let i = OutcomeInput::parse(&OutcomeForm {
            kind: "initiative".into(),
            title: "  Sáng kiến về an ninh nguồn nước  ".into(),
            adopted_on: "12/11/2025".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(i.title, "Sáng kiến về an ninh nguồn nước");
        assert_eq!(i.adopted_on, NaiveDate::from_ymd_opt(2025, 11, 12).unwrap());
        assert_eq!(i.kind, OutcomeKind::Initiative);
    }

    #[test]
    fn meetings_split_at_today_upcoming_soonest_first() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let all = vec![
            d("2026-01-05"),
            d("2027-11-10"),
            d("2026-12-06"),
            d("2025-05-01"),
        ];
        let (up, past) = split_meetings(all, d("2026-12-06"), |x| *x);
        assert_eq!(up, vec![d("2026-12-06"), d("2027-11-10")]);
        assert_eq!(past, vec![d("2026-01-05"), d("2025-05-01")]);
    }
}
