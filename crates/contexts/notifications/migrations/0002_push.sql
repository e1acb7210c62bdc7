-- The browsers that subscribed to push: each one's endpoint at its push service (a
-- capability URL, so never shown whole) and the keys a push is encrypted for.
CREATE TABLE notifications_push_subscriptions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    endpoint     TEXT NOT NULL UNIQUE,
    p256dh       TEXT NOT NULL,
    auth         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_sent_at BIGINT
);
CREATE INDEX notifications_push_subscriptions_user ON notifications_push_subscriptions (user_id, id);
