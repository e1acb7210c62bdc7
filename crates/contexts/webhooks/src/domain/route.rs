//! Which endpoints hear an event, and what each is sent: admins the event as published,
//! sellers only the events that name them, cut to their own lines.

use super::types::covers;
use serde_json::Value;

/// Who an endpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    Admin,
    Seller(&'a str),
}

impl<'a> Owner<'a> {
    /// From the stored `owner_role` and `owner_id`; an unknown role is nobody's (hears nothing
    /// a seller would not).
    pub fn of(role: &str, id: &'a str) -> Self {
        if role == "admin" { Self::Admin } else { Self::Seller(id) }
    }
}

/// The `data` an endpoint subscribed to `patterns` is sent for an event, or `None` when the
/// event is not for it.
///
/// A payload with a top-level `seller_id` belongs to that seller alone. One with `lines`
/// (an order's) goes to each seller with a line in it, holding only that seller's lines and
/// no `total`, which is the whole order's and would tell of other sellers' goods.
pub fn data_for(owner: Owner<'_>, patterns: &[String], event_type: &str, payload: &Value) -> Option<Value> {
    if !patterns.iter().any(|p| covers(p, event_type)) {
        return None;
    }
    let seller = match owner {
        Owner::Admin => return Some(payload.clone()),
        Owner::Seller(id) => id,
    };
    if let Some(named) = payload.get("seller_id") {
        return (named.as_str() == Some(seller)).then(|| payload.clone());
    }
    let lines = payload.get("lines")?.as_array()?;
    let own: Vec<Value> =
        lines.iter().filter(|l| l.get("seller_id").and_then(Value::as_str) == Some(seller)).cloned().collect();
    if own.is_empty() {
        return None;
    }
    let mut cut = payload.as_object()?.clone();
    cut.insert("lines".into(), Value::Array(own));
    cut.remove("total");
    Some(Value::Object(cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn subs(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn sellers_hear_only_their_own() {
        let part = json!({"fulfilment_id": "ful_1", "seller_id": "usr_a"});
        let all = subs(&["fulfilment.*"]);
        assert_eq!(data_for(Owner::Seller("usr_a"), &all, "fulfilment.shipped", &part), Some(part.clone()));
        assert_eq!(data_for(Owner::Seller("usr_b"), &all, "fulfilment.shipped", &part), None);
        assert_eq!(data_for(Owner::Admin, &all, "fulfilment.shipped", &part), Some(part.clone()));
        assert_eq!(data_for(Owner::Admin, &all, "return.approved", &part), None, "not subscribed");
        let anon = json!({"payment_id": "pay_1"});
        assert_eq!(data_for(Owner::Seller("usr_a"), &subs(&["payment.captured"]), "payment.captured", &anon), None);
    }

    #[test]
    fn an_order_is_cut_to_the_sellers_lines() {
        let order = json!({"order_id": "ord_1", "total": 3250, "lines": [
            {"sku": "MUG", "seller_id": "usr_a", "total": 1250},
            {"sku": "TEE", "seller_id": "usr_b", "total": 2000}]});
        let subs = subs(&["order.created"]);
        let a = data_for(Owner::Seller("usr_a"), &subs, "order.created", &order).expect("for a");
        assert_eq!(a["lines"].as_array().map(Vec::len), Some(1));
        assert_eq!(a["lines"][0]["sku"], "MUG");
        assert!(a.get("total").is_none(), "the whole order's total stays out");
        assert_eq!(a["order_id"], "ord_1");
        assert_eq!(data_for(Owner::Seller("usr_c"), &subs, "order.created", &order), None);
        assert_eq!(data_for(Owner::Admin, &subs, "order.created", &order), Some(order));
    }
}
