-- Accounts, login sessions (refresh-token families), addresses, seller profiles and API keys.
CREATE TABLE users_accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    phone         TEXT,
    role          TEXT NOT NULL,
    disabled_at   BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE users_sessions (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users_accounts (id),
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT,
    revoked_reason TEXT
);
CREATE INDEX users_sessions_user ON users_sessions (user_id);

CREATE TABLE users_refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES users_sessions (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX users_refresh_tokens_session ON users_refresh_tokens (session_id);

CREATE TABLE users_addresses (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users_accounts (id),
    name                TEXT NOT NULL,
    line1               TEXT NOT NULL,
    line2               TEXT,
    city                TEXT NOT NULL,
    region              TEXT,
    postal_code         TEXT NOT NULL,
    country             TEXT NOT NULL,
    phone               TEXT,
    is_default_shipping BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX users_addresses_user ON users_addresses (user_id);

CREATE TABLE users_seller_profiles (
    user_id       TEXT PRIMARY KEY REFERENCES users_accounts (id),
    store_name    TEXT NOT NULL,
    description   TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT,
    status        TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX users_seller_profiles_status ON users_seller_profiles (status);

CREATE TABLE users_api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users_accounts (id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX users_api_keys_user ON users_api_keys (user_id);
