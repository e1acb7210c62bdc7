//! CSV export and import of a seller's products: one row per variant, a round trip that changes
//! nothing, and files with errors refused whole with every faulty line named.

use crate::common::{Shop, create, jacket, shop};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use testkit::{TestApp, TestResponse};

const HEADER: &str = "product_slug,title,description,status,brand,category,attributes,options,sku,variant_title,\
option_values,price,compare_at_price,currency,weight_g,length_mm,width_mm,height_mm,barcode";

const EXPORT: &str = "/api/v1/seller/products/export";
const IMPORT: &str = "/api/v1/seller/products/import";

async fn import(app: &TestApp, token: Option<&str>, csv: &str) -> TestResponse {
    app.send_bytes(Method::POST, IMPORT, "text/csv", csv.as_bytes().to_vec(), token).await
}

async fn export(app: &TestApp, token: &str) -> String {
    let r = app.get(EXPORT, Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(r.header("content-disposition"), Some("attachment; filename=\"products.csv\""));
    r.text
}

/// The rows of a CSV text as maps of column to cell, and its header.
fn parse(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("record").iter().map(str::to_owned)).collect())
        .collect();
    (header, rows)
}

fn file(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text
}

/// The seller's products by slug: (status, variant count).
async fn own_products(app: &TestApp, token: &str) -> BTreeMap<String, (String, i64)> {
    let r = app.get("/api/v1/seller/products?limit=100", Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| {
            (
                p["slug"].as_str().expect("slug").to_owned(),
                (p["status"].as_str().expect("status").to_owned(), p["variant_count"].as_i64().expect("count")),
            )
        })
        .collect()
}

fn variant_ids(product: &Value) -> Vec<String> {
    product["variants"].as_array().expect("variants").iter().map(|v| v["id"].as_str().expect("id").to_owned()).collect()
}

async fn two_products(app: &TestApp, s: &Shop) -> (Value, Value) {
    let storm = create(app, &s.seller, jacket("Storm Jacket", "STORM", 12900, s)).await;
    let mut draft = jacket("Draft Parka", "PARKA", 20000, s);
    draft["status"] = json!("draft");
    draft["category_id"] = json!(s.category);
    draft["variants"][0]["weight_g"] = json!(850);
    draft["variants"][0]["barcode"] = json!("4006381333931");
    let parka = create(app, &s.seller, draft).await;
    (storm, parka)
}

