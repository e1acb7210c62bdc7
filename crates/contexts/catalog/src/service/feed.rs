//! [`CatalogFeed`] served from the catalog's tables: visible products as flat entries, and
//! which products a change touched.

use super::CatalogService;
use super::taxonomy::Taxonomy;
use crate::api::{CatalogFeed, IndexEntry, IndexVariant};
use crate::domain::rating_average;
use crate::store::images::first_images;
use crate::store::products::{self as sql, ProductRow, VariantRow};
use crate::store::taxonomy::{Column, product_ids_by};
use kernel::{BoxFuture, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

impl CatalogFeed for CatalogService {
    fn taxonomy(&self) -> BoxFuture<'_, Result<Arc<Taxonomy>>> {
        Box::pin(CatalogService::taxonomy(self))
    }

    fn entries<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<IndexEntry>>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                let rows = sql::visible_by_ids(&mut self.db.clone(), chunk).await?;
                out.extend(self.index_entries(rows).await?);
            }
            Ok(out)
        })
    }

    fn entries_after<'a>(&'a self, after: &'a str, limit: i64) -> BoxFuture<'a, Result<Vec<IndexEntry>>> {
        Box::pin(async move {
            let rows = sql::visible_after(&mut self.db.clone(), after, limit).await?;
            self.index_entries(rows).await
        })
    }

    fn changed_since(&self, since: i64, limit: i64) -> BoxFuture<'_, Result<Vec<(String, i64)>>> {
        Box::pin(async move {
            let rows = sql::changed_since(&mut self.db.clone(), since, limit).await?;
            Ok(rows.into_iter().map(|c| (c.id, c.updated_at)).collect())
        })
    }

    fn products_with_skus<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            let variants = crate::api::VariantLookup::variants_by_sku(self, skus).await?;
            let mut ids: Vec<String> = variants.into_iter().map(|v| v.product_id).collect();
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        })
    }

    fn products_under<'a>(&'a self, kind: &'a str, id: &'a str) -> BoxFuture<'a, Result<Vec<String>>> {
        Box::pin(async move {
            // Reads only, on the read pool: this runs inside a consumer's open transaction.
            let mut tx = self.db.clone();
            let ids = match kind {
                "category" => {
                    let t = CatalogService::taxonomy(self).await?;
                    let mut ids = Vec::new();
                    for c in t.subtree(id) {
                        ids.extend(product_ids_by(&mut tx, Column::Category, &c).await?);
                    }
                    ids
                }
                "brand" => product_ids_by(&mut tx, Column::Brand, id).await?,
                _ => product_ids_by(&mut tx, Column::Seller, id).await?,
            };
            Ok(ids)
        })
    }
}

impl CatalogService {
    async fn index_entries(&self, rows: Vec<ProductRow>) -> Result<Vec<IndexEntry>> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut db = self.db.clone();
        let mut variants: HashMap<String, Vec<VariantRow>> = HashMap::new();
        for v in sql::variants_of_many(&mut db, &ids).await? {
            variants.entry(v.product_id.clone()).or_default().push(v);
        }
        let images: HashMap<String, String> =
            first_images(&mut db, &ids).await?.into_iter().map(|i| (i.product_id.clone(), i.object_key)).collect();
        let t = CatalogService::taxonomy(self).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let vs = variants.remove(&row.id).unwrap_or_default();
                let image = images.get(&row.id).map(|k| self.thumbnail_url(k));
                self.index_entry(&t, row, vs, image)
            })
            .collect())
    }

    fn index_entry(
        &self,
        t: &Taxonomy,
        row: ProductRow,
        variants: Vec<VariantRow>,
        image: Option<String>,
    ) -> IndexEntry {
        let path = row.category_id.as_deref().map(|c| t.path(c)).unwrap_or_default();
        let brand = row.brand_id.as_deref().and_then(|b| t.brand(b));
        let mut attributes = flatten_attributes(&row.attributes);
        for v in &variants {
            let values: HashMap<String, String> = serde_json::from_str(&v.option_values).unwrap_or_default();
            for (name, value) in values {
                let pair = (name.to_lowercase(), value);
                if !attributes.contains(&pair) {
                    attributes.push(pair);
                }
            }
        }
        let price = super::products::price_range(&variants, &self.config.currency);
        IndexEntry {
            category_path: path.iter().map(|c| c.id.clone()).collect(),
            category_names: path.iter().map(|c| c.name.clone()).collect(),
            brand_name: brand.map(|b| b.name.clone()),
            attributes,
            variants: variants.iter().map(|v| IndexVariant { id: v.id.clone(), sku: v.sku.clone() }).collect(),
            price_min: price.min,
            price_max: price.max,
            currency: price.currency,
            rating_avg: rating_average(row.rating_count, row.rating_sum),
            rating_count: row.rating_count,
            created_at: row.created_at,
            updated_at: row.updated_at,
            image,
            id: row.id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            brand_id: row.brand_id,
            category_id: row.category_id,
            seller_id: row.seller_id,
        }
    }
}

fn flatten_attributes(json: &str) -> Vec<(String, String)> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else { return Vec::new() };
    let mut out = Vec::new();
    for (name, value) in map {
        let name = name.to_lowercase();
        let values = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for v in values {
            let text = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            out.push((name.clone(), text));
        }
    }
    out
}
