-- Submissions an administrator withdrew (a file sent by mistake, e.g. for 2099): the
-- submission row as it was, who withdrew it, when and why, and everything that pointed
-- at it (history, comments, warnings, changed values) as JSON. The submission itself
-- and its data leave every figure; the original file stays in the store.
CREATE TABLE submission_ditarik (
    id BIGINT PRIMARY KEY,               -- the withdrawn submission's id
    form VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER,
    kode_opd VARCHAR,
    nama_berkas VARCHAR,
    sha256 VARCHAR,
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    alasan VARCHAR NOT NULL,
    ditarik_oleh VARCHAR NOT NULL,
    ditarik_pada TIMESTAMP NOT NULL,
    baris_dihapus INTEGER NOT NULL,
    baris_dipulihkan INTEGER NOT NULL,
    rekaman JSON
);
