//! Carts in the platform's database (SQLite or PostgreSQL); the sweeper purges idle ones.

use super::CartStore;
use crate::model::{CartDoc, Owner};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};
use store::{Db, Query, args};

/// Carts in the platform's database (SQLite or PostgreSQL).
pub struct SqlCartStore {
    db: Db,
}

impl SqlCartStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    doc: String,
    version: i64,
}

impl CartStore for SqlCartStore {
    fn load<'a>(&'a self, owner: &'a Owner, now: Timestamp) -> BoxFuture<'a, Result<Option<CartDoc>>> {
        Box::pin(async move {
            let (sql, key) = match owner {
                Owner::Customer(id) => {
                    ("SELECT doc, version FROM cart_carts WHERE customer_id = $1 AND expires_at > $2", id)
                }
                Owner::Guest(hash) => {
                    ("SELECT doc, version FROM cart_carts WHERE token_hash = $1 AND expires_at > $2", hash)
                }
            };
            let Some(row) = self.db.fetch_optional::<Row>(sql, args![key.as_str(), now]).await? else {
                return Ok(None);
            };
            let mut doc: CartDoc = serde_json::from_str(&row.doc)
                .map_err(|e| Error::internal(format!("a stored cart does not parse: {e}")))?;
            doc.version = row.version;
            Ok(Some(doc))
        })
    }

    fn save<'a>(&'a self, doc: &'a CartDoc, expires_at: Timestamp) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            // A customer's first cart may have to clear an expired one first: two statements, one
            // transaction. Anything else is one statement, which needs no transaction around it.
            if doc.version == 0 && doc.customer_id.is_some() {
                let mut tx = self.db.begin().await?;
                let saved = write(&mut tx, doc, expires_at).await?;
                tx.commit().await?;
                return Ok(saved);
            }
            write(&mut self.db.clone(), doc, expires_at).await
        })
    }

    fn save_absorbing<'a>(
        &'a self,
        doc: &'a CartDoc,
        expires_at: Timestamp,
        absorbed: &'a str,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            let mut tx = self.db.begin().await?;
            if !write(&mut tx, doc, expires_at).await? {
                return Ok(false);
            }
            tx.execute("DELETE FROM cart_carts WHERE id = $1", args![absorbed]).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    fn delete<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.db.execute("DELETE FROM cart_carts WHERE id = $1", args![id]).await?;
            Ok(())
        })
    }

    fn purge_expired(&self, now: Timestamp) -> BoxFuture<'_, Result<u64>> {
        Box::pin(async move { Ok(self.db.execute("DELETE FROM cart_carts WHERE expires_at <= $1", args![now]).await?) })
    }
}

async fn write(q: &mut impl Query, doc: &CartDoc, expires_at: Timestamp) -> Result<bool> {
    let json = serde_json::to_string(doc).map_err(|e| Error::internal(format!("cart does not serialise: {e}")))?;
    if doc.version == 0 {
        // An expired cart of the same customer may still be waiting for the purge (a guest's
        // token is new: no cart can hold its hash).
        if doc.customer_id.is_some() {
            q.execute(
                "DELETE FROM cart_carts WHERE (customer_id = $1 OR token_hash = $2) AND expires_at <= $3".into(),
                args![doc.customer_id.as_deref(), doc.token_hash.as_deref(), doc.updated_at],
            )
            .await?;
        }
        let inserted = q
            .execute(
                "INSERT INTO cart_carts (id, customer_id, token_hash, doc, version, updated_at, expires_at)
                 VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT DO NOTHING"
                    .into(),
                args![&doc.id, doc.customer_id.as_deref(), doc.token_hash.as_deref(), json, doc.updated_at, expires_at],
            )
            .await;
        return match inserted {
            Ok(n) => Ok(n == 1),
            Err(e) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        };
    }
    let n = q
        .execute(
            "UPDATE cart_carts SET doc = $2, version = version + 1, updated_at = $3, expires_at = $4
             WHERE id = $1 AND version = $5"
                .into(),
            args![&doc.id, json, doc.updated_at, expires_at, doc.version],
        )
        .await?;
    Ok(n == 1)
}
