//! The cart's contract with other contexts: what checkout reads and does, as plain data.
//!
//! These types are not the HTTP answer (`dto::CartDto`); they carry what an order needs (ids,
//! sellers, unit prices, each line's share of the discounts) and change only when that need
//! changes. Callers hold `Arc<dyn CartCheckout>` and cannot tell this process's service from a
//! client of another process's.

use crate::service::Caller;
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::{BoxFuture, Result};

/// A cart as checkout prices it: every line with the catalog's current price, the promotions
/// that apply, estimates and totals, all in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutCart {
    pub cart_id: String,
    /// Changes with every change of the cart: an order is made from one version once.
    pub version: i64,
    pub customer_id: Option<String>,
    pub currency: String,
    pub lines: Vec<CheckoutLine>,
    pub promotions: Vec<AppliedPromotion>,
    /// The lines that can be bought, at their current prices.
    pub subtotal: i64,
    pub discount_total: i64,
    pub shipping: i64,
    pub shipping_discount: i64,
    pub tax: i64,
    /// What the order will charge: subtotal − discounts + shipping − shipping discount + tax.
    pub total: i64,
    /// Every line can be bought as it stands (and there is at least one).
    pub purchasable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLine {
    pub variant_id: String,
    /// `None` when the variant no longer exists.
    pub product_id: Option<String>,
    pub sku: Option<String>,
    pub seller_id: Option<String>,
    /// The product's title.
    pub title: Option<String>,
    /// The variant's own title (`Red / M`).
    pub variant_title: Option<String>,
    /// Shipping weight of the whole line (0 when the seller gave none).
    pub weight_g: i64,
    pub quantity: i64,
    pub unit_price: i64,
    /// This line's share of the promotions' line discounts (they add up to `discount_total`).
    pub discount: i64,
    /// `quantity × unit_price − discount` when the line can be bought, else 0.
    pub total: i64,
    /// Why the line cannot be bought, when it cannot.
    pub blocker: Option<LineBlocker>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineBlocker {
    /// Gone from the catalog, or not for sale.
    Unavailable,
    OutOfStock,
    /// Fewer in stock than the line asks for.
    InsufficientStock {
        available: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedPromotion {
    pub promotion_id: String,
    pub code: Option<String>,
    /// Off the lines.
    pub amount: i64,
    /// Off shipping.
    pub shipping_amount: i64,
}

/// A line an order took from the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedLine {
    pub variant_id: String,
    pub quantity: i64,
}

/// A buyable line as shipping and tax see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateLine {
    pub variant_id: String,
    pub seller_id: String,
    /// The whole line's weight.
    pub weight_g: i64,
    /// Minor units: before discounts when shipping is asked, after them when tax is.
    pub amount: i64,
}

/// Where the cart's shipping and tax come from: the shipping and tax contexts for a default
/// destination while no address is known, and for the customer's address and chosen method
/// at checkout.
pub trait Estimates: Send + Sync {
    /// Shipping for the lines (before discounts; a free-shipping code comes off afterwards).
    fn shipping<'a>(&'a self, lines: &'a [EstimateLine]) -> BoxFuture<'a, Result<i64>>;
    /// The tax added on top of the prices (0 where it is included in them), on each line
    /// after its discount and on `shipping` after its discount.
    fn tax<'a>(&'a self, lines: &'a [EstimateLine], shipping: i64) -> BoxFuture<'a, Result<i64>>;
}

pub trait CartCheckout: Send + Sync {
    /// The caller's cart, priced for checkout with `estimates` (the cart's default ones when
    /// `None`). 404 `cart_not_found` when there is none; errors of `estimates` come through.
    fn cart_checkout<'a>(
        &'a self,
        caller: &'a Caller,
        estimates: Option<&'a dyn Estimates>,
    ) -> BoxFuture<'a, Result<CheckoutCart>>;

    /// Once order `order_id` is placed: takes its lines out of the cart (and the codes, when
    /// nothing is left). What the customer added meanwhile stays; a repeat for the same order
    /// changes nothing, so a retried step of the checkout is safe. No cart: nothing to do.
    fn cart_clear_ordered<'a>(
        &'a self,
        caller: &'a Caller,
        order_id: &'a str,
        ordered: &'a [OrderedLine],
    ) -> BoxFuture<'a, Result<()>>;
}

pub const CART_WRITE: Scope = Scope::new("cart:write", Role::Customer, "Fill and change the caller's own cart.");

pub const SCOPES: &[Scope] = &[CART_WRITE];

/// Every error code the cart context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("cart_not_found", NotFound, "The cart token matches no cart (or one that expired)."),
    ErrorCode::new("cart_busy", Conflict, "The cart changed under too many requests at once; try again."),
    ErrorCode::new("cart_empty", Invalid, "The cart has nothing to apply a code to."),
    ErrorCode::new("cart_full", Invalid, "The cart holds the most different items it may."),
    ErrorCode::new("line_not_found", NotFound, "The cart has no line for this variant."),
    ErrorCode::new("invalid_quantity", Invalid, "The quantity is not a whole number of 1 or more."),
    ErrorCode::new("quantity_too_large", Invalid, "The quantity is above the per-line cap."),
    ErrorCode::new("unknown_variant", Invalid, "No such variant."),
    ErrorCode::new(
        "variant_unavailable",
        Invalid,
        "The variant is not for sale (its product is not active or its seller not approved).",
    ),
    ErrorCode::new("insufficient_stock", Conflict, "Not that many are in stock; the detail says how many are."),
    ErrorCode::new("code_limit", Invalid, "The cart holds as many codes as it may."),
    ErrorCode::new("code_not_in_cart", NotFound, "The cart holds no such code."),
];
