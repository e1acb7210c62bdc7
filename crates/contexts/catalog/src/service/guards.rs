//! Checks the product use cases share: whose product it is, and which conflict a write met.
//! Kept apart so that products, variants, images and imports depend on it, not on each other.

use super::product_not_found;
use crate::store::products::{self as sql, ProductRow};
use kernel::{Error, Result};
use store::Query;

/// A product the caller may write: a seller's own (others' are 404, as if absent), or any for
/// an admin.
pub(crate) async fn owned_product(q: &mut impl Query, scope: Option<&str>, key: &str) -> Result<ProductRow> {
    let row = sql::product_get(q, key).await?.ok_or_else(product_not_found)?;
    match scope {
        Some(seller) if row.seller_id != seller => Err(product_not_found()),
        _ => Ok(row),
    }
}

pub(crate) fn slug_conflict() -> Error {
    Error::conflict("slug_taken", "Another product has this slug.")
}

pub(crate) fn sku_conflict(skus: &[String]) -> Error {
    Error::conflict("sku_taken", format!("These SKUs belong to other products: {}.", skus.join(", ")))
}

/// Maps a unique violation on insert to the right conflict; a race lost after the checks.
pub(crate) fn write_conflict(e: store::Error) -> Error {
    if e.is_unique_violation() {
        let text = e.to_string();
        if text.contains("sku") { sku_conflict(&[]) } else { slug_conflict() }
    } else {
        e.into()
    }
}
