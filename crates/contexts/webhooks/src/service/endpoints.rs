//! Registering, reading, changing and deleting endpoints, and rotating their secrets.

use super::target::{url_check, url_reachable};
use super::{WebhooksService, endpoint_dto, require};
use crate::api::{WEBHOOKS_READ, WEBHOOKS_WRITE};
use crate::domain::signature::secret_new;
use crate::domain::types::{Refusal, pattern_check};
use crate::dto::*;
use crate::store::{self as sql, EndpointRow};
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, FieldError, Result};

impl WebhooksService {
    /// Registers an endpoint for the caller; answers it with its secret, shown this once.
    pub async fn endpoint_create(&self, p: &Principal, input: EndpointInput) -> Result<EndpointWithSecret> {
        require(p, WEBHOOKS_WRITE)?;
        let role = if p.role == Role::Admin { "admin" } else { "seller" };
        let description = description_check(input.description.as_deref())?;
        let patterns = patterns_check(&input.event_types, role == "seller")?;
        let target = url_check(&input.url, self.config.allow_http)?;
        url_reachable(&target, self.config.allow_private).await?;
        let now = Timestamp::now().as_micros();
        let row = EndpointRow {
            id: kernel::id::new_id("hook"),
            owner_id: p.user_id.clone(),
            owner_role: role.into(),
            url: target.url,
            description,
            event_types: serde_json::to_string(&patterns).map_err(Error::internal)?,
            secret: secret_new(),
            enabled: input.enabled.unwrap_or(true),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db.begin().await?;
        if sql::endpoint_count(&mut tx, &p.user_id).await? >= self.config.max_endpoints_per_owner {
            return Err(Error::conflict("webhook_endpoint_limit", "You have the most webhook endpoints you may keep."));
        }
        sql::endpoint_insert(&mut tx, &row).await?;
        tx.commit().await?;
        // Not the URL: its query may hold the receiver's own token.
        tracing::info!(endpoint = %row.id, owner = %row.owner_id, "webhook endpoint registered");
        Ok(EndpointWithSecret { endpoint: endpoint_dto(&row), secret: row.secret })
    }

    /// The caller's endpoints, newest first (an admin's: everyone's, or `owner_id`'s).
    pub async fn endpoint_list(&self, p: &Principal, q: EndpointQuery) -> Result<Page<EndpointDto>> {
        require(p, WEBHOOKS_READ)?;
        let page = PageParams { limit: q.limit, cursor: q.cursor }.validate()?;
        if q.owner_id.as_deref().is_some_and(|o| o.chars().count() > 40) {
            return Err(Error::invalid_field("owner_id", "must be at most 40 characters"));
        }
        let (owner, role) =
            if p.role == Role::Admin { (q.owner_id, None) } else { (Some(p.user_id.clone()), Some("seller")) };
        let rows = sql::endpoint_list(
            &mut self.db.clone(),
            owner.as_deref(),
            role,
            page.after.as_deref(),
            i64::from(page.limit) + 1,
        )
        .await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(|r| endpoint_dto(&r)))
    }

    pub async fn endpoint_get(&self, p: &Principal, id: &str) -> Result<EndpointDto> {
        require(p, WEBHOOKS_READ)?;
        Ok(endpoint_dto(&self.endpoint_visible(p, id).await?))
    }

    /// Changes the fields given. A new URL is checked (and resolved) as at registration; new
    /// event types by the rules of the endpoint's owner, whoever changes them.
    pub async fn endpoint_update(&self, p: &Principal, id: &str, input: EndpointUpdate) -> Result<EndpointDto> {
        require(p, WEBHOOKS_WRITE)?;
        let mut row = self.endpoint_visible(p, id).await?;
        if let Some(d) = input.description.as_deref() {
            row.description = description_check(Some(d))?;
        }
        if let Some(types) = &input.event_types {
            let patterns = patterns_check(types, row.owner_role == "seller")?;
            row.event_types = serde_json::to_string(&patterns).map_err(Error::internal)?;
        }
        if let Some(url) = &input.url {
            let target = url_check(url, self.config.allow_http)?;
            url_reachable(&target, self.config.allow_private).await?;
            row.url = target.url;
        }
        if let Some(enabled) = input.enabled {
            row.enabled = enabled;
        }
        row.updated_at = Timestamp::now().as_micros();
        self.endpoint_write(&row).await?;
        Ok(endpoint_dto(&row))
    }

    /// Deletes the endpoint with its deliveries and their attempts.
    pub async fn endpoint_delete(&self, p: &Principal, id: &str) -> Result<()> {
        require(p, WEBHOOKS_WRITE)?;
        self.endpoint_visible(p, id).await?;
        let mut tx = self.db.begin().await?;
        if !sql::endpoint_delete(&mut tx, id).await? {
            return Err(super::endpoint_not_found());
        }
        tx.commit().await?;
        Ok(())
    }

    /// A new secret: deliveries from now on are signed with it alone. Shown this once.
    pub async fn endpoint_secret_rotate(&self, p: &Principal, id: &str) -> Result<EndpointWithSecret> {
        require(p, WEBHOOKS_WRITE)?;
        let mut row = self.endpoint_visible(p, id).await?;
        row.secret = secret_new();
        row.updated_at = Timestamp::now().as_micros();
        self.endpoint_write(&row).await?;
        tracing::info!(endpoint = %row.id, "webhook endpoint secret rotated");
        Ok(EndpointWithSecret { endpoint: endpoint_dto(&row), secret: row.secret })
    }

    async fn endpoint_write(&self, row: &EndpointRow) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if !sql::endpoint_update(&mut tx, row).await? {
            return Err(super::endpoint_not_found());
        }
        tx.commit().await?;
        Ok(())
    }
}

fn description_check(d: Option<&str>) -> Result<String> {
    let d = d.unwrap_or_default().trim();
    if d.chars().count() > MAX_DESCRIPTION {
        return Err(Error::invalid_field("description", format!("must be at most {MAX_DESCRIPTION} characters")));
    }
    Ok(d.to_owned())
}

/// The subscriptions, checked and without repeats, in the order given.
fn patterns_check(types: &[EventTypeName], seller: bool) -> Result<Vec<String>> {
    if types.is_empty() || types.len() > MAX_EVENT_TYPES {
        return Err(Error::invalid_field("event_types", format!("must hold 1-{MAX_EVENT_TYPES} event types")));
    }
    let mut out: Vec<String> = Vec::with_capacity(types.len());
    for (i, EventTypeName(t)) in types.iter().enumerate() {
        let t = t.trim();
        let field = format!("event_types[{i}]");
        match pattern_check(t, seller) {
            Ok(()) => {}
            Err(Refusal::Unknown) => {
                let e = Error::new(ErrorKind::Invalid, "webhook_event_type_unknown", "No such event type.");
                return Err(
                    e.with_errors(vec![FieldError { field, message: format!("`{t:.100}` is not an event type") }])
                );
            }
            Err(Refusal::NotForSellers) => {
                let e = Error::new(
                    ErrorKind::Invalid,
                    "webhook_event_type_not_allowed",
                    "A seller's endpoint hears only events that name their seller.",
                );
                let message = format!("`{t}` covers events that name no seller");
                return Err(e.with_errors(vec![FieldError { field, message }]));
            }
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}
