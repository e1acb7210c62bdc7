-- Every SKU a store has ever used stays that store's, even after its variant is deleted or
-- renamed: stock, history and alerts are kept per SKU, so a SKU passing to another store
-- would hand it the first store's stock.
CREATE TABLE catalog_sku_owners (
    sku        TEXT PRIMARY KEY,
    seller_id  TEXT NOT NULL,
    claimed_at BIGINT NOT NULL
);

INSERT INTO catalog_sku_owners (sku, seller_id, claimed_at)
SELECT v.sku, p.seller_id, v.created_at
FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
ON CONFLICT (sku) DO NOTHING;
