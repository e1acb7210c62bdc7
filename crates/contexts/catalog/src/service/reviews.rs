//! Reviews: one per customer per product, editable; admins hide abusive ones. The product's
//! rating aggregates are recounted in the same transaction as every change.

use super::CatalogService;
use super::product_not_found as product_not_found_for_review;
use crate::domain::{optional_text, rating};
use crate::dto::{ReviewDto, ReviewInput};
use crate::store::products as product_sql;
use crate::store::reviews::{self as sql, ReviewRow};
use kernel::auth::{Principal, Role};
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result, Validation};

fn review_not_found() -> Error {
    Error::not_found("review_not_found", "No such review.")
}

fn review_dto(r: ReviewRow, caller: Option<&Principal>) -> ReviewDto {
    ReviewDto {
        mine: caller.is_some_and(|p| p.user_id == r.customer_id),
        hidden: r.hidden_at.is_some(),
        created_at: Timestamp::from_micros(r.created_at),
        updated_at: Timestamp::from_micros(r.updated_at),
        id: r.id,
        product_id: r.product_id,
        rating: r.rating,
        title: r.title,
        body: r.body,
        verified_purchase: r.verified_purchase,
    }
}

struct ReviewFields {
    rating: i64,
    title: String,
    body: String,
}

fn fields(input: &ReviewInput) -> Result<ReviewFields> {
    let mut v = Validation::default();
    let rating = v.check(rating("rating", input.rating));
    let title = v.check(optional_text("title", input.title.as_deref().unwrap_or(""), 200));
    let body = v.check(optional_text("body", input.body.as_deref().unwrap_or(""), 5000));
    v.finish()?;
    Ok(ReviewFields { rating, title, body })
}

impl CatalogService {
    pub async fn review_list(
        &self,
        caller: Option<&Principal>,
        key: &str,
        page: PageParams,
    ) -> Result<Page<ReviewDto>> {
        let page = page.validate()?;
        let mut db = self.db.clone();
        let product = product_sql::product_visible(&mut db, key).await?.ok_or_else(product_not_found_for_review)?;
        let admin = caller.is_some_and(|p| p.role == Role::Admin);
        let rows = sql::review_list(&mut db, &product.id, admin, page.after.as_deref(), page.limit).await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(|r| review_dto(r, caller)))
    }

    /// A customer's review of a product they can see; a second one is a conflict.
    pub async fn review_create(&self, p: &Principal, key: &str, input: ReviewInput) -> Result<ReviewDto> {
        p.require_scope(crate::api::REVIEWS_WRITE)?;
        let f = fields(&input)?;
        let mut tx = self.db.begin().await?;
        let product = product_sql::product_visible(&mut tx, key).await?.ok_or_else(product_not_found_for_review)?;
        if product.seller_id == p.user_id {
            return Err(Error::forbidden("Sellers cannot review their own products."));
        }
        if sql::review_of(&mut tx, &product.id, &p.user_id).await?.is_some() {
            return Err(Error::conflict("review_exists", "You have reviewed this product; edit that review instead."));
        }
        let verified_purchase = self.purchased(&p.user_id, &product.id).await?;
        let now = Timestamp::now().as_micros();
        let row = ReviewRow {
            id: new_id("rev"),
            product_id: product.id.clone(),
            customer_id: p.user_id.clone(),
            rating: f.rating,
            title: f.title,
            body: f.body,
            verified_purchase,
            hidden_at: None,
            created_at: now,
            updated_at: now,
        };
        sql::review_insert(&mut tx, &row).await.map_err(|e| {
            if e.is_unique_violation() {
                Error::conflict("review_exists", "You have reviewed this product; edit that review instead.")
            } else {
                e.into()
            }
        })?;
        sql::rating_recount(&mut tx, &product.id).await?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        Ok(review_dto(row, Some(p)))
    }

    /// The author edits their review; anyone else's is 404.
    pub async fn review_update(&self, p: &Principal, id: &str, input: ReviewInput) -> Result<ReviewDto> {
        p.require_scope(crate::api::REVIEWS_WRITE)?;
        let f = fields(&input)?;
        let mut tx = self.db.begin().await?;
        let mut row =
            sql::review_get(&mut tx, id).await?.filter(|r| r.customer_id == p.user_id).ok_or_else(review_not_found)?;
        row.rating = f.rating;
        row.title = f.title;
        row.body = f.body;
        // Written before the goods arrived, a review becomes a verified purchase once they have.
        row.verified_purchase = row.verified_purchase || self.purchased(&p.user_id, &row.product_id).await?;
        sql::review_update(&mut tx, &row).await?;
        sql::rating_recount(&mut tx, &row.product_id).await?;
        let product =
            product_sql::product_get(&mut tx, &row.product_id).await?.ok_or_else(product_not_found_for_review)?;
        self.product_changed(&mut tx, &product, None).await?;
        let saved = sql::review_get(&mut tx, id).await?.ok_or_else(review_not_found)?;
        tx.commit().await?;
        Ok(review_dto(saved, Some(p)))
    }

    /// Hides (or shows again) a review; hidden reviews leave the rating.
    pub async fn review_hide(&self, p: &Principal, id: &str, hidden: bool) -> Result<ReviewDto> {
        p.require_scope(crate::api::REVIEWS_MODERATE)?;
        let mut tx = self.db.begin().await?;
        sql::review_get(&mut tx, id).await?.ok_or_else(review_not_found)?;
        sql::review_hidden_set(&mut tx, id, hidden.then_some(p.user_id.as_str())).await?;
        let row = sql::review_get(&mut tx, id).await?.ok_or_else(review_not_found)?;
        sql::rating_recount(&mut tx, &row.product_id).await?;
        let product =
            product_sql::product_get(&mut tx, &row.product_id).await?.ok_or_else(product_not_found_for_review)?;
        self.product_changed(&mut tx, &product, None).await?;
        tx.commit().await?;
        Ok(review_dto(row, Some(p)))
    }
}
