//! The partner briefing dossier as a Decree-30 `.docx`, read back by an
//! independent reader (Python's python-docx): A4, the Annex's margins, Times
//! New Roman, the national title and motto, the classification mark only when
//! a classified record is inside, and nothing above the reader's clearance.

use crate::activities::{create, day};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};

both!(the_briefing_is_a_decree_30_document_within_clearance);

/// What python-docx reads in the file: page size and margins (twips), the
/// fonts of the runs, every paragraph's text (tables included).
pub fn read(bytes: &[u8]) -> Value {
    let dir = std::env::temp_dir().join(format!("kieng-docx-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("b.docx");
    std::fs::write(&file, bytes).unwrap();
    let script = r#"
import json, sys
from docx import Document
d = Document(sys.argv[1])
s = d.sections[0]
tw = lambda emu: round(emu / 635)
texts = [p.text for p in d.paragraphs]
fonts = set()
for p in d.paragraphs:
    for r in p.runs:
        if r.font.name: fonts.add(r.font.name)
for t in d.tables:
    for row in t.rows:
        for c in row.cells:
            for p in c.paragraphs:
                texts.append(p.text)
                for r in p.runs:
                    if r.font.name: fonts.add(r.font.name)
print(json.dumps({
  "width": tw(s.page_width), "height": tw(s.page_height),
  "top": tw(s.top_margin), "bottom": tw(s.bottom_margin),
  "left": tw(s.left_margin), "right": tw(s.right_margin),
  "title_page": s.different_first_page_header_footer,
  "fonts": sorted(fonts), "texts": texts}))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn briefing(app: &TestApp, user: &str, partner: &str) -> Value {
    let s = app.signed_in(user).await;
    let r = s.get(&format!("/partners/{partner}/briefing.docx")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".docx")
    );
    read(&r.bytes().await.unwrap())
}

async fn the_briefing_is_a_decree_30_document_within_clearance(app: &TestApp) {
    let officer = app.token("officer").await;
    let root = app.token("root").await;
    let a = create(
        app,
        &officer,
        json!({"title": "Hội đàm với Đại sứ Nhật Bản", "type_code": "talks", "lead_agency": "A",
            "partners": ["Nhật Bản"], "starts_at": day(20, 9), "ends_at": day(20, 11)}),
    )
    .await;
    assert_eq!(a["partners"][0]["name_vi"], "Nhật Bản", "{a}");
    let japan = a["partners"][0]["id"].as_str().unwrap().to_string();

    let d = briefing(app, "officer", &japan).await;
    assert_eq!(
        (d["width"].as_i64(), d["height"].as_i64()),
        (Some(11_906), Some(16_838)),
        "A4"
    );
    assert_eq!(
        (
            d["top"].as_i64(),
            d["bottom"].as_i64(),
            d["left"].as_i64(),
            d["right"].as_i64()
        ),
        (Some(1_134), Some(1_134), Some(1_701), Some(850)),
        "20, 20, 30 and 15 mm"
    );
    assert_eq!(d["title_page"], true, "no page number on the first page");
    assert_eq!(d["fonts"], json!(["Times New Roman"]));
    let texts: Vec<String> = d["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let has = |s: &str| texts.iter().any(|t| t.contains(s));
    assert!(has("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(has("Độc lập - Tự do - Hạnh phúc"));
    assert!(has("HỒ SƠ ĐỐI TÁC") && has("NHẬT BẢN"));
    assert!(has("Hội đàm với Đại sứ Nhật Bản"));
    assert!(has("Số:"));
    assert!(
        !texts.iter().any(|t| t.trim() == "MẬT"),
        "nothing classified inside"
    );

    // A Mật activity the officer may read marks the document; a Tối mật one
    // is not in it at all, nor its level in the mark.
    let mut mat = json!({"title": "Tham vấn mật với Nhật Bản", "type_code": "talks", "lead_agency": "A",
        "partners": ["Nhật Bản"], "starts_at": day(25, 9), "ends_at": day(25, 11),
        "classification": "mat", "secret_item": "MAT"});
    create(app, &root, mat.clone()).await;
    mat["title"] = json!("Trao đổi tối mật với Nhật Bản");
    mat["classification"] = json!("toi_mat");
    mat["secret_item"] = json!("TOI_MAT");
    create(app, &root, mat).await;
    let d = briefing(app, "officer", &japan).await;
    let texts: Vec<String> = d["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert!(texts.iter().any(|t| t.trim() == "MẬT"), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("Tham vấn mật")));
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("tối mật") || t.trim() == "TỐI MẬT")
    );

    // The officer's talking points and period go into the document; a period
    // that ends before it starts is a 4xx that says so.
    let s = app.signed_in("officer").await;
    let r = s
        .post_form(
            &format!("/partners/{japan}/briefing.docx"),
            &[
                (
                    "points",
                    "Đề nghị Nhật Bản tiếp tục hỗ trợ đào tạo\nTrao đổi về hợp tác lao động",
                ),
                ("from", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let texts: Vec<String> = read(&r.bytes().await.unwrap())["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("GỢI Ý NỘI DUNG TRAO ĐỔI")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "Trao đổi về hợp tác lao động"),
        "{texts:?}"
    );
    let r = s
        .post_form(
            &format!("/partners/{japan}/briefing.docx"),
            &[("from", "10/05/2026"), ("to", "01/05/2026")],
        )
        .await;
    assert_eq!(r.status(), 422);
}
