use super::*;
use serde_json::json;

fn order() -> serde_json::Value {
    json!({
        "id": "ord_01", "number": "OX-12345-67890", "state": "confirmed", "currency": "EUR",
        "lines": [
            {"title": "Linen shirt", "variant_title": "M / Blue", "quantity": 2, "unit_price": 2500, "total": 5000},
            {"title": "Socks <3", "variant_title": "", "quantity": 1, "unit_price": 450, "total": 450}
        ],
        "subtotal": 5450, "discount": 500, "shipping": 495, "tax": 870, "total": 5445,
        "shipping_method": "Standard"
    })
}

/// What each kind's templates are given, as the service builds it.
fn sample(kind: Kind) -> serde_json::Value {
    let mut c = json!({
        "shop": {"name": "Tidy & Co", "url": "https://shop.example"},
        "recipient": {"name": "Jane"},
        "links": {
            "order": "https://shop.example/orders/ord_01", "account": "https://shop.example/account",
            "action": "https://shop.example/account/reset?token=abc", "tracking": "https://track.example/OX1",
            "fulfilment": "https://shop.example/seller/orders/ful_01", "inventory": "https://shop.example/seller/inventory",
            "return": "https://shop.example/seller/returns/ret_01",
            "unsubscribe": "https://shop.example/api/v1/notifications/unsubscribe?token=t"
        },
        "order": order(),
        "lines": order()["lines"],
        "shipment": {"carrier": "Oxcart Post", "tracking_number": "OX1234567890123"},
        "amount": 2500, "currency": "EUR", "reason": "card declined",
        "expires_minutes": 30, "expires_hours": 48, "return_days": 30,
        "sku": "SHIRT-M-BLUE", "available": 3, "threshold": 5, "status": "needs_response",
        "event": {"id": "evt_01", "type": "order.confirmed", "attempts": 10, "error": "consumer failed"}
    });
    if kind == Kind::PasswordReset {
        c["links"].as_object_mut().map(|l| l.remove("unsubscribe"));
    }
    c
}

#[test]
fn every_kind_renders_with_sample_data() {
    let templates = Templates::load(None).expect("templates load");
    for kind in Kind::ALL {
        let r = templates.render(*kind, &sample(*kind)).unwrap_or_else(|e| panic!("{}: {e}", kind.as_str()));
        assert!(!r.subject.is_empty() && !r.subject.contains('\n'), "{}: subject {:?}", kind.as_str(), r.subject);
        assert!(r.text.len() > 20, "{}: text {:?}", kind.as_str(), r.text);
        assert!(r.html.contains("Tidy &amp; Co"), "{}: the shop's name, escaped, in the HTML", kind.as_str());
        assert_eq!(
            r.sms.is_some(),
            kind.sms_by_default() || *kind == Kind::SellerNewOrder || *kind == Kind::SellerLowStock,
            "{}: an SMS exactly where one is written",
            kind.as_str()
        );
        let push = r.push.as_ref().or(r.sms.as_ref());
        assert_eq!(
            push.is_some_and(|p| p.len() > 20),
            !kind.sensitive(),
            "{}: a push but for a secret link",
            kind.as_str()
        );
    }
}

#[test]
fn order_confirmed_shows_lines_and_totals_and_escapes_html() {
    let r = Templates::load(None)
        .expect("load")
        .render(Kind::OrderConfirmed, &sample(Kind::OrderConfirmed))
        .expect("render");
    assert_eq!(r.subject, "Order OX-12345-67890 confirmed");
    assert!(r.text.contains("2 × Linen shirt (M / Blue)  50.00 EUR"), "{}", r.text);
    assert!(r.text.contains("Total      54.45 EUR"), "{}", r.text);
    assert!(r.text.contains("Discount  -5.00 EUR"), "{}", r.text);
    assert!(r.html.contains("Socks &lt;3"), "a seller's product name cannot inject HTML");
    assert!(!r.html.contains("Socks <3"));
    assert!(r.sms.expect("sms").contains("54.45 EUR"));
}

#[test]
fn a_missing_variable_is_an_error_naming_it() {
    let mut c = sample(Kind::OrderShipped);
    c.as_object_mut().expect("object").remove("shipment");
    let e = Templates::load(None).expect("load").render(Kind::OrderShipped, &c).expect_err("must fail");
    assert!(e.contains("order_shipped.txt"), "{e}");
}

#[test]
fn money_follows_the_currency() {
    assert_eq!(money(1234, "EUR".into()), "12.34 EUR");
    assert_eq!(money(5, "USD".into()), "0.05 USD");
    assert_eq!(money(-250, "USD".into()), "-2.50 USD");
    assert_eq!(money(1234, "JPY".into()), "1234 JPY");
}

#[test]
fn a_file_in_the_templates_folder_replaces_the_built_in_one() {
    let dir = std::env::temp_dir().join(format!("oxcart-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("password_changed.txt"), "{% block subject %}Changed!{% endblock %}{% block text %}Your password at {{ shop.name }} changed.{% endblock %}").expect("write");
    let r = Templates::load(Some(&dir))
        .expect("load")
        .render(Kind::PasswordChanged, &sample(Kind::PasswordChanged))
        .expect("render");
    assert_eq!(r.subject, "Changed!");
    std::fs::write(dir.join("password_changed.txt"), "{% block subject %}{{ broken {% endblock %}").expect("write");
    let e = Templates::load(Some(&dir)).err().expect("a template that does not parse fails the start");
    assert!(e.contains("password_changed.txt"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
