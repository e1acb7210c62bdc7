use kernel::Error;

/// A normalised e-mail address: trimmed and lower-cased, so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Error> {
        let given = raw.trim();
        let fail = |message: &str| Err(Error::invalid_field(field, message));
        if given.is_empty() {
            return fail("is required");
        }
        // Lengths are in characters, as the API document states them, and of what was sent:
        // lower-casing may lengthen a few letters.
        if given.chars().count() > 254 {
            return fail("is longer than 254 characters");
        }
        if given.rsplit_once('@').is_some_and(|(local, _)| local.chars().count() > 64) {
            return fail("is not an e-mail address");
        }
        let email = given.to_lowercase();
        let Some((local, domain)) = email.rsplit_once('@') else { return fail("is not an e-mail address") };
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
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

    #[test]
    fn lengths_count_characters_as_the_api_document_does() {
        // 64 two-byte letters are 128 bytes: still a local part the document allows.
        let local = "é".repeat(64);
        assert!(Email::parse("email", &format!("{local}@example.com")).is_ok());
        assert!(Email::parse("email", &format!("{local}é@example.com")).is_err(), "65 characters");
        let domain = format!("{}.com", "a".repeat(185));
        assert_eq!(format!("{local}@{domain}").chars().count(), 254);
        assert!(Email::parse("email", &format!("{local}@{domain}")).is_ok());
        assert!(Email::parse("email", &format!("{local}@a{domain}")).is_err(), "255 characters");
    }
}
