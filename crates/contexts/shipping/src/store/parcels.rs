//! SQL for what follows a parcel once it ships: the labels the built-in provider made and the
//! tracking events carriers reported.

use store::{Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LabelRow {
    pub tracking_number: String,
    pub reference: String,
    pub carrier: String,
    /// The `LabelRequest` as JSON.
    pub request: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct TrackingEventRow {
    pub provider: String,
    pub event_id: String,
    pub tracking_number: String,
    pub status: String,
    pub detail: String,
    pub location: Option<String>,
    pub occurred_at: i64,
    pub received_at: i64,
}

const LABEL_COLUMNS: &str = "tracking_number, reference, carrier, request, created_at";

/// Inserts the label unless its reference or its tracking number is taken; true when it was
/// inserted. Which of the two was taken the caller finds by reading the reference back.
pub async fn label_insert(tx: &mut Tx, l: &LabelRow) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO shipping_labels (tracking_number, reference, carrier, request, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            args![&l.tracking_number, &l.reference, &l.carrier, &l.request, l.created_at],
        )
        .await?;
    Ok(inserted == 1)
}

pub async fn label_by_reference(q: &mut impl Query, reference: &str) -> Result<Option<LabelRow>> {
    let sql = store::AssertSqlSafe(format!("SELECT {LABEL_COLUMNS} FROM shipping_labels WHERE reference = $1"));
    q.fetch_optional(Sql::from(sql), args![reference]).await
}

pub async fn label_get(q: &mut impl Query, tracking_number: &str) -> Result<Option<LabelRow>> {
    let sql = store::AssertSqlSafe(format!("SELECT {LABEL_COLUMNS} FROM shipping_labels WHERE tracking_number = $1"));
    q.fetch_optional(Sql::from(sql), args![tracking_number]).await
}

/// Records a carrier's report unless that provider's event id is already recorded; true when
/// it was new.
pub async fn tracking_event_insert(tx: &mut Tx, e: &TrackingEventRow) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO shipping_tracking_events (provider, event_id, tracking_number, status, detail, location,
                occurred_at, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (provider, event_id) DO NOTHING",
            args![
                &e.provider,
                &e.event_id,
                &e.tracking_number,
                &e.status,
                &e.detail,
                e.location.clone(),
                e.occurred_at,
                e.received_at
            ],
        )
        .await?;
    Ok(inserted == 1)
}
