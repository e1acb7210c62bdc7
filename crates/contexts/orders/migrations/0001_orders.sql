-- An order as it was bought: totals, addresses and method are snapshots, never recomputed.
-- Every row carries customer_id (a guest's is `gst_…`) so the tables can be partitioned on it.
CREATE TABLE orders_orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL,
    -- Signed in (`usr_…` in customer_id) or a guest known by e-mail only.
    guest BOOLEAN NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL,
    currency TEXT NOT NULL,
    subtotal BIGINT NOT NULL,
    discount_total BIGINT NOT NULL,
    shipping BIGINT NOT NULL,
    shipping_discount BIGINT NOT NULL,
    -- All the tax in the order; `tax_added` is the part charged on top of prices.
    tax_total BIGINT NOT NULL,
    tax_added BIGINT NOT NULL,
    tax_inclusive BOOLEAN NOT NULL,
    total BIGINT NOT NULL CHECK (total >= 0),
    shipping_method TEXT NOT NULL,
    shipping_method_name TEXT NOT NULL,
    delivery_min_days BIGINT NOT NULL,
    delivery_max_days BIGINT NOT NULL,
    -- The shipping address as JSON, and the country and region tax and shipping used.
    address TEXT NOT NULL,
    country TEXT NOT NULL,
    -- Promotions applied, as JSON (id, code, amounts), redeemed when the order is confirmed.
    promotions TEXT NOT NULL,
    payment_id TEXT,
    reservation_id TEXT,
    -- Why it was cancelled (a stable code) and in words.
    cancel_code TEXT,
    cancel_detail TEXT,
    -- The checkout's Idempotency-Key, hashed with the caller: the same key never makes a second order.
    checkout_key TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_orders_customer ON orders_orders (customer_id, id);
CREATE INDEX orders_orders_state ON orders_orders (state, id);
CREATE INDEX orders_orders_email ON orders_orders (email);

CREATE TABLE orders_lines (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    customer_id TEXT NOT NULL,
    variant_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    title TEXT NOT NULL,
    variant_title TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);
CREATE INDEX orders_lines_product ON orders_lines (customer_id, product_id);
CREATE INDEX orders_lines_seller ON orders_lines (seller_id, order_id);

-- Every state change: who, when, why.
CREATE TABLE orders_history (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX orders_history_order ON orders_history (order_id, at);

-- The checkout saga's progress: the next step of each order still under way. A row whose
-- due_at has passed belongs to whoever claims it (the request that made it, or the sweeper
-- after a crash); the row goes when the saga ends.
CREATE TABLE orders_sagas (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    step TEXT NOT NULL,
    -- The payment-method token and the guest cart token, kept only while the saga runs.
    payment_token TEXT,
    cart_token TEXT,
    -- Set when a compensation is under way: the stable code it ends the order with.
    cancel_code TEXT,
    cancel_detail TEXT,
    -- Who asked for the cancellation (`usr_…`), or the saga itself when a step failed.
    cancel_actor TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    last_error TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_sagas_due ON orders_sagas (due_at);

-- Which version of a cart was last checked out, by which order: a cart is bought once as it
-- stands (a second click under a new key finds its version taken). A cancelled checkout gives
-- its claim back, so the customer can try again with another payment method.
CREATE TABLE orders_cart_claims (
    cart_id TEXT PRIMARY KEY,
    cart_version BIGINT NOT NULL,
    order_id TEXT NOT NULL
);
CREATE INDEX orders_cart_claims_order ON orders_cart_claims (order_id);
