use kernel::Error;

/// A password that meets the policy: 8–128 characters, not one of the most common. No
/// composition rules and no truncation (OWASP ASVS 6.2).
pub struct Password(String);

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// The most used passwords of public breach corpora that satisfy the length rule.
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwertyuiop",
    "qwerty123",
    "11111111",
    "00000000",
    "iloveyou",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "123123123",
    "abcd1234",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "letmein1",
    "trustno1",
    "superman",
    "starwars",
    "whatever",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "qwerty12",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm1",
    "1qaz2wsx",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "aa123456",
    "87654321",
    "12341234",
    "88888888",
    "12121212",
    "computer",
    "michelle",
    "jennifer",
    "corvette",
    "mercedes",
    "internet",
    "security",
    "changeme",
    "changeme1",
    "administrator",
    "admin123",
    "admin1234",
    "dragon12",
    "monkey12",
    "master12",
    "shadow12",
    "charlie1",
    "qazwsxedc",
    "zaq12wsx",
    "1234qwer",
    "qwer1234",
    "abc12345",
    "password!",
    "Password1",
    "Password123",
    "Passw0rd!",
    "letmein123",
    "iloveyou1",
    "987654321",
    "123456789a",
];

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Error> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(Error::invalid_field(field, format!("must be at least {MIN_CHARS} characters")));
        }
        if chars > MAX_CHARS {
            return Err(Error::invalid_field(field, format!("must be at most {MAX_CHARS} characters")));
        }
        if COMMON.iter().any(|c| c.eq_ignore_ascii_case(raw)) {
            return Err(Error::invalid_field(field, "is too common; choose another"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_refuses_common_ones() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", &"x".repeat(129)).is_err());
        assert!(Password::parse("password", "PASSWORD123").is_err());
        assert!(Password::parse("password", "correct horse battery").is_ok());
        assert!(Password::parse("password", &"é".repeat(8)).is_ok(), "counts characters, not bytes");
    }
}
