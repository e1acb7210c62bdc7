-- Labels made by the built-in provider, one per reference (a fulfilment): asking again for the
-- same reference answers the stored label, so a retried fulfilment never buys a second one.
CREATE TABLE shipping_labels (
    tracking_number TEXT PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    carrier         TEXT NOT NULL,
    -- The LabelRequest as JSON: the PDF is rendered again from it whenever it is asked for.
    request         TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

-- What carriers reported through the tracking webhook, once per provider event id: the key
-- is what recognises a delivery made twice.
CREATE TABLE shipping_tracking_events (
    provider        TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN
        ('pre_transit', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned')),
    detail          TEXT NOT NULL,
    location        TEXT,
    -- When the carrier saw it happen; received_at is when we heard of it.
    occurred_at     BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
-- A parcel's history, in the order it happened.
CREATE INDEX shipping_tracking_events_parcel ON shipping_tracking_events (tracking_number, occurred_at);
