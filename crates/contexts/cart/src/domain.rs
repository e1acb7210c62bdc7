//! Cart rules without I/O: quantities, limits, and merging a guest cart into a customer's.

use crate::model::CartLine;
use kernel::{Error, ErrorKind, FieldError, Result};
use serde_json::Value;

/// Limits a cart enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_quantity_per_line: i64,
    pub max_lines: usize,
}

/// A quantity as sent: a whole number from 1 to the per-line cap. Anything else (0, negative,
/// fractional, a string, a huge number) is refused with a stable code.
pub fn quantity(value: &Value, limits: Limits) -> Result<i64> {
    let Some(q) = value.as_i64().filter(|q| *q >= 1) else {
        return Err(field_error("invalid_quantity", "The quantity must be a whole number of 1 or more."));
    };
    if q > limits.max_quantity_per_line {
        return Err(field_error(
            "quantity_too_large",
            format!("At most {} of one item fit in a cart.", limits.max_quantity_per_line),
        ));
    }
    Ok(q)
}

fn field_error(code: &'static str, detail: impl Into<String>) -> Error {
    let detail = detail.into();
    Error::new(ErrorKind::Invalid, code, detail.clone())
        .with_errors(vec![FieldError { field: "quantity".into(), message: detail }])
}

/// Folds `guest` lines into `own`: the same variant adds up (to the cap); new variants join
/// while there is room. Returns how many guest lines did not fit.
pub fn merge(own: &mut Vec<CartLine>, guest: Vec<CartLine>, limits: Limits) -> usize {
    let mut dropped = 0;
    for line in guest {
        if let Some(mine) = own.iter_mut().find(|l| l.variant_id == line.variant_id) {
            mine.quantity = (mine.quantity + line.quantity).min(limits.max_quantity_per_line);
        } else if own.len() < limits.max_lines {
            own.push(line);
        } else {
            dropped += 1;
        }
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: Limits = Limits { max_quantity_per_line: 10, max_lines: 2 };

    fn line(v: &str, q: i64) -> CartLine {
        CartLine { variant_id: v.into(), quantity: q, unit_price: 100, added_at: 0 }
    }

    #[test]
    fn quantities_are_whole_positive_and_capped() {
        assert_eq!(quantity(&json!(3), LIMITS).ok(), Some(3));
        for bad in [json!(0), json!(-1), json!(1.5), json!("2"), json!(null), json!(1e30)] {
            assert_eq!(
                quantity(&bad, LIMITS).map_err(|e| e.code.into_owned()),
                Err("invalid_quantity".to_owned()),
                "{bad}"
            );
        }
        assert_eq!(quantity(&json!(11), LIMITS).map_err(|e| e.code.into_owned()), Err("quantity_too_large".to_owned()));
        assert_eq!(
            quantity(&json!(i64::MAX), LIMITS).map_err(|e| e.code.into_owned()),
            Err("quantity_too_large".to_owned())
        );
    }

    #[test]
    fn merging_adds_up_to_the_cap_and_keeps_the_line_limit() {
        let mut own = vec![line("a", 8)];
        let dropped = merge(&mut own, vec![line("a", 5), line("b", 1), line("c", 1)], LIMITS);
        assert_eq!(own, vec![line("a", 10), line("b", 1)]);
        assert_eq!(dropped, 1);
    }
}
