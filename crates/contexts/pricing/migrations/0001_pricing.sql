-- Promotions: automatic ones (no code) apply by themselves, the others when a customer enters
-- their code. A seller's promotion (seller_id set) only ever touches that seller's lines; a
-- platform-wide one (seller_id NULL) is the admins'.
CREATE TABLE pricing_promotions (
    id                 TEXT PRIMARY KEY,
    seller_id          TEXT,
    name               TEXT NOT NULL,
    -- Upper-case; NULL for an automatic promotion.
    code               TEXT UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('percent', 'fixed', 'free_shipping')),
    -- Percent 1-100, minor units for fixed, 0 for free shipping.
    value              BIGINT NOT NULL,
    scope              TEXT NOT NULL CHECK (scope IN ('order', 'products', 'categories')),
    -- JSON array of product or category ids.
    targets            TEXT NOT NULL DEFAULT '[]',
    min_subtotal       BIGINT NOT NULL DEFAULT 0,
    starts_at          BIGINT,
    ends_at            BIGINT,
    usage_limit        BIGINT,
    -- Changed only by one conditional statement per order, so it never passes the limit.
    times_used         BIGINT NOT NULL DEFAULT 0,
    per_customer_limit BIGINT,
    combinable         BOOLEAN NOT NULL DEFAULT FALSE,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CHECK (times_used >= 0),
    CHECK (usage_limit IS NULL OR times_used <= usage_limit)
);
-- The automatic candidates loaded for every priced cart.
CREATE INDEX pricing_promotions_automatic ON pricing_promotions (seller_id) WHERE code IS NULL AND active;
-- A seller's list, newest first.
CREATE INDEX pricing_promotions_seller ON pricing_promotions (seller_id, id);

-- One counted use of a promotion by an order; the pair is unique, so counting is idempotent.
CREATE TABLE pricing_redemptions (
    id           TEXT PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES pricing_promotions (id),
    customer_id  TEXT,
    order_id     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (promotion_id, order_id)
);
-- A customer's uses of the promotions in a cart (per-customer limits).
CREATE INDEX pricing_redemptions_customer ON pricing_redemptions (customer_id, promotion_id);
