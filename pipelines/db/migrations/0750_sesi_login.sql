-- Logins that survive a browser reload: one row per login session. The browser holds a
-- signed, expiring token (HttpOnly cookie) naming the session by a random id; only its
-- SHA-256 is kept here. Logout, a password change and disabling the account end it.
CREATE TABLE sesi_login (
    id VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    dibuat_pada TIMESTAMP NOT NULL,
    berakhir_pada TIMESTAMP,
    alasan_berakhir VARCHAR
);

CREATE INDEX sesi_login_username ON sesi_login (username);
