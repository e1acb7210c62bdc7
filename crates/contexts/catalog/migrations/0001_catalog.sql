-- Products, variants, categories, brands, images and reviews, plus the catalog's own view of
-- which sellers are approved (fed by the users context's events; no cross-context foreign key).
CREATE TABLE catalog_sellers (
    seller_id  TEXT PRIMARY KEY,
    approved   BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE catalog_categories (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES catalog_categories (id),
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX catalog_categories_parent ON catalog_categories (parent_id);

CREATE TABLE catalog_brands (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE catalog_products (
    id           TEXT PRIMARY KEY,
    seller_id    TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    brand_id     TEXT REFERENCES catalog_brands (id),
    category_id  TEXT REFERENCES catalog_categories (id),
    status       TEXT NOT NULL,
    attributes   TEXT NOT NULL DEFAULT '{}',
    options      TEXT NOT NULL DEFAULT '[]',
    rating_count BIGINT NOT NULL DEFAULT 0,
    rating_sum   BIGINT NOT NULL DEFAULT 0,
    rating_hist  TEXT NOT NULL DEFAULT '[0,0,0,0,0]',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX catalog_products_seller ON catalog_products (seller_id, id);
CREATE INDEX catalog_products_category ON catalog_products (category_id);
CREATE INDEX catalog_products_brand ON catalog_products (brand_id);
CREATE INDEX catalog_products_updated ON catalog_products (updated_at, id);

CREATE TABLE catalog_variants (
    id               TEXT PRIMARY KEY,
    product_id       TEXT NOT NULL REFERENCES catalog_products (id),
    sku              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL DEFAULT '',
    option_values    TEXT NOT NULL DEFAULT '{}',
    price_minor      BIGINT NOT NULL,
    compare_at_minor BIGINT,
    currency         TEXT NOT NULL,
    weight_g         BIGINT,
    length_mm        BIGINT,
    width_mm         BIGINT,
    height_mm        BIGINT,
    barcode          TEXT,
    position         BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX catalog_variants_product ON catalog_variants (product_id, position);

CREATE TABLE catalog_images (
    id           TEXT PRIMARY KEY,
    product_id   TEXT NOT NULL REFERENCES catalog_products (id),
    object_key   TEXT NOT NULL,
    content_type TEXT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    position     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX catalog_images_product ON catalog_images (product_id, position);

CREATE TABLE catalog_reviews (
    id                TEXT PRIMARY KEY,
    product_id        TEXT NOT NULL REFERENCES catalog_products (id),
    customer_id       TEXT NOT NULL,
    rating            BIGINT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL DEFAULT '',
    verified_purchase BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_at         BIGINT,
    hidden_by         TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (product_id, customer_id)
);
CREATE INDEX catalog_reviews_product ON catalog_reviews (product_id, id);
