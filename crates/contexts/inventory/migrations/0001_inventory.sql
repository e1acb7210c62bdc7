-- Stock locations (warehouses, shops) of a seller.
CREATE TABLE inventory_locations (
    id         TEXT PRIMARY KEY,
    seller_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (seller_id, name)
);

-- Per-SKU settings and the flags that make alerts fire once per crossing.
CREATE TABLE inventory_items (
    sku                 TEXT PRIMARY KEY,
    seller_id           TEXT NOT NULL,
    low_stock_threshold BIGINT,
    reorder_point       BIGINT,
    reorder_quantity    BIGINT,
    low_stock           BOOLEAN NOT NULL DEFAULT FALSE,
    in_stock            BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX inventory_items_seller ON inventory_items (seller_id, sku);

-- Stock of one SKU in one location. The checks are the invariant; every change to these
-- columns is one conditional statement, so no interleaving can break it.
CREATE TABLE inventory_levels (
    sku         TEXT NOT NULL,
    location_id TEXT NOT NULL REFERENCES inventory_locations (id),
    seller_id   TEXT NOT NULL,
    on_hand     BIGINT NOT NULL DEFAULT 0,
    reserved    BIGINT NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (sku, location_id),
    CHECK (reserved >= 0),
    CHECK (reserved <= on_hand)
);
CREATE INDEX inventory_levels_seller ON inventory_levels (seller_id, sku, location_id);

-- Every change of on-hand stock, with who did it and why.
CREATE TABLE inventory_adjustments (
    id            TEXT PRIMARY KEY,
    sku           TEXT NOT NULL,
    location_id   TEXT NOT NULL,
    seller_id     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    delta         BIGINT NOT NULL,
    on_hand_after BIGINT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    actor_id      TEXT,
    reference     TEXT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX inventory_adjustments_sku ON inventory_adjustments (sku, id);
CREATE INDEX inventory_adjustments_seller ON inventory_adjustments (seller_id, id);

-- A hold on stock for a reference (an order), all lines or none.
CREATE TABLE inventory_reservations (
    id          TEXT PRIMARY KEY,
    reference   TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX inventory_reservations_expiry ON inventory_reservations (state, expires_at);

CREATE TABLE inventory_reservation_lines (
    reservation_id TEXT NOT NULL REFERENCES inventory_reservations (id),
    sku            TEXT NOT NULL,
    location_id    TEXT NOT NULL,
    quantity       BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (reservation_id, sku, location_id)
);

-- Low-stock alerts: one per crossing below the threshold, closed when stock recovers.
CREATE TABLE inventory_alerts (
    id          TEXT PRIMARY KEY,
    sku         TEXT NOT NULL,
    seller_id   TEXT NOT NULL,
    available   BIGINT NOT NULL,
    threshold   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX inventory_alerts_seller ON inventory_alerts (seller_id, id);
