//! The printable label: one 4×6 inch page (288×432 pt, what thermal label printers take) with
//! the sender, the recipient, the parcel's details and a Code 128 barcode of the tracking
//! number.
//!
//! The text is in Helvetica and Helvetica-Bold, two of the fourteen fonts every PDF reader
//! has, so nothing is embedded and a label is a few kilobytes. They are read as
//! WinAnsiEncoding (Windows-1252), which covers the Latin alphabets of the shops this ships
//! for; a character outside it prints as `?`. The file is rendered again from the stored
//! request each time, so it holds no date or id of its own: the same label is the same bytes.
//! Streams are left uncompressed (they are small, and tools and tests can read them).

use crate::api::{LabelAddress, LabelRequest};
use crate::barcode;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

const WIDTH: f32 = 288.0;
const HEIGHT: f32 = 432.0;
const MARGIN: f32 = 14.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
/// Address lines printed per block; a label has room for no more.
const FROM_LINES: usize = 4;
const TO_LINES: usize = 5;
/// The barcode's height, and its quiet zone (blank modules on each side, which scanners need
/// to find where the code starts).
const BAR_HEIGHT: f32 = 64.0;
const QUIET_MODULES: usize = 10;

/// The label's PDF. Fails only when the tracking number cannot be put in a barcode.
pub fn render(request: &LabelRequest, carrier: &str, tracking_number: &str) -> Result<Vec<u8>, String> {
    let modules = barcode::code128(tracking_number)?;
    let (catalog, pages, page, regular, bold, contents) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    {
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        p.parent(pages);
        p.contents(contents);
        p.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
    }
    for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id).base_font(Name(name)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let content = draw(request, carrier, tracking_number, &modules);
    pdf.stream(contents, &content);
    Ok(pdf.finish())
}

/// Lays the page out from the top down.
fn draw(r: &LabelRequest, carrier: &str, tracking_number: &str, modules: &[bool]) -> Vec<u8> {
    let mut s = Sheet { c: Content::new(), y: HEIGHT - MARGIN };
    s.line(BOLD, 16.0, carrier);
    s.rule();
    address(&mut s, "FROM", &r.from, (9.0, 9.0), FROM_LINES);
    s.rule();
    address(&mut s, "SHIP TO", &r.to, (14.0, 12.0), TO_LINES);
    s.rule();
    s.line(REGULAR, 10.0, &format!("Order: {}", r.order_number));
    s.line(REGULAR, 10.0, &format!("Method: {}", r.method));
    s.line(REGULAR, 10.0, &format!("Weight: {}", kg(r.weight_g)));
    s.line(REGULAR, 10.0, &format!("Items: {}", r.items.max(0)));
    s.barcode(modules, tracking_number);
    s.c.finish().to_vec()
}

/// A block's heading, then the name (larger, bold) and the lines under it.
fn address(s: &mut Sheet, heading: &str, a: &LabelAddress, (name_size, line_size): (f32, f32), lines: usize) {
    s.line(BOLD, 8.0, heading);
    s.line(BOLD, name_size, &a.name);
    for l in a.lines.iter().take(lines) {
        s.line(REGULAR, line_size, l);
    }
}

/// Grams as kilograms with one decimal, rounded half up: 750 g is "0.8 kg".
pub fn kg(weight_g: i64) -> String {
    let tenths = weight_g.max(0).saturating_add(50) / 100;
    format!("{}.{} kg", tenths / 10, tenths % 10)
}

/// The content stream being written and the baseline of the last line.
struct Sheet {
    c: Content,
    y: f32,
}

impl Sheet {
    /// A line of text below the last, at the left margin.
    fn line(&mut self, font: Name, size: f32, text: &str) {
        self.y -= size * 1.25;
        self.text(font, size, MARGIN, &fit(text, size));
    }

    fn text(&mut self, font: Name, size: f32, x: f32, text: &str) {
        let bytes = winansi(text);
        self.c.begin_text();
        self.c.set_font(font, size);
        self.c.next_line(x, self.y);
        self.c.show(Str(&bytes));
        self.c.end_text();
    }

    /// A thin rule across the page between blocks.
    fn rule(&mut self) {
        self.y -= 6.0;
        self.c.rect(MARGIN, self.y, WIDTH - 2.0 * MARGIN, 1.0);
        self.c.fill_nonzero();
        self.y -= 2.0;
    }

