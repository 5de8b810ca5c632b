-- Ingestion: every changed value keeps its previous value, per submission.
CREATE TABLE perubahan_nilai (
    submission_id BIGINT NOT NULL,
    tabel VARCHAR NOT NULL CHECK (tabel IN ('spm_data', 'lppd_data')),
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER,                   -- NULL for LPPD (yearly)
    kode VARCHAR NOT NULL,              -- kode_layanan or kode_ikk
    kolom VARCHAR NOT NULL,
    nilai_lama VARCHAR,
    nilai_baru VARCHAR,
    submission_lama BIGINT
);

CREATE INDEX perubahan_nilai_submission ON perubahan_nilai (submission_id);
