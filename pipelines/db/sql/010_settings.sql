-- The settings version in force (the newest) with its numeric parameters unpacked.
CREATE OR REPLACE VIEW v_setting_aktif AS
SELECT
    versi,
    nilai,
    CAST(json_extract(nilai, '$.bobot_penerima') AS DOUBLE) AS bobot_penerima,
    CAST(json_extract(nilai, '$.bobot_mutu') AS DOUBLE) AS bobot_mutu,
    -- how the mutu items make capaian_mutu (020_spm.sql); older versions lack them
    coalesce(json_extract_string(nilai, '$.metode_mutu'), 'per_kelompok') AS metode_mutu,
    coalesce(json_extract_string(nilai, '$.tanpa_mutu'), 'penerima_saja') AS tanpa_mutu,
    json_extract_string(nilai, '$.provinsi') AS kode_provinsi
FROM setting_version
ORDER BY versi DESC
LIMIT 1;

-- Category bands of the settings in force: a nilai belongs to the band with the
-- highest lower bound (batas_bawah) not above it, i.e. batas_bawah <= nilai < batas_atas
-- (batas_atas = the next band's lower bound, infinity for the top band).
CREATE OR REPLACE VIEW v_kategori AS
WITH bands AS (
    SELECT unnest(
        from_json(json_extract(nilai, '$.kategori'), '[{"nama": "VARCHAR", "min": "DOUBLE"}]')
    ) AS band
    FROM v_setting_aktif
)
SELECT
    band.nama AS kategori,
    band.min AS batas_bawah,
    row_number() OVER (ORDER BY band.min DESC) AS peringkat,
    coalesce(lag(band.min) OVER (ORDER BY band.min DESC), 'infinity'::DOUBLE) AS batas_atas
FROM bands;
