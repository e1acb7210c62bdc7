//! Use cases of the cart: who owns which cart, every change as a compare-and-swap on the
//! stored document, and the priced view the customer sees.

mod checkout;
mod lines;
mod view;

pub use view::NoEstimates;

use crate::model::{CartDoc, Owner};
use crate::store::CartStore;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use catalog::api::VariantLookup;
use inventory::api::StockAvailability;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result};
use pricing::api::Pricing;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct CartConfig {
    pub currency: String,
    pub max_quantity_per_line: i64,
    pub max_lines: usize,
    /// A cart untouched this long is gone.
    pub idle: Duration,
    pub max_codes: usize,
}

impl Default for CartConfig {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            max_quantity_per_line: 99,
            max_lines: 100,
            idle: Duration::from_secs(7 * 24 * 3600),
            max_codes: 1,
        }
    }
}

/// The contexts a cart reads from.
pub struct CartDeps {
    pub store: Arc<dyn CartStore>,
    pub catalog: Arc<dyn VariantLookup>,
    pub stock: Arc<dyn StockAvailability>,
    pub pricing: Arc<dyn Pricing>,
    pub estimates: Arc<dyn crate::api::Estimates>,
}

pub struct CartService {
    deps: CartDeps,
    config: CartConfig,
}

/// Who is asking: a signed-in customer, a guest's cart token, both (right after login: the
/// guest cart merges into the customer's), or neither.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub customer_id: Option<String>,
    pub token: Option<String>,
}

/// A loaded or new cart, and the token to hand back when a guest cart was just made.
struct Loaded {
    doc: CartDoc,
    new_token: Option<String>,
}

const ATTEMPTS: usize = 4;

impl CartService {
    pub fn new(deps: CartDeps, config: CartConfig) -> Self {
        Self { deps, config }
    }

    pub fn config(&self) -> &CartConfig {
        &self.config
    }

    /// Deletes carts idle past their deadline.
    pub async fn cart_purge(&self, now: Timestamp) -> Result<u64> {
        self.deps.store.purge_expired(now).await
    }

    fn limits(&self) -> crate::domain::Limits {
        crate::domain::Limits {
            max_quantity_per_line: self.config.max_quantity_per_line,
            max_lines: self.config.max_lines,
        }
    }

    /// The caller's cart; with `create`, a new one when there is none. A guest token that
    /// matches no cart is a 404, so that tokens cannot be probed.
    async fn resolve(&self, caller: &Caller, create: bool) -> Result<Option<Loaded>> {
        let now = Timestamp::now();
        let guest = match &caller.token {
            Some(token) => {
                let found = self.deps.store.load(&Owner::Guest(token_hash(token)), now).await?;
                if found.is_none() && caller.customer_id.is_none() {
                    return Err(cart_not_found());
                }
                found
            }
            None => None,
        };
        let Some(customer) = &caller.customer_id else {
            return Ok(match (guest, create) {
                (Some(doc), _) => Some(Loaded { doc, new_token: None }),
                (None, true) => Some(self.new_guest_cart(now)),
                (None, false) => None,
            });
        };
        let own = self.deps.store.load(&Owner::Customer(customer.clone()), now).await?;
        match (own, guest) {
            (own, Some(guest)) => self.merge(customer, own, guest, now).await.map(Some),
            (Some(doc), None) => Ok(Some(Loaded { doc, new_token: None })),
            (None, None) if create => {
                Ok(Some(Loaded { doc: self.new_doc(Some(customer.clone()), None, now), new_token: None }))
            }
            (None, None) => Ok(None),
        }
    }

    /// Login: the guest cart's lines and codes join the customer's cart, and the guest cart
    /// goes, in one step, so a crash cannot count the lines twice.
    async fn merge(&self, customer: &str, own: Option<CartDoc>, guest: CartDoc, now: Timestamp) -> Result<Loaded> {
        let mut doc = own.unwrap_or_else(|| self.new_doc(Some(customer.to_owned()), None, now));
        crate::domain::merge(&mut doc.lines, guest.lines, self.limits());
        if doc.codes.is_empty() {
            doc.codes = guest.codes.into_iter().take(self.config.max_codes).collect();
        }
        doc.updated_at = now.as_micros();
        if !self.deps.store.save_absorbing(&doc, now.plus(self.config.idle), &guest.id).await? {
            return Err(cart_busy());
        }
        let doc = self.deps.store.load(&Owner::Customer(customer.to_owned()), now).await?.ok_or_else(cart_busy)?;
        Ok(Loaded { doc, new_token: None })
    }

    fn new_guest_cart(&self, now: Timestamp) -> Loaded {
        let token = URL_SAFE_NO_PAD.encode(kernel::id::random_bytes::<32>());
        let doc = self.new_doc(None, Some(token_hash(&token)), now);
        Loaded { doc, new_token: Some(token) }
    }

    fn new_doc(&self, customer_id: Option<String>, token_hash: Option<String>, now: Timestamp) -> CartDoc {
        CartDoc {
            id: new_id("cart"),
            customer_id,
            token_hash,
            lines: Vec::new(),
            codes: Vec::new(),
            orders: Vec::new(),
            created_at: now.as_micros(),
            updated_at: now.as_micros(),
            version: 0,
        }
    }

    /// Applies `change` to the caller's cart and saves it; if another request saved the cart in
    /// between, loads it again and re-applies, so no change is lost.
    async fn mutate(
        &self,
        caller: &Caller,
        change: impl FnMut(&mut CartDoc) -> Result<()>,
    ) -> Result<(CartDoc, Option<String>)> {
        self.mutate_from(caller, None, change).await
    }

    /// [`Self::mutate`] starting from a cart the request has just loaded (`first`), so the
    /// first attempt does not load it again.
    async fn mutate_from(
        &self,
        caller: &Caller,
        mut first: Option<Loaded>,
        mut change: impl FnMut(&mut CartDoc) -> Result<()>,
    ) -> Result<(CartDoc, Option<String>)> {
        for _ in 0..ATTEMPTS {
            let loaded = match first.take() {
                Some(loaded) => loaded,
                None => self.resolve(caller, true).await?.ok_or_else(cart_not_found)?,
            };
            let Loaded { mut doc, new_token } = loaded;
            change(&mut doc)?;
            let now = Timestamp::now();
            doc.updated_at = now.as_micros();
            if self.deps.store.save(&doc, now.plus(self.config.idle)).await? {
                doc.version += 1;
                return Ok((doc, new_token));
            }
        }
        Err(cart_busy())
    }
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn cart_not_found() -> Error {
    Error::not_found("cart_not_found", "No such cart. Start a new one by adding an item without a cart token.")
}

fn cart_busy() -> Error {
    Error::new(ErrorKind::Conflict, "cart_busy", "The cart changed under too many requests at once; try again.")
}
