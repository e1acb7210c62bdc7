//! The storefront, the seller dashboard and the admin console: the customer's web shop, server-rendered from the contexts' services in
//! process (never over the JSON API). Every page works without JavaScript; `assets/app.js` only
//! enhances (suggestions, the variant switch).
//!
//! Layout: `pages/` one module per area (home, listing, product, cart, checkout, account,
//! address book, orders, site files), each
//! with its templates in `templates/`; `session.rs` the visitor cookie and the CSRF guard every
//! POST passes; `render.rs` the page frame and error pages; `format.rs` money and dates in the
//! shop's locale; `assets.rs` the fingerprinted files.

mod assets;
mod consoles;
pub mod format;
mod pages;
mod render;
mod session;
mod settings;

pub use settings::{SECTION, Settings};

use axum::Router;
use axum::routing::{get, post};
use cart::CartService;
use catalog::CatalogService;
use inventory::api::StockAvailability;
use orders::OrdersService;
use payments::PaymentsService;
use search::SearchService;
use std::sync::Arc;
use users::UsersService;

/// What the storefront reads and calls.
pub struct StorefrontDeps {
    pub catalog: Arc<CatalogService>,
    pub search: Arc<SearchService>,
    pub stock: Arc<dyn StockAvailability>,
    pub cart: Arc<CartService>,
    pub users: Arc<UsersService>,
    pub orders: Arc<OrdersService>,
    pub shop_name: String,
    /// The shop's public address, for canonical links and the sitemap (no trailing slash).
    pub base_url: String,
    pub currency: String,
    /// The country an address form starts with.
    pub default_country: String,
    /// The payment provider: the checkout offers its test methods (the sandbox) or its own
    /// card field.
    pub payments: Arc<PaymentsService>,
    /// Signs the CSRF tokens; kept in the data dir so tokens survive a restart.
    pub key: Vec<u8>,
    /// The consoles' reports and the audit log.
    pub analytics: Arc<analytics::AnalyticsService>,
    pub audit: Arc<audit::AuditService>,
    /// A seller's stock, adjusted from their dashboard.
    pub inventory: Arc<inventory::InventoryService>,
}

pub struct Storefront {
    catalog: Arc<CatalogService>,
    search: Arc<SearchService>,
    stock: Arc<dyn StockAvailability>,
    cart: Arc<CartService>,
    users: Arc<UsersService>,
    orders: Arc<OrdersService>,
    shop_name: String,
    base_url: String,
    currency: String,
    default_country: String,
    payments: Arc<PaymentsService>,
    analytics: Arc<analytics::AnalyticsService>,
    audit: Arc<audit::AuditService>,
    inventory: Arc<inventory::InventoryService>,
    /// `sandbox`, `stripe`…
    payment_provider: &'static str,
    key: Vec<u8>,
    settings: Settings,
    locale: format::Locale,
    cookies: session::Cookies,
}

impl Storefront {
    pub fn new(deps: StorefrontDeps, settings: Settings) -> Arc<Self> {
        let locale = format::Locale::parse(&settings.locale).unwrap_or(format::Locale::parse("en-US").expect("en-US"));
        Arc::new(Self {
            catalog: deps.catalog,
            search: deps.search,
            stock: deps.stock,
            cart: deps.cart,
            users: deps.users,
            orders: deps.orders,
            shop_name: deps.shop_name,
            base_url: deps.base_url.trim_end_matches('/').to_owned(),
            currency: deps.currency,
            default_country: deps.default_country,
            payment_provider: deps.payments.provider(),
            payments: deps.payments,
            analytics: deps.analytics,
            audit: deps.audit,
            inventory: deps.inventory,
            key: deps.key,
            cookies: session::Cookies::new(settings.secure_cookies),
            locale,
            settings,
        })
    }

