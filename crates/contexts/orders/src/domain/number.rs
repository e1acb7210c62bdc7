//! Order numbers: what a customer reads out on the phone, so digits in short groups, and
//! random so that a guest cannot find another's order by counting (the e-mail is asked too).

/// `OX-12345-67890`: ten random digits. Unique in the table; a clash (one in 10^10 per
/// pair) is answered by drawing again.
pub fn order_number() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap_or_default();
    let n = u64::from_le_bytes(bytes) % 10_000_000_000;
    format!("OX-{:05}-{:05}", n / 100_000, n % 100_000)
}

/// Upper-cased and trimmed, so that `ox-12345-67890 ` finds the order.
pub fn number_normalise(number: &str) -> String {
    number.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_the_shape() {
        let n = order_number();
        assert_eq!(n.len(), 14, "{n}");
        assert!(n.starts_with("OX-") && n.as_bytes()[8] == b'-');
        assert!(n[3..8].bytes().chain(n[9..].bytes()).all(|b| b.is_ascii_digit()));
        assert_ne!(order_number(), order_number());
        assert_eq!(number_normalise(" ox-1 "), "OX-1");
    }
}
