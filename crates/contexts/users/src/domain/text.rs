use kernel::Error;

/// A required short text: trimmed, non-empty, at most `max` characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, Error> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Error::invalid_field(field, "is required"));
    }
    if text.chars().count() > max || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid_field(field, format!("must be at most {max} printable characters")));
    }
    Ok(text.to_owned())
}

/// An optional short text: blank becomes absent.
pub fn optional_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, Error> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(field, text, max).map(Some),
    }
}
