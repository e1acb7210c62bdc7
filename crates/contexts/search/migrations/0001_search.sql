-- Products whose index entry must be refreshed. A consumer of catalog events fills it in the
-- same transaction that records the event as handled; the indexer empties it after each index
-- commit. A crash in between leaves the rows, so nothing is lost.
CREATE TABLE search_pending (
    product_id TEXT PRIMARY KEY,
    queued_at  BIGINT NOT NULL
);
CREATE INDEX search_pending_queued ON search_pending (queued_at);
