-- Reports (laporan) as versioned records: Draf -> Final. A Final report is
-- immutable (enforced by pipelines/laporan.py) and keeps the bytes of its files, the
-- data version and the settings version it was built from.
CREATE SEQUENCE laporan_id_seq START 1;

CREATE TABLE laporan (
    id BIGINT PRIMARY KEY DEFAULT nextval('laporan_id_seq'),
    jenis VARCHAR NOT NULL CHECK (jenis IN ('laporan-spm-provinsi', 'rekap-kabkota')),
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL CHECK (triwulan BETWEEN 1 AND 4),
    kode_wilayah VARCHAR,                -- province for the provincial package, else the region
    versi INTEGER NOT NULL,              -- 1, 2, ... per (jenis, tahun, triwulan, kode_wilayah)
    status VARCHAR NOT NULL DEFAULT 'draf' CHECK (status IN ('draf', 'final')),
    dibuat_oleh VARCHAR NOT NULL,
    dibuat_pada TIMESTAMP NOT NULL,
    difinalkan_oleh VARCHAR,
    difinalkan_pada TIMESTAMP,
    versi_data VARCHAR NOT NULL,         -- 'max_id=..;n=..;sha=..' of the submissions and rows used
    versi_setting INTEGER,               -- setting_version.versi in force when built
    isi_sha256 VARCHAR NOT NULL,         -- SHA-256 over the files' own SHA-256 in order
    catatan VARCHAR,
    UNIQUE (jenis, tahun, triwulan, kode_wilayah, versi),
    CHECK (status = 'draf' OR (difinalkan_oleh IS NOT NULL AND difinalkan_pada IS NOT NULL))
);

-- The files of each report version (workbooks, DOCX, CSV), byte for byte.
CREATE TABLE laporan_berkas (
    laporan_id BIGINT NOT NULL,
    urutan INTEGER NOT NULL,
    nama_berkas VARCHAR NOT NULL,
    jenis_berkas VARCHAR NOT NULL,       -- xlsx, docx, csv
    judul VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    ukuran BIGINT NOT NULL,
    isi BLOB NOT NULL,
    PRIMARY KEY (laporan_id, urutan)
);

CREATE SEQUENCE laporan_ekspor_id_seq START 1;

-- Every export bundle (ZIP) made for the Pusat from a Final report.
CREATE TABLE laporan_ekspor (
    id BIGINT PRIMARY KEY DEFAULT nextval('laporan_ekspor_id_seq'),
    laporan_id BIGINT NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER,
    dibuat_oleh VARCHAR NOT NULL,
    dibuat_pada TIMESTAMP NOT NULL,
    sha256 VARCHAR NOT NULL,
    nama_berkas VARCHAR NOT NULL
);
