//! The audit log's use cases: recording an audited event in its consumer's transaction,
//! reading and exporting the log (admins only), and checking the chain.

use crate::api::AUDIT_READ;
use crate::domain::{Checker, Entry};
use crate::dto::{EntryDto, EntryFilter, EntryQuery, VerificationDto};
use crate::record::draft_of;
use crate::store::{self as sql, Filter};
use kernel::auth::{Principal, Role};
use kernel::event::Envelope;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::{Db, Tx};

/// The most entries one export holds; narrow it with `since` and `until` beyond that.
pub const EXPORT_MAX: usize = 100_000;
const BATCH: i64 = 1_000;

pub struct AuditService {
    db: Db,
}

impl AuditService {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Appends the entry `event` makes, if it is audited, after the chain's last under its
    /// lock. Runs in the consumer's inbox transaction, so a redelivered event is one entry.
    pub async fn event_record(&self, tx: &mut Tx, event: &Envelope) -> Result<bool> {
        let Some(draft) = draft_of(event)? else { return Ok(false) };
        let origin = event.origin.clone().unwrap_or_default();
        let (head_seq, head_hash) = sql::head_lock(tx).await?;
        let actor_role = origin.actor_role.map(|r| r.as_str().to_owned());
        let mut entry = Entry {
            seq: head_seq + 1,
            id: kernel::id::new_id("aud"),
            event_id: event.id.clone(),
            at: event.occurred_at.as_micros(),
            action: event.event_type.clone(),
            actor_id: origin.actor_id.or(draft.by),
            actor_role,
            object_type: draft.object_type.to_owned(),
            object_id: draft.object_id,
            before: draft.before.map(|v| v.to_string()),
            after: draft.after.map(|v| v.to_string()),
            request_id: origin.request_id,
            address: origin.address,
            prev_hash: head_hash,
            hash: String::new(),
        };
        entry.hash = entry.computed_hash();
        sql::entry_insert(tx, &entry).await?;
        Ok(true)
    }

    /// A page of the log, newest first.
    pub async fn entry_list(&self, p: &Principal, q: EntryQuery) -> Result<Page<EntryDto>> {
        may_read(p)?;
        let page = PageParams { limit: q.limit, cursor: q.cursor.clone() }.validate()?;
        let filter = filter_of(&q.filter())?;
        // A cursor naming no entry is past the end: an empty page, as for any list.
        let before = match &page.after {
            Some(id) => Some(sql::seq_of(&self.db, id).await?.unwrap_or(0)),
            None => None,
        };
        let rows = sql::entries_find(&self.db, &filter, before, i64::from(page.limit) + 1).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        Ok(page.map(|r| EntryDto::from(Entry::from(r))))
    }

    /// The matching entries as CSV, newest first, at most [`EXPORT_MAX`].
    pub async fn entry_export(&self, p: &Principal, f: &EntryFilter) -> Result<String> {
        may_read(p)?;
        let filter = filter_of(f)?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let header = [
            "seq",
            "id",
            "at",
            "action",
            "actor_id",
            "actor_role",
            "object_type",
            "object_id",
            "before",
            "after",
            "request_id",
            "address",
            "event_id",
            "hash",
        ];
        out.write_record(header).map_err(csv_error)?;
        let (mut before, mut written) = (None, 0);
        while written < EXPORT_MAX {
            let rows = sql::entries_find(&self.db, &filter, before, BATCH).await?;
            let Some(last) = rows.last() else { break };
            before = Some(last.seq);
            for r in rows.into_iter().take(EXPORT_MAX - written) {
                let at = Timestamp::from_micros(r.at).to_rfc3339();
                let seq = r.seq.to_string();
                let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                out.write_record([
                    seq.as_str(),
                    &r.id,
                    &at,
                    &r.action,
                    &opt(&r.actor_id),
                    &opt(&r.actor_role),
                    &r.object_type,
                    &r.object_id,
                    &opt(&r.before_state),
                    &opt(&r.after_state),
                    &opt(&r.request_id),
                    &opt(&r.address),
                    &r.event_id,
                    &r.hash,
                ])
                .map_err(csv_error)?;
                written += 1;
            }
        }
        let bytes = out.into_inner().map_err(|e| Error::internal(format!("csv: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::internal(format!("csv: {e}")))
    }

    /// How many entries the chain holds, as its head says.
    pub async fn head(&self) -> Result<i64> {
        Ok(sql::head_get(&self.db).await?.0)
    }

    /// Walks the whole chain in order; `progress` hears the count every batch.
    pub async fn chain_verify(&self, mut progress: impl FnMut(u64)) -> Result<VerificationDto> {
        let (head_seq, head_hash) = sql::head_get(&self.db).await?;
        let mut checker = Checker::default();
        let mut after = 0;
        loop {
            let rows = sql::entries_after(&self.db, after, BATCH).await?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            rows.into_iter().for_each(|r| checker.check(&Entry::from(r)));
            progress(checker.checked);
        }
        let checker = checker.finish(head_seq, &head_hash);
        Ok(VerificationDto {
            intact: checker.faults.is_empty(),
            entries: checker.checked,
            head_seq,
            head_hash,
            faults: checker.faults.iter().take(100).map(ToString::to_string).collect(),
        })
    }
}

fn may_read(p: &Principal) -> Result<()> {
    p.require_role(&[Role::Admin])?;
    p.require_scope(AUDIT_READ)
}

fn filter_of(f: &EntryFilter) -> Result<Filter> {
    let bad = |what: &str| Error::bad_request("audit_filter_invalid", format!("`{what}` is malformed."));
    if let Some(a) = &f.action
        && !action_ok(a)
    {
        return Err(bad("action"));
    }
    for (name, v) in [("actor_id", &f.actor_id), ("object_id", &f.object_id)] {
        if v.as_ref().is_some_and(|v| v.is_empty() || v.chars().count() > 40) {
            return Err(bad(name));
        }
    }
    let time = |name: &str, v: &Option<String>| match v {
        None => Ok(None),
        Some(s) => Timestamp::parse_rfc3339(s).map(|t| Some(t.as_micros())).ok_or_else(|| bad(name)),
    };
    Ok(Filter {
        action: f.action.clone(),
        actor_id: f.actor_id.clone(),
        object_id: f.object_id.clone(),
        since: time("since", &f.since)?,
        until: time("until", &f.until)?,
    })
}

/// `payment.refunded` or `payment.*`: dot-separated lowercase words, at most 100 characters.
fn action_ok(a: &str) -> bool {
    let body = a.strip_suffix(".*").unwrap_or(a);
    a.len() <= 100
        && !body.is_empty()
        && body.split('.').all(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
}

fn csv_error(e: csv::Error) -> Error {
    Error::internal(format!("csv: {e}"))
}