#[tokio::test]
async fn the_export_reimports_as_an_update_without_duplicates() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (storm, parka) = two_products(&app, &s).await;
        let (rival, _) = app.seller("rival@example.com").await;
        create(&app, &rival, jacket("Rival Coat", "RIVAL", 5000, &s)).await;

        let text = export(&app, &s.seller).await;
        let (header, rows) = parse(&text);
        assert_eq!(header.join(","), HEADER);
        assert_eq!(rows.len(), 4, "one row per variant, the rival's excluded: {text}");
        let mut skus: Vec<&str> = rows.iter().map(|r| r["sku"].as_str()).collect();
        skus.sort_unstable();
        assert_eq!(skus, ["PARKA-M", "PARKA-S", "STORM-M", "STORM-S"]);
        let storm_m = rows.iter().find(|r| r["sku"] == "STORM-M").expect("STORM-M row");
        let expected: BTreeMap<String, String> = [
            ("product_slug", "storm-jacket"),
            ("title", "Storm Jacket"),
            ("description", "Waterproof and light."),
            ("status", "active"),
            ("brand", "north-works"),
            ("category", "jackets"),
            ("options", "Size=S|M"),
            ("sku", "STORM-M"),
            ("variant_title", "M"),
            ("option_values", "Size=M"),
            ("price", "13400"),
            ("compare_at_price", "14900"),
            ("currency", "USD"),
            ("weight_g", ""),
            ("length_mm", ""),
            ("width_mm", ""),
            ("height_mm", ""),
            ("barcode", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .chain([("attributes".to_owned(), storm_m["attributes"].clone())])
        .collect();
        assert_eq!(storm_m, &expected);
        let attributes: Value = serde_json::from_str(&storm_m["attributes"]).expect("attributes are JSON");
        assert_eq!(attributes, json!({"material": "Nylon", "color": ["Red", "Black"]}));
        let parka_s = rows.iter().find(|r| r["sku"] == "PARKA-S").expect("PARKA-S row");
        assert_eq!(
            (parka_s["status"].as_str(), parka_s["category"].as_str(), parka_s["weight_g"].as_str()),
            ("draft", "clothing", "850")
        );
        assert_eq!(parka_s["barcode"], "4006381333931");

        let r = import(&app, Some(&s.seller), &text).await;
        assert_eq!(r.status, StatusCode::OK, "{} {}", backend.name(), r.text);
        assert_eq!(r.json(), json!({"products_created": 0, "products_updated": 2, "variants_written": 4}));
        let products = own_products(&app, &s.seller).await;
        assert_eq!(
            products,
            BTreeMap::from([
                ("draft-parka".to_owned(), ("draft".to_owned(), 2)),
                ("storm-jacket".to_owned(), ("active".to_owned(), 2)),
            ])
        );
        let after = app.get("/api/v1/products/storm-jacket", None).await.json();
        assert_eq!(variant_ids(&after), variant_ids(&storm), "the variants were updated in place");
        assert_eq!(after["price"], storm["price"]);
        assert_eq!(after["attributes"], storm["attributes"]);
        let parka_after = app.get("/api/v1/products/draft-parka", Some(&s.seller)).await.json();
        assert_eq!(variant_ids(&parka_after), variant_ids(&parka));
        assert_eq!(parka_after["variants"][0]["barcode"], "4006381333931");
        assert_eq!(export(&app, &s.seller).await, text, "a round trip changes nothing");

        // Edit the file: a new price and title for the jacket, and a third size.
        let edited = text
            .replace("storm-jacket,Storm Jacket,", "storm-jacket,Storm Jacket II,")
            .replace(",STORM-S,S,Size=S,12900,", ",STORM-S,S,Size=S,11900,")
            .replace("Size=S|M", "Size=S|M|L");
        assert_ne!(edited, text);
        let extra = "storm-jacket,Storm Jacket II,,active,,,,Size=S|M|L,storm-l,,Size=L,15900,,,,,,,";
        let r = import(&app, Some(&s.seller), &format!("{edited}{extra}\n")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json(), json!({"products_created": 0, "products_updated": 2, "variants_written": 5}));
        let after = app.get("/api/v1/products/storm-jacket", None).await.json();
        assert_eq!(after["title"], "Storm Jacket II", "the cached page was evicted");
        let prices: Vec<(Value, Value)> = after["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|v| (v["sku"].clone(), v["price"].clone()))
            .collect();
        assert_eq!(
            prices,
            [(json!("STORM-S"), json!(11900)), (json!("STORM-M"), json!(13400)), (json!("STORM-L"), json!(15900))]
        );
        assert_eq!(after["price"], json!({"min": 11900, "max": 15900, "currency": "USD"}));
        assert_eq!(own_products(&app, &s.seller).await.len(), 2);

        app.settle().await;
        let listing = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!(listing["total"], 1, "{listing}");
        assert_eq!(listing["items"][0]["title"], "Storm Jacket II");
        assert_eq!(listing["items"][0]["price_min"], 11900);
    }
}

#[tokio::test]
async fn a_new_file_creates_its_products_and_variants() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let csv = file(&[
            r#"trail-boot,Trail Boot,Grippy soles.,active,north-works,jackets,"{""color"":""Brown"",""waterproof"":true}",Size=41|42|43,BOOT-41,,Size=41,8900,,USD,900,,,,"#,
            r#"trail-boot,Trail Boot,Grippy soles.,active,north-works,jackets,,Size=41|42|43,BOOT-42,,Size=42,8900,,,950,,,,"#,
            r#"trail-boot,,,,,,,,boot-43,Wide,Size=43,9400,,,,,,,"#,
            r#"wool-cap,Wool Cap,Warm.,active,,clothing,,,CAP-1,,,1900,2500,usd,,200,150,90,4006381333931"#,
            r#"rain-poncho,Rain Poncho,,draft,north-works,,,Colour=Yellow,PONCHO-Y,,Colour=Yellow,3500,,,,,,,"#,
        ]);
        let r = import(&app, Some(&s.seller), &csv).await;
        assert_eq!(r.status, StatusCode::OK, "{} {}", backend.name(), r.text);
        assert_eq!(r.json(), json!({"products_created": 3, "products_updated": 0, "variants_written": 5}));

        assert_eq!(
            own_products(&app, &s.seller).await,
            BTreeMap::from([
                ("rain-poncho".to_owned(), ("draft".to_owned(), 1)),
                ("trail-boot".to_owned(), ("active".to_owned(), 3)),
                ("wool-cap".to_owned(), ("active".to_owned(), 1)),
            ])
        );
        let boot = app.get("/api/v1/products/trail-boot", None).await;
        assert_eq!(boot.status, StatusCode::OK, "{}", boot.text);
        let boot = boot.json();
        assert_eq!(boot["title"], "Trail Boot");
        assert_eq!(boot["description"], "Grippy soles.");
        assert_eq!(boot["seller_id"], s.seller_id.as_str());
        assert_eq!(boot["brand"]["id"], s.brand.as_str());
        assert_eq!(boot["category"]["id"], s.child.as_str());
        assert_eq!(boot["attributes"], json!({"color": "Brown", "waterproof": true}));
        assert_eq!(boot["options"], json!([{"name": "Size", "values": ["41", "42", "43"]}]));
        assert_eq!(boot["price"], json!({"min": 8900, "max": 9400, "currency": "USD"}));
        let variants: Vec<(Value, Value, Value, Value)> = boot["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|v| (v["sku"].clone(), v["title"].clone(), v["options"].clone(), v["weight_g"].clone()))
            .collect();
        assert_eq!(
            variants,
            [
                (json!("BOOT-41"), json!("41"), json!({"Size": "41"}), json!(900)),
                (json!("BOOT-42"), json!("42"), json!({"Size": "42"}), json!(950)),
                (json!("BOOT-43"), json!("Wide"), json!({"Size": "43"}), Value::Null),
            ]
        );
        let cap = app.get("/api/v1/products/wool-cap", None).await.json();
        let v = &cap["variants"][0];
        assert_eq!(
            (v["price"].clone(), v["compare_at_price"].clone(), v["on_sale"].clone()),
            (json!(1900), json!(2500), json!(true))
        );
        assert_eq!(
            (v["length_mm"].clone(), v["width_mm"].clone(), v["height_mm"].clone()),
            (json!(200), json!(150), json!(90))
        );
        assert_eq!(v["barcode"], "4006381333931");
        assert_eq!(cap["brand"], Value::Null);
        assert_eq!(cap["category"]["slug"], "clothing");
        assert_eq!(app.get("/api/v1/products/rain-poncho", None).await.code(), "product_not_found", "a draft");
        let poncho = app.get("/api/v1/products/rain-poncho", Some(&s.seller)).await.json();
        assert_eq!(poncho["variants"][0]["title"], "Yellow");

        app.settle().await;
        let listing = app.get("/api/v1/products?q=boot", None).await.json();
        assert_eq!(listing["total"], 1, "{listing}");
        assert_eq!(listing["items"][0]["slug"], "trail-boot");
        assert_eq!(app.get("/api/v1/products?q=poncho", None).await.json()["total"], 0);
    }
}

