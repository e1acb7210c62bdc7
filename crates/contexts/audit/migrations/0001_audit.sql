-- The audit log: one row per financial or admin action, chained by hash. `seq` counts from 1
-- with no gaps; `hash` covers the row's every column and the previous row's hash, so a row
-- changed or deleted outside the application breaks the chain (`oxcart audit verify`).
CREATE TABLE audit_entries (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL UNIQUE,
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    request_id TEXT,
    address TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entries_at ON audit_entries (at);
CREATE INDEX audit_entries_object ON audit_entries (object_id);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id);
CREATE INDEX audit_entries_action ON audit_entries (action);

-- The end of the chain: the last row's number and hash. Appenders lock it, which orders them;
-- a deleted last row is found by comparing it with the table.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
