//! The built-in label provider through the contract fulfilment calls: one label per
//! reference, tracking numbers with a valid check digit, and a 4×6 PDF drawn from the request.

use axum::http::StatusCode;
use shipping::api::{LabelAddress, LabelRequest, ShippingLabels};
use testkit::TestApp;

fn request(reference: &str, to_name: &str) -> LabelRequest {
    LabelRequest {
        reference: reference.into(),
        order_number: "ORD-1042".into(),
        method: "Standard".into(),
        from: LabelAddress {
            name: "Acme Goods (Warehouse)".into(),
            lines: vec!["1 Dock Road".into(), "Portland, OR 97201".into(), "US".into()],
        },
        to: LabelAddress {
            name: to_name.into(),
            lines: vec!["221B Baker Street".into(), "London NW1 6XE".into(), "GB".into()],
        },
        weight_g: 750,
        items: 3,
    }
}

/// Luhn over the digits after `OX`, written out again here rather than borrowed from the
/// crate, so that a wrong implementation there cannot pass its own check.
fn luhn_valid(tracking_number: &str) -> bool {
    let Some(digits) = tracking_number.strip_prefix("OX") else { return false };
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { (d * 2) / 10 + (d * 2) % 10 } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

#[tokio::test]
async fn one_label_per_reference_with_a_checked_tracking_number() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let svc = &app.app.shipping;
        let first = svc.label_create(&request("ful_1", "Ann Reader")).await.expect("label");
        assert_eq!(first.carrier, "Oxcart Post", "{}", backend.name());
        assert!(luhn_valid(&first.tracking_number), "{}", first.tracking_number);
        assert!(shipping::domain::tracking::tracking_number_valid(&first.tracking_number));

        // The same reference answers the same label, whatever else the retry says.
        let again = svc.label_create(&request("ful_1", "Someone Else")).await.expect("label again");
        assert_eq!(again, first);
        let pdf = svc.label_pdf(&first.tracking_number).await.expect("pdf");
        assert!(count(&pdf, b"(Ann Reader)") == 1, "the first request is the one kept");

        let mut numbers = std::collections::BTreeSet::from([first.tracking_number.clone()]);
        for i in 2..=6 {
            let l = svc.label_create(&request(&format!("ful_{i}"), "Ann Reader")).await.expect("label");
            assert!(luhn_valid(&l.tracking_number), "{}", l.tracking_number);
            numbers.insert(l.tracking_number);
        }
        assert_eq!(numbers.len(), 6, "distinct references, distinct tracking numbers");

        let err = svc.label_create(&request(" ", "Ann")).await.expect_err("no reference");
        assert_eq!((err.code.as_ref(), err.errors[0].field.as_str()), ("validation_failed", "reference"));
    }
}

#[tokio::test]
async fn the_label_pdf_prints_the_parcel_and_its_barcode() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let svc = &app.app.shipping;
    let label = svc.label_create(&request("ful_pdf", "Zoë 李 Smith")).await.expect("label");
    let pdf = svc.label_pdf(&label.tracking_number).await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(svc.label_pdf(&label.tracking_number).await.expect("pdf"), pdf, "same bytes every time");
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/MediaBox [0 0 288 432]"), "4×6 inches");
    assert!(text.contains("/BaseFont /Helvetica") && text.contains("/BaseFont /Helvetica-Bold"));
    assert!(text.contains("/Encoding /WinAnsiEncoding"));
    for printed in [
        format!("({})", label.tracking_number),
        "(Order: ORD-1042)".into(),
        "(Method: Standard)".into(),
        "(Weight: 0.8 kg)".into(),
        "(Items: 3)".into(),
        "(Oxcart Post)".into(),
        "(SHIP TO)".into(),
        "(FROM)".into(),
        "(221B Baker Street)".into(),
    ] {
        assert!(text.contains(&printed), "{printed} in {text}");
    }
    // Parentheses in a name are escaped by the writer, not by hand.
    assert!(text.contains(r"(Acme Goods \(Warehouse\))") || text.contains("(Acme Goods (Warehouse))"), "{text}");
    // ë is in WinAnsi (0xEB), 李 is not: a '?' in its place. Non-ASCII strings are written in hex.
    assert!(text.to_ascii_lowercase().contains(&hex(b"Zo\xeb ? Smith")), "{text}");
    // The barcode: one filled rectangle per bar, at least a bar per symbol.
    assert!(count(&pdf, b" re\n") >= 30, "{} rectangles", count(&pdf, b" re\n"));

    let err = svc.label_pdf("OX0000000000000").await.expect_err("no such label");
    assert_eq!((err.code.as_ref(), err.status()), ("label_not_found", StatusCode::NOT_FOUND));
    let r = axum::response::IntoResponse::into_response(err);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(ct, "application/problem+json");
}

fn hex(bytes: &[u8]) -> String {
    format!("<{}>", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}
