//! Variants as the cart, pricing and inventory see them: price, owner, category path and
//! whether a customer may buy it now. Other contexts call it through [`VariantLookup`].

use super::CatalogService;
use crate::store::images::first_images;
use crate::store::products::{self as sql, VariantInfoRow};
use kernel::{BoxFuture, Result};
use std::collections::HashMap;

/// One variant with what a buyer-facing context needs of its product.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantInfo {
    pub variant_id: String,
    pub product_id: String,
    pub seller_id: String,
    pub sku: String,
    pub slug: String,
    pub product_title: String,
    pub variant_title: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub currency: String,
    /// The product's category and its ancestors, root first; empty when it has none.
    pub category_path: Vec<String>,
    /// The product is active and its seller approved.
    pub sellable: bool,
    pub image: Option<String>,
}

pub trait VariantLookup: Send + Sync + 'static {
    /// The variants among `ids` that exist (sellable or not); unknown ids are left out.
    fn variants_by_id<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>>;
    /// The same by SKU (case-insensitive: SKUs are stored upper-case).
    fn variants_by_sku<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>>;
}

impl VariantLookup for CatalogService {
    fn variants_by_id<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>> {
        Box::pin(async move {
            let mut rows = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                rows.extend(sql::variant_infos(&mut self.db.clone(), "v.id", chunk).await?);
            }
            self.variant_infos(rows).await
        })
    }

    fn variants_by_sku<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>> {
        Box::pin(async move {
            let upper: Vec<String> = skus.iter().map(|s| s.trim().to_uppercase()).collect();
            let mut rows = Vec::with_capacity(upper.len());
            for chunk in upper.chunks(500) {
                rows.extend(sql::variant_infos(&mut self.db.clone(), "v.sku", chunk).await?);
            }
            self.variant_infos(rows).await
        })
    }
}

impl CatalogService {
    async fn variant_infos(&self, rows: Vec<VariantInfoRow>) -> Result<Vec<VariantInfo>> {
        let taxonomy = self.taxonomy().await?;
        let mut product_ids: Vec<String> = rows.iter().map(|r| r.product_id.clone()).collect();
        product_ids.sort_unstable();
        product_ids.dedup();
        let images: HashMap<String, String> = first_images(&mut self.db.clone(), &product_ids)
            .await?
            .into_iter()
            .map(|i| (i.product_id.clone(), i.object_key))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| VariantInfo {
                category_path: r
                    .category_id
                    .as_deref()
                    .map(|c| taxonomy.path(c).into_iter().map(|c| c.id.clone()).collect())
                    .unwrap_or_default(),
                image: images.get(&r.product_id).map(|k| self.thumbnail_url(k)),
                variant_id: r.id,
                product_id: r.product_id,
                seller_id: r.seller_id,
                sku: r.sku,
                slug: r.slug,
                product_title: r.product_title,
                variant_title: r.variant_title,
                price: r.price_minor,
                compare_at: r.compare_at_minor,
                currency: r.currency,
                sellable: r.sellable != 0,
            })
            .collect())
    }
}
