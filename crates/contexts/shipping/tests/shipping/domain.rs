//! The pure rules: zone choice, rate rows, free shipping, and the invariants of the per-seller
//! split whatever the parcels.

use kernel::geo::Destination;
use proptest::prelude::*;
use shipping::domain::{Area, Basis, Parcel, Rate, Tariff, Zone, merge, zone_for};

fn area(country: &str, region: Option<&str>) -> Area {
    Area { country: country.into(), region: region.map(str::to_owned) }
}

fn zone(id: &str, areas: Vec<Area>) -> Zone {
    Zone { id: id.into(), areas }
}

#[test]
fn the_most_specific_zone_wins_and_the_first_among_equals() {
    let zones = [
        zone("us_a", vec![area("US", None)]),
        zone("remote", vec![area("US", Some("AK")), area("US", Some("HI"))]),
        zone("us_b", vec![area("US", None), area("CA", None)]),
        zone("hawaii", vec![area("US", Some("HI"))]),
    ];
    let served = |country: &str, region: Option<&str>| {
        zone_for(&zones, &Destination::new(country, region, None)).map(|z| z.id.clone())
    };
    assert_eq!(served("US", Some("AK")).as_deref(), Some("remote"));
    assert_eq!(served("US", Some("HI")).as_deref(), Some("remote"), "the first of two regional zones");
    assert_eq!(served("US", Some("TX")).as_deref(), Some("us_a"));
    assert_eq!(served("US", None).as_deref(), Some("us_a"));
    assert_eq!(served("CA", Some("AK")).as_deref(), Some("us_b"));
    assert_eq!(served("MX", None), None);
    let only_regions = [zone("remote", vec![area("US", Some("AK"))])];
    assert_eq!(zone_for(&only_regions, &Destination::new("US", Some("CA"), None)), None);
    assert_eq!(zone_for(&only_regions, &Destination::new("US", None, None)), None);
}

fn tariff(basis: Basis, rates: &[(i64, i64)], free_over: Option<i64>) -> Tariff {
    Tariff { basis, rates: rates.iter().map(|&(from, amount)| Rate { from, amount }).collect(), free_over }
}

#[test]
fn the_greatest_row_not_above_the_measure_applies() {
    let weight = tariff(Basis::Weight, &[(5000, 1499), (0, 599), (1000, 899)], Some(7500));
    let cases = [(0, 0, 599), (999, 0, 599), (1000, 0, 899), (5000, 7499, 1499), (5000, 7500, 0), (-3, -3, 599)];
    for (weight_g, value, price) in cases {
        assert_eq!(weight.parcel_price(weight_g, value), price, "{weight_g} g, worth {value}");
    }
    let value = tariff(Basis::Value, &[(0, 499), (2000, 299)], None);
    assert_eq!((value.parcel_price(99_999, 1999), value.parcel_price(0, 2000)), (499, 299));
    let flat = tariff(Basis::Flat, &[(0, 1999)], Some(0));
    assert_eq!(flat.parcel_price(10, 0), 0, "free_over 0: everything ships free");
    assert_eq!(tariff(Basis::Flat, &[(0, 1999)], None).parcel_price(1_000_000, 1), 1999);
}

#[test]
fn one_sellers_parcels_merge_in_first_seen_order() {
    let p = |s: &str, w, v| Parcel { seller_id: s.into(), weight_g: w, value: v };
    let merged = merge(&[p("b", 1, 10), p("a", 2, 20), p("b", 3, 30), p("a", -5, 1)]);
    assert_eq!(merged, vec![p("b", 4, 40), p("a", 2, 21)]);
    let (total, split) =
        tariff(Basis::Weight, &[(0, 100), (4, 400)], None).price(&[p("b", 1, 0), p("b", 3, 0), p("a", 1, 0)]);
    assert_eq!(
        (total, split.iter().map(|s| (s.seller_id.as_str(), s.amount)).collect::<Vec<_>>()),
        (500, vec![("b", 400), ("a", 100)])
    );
}

fn parcels() -> impl Strategy<Value = Vec<Parcel>> {
    let one = (prop::sample::select(vec!["s0", "s1", "s2", "s3"]), 0..20_000i64, 0..20_000i64)
        .prop_map(|(s, weight_g, value)| Parcel { seller_id: s.into(), weight_g, value });
    prop::collection::vec(one, 0..12)
}

fn tariffs() -> impl Strategy<Value = Tariff> {
    let basis = prop::sample::select(vec![Basis::Flat, Basis::Weight, Basis::Value]);
    let rows = prop::collection::vec((1..20_000i64, 0..5_000i64), 0..6);
    (basis, 0..5_000i64, rows, prop::option::of(0..20_000i64)).prop_map(|(basis, base, rows, free_over)| {
        let mut rates = vec![Rate { from: 0, amount: base }];
        if basis != Basis::Flat {
            rates.extend(rows.into_iter().map(|(from, amount)| Rate { from, amount }));
        }
        Tariff { basis, rates, free_over }
    })
}

proptest! {
    #[test]
    fn the_split_adds_up_with_one_entry_per_seller(t in tariffs(), parcels in parcels()) {
        let (total, split) = t.price(&parcels);
        prop_assert_eq!(total, split.iter().map(|s| s.amount).sum::<i64>());
        let mut firsts: Vec<&str> = Vec::new();
        for p in &parcels {
            if !firsts.contains(&p.seller_id.as_str()) {
                firsts.push(&p.seller_id);
            }
        }
        prop_assert_eq!(split.iter().map(|s| s.seller_id.as_str()).collect::<Vec<_>>(), firsts);
        for s in &split {
            prop_assert!(s.amount >= 0);
            let value: i64 = parcels.iter().filter(|p| p.seller_id == s.seller_id).map(|p| p.value).sum();
            if t.free_over.is_some_and(|f| value >= f) {
                prop_assert_eq!(s.amount, 0);
            } else {
                prop_assert!(t.rates.iter().any(|r| r.amount == s.amount), "a row's amount");
            }
        }
    }
}
