//! SQL for the audit tables: append under the head's lock, filtered reads, the chain in order.

use crate::domain::Entry;
use store::{Arg, AssertSqlSafe, Backend, Db, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub seq: i64,
    pub id: String,
    pub event_id: String,
    pub at: i64,
    pub action: String,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub object_type: String,
    pub object_id: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub request_id: Option<String>,
    pub address: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str = "seq, id, event_id, at, action, actor_id, actor_role, object_type, object_id, before_state,
    after_state, request_id, address, prev_hash, hash";

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Self {
        Self {
            seq: r.seq,
            id: r.id,
            event_id: r.event_id,
            at: r.at,
            action: r.action,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            object_type: r.object_type,
            object_id: r.object_id,
            before: r.before_state,
            after: r.after_state,
            request_id: r.request_id,
            address: r.address,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The chain's end, locked until `tx` ends so that appenders on every replica take turns.
pub async fn head_lock(tx: &mut Tx) -> Result<(i64, String)> {
    let lock = match tx.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    };
    tx.fetch_one(AssertSqlSafe(format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}")), vec![]).await
}

pub async fn head_get(db: &Db) -> Result<(i64, String)> {
    db.fetch_one("SELECT seq, hash FROM audit_head WHERE id = 1", vec![]).await
}

pub async fn entry_insert(tx: &mut Tx, e: &Entry) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_entries (seq, id, event_id, at, action, actor_id, actor_role, object_type, object_id,
             before_state, after_state, request_id, address, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        args![
            e.seq,
            &e.id,
            &e.event_id,
            e.at,
            &e.action,
            e.actor_id.clone(),
            e.actor_role.clone(),
            &e.object_type,
            &e.object_id,
            e.before.clone(),
            e.after.clone(),
            e.request_id.clone(),
            e.address.clone(),
            &e.prev_hash,
            &e.hash
        ],
    )
    .await?;
    tx.execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", args![e.seq, &e.hash]).await?;
    Ok(())
}

/// What a reader narrows the log to; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// An exact action, or every action under `prefix.`.
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub object_id: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// Up to `limit` entries matching `f`, newest first, from before `before_seq`.
pub async fn entries_find(db: &Db, f: &Filter, before_seq: Option<i64>, limit: i64) -> Result<Vec<EntryRow>> {
    let mut clauses = Vec::new();
    let mut values: Vec<Arg> = Vec::new();
    let mut push = |clause: &str, value: Arg| {
        values.push(value);
        clauses.push(clause.replace('?', &format!("${}", values.len())));
    };
    if let Some(a) = &f.action {
        match a.strip_suffix(".*") {
            Some(prefix) => push("action LIKE ?", format!("{prefix}.%").into()),
            None => push("action = ?", a.clone().into()),
        }
    }
    if let Some(v) = &f.actor_id {
        push("actor_id = ?", v.clone().into());
    }
    if let Some(v) = &f.object_id {
        push("object_id = ?", v.clone().into());
    }
    if let Some(v) = f.since {
        push("at >= ?", v.into());
    }
    if let Some(v) = f.until {
        push("at < ?", v.into());
    }
    if let Some(v) = before_seq {
        push("seq < ?", v.into());
    }
    let filter = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    values.push(limit.into());
    let sql = format!("SELECT {COLUMNS} FROM audit_entries {filter} ORDER BY seq DESC LIMIT ${}", values.len());
    db.fetch_all(AssertSqlSafe(sql), values).await
}

pub async fn seq_of(db: &Db, id: &str) -> Result<Option<i64>> {
    Ok(db.fetch_optional::<(i64,)>("SELECT seq FROM audit_entries WHERE id = $1", args![id]).await?.map(|(s,)| s))
}

/// The chain in order, `limit` entries after `after_seq`.
pub async fn entries_after(db: &Db, after_seq: i64, limit: i64) -> Result<Vec<EntryRow>> {
    db.fetch_all(
        AssertSqlSafe(format!("SELECT {COLUMNS} FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2")),
        args![after_seq, limit],
    )
    .await
}
