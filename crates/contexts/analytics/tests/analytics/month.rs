//! A seeded month of orders (confirmed, cancelled before and after payment, refunded, some
//! delivered twice) adds up in every bucket, for the shop and for each seller, to a direct
//! recount of the same orders.

use axum::http::StatusCode;
use kernel::auth::Role;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use orders::api::events::{EventLine, OrderCancelled, OrderConfirmed};
use payments::api::events::PaymentRefunded;
use std::collections::BTreeMap;
use testkit::{TestApp, backends};

const DAY: i64 = 86_400_000_000;
const HOUR: i64 = 3_600_000_000;
/// 2026-11-01T00:00:00Z.
const START: i64 = 1_761_955_200_000_000;
const SELLERS: [&str; 3] = ["usr_a", "usr_b", "usr_c"];

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) % n
    }
}

fn at<E: Event>(event: &E, micros: i64) -> Envelope {
    let mut e = Envelope::new(event);
    e.occurred_at = Timestamp::from_micros(micros);
    e
}

/// Per (seller or '', day) → (orders, units, revenue, cancelled, refunded).
type Recount = BTreeMap<(String, i64), [i64; 5]>;

fn month(rng: &mut Lcg) -> (Vec<Envelope>, Recount, Recount) {
    let (mut events, mut days, mut hours) = (Vec::new(), Recount::new(), Recount::new());
    for n in 0..300 {
        let when = START + i64::try_from(rng.below(30 * DAY as u64)).expect("fits");
        let lines: Vec<EventLine> = (0..1 + rng.below(3))
            .map(|i| {
                let quantity = 1 + rng.below(4) as i64;
                let unit_price = 100 + rng.below(5000) as i64;
                EventLine {
                    variant_id: format!("var_{i}"),
                    product_id: format!("prd_{}", rng.below(6)),
                    sku: format!("SKU{i}"),
                    seller_id: SELLERS[rng.below(3) as usize].into(),
                    quantity,
                    unit_price,
                    total: quantity * unit_price,
                }
            })
            .collect();
        let shipping = 500;
        let total = lines.iter().map(|l| l.total).sum::<i64>() + shipping;
        let order_id = format!("ord_{n}");
        let confirmed = OrderConfirmed {
            order_id: order_id.clone(),
            number: format!("N{n}"),
            customer_id: "gst_1".into(),
            email: "guest@example.com".into(),
            total,
            currency: "USD".into(),
            lines: lines.clone(),
        };
        events.push(at(&confirmed, when));
        for (grain, recount) in [(DAY, &mut days), (HOUR, &mut hours)] {
            let bucket = when.div_euclid(grain) * grain;
            let shop = recount.entry((String::new(), bucket)).or_default();
            shop[0] += 1;
            shop[1] += lines.iter().map(|l| l.quantity).sum::<i64>();
            shop[2] += total;
            let mut seen = Vec::new();
            for l in &lines {
                let s = recount.entry((l.seller_id.clone(), bucket)).or_default();
                if !seen.contains(&l.seller_id) {
                    s[0] += 1;
                    seen.push(l.seller_id.clone());
                }
                s[1] += l.quantity;
                s[2] += l.total;
            }
        }
        let later = when + i64::try_from(rng.below(DAY as u64)).expect("fits");
        match rng.below(10) {
            0 => {
                let refund = PaymentRefunded {
                    payment_id: format!("pay_{n}"),
                    reference: order_id,
                    amount: total / 2,
                    refunded: total / 2,
                    currency: "USD".into(),
                };
                events.push(at(&refund, later));
                for (grain, recount) in [(DAY, &mut days), (HOUR, &mut hours)] {
                    recount.entry((String::new(), later.div_euclid(grain) * grain)).or_default()[4] += total / 2;
                }
            }
            1 => {
                let cancel = OrderCancelled {
                    order_id,
                    customer_id: "gst_1".into(),
                    from: "confirmed".into(),
                    code: "staff_cancelled".into(),
                };
                events.push(at(&cancel, later));
                for (grain, recount) in [(DAY, &mut days), (HOUR, &mut hours)] {
                    recount.entry((String::new(), later.div_euclid(grain) * grain)).or_default()[3] += 1;
                }
            }
            2 => {
                // A checkout whose payment failed: never an order, so not a cancellation.
                let failed = OrderCancelled {
                    order_id: format!("ord_failed_{n}"),
                    customer_id: "gst_1".into(),
                    from: "payment_pending".into(),
                    code: "payment_declined".into(),
                };
                events.push(at(&failed, later));
            }
            _ => {}
        }
    }
    (events, days, hours)
}

fn rfc3339(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

#[tokio::test]
async fn a_seeded_month_adds_up_in_every_bucket_for_the_shop_and_each_seller() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let handler = app
            .app
            .modules
            .iter()
            .find(|m| m.name == "analytics")
            .and_then(|m| m.handlers.first().cloned())
            .expect("the analytics consumer");
        let mut rng = Lcg(7);
        let (events, days, hours) = month(&mut rng);
        for (i, e) in events.iter().enumerate() {
            let times = if i.is_multiple_of(10) { 2 } else { 1 };
            for _ in 0..times {
                bus::inbox::deliver(&app.app.db, handler.as_ref(), e).await.expect("folded");
            }
        }

        let (since, until) = (rfc3339(START), rfc3339(START + 31 * DAY));
        for who in ["", SELLERS[0], SELLERS[1], SELLERS[2]] {
            let seller = if who.is_empty() { String::new() } else { format!("&seller_id={who}") };
            let r =
                app.get(&format!("/api/v1/analytics/sales?since={since}&until={until}{seller}"), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let report = r.json();
            let buckets = report["buckets"].as_array().expect("buckets");
            assert_eq!(buckets.len(), 31, "every day, empty ones included");
            for b in buckets {
                let start = Timestamp::parse_rfc3339(b["start"].as_str().expect("start")).expect("time").as_micros();
                let want = days.get(&(who.to_owned(), start)).copied().unwrap_or_default();
                let got = ["orders", "units", "revenue", "cancelled", "refunded"].map(|k| b[k].as_i64().expect(k));
                assert_eq!(got, want, "{who:?} on {}", b["start"]);
            }
            let orders: i64 = days.iter().filter(|((s, _), _)| s == who).map(|(_, v)| v[0]).sum();
            assert_eq!(report["totals"]["orders"], orders, "{who:?}");
        }

        let day = START + 12 * DAY;
        let path = format!("/api/v1/analytics/sales?grain=hour&since={}&until={}", rfc3339(day), rfc3339(day + DAY));
        let report = app.get(&path, Some(&admin)).await.json();
        let buckets = report["buckets"].as_array().expect("buckets");
        assert_eq!(buckets.len(), 24);
        for (h, b) in buckets.iter().enumerate() {
            let want = hours.get(&(String::new(), day + h as i64 * HOUR)).copied().unwrap_or_default();
            assert_eq!([b["orders"].as_i64(), b["revenue"].as_i64()], [Some(want[0]), Some(want[2])], "hour {h}");
        }
        let (sales, products) = app.app.analytics.size().await.expect("size");
        assert!(sales > 0 && products > 0, "{sales} {products}");
    }
}
