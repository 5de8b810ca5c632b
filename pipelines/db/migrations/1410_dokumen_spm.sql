-- Documents of SPM implementation (issue 14, point 5). The bytes live in the file store's
-- evidence folder by SHA-256 (pipelines/db/files.py), as SOP evidence does.
--
-- dokumen_spm: per region and year the SK Tim Penerapan SPM (jenis 'tim') and the
-- Rencana Aksi (Perkada; jenis 'rencana-aksi'), with the decree's number and date,
-- reviewed like submissions: diajukan -> diverifikasi, or dikembalikan with a comment.
-- A fixed document is uploaded again as a new row; every row is kept (the audit log
-- holds who changed which status when). sha256 and ukuran are NULL only in the demo's
-- records, which carry no file (as the demo's submissions keep no original).
CREATE SEQUENCE dokumen_spm_id_seq START 1;
CREATE TABLE dokumen_spm (
    id BIGINT PRIMARY KEY DEFAULT nextval('dokumen_spm_id_seq'),
    jenis VARCHAR NOT NULL CHECK (jenis IN ('tim', 'rencana-aksi')),
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    nomor VARCHAR NOT NULL,
    tanggal DATE NOT NULL,
    nama_berkas VARCHAR NOT NULL,
    sha256 VARCHAR,
    ukuran BIGINT,
    status VARCHAR NOT NULL CHECK (status IN ('diajukan', 'diverifikasi', 'dikembalikan')),
    komentar VARCHAR,
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    diperiksa_oleh VARCHAR,
    diperiksa_pada TIMESTAMP
);

-- dokumen_tahapan: the data dukung of one of the four tahapan (the tahap_* columns of the
-- SPM form) of a service, per region and year; several files may support one tahap
-- (sha256 NULL: a demo record without a file).
CREATE SEQUENCE dokumen_tahapan_id_seq START 1;
CREATE TABLE dokumen_tahapan (
    id BIGINT PRIMARY KEY DEFAULT nextval('dokumen_tahapan_id_seq'),
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    kode_layanan VARCHAR NOT NULL,
    tahap VARCHAR NOT NULL CHECK (tahap IN ('tahap_pengumpulan_data',
        'tahap_penghitungan_kebutuhan', 'tahap_penyusunan_rencana', 'tahap_pelaksanaan')),
    nama_berkas VARCHAR NOT NULL,
    sha256 VARCHAR,
    ukuran BIGINT,
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);
