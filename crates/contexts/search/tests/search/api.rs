//! Product search through the HTTP API, on products made through the catalog's API: text,
//! filters, sorts, facets, pages, suggestions, freshness after changes, and bad input.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use testkit::TestApp;

/// A small catalog whose every count is known.
///
/// ```text
/// Clothing ─┬─ Jackets:  Storm Jacket (North Works, seller, 12900, red+black, sizes S/M, ★4.5 ×2)
///           │            Rain Jacket  (Trail Co, rival, 8900, yellow, ★2.0)
///           └─ Shirts:   Linen Shirt  (North Works, seller, 3900, blue, linen)
///                        Flannel Shirt (Trail Co, seller, 4500, red)
/// Footwear:              Stone Boots  (Trail Co, rival, 15900, brown, ★3.0)
/// (none):                Wool Socks   (no brand, seller, 900, grey)
/// ```
///
/// Plus a draft ("Stormy Draft") that no search may show.
struct Fixture {
    app: TestApp,
    admin: String,
    seller: String,
    seller_id: String,
    rival: String,
    rival_id: String,
    clothing: String,
    jackets: String,
    shirts: String,
    footwear: String,
    north: String,
    trail: String,
    /// Product ids by title.
    ids: BTreeMap<&'static str, String>,
}

/// Title, SKU, price, category, brand, attributes and the seller's token of a fixture product.
type Spec<'a> = (&'static str, &'a str, i64, Option<&'a str>, Option<&'a str>, Value, &'a str);

