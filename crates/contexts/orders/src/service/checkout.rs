//! Checkout: the cart priced for the customer's address and method, checked against what the
//! customer was shown, made into a Pending order with its saga row in one transaction; then
//! the saga runs (here, and after a crash from the sweeper).

use super::estimates::{DeliveryEstimates, Found};
use super::{Caller, OrdersService, micros};
use crate::api::events::OrderCreated;
use crate::domain::{OrderState, Step, email_valid, guest_customer_id, order_number};
use crate::dto::{AddressInput, OrderDto, TotalsDto};
use crate::store::orders::{self as sql, LineRow, OrderRow};
use crate::store::sagas::{self, SagaRow, saga_insert};
use cart::api::{CheckoutCart, LineBlocker};
use kernel::geo::Destination;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, FieldError, Result, Validation};
use sha2::{Digest, Sha256};
use shipping::api::ShippingOption;
use std::sync::Mutex;
use tax::api::TaxQuote;

/// A checkout as the handler read it.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub caller: Caller,
    pub address: AddressInput,
    pub email: Option<String>,
    pub shipping_method: String,
    /// `None`: the two-step form; the order waits for `POST /payments`.
    pub payment_token: Option<String>,
    pub expected_total: i64,
    pub idempotency_key: String,
}

/// The order about to be written, and how it was priced.
pub(super) struct Priced {
    pub cart: CheckoutCart,
    pub option: ShippingOption,
    pub tax: TaxQuote,
}

impl OrdersService {
    /// Places the order, or answers the one this key already placed.
    pub async fn checkout(&self, req: CheckoutRequest) -> Result<OrderDto> {
        let key = checkout_key(&req.caller, &req.idempotency_key);
        if let Some(existing) = sql::order_by_key(&mut self.db(), &key).await? {
            return self.checkout_resume(existing).await;
        }
        let destination = address_check(&req.address)?;
        let email = self.checkout_email(&req).await?;
        if req.payment_token.as_deref().is_some_and(|t| t.trim().is_empty() || t.len() > 255) {
            return Err(Error::invalid_field("payment_token", "must be a payment-method token of 1–255 characters"));
        }
        let priced = self.checkout_price(&req.caller, &destination, &req.shipping_method).await?;
        let totals = totals_of(&priced);
        if totals.total != req.expected_total {
            return Err(Error::conflict(
                "total_changed",
                format!("The order now comes to {} (you were shown {}).", totals.total, req.expected_total),
            )
            .with_extension("totals", serde_json::to_value(&totals).map_err(Error::internal)?));
        }
        let order = self.order_create(&req, &key, &email, &destination, &priced).await?;
        self.saga_drive(&order.id).await?;
        let order = sql::order_get(&mut self.db(), &order.id).await?.ok_or_else(super::not_found)?;
        self.checkout_answer(order).await
    }

    /// Carries a checkout on now that its payment's action (a bank's challenge) is done, rather
    /// than at the next sweep: the step waiting for the payment reads it and goes on, or gives
    /// up. Safe to call for any order at any time: it only runs what is due.
    pub async fn checkout_continue(&self, order_id: &str) -> Result<()> {
        self.saga_drive(order_id).await
    }

    async fn checkout_email(&self, req: &CheckoutRequest) -> Result<String> {
        let given = req.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if let Some(email) = given {
            if !email_valid(email) {
                return Err(Error::invalid_field("email", "is not an e-mail address"));
            }
            return Ok(email.to_lowercase());
        }
        if let Some(customer) = &req.caller.customer_id
            && let Some(contact) = self.deps.customers.customer_contact(customer).await?
        {
            return Ok(contact.email);
        }
        Err(Error::new(kernel::ErrorKind::Invalid, "email_required", "A guest checkout needs an e-mail address."))
    }

