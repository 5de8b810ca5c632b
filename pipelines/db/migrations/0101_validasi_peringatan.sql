-- Warnings found when a file was accepted, kept with its submission for the reviewer.
CREATE TABLE validasi_peringatan (
    submission_id BIGINT NOT NULL,
    lembar VARCHAR,
    baris INTEGER,
    kolom VARCHAR,
    pesan VARCHAR NOT NULL
);

CREATE INDEX validasi_peringatan_submission ON validasi_peringatan (submission_id);