async fn created(app: &TestApp, path: &str, body: Value, token: &str) -> String {
    let r = app.post(path, body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

fn item(title: &str, sku: &str, price: i64, category: Option<&str>, brand: Option<&str>, attributes: Value) -> Value {
    json!({
        "title": title,
        "description": "Made to last.",
        "status": "active",
        "category_id": category,
        "brand_id": brand,
        "attributes": attributes,
        "variants": [{"sku": sku, "price": price}],
    })
}

async fn fixture(app: TestApp) -> Fixture {
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let (seller, seller_id) = app.seller("seller@example.com").await;
    let (rival, rival_id) = app.seller("rival@example.com").await;
    let categories = "/api/v1/categories";
    let clothing = created(&app, categories, json!({"name": "Clothing"}), &admin).await;
    let jackets = created(&app, categories, json!({"name": "Jackets", "parent_id": clothing}), &admin).await;
    let shirts =
        created(&app, categories, json!({"name": "Shirts", "parent_id": clothing, "position": 1}), &admin).await;
    let footwear = created(&app, categories, json!({"name": "Footwear", "position": 1}), &admin).await;
    let north = created(&app, "/api/v1/brands", json!({"name": "North Works"}), &admin).await;
    let trail = created(&app, "/api/v1/brands", json!({"name": "Trail Co"}), &admin).await;

    let products = "/api/v1/products";
    let mut ids = BTreeMap::new();
    let (j, sh, fw, n, t) = (jackets.as_str(), shirts.as_str(), footwear.as_str(), north.as_str(), trail.as_str());
    let specs: [Spec<'_>; 6] = [
        ("Storm Jacket", "STORM", 12900, Some(j), Some(n), json!({"color": ["Red", "Black"]}), seller.as_str()),
        ("Rain Jacket", "RAIN", 8900, Some(j), Some(t), json!({"color": "Yellow"}), rival.as_str()),
        (
            "Linen Shirt",
            "LINEN",
            3900,
            Some(sh),
            Some(n),
            json!({"color": "Blue", "material": "Linen"}),
            seller.as_str(),
        ),
        ("Flannel Shirt", "FLANNEL", 4500, Some(sh), Some(t), json!({"color": "Red"}), seller.as_str()),
        ("Stone Boots", "STONE", 15900, Some(fw), Some(t), json!({"color": "Brown"}), rival.as_str()),
        ("Wool Socks", "SOCKS", 900, None, None, json!({"color": "Grey"}), seller.as_str()),
    ];
    for (title, sku, price, category, brand, attributes, token) in specs {
        let mut body = item(title, sku, price, category, brand, attributes);
        if title == "Storm Jacket" {
            // Two sizes at one price: option values are searchable attributes too.
            body["options"] = json!([{"name": "Size", "values": ["S", "M"]}]);
            body["variants"] = json!([
                {"sku": "STORM-S", "price": price, "options": {"Size": "S"}},
                {"sku": "STORM-M", "price": price, "options": {"Size": "M"}},
            ]);
        }
        let id = created(&app, products, body, token).await;
        ids.insert(title, id);
    }
    let mut draft = item("Stormy Draft", "DRAFT", 100, Some(&jackets), Some(&north), json!({"color": "Red"}));
    draft["status"] = json!("draft");
    created(&app, products, draft, &seller).await;

    let (ann, _, _) = app.register("ann@example.com").await;
    let (bob, _, _) = app.register("bob@example.com").await;
    for (title, token, stars) in
        [("Storm Jacket", &ann, 5), ("Storm Jacket", &bob, 4), ("Stone Boots", &ann, 3), ("Rain Jacket", &ann, 2)]
    {
        let path = format!("/api/v1/products/{}/reviews", ids[title]);
        created(&app, &path, json!({"rating": stars}), token).await;
    }
    app.settle().await;
    Fixture { app, admin, seller, seller_id, rival, rival_id, clothing, jackets, shirts, footwear, north, trail, ids }
}

impl Fixture {
    async fn page(&self, query: &str) -> Value {
        let r = self.app.get(&format!("/api/v1/products?{query}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("application/json"));
        r.json()
    }

    /// Titles of the first page, in the order given.
    async fn titles(&self, query: &str) -> Vec<String> {
        titles(&self.page(query).await)
    }

    /// Titles of the first page, sorted (for relevance orders that are not under test).
    async fn found(&self, query: &str) -> Vec<String> {
        let mut t = self.titles(query).await;
        t.sort();
        t
    }

    async fn problem(&self, query: &str) -> (StatusCode, String, Value) {
        let r = self.app.get(&format!("/api/v1/products?{query}"), None).await;
        let code = r.code();
        (r.status, code, r.json())
    }
}

fn titles(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|h| h["title"].as_str().expect("title").to_owned()).collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn words_are_found_in_titles_brands_categories_and_attributes() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        assert_eq!(f.found("q=shirt").await, names(&["Flannel Shirt", "Linen Shirt"]), "{}", backend.name());
        assert_eq!(f.found("q=Shirts").await, names(&["Flannel Shirt", "Linen Shirt"]), "case and plural");
        assert_eq!(f.found("q=north").await, names(&["Linen Shirt", "Storm Jacket"]), "brand name");
        assert_eq!(f.found("q=trail%20co").await, names(&["Flannel Shirt", "Rain Jacket", "Stone Boots"]));
        assert_eq!(f.found("q=footwear").await, names(&["Stone Boots"]), "category name");
        assert_eq!(
            f.found("q=clothing").await,
            names(&["Flannel Shirt", "Linen Shirt", "Rain Jacket", "Storm Jacket"]),
            "a parent category's name"
        );
        assert_eq!(f.found("q=brown").await, names(&["Stone Boots"]), "attribute value");
        assert_eq!(f.found("q=yellow").await, names(&["Rain Jacket"]));
        assert_eq!(f.found("q=jackt").await, names(&["Rain Jacket", "Storm Jacket"]), "a typo");
        assert_eq!(f.found("q=flanel").await, names(&["Flannel Shirt"]), "a typo");
        assert_eq!(f.found("q=storm").await, names(&["Storm Jacket"]), "never the draft");

        // Every word must match somewhere.
        assert_eq!(f.titles("q=storm%20jacket").await, names(&["Storm Jacket"]));
        assert_eq!(f.titles("q=red+shirt").await, names(&["Flannel Shirt"]));
        assert_eq!(f.titles("q=red%20jacket").await, names(&["Storm Jacket"]));
        assert_eq!(f.titles("q=north%20shirt").await, names(&["Linen Shirt"]));
        assert_eq!(f.titles("q=linen%20jacket").await, Vec::<String>::new());
        assert_eq!(f.page("q=linen%20jacket").await["total"], 0);
        assert_eq!(f.titles("q=shirt%20for%20the%20office").await, Vec::<String>::new(), "office is nowhere");
        assert_eq!(f.found("q=the%20shirt").await, names(&["Flannel Shirt", "Linen Shirt"]), "stop words are dropped");

        let page = f.page("q=jacket").await;
        assert_eq!(page["total"], 2);
        let hit = page["items"].as_array().expect("items").iter().find(|h| h["title"] == "Storm Jacket").expect("hit");
        assert_eq!(hit["id"], f.ids["Storm Jacket"].as_str());
        assert_eq!(hit["slug"], "storm-jacket");
        assert_eq!(hit["brand"], "North Works");
        assert_eq!((hit["price_min"].clone(), hit["price_max"].clone()), (json!(12900), json!(12900)));
        assert_eq!(hit["currency"], "USD");
        assert_eq!((hit["rating"].clone(), hit["review_count"].clone()), (json!(4.5), json!(2)));
        assert_eq!(hit["image"], Value::Null);
        assert_eq!(f.page("q=socks").await["items"][0]["brand"], Value::Null);

        // No words (or only punctuation) lists everything visible.
        assert_eq!(f.page("").await["total"], 6);
        assert_eq!(f.page("q=").await["total"], 6);
        assert_eq!(f.page("q=%21%3F").await["total"], 6);
    }
}

#[tokio::test]
async fn filters_narrow_the_results_and_combine() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let all_clothing = names(&["Flannel Shirt", "Linen Shirt", "Rain Jacket", "Storm Jacket"]);
        assert_eq!(f.found("category=clothing").await, all_clothing, "{} subcategories included", backend.name());
        assert_eq!(f.found(&format!("category={}", f.clothing)).await, all_clothing, "by id");
        assert_eq!(f.found("category=jackets").await, names(&["Rain Jacket", "Storm Jacket"]));
        assert_eq!(f.found(&format!("category={}", f.shirts)).await, names(&["Flannel Shirt", "Linen Shirt"]));
        assert_eq!(f.found(&format!("category={}", f.footwear)).await, names(&["Stone Boots"]));
        assert_eq!(f.page("category=clothing").await["total"], 4);
        assert_eq!(f.found("category=clothing&q=red").await, names(&["Flannel Shirt", "Storm Jacket"]));

        assert_eq!(f.found("brand=trail-co").await, names(&["Flannel Shirt", "Rain Jacket", "Stone Boots"]));
        assert_eq!(f.found(&format!("brand={}", f.north)).await, names(&["Linen Shirt", "Storm Jacket"]));
        assert_eq!(f.page(&format!("brand=north-works,{}", f.trail)).await["total"], 5, "any of several brands");

        assert_eq!(f.found(&format!("seller={}", f.rival_id)).await, names(&["Rain Jacket", "Stone Boots"]));
        assert_eq!(f.page(&format!("seller={}", f.seller_id)).await["total"], 4);
        assert_eq!(f.page("seller=usr_nobody").await["total"], 0);

        assert_eq!(
            f.found("price_min=4500&price_max=12900").await,
            names(&["Flannel Shirt", "Rain Jacket", "Storm Jacket"]),
            "both bounds inclusive"
        );
        assert_eq!(f.found("price_min=4501&price_max=12899").await, names(&["Rain Jacket"]));
        assert_eq!(f.found("price_max=900").await, names(&["Wool Socks"]));
        assert_eq!(f.found("price_min=15900").await, names(&["Stone Boots"]));
        assert_eq!(f.page("price_min=15901").await["total"], 0);
        assert_eq!(f.page("price_min=5000&price_max=4000").await["total"], 0);

        assert_eq!(f.found("rating_min=3").await, names(&["Stone Boots", "Storm Jacket"]));
        assert_eq!(f.found("rating_min=4.5").await, names(&["Storm Jacket"]));
        assert_eq!(f.page("rating_min=4.6").await["total"], 0);
        assert_eq!(f.page("rating_min=2").await["total"], 3);
        assert_eq!(f.page("rating_min=0").await["total"], 6);

        assert_eq!(f.found("attr=color:red").await, names(&["Flannel Shirt", "Storm Jacket"]));
        assert_eq!(f.found("attr=color:red").await, f.found("attr=Color:RED").await, "case-insensitive");
        assert_eq!(f.found("attr=color:black").await, names(&["Storm Jacket"]), "any value of a list");
        assert_eq!(f.found("attr=material:linen").await, names(&["Linen Shirt"]));
        assert_eq!(f.page("attr=color:red,material:linen").await["total"], 0, "all pairs must hold");
        assert_eq!(f.found("attr=color:blue,material:linen").await, names(&["Linen Shirt"]));
        assert_eq!(f.page("attr=colour:red").await["total"], 0);
        assert_eq!(f.found("attr=size:m").await, names(&["Storm Jacket"]), "a variant's option value");
        assert_eq!(f.found("attr=size:m,color:black").await, names(&["Storm Jacket"]));
        assert_eq!(f.page("attr=size:xl").await["total"], 0);
        assert_eq!(f.page("attr=color:re").await["total"], 0, "values match whole");

        assert_eq!(
            f.titles("category=clothing&attr=color:red&price_max=5000").await,
            names(&["Flannel Shirt"]),
            "everything together"
        );
        assert_eq!(
            f.titles(&format!("q=shirt&brand=trail-co&seller={}", f.seller_id)).await,
            names(&["Flannel Shirt"])
        );
    }
}