/// The line numbers named by an `import_invalid` answer, in order, with their fields.
fn faults(r: &TestResponse) -> Vec<(usize, String, String)> {
    assert_eq!((r.status, r.code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "import_invalid"), "{}", r.text);
    r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let field = e["field"].as_str().expect("field");
            let (line, column) = field.split_once(": ").expect("`line N: column`");
            let n = line.strip_prefix("line ").expect("starts with `line `").parse().expect("a line number");
            (n, column.to_owned(), e["message"].as_str().expect("message").to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_faulty_file_names_every_bad_line_and_writes_nothing() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let (rival, _) = app.seller("rival@example.com").await;
        let coat = create(&app, &rival, jacket("Rival Coat", "RIVAL", 5000, &s)).await;
        let before = own_products(&app, &s.seller).await;

        let csv = file(&[
            "good-one,Good One,,active,,,,,GOOD-1,,,1000,,,,,,,",
            "bad-price,Bad Price,,active,,,,,PRICE-1,,,12.50,,,,,,,",
            "bad-cat,Bad Category,,active,,no-such-category,,,CAT-1,,,1000,,,,,,,",
            "dup-a,Duplicate A,,active,,,,,DUP-1,,,1000,,,,,,,",
            "dup-b,Duplicate B,,active,,,,,dup-1,,,1000,,,,,,,",
            "steal,Stolen SKU,,active,,,,,RIVAL-S,,,1000,,,,,,,",
            "no-title,,,active,,,,,TITLE-1,,,1000,,,,,,,",
            "rival-coat,Mine Now,,active,,,,,NEWCOAT-1,,,1,,,,,,,",
        ]);
        let r = import(&app, Some(&s.seller), &csv).await;
        let found = faults(&r);
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        assert_eq!(lines, sorted, "errors come in line order: {}", r.text);
        let mut distinct = lines.clone();
        distinct.dedup();
        assert_eq!(distinct, [3, 4, 6, 7, 8, 9], "{} {}", backend.name(), r.text);
        let has = |line: usize, column: &str| found.iter().any(|f| f.0 == line && f.1 == column);
        assert!(has(3, "price"), "{}", r.text);
        assert!(has(4, "category_id"), "{}", r.text);
        assert!(has(6, "sku"), "{}", r.text);
        assert!(
            found.iter().any(|f| f.0 == 6 && f.2.contains("line 5")),
            "the repeat names the first line: {}",
            r.text
        );
        assert!(has(7, "sku"), "{}", r.text);
        assert!(has(8, "title"), "{}", r.text);
        assert!(has(9, "product_slug"), "{}", r.text);

        assert_eq!(own_products(&app, &s.seller).await, before, "nothing was written");
        assert_eq!(app.get("/api/v1/products/good-one", Some(&s.seller)).await.code(), "product_not_found");
        let coat_after = app.get("/api/v1/products/rival-coat", None).await.json();
        assert_eq!(
            (coat_after["title"].clone(), coat_after["seller_id"].clone()),
            (coat["title"].clone(), coat["seller_id"].clone())
        );
        assert_eq!(variant_ids(&coat_after), variant_ids(&coat));

        // Each fault alone is refused as well, with only its line.
        let alone = [
            ("bad-price,Bad Price,,active,,,,,PRICE-1,,,12.50,,,,,,,", "price"),
            ("bad-cat,Bad Category,,active,,no-such-category,,,CAT-1,,,1000,,,,,,,", "category_id"),
            ("steal,Stolen SKU,,active,,,,,rival-m,,,1000,,,,,,,", "sku"),
            ("no-title,,,active,,,,,TITLE-1,,,1000,,,,,,,", "title"),
            ("rival-coat,Mine Now,,active,,,,,NEWCOAT-1,,,1,,,,,,,", "product_slug"),
        ];
        for (row, column) in alone {
            let r = import(&app, Some(&s.seller), &file(&["good-one,Good One,,active,,,,,GOOD-1,,,1000,,,,,,,", row]))
                .await;
            let found = faults(&r);
            assert!(found.iter().all(|f| f.0 == 3), "{row}: {}", r.text);
            assert!(found.iter().any(|f| f.1 == column), "{row}: {}", r.text);
        }
        let r = import(
            &app,
            Some(&s.seller),
            &file(&["dup-a,A,,active,,,,,DUP-1,,,1,,,,,,,", "dup-b,B,,active,,,,,DUP-1,,,1,,,,,,,"]),
        )
        .await;
        assert_eq!(faults(&r).iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(), [(3, "sku")], "{}", r.text);
        assert_eq!(own_products(&app, &s.seller).await, before, "still nothing written");
        assert_eq!(app.get("/api/v1/products/rival-coat", None).await.json()["title"], "Rival Coat");
    }
}