    /// The cart priced for this destination and method; refused when a line cannot be bought.
    pub(super) async fn checkout_price(
        &self,
        caller: &Caller,
        destination: &Destination,
        method: &str,
    ) -> Result<Priced> {
        let estimates = DeliveryEstimates {
            shipping: self.deps.shipping.as_ref(),
            tax: self.deps.tax.as_ref(),
            destination,
            method: Some(method),
            list: false,
            found: Mutex::new(Found::default()),
        };
        let cart = self.deps.cart.cart_checkout(caller, Some(&estimates)).await?;
        if cart.lines.is_empty() {
            return Err(Error::new(kernel::ErrorKind::Invalid, "cart_empty", "The cart is empty."));
        }
        unbuyable(&cart)?;
        let found = estimates.take();
        let (Some(option), Some(tax)) = (found.chosen, found.tax) else {
            return Err(Error::internal("the cart was priced without shipping or tax"));
        };
        Ok(Priced { cart, option, tax })
    }

    /// Writes the Pending order, its lines, its first history row, its saga and its event.
    async fn order_create(
        &self,
        req: &CheckoutRequest,
        key: &str,
        email: &str,
        destination: &Destination,
        p: &Priced,
    ) -> Result<OrderRow> {
        let now = Timestamp::now().as_micros();
        let customer_id = req.caller.customer_id.clone().unwrap_or_else(guest_customer_id);
        let totals = totals_of(p);
        for _ in 0..3 {
            let order = OrderRow {
                id: new_id("ord"),
                number: order_number(),
                customer_id: customer_id.clone(),
                guest: req.caller.customer_id.is_none(),
                email: email.to_owned(),
                state: OrderState::Pending.as_str().into(),
                currency: totals.currency.clone(),
                subtotal: totals.subtotal,
                discount_total: totals.discount_total,
                shipping: totals.shipping,
                shipping_discount: totals.shipping_discount,
                tax_total: totals.tax_total,
                tax_added: totals.tax_added,
                tax_inclusive: totals.tax_inclusive,
                total: totals.total,
                shipping_method: p.option.code.clone(),
                shipping_method_name: p.option.name.clone(),
                delivery_min_days: p.option.min_days,
                delivery_max_days: p.option.max_days,
                address: serde_json::to_string(&req.address).map_err(Error::internal)?,
                country: destination.country.clone(),
                promotions: promotions_json(&p.cart),
                payment_id: None,
                reservation_id: None,
                cancel_code: None,
                cancel_detail: None,
                checkout_key: key.to_owned(),
                created_at: now,
                updated_at: now,
                shipping_return_id: None,
            };
            let lines = lines_of(&order, p);
            let mut tx = self.deps.db.begin().await?;
            if !sql::order_insert(&mut tx, &order, &lines).await? {
                drop(tx);
                // Either this key placed an order meanwhile (answer that one) or the number
                // was drawn twice (draw again).
                if let Some(existing) = sql::order_by_key(&mut self.db(), key).await? {
                    return Ok(existing);
                }
                continue;
            }
            let actor = req.caller.customer_id.as_deref().unwrap_or("guest");
            super::transition::history_add(&mut tx, &order, None, OrderState::Pending, actor, None).await?;
            let saga = SagaRow {
                order_id: order.id.clone(),
                customer_id: order.customer_id.clone(),
                step: Step::Reserve.as_str().into(),
                payment_token: req.payment_token.clone(),
                cart_token: req.caller.token.clone(),
                cancel_code: None,
                cancel_detail: None,
                cancel_actor: None,
                attempts: 0,
                due_at: now + micros(self.config.lease),
                last_error: None,
                updated_at: now,
            };
            if !sql::cart_claim(&mut tx, &p.cart.cart_id, p.cart.version, &order.id).await? {
                return Err(cart_busy());
            }
            saga_insert(&mut tx, &saga).await?;
            let event = OrderCreated {
                order_id: order.id.clone(),
                number: order.number.clone(),
                customer_id: order.customer_id.clone(),
                total: order.total,
                currency: order.currency.clone(),
                lines: lines.iter().map(super::transition::event_line).collect(),
            };
            store::outbox::emit(&mut tx, &event).await?;
            tx.commit().await?;
            return Ok(order);
        }
        Err(Error::internal("could not draw a free order number"))
    }

