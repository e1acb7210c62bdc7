//! Products: create, change, archive, read.

use super::guards::{owned_product, sku_conflict, slug_conflict, write_conflict};
use super::taxonomy::{Taxonomy, brand_dto, category_ref};
use super::variants::{VariantDraft, variant_drafts, variant_dto};
use super::{CatalogService, product_cache_key, product_not_found, write_scope};
use crate::api::events::ProductChanged;
use crate::domain::{ProductStatus, Slug, optional_text, rating_average, required_text, slugify};
use crate::dto::{
    PriceRange, ProductCreate, ProductDto, ProductOption, ProductSummary, ProductUpdate, RatingSummary,
    SellerProductQuery,
};
use crate::store::images::ImageRow;
use crate::store::products::{self as sql, ProductRow, VariantRow};
use kernel::auth::{Principal, Role};
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result, Validation};
use serde_json::Value;
use store::{Tx, outbox};

/// A DTO as the JSON bytes a cache keeps.
fn to_bytes<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(Error::internal)
}

/// The fields of a product that passed validation.
pub(crate) struct ProductDraft {
    pub title: String,
    pub slug: Option<String>,
    pub description: String,
    pub brand_id: Option<String>,
    pub category_id: Option<String>,
    pub status: ProductStatus,
    pub attributes: String,
    pub options: Vec<ProductOption>,
}

pub(crate) fn unknown(code: &'static str, field: &str, what: &str) -> Error {
    Error::new(ErrorKind::Invalid, code, format!("No such {what}."))
        .with_errors(vec![kernel::error::FieldError { field: field.into(), message: format!("is not a known {what}") }])
}

/// Validates the attributes document: an object of scalars or lists of scalars, bounded.
pub(crate) fn attributes(v: &mut Validation, value: Option<&Value>) -> String {
    let Some(value) = value else { return "{}".into() };
    let Some(map) = value.as_object() else {
        v.push("attributes", "must be an object");
        return "{}".into();
    };
    if map.len() > 50 {
        v.push("attributes", "may hold at most 50 names");
    }
    let scalar = |x: &Value| match x {
        Value::String(s) => s.chars().count() <= 500,
        Value::Number(_) | Value::Bool(_) => true,
        _ => false,
    };
    for (name, x) in map {
        let ok_name = !name.trim().is_empty() && name.chars().count() <= 64;
        let ok_value = scalar(x) || x.as_array().is_some_and(|a| a.len() <= 50 && a.iter().all(scalar));
        if !ok_name || !ok_value {
            v.push(&format!("attributes.{name}"), "must be a name of 1-64 characters with a string (at most 500 characters), number, boolean or a list of up to 50 of them");
        }
    }
    let text = value.to_string();
    if text.len() > 16 * 1024 {
        v.push("attributes", "must be at most 16 KiB as JSON");
    }
    text
}

pub(crate) fn options(v: &mut Validation, options: &[ProductOption]) -> Vec<ProductOption> {
    if options.len() > 3 {
        v.push("options", "at most 3 options (e.g. size, colour, material)");
    }
    let mut out: Vec<ProductOption> = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let name = v.check(required_text(&format!("options[{i}].name"), &o.name, 40));
        if out.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
            v.push(&format!("options[{i}].name"), "is repeated");
        }
        let mut values: Vec<String> = Vec::new();
        for (j, raw) in o.values.iter().enumerate() {
            let value = v.check(required_text(&format!("options[{i}].values[{j}]"), raw, 60));
            if values.iter().any(|x| x.eq_ignore_ascii_case(&value)) {
                v.push(&format!("options[{i}].values[{j}]"), "is repeated");
            }
            values.push(value);
        }
        if values.is_empty() || values.len() > 100 {
            v.push(&format!("options[{i}].values"), "must hold 1 to 100 values");
        }
        out.push(ProductOption { name, values });
    }
    out
}

pub(crate) fn resolve_refs(
    t: &Taxonomy,
    brand: Option<&str>,
    category: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let brand_id = match brand.filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(t.brand(b).ok_or_else(|| unknown("unknown_brand", "brand_id", "brand"))?.id.clone()),
    };
    let category_id = match category.filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            Some(t.category(c).ok_or_else(|| unknown("unknown_category", "category_id", "category"))?.id.clone())
        }
    };
    Ok((brand_id, category_id))
}

