-- perubahan_nilai also keeps the previous values of mutu item rows (tabel 'spm_mutu',
-- kode 'kode_layanan/kode_item'), so withdrawing a submission reverts its items too.
-- DuckDB cannot alter a CHECK constraint: the table is rebuilt with the same rows.
CREATE TABLE perubahan_nilai_baru (
    submission_id BIGINT NOT NULL,
    tabel VARCHAR NOT NULL CHECK (tabel IN ('spm_data', 'lppd_data', 'spm_mutu')),
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER,                   -- NULL for LPPD (yearly)
    kode VARCHAR NOT NULL,              -- kode_layanan, kode_ikk or kode_layanan/kode_item
    kolom VARCHAR NOT NULL,
    nilai_lama VARCHAR,
    nilai_baru VARCHAR,
    submission_lama BIGINT
);

INSERT INTO perubahan_nilai_baru SELECT * FROM perubahan_nilai;

DROP TABLE perubahan_nilai;

ALTER TABLE perubahan_nilai_baru RENAME TO perubahan_nilai;

CREATE INDEX perubahan_nilai_submission ON perubahan_nilai (submission_id);
