//! The provider's own card field for a checkout page (Stripe Elements): the page loads the
//! provider's script, the card is typed into the provider's frame and confirmed with the
//! provider, and the page posts back only the payment method it was given. No card number
//! reaches the shop's pages, scripts or server (PCI SAQ A).

use super::{PaymentsService, provider_error};
use kernel::Result;

/// Where the provider's card field comes from and what it needs; set when the provider has one
/// and the publishable key is configured.
#[derive(Debug, Clone)]
pub struct CardFieldConfig {
    /// The provider's script (`https://js.stripe.com/v3/`).
    pub script_url: String,
    /// Its origin (`https://js.stripe.com`), for the page's Content-Security-Policy.
    pub script_origin: String,
    /// The public key the script is started with (`pk_…`); not a secret.
    pub publishable_key: String,
}

/// One card field, ready for a page.
#[derive(Debug, Clone)]
pub struct CardField {
    pub script_url: String,
    pub script_origin: String,
    pub publishable_key: String,
    /// The setup intent the field confirms the card against; good for that one card only.
    pub client_secret: String,
}

impl PaymentsService {
    /// The provider's script for checkout pages, when they can take cards through its field
    /// (also what a page needs to let the customer finish a payment's action, a bank's
    /// challenge).
    pub fn card_script(&self) -> Option<&CardFieldConfig> {
        self.config.card_field.as_ref()
    }

    /// A card field for one checkout page; `key` makes the provider call idempotent (the
    /// page's own checkout key). `None` when the provider offers no field here.
    pub async fn card_field(&self, key: &str) -> Result<Option<CardField>> {
        let Some(config) = &self.config.card_field else { return Ok(None) };
        let client_secret = self.gateway.card_setup(key).await.map_err(provider_error)?;
        Ok(Some(CardField {
            script_url: config.script_url.clone(),
            script_origin: config.script_origin.clone(),
            publishable_key: config.publishable_key.clone(),
            client_secret,
        }))
    }

    /// The customer's payment action (a bank's challenge) is done: asks the provider for its
    /// decision. For a page that has checked the payment's order is `customer_id`'s (an
    /// account's, or the guest's the order was placed by); another customer's payment is 404.
    pub async fn payment_confirm_for(&self, id: &str, customer_id: &str) -> Result<crate::api::Payment> {
        self.confirm(id, customer_id).await
    }
}
