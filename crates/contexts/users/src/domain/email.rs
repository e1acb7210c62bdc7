use kernel::Error;

/// A normalised e-mail address: trimmed and lower-cased, so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Error> {
        let email = raw.trim().to_lowercase();
        let fail = |message: &str| Err(Error::invalid_field(field, message));
        if email.is_empty() {
            return fail("is required");
        }
        if email.len() > 254 {
            return fail("is longer than 254 characters");
        }
        let Some((local, domain)) = email.rsplit_once('@') else { return fail("is not an e-mail address") };
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.chars().any(|c| c.is_whitespace() || c.is_control() || "\"(),:;<>[\\]".contains(c));
        if !domain_ok || !local_ok {
            return fail("is not an e-mail address");
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_validates() {
        assert_eq!(
            Email::parse("email", "  Ann@Example.COM ").map(Email::into_string).ok(),
            Some("ann@example.com".into())
        );
        for bad in
            ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@exa..mple.com", "ann@-x.com"]
        {
            assert!(Email::parse("email", bad).is_err(), "{bad} must be refused");
        }
        let err = Email::parse("contact_email", "nope").expect_err("invalid");
        assert_eq!(err.errors[0].field, "contact_email");
    }
}
