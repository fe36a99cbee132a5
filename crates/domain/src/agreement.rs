//! International agreements: kinds, in whose name each is signed (which decides
//! the procedure), the status history and its rules, expiry, and the steps the
//! Law on International Agreements 2020 (Law 70/2020/QH14) sets for agreements
//! signed in the name of a provincial People's Council or People's Committee,
//! with their deadlines and the article each comes from.

use crate::days::{self, DayOverrides, optional_date};
use crate::error::msgs;
use crate::{FieldErrors, Msg, code_enum, text};
use chrono::NaiveDate;
use serde::Deserialize;

code_enum!(
    /// What was signed.
    Kind {
        Treaty = "treaty", "Điều ước quốc tế", "Treaty";
        Agreement = "international_agreement", "Thỏa thuận quốc tế", "International agreement";
        Memorandum = "memorandum", "Bản ghi nhớ", "Memorandum";
        Other = "other", "Văn kiện khác", "Other instrument";
    }
);

code_enum!(
    /// Where an agreement stands; every change is a dated entry of its history.
    Status {
        Negotiating = "negotiating", "Đang đàm phán", "Negotiating";
        Signed = "signed", "Đã ký", "Signed";
        Approved = "approved", "Đã phê duyệt, phê chuẩn", "Approved or ratified";
        InForce = "in_force", "Có hiệu lực", "In force";
        Suspended = "suspended", "Tạm đình chỉ", "Suspended";
        Expired = "expired", "Hết hiệu lực", "Expired";
        Terminated = "terminated", "Chấm dứt", "Terminated";
    }
);

code_enum!(
    /// What happens at the end of the term.
    Renewal {
        None = "none", "Không tự gia hạn", "No renewal";
        Automatic = "automatic", "Tự động gia hạn", "Renewed automatically";
        ByAgreement = "by_agreement", "Gia hạn khi các bên thỏa thuận", "Renewed when the parties agree";
    }
);

code_enum!(
    /// In whose name an agreement is signed: the procedure follows from it.
    SignedFor {
        State = "state", "Nhà nước", "The State";
        Government = "government", "Chính phủ", "The Government";
        CentralAgency = "central_agency", "Cơ quan nhà nước ở trung ương", "A central state agency";
        ProvincialCouncil = "provincial_council", "Hội đồng nhân dân cấp tỉnh", "A provincial People's Council";
        ProvincialCommittee = "provincial_committee", "Ủy ban nhân dân cấp tỉnh", "A provincial People's Committee";
        AttachedUnit = "attached_unit", "Cơ quan cấp sở, cấp cục; UBND xã biên giới", "A department, a general department or a border commune";
        PartyOrMass = "party_or_mass", "Cơ quan Đảng, Mặt trận, tổ chức chính trị - xã hội", "A Party body, the Fatherland Front or a mass organisation";
        Other = "other", "Khác", "Other";
    }
);

impl SignedFor {
    /// The steps and deadlines of Law 70/2020, Articles 18–19, apply: only to
    /// agreements in the name of a provincial People's Council or Committee.
    pub fn follows_provincial_procedure(self) -> bool {
        matches!(self, Self::ProvincialCouncil | Self::ProvincialCommittee)
    }

    /// The rules that govern signing in this name.
    pub fn basis(self) -> &'static str {
        match self {
            Self::State | Self::Government => {
                "Luật Điều ước quốc tế 2016 (sửa đổi, bổ sung bởi Luật số 137/2025/QH15)"
            }
            Self::CentralAgency => "Luật Thỏa thuận quốc tế 2020, Chương II",
            Self::ProvincialCouncil | Self::ProvincialCommittee => {
                "Luật Thỏa thuận quốc tế 2020, Điều 18, 19"
            }
            Self::AttachedUnit => "Nghị định số 64/2021/NĐ-CP",
            Self::PartyOrMass => "Quy định của Đảng, điều lệ của tổ chức",
            Self::Other => "",
        }
    }
}

