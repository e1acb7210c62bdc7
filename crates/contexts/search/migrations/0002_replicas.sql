-- Every replica keeps an index of its own, so every replica needs its own queue: the consumer
-- (run by whichever replica receives an event) queues a changed product once per registered
-- replica, and each replica's indexer empties only its own rows. A replica unseen for an hour
-- is forgotten with its rows, and rebuilds its index from the catalog when it comes back.
DROP TABLE search_pending;
CREATE TABLE search_replicas (
    id      TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
CREATE TABLE search_pending (
    replica_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    queued_at  BIGINT NOT NULL,
    PRIMARY KEY (replica_id, product_id)
);
CREATE INDEX search_pending_queued ON search_pending (replica_id, queued_at);
