//! [`VariantLookup`] served from the catalog's tables.

use super::CatalogService;
use crate::api::{VariantInfo, VariantLookup};
use crate::store::products::{self as sql, VariantInfoRow};
use kernel::{BoxFuture, Result};

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
        Ok(rows
            .into_iter()
            .map(|r| VariantInfo {
                category_path: r
                    .category_id
                    .as_deref()
                    .map(|c| taxonomy.path(c).into_iter().map(|c| c.id.clone()).collect())
                    .unwrap_or_default(),
                image: r.image_key.as_deref().map(|k| self.thumbnail_url(k)),
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
                weight_g: r.weight_g,
                sellable: r.sellable != 0,
            })
            .collect())
    }
}