impl CatalogService {
    pub async fn product_create(&self, p: &Principal, input: ProductCreate) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let mut v = Validation::default();
        let seller_id = match (scope, input.seller_id.as_deref()) {
            (Some(own), None) => own.to_owned(),
            (Some(own), Some(given)) if given == own => own.to_owned(),
            (Some(_), Some(_)) => {
                v.push("seller_id", "only admins may create products for another seller");
                String::new()
            }
            (None, Some(given)) => given.to_owned(),
            (None, None) => {
                v.push("seller_id", "is required when an admin creates a product");
                String::new()
            }
        };
        let draft = self.product_draft(&mut v, &input)?;
        let variants = variant_drafts(&mut v, &self.config.currency, &draft.options, &input.variants)?;
        v.finish()?;
        let t = self.taxonomy().await?;
        let (brand_id, category_id) = resolve_refs(&t, draft.brand_id.as_deref(), draft.category_id.as_deref())?;
        let id = new_id("prd");
        let mut tx = self.db.begin().await?;
        let slug = unique_slug(&mut tx, draft.slug.as_deref(), &draft.title, &id).await?;
        let skus: Vec<String> = variants.iter().map(|d| d.sku.clone()).collect();
        let taken = sql::skus_taken(&mut tx, &skus, &id, &seller_id).await?;
        if !taken.is_empty() {
            return Err(sku_conflict(&taken));
        }
        let now = Timestamp::now().as_micros();
        let row = ProductRow {
            id: id.clone(),
            seller_id,
            slug,
            title: draft.title,
            description: draft.description,
            brand_id,
            category_id,
            status: draft.status.as_str().into(),
            attributes: draft.attributes,
            options: serde_json::to_string(&draft.options).map_err(Error::internal)?,
            rating_count: 0,
            rating_sum: 0,
            rating_hist: "[0,0,0,0,0]".into(),
            created_at: now,
            updated_at: now,
        };
        sql::product_insert(&mut tx, &row).await.map_err(write_conflict)?;
        for (position, d) in variants.into_iter().enumerate() {
            sql::variant_insert(&mut tx, &d.into_row(new_id("var"), &id, position as i64, &self.config.currency))
                .await
                .map_err(write_conflict)?;
        }
        self.product_changed(&mut tx, &row, None).await?;
        tx.commit().await?;
        self.product_detail(&id, true).await
    }

    pub(crate) fn product_draft(&self, v: &mut Validation, input: &ProductCreate) -> Result<ProductDraft> {
        let title = v.check(required_text("title", &input.title, 200));
        let slug = input.slug.as_deref().map(|s| v.check(Slug::parse("slug", s).map(Slug::into_inner)));
        let description = v.check(optional_text("description", input.description.as_deref().unwrap_or(""), 20_000));
        let status = match input.status.as_deref() {
            None => ProductStatus::Draft,
            Some(s) => v.check(ProductStatus::parse("status", s).map(Some)).unwrap_or(ProductStatus::Draft),
        };
        let attributes = attributes(v, input.attributes.as_ref());
        let options = options(v, &input.options);
        Ok(ProductDraft {
            title,
            slug,
            description,
            brand_id: input.brand_id.clone(),
            category_id: input.category_id.clone(),
            status,
            attributes,
            options,
        })
    }

    pub async fn product_update(&self, p: &Principal, key: &str, input: ProductUpdate) -> Result<ProductDto> {
        let scope = write_scope(p)?;
        let t = self.taxonomy().await?;
        let mut v = Validation::default();
        let mut tx = self.db.begin().await?;
        let mut row = owned_product(&mut tx, scope, key).await?;
        let previous_slug = row.slug.clone();
        if let Some(title) = &input.title {
            row.title = v.check(required_text("title", title, 200));
        }
        if let Some(d) = &input.description {
            row.description = v.check(optional_text("description", d, 20_000));
        }
        if let Some(s) = &input.status
            && let Some(status) = v.check(ProductStatus::parse("status", s).map(Some))
        {
            row.status = status.as_str().into();
        }
        if input.attributes.is_some() {
            row.attributes = attributes(&mut v, input.attributes.as_ref());
        }
        let new_options = input.options.as_ref().map(|o| options(&mut v, o));
        let slug = input.slug.as_deref().map(|s| v.check(Slug::parse("slug", s).map(Slug::into_inner)));
        v.finish()?;
        let (brand_id, category_id) = resolve_refs(&t, input.brand_id.as_deref(), input.category_id.as_deref())?;
        if input.brand_id.is_some() {
            row.brand_id = brand_id;
        }
        if input.category_id.is_some() {
            row.category_id = category_id;
        }
        if let Some(options) = new_options {
            let variants = sql::variants_of(&mut tx, &row.id).await?;
            super::variants::check_options_fit(&options, &variants)?;
            row.options = serde_json::to_string(&options).map_err(Error::internal)?;
        }
        if let Some(slug) = slug.filter(|s| *s != row.slug) {
            if sql::slug_taken(&mut tx, &slug, &row.id).await? {
                return Err(slug_conflict());
            }
            row.slug = slug;
        }
        sql::product_update(&mut tx, &row).await.map_err(write_conflict)?;
        let moved = (previous_slug != row.slug).then_some(previous_slug.as_str());
        self.product_changed(&mut tx, &row, moved).await?;
        tx.commit().await?;
        self.product_detail(&row.id, true).await
    }

    /// Archives a product: customers no longer see it; its history stays.
    pub async fn product_archive(&self, p: &Principal, key: &str) -> Result<ProductDto> {
        let update = ProductUpdate { status: Some("archived".into()), ..ProductUpdate::default() };
        self.product_update(p, key, update).await
    }

    /// Records a change: the event in the same transaction, the local cache entry dropped at once.
    pub(crate) async fn product_changed(
        &self,
        tx: &mut Tx,
        row: &ProductRow,
        previous_slug: Option<&str>,
    ) -> Result<()> {
        outbox::emit(
            tx,
            &ProductChanged {
                product_id: row.id.clone(),
                seller_id: row.seller_id.clone(),
                slug: row.slug.clone(),
                previous_slug: previous_slug.map(str::to_owned),
            },
        )
        .await?;
        let mut slugs = vec![row.slug.as_str()];
        slugs.extend(previous_slug);
        self.cache_evict_product(&row.id, &slugs).await;
        Ok(())
    }

    /// The public product page as JSON, from the cache when there.
    pub async fn product_public_json(&self, key: &str) -> Result<bytes::Bytes> {
        let cache_key = product_cache_key(key);
        if let Some(hit) = self.cache.get(&cache_key).await {
            metrics::counter!("cache_hits_total", "cache" => "product").increment(1);
            return Ok(hit);
        }
        metrics::counter!("cache_misses_total", "cache" => "product").increment(1);
        let dto = self.product_detail(key, false).await?;
        let bytes = bytes::Bytes::from(to_bytes(&dto)?);
        self.cache.set(&cache_key, bytes.clone(), self.config.cache_ttl).await;
        Ok(bytes)
    }

    /// A product for its owner or an admin, whatever its status; others get the public view.
    pub async fn product_get(&self, p: Option<&Principal>, key: &str) -> Result<ProductDto> {
        // A visitor, or a customer, can own no draft: one read of what is public.
        if p.is_none_or(|p| p.role == Role::Customer) {
            return self.product_detail(key, false).await;
        }
        let dto = self.product_detail(key, true).await?;
        let privileged =
            p.is_some_and(|p| p.role == Role::Admin || (p.role == Role::Seller && p.user_id == dto.seller_id));
        if privileged { Ok(dto) } else { self.product_detail(key, false).await }
    }

    /// Builds the full product answer; `any_status` includes drafts and unapproved sellers.
    pub(crate) async fn product_detail(&self, key: &str, any_status: bool) -> Result<ProductDto> {
        // The public page may lag a read replica's delay (it is cached as long anyway); what an
        // owner or admin sees right after a change comes from the primary.
        let db = if any_status { self.db.clone() } else { self.db.reads() };
        let (row, variants, images) =
            crate::store::page::product_page(&db, key, !any_status).await?.ok_or_else(product_not_found)?;
        let t = self.taxonomy().await?;
        Ok(self.product_dto(&t, row, variants, images))
    }

    pub(crate) fn product_dto(
        &self,
        t: &Taxonomy,
        row: ProductRow,
        variants: Vec<VariantRow>,
        images: Vec<ImageRow>,
    ) -> ProductDto {
        let price = price_range(&variants, &self.config.currency);
        let hist: [i64; 5] = serde_json::from_str(&row.rating_hist).unwrap_or_default();
        let category = row.category_id.as_deref().and_then(|c| t.category(c));
        ProductDto {
            breadcrumbs: category.map(|c| t.path(&c.id).into_iter().map(category_ref).collect()).unwrap_or_default(),
            category: category.map(category_ref),
            brand: row.brand_id.as_deref().and_then(|b| t.brand(b)).map(brand_dto),
            attributes: serde_json::from_str(&row.attributes).unwrap_or(Value::Null),
            options: serde_json::from_str(&row.options).unwrap_or_default(),
            variants: variants.iter().map(variant_dto).collect(),
            images: images.iter().map(|i| self.image_dto(i)).collect(),
            price,
            rating: RatingSummary {
                average: rating_average(row.rating_count, row.rating_sum),
                count: row.rating_count,
                histogram: hist,
            },
            created_at: Timestamp::from_micros(row.created_at),
            updated_at: Timestamp::from_micros(row.updated_at),
            id: row.id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            status: row.status,
            seller_id: row.seller_id,
        }
    }

    /// A seller's own products (an admin: anyone's), newest first, every status.
    pub async fn product_list_own(&self, p: &Principal, q: SellerProductQuery) -> Result<Page<ProductSummary>> {
        let scope = write_scope(p)?;
        let page = PageParams { limit: q.limit, cursor: q.cursor.clone() }.validate()?;
        if let Some(s) = &q.status {
            ProductStatus::parse("status", s)?;
        }
        let seller = match scope {
            Some(own) => Some(own.to_owned()),
            None => q.seller_id.clone(),
        };
        let mut db = self.db.clone();
        let rows =
            sql::product_list(&mut db, seller.as_deref(), q.status.as_deref(), page.after.as_deref(), page.limit)
                .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let variants = sql::variants_of_many(&mut db, &ids).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        Ok(page.map(|r| {
            let own: Vec<VariantRow> = variants.iter().filter(|v| v.product_id == r.id).cloned().collect();
            ProductSummary {
                price: price_range(&own, &self.config.currency),
                variant_count: own.len() as i64,
                updated_at: Timestamp::from_micros(r.updated_at),
                id: r.id,
                slug: r.slug,
                title: r.title,
                status: r.status,
                seller_id: r.seller_id,
            }
        }))
    }
}

