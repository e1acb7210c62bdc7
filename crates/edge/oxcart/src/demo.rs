//! Demo accounts for `serve --demo`: an admin, an approved seller and a customer, with random
//! passwords printed once on the first start.

use crate::app::App;
use kernel::auth::{AuthMethod, Principal, Role};
use users::domain::{Email, Password, SellerStatus};
use users::dto::SellerApplication;

const ACCOUNTS: [(&str, &str, Role); 3] = [
    ("admin@oxcart.test", "Demo Admin", Role::Admin),
    ("seller@oxcart.test", "Demo Seller", Role::Customer),
    ("customer@oxcart.test", "Demo Customer", Role::Customer),
];

/// Creates the demo accounts unless they exist; returns `(email, password)` of those created.
pub async fn ensure(app: &App) -> anyhow::Result<Vec<(String, String)>> {
    let mut created = Vec::new();
    for (email, name, role) in ACCOUNTS {
        let password = readable_password();
        let parsed_email = Email::parse("email", email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let parsed_password = Password::parse("password", &password).map_err(|e| anyhow::anyhow!("{e}"))?;
        let user = match app.users.account_create(&parsed_email, &parsed_password, name, role).await {
            Ok(user) => user,
            Err(e) if e.code == "email_taken" => continue,
            Err(e) => return Err(anyhow::anyhow!("cannot create demo account {email}: {e}")),
        };
        if email.starts_with("seller@") {
            let principal = Principal {
                user_id: user.id.clone(),
                role: Role::Customer,
                method: AuthMethod::Session { session_id: "demo".into() },
            };
            let application = SellerApplication {
                store_name: "Demo Outfitters".into(),
                description: "The demo seller's store.".into(),
                contact_email: email.into(),
                contact_phone: None,
            };
            app.users.seller_apply(&principal, application).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            app.users
                .seller_decide("system:demo", &user.id, SellerStatus::Approved)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        created.push((email.to_owned(), password));
    }
    Ok(created)
}

/// 20 characters from an alphabet without look-alikes: about 115 bits.
fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    kernel::id::random_bytes::<20>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// Products in the demo catalog.
const DEMO_PRODUCTS: usize = 3000;

/// Fills an empty catalog with the demo products, part of them in the demo seller's store (the
/// seeding also sets up shipping zones and tax rules for the US, the EU and the UK, so that a
/// newcomer can check out at once with the sandbox gateway).
pub async fn catalog(app: &App) -> anyhow::Result<()> {
    if app.catalog.product_count().await? > 0 {
        // A demo made before shipping and tax existed gets them too.
        app.shipping.demo_seed().await.map_err(|e| anyhow::anyhow!("shipping zones: {e}"))?;
        app.tax.demo_seed().await.map_err(|e| anyhow::anyhow!("tax rules: {e}"))?;
        return Ok(());
    }
    let email = Email::parse("email", "seller@oxcart.test").map_err(|e| anyhow::anyhow!("{e}"))?;
    let seller = app.users.account_by_email(&email).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Creating the demo catalog ({DEMO_PRODUCTS} products)...");
    crate::seed::run(app, DEMO_PRODUCTS, &[seller.id]).await?;
    welcome_code(app).await
}

/// The demo's discount code, for trying codes in the cart.
pub const WELCOME_CODE: &str = "WELCOME10";

async fn welcome_code(app: &App) -> anyhow::Result<()> {
    let email = Email::parse("email", "admin@oxcart.test").map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = app.users.account_by_email(&email).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let principal =
        Principal { user_id: admin.id, role: Role::Admin, method: AuthMethod::Session { session_id: "demo".into() } };
    let input = serde_json::from_value(serde_json::json!({
        "name": "Welcome: 10% off", "kind": "percent", "value": 10, "code": WELCOME_CODE, "combinable": true
    }))?;
    match app.pricing.promotion_create(&principal, input).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind == kernel::ErrorKind::Conflict => Ok(()),
        Err(e) => Err(anyhow::anyhow!("demo discount code: {e}")),
    }
}