    /// A checkout asked again under its key (its first answer was lost, its server died): the
    /// saga is carried on here when nobody holds it, else the caller is asked to wait.
    async fn checkout_resume(&self, order: OrderRow) -> Result<OrderDto> {
        if let Some(saga) = sagas::saga_get(&mut self.db(), &order.id).await?
            && !Step::parse(&saga.step).is_some_and(Step::waiting)
        {
            let now = Timestamp::now().as_micros();
            let mut tx = self.deps.db.begin().await?;
            let ours = saga.due_at <= now
                && sagas::saga_claim(&mut tx, &order.id, saga.due_at, now + micros(self.config.lease)).await?;
            tx.commit().await?;
            if !ours {
                let mut busy = Error::conflict("checkout_in_progress", "This checkout is still under way; ask again.");
                busy.retry_after_secs = Some(1);
                return Err(busy);
            }
            self.saga_drive(&order.id).await?;
        }
        let order = sql::order_get(&mut self.db(), &order.id).await?.ok_or_else(super::not_found)?;
        self.checkout_answer(order).await
    }

    /// What a checkout answers for its order: the order, or the error that ended it.
    pub(super) async fn checkout_answer(&self, order: OrderRow) -> Result<OrderDto> {
        if order.state == OrderState::Cancelled.as_str() {
            return Err(cancel_error(&order));
        }
        self.order_dto(order).await
    }
}

/// Another checkout took this cart as it stands (under another key: a second click); this one
/// would buy the same lines twice.
fn cart_busy() -> Error {
    Error::conflict(
        "checkout_in_progress",
        "This cart is being checked out already; finish or cancel that order first.",
    )
}

