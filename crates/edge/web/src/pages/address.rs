//! The address form the account and the checkout share, and the account's address book.

use super::account::to_login;
use super::cart_count;
use crate::Storefront;
use crate::render::{Layout, Problems, failure, html, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use std::sync::Arc;

/// Countries the form offers, by ISO 3166-1 code; which of them a shop delivers to is the
/// shipping zones' business, and the checkout says so for the others.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("IN", "India"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("US", "United States"),
];

/// The fields as typed, kept to fill the form again.
#[derive(Debug, Clone, Default)]
pub struct AddressForm {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
}

pub struct CountryOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

impl AddressForm {
    pub fn read(form: &Form) -> Self {
        Self {
            name: form.get("name").to_owned(),
            line1: form.get("line1").to_owned(),
            line2: form.get("line2").to_owned(),
            city: form.get("city").to_owned(),
            region: form.get("region").to_owned(),
            postal_code: form.get("postal_code").to_owned(),
            country: form.get("country").to_uppercase(),
            phone: form.get("phone").to_owned(),
        }
    }

    pub fn countries(&self) -> Vec<CountryOption> {
        COUNTRIES.iter().map(|(code, name)| CountryOption { code, name, selected: self.country == *code }).collect()
    }

    fn optional(v: &str) -> Option<String> {
        (!v.is_empty()).then(|| v.to_owned())
    }

    pub fn to_users(&self, default: bool) -> users::dto::AddressInput {
        users::dto::AddressInput {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: Self::optional(&self.line2),
            city: self.city.clone(),
            region: Self::optional(&self.region),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            phone: Self::optional(&self.phone),
            is_default_shipping: default,
        }
    }

    pub fn to_order(&self) -> orders::dto::AddressInput {
        orders::dto::AddressInput {
            name: self.name.clone(),
            line1: self.line1.clone(),
            line2: Self::optional(&self.line2),
            city: self.city.clone(),
            region: Self::optional(&self.region),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            phone: Self::optional(&self.phone),
        }
    }

    pub fn from_saved(a: &users::dto::AddressDto) -> Self {
        Self {
            name: a.name.clone(),
            line1: a.line1.clone(),
            line2: a.line2.clone().unwrap_or_default(),
            city: a.city.clone(),
            region: a.region.clone().unwrap_or_default(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            phone: a.phone.clone().unwrap_or_default(),
        }
    }

    /// One line for a list: `Ann Lee, 1 Main St, Springfield 12345, US`.
    pub fn summary(&self) -> String {
        let mut parts = vec![self.name.clone(), self.line1.clone()];
        if !self.line2.is_empty() {
            parts.push(self.line2.clone());
        }
        parts.push(format!("{} {}", self.city, self.postal_code).trim().to_owned());
        parts.push(self.country.clone());
        parts.join(", ")
    }
}

pub struct SavedAddress {
    pub id: String,
    pub summary: String,
    pub default: bool,
}

#[derive(Template)]
#[template(path = "addresses.html")]
struct AddressesPage {
    layout: Layout,
    saved: Vec<SavedAddress>,
    addr: AddressForm,
    countries: Vec<CountryOption>,
    problems: Problems,
    address_legend: &'static str,
}

pub async fn addresses_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let addr = AddressForm { country: shop.default_country.clone(), ..AddressForm::default() };
    addresses(&shop, &shopper, addr, Problems::default(), StatusCode::OK).await
}

async fn addresses(
    shop: &Storefront,
    shopper: &Shopper,
    addr: AddressForm,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account/addresses");
    };
    let saved = match shop.users.address_list(&p).await {
        Ok(list) => list
            .iter()
            .map(|a| SavedAddress {
                id: a.id.clone(),
                summary: AddressForm::from_saved(a).summary(),
                default: a.is_default_shipping,
            })
            .collect(),
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let mut layout = Layout::new(shop, Some(shopper), "Your addresses");
    layout.noindex = true;
    layout.cart_count = cart_count(shop, shopper).await;
    let page =
        AddressesPage { layout, saved, countries: addr.countries(), addr, problems, address_legend: "New address" };
    html(status, page.render())
}

pub async fn address_create(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account/addresses");
    };
    let addr = AddressForm::read(&form);
    match shop.users.address_create(&p, addr.to_users(form.get("default") == "1")).await {
        Ok(_) => see_other("/account/addresses"),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::BadRequest) => {
            addresses(&shop, &shopper, addr, Problems::from_error(&e), e.status()).await
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

#[derive(Template)]
#[template(path = "address_edit.html")]
struct AddressEditPage {
    layout: Layout,
    id: String,
    default: bool,
    addr: AddressForm,
    countries: Vec<CountryOption>,
    problems: Problems,
    address_legend: &'static str,
}

fn edit_page(
    shop: &Storefront,
    shopper: &Shopper,
    id: &str,
    default: bool,
    addr: AddressForm,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let mut layout = Layout::new(shop, Some(shopper), "Change an address");
    layout.noindex = true;
    let page = AddressEditPage {
        layout,
        id: id.to_owned(),
        default,
        countries: addr.countries(),
        addr,
        problems,
        address_legend: "Address",
    };
    html(status, page.render())
}

pub async fn address_edit_page(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account/addresses");
    };
    match shop.users.address_list(&p).await {
        Ok(list) => match list.iter().find(|a| a.id == id) {
            Some(a) => edit_page(
                &shop,
                &shopper,
                &id,
                a.is_default_shipping,
                AddressForm::from_saved(a),
                Problems::default(),
                StatusCode::OK,
            ),
            // Another's address, or none: not found, as for any page.
            None => shop.not_found(),
        },
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn address_update(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account/addresses");
    };
    let addr = AddressForm::read(&form);
    let default = form.get("default") == "1";
    match shop.users.address_update(&p, &id, addr.to_users(default)).await {
        Ok(_) => see_other("/account/addresses"),
        Err(e) if e.kind == ErrorKind::NotFound => shop.not_found(),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::BadRequest) => {
            edit_page(&shop, &shopper, &id, default, addr, Problems::from_error(&e), e.status())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn address_delete(State(shop): State<Arc<Storefront>>, shopper: Shopper, Path(id): Path<String>) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account/addresses");
    };
    match shop.users.address_delete(&p, &id).await {
        // Another's address is not found: the list as it is.
        Ok(()) | Err(kernel::Error { kind: ErrorKind::NotFound, .. }) => see_other("/account/addresses"),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
