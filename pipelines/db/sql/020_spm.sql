-- SPM achievement, computed once (method: shared/reference/domain.md).
--   capaian_penerima = min(terlayani / sasaran, 1) * 100           (NULL when sasaran = 0)
--   capaian_mutu     = from the mutu items with kebutuhan > 0 (B.1 barang/jasa, B.2 SDM),
--                      by the setting metode_mutu:
--       'per_kelompok' (default): per kelompok sum(min(tersedia, kebutuhan)) / sum(kebutuhan)
--                      * 100, then the mean of the kelompok that have such an item
--                      (with one item per kelompok: the mean of the pairs' capped ratios)
--       'per_item'   : the mean over the items of min(tersedia / kebutuhan, 1) * 100
--                      a service without such an item has no capaian_mutu, or 0 when the
--                      setting tanpa_mutu is 'nol' (then nilai is at most bobot_penerima * 100)
--   nilai            = bobot_penerima * capaian_penerima + bobot_mutu * capaian_mutu
--                      (capaian_penerima alone when the service has no capaian_mutu)
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

-- The mutu item catalog in force (the newest version; `spm catalog load-mutu`).
CREATE OR REPLACE VIEW v_mutu_item AS
SELECT * EXCLUDE (versi), versi AS versi_katalog
FROM mutu_item
WHERE versi = (SELECT max(versi) FROM mutu_katalog);

-- Mutu inputs, one row per item: the rows of spm_mutu and, for a kelompok of a region,
-- period and service without item rows, today's pair of spm_data as that kelompok's one
-- item (B1 barang/jasa, B2 SDM: the codes of the default catalog).
CREATE OR REPLACE VIEW v_spm_mutu_item AS
WITH pasangan AS (
    SELECT kode_wilayah, tahun, triwulan, kode_layanan, 'barang_jasa' AS kelompok,
        'B1' AS kode_item, mutu_barang_jasa_kebutuhan AS kebutuhan,
        mutu_barang_jasa_tersedia AS tersedia, submission_id
    FROM spm_data
    WHERE mutu_barang_jasa_kebutuhan IS NOT NULL OR mutu_barang_jasa_tersedia IS NOT NULL
    UNION ALL
    SELECT kode_wilayah, tahun, triwulan, kode_layanan, 'sdm', 'B2', mutu_sdm_kebutuhan,
        mutu_sdm_tersedia, submission_id
    FROM spm_data
    WHERE mutu_sdm_kebutuhan IS NOT NULL OR mutu_sdm_tersedia IS NOT NULL
)
SELECT kode_wilayah, tahun, triwulan, kode_layanan, kelompok, kode_item, kebutuhan, tersedia,
    submission_id
FROM spm_mutu
UNION ALL
SELECT p.* FROM pasangan p
ANTI JOIN spm_mutu m USING (kode_wilayah, tahun, triwulan, kode_layanan, kelompok);

-- Per region x period x service: the mutu items summed per kelompok (kebutuhan and
-- tersedia as entered; the shortfall sum(max(kebutuhan - tersedia, 0))), the capaian of
-- each kelompok, and the mean over items (the two methods of capaian_mutu).
CREATE OR REPLACE VIEW v_spm_mutu_layanan AS
WITH i AS (
    SELECT *, kebutuhan > 0 AS dinilai,
        least(coalesce(tersedia, 0), kebutuhan) AS terpenuhi
    FROM v_spm_mutu_item
)
SELECT
    kode_wilayah, tahun, triwulan, kode_layanan,
    sum(kebutuhan) FILTER (WHERE kelompok = 'barang_jasa')::BIGINT AS mutu_barang_jasa_kebutuhan,
    sum(tersedia) FILTER (WHERE kelompok = 'barang_jasa')::BIGINT AS mutu_barang_jasa_tersedia,
    sum(kebutuhan) FILTER (WHERE kelompok = 'sdm')::BIGINT AS mutu_sdm_kebutuhan,
    sum(tersedia) FILTER (WHERE kelompok = 'sdm')::BIGINT AS mutu_sdm_tersedia,
    sum(terpenuhi) FILTER (WHERE kelompok = 'barang_jasa' AND dinilai)::DOUBLE
        / sum(kebutuhan) FILTER (WHERE kelompok = 'barang_jasa' AND dinilai) * 100
        AS capaian_mutu_barang_jasa,
    sum(terpenuhi) FILTER (WHERE kelompok = 'sdm' AND dinilai)::DOUBLE
        / sum(kebutuhan) FILTER (WHERE kelompok = 'sdm' AND dinilai) * 100 AS capaian_mutu_sdm,
    sum(kebutuhan - terpenuhi) FILTER (WHERE kelompok = 'barang_jasa' AND dinilai)::BIGINT
        AS kekurangan_mutu_barang_jasa,
    sum(kebutuhan - terpenuhi) FILTER (WHERE kelompok = 'sdm' AND dinilai)::BIGINT
        AS kekurangan_mutu_sdm,
    rata(CASE WHEN dinilai THEN terpenuhi::DOUBLE / kebutuhan * 100 END)
        AS capaian_mutu_per_item,
    count(*) AS jumlah_item_mutu,
    count(*) FILTER (WHERE dinilai) AS jumlah_item_mutu_dinilai
FROM i
GROUP BY kode_wilayah, tahun, triwulan, kode_layanan;

CREATE OR REPLACE VIEW v_spm_layanan AS
WITH base AS (
    SELECT
        d.* REPLACE (
            m.mutu_barang_jasa_kebutuhan AS mutu_barang_jasa_kebutuhan,
            m.mutu_barang_jasa_tersedia AS mutu_barang_jasa_tersedia,
            m.mutu_sdm_kebutuhan AS mutu_sdm_kebutuhan,
            m.mutu_sdm_tersedia AS mutu_sdm_tersedia
        ),
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
        m.capaian_mutu_barang_jasa,
        m.capaian_mutu_sdm,
        m.kekurangan_mutu_barang_jasa,
        m.kekurangan_mutu_sdm,
        m.capaian_mutu_per_item,
        coalesce(m.jumlah_item_mutu, 0) AS jumlah_item_mutu,
        coalesce(m.jumlah_item_mutu_dinilai, 0) AS jumlah_item_mutu_dinilai
    FROM spm_data d
    JOIN wilayah w ON w.kode = d.kode_wilayah
    JOIN layanan l ON l.kode = d.kode_layanan
    LEFT JOIN submission s ON s.id = d.submission_id
    LEFT JOIN v_spm_mutu_layanan m ON m.kode_wilayah = d.kode_wilayah AND m.tahun = d.tahun
        AND m.triwulan = d.triwulan AND m.kode_layanan = d.kode_layanan
),
mutu AS (
    SELECT
        b.*,
        CASE
            WHEN b.jumlah_item_mutu_dinilai = 0 THEN
                CASE WHEN st.tanpa_mutu = 'nol' THEN 0.0 END
            WHEN st.metode_mutu = 'per_item' THEN b.capaian_mutu_per_item
            ELSE (coalesce(b.capaian_mutu_barang_jasa, 0) + coalesce(b.capaian_mutu_sdm, 0))
                 / ((b.capaian_mutu_barang_jasa IS NOT NULL)::INTEGER
                    + (b.capaian_mutu_sdm IS NOT NULL)::INTEGER)
        END AS capaian_mutu,
        st.metode_mutu,
        st.tanpa_mutu
    FROM base b CROSS JOIN v_setting_aktif st
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

-- The figures built on v_spm_layanan are table macros taking
--   src      : 'v' reads the views (v_spm_layanan, ...), 'm' the tables that hold their
--              results (m_spm_layanan, ...; pipelines/capaian/materi.py): one definition
--              for the views and for the tables the readers read;
--   p_tahun  : a list of years, NULL = all;  p_wilayah: a list of region codes, NULL = all.
-- Each view is its macro over the views, every year and region.
CREATE OR REPLACE MACRO di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah) AS
    (p_tahun IS NULL OR list_contains(p_tahun, tahun))
    AND (p_wilayah IS NULL OR list_contains(p_wilayah, kode_wilayah));

-- Per urusan: mean of its services' nilai (services without sasaran left out).
CREATE OR REPLACE MACRO spm_urusan(src, p_tahun, p_wilayah) AS TABLE
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
    FROM query_table(src || '_spm_layanan')
    WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
    GROUP BY kode_wilayah, tahun, triwulan, urusan
)
SELECT a.*, k.kategori
FROM agg a
LEFT JOIN v_kategori k
    ON round(a.nilai, 6) >= k.batas_bawah AND round(a.nilai, 6) < k.batas_atas;

CREATE OR REPLACE VIEW v_spm_urusan AS SELECT * FROM spm_urusan('v', NULL, NULL);

-- IP-SPM of a region: mean of its urusan.
CREATE OR REPLACE MACRO spm_wilayah(src, p_tahun, p_wilayah) AS TABLE
WITH agg AS (
    SELECT
        kode_wilayah, any_value(nama_wilayah) AS nama_wilayah,
        any_value(tingkat_wilayah) AS tingkat_wilayah, tahun, triwulan,
        rata(nilai) AS nilai,
        count(*) AS jumlah_urusan,
        count(nilai) AS jumlah_urusan_dinilai,
        any_value(versi_setting) AS versi_setting,
        arg_min(status_submission, status_urutan(status_submission)) AS status_submission
    FROM query_table(src || '_spm_urusan')
    WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
    GROUP BY kode_wilayah, tahun, triwulan
)
SELECT a.*, k.kategori
FROM agg a
LEFT JOIN v_kategori k
    ON round(a.nilai, 6) >= k.batas_bawah AND round(a.nilai, 6) < k.batas_atas;

CREATE OR REPLACE VIEW v_spm_wilayah AS SELECT * FROM spm_wilayah('v', NULL, NULL);
