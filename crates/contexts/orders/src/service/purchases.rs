//! Orders tell the catalog who bought what, so that a review can say "verified purchase".

use super::OrdersService;
use crate::store::orders as sql;
use catalog::api::Purchases;
use kernel::{BoxFuture, Result};

impl Purchases for OrdersService {
    fn purchased<'a>(&'a self, customer: &'a str, product: &'a str) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move { Ok(sql::purchased(&mut self.db(), customer, product).await?) })
    }
}