    /// Every page of the shop. The edge merges it beside the API and answers unknown paths
    /// with [`Storefront::not_found`] for browsers.
    pub fn router(self: &Arc<Self>) -> Router {
        let pages = Router::new()
            .route("/", get(pages::home::home_page))
            .route("/search", get(pages::listing::search_page))
            .route("/c/{slug}", get(pages::listing::category_page))
            .route("/p/{slug}", get(pages::product::product_page))
            .route("/p/{slug}/reviews", post(pages::product::review_create))
            .route("/cart", get(pages::cart::cart_page))
            .route("/cart/add", post(pages::cart::line_add))
            .route("/cart/update", post(pages::cart::line_update))
            .route("/cart/remove", post(pages::cart::line_remove))
            .route("/cart/codes", post(pages::cart::code_apply))
            .route("/cart/codes/remove", post(pages::cart::code_remove))
            .route("/checkout", get(pages::checkout::checkout_page))
            .route("/checkout/review", post(pages::checkout::review))
            .route("/checkout/place", post(pages::checkout::place))
            .route("/account", get(pages::account::account_page))
            .route("/account/login", get(pages::account::login_page).post(pages::account::login))
            .route("/account/register", get(pages::account::register_page).post(pages::account::register))
            .route("/account/logout", post(pages::account::logout))
            .route("/account/forgot", get(pages::account::forgot_page).post(pages::account::forgot))
            .route("/account/reset", get(pages::account::reset_page).post(pages::account::reset))
            .route("/account/verify", get(pages::account::verify_page).post(pages::account::verify))
            .route("/account/addresses", get(pages::address::addresses_page).post(pages::address::address_create))
            .route("/account/addresses/{id}/edit", get(pages::address::address_edit_page))
            .route("/account/addresses/{id}", post(pages::address::address_update))
            .route("/account/addresses/{id}/delete", post(pages::address::address_delete))
            .route("/orders", get(pages::orders::orders_page))
            .route("/orders/placed", get(pages::orders::placed_page))
            .route("/orders/placed/payment", post(pages::payment::placed_payment_confirm))
            .route("/orders/lookup", get(pages::orders::lookup_page).post(pages::orders::lookup))
            .route("/orders/{id}", get(pages::orders::order_page))
            .route("/orders/{id}/cancel", post(pages::orders::order_cancel))
            .route("/orders/{id}/payment", post(pages::payment::payment_confirm))
            .route("/orders/{id}/returns", post(pages::orders::return_request))
            // The orders context's own stream; the guard hands it the cookie's caller.
            .route("/orders/{id}/events", get(orders::order_events).with_state(self.orders.clone()))
            .route("/offline", get(pages::site::offline_page))
            .route("/seller", get(consoles::seller::seller_overview))
            .route("/seller/sales.csv", get(consoles::seller::sales_export))
            .route(
                "/seller/products",
                get(consoles::products::seller_products).post(consoles::products::product_create),
            )
            .route("/seller/products/new", get(consoles::products::product_new_page))
            .route("/seller/products/{id}", get(consoles::products::seller_product))
            .route("/seller/products/{id}/pictures", post(consoles::products::picture_upload))
            .route("/seller/products/{id}/stock", post(consoles::products::stock_adjust))
            .route("/seller/products/{id}/archive", post(consoles::products::product_archive))
            .route("/seller/stock", get(consoles::stock::seller_stock))
            .route("/seller/orders", get(consoles::orders::seller_orders))
            .route("/seller/orders/{id}/move", post(consoles::orders::part_move))
            .route("/seller/orders/{id}/ship", post(consoles::orders::part_ship))
            .route("/admin", get(consoles::admin::admin_overview))
            .route("/admin/orders", get(consoles::admin_orders::admin_orders))
            .route("/admin/orders/{id}", get(consoles::admin_orders::admin_order))
            .route("/admin/orders/{id}/refund", post(consoles::admin_orders::admin_order_refund))
            .route("/admin/users", get(consoles::admin_users::admin_users))
            .route("/admin/users/{id}/role", post(consoles::admin_users::user_role_set))
            .route("/admin/users/{id}/access", post(consoles::admin_users::user_access_set))
            .route("/admin/sellers", get(consoles::admin_users::admin_sellers))
            .route("/admin/sellers/{id}/decide", post(consoles::admin_users::seller_decide))
            .route("/admin/audit", get(consoles::admin::audit_page))
            .route("/admin/audit.csv", get(consoles::admin::audit_export))
            .layer(axum::middleware::from_fn_with_state(self.clone(), session::guard));
        let files = Router::new()
            .route("/assets/{name}", get(assets::asset_get))
            .route("/sw.js", get(assets::service_worker_get))
            .route("/manifest.webmanifest", get(pages::site::manifest_get))
            .route("/robots.txt", get(pages::site::robots_get))
            .route("/sitemap.xml", get(pages::site::sitemap_get));
        pages.merge(files).with_state(self.clone())
    }

    /// The friendly page for a path nothing answers.
    pub fn not_found(&self) -> axum::response::Response {
        render::not_found(self)
    }
}
