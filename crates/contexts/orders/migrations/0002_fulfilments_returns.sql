-- Fulfilment per seller, tracking, and returns.

-- The line's shipping weight (for the label), and how much of it is being returned: units in
-- returns that were not rejected and the refund they claimed (the last units take the rest).
ALTER TABLE orders_lines ADD COLUMN weight_g BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders_lines ADD COLUMN returned_units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders_lines ADD COLUMN returned_amount BIGINT NOT NULL DEFAULT 0;
-- The return that gives the shipping back, once one does (at most one).
ALTER TABLE orders_orders ADD COLUMN shipping_return_id TEXT;

-- One seller's part of a confirmed order.
CREATE TABLE orders_fulfilments (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    state TEXT NOT NULL,
    carrier TEXT,
    tracking_number TEXT,
    -- The built-in provider made the label, so it can be printed.
    label BOOLEAN NOT NULL DEFAULT FALSE,
    shipped_at BIGINT,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (order_id, seller_id)
);
CREATE INDEX orders_fulfilments_seller ON orders_fulfilments (seller_id, id);
CREATE INDEX orders_fulfilments_seller_state ON orders_fulfilments (seller_id, state, id);
CREATE INDEX orders_fulfilments_state ON orders_fulfilments (state, id);
CREATE INDEX orders_fulfilments_tracking ON orders_fulfilments (tracking_number);

CREATE TABLE orders_fulfilment_history (
    id TEXT PRIMARY KEY,
    fulfilment_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    -- `usr_…`, or `carrier:<provider>` when a tracking report moved it.
    actor TEXT NOT NULL,
    note TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX orders_fulfilment_history_fulfilment ON orders_fulfilment_history (fulfilment_id, at);

-- What the carrier (or the seller) reported about a shipped part. A report is kept once per
-- source and event id, so a webhook delivered twice is recorded once.
CREATE TABLE orders_tracking_events (
    id TEXT PRIMARY KEY,
    fulfilment_id TEXT NOT NULL,
    source TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    location TEXT,
    occurred_at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (source, source_event_id)
);
CREATE INDEX orders_tracking_events_fulfilment ON orders_tracking_events (fulfilment_id, occurred_at);

-- A return of delivered lines of one seller's part.
CREATE TABLE orders_returns (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    fulfilment_id TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- What the lines give back (their shares, docs/returns.md) and the shipping share, if any.
    lines_amount BIGINT NOT NULL,
    shipping_amount BIGINT NOT NULL,
    -- What the approver granted (at most lines_amount + shipping_amount).
    refund_amount BIGINT,
    decided_by TEXT,
    decision_note TEXT,
    -- Put the goods back on the shelf when they arrive, at this location (the seller's first
    -- when none is named).
    restock BOOLEAN NOT NULL DEFAULT FALSE,
    location_id TEXT,
    refunded BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_returns_order ON orders_returns (order_id);
CREATE INDEX orders_returns_seller ON orders_returns (seller_id, id);
CREATE INDEX orders_returns_customer ON orders_returns (customer_id, id);
CREATE INDEX orders_returns_state ON orders_returns (state, updated_at);

CREATE TABLE orders_return_lines (
    return_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    customer_id TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    amount BIGINT NOT NULL,
    PRIMARY KEY (return_id, position)
);

CREATE TABLE orders_return_history (
    id TEXT PRIMARY KEY,
    return_id TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX orders_return_history_return ON orders_return_history (return_id, at);