code_enum!(
    /// A step of an agreement in the name of a provincial People's Council or
    /// Committee (Law 70/2020/QH14, Article 19).
    StepKind {
        Opinion = "opinion", "Lấy ý kiến Bộ Ngoại giao, cơ quan liên quan", "Written opinion (foreign ministry, concerned agencies)";
        Decision = "decision", "Quyết định ký", "Decision to sign";
        Report = "report", "Báo cáo Thủ tướng, gửi bản sao cho Bộ Ngoại giao", "Report to the Prime Minister, a copy to the foreign ministry";
    }
);

impl StepKind {
    /// The article the step comes from, and its deadline in words.
    pub fn basis(self) -> (&'static str, &'static str) {
        match self {
            Self::Opinion => (
                "Luật Thỏa thuận quốc tế 2020, Điều 19 khoản 1, 2: trả lời trong 7 ngày làm việc",
                "Law on International Agreements 2020, Art. 19(1)–(2): answered within 7 working days",
            ),
            Self::Decision => (
                "Luật Thỏa thuận quốc tế 2020, Điều 18; Điều 19 khoản 3: quyết định trước khi ký",
                "Law on International Agreements 2020, Art. 18 and 19(3): decided before signing",
            ),
            Self::Report => (
                "Luật Thỏa thuận quốc tế 2020, Điều 19 khoản 5: trong 15 ngày kể từ ngày ký",
                "Law on International Agreements 2020, Art. 19(5): within 15 days of signing",
            ),
        }
    }
}

/// Consulted agencies answer within this many working days of the request.
pub const OPINION_WORKING_DAYS: u32 = 7;
/// The report to the Prime Minister is due this many days after signing.
pub const REPORT_DAYS: u64 = 15;

impl Status {
    /// The statuses that may follow this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Negotiating => &[Signed, Terminated],
            Signed => &[Approved, InForce, Terminated],
            Approved => &[InForce, Terminated],
            InForce => &[Suspended, Expired, Terminated],
            Suspended => &[InForce, Expired, Terminated],
            Expired | Terminated => &[],
        }
    }

    /// Signed and not yet ended: its expiry is watched and its steps followed.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Signed | Self::Approved | Self::InForce | Self::Suspended
        )
    }

    /// Has the agreement been signed by the time it is in this status?
    pub fn is_signed(self) -> bool {
        !matches!(self, Self::Negotiating)
    }
}

/// Check one more entry of a status history whose last entry is `last`:
/// the move must be allowed and the date neither before the last one nor in the
/// future. "In force" before "signed" cannot happen: nothing reaches it but
/// through "signed". The error names the field at fault: `status` or `on_date`.
pub fn check_step(
    last: Option<(Status, NaiveDate)>,
    next: Status,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, Msg)> {
    let date = |m: Msg| Err(("on_date", m));
    let move_ = |m: Msg| Err(("status", m));
    if on > today {
        return date(Msg::new(
            "Ngày của trạng thái không được ở tương lai.",
            "A status cannot be dated in the future.",
        ));
    }
    match last {
        None if matches!(next, Status::Negotiating | Status::Signed) => Ok(()),
        None => move_(Msg::new(
            "Lịch sử phải bắt đầu bằng «Đang đàm phán» hoặc «Đã ký».",
            "The history must start with “negotiating” or “signed”.",
        )),
        Some((from, _)) if !from.next().contains(&next) => move_(Msg::new(
            format!(
                "Không thể chuyển từ «{}» sang «{}».",
                from.label().vi,
                next.label().vi
            ),
            format!(
                "An agreement cannot go from “{}” to “{}”.",
                from.label().en,
                next.label().en
            ),
        )),
        Some((_, at)) if on < at => date(Msg::new(
            format!(
                "Ngày này trước ngày của trạng thái trước ({}).",
                at.format("%d/%m/%Y")
            ),
            format!(
                "This date is before the previous status ({}).",
                at.format("%d/%m/%Y")
            ),
        )),
        _ => Ok(()),
    }
}

/// Check a whole history in the order given (oldest first).
pub fn check_history(
    h: &[(Status, NaiveDate)],
    today: NaiveDate,
) -> Result<(), (&'static str, Msg)> {
    let mut last = None;
    for (s, on) in h {
        check_step(last, *s, *on, today)?;
        last = Some((*s, *on));
    }
    Ok(())
}

