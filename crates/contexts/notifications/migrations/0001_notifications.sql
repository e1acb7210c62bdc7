-- Every message the shop sends, kept: the outbox the admin browses and the recipient reads,
-- and the delivery log (state, attempts, provider and its id).
CREATE TABLE notifications_messages (
    id              TEXT PRIMARY KEY,
    -- One message per event, recipient and channel, however often the event comes.
    dedup_key       TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    recipient_id    TEXT,
    address         TEXT NOT NULL,
    name            TEXT NOT NULL,
    reference       TEXT,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    unsubscribe_url TEXT,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'parked')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    provider        TEXT,
    provider_id     TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX notifications_messages_due ON notifications_messages (channel, state, next_attempt_at);
CREATE INDEX notifications_messages_recipient ON notifications_messages (recipient_id, id);

-- What each person chose: a number for SMS, and per kind the channels turned off or on.
CREATE TABLE notifications_preferences (
    user_id    TEXT PRIMARY KEY,
    phone      TEXT,
    choices    TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- How far a scan of something outside the context has got (parked events).
CREATE TABLE notifications_cursors (
    name     TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
