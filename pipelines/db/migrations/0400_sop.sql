-- The Biro Pemerintahan SOP as versioned data, and the yearly cycle built from it.

-- Each load of an SOP document (the shipped YAML or another province's) is a version;
-- the newest is in force for cycles started afterwards.
CREATE TABLE sop_versi (
    versi INTEGER PRIMARY KEY,
    judul VARCHAR NOT NULL,
    unit VARCHAR,
    nama_berkas VARCHAR,
    sha256 VARCHAR NOT NULL,
    dokumen JSON NOT NULL,              -- the whole document (legal basis, warnings, ...)
    dimuat_oleh VARCHAR NOT NULL,
    dimuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    catatan VARCHAR
);

CREATE TABLE sop_langkah (
    versi INTEGER NOT NULL,
    fase VARCHAR NOT NULL,              -- 'A', 'B'
    nomor INTEGER NOT NULL,
    judul_fase VARCHAR NOT NULL,
    tahun_relatif INTEGER NOT NULL,     -- 0: the cycle's year, -1: the year before
    aktivitas VARCHAR NOT NULL,
    pelaku VARCHAR NOT NULL,
    pelaku_disimpulkan BOOLEAN NOT NULL DEFAULT false,
    masukan VARCHAR,
    keluaran VARCHAR,
    durasi_nilai INTEGER NOT NULL CHECK (durasi_nilai > 0),
    durasi_satuan VARCHAR NOT NULL CHECK (durasi_satuan IN ('hari', 'minggu', 'bulan')),
    PRIMARY KEY (versi, fase, nomor)
);

-- One cycle per year: phase A implements year Y, phase B reports year Y-1.
CREATE TABLE siklus (
    tahun INTEGER PRIMARY KEY,
    sop_versi INTEGER NOT NULL,
    tanggal_mulai DATE NOT NULL,
    libur_nasional JSON NOT NULL,       -- the holidays the plan was computed with
    dimulai_oleh VARCHAR NOT NULL,
    dimulai_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The cycle's steps: a copy of the SOP step (so a later SOP version does not change
-- a running cycle), its plan and what actually happened.
CREATE TABLE siklus_langkah (
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    tahun_laporan INTEGER NOT NULL,     -- the fiscal year the step is about
    judul_fase VARCHAR NOT NULL,
    aktivitas VARCHAR NOT NULL,
    pelaku VARCHAR NOT NULL,
    masukan VARCHAR,
    keluaran VARCHAR,
    durasi_nilai INTEGER NOT NULL,
    durasi_satuan VARCHAR NOT NULL,
    rencana_mulai DATE NOT NULL,
    rencana_selesai DATE NOT NULL,
    mulai DATE,
    selesai DATE,
    status VARCHAR NOT NULL DEFAULT 'belum mulai'
        CHECK (status IN ('belum mulai', 'berjalan', 'menunggu perbaikan', 'selesai')),
    penanggung_jawab VARCHAR,
    selesai_otomatis VARCHAR,           -- what the system saw when it completed the step
    diubah_oleh VARCHAR,
    diubah_pada TIMESTAMP,
    PRIMARY KEY (tahun, fase, nomor)
);

-- Periods a step's document was sent back for revision ("menunggu perbaikan");
-- excluded from the step's measured time, as the SOP's warning says.
CREATE TABLE siklus_perbaikan (
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    ke INTEGER NOT NULL,                -- 1st, 2nd, ... revision of the step
    mulai DATE NOT NULL,
    selesai DATE,
    alasan VARCHAR,
    dicatat_oleh VARCHAR NOT NULL,
    PRIMARY KEY (tahun, fase, nomor, ke)
);

CREATE SEQUENCE siklus_catatan_id_seq START 1;

CREATE TABLE siklus_catatan (
    id BIGINT PRIMARY KEY DEFAULT nextval('siklus_catatan_id_seq'),
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    isi VARCHAR NOT NULL,
    ditulis_oleh VARCHAR NOT NULL,
    ditulis_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE siklus_bukti_id_seq START 1;

-- Evidence files (SK, notulen, drafts): the bytes live in the store by SHA-256.
CREATE TABLE siklus_bukti (
    id BIGINT PRIMARY KEY DEFAULT nextval('siklus_bukti_id_seq'),
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    nama_berkas VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    ukuran BIGINT NOT NULL,
    keterangan VARCHAR,
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);
