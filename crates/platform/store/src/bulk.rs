//! Multi-row inserts for loading data in bulk (seeding, imports): far fewer round trips than
//! one statement per row, within both backends' limits on bound parameters.

use crate::{Arg, AssertSqlSafe, Result, Tx};

/// Parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 500;

/// Inserts `rows` (each with one value per column) into `table`. Names come from the caller's
/// code, never from input.
pub async fn insert_rows(tx: &mut Tx, table: &str, columns: &[&str], rows: Vec<Vec<Arg>>) -> Result<u64> {
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut args = Vec::with_capacity(chunk.len() * columns.len());
        for (r, row) in chunk.into_iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len());
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", args.len() + c + 1));
            }
            sql.push(')');
            args.extend(row);
        }
        inserted += tx.execute(AssertSqlSafe(sql), args).await?;
    }
    Ok(inserted)
}
