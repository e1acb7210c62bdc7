//! Search results and category pages: one listing with facets (category, brand, price, rating,
//! in stock), sorting and pages. Filters are a plain GET form, so every state has a URL.

use super::home::CategoryLink;
use super::{Shelf, card, cart_count, encode};
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use search::{FacetsDto, SearchParams};
use std::sync::Arc;

const PER_PAGE: u32 = 24;
/// The search index answers at most this deep into a result list.
const DEEPEST: u64 = search::MAX_RESULT_WINDOW as u64;

/// The filters as the URL gives them; anything unreadable is ignored rather than refused.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub q: String,
    pub category: Option<String>,
    pub brands: Vec<String>,
    /// `from-to` in minor units, either side open: `1000-5000`, `-1000`, `5000-`.
    pub price: String,
    pub rating: Option<u8>,
    pub in_stock: bool,
    pub sort: String,
    pub page: u32,
}

const SORTS: [(&str, &str); 5] = [
    ("relevance", "Best match"),
    ("newest", "Newest"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("rating", "Best rated"),
];

impl Filters {
    pub fn parse(query: Option<&str>) -> Self {
        let mut f = Self { page: 1, ..Self::default() };
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = v.trim();
            match &*k {
                "q" => f.q = v.chars().take(100).collect(),
                "category" if !v.is_empty() => f.category = Some(v.to_owned()),
                "brand" if !v.is_empty() && f.brands.len() < 20 => f.brands.push(v.to_owned()),
                "price" if price_bounds(v).is_some() => f.price = v.to_owned(),
                "rating" => f.rating = v.parse().ok().filter(|r| (1..=5).contains(r)),
                "in_stock" => f.in_stock = v == "1" || v == "true",
                "sort" if SORTS.iter().any(|(s, _)| *s == v) => f.sort = v.to_owned(),
                "page" => f.page = v.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                _ => {}
            }
        }
        f
    }

    fn params(&self) -> SearchParams {
        let (price_min, price_max) = price_bounds(&self.price).unwrap_or((None, None));
        let offset = u64::from(self.page - 1) * u64::from(PER_PAGE);
        SearchParams {
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            category: self.category.clone(),
            brand: (!self.brands.is_empty()).then(|| self.brands.join(",")),
            price_min,
            price_max,
            rating_min: self.rating.map(f64::from),
            in_stock: self.in_stock.then_some(true),
            sort: (!self.sort.is_empty()).then(|| self.sort.clone()),
            facets: Some(true),
            limit: Some(PER_PAGE),
            cursor: (offset > 0).then(|| format!("o{offset}")),
            ..SearchParams::default()
        }
    }

    /// The query string of these filters on another page (`category` only on /search).
    fn query(&self, page: u32, with_category: bool) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if let (true, Some(c)) = (with_category, &self.category) {
            parts.push(format!("category={}", encode(c)));
        }
        parts.extend(self.brands.iter().map(|b| format!("brand={}", encode(b))));
        if !self.price.is_empty() {
            parts.push(format!("price={}", encode(&self.price)));
        }
        if let Some(r) = self.rating {
            parts.push(format!("rating={r}"));
        }
        if self.in_stock {
            parts.push("in_stock=1".into());
        }
        if !self.sort.is_empty() {
            parts.push(format!("sort={}", self.sort));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// `from-to` → inclusive bounds (the facet's `to` is exclusive).
fn price_bounds(v: &str) -> Option<(Option<i64>, Option<i64>)> {
    let (from, to) = v.split_once('-')?;
    let bound = |s: &str| if s.is_empty() { Ok(None) } else { s.parse::<i64>().map(Some).map_err(|_| ()) };
    let (from, to) = (bound(from).ok()?, bound(to).ok()?);
    if from.is_some_and(|f| f < 0) || to.is_some_and(|t| t <= 0) {
        return None;
    }
    Some((from, to.map(|t| t - 1)))
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub count: Option<u64>,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage {
    layout: Layout,
    heading: String,
    breadcrumbs: Vec<CategoryLink>,
    /// Where the filter form sends itself.
    action: String,
    q: String,
    category: String,
    total: u64,
    shelf: Shelf,
    subcategories: Vec<CategoryLink>,
    brands: Vec<Choice>,
    prices: Vec<Choice>,
    ratings: Vec<Choice>,
    in_stock: bool,
    filters_price_any: bool,
    filters_rating_any: bool,
    sorts: Vec<Choice>,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    /// Why there is nothing to show, when the filters could not be used.
    message: String,
}

pub async fn search_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(query): RawQuery) -> Response {
    let filters = Filters::parse(query.as_deref());
    let heading =
        if filters.q.is_empty() { "All products".to_owned() } else { format!("Results for “{}”", filters.q) };
    let mut layout = Layout::new(&shop, Some(&shopper), &heading);
    layout.q = filters.q.clone();
    layout.noindex = !filters.q.is_empty();
    if filters.q.is_empty() && filters.category.is_none() {
        layout = layout.canonical(&shop, "/search");
    }
    listing(&shop, &shopper, layout, heading, "/search".into(), Vec::new(), filters).await
}

pub async fn category_page(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let taxonomy = match shop.catalog.taxonomy().await {
        Ok(t) => t,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let Some(category) = taxonomy.category(&slug).filter(|c| c.slug == slug) else {
        return shop.not_found();
    };
    let mut filters = Filters::parse(query.as_deref());
    filters.category = Some(category.id.clone());
    let breadcrumbs = taxonomy
        .path(&category.id)
        .into_iter()
        .map(|c| CategoryLink { url: format!("/c/{}", c.slug), name: c.name.clone() })
        .collect();
    let path = format!("/c/{}", category.slug);
    let canonical = if filters.page > 1 { format!("{path}?page={}", filters.page) } else { path.clone() };
    let layout = Layout::new(&shop, Some(&shopper), &category.name)
        .canonical(&shop, &canonical)
        .describe(if category.description.is_empty() { &category.name } else { &category.description });
    listing(&shop, &shopper, layout, category.name.clone(), path, breadcrumbs, filters).await
}

async fn listing(
    shop: &Storefront,
    shopper: &Shopper,
    mut layout: Layout,
    heading: String,
    action: String,
    breadcrumbs: Vec<CategoryLink>,
    filters: Filters,
) -> Response {
    let on_search = action == "/search";
    let (result, message) = match shop.search.search(filters.params()).await {
        Ok(r) => (Some(r), String::new()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::BadRequest | ErrorKind::NotFound) => {
            (None, format!("These filters cannot be used: {}", e.detail))
        }
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let total = result.as_ref().map_or(0, |r| r.total);
    let pages = total.min(DEEPEST).div_ceil(u64::from(PER_PAGE)).max(1) as u32;
    let link = |page: u32| format!("{action}{}", filters.query(page, on_search));
    let facets = result.as_ref().and_then(|r| r.facets.clone());
    let cards = result.as_ref().map(|r| r.items.iter().map(|h| card(shop, h)).collect()).unwrap_or_default();
    layout.cart_count = cart_count(shop, shopper).await;
    let page = ListingPage {
        layout,
        heading,
        breadcrumbs,
        action: action.clone(),
        q: filters.q.clone(),
        category: if on_search { filters.category.clone().unwrap_or_default() } else { String::new() },
        total,
        shelf: Shelf { id: "results-heading", heading: String::new(), cards },
        subcategories: subcategories(facets.as_ref(), &filters, on_search),
        brands: brand_choices(facets.as_ref(), &filters),
        prices: price_choices(shop, facets.as_ref(), &filters),
        ratings: rating_choices(facets.as_ref(), &filters),
        in_stock: filters.in_stock,
        filters_price_any: filters.price.is_empty(),
        filters_rating_any: filters.rating.is_none(),
        sorts: SORTS
            .iter()
            .map(|(value, label)| Choice {
                value: (*value).into(),
                label: (*label).into(),
                count: None,
                checked: filters.sort == *value || (filters.sort.is_empty() && *value == "relevance"),
            })
            .collect(),
        page: filters.page,
        pages,
        prev: (filters.page > 1).then(|| link(filters.page - 1)),
        next: (filters.page < pages).then(|| link(filters.page + 1)),
        message,
    };
    let status = if page.shelf.cards.is_empty() && filters.page > 1 { StatusCode::NOT_FOUND } else { StatusCode::OK };
    html(status, page.render())
}

fn subcategories(facets: Option<&FacetsDto>, filters: &Filters, on_search: bool) -> Vec<CategoryLink> {
    let keep = Filters { category: None, page: 1, ..filters.clone() }.query(1, false);
    facets
        .map(|f| {
            f.categories
                .iter()
                .map(|c| CategoryLink {
                    url: if on_search {
                        let sep = if keep.is_empty() { "?" } else { "&" };
                        format!("/search{keep}{sep}category={}", encode(&c.slug))
                    } else {
                        format!("/c/{}{keep}", c.slug)
                    },
                    name: format!("{} ({})", c.name, c.count),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn brand_choices(facets: Option<&FacetsDto>, filters: &Filters) -> Vec<Choice> {
    facets
        .map(|f| {
            f.brands
                .iter()
                .map(|b| Choice {
                    value: b.slug.clone(),
                    label: b.name.clone(),
                    count: Some(b.count),
                    checked: filters.brands.iter().any(|x| *x == b.slug || *x == b.id),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn price_choices(shop: &Storefront, facets: Option<&FacetsDto>, filters: &Filters) -> Vec<Choice> {
    let money = |v: i64| shop.locale.money(v, &shop.currency);
    facets
        .map(|f| {
            f.price
                .iter()
                .filter(|p| p.count > 0)
                .map(|p| {
                    let value = format!(
                        "{}-{}",
                        p.from.map(|v| v.to_string()).unwrap_or_default(),
                        p.to.map(|v| v.to_string()).unwrap_or_default()
                    );
                    let label = match (p.from, p.to) {
                        (None, Some(to)) => format!("Under {}", money(to)),
                        (Some(from), None) => format!("{} and up", money(from)),
                        (Some(from), Some(to)) => format!("{} to {}", money(from), money(to)),
                        (None, None) => "Any price".into(),
                    };
                    Choice { checked: filters.price == value, value, label, count: Some(p.count) }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn rating_choices(facets: Option<&FacetsDto>, filters: &Filters) -> Vec<Choice> {
    facets
        .map(|f| {
            f.rating
                .iter()
                .filter(|r| (1..=4).contains(&r.min))
                .map(|r| Choice {
                    value: r.min.to_string(),
                    label: format!("{} ★ and up", r.min),
                    count: Some(r.count),
                    checked: filters.rating == Some(r.min),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_leniently_and_write_back() {
        let f = Filters::parse(Some(
            "q=red+mug&brand=acme&brand=zeta&price=1000-5000&rating=4&in_stock=1&sort=price_asc&page=3&junk=1",
        ));
        assert_eq!((f.q.as_str(), f.brands.len(), f.rating, f.in_stock, f.page), ("red mug", 2, Some(4), true, 3));
        let p = f.params();
        assert_eq!((p.price_min, p.price_max, p.cursor.as_deref()), (Some(1000), Some(4999), Some("o48")));
        assert_eq!(
            f.query(2, false),
            "?q=red+mug&brand=acme&brand=zeta&price=1000-5000&rating=4&in_stock=1&sort=price_asc&page=2"
        );
        let bad = Filters::parse(Some("price=abc&rating=9&sort=cheapest&page=-2"));
        assert_eq!((bad.price.as_str(), bad.rating, bad.sort.as_str(), bad.page), ("", None, "", 1));
        assert_eq!(price_bounds("-1000"), Some((None, Some(999))));
        assert_eq!(price_bounds("5000-"), Some((Some(5000), None)));
        assert_eq!(price_bounds("-0"), None);
    }
}
