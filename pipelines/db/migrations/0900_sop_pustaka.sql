-- A library of procedures, and cycles per procedure and per region.
--
-- Until now the tracker held one SOP (the Biro's) and one cycle per year. From here a
-- procedure has a code (kode_sop: 'spm-provinsi' for the Biro's SOP, 'lppd-kabkota',
-- 'lkpj-kabkota', ...) and a level (provinsi or kabupaten/kota), and a cycle is one
-- procedure run by one region for one year. Existing rows become the Biro's SOP
-- ('spm-provinsi') run by the province served (the settings in force; '19' as the
-- shipped default). The primary keys change, so the tables are rebuilt.

CREATE TABLE sop_versi_baru (
    kode_sop VARCHAR NOT NULL,
    versi INTEGER NOT NULL,
    judul VARCHAR NOT NULL,
    unit VARCHAR,
    tingkat VARCHAR NOT NULL DEFAULT 'provinsi'
        CHECK (tingkat IN ('provinsi', 'kabupaten/kota')),
    nama_berkas VARCHAR,
    sha256 VARCHAR NOT NULL,
    dokumen JSON NOT NULL,
    dimuat_oleh VARCHAR NOT NULL,
    dimuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    catatan VARCHAR,
    PRIMARY KEY (kode_sop, versi)
);
INSERT INTO sop_versi_baru (kode_sop, versi, judul, unit, tingkat, nama_berkas, sha256, dokumen,
    dimuat_oleh, dimuat_pada, catatan)
SELECT 'spm-provinsi', versi, judul, unit, 'provinsi', nama_berkas, sha256, dokumen,
    dimuat_oleh, dimuat_pada, catatan
FROM sop_versi;
DROP TABLE sop_versi;
ALTER TABLE sop_versi_baru RENAME TO sop_versi;

CREATE TABLE sop_langkah_baru (
    kode_sop VARCHAR NOT NULL,
    versi INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    judul_fase VARCHAR NOT NULL,
    tahun_relatif INTEGER NOT NULL,
    aktivitas VARCHAR NOT NULL,
    pelaku VARCHAR NOT NULL,
    pelaku_disimpulkan BOOLEAN NOT NULL DEFAULT false,
    masukan VARCHAR,
    keluaran VARCHAR,
    durasi_nilai INTEGER NOT NULL CHECK (durasi_nilai > 0),
    durasi_satuan VARCHAR NOT NULL CHECK (durasi_satuan IN ('hari', 'minggu', 'bulan')),
    PRIMARY KEY (kode_sop, versi, fase, nomor)
);
INSERT INTO sop_langkah_baru
SELECT 'spm-provinsi', versi, fase, nomor, judul_fase, tahun_relatif, aktivitas, pelaku,
    pelaku_disimpulkan, masukan, keluaran, durasi_nilai, durasi_satuan
FROM sop_langkah;
DROP TABLE sop_langkah;
ALTER TABLE sop_langkah_baru RENAME TO sop_langkah;

-- One cycle per procedure, region and year. batas_waktu: the procedure's deadline for
-- this cycle (e.g. 31 March of the year after the one reported), when it has one.
CREATE TABLE siklus_baru (
    kode_sop VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    sop_versi INTEGER NOT NULL,
    tanggal_mulai DATE NOT NULL,
    batas_waktu DATE,
    libur_nasional JSON NOT NULL,
    dimulai_oleh VARCHAR NOT NULL,
    dimulai_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (kode_sop, kode_wilayah, tahun)
);
INSERT INTO siklus_baru (kode_sop, kode_wilayah, tahun, sop_versi, tanggal_mulai, batas_waktu,
    libur_nasional, dimulai_oleh, dimulai_pada)
SELECT 'spm-provinsi',
    coalesce((SELECT json_extract_string(nilai, '$.provinsi') FROM setting_version
              ORDER BY versi DESC LIMIT 1), '19'),
    tahun, sop_versi, tanggal_mulai, NULL, libur_nasional, dimulai_oleh, dimulai_pada
FROM siklus;
DROP TABLE siklus;
ALTER TABLE siklus_baru RENAME TO siklus;

CREATE TABLE siklus_langkah_baru (
    kode_sop VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    tahun_laporan INTEGER NOT NULL,
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
    selesai_otomatis VARCHAR,
    diubah_oleh VARCHAR,
    diubah_pada TIMESTAMP,
    PRIMARY KEY (kode_sop, kode_wilayah, tahun, fase, nomor)
);
INSERT INTO siklus_langkah_baru
SELECT 'spm-provinsi', s.kode_wilayah, l.tahun, l.fase, l.nomor, l.tahun_laporan, l.judul_fase,
    l.aktivitas, l.pelaku, l.masukan, l.keluaran, l.durasi_nilai, l.durasi_satuan,
    l.rencana_mulai, l.rencana_selesai, l.mulai, l.selesai, l.status, l.penanggung_jawab,
    l.selesai_otomatis, l.diubah_oleh, l.diubah_pada
FROM siklus_langkah l JOIN siklus s ON s.kode_sop = 'spm-provinsi' AND s.tahun = l.tahun;
DROP TABLE siklus_langkah;
ALTER TABLE siklus_langkah_baru RENAME TO siklus_langkah;

CREATE TABLE siklus_perbaikan_baru (
    kode_sop VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    ke INTEGER NOT NULL,
    mulai DATE NOT NULL,
    selesai DATE,
    alasan VARCHAR,
    dicatat_oleh VARCHAR NOT NULL,
    PRIMARY KEY (kode_sop, kode_wilayah, tahun, fase, nomor, ke)
);
INSERT INTO siklus_perbaikan_baru
SELECT 'spm-provinsi', s.kode_wilayah, p.tahun, p.fase, p.nomor, p.ke, p.mulai, p.selesai,
    p.alasan, p.dicatat_oleh
FROM siklus_perbaikan p JOIN siklus s ON s.kode_sop = 'spm-provinsi' AND s.tahun = p.tahun;
DROP TABLE siklus_perbaikan;
ALTER TABLE siklus_perbaikan_baru RENAME TO siklus_perbaikan;

CREATE TABLE siklus_catatan_baru (
    id BIGINT PRIMARY KEY DEFAULT nextval('siklus_catatan_id_seq'),
    kode_sop VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    fase VARCHAR NOT NULL,
    nomor INTEGER NOT NULL,
    isi VARCHAR NOT NULL,
    ditulis_oleh VARCHAR NOT NULL,
    ditulis_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);
INSERT INTO siklus_catatan_baru
SELECT c.id, 'spm-provinsi', s.kode_wilayah, c.tahun, c.fase, c.nomor, c.isi, c.ditulis_oleh,
    c.ditulis_pada
FROM siklus_catatan c JOIN siklus s ON s.kode_sop = 'spm-provinsi' AND s.tahun = c.tahun;
DROP TABLE siklus_catatan;
ALTER TABLE siklus_catatan_baru RENAME TO siklus_catatan;

CREATE TABLE siklus_bukti_baru (
    id BIGINT PRIMARY KEY DEFAULT nextval('siklus_bukti_id_seq'),
    kode_sop VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
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
INSERT INTO siklus_bukti_baru
SELECT b.id, 'spm-provinsi', s.kode_wilayah, b.tahun, b.fase, b.nomor, b.nama_berkas, b.sha256,
    b.ukuran, b.keterangan, b.diunggah_oleh, b.diunggah_pada
FROM siklus_bukti b JOIN siklus s ON s.kode_sop = 'spm-provinsi' AND s.tahun = b.tahun;
DROP TABLE siklus_bukti;
ALTER TABLE siklus_bukti_baru RENAME TO siklus_bukti;
