//! Loading a catalog in bulk (the `seed` command): many products per transaction, without one
//! event per product. The caller rebuilds the search index afterwards.

use super::CatalogService;
use kernel::Result;
use kernel::id::new_id;
use kernel::time::Timestamp;
use store::{Arg, args, bulk::insert_rows};

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

const PRODUCT_COLUMNS: [&str; 15] = [
    "id",
    "seller_id",
    "slug",
    "title",
    "description",
    "brand_id",
    "category_id",
    "status",
    "attributes",
    "options",
    "rating_count",
    "rating_sum",
    "rating_hist",
    "created_at",
    "updated_at",
];
const VARIANT_COLUMNS: [&str; 12] = [
    "id",
    "product_id",
    "sku",
    "title",
    "option_values",
    "price_minor",
    "compare_at_minor",
    "currency",
    "weight_g",
    "barcode",
    "position",
    "created_at",
];
const IMAGE_COLUMNS: [&str; 9] =
    ["id", "product_id", "object_key", "content_type", "width", "height", "alt", "position", "created_at"];
const REVIEW_COLUMNS: [&str; 8] =
    ["id", "product_id", "customer_id", "rating", "title", "body", "created_at", "updated_at"];

impl CatalogService {
    /// Inserts products with their variants, images and reviews in one transaction, with the
    /// rating aggregates computed here. No events: rebuild the search index afterwards.
    pub async fn bulk_insert(&self, products: Vec<BulkProduct>) -> Result<()> {
        let now = Timestamp::now().as_micros();
        let (mut p_rows, mut v_rows, mut i_rows, mut r_rows) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
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
        insert_rows(&mut tx, "catalog_products", &PRODUCT_COLUMNS, p_rows).await?;
        insert_rows(&mut tx, "catalog_variants", &with_updated(&VARIANT_COLUMNS), add_updated(v_rows)).await?;
        insert_rows(&mut tx, "catalog_images", &IMAGE_COLUMNS, i_rows).await?;
        insert_rows(&mut tx, "catalog_reviews", &REVIEW_COLUMNS, r_rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many products exist (any status).
    pub async fn product_count(&self) -> Result<i64> {
        #[derive(sqlx::FromRow)]
        struct N {
            n: i64,
        }
        let n: N = self.db.fetch_one("SELECT COUNT(*) AS n FROM catalog_products", vec![]).await?;
        Ok(n.n)
    }
}

/// Variants carry `updated_at` equal to `created_at`.
fn with_updated(columns: &[&'static str]) -> Vec<&'static str> {
    let mut c = columns.to_vec();
    c.push("updated_at");
    c
}

fn add_updated(rows: Vec<Vec<Arg>>) -> Vec<Vec<Arg>> {
    rows.into_iter()
        .map(|mut r| {
            let created = r.last().cloned().unwrap_or(Arg::Int(None));
            r.push(created);
            r
        })
        .collect()
}
