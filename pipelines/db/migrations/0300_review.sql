-- Review workflow: every status change of a submission (who, when, why) and the
-- reviewer's comments, for the whole file or for one row.
CREATE SEQUENCE submission_riwayat_id_seq START 1;

CREATE TABLE submission_riwayat (
    id BIGINT PRIMARY KEY DEFAULT nextval('submission_riwayat_id_seq'),
    submission_id BIGINT NOT NULL,
    dari VARCHAR,                        -- NULL for the upload itself
    ke VARCHAR NOT NULL
        CHECK (ke IN ('draf', 'diajukan', 'diverifikasi', 'dikembalikan', 'final')),
    oleh VARCHAR NOT NULL,
    waktu TIMESTAMP NOT NULL,
    keterangan VARCHAR                   -- comment, or the reason for reopening
);

CREATE SEQUENCE review_komentar_id_seq START 1;

CREATE TABLE review_komentar (
    id BIGINT PRIMARY KEY DEFAULT nextval('review_komentar_id_seq'),
    submission_id BIGINT NOT NULL,
    riwayat_id BIGINT,                   -- the status change it came with
    baris VARCHAR,                       -- NULL: the whole file; else the row's key
    komentar VARCHAR NOT NULL,
    oleh VARCHAR NOT NULL,
    waktu TIMESTAMP NOT NULL
);
