//! A product: pictures, the variant picker (price and stock follow the chosen variant), the
//! compare-at price, the rating histogram and reviews, and schema.org data for search engines.

use super::cart_count;
use super::home::CategoryLink;
use crate::Storefront;
use crate::format::Locale;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use catalog::dto::{ProductDto, ReviewDto, ReviewInput, VariantDto};
use kernel::page::PageParams;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

pub struct VariantView {
    pub id: String,
    pub title: String,
    pub price: String,
    /// The struck-through price when on sale.
    pub was: String,
    pub stock: String,
    pub available: i64,
    pub selected: bool,
}

pub struct ImageView {
    pub src: String,
    pub full: String,
    pub thumb: String,
    pub alt: String,
}

pub struct Bar {
    pub stars: usize,
    pub count: i64,
}

pub struct ReviewView {
    pub stars: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub date: String,
    pub verified: bool,
}

#[derive(Template)]
#[template(path = "product.html")]
pub struct ProductPage {
    pub layout: Layout,
    pub slug: String,
    pub title: String,
    pub brand: String,
    pub description: Vec<String>,
    pub breadcrumbs: Vec<CategoryLink>,
    pub images: Vec<ImageView>,
    pub variants: Vec<VariantView>,
    pub chosen: usize,
    pub rating: String,
    pub review_count: i64,
    pub bars: Vec<Bar>,
    pub reviews: Vec<ReviewView>,
    /// schema.org Product as JSON-LD, with `<` escaped so it cannot end the script element.
    pub structured: String,
    /// Why the last add failed, shown next to the form.
    pub error: String,
    pub quantity: String,
    /// A signed-in customer may write a review.
    pub can_review: bool,
    pub review_problems: crate::render::Problems,
    pub review_title: String,
    pub review_body: String,
}

impl ProductPage {
    fn variant(&self) -> Option<&VariantView> {
        self.variants.get(self.chosen)
    }
}

