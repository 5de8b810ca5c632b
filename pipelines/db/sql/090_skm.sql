-- Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017), per unit and year, from the
-- answers of each unit's upload in force (skm_unggah.status = 'berlaku').
--
-- NRR per unsur = mean of its answered values (1-4; an empty answer is left out);
-- IKM = sum over the nine unsur of NRR x bobot (setting skm_bobot_unsur, 1/9), x 25,
-- only when every unsur has at least one answer; mutu and kinerja from the bands of
-- the setting skm_mutu, applied to the IKM rounded to two decimals as published.

CREATE OR REPLACE VIEW v_skm_mutu AS
WITH bands AS (
    SELECT unnest(from_json(json_extract(nilai, '$.skm_mutu'),
        '[{"mutu": "VARCHAR", "kinerja": "VARCHAR", "min": "DOUBLE"}]')) AS band
    FROM v_setting_aktif
)
SELECT
    band.mutu AS mutu,
    band.kinerja AS kinerja,
    band.min AS batas_bawah,
    coalesce(lag(band.min) OVER (ORDER BY band.min DESC), 'infinity'::DOUBLE) AS batas_atas
FROM bands;

CREATE OR REPLACE VIEW v_skm_respon AS
SELECT r.*
FROM skm_respon r
JOIN skm_unggah u ON u.id = r.unggah_id AND u.status = 'berlaku';

CREATE OR REPLACE VIEW v_skm_unit AS
WITH per_unit AS (
    SELECT
        kode_unit,
        tahun,
        count(*) AS jumlah_responden,
        avg(u1) AS nrr_u1, avg(u2) AS nrr_u2, avg(u3) AS nrr_u3,
        avg(u4) AS nrr_u4, avg(u5) AS nrr_u5, avg(u6) AS nrr_u6,
        avg(u7) AS nrr_u7, avg(u8) AS nrr_u8, avg(u9) AS nrr_u9,
        count(u1) + count(u2) + count(u3) + count(u4) + count(u5) + count(u6) + count(u7)
            + count(u8) + count(u9) AS jumlah_jawaban,
        min(tanggal) AS tanggal_awal,
        max(tanggal) AS tanggal_akhir
    FROM v_skm_respon
    GROUP BY kode_unit, tahun
),
bobot AS (
    SELECT coalesce(CAST(json_extract(nilai, '$.skm_bobot_unsur') AS DOUBLE), 1.0 / 9)
        AS bobot_unsur, versi
    FROM v_setting_aktif
),
scored AS (
    SELECT
        p.*,
        b.bobot_unsur,
        b.versi AS versi_setting,
        (p.nrr_u1 + p.nrr_u2 + p.nrr_u3 + p.nrr_u4 + p.nrr_u5 + p.nrr_u6 + p.nrr_u7
            + p.nrr_u8 + p.nrr_u9) * b.bobot_unsur * 25 AS ikm
    FROM per_unit p CROSS JOIN bobot b
)
SELECT
    s.kode_unit,
    coalesce(o.nama, l.nama, s.kode_unit) AS nama_unit,
    s.tahun,
    s.jumlah_responden,
    s.nrr_u1, s.nrr_u2, s.nrr_u3, s.nrr_u4, s.nrr_u5, s.nrr_u6, s.nrr_u7, s.nrr_u8, s.nrr_u9,
    s.ikm,
    m.mutu,
    m.kinerja,
    s.jumlah_jawaban,
    s.tanggal_awal,
    s.tanggal_akhir,
    s.bobot_unsur,
    s.versi_setting
FROM scored s
LEFT JOIN opd o ON o.kode = s.kode_unit
LEFT JOIN unit_layanan l ON l.kode = s.kode_unit
LEFT JOIN v_skm_mutu m
    ON round(s.ikm, 2) >= m.batas_bawah AND round(s.ikm, 2) < m.batas_atas;

-- The same per unsur (one row per unit, year and unsur), for "which unsur to improve".
CREATE OR REPLACE VIEW v_skm_unsur AS
SELECT kode_unit, nama_unit, tahun, CAST(substr(unsur, 6) AS INTEGER) AS nomor_unsur, nrr
FROM (
    UNPIVOT (SELECT kode_unit, nama_unit, tahun, nrr_u1, nrr_u2, nrr_u3, nrr_u4, nrr_u5,
                    nrr_u6, nrr_u7, nrr_u8, nrr_u9 FROM v_skm_unit)
    ON nrr_u1, nrr_u2, nrr_u3, nrr_u4, nrr_u5, nrr_u6, nrr_u7, nrr_u8, nrr_u9
    INTO NAME unsur VALUE nrr
);
