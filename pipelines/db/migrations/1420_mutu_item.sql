-- Mutu items (issue 14, point 1): the catalog of B.1 barang/jasa and B.2 SDM items per
-- service, versioned (the newest version is in force), and the item values.
--
-- A service's kelompok without item rows keeps today's layout: the pair of spm_data
-- (mutu_barang_jasa_kebutuhan/tersedia, mutu_sdm_kebutuhan/tersedia) is that kelompok's
-- one item (codes B1 and B2 of the default catalog); view v_spm_mutu_item in
-- 020_spm.sql reads both, so existing data keeps every figure.
CREATE TABLE mutu_katalog (
    versi INTEGER PRIMARY KEY,
    dimuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    dimuat_oleh VARCHAR NOT NULL,
    berkas VARCHAR,                       -- NULL: the default catalog (one item per kelompok)
    catatan VARCHAR
);

CREATE TABLE mutu_item (
    versi INTEGER NOT NULL,
    kode_layanan VARCHAR NOT NULL,
    kelompok VARCHAR NOT NULL CHECK (kelompok IN ('barang_jasa', 'sdm')),
    kode_item VARCHAR NOT NULL,
    nama_item VARCHAR NOT NULL,
    satuan VARCHAR,
    sampel BOOLEAN NOT NULL DEFAULT false,  -- from the shipped sample, not a regulation
    urutan INTEGER NOT NULL,
    PRIMARY KEY (versi, kode_layanan, kode_item)
);

-- Item values: one row per region x period x service x item (cumulative in the year).
CREATE TABLE spm_mutu (
    kode_wilayah VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL CHECK (triwulan BETWEEN 1 AND 4),
    kode_layanan VARCHAR NOT NULL,
    kode_item VARCHAR NOT NULL,
    kelompok VARCHAR NOT NULL CHECK (kelompok IN ('barang_jasa', 'sdm')),
    kebutuhan BIGINT,
    tersedia BIGINT,
    submission_id BIGINT NOT NULL,
    PRIMARY KEY (kode_wilayah, tahun, triwulan, kode_layanan, kode_item)
);

-- An existing database gets the default catalog at once (a new one gets it from
-- `spm init`, pipelines/core/mutu.py, once the service catalog is loaded): one item per
-- kelompok per service, named as the service catalog names the kelompok.
INSERT INTO mutu_katalog (versi, dimuat_oleh, berkas, catatan)
SELECT 1, 'sistem', NULL, 'Katalog bawaan: satu item per kelompok'
WHERE EXISTS (SELECT 1 FROM layanan);

INSERT INTO mutu_item (versi, kode_layanan, kelompok, kode_item, nama_item, satuan, urutan)
SELECT 1, kode, k.kelompok, k.kode_item,
    CASE k.kelompok WHEN 'barang_jasa' THEN mutu_barang_jasa ELSE mutu_sdm END, NULL,
    urutan * 2 + k.nomor
FROM layanan,
    (VALUES ('barang_jasa', 'B1', 0), ('sdm', 'B2', 1)) k(kelompok, kode_item, nomor)
WHERE EXISTS (SELECT 1 FROM mutu_katalog WHERE versi = 1);