/// A live agreement expiring within `window` days from `today` (or already past
/// its expiry date while still recorded as live).
pub fn expiring(
    status: Status,
    expires_on: Option<NaiveDate>,
    today: NaiveDate,
    window: u64,
) -> bool {
    status.is_live() && expires_on.is_some_and(|e| e <= days::add_days(today, window))
}

/// The raw strings of an agreement form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgreementForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title_vi: String,
    pub title_en: Option<String>,
    /// The agency that signed or keeps the record (code or id).
    #[serde(default)]
    pub owner_agency: String,
    /// In whose name it is signed (`SignedFor`).
    pub signed_for: Option<String>,
    /// Other Vietnamese parties (agency codes, commas or lines).
    pub agencies: Option<crate::text::Listed>,
    /// Foreign parties by name, alias or code, one a line.
    pub partners: Option<crate::text::Listed>,
    pub signatory: Option<String>,
    pub signatory_level: Option<String>,
    pub place: Option<String>,
    /// On create only: the history starts "signed" on this date (else "negotiating" today).
    pub signed_on: Option<String>,
    /// On create only, with `signed_on`: then "in force" from this date.
    pub in_force_on: Option<String>,
    pub expires_on: Option<String>,
    pub term: Option<String>,
    pub renewal: Option<String>,
    pub legal_basis: Option<String>,
    pub notes: Option<String>,
    /// The activity during which it was signed (id).
    pub activity_id: Option<String>,
    pub classification: Option<String>,
    /// The state-secrets catalogue item (code or id) a classified record rests on.
    pub secret_item: Option<String>,
}

/// A validated agreement before its agencies and partners are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementInput {
    pub kind: Kind,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub owner_agency: String,
    pub signed_for: Option<SignedFor>,
    pub agencies: Vec<String>,
    pub partners: Vec<String>,
    pub signatory: Option<String>,
    pub signatory_level: Option<crate::activity::HeadLevel>,
    pub place: Option<String>,
    /// The first entries of the history.
    pub history: Vec<(Status, NaiveDate)>,
    pub expires_on: Option<NaiveDate>,
    pub term: Option<String>,
    pub renewal: Renewal,
    pub legal_basis: Option<String>,
    pub notes: Option<String>,
    pub activity_id: Option<uuid::Uuid>,
}

