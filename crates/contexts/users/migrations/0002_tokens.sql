-- Single-use secrets of e-mailed links (address verification, password reset). Only their
-- SHA-256 is kept, so a copy of the database opens no account.
ALTER TABLE users_accounts ADD COLUMN email_verified_at BIGINT;

CREATE TABLE users_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users_accounts (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_tokens_user ON users_tokens (user_id, purpose);

-- Messages to every admin look staff up by role.
CREATE INDEX users_accounts_role ON users_accounts (role, created_at);
