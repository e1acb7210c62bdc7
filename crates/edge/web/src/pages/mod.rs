//! The storefront's pages, one module per area; their templates are in `templates/`.

pub mod account;
pub mod address;
pub mod cart;
pub mod checkout;
pub mod home;
pub mod listing;
pub mod orders;
pub mod payment;
pub mod product;
pub mod site;

use crate::Storefront;
use crate::session::Shopper;
use search::ProductHit;

/// A row of product cards under a heading (`id` names the heading for `aria-labelledby`).
pub struct Shelf {
    pub id: &'static str,
    pub heading: String,
    pub cards: Vec<Card>,
}

/// A product as a listing shows it.
pub struct Card {
    pub url: String,
    pub title: String,
    pub brand: String,
    /// `$12.00`, or `from $12.00` when the variants differ.
    pub price: String,
    /// `4.5 ★ (12)`, empty without reviews.
    pub rating: String,
    pub image: Option<String>,
}

pub fn card(shop: &Storefront, hit: &ProductHit) -> Card {
    let price = shop.locale.money(hit.price_min, &hit.currency);
    Card {
        url: format!("/p/{}", hit.slug),
        title: hit.title.clone(),
        brand: hit.brand.clone().unwrap_or_default(),
        price: if hit.price_max > hit.price_min { format!("from {price}") } else { price },
        rating: if hit.review_count > 0 {
            format!("{:.1} ★ ({})", hit.rating, hit.review_count)
        } else {
            String::new()
        },
        image: hit.image.clone(),
    }
}

/// How many items the visitor's cart holds, for the header; 0 without a cart.
pub async fn cart_count(shop: &Storefront, shopper: &Shopper) -> i64 {
    if shopper.cart_token.is_none() {
        return 0;
    }
    shop.cart.cart_get(&shopper.cart_caller()).await.map_or(0, |c| c.item_count)
}

/// `%`-encodes a query value.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
