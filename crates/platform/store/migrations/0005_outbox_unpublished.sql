-- The relay takes the oldest unpublished events by id. Without an index of those alone, the
-- database walks every published row before them, and a backlog of 600,000 events (100,000
-- checkouts faster than the consumers) slowed each claim to the size of the whole table.
CREATE INDEX store_outbox_unpublished ON store_outbox (id) WHERE published_at IS NULL AND dead_at IS NULL;
