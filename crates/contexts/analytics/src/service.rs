//! The analytics use cases: folding order and payment events into the aggregates (in the
//! consumer's inbox transaction, so a redelivered event counts once), and reading reports.

use crate::api::ANALYTICS_READ;
use crate::domain::{DAY, Grain, HOUR, Key, SoldLine, Tally, average_order_value, cancel_counts, sale_tallies};
use crate::dto::*;
use crate::store as sql;
use kernel::auth::{Principal, Role};
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use orders::api::events::{OrderCancelled, OrderConfirmed};
use payments::api::events::PaymentRefunded;
use store::{Db, Tx};

/// The most buckets one report holds.
pub const MAX_BUCKETS: i64 = 744;

/// Every event type the aggregates fold in.
pub const FOLDED: &[&str] = &[OrderConfirmed::TYPE, OrderCancelled::TYPE, PaymentRefunded::TYPE];

pub struct AnalyticsService {
    db: Db,
    currency: String,
}

impl AnalyticsService {
    pub fn new(db: Db, currency: String) -> Self {
        Self { db, currency }
    }

    /// Adds what `event` changes to its hour and its day. The Prometheus counters move before
    /// the transaction commits: a fold that fails and is delivered again counts twice there
    /// (never in the aggregates), which a rate over minutes absorbs.
    pub async fn event_fold(&self, tx: &mut Tx, event: &Envelope) -> Result<()> {
        let at = event.occurred_at.as_micros();
        let shop = |currency: &str, t: Tally| vec![(Key { seller_id: String::new(), currency: currency.into() }, t)];
        let (tallies, products) = match event.event_type.as_str() {
            OrderConfirmed::TYPE => {
                let e: OrderConfirmed = event.decode()?;
                let lines: Vec<SoldLine> = e
                    .lines
                    .iter()
                    .map(|l| SoldLine {
                        seller_id: l.seller_id.clone(),
                        product_id: l.product_id.clone(),
                        quantity: l.quantity,
                        total: l.total,
                    })
                    .collect();
                metrics::counter!("oxcart_orders_confirmed_total").increment(1);
                metrics::counter!("oxcart_revenue_minor_total", "currency" => e.currency.clone())
                    .increment(u64::try_from(e.total).unwrap_or(0));
                sale_tallies(e.total, &e.currency, &lines)
            }
            OrderCancelled::TYPE => {
                let e: OrderCancelled = event.decode()?;
                if !cancel_counts(&e.from) {
                    return Ok(());
                }
                metrics::counter!("oxcart_orders_cancelled_total").increment(1);
                (shop(&self.currency, Tally { cancelled: 1, ..Tally::default() }), Vec::new())
            }
            PaymentRefunded::TYPE => {
                let e: PaymentRefunded = event.decode()?;
                metrics::counter!("oxcart_refunds_minor_total", "currency" => e.currency.clone())
                    .increment(u64::try_from(e.amount).unwrap_or(0));
                (shop(&e.currency, Tally { refunded: e.amount, ..Tally::default() }), Vec::new())
            }
            _ => return Ok(()),
        };
        for grain in [Grain::Hour, Grain::Day] {
            sql::sales_add(tx, grain, grain.floor(at), &tallies).await?;
        }
        sql::products_add(tx, Grain::Day.floor(at), &products).await?;
        Ok(())
    }

    /// Sales over a range: the shop's or one seller's (a seller only ever sees their own).
    pub async fn sales_report(&self, p: &Principal, q: &SalesQuery) -> Result<SalesReportDto> {
        p.require_role(&[Role::Seller, Role::Admin])?;
        p.require_scope(ANALYTICS_READ)?;
        if q.seller_id.as_ref().is_some_and(|s| s.chars().count() > 40) {
            return Err(Error::invalid_field("seller_id", "must be at most 40 characters"));
        }
        let seller_id = match (p.role, &q.seller_id) {
            (Role::Admin, s) => s.clone().filter(|s| !s.is_empty()),
            (_, Some(s)) if *s != p.user_id => return Err(Error::forbidden("A seller sees only their own sales.")),
            _ => Some(p.user_id.clone()),
        };
        let grain_dto = q.grain.unwrap_or_default();
        let grain = match grain_dto {
            GrainDto::Hour => Grain::Hour,
            GrainDto::Day => Grain::Day,
        };
        let (since, until) = range_of(grain, q)?;
        let key = Key { seller_id: seller_id.clone().unwrap_or_default(), currency: self.currency.clone() };
        let rows = sql::sales_range(&self.db, grain, &key, since, until).await?;
        let mut totals = Tally::default();
        let mut found = rows.into_iter().peekable();
        let buckets = grain
            .buckets(since, until)
            .map(|start| {
                let t = match found.next_if(|r| r.bucket == start) {
                    Some(r) => Tally {
                        orders: r.orders,
                        units: r.units,
                        revenue: r.revenue,
                        cancelled: r.cancelled,
                        refunded: r.refunded,
                    },
                    None => Tally::default(),
                };
                totals += t;
                SalesBucketDto {
                    start: Timestamp::from_micros(start),
                    orders: t.orders,
                    units: t.units,
                    revenue: t.revenue,
                    cancelled: t.cancelled,
                    refunded: t.refunded,
                }
            })
            .collect();
        let products = match &seller_id {
            Some(_) => sql::products_range(&self.db, &key, Grain::Day.floor(since), until, 10)
                .await?
                .into_iter()
                .map(|r| ProductSalesDto { product_id: r.product_id, units: r.units, revenue: r.revenue })
                .collect(),
            None => Vec::new(),
        };
        Ok(SalesReportDto {
            grain: grain_dto,
            currency: self.currency.clone(),
            seller_id,
            since: Timestamp::from_micros(grain.floor(since)),
            until: Timestamp::from_micros(until),
            buckets,
            totals: SalesTotalsDto {
                orders: totals.orders,
                units: totals.units,
                revenue: totals.revenue,
                cancelled: totals.cancelled,
                refunded: totals.refunded,
                average_order_value: average_order_value(totals.revenue, totals.orders),
            },
            products,
        })
    }

    /// Rows in the aggregates (sales buckets, product days).
    pub async fn size(&self) -> Result<(i64, i64)> {
        Ok(sql::rows_count(&self.db).await?)
    }
}

/// `[since, until)` of a report, its defaults filled and its size bounded.
fn range_of(grain: Grain, q: &SalesQuery) -> Result<(i64, i64)> {
    let bad =
        || Error::bad_request("analytics_range_invalid", "`since` and `until` must be RFC 3339 times, in that order.");
    let time = |v: &Option<String>| match v {
        None => Ok(None),
        Some(s) => Timestamp::parse_rfc3339(s).map(|t| Some(t.as_micros())).ok_or_else(bad),
    };
    let now = Timestamp::now().as_micros();
    let until = time(&q.until)?.unwrap_or_else(|| grain.floor(now) + grain.span());
    let default_span = match grain {
        Grain::Hour => 48 * HOUR,
        Grain::Day => 30 * DAY,
    };
    let since = time(&q.since)?.unwrap_or(until - default_span);
    if since >= until {
        return Err(bad());
    }
    let span = grain.span();
    if (until - grain.floor(since) + span - 1) / span > MAX_BUCKETS {
        return Err(Error::bad_request("analytics_range_invalid", "The range holds more than 744 buckets."));
    }
    Ok((since, until))
}
