//! Loading a catalog in bulk (the `seed` command): many products per transaction, without one
//! event per product. The caller rebuilds the search index afterwards.

use super::CatalogService;
use crate::store::bulk as sql;
use kernel::Result;
use kernel::id::new_id;
use kernel::time::Timestamp;
use store::args;

pub struct BulkProduct {
    pub seller_id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub brand_id: Option<String>,
    pub category_id: Option<String>,
    pub status: &'static str,
    /// JSON object.
    pub attributes: String,
    /// JSON list of `{name, values}`.
    pub options: String,
    pub variants: Vec<BulkVariant>,
    /// Object keys of pictures already in the object store, with their size.
    pub images: Vec<(String, i64, i64)>,
    pub reviews: Vec<BulkReview>,
}

pub struct BulkVariant {
    pub sku: String,
    pub title: String,
    /// JSON object of option name to value.
    pub option_values: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub weight_g: Option<i64>,
    pub barcode: Option<String>,
}

pub struct BulkReview {
    pub customer_id: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
}

impl CatalogService {
    /// Inserts products with their variants, images and reviews in one transaction, with the
    /// rating aggregates computed here. No events: rebuild the search index afterwards.
    pub async fn bulk_insert(&self, products: Vec<BulkProduct>) -> Result<()> {
        let now = Timestamp::now().as_micros();
        let (mut p_rows, mut v_rows, mut i_rows, mut r_rows) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut o_rows = Vec::new();
        for (n, p) in products.into_iter().enumerate() {
            let id = new_id("prd");
            // Spread creation times so that "newest" has an order to show.
            let created = now - (n as i64) * 1_000;
            let mut hist = [0i64; 5];
            for r in &p.reviews {
                if let Some(slot) = usize::try_from(r.rating - 1).ok().and_then(|i| hist.get_mut(i)) {
                    *slot += 1;
                }
            }
            let count: i64 = hist.iter().sum();
            let sum: i64 = hist.iter().enumerate().map(|(i, c)| (i as i64 + 1) * c).sum();
            let hist = format!("[{},{},{},{},{}]", hist[0], hist[1], hist[2], hist[3], hist[4]);
            for (pos, v) in p.variants.into_iter().enumerate() {
                o_rows.push(args![v.sku.as_str(), p.seller_id.as_str(), created]);
                v_rows.push(args![
                    new_id("var"),
                    id.as_str(),
                    v.sku,
                    v.title,
                    v.option_values,
                    v.price,
                    v.compare_at,
                    self.config.currency.as_str(),
                    v.weight_g,
                    v.barcode,
                    pos as i64,
                    created
                ]);
            }
            for (pos, (key, w, h)) in p.images.into_iter().enumerate() {
                i_rows.push(args![
                    new_id("img"),
                    id.as_str(),
                    key,
                    "image/jpeg",
                    w,
                    h,
                    p.title.as_str(),
                    pos as i64,
                    created
                ]);
            }
            for r in p.reviews {
                r_rows.push(args![
                    new_id("rev"),
                    id.as_str(),
                    r.customer_id,
                    r.rating,
                    r.title,
                    r.body,
                    created,
                    created
                ]);
            }
            p_rows.push(args![
                id,
                p.seller_id,
                p.slug,
                p.title,
                p.description,
                p.brand_id,
                p.category_id,
                p.status,
                p.attributes,
                p.options,
                count,
                sum,
                hist,
                created,
                created
            ]);
        }
        let mut tx = self.db.begin().await?;
        sql::bulk_insert(
            &mut tx,
            sql::BulkRows { products: p_rows, variants: v_rows, images: i_rows, reviews: r_rows, sku_owners: o_rows },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many products exist (any status).
    pub async fn product_count(&self) -> Result<i64> {
        Ok(sql::product_count(&self.db).await?)
    }
}
