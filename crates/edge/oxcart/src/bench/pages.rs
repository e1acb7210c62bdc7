//! The storefront's cart page for guests who have one: carts made through the API first, then
//! each request shows one of them, as the browser that holds its cookie would ask.

use bench::{RequestSpec, Scenario};
use serde_json::json;

/// Guest carts to cycle through: enough that the cart store is not one hot row.
const CARTS: usize = 64;

pub struct CartPage {
    tokens: Vec<String>,
}

impl Scenario for CartPage {
    fn name(&self) -> &str {
        "page-cart"
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let token = &self.tokens[(seq as usize * 7 + worker) % self.tokens.len()];
        let mut spec = RequestSpec::get("/cart");
        // The cookie a shop without `web.secure_cookies` gives a guest's cart.
        spec.headers.push(("cookie".into(), format!("oxcart-cart={token}")));
        spec
    }
}

/// Guest carts of two lines each, from the variants of `slugs` that are in stock.
pub async fn cart_page(url: &str, slugs: &[String]) -> anyhow::Result<CartPage> {
    let variants = super::stock::variants(url, slugs, CARTS * 4).await?;
    let mut tokens = Vec::new();
    let mut lines = 0;
    let mut token: Option<String> = None;
    for v in &variants {
        let add = json!({"variant_id": v.id, "quantity": 1}).to_string().into_bytes();
        let mut spec = RequestSpec::post_json("/api/v1/cart/add", add);
        if let Some(t) = &token {
            spec.headers.push(("x-cart-token".into(), t.clone()));
        }
        let (status, cart) = bench::send_json(url, spec).await?;
        if !(200..300).contains(&status) {
            continue; // out of stock: the next variant
        }
        if let Some(t) = cart["token"].as_str() {
            token = Some(t.to_owned());
        }
        lines += 1;
        if lines == 2 {
            tokens.extend(token.take());
            lines = 0;
            if tokens.len() == CARTS {
                break;
            }
        }
    }
    anyhow::ensure!(!tokens.is_empty(), "no variant in stock to put in a cart");
    Ok(CartPage { tokens })
}
