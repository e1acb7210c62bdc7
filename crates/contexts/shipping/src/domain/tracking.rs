//! Tracking numbers of the built-in provider and the statuses carriers report, pure.
//!
//! A tracking number is `OX`, twelve random digits and a Luhn check digit over those twelve
//! (the scheme of card numbers, ISO/IEC 7812): it catches every single mistyped digit and
//! most swapped neighbours, so a number read off a label by a person is checked before it is
//! looked up.

/// What every built-in tracking number starts with.
pub const TRACKING_PREFIX: &str = "OX";
/// How many random digits follow the prefix (the check digit comes after them).
pub const TRACKING_DIGITS: usize = 12;
/// `10^TRACKING_DIGITS`: the random part is below it.
pub const TRACKING_SPACE: u64 = 1_000_000_000_000;

/// The Luhn check digit for `digits` (each 0-9): from the right, every other digit starting
/// with the last is doubled (9 subtracted when over 9), and the check digit brings the sum
/// to a multiple of 10.
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The tracking number of a random part below [`TRACKING_SPACE`] (reduced into it if not).
pub fn tracking_number(random: u64) -> String {
    let body = format!("{:0width$}", random % TRACKING_SPACE, width = TRACKING_DIGITS);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{TRACKING_PREFIX}{body}{}", luhn_check_digit(&digits))
}

/// True for `OX`, twelve digits and their Luhn check digit.
pub fn tracking_number_valid(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(TRACKING_PREFIX) else { return false };
    if rest.len() != TRACKING_DIGITS + 1 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u8> = rest.bytes().map(|b| b - b'0').collect();
    luhn_check_digit(&digits[..TRACKING_DIGITS]) == digits[TRACKING_DIGITS]
}

/// Where a parcel is, in the words every provider's report is mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingStatus {
    /// Labelled; the carrier does not have it yet.
    PreTransit,
    InTransit,
    OutForDelivery,
    Delivered,
    /// Delivery failed or was held up (damaged, refused, address problem).
    Exception,
    /// On its way back to the sender, or back.
    Returned,
}

impl TrackingStatus {
    pub const ALL: [TrackingStatus; 6] =
        [Self::PreTransit, Self::InTransit, Self::OutForDelivery, Self::Delivered, Self::Exception, Self::Returned];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreTransit => "pre_transit",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Exception => "exception",
            Self::Returned => "returned",
        }
    }
}

/// What a Shippo status means here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Status(TrackingStatus),
    /// `UNKNOWN`: the carrier has said nothing yet; there is nothing to record.
    Nothing,
}

/// Shippo's `tracking_status.status` (with its `substatus.code`) in our words; `None` for a
/// status Shippo does not document. Shippo has no out-for-delivery status of its own: it is
/// `TRANSIT` with that substatus.
pub fn from_shippo(status: &str, substatus: Option<&str>) -> Option<Reported> {
    let status = match status.trim().to_ascii_uppercase().as_str() {
        "PRE_TRANSIT" => TrackingStatus::PreTransit,
        "TRANSIT" if substatus == Some("out_for_delivery") => TrackingStatus::OutForDelivery,
        "TRANSIT" => TrackingStatus::InTransit,
        "DELIVERED" => TrackingStatus::Delivered,
        "RETURNED" => TrackingStatus::Returned,
        "FAILURE" => TrackingStatus::Exception,
        "UNKNOWN" => return Some(Reported::Nothing),
        _ => return None,
    };
    Some(Reported::Status(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_matches_the_textbook_example() {
        // 7992739871 has check digit 3 (the example of ISO/IEC 7812 write-ups).
        assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
        assert_eq!(luhn_check_digit(&[0; 12]), 0);
    }

    #[test]
    fn tracking_numbers_carry_a_check_digit_that_catches_a_typo() {
        let n = tracking_number(123_456_789_012);
        assert_eq!(n.len(), 15);
        assert_eq!(n, "OX1234567890128");
        assert!(tracking_number_valid(&n));
        assert_eq!(
            tracking_number(7),
            format!("OX000000000007{}", luhn_check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]))
        );
        // Any one digit changed fails the check.
        for i in 2..n.len() {
            let mut typo = n.clone().into_bytes();
            typo[i] = if typo[i] == b'9' { b'0' } else { typo[i] + 1 };
            assert!(!tracking_number_valid(&String::from_utf8(typo).unwrap_or_default()), "position {i}");
        }
        assert!(!tracking_number_valid("OX12345"));
        assert!(!tracking_number_valid("XX1234567890123"));
    }

    #[test]
    fn shippo_statuses_map_to_ours() {
        let s = |status, sub| from_shippo(status, sub);
        assert_eq!(s("TRANSIT", Some("out_for_delivery")), Some(Reported::Status(TrackingStatus::OutForDelivery)));
        assert_eq!(s("TRANSIT", Some("package_departed")), Some(Reported::Status(TrackingStatus::InTransit)));
        assert_eq!(s("FAILURE", None), Some(Reported::Status(TrackingStatus::Exception)));
        assert_eq!(s("UNKNOWN", None), Some(Reported::Nothing));
        assert_eq!(s("LOST", None), None);
        for t in TrackingStatus::ALL {
            assert_eq!(TrackingStatus::parse(t.as_str()), Some(t));
        }
    }
}
