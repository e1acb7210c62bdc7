//! The audit log's rules: what an entry is, how it is chained, and how a chain is checked.

use sha2::{Digest, Sha256};

/// The hash the first entry links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded action. `before` and `after` are JSON text, hashed exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub id: String,
    pub event_id: String,
    pub at: i64,
    pub action: String,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub object_type: String,
    pub object_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
    pub address: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// SHA-256 over every field but `hash`, each length-prefixed (an absent one marked apart
    /// from an empty one), so no two different entries share an input.
    pub fn computed_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |v: Option<&str>| match v {
            Some(v) => h.update(format!("{}:{v};", v.len())),
            None => h.update("-;"),
        };
        field(Some(&self.seq.to_string()));
        field(Some(&self.id));
        field(Some(&self.event_id));
        field(Some(&self.at.to_string()));
        field(Some(&self.action));
        field(self.actor_id.as_deref());
        field(self.actor_role.as_deref());
        field(Some(&self.object_type));
        field(Some(&self.object_id));
        field(self.before.as_deref());
        field(self.after.as_deref());
        field(self.request_id.as_deref());
        field(self.address.as_deref());
        field(Some(&self.prev_hash));
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What is wrong at one place of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The entry's content no longer gives its hash: it was changed.
    Altered { seq: i64 },
    /// Entries from `from` to `to` (inclusive) are gone.
    Missing { from: i64, to: i64 },
    /// The entry does not link to the one before it (that one was changed, hash and all).
    Unlinked { seq: i64 },
    /// The chain ends before or after where its head says.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(f, "entry {seq} was changed"),
            Self::Missing { from, to } if from == to => write!(f, "entry {from} is missing"),
            Self::Missing { from, to } => write!(f, "entries {from} to {to} are missing"),
            Self::Unlinked { seq } => write!(f, "entry {seq} does not link to the entry before it"),
            Self::HeadMismatch { head_seq, last_seq } => {
                write!(f, "the chain ends at entry {last_seq} but its head says {head_seq}")
            }
        }
    }
}

/// Walks a chain in `seq` order, fed a batch at a time, so a long log is checked in constant
/// memory.
#[derive(Debug)]
pub struct Checker {
    last_seq: i64,
    last_hash: String,
    pub checked: u64,
    pub faults: Vec<Fault>,
}

impl Default for Checker {
    fn default() -> Self {
        Self { last_seq: 0, last_hash: GENESIS.to_owned(), checked: 0, faults: Vec::new() }
    }
}

impl Checker {
    pub fn check(&mut self, e: &Entry) {
        self.checked += 1;
        if e.seq > self.last_seq + 1 {
            self.faults.push(Fault::Missing { from: self.last_seq + 1, to: e.seq - 1 });
        } else if e.prev_hash != self.last_hash {
            self.faults.push(Fault::Unlinked { seq: e.seq });
        }
        if e.computed_hash() != e.hash {
            self.faults.push(Fault::Altered { seq: e.seq });
        }
        self.last_seq = e.seq;
        self.last_hash = e.hash.clone();
    }

    /// The end of the walk, against the head the appenders keep.
    pub fn finish(mut self, head_seq: i64, head_hash: &str) -> Self {
        if head_seq != self.last_seq {
            self.faults.push(Fault::HeadMismatch { head_seq, last_seq: self.last_seq });
        } else if head_hash != self.last_hash {
            self.faults.push(Fault::Unlinked { seq: head_seq });
        }
        self
    }

    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    seq,
                    id: format!("aud_{seq}"),
                    event_id: format!("evt_{seq}"),
                    at: seq * 1000,
                    action: "payment.refunded".into(),
                    actor_id: Some("usr_admin".into()),
                    actor_role: Some("admin".into()),
                    object_type: "payment".into(),
                    object_id: "pay_1".into(),
                    before: None,
                    after: Some(r#"{"refunded":500}"#.into()),
                    request_id: None,
                    address: Some("127.0.0.1".into()),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.computed_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[Entry], head_seq: i64, head_hash: &str) -> Vec<Fault> {
        let mut c = Checker::default();
        entries.iter().for_each(|e| c.check(e));
        c.finish(head_seq, head_hash).faults
    }

    #[test]
    fn an_intact_chain_has_no_faults() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), vec![]);
        assert_eq!(verify(&[], 0, GENESIS), vec![]);
    }

    #[test]
    fn a_changed_entry_is_found_with_or_without_its_hash_redone() {
        let mut c = chain(5);
        let head = c[4].hash.clone();
        c[2].after = Some(r#"{"refunded":5}"#.into());
        assert_eq!(verify(&c, 5, &head), vec![Fault::Altered { seq: 3 }]);
        c[2].hash = c[2].computed_hash();
        assert_eq!(verify(&c, 5, &head), vec![Fault::Unlinked { seq: 4 }]);
    }

    #[test]
    fn an_absent_field_differs_from_an_empty_one() {
        let c = chain(1);
        let mut e = c[0].clone();
        e.request_id = Some(String::new());
        assert_ne!(e.computed_hash(), c[0].hash);
    }

    #[test]
    fn deleted_entries_are_found_in_the_middle_and_at_the_end() {
        let mut c = chain(6);
        let head = c[5].hash.clone();
        c.remove(2);
        c.remove(2);
        assert_eq!(verify(&c, 6, &head), vec![Fault::Missing { from: 3, to: 4 }]);
        let c = chain(6);
        assert_eq!(verify(&c[..5], 6, &head), vec![Fault::HeadMismatch { head_seq: 6, last_seq: 5 }]);
    }
}