#[tokio::test]
async fn sorts_order_the_results_and_cursors_walk_them_once() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let cheapest_first =
            names(&["Wool Socks", "Linen Shirt", "Flannel Shirt", "Rain Jacket", "Storm Jacket", "Stone Boots"]);
        assert_eq!(f.titles("sort=price_asc").await, cheapest_first, "{}", backend.name());
        let mut dearest_first = cheapest_first.clone();
        dearest_first.reverse();
        assert_eq!(f.titles("sort=price_desc").await, dearest_first);
        assert_eq!(
            f.titles("sort=newest").await,
            names(&["Wool Socks", "Stone Boots", "Flannel Shirt", "Linen Shirt", "Rain Jacket", "Storm Jacket"])
        );
        assert_eq!(f.titles("sort=rating&rating_min=1").await, names(&["Storm Jacket", "Stone Boots", "Rain Jacket"]));
        assert_eq!(f.titles("sort=price_asc&category=clothing").await[0], "Linen Shirt");
        assert_eq!(f.titles("sort=price_desc&q=shirt").await, names(&["Flannel Shirt", "Linen Shirt"]));

        // limit=2 walks all six in three pages, each once, in the sort's order.
        for (sort, expected) in [("sort=price_asc", Some(&cheapest_first)), ("sort=relevance", None), ("", None)] {
            let mut seen: Vec<String> = Vec::new();
            let mut sizes = Vec::new();
            let mut query = format!("limit=2&{sort}");
            loop {
                let page = f.page(&query).await;
                assert_eq!(page["total"], 6, "{query}: the total is every match, on every page");
                sizes.push(titles(&page).len());
                seen.extend(titles(&page));
                match page.get("next_cursor").and_then(Value::as_str) {
                    Some(c) => query = format!("limit=2&{sort}&cursor={c}"),
                    None => break,
                }
                assert!(sizes.len() < 10, "{sort}: the pages do not end");
            }
            assert_eq!(sizes, [2, 2, 2], "{sort}");
            if let Some(expected) = expected {
                assert_eq!(&seen, expected, "{sort}");
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 6, "{sort}: each product exactly once: {seen:?}");
        }
        let page = f.page("limit=5&sort=price_asc").await;
        assert_eq!(titles(&page).len(), 5);
        let cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
        let last = f.page(&format!("limit=5&sort=price_asc&cursor={cursor}")).await;
        assert_eq!(titles(&last), names(&["Stone Boots"]));
        assert!(last.get("next_cursor").is_none(), "{last}");
        let exact = f.page("limit=6").await;
        assert!(exact.get("next_cursor").is_none(), "no cursor when the page ends the results: {exact}");
        assert!(f.page("q=shirt&limit=2").await.get("next_cursor").is_none());
    }
}

