//! `POST /payments`: paying for a payable reference (an order waiting for its payment) with a
//! payment-method token. The payment is authorized here and the payable's context takes it
//! from there (orders confirms and captures), so the answer shows where the money stands.

use super::{PaymentsService, load};
use crate::api::{AuthorizeRequest, Payer, PaymentState, Payments};
use crate::dto::{PaymentDetailDto, PaymentInput};
use kernel::auth::Principal;
use kernel::{Error, Result};

impl PaymentsService {
    pub async fn payment_create(
        &self,
        p: Option<&Principal>,
        input: &PaymentInput,
        key: &str,
    ) -> Result<PaymentDetailDto> {
        if let Some(p) = p {
            p.require_scope(crate::api::PAYMENTS_CONFIRM)?;
        }
        let payer = match (p, input.email.as_deref()) {
            (Some(p), _) => Payer::Customer(&p.user_id),
            (None, Some(email)) => Payer::Guest { email },
            (None, None) => return Err(Error::invalid_field("email", "is required to pay as a guest")),
        };
        let payables = self.payables.get().and_then(std::sync::Weak::upgrade).ok_or_else(not_found)?;
        let payable = payables.payable_get(&input.reference, payer).await?;
        let token = input.payment_token.trim();
        if token.is_empty() || token.len() > 255 {
            return Err(Error::invalid_field("payment_token", "must be a payment-method token of 1–255 characters"));
        }
        let request = AuthorizeRequest {
            reference: payable.reference.clone(),
            customer_id: payable.customer_id.clone(),
            seller_ids: payable.seller_ids.clone(),
            amount: payable.amount,
            currency: payable.currency.clone(),
            token: token.to_owned(),
            idempotency_key: key.to_owned(),
            capture: false,
        };
        let payment = self.payment_authorize(&request).await?;
        if matches!(payment.state, PaymentState::Authorized | PaymentState::RequiresAction) {
            payables.payable_paid(&payable.reference, &payment.id).await?;
        }
        let row = load(&mut self.db.clone(), &payment.id).await?;
        self.payment_detail(row).await
    }
}

fn not_found() -> Error {
    Error::not_found("payable_not_found", "Nothing to pay has this reference.")
}