pub(crate) fn price_range(variants: &[VariantRow], currency: &str) -> PriceRange {
    let min = variants.iter().map(|v| v.price_minor).min().unwrap_or(0);
    let max = variants.iter().map(|v| v.price_minor).max().unwrap_or(0);
    PriceRange { min, max, currency: variants.first().map_or_else(|| currency.to_owned(), |v| v.currency.clone()) }
}

/// The slug asked for (409 when taken), or one made from the title, made unique with the id.
pub(crate) async fn unique_slug(tx: &mut Tx, asked: Option<&str>, title: &str, id: &str) -> Result<String> {
    if let Some(slug) = asked {
        if sql::slug_taken(tx, slug, id).await? {
            return Err(slug_conflict());
        }
        return Ok(slug.to_owned());
    }
    let base = match slugify(title) {
        s if s.is_empty() => "product".to_owned(),
        s => s,
    };
    if !sql::slug_taken(tx, &base, id).await? {
        return Ok(base);
    }
    let suffix: String = id.chars().rev().take(6).collect::<String>().to_ascii_lowercase();
    Ok(format!("{base}-{suffix}"))
}

impl VariantDraft {
    pub(crate) fn into_row(self, id: String, product_id: &str, position: i64, currency: &str) -> VariantRow {
        VariantRow {
            id,
            product_id: product_id.to_owned(),
            sku: self.sku,
            title: self.title,
            option_values: self.option_values,
            price_minor: self.price,
            compare_at_minor: self.compare_at,
            currency: currency.to_owned(),
            weight_g: self.weight_g,
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
            barcode: self.barcode,
            position,
        }
    }
}
