-- Integrations' HTTPS endpoints. The secret is kept as it was issued, not hashed: every
-- delivery is signed with it, so the platform must be able to read it back.
CREATE TABLE webhooks_endpoints (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL,
    owner_role  TEXT NOT NULL CHECK (owner_role IN ('admin', 'seller')),
    url         TEXT NOT NULL,
    description TEXT NOT NULL,
    -- JSON array of exact types (`order.created`) and prefixes (`fulfilment.*`).
    event_types TEXT NOT NULL,
    secret      TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX webhooks_endpoints_owner ON webhooks_endpoints (owner_id, id);

-- One delivery per endpoint and event, however often the bus hands the event over.
CREATE TABLE webhooks_deliveries (
    id              TEXT PRIMARY KEY,
    endpoint_id     TEXT NOT NULL REFERENCES webhooks_endpoints (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    -- The `data` sent: the event's payload, a seller's copy cut to their own lines.
    payload         TEXT NOT NULL,
    -- When the event happened: the envelope's `created_at`.
    occurred_at     BIGINT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- Attempts since it was last queued (made or replayed): the exponent of the backoff.
    round_attempts  BIGINT NOT NULL DEFAULT 0,
    -- When it was last queued: retries stop 24 h after this.
    queued_at       BIGINT NOT NULL,
    -- Due time while pending; moved ahead by a sender's lease while an attempt is under way.
    next_attempt_at BIGINT NOT NULL,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhooks_deliveries_due ON webhooks_deliveries (state, next_attempt_at);
CREATE INDEX webhooks_deliveries_endpoint ON webhooks_deliveries (endpoint_id, id);

-- Every attempt, kept: what the receiver answered (or why nothing was sent), and how long
-- it took.
CREATE TABLE webhooks_attempts (
    delivery_id      TEXT NOT NULL REFERENCES webhooks_deliveries (id) ON DELETE CASCADE,
    number           BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    status_code      BIGINT,
    error            TEXT,
    duration_ms      BIGINT NOT NULL,
    -- The first 512 bytes of the answer's body, as text.
    response_excerpt TEXT NOT NULL,
    PRIMARY KEY (delivery_id, number)
);
