//! The home page: the top categories, new arrivals and the best rated.

use super::{Shelf, card, cart_count};
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use search::SearchParams;
use std::sync::Arc;

pub struct CategoryLink {
    pub url: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    tagline: String,
    categories: Vec<CategoryLink>,
    shelves: Vec<Shelf>,
}

pub async fn home_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    match home(&shop, &shopper).await {
        Ok(page) => html(StatusCode::OK, page.render()),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

async fn home(shop: &Storefront, shopper: &Shopper) -> kernel::Result<HomePage> {
    let taxonomy = shop.catalog.taxonomy().await?;
    let categories = taxonomy
        .children_of(None)
        .into_iter()
        .map(|c| CategoryLink { url: format!("/c/{}", c.slug), name: c.name.clone() })
        .collect();
    let shelf = |sort: &str| SearchParams { sort: Some(sort.into()), limit: Some(8), ..Default::default() };
    let newest = shop.search.search(shelf("newest")).await?;
    let popular = shop.search.search(shelf("rating")).await?;
    let mut layout = Layout::new(shop, Some(shopper), "").canonical(shop, "/");
    layout.cart_count = cart_count(shop, shopper).await;
    Ok(HomePage {
        tagline: shop.settings.tagline.clone(),
        layout,
        categories,
        shelves: vec![
            Shelf {
                id: "new-heading",
                heading: "New arrivals".into(),
                cards: newest.items.iter().map(|h| card(shop, h)).collect(),
            },
            Shelf {
                id: "popular-heading",
                heading: "Best rated".into(),
                cards: popular.items.iter().map(|h| card(shop, h)).collect(),
            },
        ],
    })
}