pub async fn product_page(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let wanted = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "variant")
        .map(|(_, v)| v.into_owned());
    match product_view(&shop, &shopper, &slug, wanted.as_deref()).await {
        Ok(page) => html(StatusCode::OK, page.render()),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// The page of `slug` with `wanted` (a variant id) chosen when it is one of its variants.
pub async fn product_view(
    shop: &Storefront,
    shopper: &Shopper,
    slug: &str,
    wanted: Option<&str>,
) -> kernel::Result<ProductPage> {
    let product = shop.catalog.product_get(None, slug).await?;
    let skus: Vec<String> = product.variants.iter().map(|v| v.sku.to_uppercase()).collect();
    let stock = shop.stock.available(&skus).await?;
    let reviews = shop.catalog.review_list(None, &product.id, PageParams { limit: Some(10), cursor: None }).await?;
    let variants: Vec<VariantView> = product.variants.iter().map(|v| variant_view(&shop.locale, v, &stock)).collect();
    let chosen = wanted
        .and_then(|w| product.variants.iter().position(|v| v.id == w))
        .or_else(|| variants.iter().position(|v| v.available > 0))
        .unwrap_or(0);
    let mut variants = variants;
    if let Some(v) = variants.get_mut(chosen) {
        v.selected = true;
    }
    let path = format!("/p/{}", product.slug);
    let mut layout =
        Layout::new(shop, Some(shopper), &product.title).canonical(shop, &path).describe(&product.description);
    layout.cart_count = cart_count(shop, shopper).await;
    Ok(ProductPage {
        structured: structured(shop, &product, &variants, &path),
        layout,
        slug: product.slug.clone(),
        title: product.title.clone(),
        brand: product.brand.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        description: product.description.split("\n\n").map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect(),
        breadcrumbs: product
            .breadcrumbs
            .iter()
            .map(|c| CategoryLink { url: format!("/c/{}", c.slug), name: c.name.clone() })
            .collect(),
        images: product
            .images
            .iter()
            .map(|i| ImageView {
                src: i.medium_url.clone(),
                full: i.url.clone(),
                thumb: i.thumbnail_url.clone(),
                alt: if i.alt.is_empty() { product.title.clone() } else { i.alt.clone() },
            })
            .collect(),
        variants,
        chosen,
        rating: format!("{:.1}", product.rating.average),
        review_count: product.rating.count,
        bars: (1..=5).rev().map(|stars| Bar { stars, count: product.rating.histogram[stars - 1] }).collect(),
        reviews: reviews.items.iter().map(|r| review_view(&shop.locale, r)).collect(),
        error: String::new(),
        quantity: "1".into(),
        can_review: shopper.principal.is_some(),
        review_problems: crate::render::Problems::default(),
        review_title: String::new(),
        review_body: String::new(),
    })
}

fn variant_view(locale: &Locale, v: &VariantDto, stock: &HashMap<String, i64>) -> VariantView {
    let available = stock.get(&v.sku.to_uppercase()).copied().unwrap_or(0);
    VariantView {
        id: v.id.clone(),
        title: v.title.clone(),
        price: locale.money(v.price, &v.currency),
        was: if v.on_sale {
            v.compare_at_price.map(|p| locale.money(p, &v.currency)).unwrap_or_default()
        } else {
            String::new()
        },
        stock: match available {
            0 => "Out of stock".into(),
            1..=5 => format!("Only {available} left"),
            _ => "In stock".into(),
        },
        available,
        selected: false,
    }
}

fn review_view(locale: &Locale, r: &ReviewDto) -> ReviewView {
    let rating = r.rating.clamp(0, 5);
    ReviewView {
        stars: format!("{}{}", "★".repeat(rating as usize), "☆".repeat(5 - rating as usize)),
        rating,
        title: r.title.clone(),
        body: r.body.clone(),
        date: locale.date(r.created_at.as_micros()),
        verified: r.verified_purchase,
    }
}

fn structured(shop: &Storefront, p: &ProductDto, variants: &[VariantView], path: &str) -> String {
    let url = format!("{}{path}", shop.base_url);
    let offers: Vec<_> = p
        .variants
        .iter()
        .zip(variants)
        .map(|(v, view)| {
            json!({
                "@type": "Offer",
                "sku": v.sku,
                "price": Locale::decimal(v.price, &v.currency),
                "priceCurrency": v.currency,
                "availability": if view.available > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                "url": format!("{url}?variant={}", v.id),
            })
        })
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.title,
        "description": p.description,
        "url": url,
        "image": p.images.iter().map(|i| absolute(&shop.base_url, &i.url)).collect::<Vec<_>>(),
        "offers": offers,
    });
    if let Some(b) = &p.brand {
        data["brand"] = json!({"@type": "Brand", "name": b.name});
    }
    if p.rating.count > 0 {
        data["aggregateRating"] =
            json!({"@type": "AggregateRating", "ratingValue": p.rating.average, "reviewCount": p.rating.count});
    }
    data.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn absolute(base: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") { url.to_owned() } else { format!("{base}{url}") }
}

/// A signed-in customer's review; a second one, or a product they cannot see, is said on the
/// page with what they wrote kept.
pub async fn review_create(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(slug): Path<String>,
    form: crate::session::Form,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return super::account::to_login(&format!("/p/{slug}#reviews"));
    };
    let rating = form.get("rating").parse::<i64>().unwrap_or(0);
    let input = ReviewInput {
        rating,
        title: Some(form.get("title").to_owned()).filter(|t| !t.is_empty()),
        body: Some(form.get("body").to_owned()).filter(|b| !b.is_empty()),
    };
    match shop.catalog.review_create(&p, &slug, input).await {
        Ok(_) => crate::render::see_other(&format!("/p/{slug}#reviews")),
        Err(e)
            if matches!(
                e.kind,
                kernel::ErrorKind::Invalid | kernel::ErrorKind::Conflict | kernel::ErrorKind::BadRequest
            ) =>
        {
            match product_view(&shop, &shopper, &slug, None).await {
                Ok(mut page) => {
                    page.review_problems = crate::render::Problems::from_error(&e);
                    page.review_title = form.get("title").to_owned();
                    page.review_body = form.get("body").to_owned();
                    html(e.status(), page.render())
                }
                Err(e) => failure(&shop, Some(&shopper), e),
            }
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