#[tokio::test]
async fn only_sellers_import_csv() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        let csv = file(&["cap,Cap,,active,,,,,CAP-1,,,1900,,,,,,,"]);

        for ct in ["application/json", "text/plain", "multipart/form-data; boundary=x", "text/cs"] {
            let r = app.send_bytes(Method::POST, IMPORT, ct, csv.as_bytes().to_vec(), Some(&s.seller)).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
                "{ct}: {}",
                r.text
            );
        }
        let r = import(&app, Some(&customer), &csv).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
        assert_eq!(import(&app, None, &csv).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get(EXPORT, Some(&customer)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(EXPORT, None).await.status, StatusCode::UNAUTHORIZED);
        assert!(own_products(&app, &s.seller).await.is_empty());

        let r = import(&app, Some(&s.seller), &format!("{HEADER}\n")).await;
        assert_eq!(faults(&r).iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(), [(2, "file")], "{}", r.text);
        let r = import(&app, Some(&s.seller), &csv.replace("barcode", "colour")).await;
        assert_eq!(faults(&r).iter().map(|f| (f.0, f.1.as_str())).collect::<Vec<_>>(), [(1, "colour")], "{}", r.text);
        let r = import(&app, Some(&s.seller), "title,price\nCap,1900\n").await;
        let missing: Vec<(usize, String)> = faults(&r).into_iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(missing, [(1, "product_slug".to_owned()), (1, "sku".to_owned())], "{}", r.text);

        // As a spreadsheet saves it: a byte order mark and CRLF line ends.
        let excel = format!("\u{feff}{}", csv.replace('\n', "\r\n"));
        let r =
            app.send_bytes(Method::POST, IMPORT, "text/csv; charset=utf-8", excel.into_bytes(), Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{} {}", backend.name(), r.text);
        assert_eq!(r.json()["products_created"], 1);
        assert_eq!(app.get("/api/v1/products/cap", None).await.json()["variants"][0]["sku"], "CAP-1");

        // An admin imports for a named seller only.
        let admin_csv = file(&["hat,Hat,,active,,,,,HAT-1,,,900,,,,,,,"]);
        let r = import(&app, Some(&s.admin), &admin_csv).await;
        assert_eq!(r.code(), "validation_failed", "{}", r.text);
        let r = app
            .send_bytes(
                Method::POST,
                &format!("{IMPORT}?seller_id={}", s.seller_id),
                "text/csv",
                admin_csv.into_bytes(),
                Some(&s.admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(app.get("/api/v1/products/hat", None).await.json()["seller_id"], s.seller_id.as_str());
        let r = app.get(&format!("{EXPORT}?seller_id={}", s.seller_id), Some(&s.admin)).await;
        let (_, rows) = parse(&r.text);
        let mut slugs: Vec<&str> = rows.iter().map(|r| r["product_slug"].as_str()).collect();
        slugs.sort_unstable();
        assert_eq!(slugs, ["cap", "hat"]);
        // A seller's `seller_id` parameter is ignored: they export their own products only.
        let (rival, rival_id) = app.seller("rival@example.com").await;
        let r = app.get(&format!("{EXPORT}?seller_id={}", s.seller_id), Some(&rival)).await;
        assert_eq!(parse(&r.text).1.len(), 0, "{}", r.text);
        let r = app
            .send_bytes(
                Method::POST,
                &format!("{IMPORT}?seller_id={}", s.seller_id),
                "text/csv",
                file(&["rival-hat,Rival Hat,,active,,,,,RHAT-1,,,900,,,,,,,"]).into_bytes(),
                Some(&rival),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(app.get("/api/v1/products/rival-hat", None).await.json()["seller_id"], rival_id.as_str());
    }
}

#[tokio::test]
async fn imports_may_exceed_the_general_body_limit() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let sizes: Vec<String> = (1..=60).map(|n| n.to_string()).collect();
        let options = format!("Size={}", sizes.join("|"));
        // Only the first row's description counts; the others make the file big.
        let filler = "w".repeat(19_000);
        let rows: Vec<String> = sizes
            .iter()
            .map(|n| format!("big-tee,Big Tee,{filler},active,,,,{options},TEE-{n},,Size={n},{n}00,,,,,,,"))
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let csv = file(&rows);
        assert!(csv.len() > 1024 * 1024, "{}", csv.len());
        let r = import(&app, Some(&s.seller), &csv).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json(), json!({"products_created": 1, "products_updated": 0, "variants_written": 60}));
        let p = app.get("/api/v1/products/big-tee", None).await.json();
        assert_eq!(p["variants"].as_array().map(Vec::len), Some(60));
        assert_eq!(p["price"], json!({"min": 100, "max": 6000, "currency": "USD"}));
        assert_eq!(p["description"].as_str().map(str::len), Some(19_000));
    }
}

