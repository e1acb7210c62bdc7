//! The search context's contract: it offers no trait (the storefront reads it over HTTP) and
//! publishes no events; it consumes the catalog's and the inventory's. Its error codes are the
//! catalog's names for what a filter names.

use kernel::ErrorKind::*;
use kernel::error::ErrorCode;

pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("category_not_found", NotFound, "No such category."),
    ErrorCode::new("brand_not_found", NotFound, "No such brand."),
];
