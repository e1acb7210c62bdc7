//! Orders, their lines and their history.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub customer_id: String,
    pub guest: bool,
    pub email: String,
    pub state: String,
    pub currency: String,
    pub subtotal: i64,
    pub discount_total: i64,
    pub shipping: i64,
    pub shipping_discount: i64,
    pub tax_total: i64,
    pub tax_added: i64,
    pub tax_inclusive: bool,
    pub total: i64,
    pub shipping_method: String,
    pub shipping_method_name: String,
    pub delivery_min_days: i64,
    pub delivery_max_days: i64,
    pub address: String,
    pub country: String,
    pub promotions: String,
    pub payment_id: Option<String>,
    pub reservation_id: Option<String>,
    pub cancel_code: Option<String>,
    pub cancel_detail: Option<String>,
    pub checkout_key: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub shipping_return_id: Option<String>,
}

const COLUMNS: &str = "id, number, customer_id, guest, email, state, currency, subtotal, discount_total, shipping, \
    shipping_discount, tax_total, tax_added, tax_inclusive, total, shipping_method, shipping_method_name, \
    delivery_min_days, delivery_max_days, address, country, promotions, payment_id, reservation_id, cancel_code, \
    cancel_detail, checkout_key, created_at, updated_at, shipping_return_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub order_id: String,
    pub position: i64,
    pub customer_id: String,
    pub variant_id: String,
    pub product_id: String,
    pub sku: String,
    pub seller_id: String,
    pub title: String,
    pub variant_title: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub weight_g: i64,
    /// Units in returns that were not rejected, and the refund they claimed.
    pub returned_units: i64,
    pub returned_amount: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: String,
    pub order_id: String,
    pub customer_id: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub reason: Option<String>,
    pub at: i64,
}

/// False when an order already holds this checkout key or this number (nothing written).
pub async fn order_insert(tx: &mut Tx, o: &OrderRow, lines: &[LineRow]) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO orders_orders (id, number, customer_id, guest, email, state, currency, subtotal, discount_total,
                shipping, shipping_discount, tax_total, tax_added, tax_inclusive, total, shipping_method,
                shipping_method_name, delivery_min_days, delivery_max_days, address, country, promotions, payment_id,
                reservation_id, cancel_code, cancel_detail, checkout_key, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23, $24, $25, $26, $27, $28, $29)
             ON CONFLICT DO NOTHING",
            args![
                &o.id,
                &o.number,
                &o.customer_id,
                o.guest,
                &o.email,
                &o.state,
                &o.currency,
                o.subtotal,
                o.discount_total,
                o.shipping,
                o.shipping_discount,
                o.tax_total,
                o.tax_added,
                o.tax_inclusive,
                o.total,
                &o.shipping_method,
                &o.shipping_method_name,
                o.delivery_min_days,
                o.delivery_max_days,
                &o.address,
                &o.country,
                &o.promotions,
                o.payment_id.as_deref(),
                o.reservation_id.as_deref(),
                o.cancel_code.as_deref(),
                o.cancel_detail.as_deref(),
                &o.checkout_key,
                o.created_at,
                o.updated_at,
            ],
        )
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    for l in lines {
        tx.execute(
            "INSERT INTO orders_lines (order_id, position, customer_id, variant_id, product_id, sku, seller_id, title,
                variant_title, quantity, unit_price, discount, tax, total, weight_g)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            args![
                &l.order_id,
                l.position,
                &l.customer_id,
                &l.variant_id,
                &l.product_id,
                &l.sku,
                &l.seller_id,
                &l.title,
                &l.variant_title,
                l.quantity,
                l.unit_price,
                l.discount,
                l.tax,
                l.total,
                l.weight_g,
            ],
        )
        .await?;
    }
    Ok(true)
}

pub async fn order_get(q: &mut impl Query, id: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_orders WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

pub async fn order_by_key(q: &mut impl Query, key: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_orders WHERE checkout_key = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![key]).await
}

pub async fn order_by_number(q: &mut impl Query, number: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_orders WHERE number = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![number]).await
}

/// What a list may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub customer_id: Option<String>,
    pub state: Option<String>,
    /// An order number or an e-mail address, exactly (case-insensitive).
    pub search: Option<String>,
}

