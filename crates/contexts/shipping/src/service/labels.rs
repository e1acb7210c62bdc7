//! The built-in label provider (DESIGN §7): what fulfilment calls through [`ShippingLabels`].
//! It makes a tracking number and keeps the request; the PDF is drawn from it on demand.

use super::ShippingService;
use crate::api::{Label, LabelAddress, LabelRequest, ShippingLabels};
use crate::domain::tracking::{TRACKING_SPACE, tracking_number};
use crate::store::parcels::{self as sql, LabelRow};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result, Validation};

/// The carrier the built-in provider's labels name.
pub const CARRIER: &str = "Oxcart Post";
/// Draws of a tracking number before giving up: with 10^12 numbers a second clash means the
/// random source is broken, not bad luck.
const DRAWS: usize = 5;
const MAX_REFERENCE: usize = 100;
const MAX_TEXT: usize = 200;
const MAX_LINES: usize = 10;

impl ShippingLabels for ShippingService {
    fn label_create<'a>(&'a self, request: &'a LabelRequest) -> BoxFuture<'a, Result<Label>> {
        Box::pin(self.label_make(request))
    }

    fn label_pdf<'a>(&'a self, tracking_number: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let mut db = self.db.clone();
            let row = sql::label_get(&mut db, tracking_number.trim()).await?.ok_or_else(label_not_found)?;
            // Written by `label_make` from a checked request; unreadable means a damaged row.
            let request: LabelRequest = serde_json::from_str(&row.request).map_err(Error::internal)?;
            crate::label_pdf::render(&request, &row.carrier, &row.tracking_number).map_err(Error::internal)
        })
    }
}

impl ShippingService {
    /// The label of `request.reference`, made now unless it exists. Insert-or-nothing, then
    /// read by reference: two calls racing for one reference answer the same label, and a
    /// tracking number already taken (the other unique key) is drawn again.
    async fn label_make(&self, request: &LabelRequest) -> Result<Label> {
        label_check(request)?;
        let reference = request.reference.trim();
        let stored = serde_json::to_string(request).map_err(Error::internal)?;
        for _ in 0..DRAWS {
            let row = LabelRow {
                tracking_number: tracking_number(random_below(TRACKING_SPACE)),
                reference: reference.to_owned(),
                carrier: CARRIER.to_owned(),
                request: stored.clone(),
                created_at: Timestamp::now().as_micros(),
            };
            let mut tx = self.db.begin().await?;
            sql::label_insert(&mut tx, &row).await?;
            let found = sql::label_by_reference(&mut tx, reference).await?;
            tx.commit().await?;
            if let Some(label) = found {
                return Ok(Label { carrier: label.carrier, tracking_number: label.tracking_number });
            }
        }
        Err(Error::internal("no free tracking number in five draws"))
    }
}

fn label_not_found() -> Error {
    Error::not_found("label_not_found", "No label has this tracking number.")
}

/// A uniform random number below `bound`: 64 random bits, drawn again when they fall in the
/// last, partial run of `bound` (so no number is likelier than another).
fn random_below(bound: u64) -> u64 {
    let limit = u64::MAX - u64::MAX % bound;
    loop {
        let n = u64::from_le_bytes(kernel::id::random_bytes::<8>());
        if n < limit {
            return n % bound;
        }
    }
}

/// What a label can hold. The caller is another context, but what it sends came from people
/// (names, addresses), so it is bounded like any input.
fn label_check(r: &LabelRequest) -> Result<()> {
    let mut v = Validation::default();
    let reference = r.reference.trim();
    if reference.is_empty() || reference.chars().count() > MAX_REFERENCE {
        v.push("reference", format!("must be 1-{MAX_REFERENCE} characters"));
    }
    for (field, text) in [("order_number", &r.order_number), ("method", &r.method)] {
        if text.chars().count() > MAX_TEXT {
            v.push(field, format!("must be at most {MAX_TEXT} characters"));
        }
    }
    address_check(&mut v, "from", &r.from);
    address_check(&mut v, "to", &r.to);
    for (field, n) in [("weight_g", r.weight_g), ("items", r.items)] {
        if n < 0 {
            v.push(field, "must not be negative");
        }
    }
    v.finish()
}

fn address_check(v: &mut Validation, field: &str, a: &LabelAddress) {
    if a.name.trim().is_empty() || a.name.chars().count() > MAX_TEXT {
        v.push(&format!("{field}.name"), format!("must be 1-{MAX_TEXT} characters"));
    }
    if a.lines.len() > MAX_LINES {
        v.push(&format!("{field}.lines"), format!("must hold at most {MAX_LINES} lines"));
    }
    for (i, line) in a.lines.iter().enumerate() {
        if line.chars().count() > MAX_TEXT {
            v.push(&format!("{field}.lines[{i}]"), format!("must be at most {MAX_TEXT} characters"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_numbers_stay_below_the_bound() {
        assert!((0..1000).all(|_| random_below(10) < 10));
        assert!(random_below(TRACKING_SPACE) < TRACKING_SPACE);
    }
}