#[tokio::test]
async fn facets_count_the_matches_exactly() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let price = |counts: [u64; 6]| {
            let edges = [None, Some(2500), Some(5000), Some(10000), Some(20000), Some(50000), None];
            let buckets: Vec<Value> =
                (0..6).map(|i| json!({"from": edges[i], "to": edges[i + 1], "count": counts[i]})).collect();
            Value::Array(buckets)
        };
        let rating = |counts: [u64; 4]| {
            json!([
                {"min": 4, "count": counts[0]}, {"min": 3, "count": counts[1]},
                {"min": 2, "count": counts[2]}, {"min": 1, "count": counts[3]}
            ])
        };
        let facet = |id: &str, slug: &str, name: &str, count: u64| json!({"id": id, "slug": slug, "name": name, "count": count});

        let page = f.page("facets=true").await;
        assert_eq!(page["total"], 6);
        let facets = &page["facets"];
        assert_eq!(
            facets["categories"],
            json!([facet(&f.clothing, "clothing", "Clothing", 4), facet(&f.footwear, "footwear", "Footwear", 1)]),
            "{} top-level categories: {facets}",
            backend.name()
        );
        assert_eq!(
            facets["brands"],
            json!([facet(&f.trail, "trail-co", "Trail Co", 3), facet(&f.north, "north-works", "North Works", 2)])
        );
        assert_eq!(facets["price"], price([1, 2, 1, 2, 0, 0]));
        assert_eq!(facets["rating"], rating([1, 2, 3, 3]));

        let page = f.page("facets=true&category=clothing").await;
        let facets = &page["facets"];
        assert_eq!(
            facets["categories"],
            json!([facet(&f.jackets, "jackets", "Jackets", 2), facet(&f.shirts, "shirts", "Shirts", 2)]),
            "the children of the filtered category: {facets}"
        );
        assert_eq!(
            facets["brands"],
            json!([facet(&f.north, "north-works", "North Works", 2), facet(&f.trail, "trail-co", "Trail Co", 2)]),
            "equal counts by id"
        );
        assert_eq!(facets["price"], price([0, 2, 1, 1, 0, 0]));
        assert_eq!(facets["rating"], rating([1, 1, 2, 2]));

        let page = f.page("facets=true&category=jackets&limit=1").await;
        assert_eq!(titles(&page).len(), 1, "facets count every match, not the page");
        assert_eq!(page["facets"]["categories"], json!([]), "Jackets has no subcategories");
        assert_eq!(page["facets"]["price"], price([0, 0, 1, 1, 0, 0]));

        let page = f.page("facets=true&q=red").await;
        assert_eq!(page["facets"]["categories"], json!([facet(&f.clothing, "clothing", "Clothing", 2)]));
        assert_eq!(
            page["facets"]["brands"],
            json!([facet(&f.north, "north-works", "North Works", 1), facet(&f.trail, "trail-co", "Trail Co", 1)])
        );

        let page = f.page("facets=true&q=socks").await;
        assert_eq!(page["facets"]["categories"], json!([]));
        assert_eq!(page["facets"]["brands"], json!([]));
        assert_eq!(page["facets"]["price"], price([1, 0, 0, 0, 0, 0]));
        assert_eq!(page["facets"]["rating"], rating([0, 0, 0, 0]));

        let page = f.page("facets=true&q=nothingmatchesthis").await;
        assert_eq!(page["total"], 0);
        assert_eq!(page["facets"]["price"], price([0; 6]));

        assert!(f.page("q=shirt").await.get("facets").is_none(), "facets only when asked");
        assert!(f.page("q=shirt&facets=false").await.get("facets").is_none());
    }
}

