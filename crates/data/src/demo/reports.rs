//! The demo's review reports: the Ministry's draft review of the year, its
//! assessment written, waiting for the coordinator to submit it; and last
//! year's first-half review, approved and numbered.

use kieng_domain::report::{Part, ReportForm};
use kieng_store::reports::{MoveForm, PartForm};
use kieng_store::{Store, StoreError};

pub async fn load(store: &Store) -> Result<(), StoreError> {
    use chrono::Datelike;
    let year = kieng_store::today().year();
    let coordinator = store.acting_as("dieuphoi").await?;
    let leader = store.acting_as("lanhdao").await?;
    let form = |title: String, period: &str, y: i32, part: &str| ReportForm {
        title,
        period: period.into(),
        year: Some(y.to_string()),
        part: Some(part.into()),
        scope: "all".into(),
        recipients: Some("Ban Bí thư Trung ương Đảng\nThủ tướng Chính phủ".into()),
        signer_position: Some("Bộ trưởng".into()),
        copies_to: Some("Các Thứ trưởng\nVăn phòng Bộ\nLưu: VT, TH".into()),
        classification: Some("none".into()),
        ..Default::default()
    };
    let half = store
        .report_create(
            &coordinator,
            &form(
                format!("Sơ kết công tác đối ngoại 6 tháng đầu năm {}", year - 1),
                "half",
                year - 1,
                "1",
            ),
        )
        .await?;
    store
        .report_part_save(
            &coordinator,
            half.id,
            Part::Assessment,
            &PartForm {
                body: "Sáu tháng đầu năm, các hoạt động đối ngoại được triển khai đúng kế hoạch (số liệu minh họa của dữ liệu mẫu).".into(),
                revision: 0,
            },
        )
        .await?;
    let half = store
        .report_move(
            &coordinator,
            half.id,
            &MoveForm {
                r#move: "submit".into(),
                version: half.version,
                note: None,
            },
        )
        .await?;
    store
        .report_move(
            &leader,
            half.id,
            &MoveForm {
                r#move: "approve".into(),
                version: half.version,
                note: None,
            },
        )
        .await?;
    let r = store
        .report_create(
            &coordinator,
            &form(
                format!(
                    "Tổng kết công tác đối ngoại năm {year} và phương hướng, nhiệm vụ năm {}",
                    year + 1
                ),
                "year",
                year,
                "1",
            ),
        )
        .await?;
    for (part, body) in [
        (
            Part::Assessment,
            "Năm qua, công tác đối ngoại được triển khai đồng bộ trên cả ba trụ cột; quan hệ với các đối tác láng giềng và đối tác chủ chốt tiếp tục được làm sâu sắc, tin cậy chính trị được nâng lên.\nCác hoạt động đối ngoại cấp cao được chuẩn bị chu đáo, đạt kết quả thực chất.",
        ),
        (
            Part::Shortcomings,
            "Việc theo dõi, đôn đốc thực hiện các cam kết sau hoạt động đối ngoại ở một số cơ quan còn chậm; báo cáo kết quả đoàn ra chưa đúng hạn.",
        ),
        (
            Part::Directions,
            "Tiếp tục nâng cao hiệu quả phối hợp giữa ba trụ cột; đôn đốc thực hiện các cam kết đến hạn; chuẩn bị tốt các hoạt động đối ngoại cấp cao năm tới.",
        ),
    ] {
        store
            .report_part_save(
                &coordinator,
                r.id,
                part,
                &PartForm {
                    body: body.into(),
                    revision: 0,
                },
            )
            .await?;
    }
    Ok(())
}