/// Newest first, before the id `before`.
pub async fn order_list(q: &mut impl Query, f: &ListFilter, before: Option<&str>, limit: i64) -> Result<Vec<OrderRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM orders_orders WHERE id < $1");
    let mut params = args![before.unwrap_or("~")];
    if let Some(c) = &f.customer_id {
        params.push(c.into());
        sql.push_str(&format!(" AND customer_id = ${}", params.len()));
    }
    if let Some(s) = &f.state {
        params.push(s.into());
        sql.push_str(&format!(" AND state = ${}", params.len()));
    }
    if let Some(s) = &f.search {
        params.push(s.to_ascii_uppercase().into());
        params.push(s.to_lowercase().into());
        sql.push_str(&format!(" AND (number = ${} OR email = ${})", params.len() - 1, params.len()));
    }
    params.push(limit.into());
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", params.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}

pub async fn lines_of(q: &mut impl Query, order: &str) -> Result<Vec<LineRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT order_id, position, customer_id, variant_id, product_id, sku, seller_id, title, variant_title,
                quantity, unit_price, discount, tax, total, weight_g, returned_units, returned_amount
             FROM orders_lines WHERE order_id = $1 ORDER BY position",
        ),
        args![order],
    )
    .await
}

pub async fn history_of(q: &mut impl Query, order: &str) -> Result<Vec<HistoryRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, order_id, customer_id, from_state, to_state, actor, reason, at FROM orders_history
             WHERE order_id = $1 ORDER BY at, id",
        ),
        args![order],
    )
    .await
}

pub async fn history_insert(tx: &mut Tx, h: &HistoryRow) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_history (id, order_id, customer_id, from_state, to_state, actor, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![
            &h.id,
            &h.order_id,
            &h.customer_id,
            h.from_state.as_deref(),
            &h.to_state,
            &h.actor,
            h.reason.as_deref(),
            h.at
        ],
    )
    .await?;
    Ok(())
}

/// Moves the order from `from` to `to`; false when it was no longer in `from`.
pub async fn state_move(tx: &mut Tx, id: &str, from: &str, to: &str, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_orders SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2",
            args![id, from, to, now],
        )
        .await?;
    Ok(n == 1)
}

pub async fn payment_set(tx: &mut Tx, id: &str, payment: &str) -> Result<()> {
    tx.execute("UPDATE orders_orders SET payment_id = $2 WHERE id = $1", args![id, payment]).await?;
    Ok(())
}

pub async fn reservation_set(tx: &mut Tx, id: &str, reservation: &str) -> Result<()> {
    tx.execute("UPDATE orders_orders SET reservation_id = $2 WHERE id = $1", args![id, reservation]).await?;
    Ok(())
}

pub async fn cancel_reason_set(tx: &mut Tx, id: &str, code: &str, detail: &str) -> Result<()> {
    tx.execute(
        "UPDATE orders_orders SET cancel_code = $2, cancel_detail = $3 WHERE id = $1 AND cancel_code IS NULL",
        args![id, code, detail],
    )
    .await?;
    Ok(())
}

/// Whether `customer` has a delivered line of `product` (its seller's part reached them): a
/// verified purchase.
pub async fn purchased(q: &mut impl Query, customer: &str, product: &str) -> Result<bool> {
    let found: Option<(String,)> = q
        .fetch_optional(
            Sql::from(
                "SELECT l.order_id FROM orders_lines l
                 JOIN orders_fulfilments f ON f.order_id = l.order_id AND f.seller_id = l.seller_id
                 WHERE l.customer_id = $1 AND l.product_id = $2 AND f.customer_id = $1 AND f.state = 'delivered'
                 LIMIT 1",
            ),
            args![customer, product],
        )
        .await?;
    Ok(found.is_some())
}

/// Takes the order's row lock for the rest of the transaction, so that changes to its parts
/// and returns, and the state derived from them, happen one at a time per order.
pub async fn order_lock(tx: &mut Tx, id: &str, now: i64) -> Result<Option<OrderRow>> {
    tx.execute("UPDATE orders_orders SET updated_at = $2 WHERE id = $1", args![id, now]).await?;
    order_get(tx, id).await
}

/// Claims `version` of the cart for `order`; false when this version (or a later one) was
/// claimed already.
pub async fn cart_claim(tx: &mut Tx, cart: &str, version: i64, order: &str) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO orders_cart_claims (cart_id, cart_version, order_id) VALUES ($1, $2, $3)
             ON CONFLICT (cart_id) DO UPDATE SET cart_version = excluded.cart_version, order_id = excluded.order_id
             WHERE orders_cart_claims.cart_version < excluded.cart_version",
            args![cart, version, order],
        )
        .await?;
    Ok(n == 1)
}

/// Gives back the cart claim of a cancelled order.
pub async fn cart_claim_release(tx: &mut Tx, order: &str) -> Result<()> {
    tx.execute("DELETE FROM orders_cart_claims WHERE order_id = $1", args![order]).await?;
    Ok(())
}
