//! Single-use tokens of e-mailed links, kept as their SHA-256 only.

use kernel::time::Timestamp;
use store::{Db, Result, Tx, args};

pub async fn token_insert(
    tx: &mut Tx,
    user_id: &str,
    purpose: &str,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<()> {
    tx.execute(
        "INSERT INTO users_tokens (id, user_id, purpose, token_hash, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![kernel::id::new_id("tok"), user_id, purpose, token_hash, expires_at, Timestamp::now()],
    )
    .await?;
    Ok(())
}

/// Ends every unused token of `purpose` of a user, as if used: only the newest link works.
pub async fn tokens_void(tx: &mut Tx, user_id: &str, purpose: &str) -> Result<()> {
    tx.execute(
        "UPDATE users_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        args![Timestamp::now(), user_id, purpose],
    )
    .await?;
    Ok(())
}

/// The user of a token that would work now, without using it (a look before costly work).
pub async fn token_live(db: &Db, token_hash: &str, purpose: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT user_id FROM users_tokens
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
            args![token_hash, purpose, Timestamp::now()],
        )
        .await?;
    Ok(row.map(|(u,)| u))
}

/// Uses a token: one conditional statement, so of two concurrent uses only one gets the user.
pub async fn token_consume(tx: &mut Tx, token_hash: &str, purpose: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = tx
        .fetch_optional(
            "UPDATE users_tokens SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
            args![Timestamp::now(), token_hash, purpose],
        )
        .await?;
    Ok(row.map(|(u,)| u))
}