    /// The barcode at the foot of the page, centred, each bar one filled rectangle, and the
    /// tracking number under it for a person to read.
    fn barcode(&mut self, modules: &[bool], tracking_number: &str) {
        let text_size = 12.0;
        let text_y = MARGIN + 4.0;
        let bar_y = text_y + text_size + 4.0;
        let module = ((WIDTH - 2.0 * MARGIN) / (modules.len() + 2 * QUIET_MODULES) as f32).min(2.0);
        let x0 = (WIDTH - module * modules.len() as f32) / 2.0;
        for (start, width) in barcode::bars(modules) {
            self.c.rect(x0 + module * start as f32, bar_y, module * width as f32, BAR_HEIGHT);
        }
        self.c.fill_nonzero();
        self.y = text_y;
        let x = (WIDTH - bold_width(tracking_number, text_size)) / 2.0;
        self.text(BOLD, text_size, x.max(MARGIN), tracking_number);
    }
}

/// The text cut to what fits across the label, with `…` where it was cut. Helvetica averages
/// about half an em per character; 0.6 leaves room for wide capitals.
fn fit(text: &str, size: f32) -> String {
    let max = ((WIDTH - 2.0 * MARGIN) / (size * 0.6)) as usize;
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The width of a tracking number in Helvetica-Bold, from the font's metrics (per 1000 em:
/// digits 556, O 778, X 667), to centre it; other characters count as a digit.
fn bold_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            'O' => 778,
            'X' => 667,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// The text in WinAnsiEncoding: Latin-1 as is, the Windows-1252 extras (€, curly quotes,
/// dashes, Œ, Š…) at their codes, control characters as spaces, anything else as `?`.
pub fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            c if c.is_control() => b' ',
            c => cp1252_extra(c).unwrap_or(b'?'),
        })
        .collect()
}

/// Where Windows-1252 puts the characters it has at 0x80-0x9F (Latin-1's controls there).
fn cp1252_extra(c: char) -> Option<u8> {
    const EXTRAS: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8a),
        ('‹', 0x8b),
        ('Œ', 0x8c),
        ('Ž', 0x8e),
        ('\u{2018}', 0x91),
        ('\u{2019}', 0x92),
        ('\u{201c}', 0x93),
        ('\u{201d}', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9a),
        ('›', 0x9b),
        ('œ', 0x9c),
        ('ž', 0x9e),
        ('Ÿ', 0x9f),
    ];
    EXTRAS.iter().find(|(k, _)| *k == c).map(|&(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> LabelRequest {
        let address = |name: &str| LabelAddress { name: name.into(), lines: vec!["1 Main St".into(), "US".into()] };
        LabelRequest {
            reference: "ful_1".into(),
            order_number: "1001".into(),
            method: "Standard".into(),
            from: address("Shop (Main)"),
            to: address("Ann"),
            weight_g: 750,
            items: 2,
        }
    }

    #[test]
    fn text_is_windows_1252_with_question_marks_for_the_rest() {
        assert_eq!(winansi("Zoë €5 – “ok”"), b"Zo\xeb \x805 \x96 \x93ok\x94");
        assert_eq!(winansi("李 a\tb\n"), b"? a b ");
        assert_eq!(winansi("Œuvre Ÿ"), b"\x8cuvre \x9f");
    }

    #[test]
    fn weights_print_in_kilograms_with_one_decimal() {
        assert_eq!(
            [kg(750), kg(800), kg(1249), kg(1250), kg(0), kg(-5)],
            ["0.8 kg", "0.8 kg", "1.2 kg", "1.3 kg", "0.0 kg", "0.0 kg"]
        );
    }

    #[test]
    fn long_lines_are_cut_to_fit() {
        assert_eq!(fit("short", 10.0), "short");
        let cut = fit(&"W".repeat(200), 10.0);
        assert!(cut.ends_with('…') && cut.chars().count() == 43, "{cut}");
    }

    #[test]
    fn the_same_label_is_the_same_bytes() {
        let a = render(&request(), "Oxcart Post", "OX1234567890123").unwrap_or_default();
        let b = render(&request(), "Oxcart Post", "OX1234567890123").unwrap_or_default();
        assert!(a.starts_with(b"%PDF-") && a == b);
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("/MediaBox [0 0 288 432]"), "{text}");
        assert!(text.contains("(Shop \\(Main\\))") || text.contains("(Shop (Main))"), "{text}");
        assert!(text.contains("/WinAnsiEncoding") && text.contains("/Helvetica-Bold"));
    }
}
