-- Returned goods put back on the shelf, once per return: a retried restock finds its row.
CREATE TABLE inventory_restocks (
    reference TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
