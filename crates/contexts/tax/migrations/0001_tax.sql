-- Tax rules: a rate per country, or per region of a country (which wins over the country's).
-- Inclusive rules (EU VAT) are contained in the prices; exclusive ones (US sales tax) are
-- added on top.
CREATE TABLE tax_rules (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    country        TEXT NOT NULL,
    -- '' for the whole country, rather than NULL, so that the unique key holds on both
    -- backends: one rule per country and region.
    region         TEXT NOT NULL DEFAULT '',
    -- Basis points: 1900 is 19 %.
    rate_bps       BIGINT NOT NULL CHECK (rate_bps >= 0 AND rate_bps <= 10000),
    inclusive      BOOLEAN NOT NULL,
    shipping_taxed BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (country, region)
);
