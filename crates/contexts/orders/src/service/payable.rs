//! Orders as payments' payables: `POST /payments` pays an order that waits for its payment
//! (the two-step checkout), and the checkout goes on at once from there.

use super::{OrdersService, micros};
use crate::domain::Step;
use crate::store::orders as sql;
use crate::store::sagas;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};
use payments::api::{Payable, Payables, Payer, PaymentState};

impl Payables for OrdersService {
    fn payable_get<'a>(&'a self, reference: &'a str, payer: Payer<'a>) -> BoxFuture<'a, Result<Payable>> {
        Box::pin(async move {
            let order = sql::order_get(&mut self.db(), reference).await?.ok_or_else(not_found)?;
            let theirs = match payer {
                Payer::Customer(id) => !order.guest && order.customer_id == id,
                Payer::Guest { email } => order.guest && order.email == email.trim().to_lowercase(),
            };
            if !theirs {
                return Err(not_found());
            }
            let waiting = sagas::saga_get(&mut self.db(), &order.id)
                .await?
                .is_some_and(|s| s.step == Step::AwaitPayment.as_str());
            // A payment already under way for it (authorized, or waiting on the customer) is
            // not doubled by a second one.
            let pending = match &order.payment_id {
                Some(id) => !matches!(
                    self.deps.payments.payment_status(id).await?.state,
                    PaymentState::Failed | PaymentState::Cancelled
                ),
                None => false,
            };
            if !waiting || pending {
                return Err(Error::conflict("payable_not_due", "The order is not waiting for a payment."));
            }
            let mut seller_ids: Vec<String> =
                sql::lines_of(&mut self.db(), &order.id).await?.into_iter().map(|l| l.seller_id).collect();
            seller_ids.sort_unstable();
            seller_ids.dedup();
            Ok(Payable {
                reference: order.id,
                customer_id: Some(order.customer_id),
                seller_ids,
                amount: order.total,
                currency: order.currency,
            })
        })
    }

    fn payable_paid<'a>(&'a self, reference: &'a str, payment_id: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let now = Timestamp::now().as_micros();
            let mut tx = self.deps.db.begin().await?;
            sql::payment_set(&mut tx, reference, payment_id).await?;
            // Claim the waiting checkout for this request, so the sweeper leaves it alone.
            let claimed = sagas::saga_wake_until(&mut tx, reference, now + micros(self.config.lease)).await?;
            tx.commit().await?;
            if claimed {
                self.saga_drive(reference).await?;
            }
            Ok(())
        })
    }
}

fn not_found() -> Error {
    Error::not_found("payable_not_found", "Nothing to pay has this reference.")
}
