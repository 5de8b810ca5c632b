-- Foundation schema: reference data, settings, submissions and the fact tables.
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE wilayah (
    kode VARCHAR PRIMARY KEY,           -- Kemendagri code: '19' or '19.01'
    nama VARCHAR NOT NULL,
    tingkat VARCHAR NOT NULL CHECK (tingkat IN ('provinsi', 'kabupaten/kota')),
    jenis VARCHAR NOT NULL,             -- Provinsi, Kabupaten, Kota
    kode_provinsi VARCHAR NOT NULL
);

CREATE TABLE opd (
    kode VARCHAR PRIMARY KEY,           -- short key, e.g. 'dinkes'
    nama VARCHAR NOT NULL UNIQUE,
    singkatan VARCHAR NOT NULL
);

CREATE TABLE layanan (
    kode VARCHAR PRIMARY KEY,           -- e.g. 'KES-K-01', as in the catalog
    tingkat VARCHAR NOT NULL CHECK (tingkat IN ('provinsi', 'kabupaten/kota')),
    urusan VARCHAR NOT NULL,
    nama VARCHAR NOT NULL,
    opd_pengampu VARCHAR NOT NULL,
    kode_opd VARCHAR,
    dasar_hukum VARCHAR,
    satuan_penerima VARCHAR NOT NULL,
    mutu_barang_jasa VARCHAR NOT NULL,
    mutu_sdm VARCHAR NOT NULL,
    urutan INTEGER NOT NULL
);

CREATE TABLE ikk (
    kode_ikk VARCHAR PRIMARY KEY,
    urusan VARCHAR NOT NULL,
    nama VARCHAR NOT NULL,
    jenis VARCHAR NOT NULL CHECK (jenis IN ('outcome', 'output')),
    cara_hitung VARCHAR NOT NULL CHECK (cara_hitung IN ('rasio', 'langsung', 'ceklis')),
    pembilang VARCHAR,
    penyebut VARCHAR,
    satuan VARCHAR,
    sampel BOOLEAN NOT NULL DEFAULT false,
    urutan INTEGER NOT NULL
);

-- Settings are versioned documents: the newest version is in force.
CREATE TABLE setting_version (
    versi INTEGER PRIMARY KEY,
    dibuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    dibuat_oleh VARCHAR NOT NULL,
    catatan VARCHAR,
    nilai JSON NOT NULL
);

CREATE SEQUENCE submission_id_seq START 1;

-- Every accepted upload (or demo load) is a submission: who, when, what, status.
CREATE TABLE submission (
    id BIGINT PRIMARY KEY DEFAULT nextval('submission_id_seq'),
    form VARCHAR NOT NULL CHECK (form IN ('spm-kabkota', 'spm-provinsi', 'lppd-ikk')),
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER CHECK (triwulan BETWEEN 1 AND 4),
    kode_opd VARCHAR,
    nama_berkas VARCHAR,
    sha256 VARCHAR,
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'diajukan'
        CHECK (status IN ('draf', 'diajukan', 'diverifikasi', 'dikembalikan', 'final')),
    terlambat BOOLEAN NOT NULL DEFAULT false,
    jumlah_baris INTEGER NOT NULL DEFAULT 0,
    jumlah_baru INTEGER NOT NULL DEFAULT 0,
    jumlah_berubah INTEGER NOT NULL DEFAULT 0,
    jumlah_sama INTEGER NOT NULL DEFAULT 0,
    catatan VARCHAR
);

-- SPM facts: one row per region x service x year x triwulan (cumulative in the year).
CREATE TABLE spm_data (
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL CHECK (triwulan BETWEEN 1 AND 4),
    kode_layanan VARCHAR NOT NULL,
    jumlah_sasaran BIGINT,
    jumlah_terlayani BIGINT,
    mutu_barang_jasa_kebutuhan BIGINT,
    mutu_barang_jasa_tersedia BIGINT,
    mutu_sdm_kebutuhan BIGINT,
    mutu_sdm_tersedia BIGINT,
    anggaran_rencana DECIMAL(18, 2),
    anggaran_realisasi DECIMAL(18, 2),
    tahap_pengumpulan_data BOOLEAN,
    tahap_penghitungan_kebutuhan BOOLEAN,
    tahap_penyusunan_rencana BOOLEAN,
    tahap_pelaksanaan BOOLEAN,
    permasalahan VARCHAR,
    solusi VARCHAR,
    submission_id BIGINT NOT NULL,
    PRIMARY KEY (kode_wilayah, tahun, triwulan, kode_layanan)
);

-- LPPD IKK facts: one row per region x IKK x year.
CREATE TABLE lppd_data (
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    kode_ikk VARCHAR NOT NULL,
    pembilang DOUBLE,
    penyebut DOUBLE,
    capaian DOUBLE,
    data_dukung VARCHAR,
    keterangan VARCHAR,
    submission_id BIGINT NOT NULL,
    PRIMARY KEY (kode_wilayah, tahun, kode_ikk)
);

CREATE SEQUENCE audit_log_id_seq START 1;

-- Who did what, when: logins, uploads, status changes, settings and user changes.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id_seq'),
    waktu TIMESTAMP NOT NULL DEFAULT current_timestamp,
    pengguna VARCHAR NOT NULL,
    aksi VARCHAR NOT NULL,
    objek VARCHAR,
    sebelum JSON,
    sesudah JSON,
    keterangan VARCHAR
);
