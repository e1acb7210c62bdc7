//! Opaque, time-ordered identifiers that read well in logs: `usr_01JD3S…`.
//!
//! The body is a ULID (48-bit millisecond time + 80 random bits, Crockford base32). Ids made
//! in the same millisecond by one process are kept in order by incrementing the random part,
//! so sorting by id sorts by creation, which cursor pagination relies on.

use std::sync::Mutex;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static LAST: Mutex<(u64, u128)> = Mutex::new((0, 0));

/// A new id with the given prefix, e.g. `new_id("usr")`.
pub fn new_id(prefix: &str) -> String {
    let now_ms = crate::time::Timestamp::now().as_millis() as u64;
    let value = {
        let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
        let random = if now_ms <= last.0 {
            // Same (or a clock step back): keep order by counting up from the last value.
            last.1 = last.1.wrapping_add(1) & ((1u128 << 80) - 1);
            last.1
        } else {
            let r = random_u128() & ((1u128 << 80) - 1);
            *last = (now_ms, r);
            r
        };
        let ms = now_ms.max(last.0);
        ((ms as u128) << 80) | random
    };
    let mut out = String::with_capacity(prefix.len() + 27);
    out.push_str(prefix);
    out.push('_');
    for i in (0..26).rev() {
        let idx = ((value >> (i * 5)) & 0x1f) as usize;
        out.push(ALPHABET[idx] as char);
    }
    out
}

/// True when `id` has the given prefix and a well-formed body; used to reject junk ids early.
pub fn is_valid(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
        .is_some_and(|body| body.len() == 26 && body.bytes().all(|b| ALPHABET.contains(&b)))
}

/// `n` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    buf
}

fn random_u128() -> u128 {
    u128::from_le_bytes(random_bytes::<16>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_valid_and_ordered() {
        let ids: Vec<String> = (0..1000).map(|_| new_id("usr")).collect();
        assert!(ids.iter().all(|id| is_valid("usr", id)));
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        sorted.dedup();
        assert_eq!(sorted.len(), 1000);
    }

    #[test]
    fn junk_is_not_an_id() {
        assert!(!is_valid("usr", "usr_123"));
        assert!(!is_valid("usr", "ord_01JD3S0000000000000000000A"));
        assert!(!is_valid("usr", "usr_01JD3S000000000000000000IL"));
    }
}