impl AgreementInput {
    /// Parse the form. `today` bounds the dates of the history.
    pub fn parse(f: &AgreementForm, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(&f.kind);
        if kind.is_none() {
            e.add("kind", msgs::invalid_choice());
        }
        let title_vi = text::required(&mut e, "title_vi", &f.title_vi, 1000);
        let title_en = text::optional(&mut e, "title_en", f.title_en.as_deref(), 1000);
        let owner_agency = text::required(&mut e, "owner_agency", &f.owner_agency, 64);
        let signed_for = match f.signed_for.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let v = SignedFor::parse(s);
                if v.is_none() {
                    e.add("signed_for", msgs::invalid_choice());
                }
                v
            }
        };
        let signatory = text::optional(&mut e, "signatory", f.signatory.as_deref(), 200);
        let signatory_level = match f.signatory_level.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let l = crate::activity::HeadLevel::parse(s);
                if l.is_none() {
                    e.add("signatory_level", msgs::invalid_choice());
                }
                l
            }
        };
        let place = text::optional(&mut e, "place", f.place.as_deref(), 200);
        let signed_on = optional_date(&mut e, "signed_on", f.signed_on.as_deref());
        let in_force_on = optional_date(&mut e, "in_force_on", f.in_force_on.as_deref());
        let expires_on = optional_date(&mut e, "expires_on", f.expires_on.as_deref());
        let term = text::optional(&mut e, "term", f.term.as_deref(), 200);
        let renewal = match f.renewal.as_deref().map(str::trim) {
            None | Some("") => Renewal::None,
            Some(s) => Renewal::parse(s).unwrap_or_else(|| {
                e.add("renewal", msgs::invalid_choice());
                Renewal::None
            }),
        };
        let legal_basis = text::optional(&mut e, "legal_basis", f.legal_basis.as_deref(), 1000);
        let notes = f
            .notes
            .as_deref()
            .map(|s| text::clean(s, true))
            .filter(|s| !s.is_empty());
        if notes.as_ref().is_some_and(|n| n.chars().count() > 10_000) {
            e.add("notes", msgs::too_long(10_000));
        }
        let activity_id = match f.activity_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let id = s.parse::<uuid::Uuid>().ok();
                if id.is_none() {
                    e.add(
                        "activity_id",
                        Msg::new("Mã hoạt động không hợp lệ.", "Not an activity id."),
                    );
                }
                id
            }
        };
        let history = match (signed_on, in_force_on) {
            (None, Some(_)) => {
                e.add(
                    "in_force_on",
                    Msg::new(
                        "Văn kiện chỉ có hiệu lực sau khi đã ký: nhập ngày ký.",
                        "Nothing is in force before it is signed: enter the signing date.",
                    ),
                );
                vec![]
            }
            (None, None) => vec![(Status::Negotiating, today)],
            (Some(s), None) => vec![(Status::Signed, s)],
            (Some(s), Some(f)) => vec![(Status::Signed, s), (Status::InForce, f)],
        };
        let mut last = None;
        for (i, (s, on)) in history.iter().enumerate() {
            let field = if i == 0 { "signed_on" } else { "in_force_on" };
            // The form's own words for a future date: the history's are about a status.
            if *on > today && *s == Status::Signed {
                e.add(
                    field,
                    Msg::new(
                        "Ngày ký không được ở tương lai; văn kiện chưa ký thì để trống ngày ký (đang đàm phán).",
                        "The signing date cannot be in the future; leave it empty for an agreement not yet signed (negotiating).",
                    ),
                );
                break;
            }
            if *on > today {
                e.add(
                    field,
                    Msg::new(
                        "Ngày có hiệu lực ở tương lai: để trống, ghi nhận «Có hiệu lực» khi đến ngày đó.",
                        "An entry into force in the future: leave it empty and record “in force” on that day.",
                    ),
                );
                break;
            }
            if let Err((_, m)) = check_step(last, *s, *on, today) {
                e.add(field, m);
                break;
            }
            last = Some((*s, *on));
        }
        if let (Some(s), Some(x)) = (signed_on, expires_on)
            && x <= s
        {
            e.add(
                "expires_on",
                Msg::new(
                    "Ngày hết hiệu lực phải sau ngày ký.",
                    "The expiry date must come after the signing date.",
                ),
            );
        }
        let kind = kind.unwrap_or(Kind::Other);
        e.into_result(Self {
            kind,
            title_vi,
            title_en,
            owner_agency,
            signed_for,
            agencies: text::listed(f.agencies.as_ref(), &[',', ';', '\n']),
            partners: text::listed(f.partners.as_ref(), &['\n', ';']),
            signatory,
            signatory_level,
            place,
            history,
            expires_on,
            term,
            renewal,
            legal_basis,
            notes,
            activity_id,
        })
    }
}

/// One recorded step of a provincial agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    pub kind: StepKind,
    /// Who is consulted (opinions).
    pub body: Option<String>,
    /// When the opinion was requested.
    pub requested_on: Option<NaiveDate>,
    /// When answered, decided or reported.
    pub done_on: Option<NaiveDate>,
}

/// A step as the agreement page shows it: its deadline and whether it is late.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StepState {
    pub kind: StepKind,
    pub body: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// Not recorded although the law requires it by now.
    pub missing: bool,
    pub late: bool,
    /// Days past its deadline while still not done (none once done, however late).
    pub overdue_days: Option<i64>,
}

/// Days `today` is past `due` for a step not yet done.
fn overdue_days(due: Option<NaiveDate>, done: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    match (due, done) {
        (Some(due), None) if today > due => Some((today - due).num_days()),
        _ => None,
    }
}

