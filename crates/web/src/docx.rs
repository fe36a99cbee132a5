//! A `domain::document::Document` drawn as a `.docx` in the Decree-30 layout:
//! A4 with the Annex's margins, Times New Roman, the issuer and the national
//! title side by side, the number, the place and date in italics, the title,
//! "Kính gửi", the sections, the signature, "Nơi nhận"; the classification
//! mark above the number; page numbers at the top from page 2.

use crate::error::{WebError, WebResult};
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Header, InstrText, LineSpacing, PageMargin, Paragraph, Run,
    RunFonts, Table, TableCell, TableRow, WidthType,
};
use kieng_domain::document::{
    A4_TWIPS, BODY_HALF_POINTS, Block, DocTable, Document, FONT, MARGINS_TWIPS, MOTTO,
    NATIONAL_TITLE, mark, place_and_date,
};

fn run(text: impl Into<String>, half_points: usize) -> Run {
    Run::new().add_text(text).size(half_points).fonts(
        RunFonts::new()
            .ascii(FONT)
            .hi_ansi(FONT)
            .cs(FONT)
            .east_asia(FONT),
    )
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(r)
}

/// The page number, centred at the top (from page 2: the first page's header
/// is empty).
fn page_number() -> Header {
    Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(Run::new().add_instr_text(InstrText::PAGE(Default::default())))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(run("2", BODY_HALF_POINTS))
            .add_run(Run::new().add_field_char(FieldCharType::End, false)),
    )
}

/// A table in 13 pt with borders: the header bold and centred, the first
/// column text, the others figures aligned right.
fn table(t: &DocTable) -> Table {
    // The first column takes what the figures leave of the 165 mm line.
    let n = t.head.len().max(1);
    let figure = 1_700usize;
    let first = 9_300usize.saturating_sub(figure * (n - 1));
    let widths: Vec<usize> = (0..n)
        .map(|i| if i == 0 { first } else { figure })
        .collect();
    let cell = |text: &str, bold: bool, align: AlignmentType, w: usize| {
        let r = run(text, 26);
        TableCell::new().width(w, WidthType::Dxa).add_paragraph(
            Paragraph::new()
                .align(align)
                .add_run(if bold { r.bold() } else { r }),
        )
    };
    let mut rows = vec![TableRow::new(
        t.head
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, true, AlignmentType::Center, widths[i]))
            .collect(),
    )];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(i, v)| {
                    cell(
                        v,
                        false,
                        if i == 0 {
                            AlignmentType::Left
                        } else {
                            AlignmentType::Right
                        },
                        widths.get(i).copied().unwrap_or(figure),
                    )
                })
                .collect(),
        ));
    }
    Table::new(rows)
        .set_grid(widths.clone())
        .width(9_300, WidthType::Dxa)
}

/// The document as `.docx` bytes.
pub fn render(doc: &Document) -> WebResult<Vec<u8>> {
    let classification = mark([doc.classification]);
    let m = MARGINS_TWIPS;
    let mut d = Docx::new()
        .page_size(A4_TWIPS.0, A4_TWIPS.1)
        .page_margin(
            PageMargin::new()
                .top(m.top)
                .bottom(m.bottom)
                .left(m.left)
                .right(m.right)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY_HALF_POINTS)
        .header(page_number())
        .first_header(Header::new())
        .title_pg();
    // Left: the parent body and the issuer, the number; right: the national
    // title, the motto, the place and date.
    let mut left = TableCell::new().width(3_600, WidthType::Dxa);
    if let Some(p) = &doc.parent {
        left = left.add_paragraph(centred(run(p.to_uppercase(), 26)));
    }
    left = left.add_paragraph(centred(run(doc.issuer.to_uppercase(), 26).bold()));
    left = left.add_paragraph(centred(run("———", 26)));
    if let Some(c) = classification {
        left = left.add_paragraph(centred(run(c, 28).bold()));
    }
    left = left.add_paragraph(centred(run(&doc.number, 26)));
    // The urgency mark below the number (Annex I, box 10b).
    if let Some(u) = &doc.urgency {
        left = left.add_paragraph(centred(run(u, 28).bold()));
    }
    let right = TableCell::new()
        .width(5_800, WidthType::Dxa)
        .add_paragraph(centred(run(NATIONAL_TITLE, 26).bold()))
        .add_paragraph(centred(run(MOTTO, 28).bold()))
        .add_paragraph(centred(run("———————", 26)))
        .add_paragraph(centred(
            run(place_and_date(&doc.place, doc.date), 28).italic(),
        ));
    d = d.add_table(Table::without_borders(vec![TableRow::new(vec![
        left, right,
    ])]));
    d = d
        .add_paragraph(Paragraph::new())
        .add_paragraph(centred(run(&doc.kind, 28).bold()))
        .add_paragraph(centred(run(&doc.title, 28).bold()));
    if !doc.recipients.is_empty() {
        let mut p = Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("Kính gửi: ", 28));
        p = p.add_run(run(doc.recipients.join("; "), 28));
        d = d.add_paragraph(p);
    }
    d = d.add_paragraph(Paragraph::new());
    let body = |text: &str| {
        Paragraph::new()
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(docx_rs::SpecialIndentType::FirstLine(567)),
                None,
                None,
            )
            .line_spacing(LineSpacing::new().before(60).after(60))
            .add_run(run(text, BODY_HALF_POINTS))
    };
    let sub = |text: &str| {
        Paragraph::new()
            .indent(
                None,
                Some(docx_rs::SpecialIndentType::FirstLine(567)),
                None,
                None,
            )
            .line_spacing(LineSpacing::new().before(120).after(60))
            .add_run(run(text, BODY_HALF_POINTS).bold())
    };
    for s in &doc.sections {
        d = d.add_paragraph(sub(&s.heading));
        for b in &s.blocks {
            d = match b {
                Block::Heading(h) => d.add_paragraph(sub(h).add_run(Run::new())),
                Block::Paragraph(p) => d.add_paragraph(body(p)),
                Block::Item(i) => d.add_paragraph(body(&format!("- {i}"))),
                Block::Table(t) => d.add_table(table(t)).add_paragraph(Paragraph::new()),
            };
        }
    }
    // "Nơi nhận" on the left, the signature on the right.
    let mut copies = TableCell::new()
        .width(4_700, WidthType::Dxa)
        .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:", 24).bold().italic()));
    for c in &doc.copies_to {
        copies = copies.add_paragraph(Paragraph::new().add_run(run(format!("- {c};"), 22)));
    }
    let mut sign = TableCell::new()
        .width(4_700, WidthType::Dxa)
        .add_paragraph(centred(run(doc.signer_position.to_uppercase(), 28).bold()))
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new());
    if let Some(n) = &doc.signer_name {
        sign = sign.add_paragraph(centred(run(n, 28).bold()));
    }
    d = d
        .add_paragraph(Paragraph::new())
        .add_table(Table::without_borders(vec![TableRow::new(vec![
            copies, sign,
        ])]));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut out)
        .map_err(|e| WebError::Store(kieng_store::StoreError::Internal(format!("docx: {e}"))))?;
    Ok(out.into_inner())
}
