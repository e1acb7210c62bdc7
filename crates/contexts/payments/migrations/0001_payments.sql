-- A payment for one payable reference (an order). Its amounts are the ledger's sums; the
-- columns here are what the state machine and the conditional updates need.
CREATE TABLE payments_payments (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    customer_id TEXT,
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    provider TEXT NOT NULL,
    -- The provider's payment-method token (never a card number: PCI SAQ A).
    method_token TEXT NOT NULL,
    provider_ref TEXT,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- What the customer must do next (RequiresAction), as JSON.
    next_action TEXT,
    failure_code TEXT,
    -- Refunds requested or done; held before the provider is asked, so that concurrent
    -- refunds can never add up to more than was captured.
    refund_held BIGINT NOT NULL DEFAULT 0,
    captured BIGINT NOT NULL DEFAULT 0 CHECK (refund_held >= 0 AND refund_held <= captured),
    -- The caller's key for this authorization: asking again with it answers this payment.
    idempotency_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (reference, idempotency_key)
);
CREATE INDEX payments_payments_customer ON payments_payments (customer_id, id);

CREATE TABLE payments_sellers (
    payment_id TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    PRIMARY KEY (payment_id, seller_id)
);
CREATE INDEX payments_sellers_seller ON payments_sellers (seller_id, payment_id);

-- Every money movement, append-only: authorization, capture, void, refund.
CREATE TABLE payments_ledger (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    provider_ref TEXT,
    idempotency_key TEXT NOT NULL,
    -- `pending` (a refund the provider has not answered yet), `succeeded` or `failed`.
    status TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (payment_id, kind, idempotency_key)
);
CREATE INDEX payments_ledger_payment ON payments_ledger (payment_id, created_at);

-- Every state change: who, when, why.
CREATE TABLE payments_history (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX payments_history_payment ON payments_history (payment_id, at);

CREATE INDEX payments_payments_provider_ref ON payments_payments (provider, provider_ref);

-- Provider events already received, so that a redelivery changes nothing.
CREATE TABLE payments_webhook_events (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
