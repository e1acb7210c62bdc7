-- Parked events are few and looked for by when they were parked (the admins' alert).
CREATE INDEX store_outbox_parked ON store_outbox (dead_at) WHERE dead_at IS NOT NULL;
