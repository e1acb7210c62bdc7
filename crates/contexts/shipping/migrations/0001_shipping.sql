-- Shipping zones: the countries (or some regions of a country) a set of methods serves. When
-- several zones cover a destination, one listing its region wins over one covering the whole
-- country, and the oldest among equals.
CREATE TABLE shipping_zones (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- What a zone covers: a whole country (region '') or one region of it. '' rather than NULL so
-- that the primary key holds on both backends.
CREATE TABLE shipping_zone_areas (
    zone_id TEXT NOT NULL REFERENCES shipping_zones (id),
    country TEXT NOT NULL,
    region  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (zone_id, country, region)
);
-- Finding the zones of a destination's country, on every quote.
CREATE INDEX shipping_zone_areas_country ON shipping_zone_areas (country);

-- A way to ship within a zone, priced per seller's parcel by its rate table.
CREATE TABLE shipping_methods (
    id         TEXT PRIMARY KEY,
    zone_id    TEXT NOT NULL REFERENCES shipping_zones (id),
    -- Lower-case slug, what checkout names the method by.
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    basis      TEXT NOT NULL CHECK (basis IN ('flat', 'weight', 'value')),
    -- JSON array of {"from", "amount"} sorted by "from", the first from 0; minor units.
    rates      TEXT NOT NULL,
    -- A parcel worth at least this much ships free; NULL: never.
    free_over  BIGINT,
    min_days   BIGINT NOT NULL,
    max_days   BIGINT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (zone_id, code),
    CHECK (min_days >= 0 AND min_days <= max_days),
    CHECK (free_over IS NULL OR free_over >= 0)
);
