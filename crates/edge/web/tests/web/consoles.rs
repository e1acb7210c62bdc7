//! The seller dashboard and the admin console: every page walked with each kind of session
//! (none may reach what its role may not use), and what the overviews and the audit log show
//! after a sale and an admin's refund.

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, backends};

const SELLER_PAGES: [&str; 5] =
    ["/seller", "/seller/products", "/seller/products/new", "/seller/stock", "/seller/orders"];
const ADMIN_PAGES: [&str; 6] =
    ["/admin", "/admin/orders", "/admin/users", "/admin/sellers", "/admin/audit", "/admin/audit.csv"];

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut b = Browser::new(app);
    b.get("/account/login").await;
    let r = b.post("/account/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{email} signs in: {}", r.text);
    b
}

#[tokio::test]
async fn every_console_page_is_for_its_role_only() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        app.user_with_role("admin@example.com", Role::Admin).await;
        app.user_with_role("carol@example.com", Role::Customer).await;
        app.seller("sam@example.com").await;
        app.seller("tia@example.com").await;

        let mut anonymous = Browser::new(&app);
        for page in SELLER_PAGES.iter().chain(&ADMIN_PAGES) {
            let r = anonymous.get(page).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{page}");
            assert!(r.header("location").is_some_and(|l| l.starts_with("/account/login?next=")), "{page}");
        }
        let mut reached = Vec::new();
        for (email, may) in [
            ("carol@example.com", &[][..]),
            ("sam@example.com", &SELLER_PAGES[..]),
            ("tia@example.com", &SELLER_PAGES[..]),
            ("admin@example.com", &ADMIN_PAGES[..]),
        ] {
            let mut b = signed_in(&app, email).await;
            for page in SELLER_PAGES.iter().chain(&ADMIN_PAGES) {
                let r = b.get(page).await;
                let allowed = may.contains(page);
                if r.status == StatusCode::OK && !allowed {
                    reached.push(format!("{email} reached {page}"));
                }
                let want = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
                assert_eq!(r.status, want, "{email} {page}: {}", text(&r.text));
            }
        }
        assert_eq!(reached, Vec::<String>::new(), "pages reachable by a role that may not use them");
    }
}

