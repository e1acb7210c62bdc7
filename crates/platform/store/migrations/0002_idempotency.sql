-- The first answer to each `Idempotency-Key`, per caller, replayed to a retry of the same
-- request. A row without a status is a request still being served.
CREATE TABLE store_idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT,
    content_type TEXT,
    body TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX store_idempotency_expiry ON store_idempotency (expires_at);