/// The key a checkout is known by: the caller (account, or guest cart) and its Idempotency-Key.
fn checkout_key(caller: &Caller, key: &str) -> String {
    let who = match (&caller.customer_id, &caller.token) {
        (Some(c), _) => format!("user:{c}"),
        (None, Some(t)) => format!("cart:{t}"),
        (None, None) => "anonymous".into(),
    };
    let digest = Sha256::digest(format!("{who}\n{key}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error a cancelled checkout answers, from the code its compensation recorded.
pub(super) fn cancel_error(order: &OrderRow) -> Error {
    let code = order.cancel_code.as_deref().unwrap_or("order_state");
    let kept = order.cancel_detail.as_deref().unwrap_or("The order was cancelled.");
    let mut parts = kept.split('\n');
    let detail = parts.next().unwrap_or_default().to_owned();
    let errors: Vec<FieldError> = parts
        .filter_map(|l| l.split_once('\t'))
        .map(|(field, message)| FieldError { field: field.into(), message: message.into() })
        .collect();
    let (kind, code): (kernel::ErrorKind, &'static str) = match code {
        "out_of_stock" => (kernel::ErrorKind::Conflict, "out_of_stock"),
        "payment_declined" => (kernel::ErrorKind::PaymentRequired, "payment_declined"),
        "payment_failed" => (kernel::ErrorKind::Unavailable, "payment_failed"),
        c => match crate::api::ERRORS
            .iter()
            .chain(payments::api::ERRORS)
            .chain(pricing::api::ERRORS)
            .find(|e| e.code == c)
        {
            Some(e) => (e.kind, e.code),
            None => (kernel::ErrorKind::Conflict, "order_state"),
        },
    };
    let mut e = Error::new(kind, code, detail).with_errors(errors);
    e = e.with_extension("order_id", order.id.clone().into()).with_extension("number", order.number.clone().into());
    if code == "payment_declined" {
        e.errors = vec![FieldError { field: "payment_token".into(), message: "was declined".into() }];
    }
    e
}

/// Which lines cannot be bought, as one error: out of stock (409 naming them) or gone.
fn unbuyable(cart: &CheckoutCart) -> Result<()> {
    let mut short = Vec::new();
    let mut gone = Vec::new();
    for (i, line) in cart.lines.iter().enumerate() {
        let field = format!("lines[{i}]");
        match line.blocker {
            None => {}
            Some(LineBlocker::OutOfStock) => short.push(FieldError { field, message: "is out of stock".into() }),
            Some(LineBlocker::InsufficientStock { available }) => {
                short.push(FieldError { field, message: format!("only {available} in stock") })
            }
            Some(LineBlocker::Unavailable) => gone.push(FieldError { field, message: "is not for sale".into() }),
        }
    }
    if !gone.is_empty() {
        gone.extend(short);
        return Err(Error::conflict("cart_unpurchasable", "A line of the cart cannot be bought.").with_errors(gone));
    }
    if !short.is_empty() {
        return Err(Error::conflict("out_of_stock", "Not enough stock for every line.").with_errors(short));
    }
    Ok(())
}

pub(super) fn totals_of(p: &Priced) -> TotalsDto {
    let c = &p.cart;
    TotalsDto {
        currency: c.currency.clone(),
        subtotal: c.subtotal,
        discount_total: c.discount_total,
        shipping: c.shipping,
        shipping_discount: c.shipping_discount,
        tax_total: p.tax.total,
        tax_added: p.tax.added,
        tax_inclusive: p.tax.inclusive,
        total: c.total,
    }
}

fn lines_of(order: &OrderRow, p: &Priced) -> Vec<LineRow> {
    p.cart
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineRow {
            order_id: order.id.clone(),
            position: i as i64,
            customer_id: order.customer_id.clone(),
            variant_id: l.variant_id.clone(),
            product_id: l.product_id.clone().unwrap_or_default(),
            sku: l.sku.clone().unwrap_or_default(),
            seller_id: l.seller_id.clone().unwrap_or_default(),
            title: l.title.clone().unwrap_or_default(),
            variant_title: l.variant_title.clone().unwrap_or_default(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount: l.discount,
            tax: p.tax.lines.iter().find(|t| t.key == l.variant_id).map_or(0, |t| t.tax),
            total: l.total,
            weight_g: l.weight_g,
            returned_units: 0,
            returned_amount: 0,
        })
        .collect()
}

fn promotions_json(cart: &CheckoutCart) -> String {
    let list: Vec<serde_json::Value> = cart
        .promotions
        .iter()
        .map(|p| {
            serde_json::json!({"id": p.promotion_id, "code": p.code, "amount": p.amount,
                "shipping_amount": p.shipping_amount})
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// Checks every field at once; answers the destination shipping and tax work from.
pub(super) fn address_check(a: &AddressInput) -> Result<Destination> {
    let mut v = Validation::default();
    let mut text = |field: &str, value: &str, max: usize, required: bool| {
        let t = value.trim();
        if required && t.is_empty() {
            v.push(&format!("address.{field}"), "is required");
        } else if t.chars().count() > max {
            v.push(&format!("address.{field}"), format!("must be at most {max} characters"));
        } else if t.chars().any(char::is_control) {
            v.push(&format!("address.{field}"), "must not hold control characters");
        }
    };
    text("name", &a.name, 100, true);
    text("line1", &a.line1, 200, true);
    text("line2", a.line2.as_deref().unwrap_or(""), 200, false);
    text("city", &a.city, 100, true);
    text("region", a.region.as_deref().unwrap_or(""), 100, false);
    text("postal_code", &a.postal_code, 16, true);
    text("phone", a.phone.as_deref().unwrap_or(""), 32, false);
    let destination = Destination::new(&a.country, a.region.as_deref(), Some(&a.postal_code));
    if !destination.country_valid() {
        v.push("address.country", "must be a two-letter country code");
    }
    v.finish()?;
    Ok(destination)
}