fn late(due: Option<NaiveDate>, done: Option<NaiveDate>, today: NaiveDate) -> bool {
    match (due, done) {
        (Some(due), Some(done)) => done > due,
        (Some(due), None) => today > due,
        _ => false,
    }
}

/// The steps of a provincial agreement with their deadlines: each opinion is due
/// 7 working days after it was requested; the decision to sign comes before the
/// signing; the report to the Prime Minister within 15 days of it. Once signed,
/// a step never recorded shows as missing.
pub fn provincial_steps(
    recorded: &[StepRecord],
    signed_on: Option<NaiveDate>,
    today: NaiveDate,
    cal: &DayOverrides,
) -> Vec<StepState> {
    let mut out = Vec::new();
    for kind in StepKind::ALL {
        let mine: Vec<&StepRecord> = recorded.iter().filter(|r| r.kind == *kind).collect();
        let due_of = |r: Option<&StepRecord>| match kind {
            StepKind::Opinion => r
                .and_then(|r| r.requested_on)
                .map(|d| cal.add_working_days(d, OPINION_WORKING_DAYS)),
            StepKind::Decision => signed_on,
            StepKind::Report => signed_on.map(|s| days::add_days(s, REPORT_DAYS)),
        };
        if mine.is_empty() {
            let due = due_of(None);
            let missing = signed_on.is_some_and(|s| match kind {
                StepKind::Report => today > days::add_days(s, REPORT_DAYS),
                _ => true,
            });
            out.push(StepState {
                kind: *kind,
                body: None,
                requested_on: None,
                done_on: None,
                due,
                missing,
                late: missing || late(due, None, today),
                overdue_days: overdue_days(due, None, today),
            });
            continue;
        }
        for r in mine {
            let due = due_of(Some(r));
            out.push(StepState {
                kind: *kind,
                body: r.body.clone(),
                requested_on: r.requested_on,
                done_on: r.done_on,
                due,
                missing: false,
                late: late(due, r.done_on, today),
                overdue_days: overdue_days(due, r.done_on, today),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::days::{DayKind, parse_date};

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn nothing_is_in_force_before_it_is_signed() {
        let today = d("2026-11-23");
        assert!(check_step(None, Status::InForce, d("2026-01-01"), today).is_err());
        assert!(
            check_step(
                Some((Status::Negotiating, d("2026-01-01"))),
                Status::InForce,
                d("2026-02-01"),
                today
            )
            .is_err()
        );
        assert!(
            check_history(
                &[
                    (Status::Negotiating, d("2026-01-01")),
                    (Status::Signed, d("2026-02-01")),
                    (Status::InForce, d("2026-03-01")),
                    (Status::Suspended, d("2026-04-01")),
                    (Status::InForce, d("2026-05-01")),
                    (Status::Expired, d("2026-06-01")),
                ],
                today
            )
            .is_ok()
        );
    }

    #[test]
    fn dates_must_run_forward_and_not_into_the_future() {
        let today = d("2026-11-23");
        let signed = Some((Status::Signed, d("2026-03-10")));
        assert!(check_step(signed, Status::InForce, d("2026-03-09"), today).is_err());
        assert!(check_step(signed, Status::InForce, d("2026-03-10"), today).is_ok());
        assert!(check_step(None, Status::Signed, d("2026-11-24"), today).is_err());
        assert!(
            check_step(
                Some((Status::Terminated, d("2026-01-01"))),
                Status::InForce,
                today,
                today
            )
            .is_err()
        );
    }

    #[test]
    fn the_form_builds_the_first_history() {
        let today = d("2026-11-23");
        let mut f = AgreementForm {
            kind: "memorandum".into(),
            title_vi: "Bản ghi nhớ hợp tác".into(),
            owner_agency: "UBND-DN".into(),
            ..Default::default()
        };
        let a = AgreementInput::parse(&f, today).unwrap();
        assert_eq!(a.history, vec![(Status::Negotiating, today)]);
        f.in_force_on = Some("01/02/2026".into());
        let e = AgreementInput::parse(&f, today).unwrap_err();
        assert!(e.get("in_force_on").is_some());
        f.signed_on = Some("10/02/2026".into());
        let e = AgreementInput::parse(&f, today).unwrap_err();
        assert!(e.get("in_force_on").is_some(), "in force before signed");
        f.in_force_on = Some("2026-03-01".into());
        f.expires_on = Some("2026-01-01".into());
        let e = AgreementInput::parse(&f, today).unwrap_err();
        assert!(e.get("expires_on").is_some());
        f.expires_on = Some("2031-03-01".into());
        let a = AgreementInput::parse(&f, today).unwrap();
        assert_eq!(
            a.history,
            vec![
                (Status::Signed, d("2026-02-10")),
                (Status::InForce, d("2026-03-01"))
            ]
        );
        // A future signing date is refused in the form's words, not a status's.
        f.signed_on = Some("15/03/2027".into());
        let e = AgreementInput::parse(&f, today).unwrap_err();
        assert!(e.get("signed_on").unwrap().vi.contains("Ngày ký"), "{e:?}");
    }

    #[test]
    fn expiry_watch_covers_live_agreements_only() {
        let today = d("2026-11-23");
        let soon = Some(d("2027-01-15"));
        assert!(expiring(Status::InForce, soon, today, 90));
        assert!(!expiring(Status::InForce, soon, today, 30));
        assert!(!expiring(Status::Terminated, soon, today, 90));
        assert!(!expiring(Status::InForce, None, today, 90));
        assert!(expiring(Status::InForce, Some(d("2026-11-01")), today, 90));
    }

    #[test]
    fn provincial_steps_show_what_is_late() {
        let mut cal = DayOverrides::default();
        cal.0.insert(d("2026-09-02"), DayKind::Holiday);
        let rec = vec![
            StepRecord {
                kind: StepKind::Opinion,
                body: Some("Bộ Ngoại giao".into()),
                requested_on: Some(d("2026-08-28")),
                done_on: Some(d("2026-09-08")),
            },
            StepRecord {
                kind: StepKind::Opinion,
                body: Some("Bộ Công an".into()),
                requested_on: Some(d("2026-08-28")),
                done_on: Some(d("2026-09-10")),
            },
        ];
        // Before signing: opinions only; the first answered in time.
        // Only 2/09 is off: Mon 31, Tue 1, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9.
        let s = provincial_steps(&rec, None, d("2026-09-11"), &cal);
        assert_eq!(s[0].due, Some(d("2026-09-09")));
        assert!(!s[0].late);
        assert!(s[1].late, "answered a day after the 7th working day");
        assert!(
            s.iter()
                .filter(|x| x.kind != StepKind::Opinion)
                .all(|x| !x.late && !x.missing)
        );
        // Signed 15/09 without a recorded decision; report due 30/09.
        let s = provincial_steps(&rec, Some(d("2026-09-15")), d("2026-09-20"), &cal);
        let dec = s.iter().find(|x| x.kind == StepKind::Decision).unwrap();
        assert!(dec.missing && dec.late);
        assert_eq!(dec.overdue_days, Some(5), "due on the signing day");
        let rep = s.iter().find(|x| x.kind == StepKind::Report).unwrap();
        assert_eq!(rep.due, Some(d("2026-09-30")));
        assert!(!rep.late && !rep.missing);
        let s = provincial_steps(&rec, Some(d("2026-09-15")), d("2026-10-01"), &cal);
        let rep = s.iter().find(|x| x.kind == StepKind::Report).unwrap();
        assert!(rep.late && rep.missing);
        assert_eq!(rep.overdue_days, Some(1));
        let mut rec2 = rec.clone();
        rec2.push(StepRecord {
            kind: StepKind::Report,
            body: None,
            requested_on: None,
            done_on: Some(d("2026-09-29")),
        });
        let s = provincial_steps(&rec2, Some(d("2026-09-15")), d("2026-10-01"), &cal);
        let rep = s.iter().find(|x| x.kind == StepKind::Report).unwrap();
        assert!(!rep.late);
        assert_eq!(rep.overdue_days, None, "done in time");
    }
}
