use kernel::Error;

/// A URL-safe name: 1–120 characters of `a-z`, `0-9` and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Error> {
        let s = raw.trim();
        let ok = !s.is_empty()
            && s.len() <= 120
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if !ok {
            return Err(Error::invalid_field(field, "must be 1-120 of a-z, 0-9 and single inner hyphens"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A slug made from a title: ASCII letters and digits kept, accents folded for common Latin
/// letters, everything else a hyphen. Empty when nothing usable remains.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'ç' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ñ' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            _ => None,
        };
        match mapped {
            Some(m) => out.push(m),
            None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            None => {}
        }
        if out.len() >= 100 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_valid_slugs() {
        assert_eq!(slugify("Crème Brûlée — 2 Pack!"), "creme-brulee-2-pack");
        assert_eq!(slugify("!!!"), "");
        for t in ["  A  b ", "x--y", "Ünïcödé ☃ title", &"long ".repeat(50)] {
            let s = slugify(t);
            assert!(s.is_empty() || Slug::parse("slug", &s).is_ok(), "{t:?} -> {s:?}");
        }
    }

    #[test]
    fn slugs_reject_bad_forms() {
        for bad in ["", "A", "a b", "-a", "a-", "a--b", "é"] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad:?}");
        }
        assert!(Slug::parse("slug", "a-1").is_ok());
    }
}
