//! Every integration suite of the storefront, in one test binary: the real application behind
//! its real router, driven as a browser without JavaScript would (pages, cookies, forms).

mod accounts;
mod card_field;
mod cart_forms;
mod checkout_forms;
mod common;
mod consoles;
mod pages;