#[tokio::test]
async fn changes_reach_the_results_after_settle_and_the_cache_never_serves_stale_answers() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let app = &f.app;
        let query = "q=shirt&sort=price_asc&facets=true";
        let before = f.page(query).await;
        assert_eq!(titles(&before), names(&["Linen Shirt", "Flannel Shirt"]), "{}", backend.name());
        assert_eq!(f.page(query).await, before, "the same answer, from the cache");

        // A changed title and price.
        let linen = format!("/api/v1/products/{}", f.ids["Linen Shirt"]);
        let r = app.call(Method::PATCH, &linen, Some(json!({"title": "Linen Shirt Deluxe"})), Some(&f.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let variant = r.json()["variants"][0]["id"].as_str().expect("variant").to_owned();
        let r = app
            .call(
                Method::PUT,
                &format!("{linen}/variants/{variant}"),
                Some(json!({"sku": "LINEN", "price": 5900})),
                Some(&f.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let after = f.page(query).await;
        assert_eq!(titles(&after), names(&["Flannel Shirt", "Linen Shirt Deluxe"]), "new title, new price order");
        assert_eq!(after["items"][1]["price_min"], 5900);
        assert_eq!(after["facets"]["price"][1]["count"], 1);
        assert_eq!(after["facets"]["price"][2]["count"], 1);
        assert_eq!(f.found("q=deluxe").await, names(&["Linen Shirt Deluxe"]));
        assert_eq!(f.found("price_max=4000").await, names(&["Wool Socks"]));

        // Archived: gone from every answer, including the one cached before.
        let before = f.page("q=flannel").await;
        assert_eq!(before["total"], 1);
        let r = app
            .call(Method::DELETE, &format!("/api/v1/products/{}", f.ids["Flannel Shirt"]), None, Some(&f.seller))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(f.page("q=flannel").await["total"], 0);
        assert_eq!(f.titles(query).await, names(&["Linen Shirt Deluxe"]));
        assert_eq!(f.page("").await["total"], 5);
        // And back.
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/products/{}", f.ids["Flannel Shirt"]),
                Some(json!({"status": "active"})),
                Some(&f.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(f.page("q=flannel").await["total"], 1);

        // Moved to another category, and a new attribute value.
        let boots = format!("/api/v1/products/{}", f.ids["Stone Boots"]);
        assert_eq!(f.page("category=clothing").await["total"], 4);
        let r = app
            .call(
                Method::PATCH,
                &boots,
                Some(json!({"category_id": f.shirts, "attributes": {"color": "Green"}})),
                Some(&f.rival),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(f.page("category=clothing").await["total"], 5);
        assert_eq!(f.page("category=footwear").await["total"], 0);
        assert_eq!(f.page("attr=color:brown").await["total"], 0);
        assert_eq!(f.found("attr=color:green").await, names(&["Stone Boots"]));

        // A renamed brand: the hits, the text match and the facet names follow.
        let brand_query = "q=trail&facets=true";
        let before = f.page(brand_query).await;
        assert_eq!(before["total"], 3);
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/brands/{}", f.trail),
                Some(json!({"name": "Summit Co", "slug": "trail-co"})),
                Some(&f.admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(f.page(brand_query).await["total"], 0, "the old name no longer matches");
        let page = f.page("q=summit&facets=true").await;
        assert_eq!(page["total"], 3);
        assert!(page["items"].as_array().expect("items").iter().all(|h| h["brand"] == "Summit Co"), "{page}");
        assert_eq!(page["facets"]["brands"][0]["name"], "Summit Co");

        // A seller who loses approval takes their products along.
        assert_eq!(f.page(&format!("seller={}", f.rival_id)).await["total"], 2);
        app.app.users.seller_decide("test", &f.rival_id, users::domain::SellerStatus::Rejected).await.expect("decide");
        app.settle().await;
        assert_eq!(f.page(&format!("seller={}", f.rival_id)).await["total"], 0);
        assert_eq!(f.page("").await["total"], 4);
        assert_eq!(f.page("q=summit&facets=true").await["total"], 1);
    }
}

#[tokio::test]
async fn the_cache_follows_changes_to_unused_categories_and_brands() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let app = &f.app;
        let accessories = created(app, "/api/v1/categories", json!({"name": "Accessories"}), &f.admin).await;
        app.settle().await;
        assert_eq!(f.page("category=accessories").await["total"], 0);

        // Renamed: the old slug is unknown at once.
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/categories/{accessories}"),
                Some(json!({"name": "Extras", "slug": "extras"})),
                Some(&f.admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let (status, code, _) = f.problem("category=accessories").await;
        assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "category_not_found"), "{}", backend.name());
        assert_eq!(f.page("category=extras").await["total"], 0);

        // Deleted: unknown too.
        let r = app.call(Method::DELETE, &format!("/api/v1/categories/{accessories}"), None, Some(&f.admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        app.settle().await;
        let (status, code, _) = f.problem("category=extras").await;
        assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "category_not_found"));

        // The same for a brand.
        let unused = created(app, "/api/v1/brands", json!({"name": "Unused"}), &f.admin).await;
        assert_eq!(f.page("brand=unused").await["total"], 0);
        let r = app.call(Method::DELETE, &format!("/api/v1/brands/{unused}"), None, Some(&f.admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        app.settle().await;
        let (status, code, _) = f.problem("brand=unused").await;
        assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "brand_not_found"));

        // A product moved into a new subcategory shows up in the parent's facets.
        let coats = created(
            app,
            "/api/v1/categories",
            json!({"name": "Coats", "parent_id": f.clothing, "position": 2}),
            &f.admin,
        )
        .await;
        let query = "category=clothing&facets=true";
        let before = f.page(query).await;
        assert_eq!(before["facets"]["categories"].as_array().map(Vec::len), Some(2));
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/products/{}", f.ids["Storm Jacket"]),
                Some(json!({"category_id": coats})),
                Some(&f.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let after = f.page(query).await;
        let counts: Vec<(Value, Value)> = after["facets"]["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| (c["slug"].clone(), c["count"].clone()))
            .collect();
        assert_eq!(counts, [(json!("jackets"), json!(1)), (json!("shirts"), json!(2)), (json!("coats"), json!(1))]);
    }
}

#[tokio::test]
async fn suggestions_complete_titles() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let suggest = |q: &'static str| {
            let app = &f.app;
            async move {
                let r = app.get(&format!("/api/v1/products/suggest?{q}"), None).await;
                assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text);
                titles(&json!({"items": r.json()}))
            }
        };
        // Best rated first: Storm Jacket (4.5) before Stone Boots (3.0); never the draft.
        assert_eq!(suggest("q=sto").await, names(&["Storm Jacket", "Stone Boots"]), "{}", backend.name());
        assert_eq!(suggest("q=STO").await, names(&["Storm Jacket", "Stone Boots"]));
        assert_eq!(suggest("q=sto&limit=1").await, names(&["Storm Jacket"]));
        assert_eq!(suggest("q=storm%20j").await, names(&["Storm Jacket"]));
        assert_eq!(suggest("q=jack").await, names(&["Storm Jacket", "Rain Jacket"]));
        assert_eq!(suggest("q=shi").await.len(), 2);
        assert_eq!(suggest("q=boots%20sto").await, names(&["Stone Boots"]), "complete words in any order");
        assert_eq!(suggest("q=rain%20sto").await, Vec::<String>::new(), "the title must hold the complete words");
        assert_eq!(suggest("q=xyz").await, Vec::<String>::new());
        assert_eq!(suggest("q=").await, Vec::<String>::new());
        let r = f.app.get("/api/v1/products/suggest?q=sto", None).await;
        assert_eq!(r.json()[0], json!({"id": f.ids["Storm Jacket"], "slug": "storm-jacket", "title": "Storm Jacket"}));

        for (query, status, code) in [
            ("q=sto&limit=21", StatusCode::BAD_REQUEST, "invalid_limit"),
            ("q=sto&limit=0", StatusCode::BAD_REQUEST, "invalid_limit"),
            ("q=sto&sort=price_asc", StatusCode::BAD_REQUEST, "invalid_query"),
            ("limit=3", StatusCode::BAD_REQUEST, "invalid_query"),
        ] {
            let r = f.app.get(&format!("/api/v1/products/suggest?{query}"), None).await;
            assert_eq!((r.status, r.code().as_str()), (status, code), "{query}: {}", r.text);
        }
    }
}