#[tokio::test]
async fn the_overviews_chart_the_sales_and_the_audit_log_shows_the_refund() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        zones(&app).await;
        let shop = shop(&app).await;
        app.seller("tia@example.com").await;
        let r = app.post("/api/v1/cart/add", json!({"variant_id": shop.small, "quantity": 2}), None).await;
        let cart = r.json()["token"].as_str().expect("token").to_owned();
        let addr = json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
            "postal_code": "94105", "country": "US"});
        let headers = [("x-cart-token", cart.as_str())];
        let quote = json!({"address": addr, "shipping_method": "standard"});
        let r = app.call_with_headers(Method::POST, "/api/v1/checkout/quote", Some(quote), None, &headers).await;
        let total = r.json()["totals"]["total"].as_i64().expect("total");
        let body = json!({"address": addr, "email": "guest@example.com", "shipping_method": "standard",
            "payment_token": "tok_sandbox_ok", "expected_total": total});
        let headers = [("x-cart-token", cart.as_str()), ("idempotency-key", "k")];
        let r = app.call_with_headers(Method::POST, "/api/v1/checkout", Some(body), None, &headers).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let order = r.json()["id"].as_str().expect("id").to_owned();
        let number = r.json()["number"].as_str().expect("number").to_owned();
        app.settle().await;
        let r = app.get(&format!("/api/v1/orders/{order}"), Some(&shop.admin)).await;
        let pay = r.json()["payment"]["id"].as_str().expect("payment").to_owned();
        let path = format!("/api/v1/payments/{pay}/refunds");
        let body = json!({"amount": 500, "reason": "goodwill"});
        let r = app
            .call_with_headers(Method::POST, &path, Some(body), Some(&shop.admin), &[("idempotency-key", "r")])
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        app.settle().await;

        let mut admin = signed_in(&app, "admin@example.com").await;
        let page = admin.get("/admin").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("<svg") && page.text.contains("role=\"img\""), "charts are drawn");
        let read = text(&page.text);
        let money = |minor: i64| format!("${}.{:02}", minor / 100, minor % 100);
        assert!(read.contains(&format!("Revenue {}", money(total))), "{read}");
        assert!(read.contains("Refunded $5.00"), "{read}");
        assert!(read.contains("payment.refunded"), "the latest audit entries: {read}");

        let log = admin.get("/admin/audit?action=payment.refunded").await;
        let read = text(&log.text);
        assert!(read.contains("payment.refunded") && !read.contains("payment.captured"), "{read}");
        assert!(read.contains("(admin)") && read.contains(&pay), "{read}");
        let bad = admin.get("/admin/audit?since=yesterday").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(text(&bad.text).contains("`since` is malformed"));
        let csv = admin.get("/admin/audit.csv?action=payment.*").await;
        assert!(csv.header("content-type").is_some_and(|c| c.starts_with("text/csv")));
        assert_eq!(csv.text.lines().count(), 3, "a header, the capture and the refund: {}", csv.text);

        // The admin finds the order and refunds part of it from its page; the same form sent
        // twice refunds once, and more than is left is refused.
        let found = admin.get(&format!("/admin/orders?q={}", number)).await;
        assert!(text(&found.text).contains(&number), "{}", text(&found.text));
        let page = admin.get(&format!("/admin/orders/{order}")).await;
        let key = field_value(&page.text, "key").expect("the refund's key");
        let refund = [("key", key.as_str()), ("amount", "5.00"), ("reason", "scratched")];
        for _ in 0..2 {
            let r = admin.post(&format!("/admin/orders/{order}/refund"), &refund).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
            admin.get(&format!("/admin/orders/{order}")).await;
        }
        let read = text(&admin.get(&format!("/admin/orders/{order}?refunded=1")).await.text);
        assert!(read.contains("Refunded $10.00") && read.contains("The refund was made"), "{read}");
        let key = field_value(&admin.get(&format!("/admin/orders/{order}")).await.text, "key").expect("key");
        let too_much = [("key", key.as_str()), ("amount", "9999.00"), ("reason", "")];
        let r = admin.post(&format!("/admin/orders/{order}/refund"), &too_much).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&r.text));
        app.settle().await;
        let refunds = admin.get("/admin/audit.csv?action=payment.refunded").await;
        assert_eq!(refunds.text.lines().count(), 3, "the API's refund and the page's, once: {}", refunds.text);

        let mut seller = signed_in(&app, "seller@example.com").await;
        let read = text(&seller.get("/seller").await.text);
        assert!(read.contains(&format!("Revenue {}", money(5000))), "their two shirts: {read}");
        assert!(read.contains("Ridge Trail Shirt"), "their best product: {read}");
        let by_day = seller.get("/seller/sales.csv").await;
        assert!(by_day.header("content-type").is_some_and(|c| c.starts_with("text/csv")));
        let today = kernel::time::Timestamp::now().to_rfc3339()[..10].to_owned();
        assert_eq!(by_day.text.lines().count(), 31, "a header and 30 days");
        assert_eq!(by_day.text.lines().last(), Some(format!("{today},1,2,50.00").as_str()));
        let by_product = seller.get("/seller/sales.csv?by=product").await.text;
        assert_eq!(by_product.lines().nth(1), Some(format!("{},Ridge Trail Shirt,2,50.00", shop.product_id).as_str()));
        let mut other = signed_in(&app, "tia@example.com").await;
        let read = text(&other.get("/seller").await.text);
        assert!(read.contains("Revenue $0.00") && read.contains("No sales yet"), "{read}");

        // The seller fulfils their part from the dashboard; another seller cannot touch it.
        let part = app.get(&format!("/api/v1/fulfilments?order_id={order}"), Some(&shop.admin)).await.json()["items"]
            [0]["id"]
            .as_str()
            .expect("a part")
            .to_owned();
        let list = seller.get("/seller/orders").await;
        assert!(text(&list.text).contains("Start"), "{}", text(&list.text));
        other.get("/account").await; // a page with a form, for a current CSRF token
        let r = other.post(&format!("/seller/orders/{part}/move"), &[("state", "processing")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another seller's part");
        let r = other.post(&format!("/admin/orders/{order}/refund"), &[("key", "k"), ("amount", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a seller refunds nothing");
        assert!(
            text(&r.text).contains("for the shop&#39;s staff"),
            "refused for the role, not the form: {}",
            text(&r.text)
        );
        for state in ["processing", "packed"] {
            let r = seller.post(&format!("/seller/orders/{part}/move"), &[("state", state)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{state}: {}", text(&r.text));
            seller.get("/seller/orders").await;
        }
        let r = seller
            .post(&format!("/seller/orders/{part}/ship"), &[("carrier", "UPS"), ("tracking_number", "1Z!")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a malformed tracking number: {}", text(&r.text));
        let ship = [("carrier", "UPS"), ("tracking_number", "1Z999AA10123456784")];
        let r = seller.post(&format!("/seller/orders/{part}/ship"), &ship).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        let read = text(&seller.get("/seller/orders?state=shipped").await.text);
        assert!(read.contains("Tracking 1Z999AA10123456784") && read.contains("Mark delivered"), "{read}");
        app.settle().await;
        let order = app.get(&format!("/api/v1/orders/{order}"), Some(&shop.admin)).await.json();
        assert_eq!(order["state"], "shipped", "{order}");
    }
}

#[tokio::test]
async fn a_seller_adds_a_product_with_a_picture_and_stock_from_the_dashboard() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        app.seller("sam@example.com").await;
        app.seller("tia@example.com").await;
        let mut sam = signed_in(&app, "sam@example.com").await;
        sam.get("/seller/products/new").await;
        let bad = sam
            .post("/seller/products", &[("title", "Mug"), ("sku", "MUG-1"), ("price", "twelve"), ("stock", "3")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(&bad.text).contains("Give a price"), "{}", text(&bad.text));
        assert_eq!(field_value(&bad.text, "title").as_deref(), Some("Mug"), "what was typed is kept");
        let fields = [
            ("title", "Glazed Mug"),
            ("description", "Holds tea."),
            ("sku", "MUG-1"),
            ("price", "12.50"),
            ("stock", "7"),
            ("status", "active"),
        ];
        let r = sam.post("/seller/products", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        let at = r.header("location").expect("the new product's page").to_owned();
        let id = at.trim_start_matches("/seller/products/").to_owned();
        let page = sam.get(&at).await;
        let read = text(&page.text);
        assert!(read.contains("MUG-1 $12.50 7 7") && read.contains("No pictures yet"), "{read}");

        let r = sam.post_file(&format!("{at}/pictures"), &[("alt", "A blue mug")], &png(400, 300), false).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "an upload without the page's token");
        sam.get(&at).await;
        let r = sam.post_file(&format!("{at}/pictures"), &[("alt", "A blue mug")], b"not a picture", true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&r.text));
        let r = sam.post_file(&format!("{at}/pictures"), &[("alt", "A blue mug")], &png(400, 300), true).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        let page = sam.get(&at).await;
        assert!(page.text.contains("alt=\"A blue mug\""), "the picture shows");

        let r = sam
            .post(
                &format!("{at}/stock"),
                &[("sku", "MUG-1"), ("kind", "damaged"), ("quantity", "2"), ("reason", "dropped")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        assert!(text(&sam.get(&at).await.text).contains("MUG-1 $12.50 5 5"));
        let login = json!({"email": "sam@example.com", "password": PASSWORD});
        let login = app.post("/api/v1/auth/login", login, None).await.json();
        let token = login["tokens"]["access_token"].as_str().expect("token").to_owned();
        let settings = json!({"low_stock_threshold": 6, "reorder_point": 6, "reorder_quantity": 20});
        let r = app.call(Method::PUT, "/api/v1/inventory/items/MUG-1", Some(settings), Some(&token)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let stock = text(&sam.get("/seller/stock").await.text);
        assert!(stock.contains("MUG-1 Main 5 0 5"), "by location: {stock}");
        assert!(stock.contains("Running low SKU Available Threshold MUG-1 5 6"), "the open alert: {stock}");
        assert!(stock.contains("MUG-1 5 6 20"), "what to reorder: {stock}");
        assert!(
            stock.contains("MUG-1 damaged -2 5 dropped") && stock.contains("MUG-1 received 7 7 opening stock"),
            "{stock}"
        );
        app.settle().await;
        let shopfront = app.get(&format!("/api/v1/products/{id}"), None).await.json();
        assert_eq!(shopfront["images"][0]["alt"], "A blue mug", "customers see the picture");
        assert_eq!(shopfront["variants"][0]["price"], 1250);

        let mut tia = signed_in(&app, "tia@example.com").await;
        assert_eq!(tia.get(&at).await.status, StatusCode::NOT_FOUND, "another seller's product");
        tia.get("/account").await;
        let r = tia
            .post(
                &format!("{at}/stock"),
                &[("sku", "MUG-1"), ("kind", "received"), ("quantity", "99"), ("reason", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "nor its stock");
        let r = tia.post(&format!("{at}/archive"), &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "nor archive it");
        let r = sam.post(&format!("{at}/archive"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        assert!(text(&sam.get("/seller/products").await.text).contains("Glazed Mug archived"));
    }
}

#[tokio::test]
async fn an_admin_changes_roles_disables_accounts_and_decides_sellers_each_audited() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (_, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (_, ann) = app.user_with_role("ann@example.com", Role::Customer).await;
        let mut ann_browser = signed_in(&app, "ann@example.com").await;
        let mut admin = signed_in(&app, "admin@example.com").await;

        let found = admin.get("/admin/users?q=ann").await;
        let read = text(&found.text);
        assert!(read.contains("ann@example.com") && !read.contains("admin@example.com"), "{read}");
        let r = admin.post(&format!("/admin/users/{ann}/role"), &[("role", "seller")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r.text));
        admin.get("/admin/users").await;
        let r = admin.post(&format!("/admin/users/{admin_id}/role"), &[("role", "customer")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "an admin does not demote themself: {}", text(&r.text));
        admin.get("/admin/users").await;
        let r = admin.post(&format!("/admin/users/{ann}/access"), &[("disabled", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = ann_browser.get("/account").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "a disabled account's session has ended");

        let p = kernel::auth::Principal {
            user_id: app.user_with_role("sol@example.com", Role::Customer).await.1,
            role: Role::Customer,
            method: kernel::auth::AuthMethod::Session { session_id: "t".into() },
        };
        let application = users::dto::SellerApplication {
            store_name: "Sol's Pottery".into(),
            description: "Hand-thrown bowls.".into(),
            contact_email: "sol@example.com".into(),
            contact_phone: None,
        };
        app.app.users.seller_apply(&p, application).await.expect("application");
        let pending = text(&admin.get("/admin/sellers").await.text);
        assert!(pending.contains("Sol's Pottery") || pending.contains("Sol&#39;s Pottery"), "{pending}");
        let r = admin.post(&format!("/admin/sellers/{}/decide", p.user_id), &[("decision", "approve")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(text(&admin.get("/admin/sellers?status=approved").await.text).contains("Pottery"));
        app.settle().await;

        let log = admin.get("/admin/audit.csv").await.text;
        let mine = |action: &str, object: &str| {
            log.lines().any(|l| l.contains(action) && l.contains(object) && l.contains(&format!("{admin_id},admin")))
        };
        assert!(mine("user.role_changed", &ann), "{log}");
        assert!(mine("user.access_changed", &ann), "{log}");
        assert!(mine("seller.status_changed", &p.user_id), "{log}");
    }
}