/// Cells a spreadsheet would run as formulas leave the export quoted (OWASP's CSV injection
/// advice) and come back unchanged when the file is imported again.
#[tokio::test]
async fn formula_cells_are_neutralised_on_export_and_round_trip() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let titles = ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@HYPERLINK(\"x\")", "'=already quoted", "'Tis plain"];
        for (i, title) in titles.iter().enumerate() {
            let body = json!({"title": title, "slug": format!("risky-{i}"), "status": "active",
                "variants": [{"sku": format!("RISKY-{i}"), "price": 1000}]});
            let r = app.post("/api/v1/products", body, Some(&s.seller)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{} {}", backend.name(), r.text);
        }

        let text = export(&app, &s.seller).await;
        let (_, exported) = parse(&text);
        for row in &exported {
            for (column, cell) in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{column} exported as a formula: {cell:?}"
                );
            }
        }
        let title_of = |sku: &str| exported.iter().find(|r| r["sku"] == sku).map(|r| r["title"].clone());
        assert_eq!(title_of("RISKY-0").as_deref(), Some("'=cmd|' /C calc'!A0"));
        assert_eq!(title_of("RISKY-4").as_deref(), Some("''=already quoted"));
        assert_eq!(title_of("RISKY-5").as_deref(), Some("'Tis plain"), "a plain quote is left alone");

        let again = import(&app, Some(&s.seller), &text).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
        for (i, title) in titles.iter().enumerate() {
            let p = app.get(&format!("/api/v1/products/risky-{i}"), None).await.json();
            assert_eq!(p["title"], *title, "risky-{i} round-trips");
        }
    }
}