#[tokio::test]
async fn bad_queries_are_refused_with_problem_details() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        let cases = [
            ("sort=cheapest", StatusCode::BAD_REQUEST, "invalid_query", Some("sort")),
            ("sort=PRICE_ASC", StatusCode::BAD_REQUEST, "invalid_query", Some("sort")),
            ("colour=red", StatusCode::BAD_REQUEST, "invalid_query", None),
            ("q=shirt&page=2", StatusCode::BAD_REQUEST, "invalid_query", None),
            ("limit=101", StatusCode::BAD_REQUEST, "invalid_limit", None),
            ("limit=0", StatusCode::BAD_REQUEST, "invalid_limit", None),
            ("limit=-1", StatusCode::BAD_REQUEST, "invalid_query", Some("limit")),
            ("limit=ten", StatusCode::BAD_REQUEST, "invalid_query", Some("limit")),
            ("cursor=forged", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            // Shaped like a cursor, but not an offset this API issues.
            ("cursor=x5", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            ("cursor=o-1", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            ("cursor=o10001", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            ("cursor=o", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            ("cursor=%2F%2F%2F", StatusCode::BAD_REQUEST, "invalid_cursor", None),
            ("category=nope", StatusCode::NOT_FOUND, "category_not_found", None),
            ("category=cat_01J0000000000000000000000", StatusCode::NOT_FOUND, "category_not_found", None),
            ("brand=nope", StatusCode::NOT_FOUND, "brand_not_found", None),
            ("brand=trail-co,nope", StatusCode::NOT_FOUND, "brand_not_found", None),
            ("price_min=-1", StatusCode::BAD_REQUEST, "invalid_query", Some("price_min")),
            ("price_max=-5", StatusCode::BAD_REQUEST, "invalid_query", Some("price_max")),
            ("price_min=12.50", StatusCode::BAD_REQUEST, "invalid_query", Some("price_min")),
            ("rating_min=6", StatusCode::BAD_REQUEST, "invalid_query", Some("rating_min")),
            ("rating_min=-0.5", StatusCode::BAD_REQUEST, "invalid_query", Some("rating_min")),
            ("rating_min=NaN", StatusCode::BAD_REQUEST, "invalid_query", Some("rating_min")),
            ("facets=maybe", StatusCode::BAD_REQUEST, "invalid_query", Some("facets")),
            ("attr=color", StatusCode::BAD_REQUEST, "invalid_query", Some("attr")),
        ];
        for (query, status, code, field) in cases {
            let (s, c, body) = f.problem(query).await;
            assert_eq!((s, c.as_str()), (status, code), "{} {query}: {body}", backend.name());
            if let Some(field) = field {
                assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
            }
        }
        // The refusals were not cached as answers: the same queries still fail, and good ones work.
        assert_eq!(f.problem("sort=cheapest").await.1, "invalid_query");
        assert_eq!(f.page("sort=price_asc&limit=100").await["total"], 6);
        let long = "a".repeat(201);
        assert_eq!(f.problem(&format!("q={long}")).await.1, "invalid_query");
        assert_eq!(f.page(&format!("q={}", "a".repeat(200))).await["total"], 0);
    }
}

#[tokio::test]
async fn the_in_stock_filter_follows_the_inventory() {
    for backend in testkit::backends() {
        let f = fixture(TestApp::spawn(&backend).await).await;
        assert_eq!(f.found("in_stock=true").await, Vec::<String>::new(), "{}: nothing received yet", backend.name());
        let r = f.app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&f.seller)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let main = r.json()["id"].as_str().expect("id").to_owned();
        let adjust = |kind: &str, quantity: i64| json!({"sku": "STORM-M", "location_id": main, "kind": kind, "quantity": quantity, "reason": "test"});
        let r = f.app.post("/api/v1/inventory/adjustments", adjust("received", 2), Some(&f.seller)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        f.app.settle().await;
        assert_eq!(f.found("in_stock=true").await, ["Storm Jacket"]);
        assert_eq!(f.found("q=jacket&in_stock=true").await, ["Storm Jacket"]);
        assert_eq!(f.found("q=jacket").await, ["Rain Jacket", "Storm Jacket"], "without the filter all show");

        let r = f.app.post("/api/v1/inventory/adjustments", adjust("damaged", 2), Some(&f.seller)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        f.app.settle().await;
        assert_eq!(f.found("in_stock=true").await, Vec::<String>::new(), "sold out leaves the filter");
    }
}
