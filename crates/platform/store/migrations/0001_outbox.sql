-- Events waiting to be published, written in the same transaction as the change they announce.
CREATE TABLE store_outbox (
    id              TEXT PRIMARY KEY,
    event_type      TEXT NOT NULL,
    version         BIGINT NOT NULL,
    aggregate_id    TEXT NOT NULL,
    payload         TEXT NOT NULL,
    trace           TEXT,
    occurred_at     BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    published_at    BIGINT,
    dead_at         BIGINT,
    last_error      TEXT
);

CREATE INDEX store_outbox_pending ON store_outbox (next_attempt_at)
    WHERE published_at IS NULL AND dead_at IS NULL;
