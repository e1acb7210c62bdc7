//! A product with its variants and pictures in one statement: the database builds the two
//! lists as JSON, so a product page costs one round trip instead of three.

use super::VISIBLE;
use super::images::{COLUMNS as IMAGE_COLUMNS, ImageRow};
use super::products::{PRODUCT_COLUMNS, ProductRow, VARIANT_COLUMNS, VariantRow};
use kernel::Result;
use std::sync::LazyLock;
use store::{AssertSqlSafe, Backend, Db, args};

#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    product: ProductRow,
    variants: String,
    images: String,
}

/// The statement for each (backend, public only) pair, built once.
static SQL: LazyLock<[[String; 2]; 2]> = LazyLock::new(|| {
    [Backend::Sqlite, Backend::Postgres].map(|backend| {
        [false, true].map(|public| {
            format!(
                "SELECT {PRODUCT_COLUMNS}, {} AS variants, {} AS images FROM catalog_products p
                 WHERE (p.id = $1 OR p.slug = $1){}",
                json_rows(backend, "catalog_variants", VARIANT_COLUMNS),
                json_rows(backend, "catalog_images", IMAGE_COLUMNS),
                if public { format!(" AND {VISIBLE}") } else { String::new() },
            )
        })
    })
});

/// The product's rows of `table` as a JSON array of objects, in their display order; the keys
/// are the `columns` a row type is read from (`a, b, c`), so the JSON decodes into it.
fn json_rows(backend: Backend, table: &str, columns: &str) -> String {
    let pairs: Vec<String> = columns.split(',').map(str::trim).map(|f| format!("'{f}', x.{f}")).collect();
    let pairs = pairs.join(", ");
    match backend {
        Backend::Sqlite => format!(
            "(SELECT json_group_array(json_object({pairs}) ORDER BY x.position, x.id) FROM {table} x \
             WHERE x.product_id = p.id)"
        ),
        Backend::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_object({pairs}) ORDER BY x.position, x.id), '[]')::text \
             FROM {table} x WHERE x.product_id = p.id)"
        ),
    }
}

/// A product by id or slug with its variants and pictures; `public` keeps to what customers see.
pub async fn product_page(
    db: &Db,
    key: &str,
    public: bool,
) -> Result<Option<(ProductRow, Vec<VariantRow>, Vec<ImageRow>)>> {
    let backend = match db.backend() {
        Backend::Sqlite => 0,
        Backend::Postgres => 1,
    };
    let sql = SQL[backend][usize::from(public)].clone();
    let Some(row) = db.fetch_optional::<PageRow>(AssertSqlSafe(sql), args![key]).await? else {
        return Ok(None);
    };
    let variants = serde_json::from_str(&row.variants).map_err(undecodable)?;
    let images = serde_json::from_str(&row.images).map_err(undecodable)?;
    Ok(Some((row.product, variants, images)))
}

fn undecodable(e: serde_json::Error) -> kernel::Error {
    kernel::Error::internal(format!("a product's variants or pictures do not decode: {e}"))
}
