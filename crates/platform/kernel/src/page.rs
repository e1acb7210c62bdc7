//! Cursor pagination: `?limit=&cursor=`, answered with `next_cursor` when more remain.
//!
//! Lists are ordered by their time-ordered id, so the cursor is the last id seen. Clients treat
//! it as opaque; its documented pattern lets contract tests generate only cursors the server
//! accepts.

use crate::error::Error;
use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return (1–100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

/// True when `cursor` has the shape of an id, whatever its prefix.
pub fn cursor_ok(cursor: &str) -> bool {
    cursor.split_once('_').is_some_and(|(prefix, _)| {
        (1..=8).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_lowercase())
            && crate::id::is_valid(prefix, cursor)
    })
}

/// Validated page request: `after` is the id to continue after.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<String>,
}

impl PageParams {
    pub fn validate(&self) -> Result<PageRequest, Error> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::bad_request("invalid_limit", format!("`limit` must be between 1 and {MAX_LIMIT}.")));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) if cursor_ok(c) => Some(c.clone()),
            Some(_) => return Err(Error::bad_request("invalid_cursor", "`cursor` is not a cursor this API issued.")),
        };
        Ok(PageRequest { limit, after })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows (the extra one says whether more remain).
    pub fn from_rows(mut rows: Vec<T>, limit: u32, id_of: impl Fn(&T) -> &str) -> Self {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(|r| id_of(r).to_owned()) } else { None };
        Self { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}
