//! Money and dates as the shop's locale writes them.
//!
//! Amounts are integer minor units everywhere; showing one never rounds: the minor units are
//! split into whole and fraction by the currency's exponent, exactly.

use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    tag: &'static str,
    decimal: char,
    group: char,
    /// `1.234,56 €` rather than `€1,234.56`.
    symbol_after: bool,
    months: [&'static str; 12],
}

const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DE: [&str; 12] = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."];
const FR: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
const NL: [&str; 12] = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const ES: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
const IT: [&str; 12] = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];

/// Narrow no-break space, as French groups digits.
const NNBSP: char = '\u{202f}';

impl Locale {
    pub fn parse(tag: &str) -> Option<Self> {
        let l = |tag, decimal, group, symbol_after, months| Self { tag, decimal, group, symbol_after, months };
        Some(match tag {
            "en-US" => l("en-US", '.', ',', false, EN),
            "en-GB" => l("en-GB", '.', ',', false, EN),
            "de-DE" => l("de-DE", ',', '.', true, DE),
            "fr-FR" => l("fr-FR", ',', NNBSP, true, FR),
            "nl-NL" => l("nl-NL", ',', '.', false, NL),
            "es-ES" => l("es-ES", ',', '.', true, ES),
            "it-IT" => l("it-IT", ',', '.', true, IT),
            _ => return None,
        })
    }

    /// The `lang` of the pages.
    pub fn lang(&self) -> &'static str {
        self.tag
    }

    /// `minor` units of `currency`, with its symbol: `$1,234.56`, `1.234,56 €`, `¥1,200`.
    pub fn money(&self, minor: i64, currency: &str) -> String {
        let exponent = exponent(currency);
        let unit = 10i64.pow(exponent);
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        let whole = self.grouped(abs / unit as u64);
        let number = if exponent == 0 {
            whole
        } else {
            format!("{whole}{}{:0width$}", self.decimal, abs % unit as u64, width = exponent as usize)
        };
        match (symbol(currency), self.symbol_after) {
            (Some(s), false) => format!("{sign}{s}{number}"),
            (Some(s), true) => format!("{sign}{number}\u{a0}{s}"),
            (None, false) => format!("{sign}{currency}\u{a0}{number}"),
            (None, true) => format!("{sign}{number}\u{a0}{currency}"),
        }
    }

    /// `minor` units as a plain decimal for machines (schema.org, form values): `1234.56`.
    pub fn decimal(minor: i64, currency: &str) -> String {
        let exponent = exponent(currency);
        if exponent == 0 {
            return minor.to_string();
        }
        let unit = 10u64.pow(exponent);
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        format!("{sign}{}.{:0width$}", abs / unit, abs % unit, width = exponent as usize)
    }

    /// A decimal amount a person typed (`5`, `5.5`, `5.50`; a comma as the decimal mark too)
    /// as minor units of `currency`; none when it is not a non-negative amount with at most
    /// the currency's decimals. Exact: no floating point on the way.
    pub fn parse_minor(text: &str, currency: &str) -> Option<i64> {
        let exponent = exponent(currency) as usize;
        let text = text.trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 12 || !digits(whole) || fraction.len() > exponent || !digits(fraction) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<exponent$}").parse().ok()? };
        whole.checked_mul(10i64.pow(exponent as u32))?.checked_add(fraction)
    }

    /// A calendar day in UTC: `Dec 3, 2026`, `3. Dez. 2026`, `3 déc. 2026`.
    pub fn date(&self, micros: i64) -> String {
        let Ok(t) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000) else {
            return String::new();
        };
        let month = self.months[usize::from(u8::from(t.month())) - 1];
        match self.tag {
            "en-US" => format!("{month} {}, {}", t.day(), t.year()),
            "de-DE" => format!("{}. {month} {}", t.day(), t.year()),
            _ => format!("{} {month} {}", t.day(), t.year()),
        }
    }

    fn grouped(&self, mut n: u64) -> String {
        let mut groups = Vec::new();
        loop {
            groups.push(n % 1000);
            n /= 1000;
            if n == 0 {
                break;
            }
        }
        let mut out = groups.pop().map(|g| g.to_string()).unwrap_or_default();
        while let Some(g) = groups.pop() {
            out.push(self.group);
            out.push_str(&format!("{g:03}"));
        }
        out
    }
}

/// Digits after the decimal point (ISO 4217).
fn exponent(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" | "TWD" | "UGX" | "XAF" | "XOF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CHF" => "CHF\u{a0}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_become_exact_minor_units() {
        assert_eq!(Locale::parse_minor("5", "USD"), Some(500));
        assert_eq!(Locale::parse_minor("5.5", "USD"), Some(550));
        assert_eq!(Locale::parse_minor(" 12,34 ", "EUR"), Some(1234));
        assert_eq!(Locale::parse_minor("1200", "JPY"), Some(1200));
        for bad in ["", "-1", "1.234", "1.2.3", "abc", "1e3", "1200.5"] {
            let currency = if bad == "1200.5" { "JPY" } else { "USD" };
            assert_eq!(Locale::parse_minor(bad, currency), None, "{bad}");
        }
    }

    #[test]
    fn money_is_written_exactly_in_each_locale() {
        let us = Locale::parse("en-US").expect("known");
        assert_eq!(us.money(123_456, "USD"), "$1,234.56");
        assert_eq!(us.money(5, "USD"), "$0.05");
        assert_eq!(us.money(-1999, "USD"), "-$19.99");
        assert_eq!(us.money(1200, "JPY"), "¥1,200");
        assert_eq!(us.money(1234, "KWD"), "KWD\u{a0}1.234");
        assert_eq!(us.money(12_345_678_900, "USD"), "$123,456,789.00");
        let de = Locale::parse("de-DE").expect("known");
        assert_eq!(de.money(123_456, "EUR"), "1.234,56\u{a0}€");
        let fr = Locale::parse("fr-FR").expect("known");
        assert_eq!(fr.money(123_456, "EUR"), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Locale::decimal(123_456, "USD"), "1234.56");
        assert_eq!(Locale::decimal(7, "EUR"), "0.07");
        assert_eq!(Locale::decimal(1200, "JPY"), "1200");
    }

    #[test]
    fn dates_follow_the_locale() {
        // 2026-12-03T10:00:00Z
        let micros = 1_796_292_000_000_000;
        assert_eq!(Locale::parse("en-US").expect("known").date(micros), "Dec 3, 2026");
        assert_eq!(Locale::parse("en-GB").expect("known").date(micros), "3 Dec 2026");
        assert_eq!(Locale::parse("de-DE").expect("known").date(micros), "3. Dez. 2026");
        assert_eq!(Locale::parse("fr-FR").expect("known").date(micros), "3 déc. 2026");
        assert!(Locale::parse("xx-YY").is_none());
    }
}
