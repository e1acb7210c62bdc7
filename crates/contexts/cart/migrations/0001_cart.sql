-- Carts as documents: a cart is read and written whole, so a key-value store (Redis) can hold
-- the same document. `version` makes every write a compare-and-swap.
CREATE TABLE cart_carts (
    id          TEXT PRIMARY KEY,
    customer_id TEXT UNIQUE,
    token_hash  TEXT UNIQUE,
    doc         TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX cart_carts_expiry ON cart_carts (expires_at);
