//! A seller's products: the list, a new product with its price and opening stock, and one
//! product with its pictures (uploaded here), its stock adjusted with a reason, and archiving.
//! Every call goes through the catalog's and inventory's services as the seller, so a seller
//! reaches only their own products and stock.

use super::{console_layout, staff};
use crate::Storefront;
use crate::format::Locale;
use crate::render::{Layout, Problems, failure, html, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use catalog::dto::{ProductCreate, SellerProductQuery, VariantInput};
use inventory::dto::{AdjustmentInput, LevelFilter, LocationInput};
use kernel::ErrorKind;
use kernel::auth::{Principal, Role};
use std::sync::Arc;

pub struct ProductRow {
    pub url: String,
    pub title: String,
    pub status: String,
    pub price: String,
}

#[derive(Template)]
#[template(path = "seller_products.html")]
struct ProductsPage {
    layout: Layout,
    products: Vec<ProductRow>,
}

pub async fn seller_products(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller/products") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let q = SellerProductQuery { limit: Some(100), ..SellerProductQuery::default() };
    let page = match shop.catalog.product_list_own(&p, q).await {
        Ok(page) => page,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let products = page
        .items
        .iter()
        .map(|s| ProductRow {
            url: format!("/seller/products/{}", s.id),
            title: s.title.clone(),
            status: s.status.clone(),
            price: shop.locale.money(s.price.min, &shop.currency),
        })
        .collect();
    html(StatusCode::OK, ProductsPage { layout: console_layout(&shop, &shopper, "Your products"), products }.render())
}

#[derive(Template)]
#[template(path = "seller_product_new.html")]
struct NewPage {
    layout: Layout,
    title: String,
    description: String,
    sku: String,
    price: String,
    stock: String,
    problems: Problems,
}

pub async fn product_new_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    if let Err(r) = staff(&shop, &shopper, &[Role::Seller], "/seller/products/new") {
        return *r;
    }
    let page = NewPage {
        layout: console_layout(&shop, &shopper, "New product"),
        title: String::new(),
        description: String::new(),
        sku: String::new(),
        price: String::new(),
        stock: "0".into(),
        problems: Problems::default(),
    };
    html(StatusCode::OK, page.render())
}

/// The seller's first stock location, made (`Main`) when they have none.
async fn location_of(shop: &Storefront, p: &Principal) -> kernel::Result<String> {
    if let Some(l) = shop.inventory.location_list(p).await?.into_iter().next() {
        return Ok(l.id);
    }
    let input = LocationInput { name: "Main".into(), active: Some(true), seller_id: None };
    Ok(shop.inventory.location_create(p, input).await?.id)
}

pub async fn product_create(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller/products/new") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let again = |problems: Problems| NewPage {
        layout: console_layout(&shop, &shopper, "New product"),
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        sku: form.get("sku").to_owned(),
        price: form.get("price").to_owned(),
        stock: form.get("stock").to_owned(),
        problems,
    };
    let Some(price) = Locale::parse_minor(form.get("price"), &shop.currency) else {
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            again(Problems::field("price", "Give a price, such as 12.50.")).render(),
        );
    };
    let Some(stock) = form.get("stock").parse::<i64>().ok().filter(|n| (0..=1_000_000).contains(n)) else {
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            again(Problems::field("stock", "Give a whole number from 0.")).render(),
        );
    };
    let input = ProductCreate {
        title: form.get("title").to_owned(),
        slug: None,
        description: Some(form.get("description").to_owned()).filter(|d| !d.is_empty()),
        brand_id: None,
        category_id: None,
        status: Some(if form.get("status") == "draft" { "draft" } else { "active" }.to_owned()),
        attributes: None,
        options: Vec::new(),
        variants: vec![VariantInput {
            sku: form.get("sku").to_owned(),
            title: None,
            options: Default::default(),
            price,
            compare_at_price: None,
            currency: None,
            weight_g: None,
            length_mm: None,
            width_mm: None,
            height_mm: None,
            barcode: None,
        }],
        seller_id: None,
    };
    let product = match shop.catalog.product_create(&p, input).await {
        Ok(product) => product,
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::BadRequest | ErrorKind::Conflict) => {
            return html(StatusCode::UNPROCESSABLE_ENTITY, again(Problems::from_error(&e)).render());
        }
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    if stock > 0 {
        let received = async {
            let location_id = location_of(&shop, &p).await?;
            let sku = form.get("sku").to_owned();
            let input = AdjustmentInput {
                sku,
                location_id,
                kind: "received".into(),
                quantity: Some(stock),
                counted: None,
                reason: "opening stock".into(),
            };
            shop.inventory.adjustment_create(&p, input).await
        };
        if let Err(e) = received.await {
            return failure(&shop, Some(&shopper), e);
        }
    }
    see_other(&format!("/seller/products/{}", product.id))
}

