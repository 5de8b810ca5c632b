-- SPM achievement, computed once (method: shared/reference/domain.md).
--   capaian_penerima = min(terlayani / sasaran, 1) * 100           (NULL when sasaran = 0)
--   capaian_mutu     = mean over pairs with kebutuhan > 0 of min(tersedia / kebutuhan, 1) * 100
--   nilai            = bobot_penerima * capaian_penerima + bobot_mutu * capaian_mutu
--                      (capaian_penerima alone when the service has no mutu pair)
-- A service with sasaran 0 has no nilai ("tidak ada sasaran") and is left out of means.
-- A figure made of several submissions carries the least advanced status among them
-- (draf < dikembalikan < diajukan < diverifikasi < final): "final" only when all are.

-- Mean that gives the same bits whatever order the rows arrive in (an exact decimal
-- sum), so a report rebuilt from the same data is byte-for-byte the same.
CREATE OR REPLACE MACRO rata(x) AS CAST(avg(CAST(x AS DECIMAL(38, 12))) AS DOUBLE);

CREATE OR REPLACE MACRO status_urutan(status) AS
    CASE status
        WHEN 'draf' THEN 0 WHEN 'dikembalikan' THEN 1 WHEN 'diajukan' THEN 2
        WHEN 'diverifikasi' THEN 3 WHEN 'final' THEN 4
    END;

-- nilai of a service from its capaian and the weights (also the projection's nilai).
CREATE OR REPLACE MACRO nilai_layanan(penerima, mutu, bobot_penerima, bobot_mutu) AS
    CASE
        WHEN penerima IS NULL THEN NULL
        WHEN mutu IS NULL THEN penerima
        ELSE bobot_penerima * penerima + bobot_mutu * mutu
    END;

CREATE OR REPLACE VIEW v_spm_layanan AS
WITH base AS (
    SELECT
        d.*,
        w.nama AS nama_wilayah,
        w.tingkat AS tingkat_wilayah,
        l.urusan,
        l.nama AS nama_layanan,
        l.opd_pengampu,
        l.urutan AS urutan_layanan,
        s.status AS status_submission,
        CASE WHEN d.jumlah_sasaran > 0
            THEN least(d.jumlah_terlayani::DOUBLE / d.jumlah_sasaran, 1.0) * 100 END
            AS capaian_penerima,
        CASE WHEN d.mutu_barang_jasa_kebutuhan > 0
            THEN least(coalesce(d.mutu_barang_jasa_tersedia, 0)::DOUBLE
                       / d.mutu_barang_jasa_kebutuhan, 1.0) * 100 END
            AS capaian_mutu_barang_jasa,
        CASE WHEN d.mutu_sdm_kebutuhan > 0
            THEN least(coalesce(d.mutu_sdm_tersedia, 0)::DOUBLE / d.mutu_sdm_kebutuhan, 1.0) * 100
            END AS capaian_mutu_sdm
    FROM spm_data d
    JOIN wilayah w ON w.kode = d.kode_wilayah
    JOIN layanan l ON l.kode = d.kode_layanan
    LEFT JOIN submission s ON s.id = d.submission_id
),
mutu AS (
    SELECT
        *,
        CASE
            WHEN capaian_mutu_barang_jasa IS NULL AND capaian_mutu_sdm IS NULL THEN NULL
            ELSE (coalesce(capaian_mutu_barang_jasa, 0) + coalesce(capaian_mutu_sdm, 0))
                 / ((capaian_mutu_barang_jasa IS NOT NULL)::INTEGER
                    + (capaian_mutu_sdm IS NOT NULL)::INTEGER)
        END AS capaian_mutu
    FROM base
),
nilai AS (
    SELECT
        m.*,
        nilai_layanan(m.capaian_penerima, m.capaian_mutu, st.bobot_penerima, st.bobot_mutu)
            AS nilai,
        st.versi AS versi_setting
    FROM mutu m CROSS JOIN v_setting_aktif st
)
SELECT
    n.*,
    CASE WHEN n.jumlah_sasaran = 0 THEN 'Tidak ada sasaran' ELSE k.kategori END AS kategori,
    n.jumlah_sasaran = 0 AS tanpa_sasaran
FROM nilai n
LEFT JOIN v_kategori k
    ON round(n.nilai, 6) >= k.batas_bawah AND round(n.nilai, 6) < k.batas_atas;

-- Per urusan: mean of its services' nilai (services without sasaran left out).
CREATE OR REPLACE VIEW v_spm_urusan AS
WITH agg AS (
    SELECT
        kode_wilayah, any_value(nama_wilayah) AS nama_wilayah,
        any_value(tingkat_wilayah) AS tingkat_wilayah, tahun, triwulan, urusan,
        rata(nilai) AS nilai,
        count(*) AS jumlah_layanan,
        count(nilai) AS jumlah_layanan_dinilai,
        any_value(versi_setting) AS versi_setting,
        arg_min(status_submission, status_urutan(status_submission)) AS status_submission,
        count(DISTINCT submission_id) AS jumlah_submission
    FROM v_spm_layanan
    GROUP BY kode_wilayah, tahun, triwulan, urusan
)
SELECT a.*, k.kategori
FROM agg a
LEFT JOIN v_kategori k
    ON round(a.nilai, 6) >= k.batas_bawah AND round(a.nilai, 6) < k.batas_atas;

-- IP-SPM of a region: mean of its urusan.
CREATE OR REPLACE VIEW v_spm_wilayah AS
WITH agg AS (
    SELECT
        kode_wilayah, any_value(nama_wilayah) AS nama_wilayah,
        any_value(tingkat_wilayah) AS tingkat_wilayah, tahun, triwulan,
        rata(nilai) AS nilai,
        count(*) AS jumlah_urusan,
        count(nilai) AS jumlah_urusan_dinilai,
        any_value(versi_setting) AS versi_setting,
        arg_min(status_submission, status_urutan(status_submission)) AS status_submission
    FROM v_spm_urusan
    GROUP BY kode_wilayah, tahun, triwulan
)
SELECT a.*, k.kategori
FROM agg a
LEFT JOIN v_kategori k
    ON round(a.nilai, 6) >= k.batas_bawah AND round(a.nilai, 6) < k.batas_atas;
