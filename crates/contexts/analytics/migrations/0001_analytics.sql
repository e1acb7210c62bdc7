-- Sales aggregates, kept by the consumer of order and payment events so that reports read a
-- few rows per bucket and never scan orders. `grain` is `hour` or `day`, `bucket` its start
-- (UTC, microseconds); `seller_id` is '' for the whole shop. See docs/analytics.md for what
-- each column counts.
CREATE TABLE analytics_sales (
    grain TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    units BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    cancelled BIGINT NOT NULL,
    refunded BIGINT NOT NULL,
    PRIMARY KEY (grain, seller_id, currency, bucket)
);

-- Units and revenue per product and day, for the sellers' report by product.
CREATE TABLE analytics_product_sales (
    seller_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    day BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    units BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    PRIMARY KEY (seller_id, currency, day, product_id)
);