pub struct VariantRow {
    pub sku: String,
    pub price: String,
    pub on_hand: i64,
    pub available: i64,
}

#[derive(Template)]
#[template(path = "seller_product.html")]
struct ProductPage {
    layout: Layout,
    id: String,
    title: String,
    status: String,
    public_url: String,
    pictures: Vec<(String, String)>,
    variants: Vec<VariantRow>,
    problems: Problems,
}

async fn product_view(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    id: &str,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let product = match shop.catalog.product_get(Some(p), id).await {
        Ok(found) if found.seller_id == p.user_id => found,
        Ok(_) => return crate::render::not_found(shop),
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let mut variants = Vec::new();
    for v in &product.variants {
        let filter = LevelFilter { sku: Some(v.sku.clone()), limit: Some(100), ..LevelFilter::default() };
        let levels = match shop.inventory.level_list(p, filter).await {
            Ok(page) => page.items,
            Err(e) => return failure(shop, Some(shopper), e),
        };
        variants.push(VariantRow {
            sku: v.sku.clone(),
            price: shop.locale.money(v.price, &v.currency),
            on_hand: levels.iter().map(|l| l.on_hand).sum(),
            available: levels.iter().map(|l| l.available).sum(),
        });
    }
    let page = ProductPage {
        layout: console_layout(shop, shopper, &product.title),
        id: product.id.clone(),
        title: product.title.clone(),
        status: product.status.clone(),
        public_url: format!("/p/{}", product.slug),
        pictures: product.images.iter().map(|i| (i.thumbnail_url.clone(), i.alt.clone())).collect(),
        variants,
        problems,
    };
    html(status, page.render())
}

pub async fn seller_product(State(shop): State<Arc<Storefront>>, shopper: Shopper, Path(id): Path<String>) -> Response {
    match staff(&shop, &shopper, &[Role::Seller], &format!("/seller/products/{id}")) {
        Ok(p) => product_view(&shop, &shopper, &p, &id, Problems::default(), StatusCode::OK).await,
        Err(r) => *r,
    }
}

/// After a change: back to the product, or the product with what was refused.
async fn outcome<T>(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    id: &str,
    result: kernel::Result<T>,
) -> Response {
    match result {
        Ok(_) => see_other(&format!("/seller/products/{id}")),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::Invalid
                    | ErrorKind::BadRequest
                    | ErrorKind::Conflict
                    | ErrorKind::PayloadTooLarge
                    | ErrorKind::UnsupportedMediaType
            ) =>
        {
            product_view(shop, shopper, p, id, Problems::from_error(&e), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => failure(shop, Some(shopper), e),
    }
}

pub async fn picture_upload(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], &format!("/seller/products/{id}")) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let mut file = None;
    let mut alt = None;
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("file") => file = field.bytes().await.ok().map(|b| b.to_vec()).filter(|b| !b.is_empty()),
                Some("alt") => alt = field.text().await.ok(),
                _ => {}
            }
        }
    }
    let Some(file) = file else {
        let problems = Problems::field("file", "Choose a picture (JPEG, PNG or WebP).");
        return product_view(&shop, &shopper, &p, &id, problems, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let result = shop.catalog.image_upload(&p, &id, file, alt).await;
    outcome(&shop, &shopper, &p, &id, result).await
}

pub async fn stock_adjust(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], &format!("/seller/products/{id}")) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let Some(quantity) = form.get("quantity").parse::<i64>().ok().filter(|n| *n >= 0) else {
        let problems = Problems::field("quantity", "Give a whole number from 0.");
        return product_view(&shop, &shopper, &p, &id, problems, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let kind = match form.get("kind") {
        k @ ("received" | "damaged" | "corrected") => k.to_owned(),
        _ => "received".to_owned(),
    };
    let result = async {
        // The product must be the caller's before its SKU is touched.
        let product = shop.catalog.product_get(Some(&p), &id).await?;
        if product.seller_id != p.user_id || !product.variants.iter().any(|v| v.sku == form.get("sku")) {
            return Err(kernel::Error::not_found("product_not_found", "No such product among yours."));
        }
        let (quantity, counted) = if kind == "corrected" { (None, Some(quantity)) } else { (Some(quantity), None) };
        let input = AdjustmentInput {
            sku: form.get("sku").to_owned(),
            location_id: location_of(&shop, &p).await?,
            kind,
            quantity,
            counted,
            reason: form.get("reason").chars().take(200).collect(),
        };
        shop.inventory.adjustment_create(&p, input).await
    }
    .await;
    outcome(&shop, &shopper, &p, &id, result).await
}

pub async fn product_archive(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], &format!("/seller/products/{id}")) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let result = shop.catalog.product_archive(&p, &id).await;
    outcome(&shop, &shopper, &p, &id, result).await
}
