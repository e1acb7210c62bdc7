-- Browser sessions: the storefront's cookie carries a secret whose SHA-256 is kept on the
-- session, in place of access and refresh tokens. Whatever ends a session (logout, a password
-- reset, a disabled account) ends it for the browser too.
ALTER TABLE users_sessions ADD COLUMN cookie_hash TEXT;
CREATE UNIQUE INDEX users_sessions_cookie ON users_sessions (cookie_hash);
