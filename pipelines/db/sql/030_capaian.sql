-- Figures built on the core views of 020_spm.sql (method: shared/reference/domain.md):
-- change against earlier periods, the gap still to fill (kebutuhan pemenuhan) with its
-- estimated cost, the province aggregate of its kabupaten/kota, the year-end projection
-- and the LPPD IKK achievement and completeness. Every row carries the settings
-- version (versi_setting) and the status of the submission(s) behind it.

-- Category of any nilai under the bands in force, for the aggregate views: the same
-- rule as the join on v_kategori in 020_spm.sql (the band with the highest lower
-- bound not above the nilai). `pita` is v_pita_kategori.pita, bands sorted high to low.
CREATE OR REPLACE VIEW v_pita_kategori AS
SELECT list({'kategori': kategori, 'batas_bawah': batas_bawah} ORDER BY batas_bawah DESC) AS pita
FROM v_kategori;

CREATE OR REPLACE MACRO kategori_nilai(x, pita) AS
    CASE WHEN x IS NOT NULL THEN list_filter(pita, lambda b: b.batas_bawah <= round(x, 6))[1].kategori END;

-- Unit cost (Rupiah per person still to serve) per service, setting `biaya_satuan`
-- (empty by default: then no cost is estimated).
CREATE OR REPLACE VIEW v_biaya_satuan AS
SELECT
    t.kode_layanan,
    CAST(json_extract(s.nilai, '$.biaya_satuan') ->> t.kode_layanan AS DOUBLE) AS biaya_satuan,
    s.versi AS versi_setting
FROM v_setting_aktif s,
    unnest(coalesce(json_keys(json_extract(s.nilai, '$.biaya_satuan')), []::VARCHAR[]))
        AS t(kode_layanan);

-- Per region x service x year x triwulan: v_spm_layanan plus
--   kurang_terlayani            = max(jumlah_sasaran - jumlah_terlayani, 0)   (people still to serve)
--   kekurangan_mutu_barang_jasa = sum over its items of max(kebutuhan - tersedia, 0),
--                                 same for SDM (from v_spm_layanan, 020_spm.sql)
--   perkiraan_biaya             = kurang_terlayani x biaya_satuan             (NULL without a unit cost)
--   nilai_tahun_lalu / selisih_tahun_lalu      : same triwulan of the previous year
--   nilai_triwulan_lalu / selisih_triwulan_lalu: previous triwulan of the same year
--     (values are cumulative within a year, so TW1 has no previous triwulan)
--   the submission behind the row: nama_berkas, sha256, diunggah_pada, diunggah_oleh.
-- The table macros take (src, p_tahun, p_wilayah) as in 020_spm.sql; a year's rows
-- read the year before too (change against last year). The views are "all of it".
CREATE OR REPLACE MACRO di_lingkup_lalu(p_tahun, p_wilayah, tahun, kode_wilayah) AS
    (p_tahun IS NULL OR list_contains(p_tahun, tahun) OR list_contains(p_tahun, tahun + 1))
    AND (p_wilayah IS NULL OR list_contains(p_wilayah, kode_wilayah));

CREATE OR REPLACE MACRO capaian_layanan(src, p_tahun, p_wilayah) AS TABLE
WITH lalu AS (  -- narrow on purpose: keys + nilai of the periods compared against
    SELECT kode_wilayah, kode_layanan, tahun, triwulan, nilai
    FROM query_table(src || '_spm_layanan')
    WHERE di_lingkup_lalu(p_tahun, p_wilayah, tahun, kode_wilayah)
)
SELECT
    l.*,
    greatest(l.jumlah_sasaran - l.jumlah_terlayani, 0) AS kurang_terlayani,
    b.biaya_satuan,
    greatest(l.jumlah_sasaran - l.jumlah_terlayani, 0) * b.biaya_satuan AS perkiraan_biaya,
    s.nama_berkas,
    s.sha256,
    s.diunggah_pada,
    s.diunggah_oleh,
    py.nilai AS nilai_tahun_lalu,
    l.nilai - py.nilai AS selisih_tahun_lalu,
    pq.nilai AS nilai_triwulan_lalu,
    l.nilai - pq.nilai AS selisih_triwulan_lalu
FROM query_table(src || '_spm_layanan') l
LEFT JOIN v_biaya_satuan b ON b.kode_layanan = l.kode_layanan
LEFT JOIN submission s ON s.id = l.submission_id
LEFT JOIN lalu py ON py.kode_wilayah = l.kode_wilayah AND py.kode_layanan = l.kode_layanan
    AND py.tahun = l.tahun - 1 AND py.triwulan = l.triwulan
LEFT JOIN lalu pq ON pq.kode_wilayah = l.kode_wilayah AND pq.kode_layanan = l.kode_layanan
    AND pq.tahun = l.tahun AND pq.triwulan = l.triwulan - 1
WHERE di_lingkup(p_tahun, p_wilayah, l.tahun, l.kode_wilayah);

CREATE OR REPLACE VIEW v_capaian_layanan AS SELECT * FROM capaian_layanan('v', NULL, NULL);

-- Gap of a group of services (sums; a sum over services without a unit cost is NULL).
CREATE OR REPLACE MACRO kebutuhan_urusan(src, p_tahun, p_wilayah) AS TABLE
SELECT
    l.kode_wilayah, l.tahun, l.triwulan, l.urusan,
    sum(l.jumlah_sasaran) AS jumlah_sasaran,
    sum(l.jumlah_terlayani) AS jumlah_terlayani,
    sum(greatest(l.jumlah_sasaran - l.jumlah_terlayani, 0)) AS kurang_terlayani,
    sum(l.kekurangan_mutu_barang_jasa) AS kekurangan_mutu_barang_jasa,
    sum(l.kekurangan_mutu_sdm) AS kekurangan_mutu_sdm,
    sum(greatest(l.jumlah_sasaran - l.jumlah_terlayani, 0) * b.biaya_satuan) AS perkiraan_biaya,
    sum(l.anggaran_rencana) AS anggaran_rencana,
    sum(l.anggaran_realisasi) AS anggaran_realisasi
FROM query_table(src || '_spm_layanan') l
LEFT JOIN v_biaya_satuan b ON b.kode_layanan = l.kode_layanan
WHERE di_lingkup(p_tahun, p_wilayah, l.tahun, l.kode_wilayah)
GROUP BY l.kode_wilayah, l.tahun, l.triwulan, l.urusan;

CREATE OR REPLACE VIEW v_kebutuhan_urusan AS SELECT * FROM kebutuhan_urusan('v', NULL, NULL);

-- Per region x urusan x period: v_spm_urusan plus change and gap.
CREATE OR REPLACE MACRO capaian_urusan(src, p_tahun, p_wilayah) AS TABLE
WITH lalu AS (
    SELECT kode_wilayah, urusan, tahun, triwulan, nilai FROM query_table(src || '_spm_urusan')
    WHERE di_lingkup_lalu(p_tahun, p_wilayah, tahun, kode_wilayah)
),
gap AS (SELECT * FROM kebutuhan_urusan(src, p_tahun, p_wilayah))
SELECT
    u.*,
    py.nilai AS nilai_tahun_lalu,
    u.nilai - py.nilai AS selisih_tahun_lalu,
    pq.nilai AS nilai_triwulan_lalu,
    u.nilai - pq.nilai AS selisih_triwulan_lalu,
    g.* EXCLUDE (kode_wilayah, tahun, triwulan, urusan)
FROM query_table(src || '_spm_urusan') u
LEFT JOIN lalu py ON py.kode_wilayah = u.kode_wilayah AND py.urusan = u.urusan
    AND py.tahun = u.tahun - 1 AND py.triwulan = u.triwulan
LEFT JOIN lalu pq ON pq.kode_wilayah = u.kode_wilayah AND pq.urusan = u.urusan
    AND pq.tahun = u.tahun AND pq.triwulan = u.triwulan - 1
LEFT JOIN gap g ON g.kode_wilayah = u.kode_wilayah AND g.urusan = u.urusan
    AND g.tahun = u.tahun AND g.triwulan = u.triwulan
WHERE di_lingkup(p_tahun, p_wilayah, u.tahun, u.kode_wilayah);

CREATE OR REPLACE VIEW v_capaian_urusan AS SELECT * FROM capaian_urusan('v', NULL, NULL);

-- Tingkat keterisian (Kemendagri rates e-SPM input on how much of the form is filled)
-- per region x period that sent SPM data: of the cells a region must fill, the share
-- filled. Per service of the region's tingkat in the catalog, 8 cells (jumlah sasaran
-- and terlayani, anggaran rencana and realisasi, the four tahapan) and kebutuhan and
-- tersedia of each mutu item the catalog in force lists for it (v_mutu_item; 2 items,
-- one per kelompok, when it lists none), plus permasalahan and solusi where the
-- service's nilai is below 100; a service without a row counts its cells as empty.
CREATE OR REPLACE MACRO keterisian_wilayah(src, p_tahun, p_wilayah) AS TABLE
WITH periode AS (
    SELECT DISTINCT kode_wilayah, tahun, triwulan FROM spm_data
    WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
),
nilai AS (
    SELECT kode_wilayah, tahun, triwulan, kode_layanan, nilai
    FROM query_table(src || '_spm_layanan')
    WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
),
mutu AS (
    SELECT kode_wilayah, tahun, triwulan, kode_layanan,
        count(kebutuhan) + count(tersedia) AS terisi
    FROM v_spm_mutu_item
    WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
    GROUP BY ALL
),
katalog AS (SELECT kode_layanan, count(*) AS jumlah_item FROM v_mutu_item GROUP BY ALL),
sel AS (
    SELECT
        p.kode_wilayah, p.tahun, p.triwulan,
        (d.jumlah_sasaran IS NOT NULL)::INTEGER + (d.jumlah_terlayani IS NOT NULL)::INTEGER
        -- item cells beyond the catalog's (items of an earlier catalog) fill nothing more
        + least(coalesce(m.terisi, 0), 2 * coalesce(k.jumlah_item, 2))
        + (d.anggaran_rencana IS NOT NULL)::INTEGER + (d.anggaran_realisasi IS NOT NULL)::INTEGER
        + (d.tahap_pengumpulan_data IS NOT NULL)::INTEGER
        + (d.tahap_penghitungan_kebutuhan IS NOT NULL)::INTEGER
        + (d.tahap_penyusunan_rencana IS NOT NULL)::INTEGER
        + (d.tahap_pelaksanaan IS NOT NULL)::INTEGER
        + CASE WHEN coalesce(n.nilai < 100, false)
            THEN (nullif(trim(d.permasalahan), '') IS NOT NULL)::INTEGER
                 + (nullif(trim(d.solusi), '') IS NOT NULL)::INTEGER
            ELSE 0 END AS terisi,
        8 + 2 * coalesce(k.jumlah_item, 2)
            + CASE WHEN coalesce(n.nilai < 100, false) THEN 2 ELSE 0 END AS wajib
    FROM periode p
    JOIN wilayah w ON w.kode = p.kode_wilayah
    JOIN layanan l ON l.tingkat = w.tingkat
    LEFT JOIN (
        SELECT * FROM spm_data WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
    ) d ON d.kode_wilayah = p.kode_wilayah AND d.tahun = p.tahun
        AND d.triwulan = p.triwulan AND d.kode_layanan = l.kode
    LEFT JOIN nilai n ON n.kode_wilayah = p.kode_wilayah AND n.tahun = p.tahun
        AND n.triwulan = p.triwulan AND n.kode_layanan = l.kode
    LEFT JOIN mutu m ON m.kode_wilayah = p.kode_wilayah AND m.tahun = p.tahun
        AND m.triwulan = p.triwulan AND m.kode_layanan = l.kode
    LEFT JOIN katalog k ON k.kode_layanan = l.kode
)
SELECT
    kode_wilayah, tahun, triwulan,
    sum(terisi)::INTEGER AS sel_terisi,
    sum(wajib)::INTEGER AS sel_wajib,
    100.0 * sum(terisi) / sum(wajib) AS keterisian
FROM sel
GROUP BY kode_wilayah, tahun, triwulan;

-- Per region x period: the IP-SPM (v_spm_wilayah) plus change, gap and keterisian.
CREATE OR REPLACE MACRO capaian_wilayah(src, p_tahun, p_wilayah) AS TABLE
WITH lalu AS (
    SELECT kode_wilayah, tahun, triwulan, nilai FROM query_table(src || '_spm_wilayah')
    WHERE di_lingkup_lalu(p_tahun, p_wilayah, tahun, kode_wilayah)
),
gap AS (
    SELECT
        kode_wilayah, tahun, triwulan,
        sum(kurang_terlayani) AS kurang_terlayani,
        sum(kekurangan_mutu_barang_jasa) AS kekurangan_mutu_barang_jasa,
        sum(kekurangan_mutu_sdm) AS kekurangan_mutu_sdm,
        sum(perkiraan_biaya) AS perkiraan_biaya,
        sum(anggaran_rencana) AS anggaran_rencana,
        sum(anggaran_realisasi) AS anggaran_realisasi
    FROM kebutuhan_urusan(src, p_tahun, p_wilayah)
    GROUP BY ALL
)
SELECT
    v.*,
    py.nilai AS nilai_tahun_lalu,
    v.nilai - py.nilai AS selisih_tahun_lalu,
    pq.nilai AS nilai_triwulan_lalu,
    v.nilai - pq.nilai AS selisih_triwulan_lalu,
    g.* EXCLUDE (kode_wilayah, tahun, triwulan),
    ki.sel_terisi, ki.sel_wajib, ki.keterisian
FROM query_table(src || '_spm_wilayah') v
LEFT JOIN lalu py ON py.kode_wilayah = v.kode_wilayah
    AND py.tahun = v.tahun - 1 AND py.triwulan = v.triwulan
LEFT JOIN lalu pq ON pq.kode_wilayah = v.kode_wilayah
    AND pq.tahun = v.tahun AND pq.triwulan = v.triwulan - 1
LEFT JOIN gap g ON g.kode_wilayah = v.kode_wilayah AND g.tahun = v.tahun
    AND g.triwulan = v.triwulan
LEFT JOIN keterisian_wilayah(src, p_tahun, p_wilayah) ki ON ki.kode_wilayah = v.kode_wilayah
    AND ki.tahun = v.tahun AND ki.triwulan = v.triwulan
WHERE di_lingkup(p_tahun, p_wilayah, v.tahun, v.kode_wilayah);

CREATE OR REPLACE VIEW v_capaian_wilayah AS SELECT * FROM capaian_wilayah('v', NULL, NULL);

-- Province aggregate per urusan: beside the province's own provincial services,
--   nilai_rata_rata_kabkota  = mean of its kabupaten/kota's urusan nilai
--   nilai_tertimbang_sasaran = mean over the urusan's services of the sasaran-weighted
--                              mean of the kabupaten/kota nilai (weights: jumlah_sasaran),
--                              a VARIANT, labelled as such wherever shown.
-- (src, p_tahun, p_provinsi: a list of province codes, NULL = all)
CREATE OR REPLACE MACRO capaian_provinsi_urusan(src, p_tahun, p_provinsi) AS TABLE
WITH kab_urusan AS (
    SELECT w.kode_provinsi, u.tahun, u.triwulan, u.urusan,
        rata(u.nilai) AS nilai_rata_rata_kabkota,
        count(u.nilai) AS jumlah_kabkota_dinilai,
        arg_min(u.status_submission, status_urutan(u.status_submission)) AS status_kabkota,
        any_value(u.versi_setting) AS versi_setting
    FROM query_table(src || '_spm_urusan') u JOIN wilayah w ON w.kode = u.kode_wilayah
    WHERE w.tingkat = 'kabupaten/kota' AND di_lingkup(p_tahun, p_provinsi, u.tahun, w.kode_provinsi)
    GROUP BY ALL
),
kab_layanan AS (
    SELECT w.kode_provinsi, l.tahun, l.triwulan, l.urusan, l.kode_layanan,
        CAST(sum(CAST(l.nilai * l.jumlah_sasaran AS DECIMAL(38, 12))) AS DOUBLE)
            / sum(l.jumlah_sasaran) AS nilai_tertimbang
    FROM query_table(src || '_spm_layanan') l JOIN wilayah w ON w.kode = l.kode_wilayah
    WHERE w.tingkat = 'kabupaten/kota' AND l.nilai IS NOT NULL
        AND di_lingkup(p_tahun, p_provinsi, l.tahun, w.kode_provinsi)
    GROUP BY ALL
),
tertimbang AS (
    SELECT kode_provinsi, tahun, triwulan, urusan,
        rata(nilai_tertimbang) AS nilai_tertimbang_sasaran
    FROM kab_layanan GROUP BY ALL
),
sendiri AS (
    SELECT kode_wilayah AS kode_provinsi, tahun, triwulan, urusan, nilai AS nilai_provinsi,
        status_submission AS status_provinsi, versi_setting
    FROM query_table(src || '_spm_urusan')
    WHERE tingkat_wilayah = 'provinsi' AND di_lingkup(p_tahun, p_provinsi, tahun, kode_wilayah)
),
keys AS (
    SELECT kode_provinsi, tahun, triwulan, urusan FROM kab_urusan
    UNION SELECT kode_provinsi, tahun, triwulan, urusan FROM sendiri
)
SELECT
    k.kode_provinsi,
    p.nama AS nama_provinsi,
    k.tahun,
    k.triwulan,
    k.urusan,
    ku.nilai_rata_rata_kabkota,
    kategori_nilai(ku.nilai_rata_rata_kabkota, kb.pita) AS kategori_rata_rata_kabkota,
    t.nilai_tertimbang_sasaran,
    kategori_nilai(t.nilai_tertimbang_sasaran, kb.pita) AS kategori_tertimbang_sasaran,
    ku.jumlah_kabkota_dinilai,
    ku.status_kabkota,
    s.nilai_provinsi,
    kategori_nilai(s.nilai_provinsi, kb.pita) AS kategori_provinsi,
    s.status_provinsi,
    coalesce(ku.versi_setting, s.versi_setting) AS versi_setting
FROM keys k
CROSS JOIN v_pita_kategori kb
JOIN (SELECT kode, nama FROM wilayah) p ON p.kode = k.kode_provinsi
LEFT JOIN kab_urusan ku USING (kode_provinsi, tahun, triwulan, urusan)
LEFT JOIN tertimbang t USING (kode_provinsi, tahun, triwulan, urusan)
LEFT JOIN sendiri s USING (kode_provinsi, tahun, triwulan, urusan);

CREATE OR REPLACE VIEW v_capaian_provinsi_urusan AS
SELECT * FROM capaian_provinsi_urusan('v', NULL, NULL);

-- Province aggregate per period:
--   nilai_rata_rata_kabkota  = mean of the IP-SPM of its kabupaten/kota that reported
--   nilai_tertimbang_sasaran = mean over urusan of the sasaran-weighted urusan nilai
--                              (see v_capaian_provinsi_urusan), a labelled VARIANT
--   nilai_provinsi           = IP-SPM of the province's own provincial services
CREATE OR REPLACE MACRO capaian_provinsi(src, p_tahun, p_provinsi) AS TABLE
WITH kab AS (
    SELECT w.kode_provinsi, v.tahun, v.triwulan,
        rata(v.nilai) AS nilai_rata_rata_kabkota,
        count(v.nilai) AS jumlah_kabkota_dinilai,
        count(*) AS jumlah_kabkota_melapor,
        arg_min(v.status_submission, status_urutan(v.status_submission)) AS status_kabkota
    FROM query_table(src || '_spm_wilayah') v JOIN wilayah w ON w.kode = v.kode_wilayah
    WHERE w.tingkat = 'kabupaten/kota' AND di_lingkup(p_tahun, p_provinsi, v.tahun, w.kode_provinsi)
    GROUP BY ALL
),
tertimbang AS (
    SELECT kode_provinsi, tahun, triwulan,
        rata(nilai_tertimbang_sasaran) AS nilai_tertimbang_sasaran,
        any_value(versi_setting) AS versi_setting
    FROM query_table(src || '_capaian_provinsi_urusan')
    WHERE di_lingkup(p_tahun, p_provinsi, tahun, kode_provinsi)
    GROUP BY ALL
),
sendiri AS (
    SELECT kode_wilayah AS kode_provinsi, tahun, triwulan, nilai AS nilai_provinsi,
        status_submission AS status_provinsi
    FROM query_table(src || '_spm_wilayah')
    WHERE tingkat_wilayah = 'provinsi' AND di_lingkup(p_tahun, p_provinsi, tahun, kode_wilayah)
),
jumlah AS (
    SELECT kode_provinsi, count(*) AS jumlah_kabkota
    FROM wilayah WHERE tingkat = 'kabupaten/kota' GROUP BY ALL
)
SELECT
    t.kode_provinsi,
    p.nama AS nama_provinsi,
    t.tahun,
    t.triwulan,
    k.nilai_rata_rata_kabkota,
    kategori_nilai(k.nilai_rata_rata_kabkota, kb.pita) AS kategori_rata_rata_kabkota,
    t.nilai_tertimbang_sasaran,
    kategori_nilai(t.nilai_tertimbang_sasaran, kb.pita) AS kategori_tertimbang_sasaran,
    coalesce(j.jumlah_kabkota, 0) AS jumlah_kabkota,
    coalesce(k.jumlah_kabkota_melapor, 0) AS jumlah_kabkota_melapor,
    coalesce(k.jumlah_kabkota_dinilai, 0) AS jumlah_kabkota_dinilai,
    k.status_kabkota,
    s.nilai_provinsi,
    kategori_nilai(s.nilai_provinsi, kb.pita) AS kategori_provinsi,
    s.status_provinsi,
    t.versi_setting
FROM tertimbang t
CROSS JOIN v_pita_kategori kb
JOIN (SELECT kode, nama FROM wilayah) p ON p.kode = t.kode_provinsi
LEFT JOIN kab k USING (kode_provinsi, tahun, triwulan)
LEFT JOIN sendiri s USING (kode_provinsi, tahun, triwulan)
LEFT JOIN jumlah j USING (kode_provinsi);

CREATE OR REPLACE VIEW v_capaian_provinsi AS SELECT * FROM capaian_provinsi('v', NULL, NULL);

-- Year-end PROJECTION from the triwulan so far (always labelled as a projection):
--   TW4 is the year's result, nothing is projected (metode_proyeksi 'realisasi TW4').
--   Otherwise terlayani is extrapolated to the year end by
--     'pola tahun lalu': terlayani / share, where share = terlayani(same triwulan, last
--                        year) / terlayani(TW4, last year) of the same region and service,
--                        when both are > 0 (the region's own pace through the year);
--     'linear'         : terlayani x 4 / triwulan otherwise (an even pace).
--   proyeksi_capaian_penerima = min(proyeksi_terlayani / jumlah_sasaran, 1) x 100;
--   mutu is taken as it stands now (capaian_mutu); proyeksi_nilai uses the weights in force.
CREATE OR REPLACE MACRO proyeksi_layanan(src, p_tahun, p_wilayah) AS TABLE
WITH pace AS (
    SELECT
        l.*,
        CASE WHEN q.jumlah_terlayani > 0 AND y.jumlah_terlayani > 0
            THEN least(q.jumlah_terlayani::DOUBLE / y.jumlah_terlayani, 1.0) END AS _pangsa
    FROM query_table(src || '_spm_layanan') l
    LEFT JOIN spm_data q ON q.kode_wilayah = l.kode_wilayah AND q.kode_layanan = l.kode_layanan
        AND q.tahun = l.tahun - 1 AND q.triwulan = l.triwulan
    LEFT JOIN spm_data y ON y.kode_wilayah = l.kode_wilayah AND y.kode_layanan = l.kode_layanan
        AND y.tahun = l.tahun - 1 AND y.triwulan = 4
    WHERE di_lingkup(p_tahun, p_wilayah, l.tahun, l.kode_wilayah)
),
proj AS (
    SELECT
        p.*,
        CASE WHEN p.triwulan = 4 THEN 'realisasi TW4'
             WHEN p._pangsa IS NOT NULL THEN 'pola tahun lalu'
             ELSE 'linear' END AS metode_proyeksi,
        CASE WHEN p.triwulan = 4 THEN p.jumlah_terlayani::DOUBLE
             WHEN p._pangsa IS NOT NULL THEN round(p.jumlah_terlayani / p._pangsa)
             ELSE round(p.jumlah_terlayani * 4.0 / p.triwulan) END AS proyeksi_terlayani
    FROM pace p
),
cap AS (
    SELECT
        r.*,
        CASE WHEN r.jumlah_sasaran > 0
            THEN least(r.proyeksi_terlayani / r.jumlah_sasaran, 1.0) * 100 END
            AS proyeksi_capaian_penerima
    FROM proj r
),
nil AS (
    SELECT
        c.*,
        nilai_layanan(c.proyeksi_capaian_penerima, c.capaian_mutu, st.bobot_penerima, st.bobot_mutu)
            AS proyeksi_nilai
    FROM cap c CROSS JOIN v_setting_aktif st
)
SELECT
    n.kode_wilayah, n.nama_wilayah, n.tingkat_wilayah, n.tahun, n.triwulan, n.urusan,
    n.kode_layanan, n.nama_layanan, n.urutan_layanan, n.jumlah_sasaran, n.jumlah_terlayani,
    n.capaian_penerima, n.capaian_mutu, n.nilai, n.kategori, n.tanpa_sasaran,
    n.metode_proyeksi, n.proyeksi_terlayani, n.proyeksi_capaian_penerima, n.proyeksi_nilai,
    CASE WHEN n.tanpa_sasaran THEN 'Tidak ada sasaran' ELSE k.kategori END AS proyeksi_kategori,
    n.status_submission, n.versi_setting
FROM nil n
LEFT JOIN v_kategori k
    ON round(n.proyeksi_nilai, 6) >= k.batas_bawah AND round(n.proyeksi_nilai, 6) < k.batas_atas;

CREATE OR REPLACE VIEW v_proyeksi_layanan AS SELECT * FROM proyeksi_layanan('v', NULL, NULL);

-- Projection per urusan and per region: the same means as the achieved figures.
CREATE OR REPLACE MACRO proyeksi_urusan(src, p_tahun, p_wilayah) AS TABLE
SELECT
    kode_wilayah, any_value(nama_wilayah) AS nama_wilayah,
    any_value(tingkat_wilayah) AS tingkat_wilayah, tahun, triwulan, urusan,
    rata(nilai) AS nilai,
    rata(proyeksi_nilai) AS proyeksi_nilai,
    kategori_nilai(rata(proyeksi_nilai), kb.pita) AS proyeksi_kategori,
    string_agg(DISTINCT metode_proyeksi, ', ' ORDER BY metode_proyeksi) AS metode_proyeksi,
    arg_min(status_submission, status_urutan(status_submission)) AS status_submission,
    any_value(versi_setting) AS versi_setting
FROM query_table(src || '_proyeksi_layanan') CROSS JOIN v_pita_kategori kb
WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
GROUP BY kode_wilayah, tahun, triwulan, urusan, kb.pita;

CREATE OR REPLACE VIEW v_proyeksi_urusan AS SELECT * FROM proyeksi_urusan('v', NULL, NULL);

CREATE OR REPLACE MACRO proyeksi_wilayah(src, p_tahun, p_wilayah) AS TABLE
SELECT
    kode_wilayah, any_value(nama_wilayah) AS nama_wilayah,
    any_value(tingkat_wilayah) AS tingkat_wilayah, tahun, triwulan,
    rata(nilai) AS nilai,
    rata(proyeksi_nilai) AS proyeksi_nilai,
    kategori_nilai(rata(proyeksi_nilai), kb.pita) AS proyeksi_kategori,
    arg_min(status_submission, status_urutan(status_submission)) AS status_submission,
    any_value(versi_setting) AS versi_setting
FROM query_table(src || '_proyeksi_urusan') CROSS JOIN v_pita_kategori kb
WHERE di_lingkup(p_tahun, p_wilayah, tahun, kode_wilayah)
GROUP BY kode_wilayah, tahun, triwulan, kb.pita;

CREATE OR REPLACE VIEW v_proyeksi_wilayah AS SELECT * FROM proyeksi_wilayah('v', NULL, NULL);

-- LPPD IKK achievement per region x IKK x year, by the IKK's cara_hitung:
--   rasio   : pembilang / penyebut x 100 when penyebut > 0; a value typed directly is
--             used only when pembilang/penyebut are absent (sumber_capaian says which)
--   langsung: the value as entered (in the IKK's own satuan)
--   ceklis  : 100 when checked (value > 0), 0 when not
CREATE OR REPLACE VIEW v_lppd_ikk AS
SELECT
    d.kode_wilayah,
    w.nama AS nama_wilayah,
    w.tingkat AS tingkat_wilayah,
    w.kode_provinsi,
    d.tahun,
    d.kode_ikk,
    i.urusan,
    i.nama AS nama_ikk,
    i.jenis,
    i.cara_hitung,
    i.satuan,
    i.urutan AS urutan_ikk,
    d.pembilang,
    d.penyebut,
    d.capaian AS capaian_isian,
    CASE
        WHEN i.cara_hitung = 'rasio' AND d.penyebut > 0 AND d.pembilang IS NOT NULL
            THEN d.pembilang / d.penyebut * 100
        WHEN i.cara_hitung = 'rasio' AND d.pembilang IS NULL AND d.penyebut IS NULL
            THEN d.capaian
        WHEN i.cara_hitung = 'ceklis'
            THEN CASE WHEN coalesce(d.capaian, d.pembilang) > 0 THEN 100.0
                      WHEN coalesce(d.capaian, d.pembilang) = 0 THEN 0.0 END
        WHEN i.cara_hitung = 'langsung' THEN d.capaian
    END AS capaian,
    CASE
        WHEN i.cara_hitung = 'rasio' AND d.penyebut > 0 AND d.pembilang IS NOT NULL
            THEN 'pembilang/penyebut'
        WHEN i.cara_hitung = 'rasio' AND d.penyebut = 0 THEN 'penyebut nol'
        WHEN i.cara_hitung = 'rasio' AND d.pembilang IS NULL AND d.penyebut IS NULL
            AND d.capaian IS NOT NULL THEN 'isian langsung'
        WHEN i.cara_hitung = 'ceklis' AND coalesce(d.capaian, d.pembilang) IS NOT NULL
            THEN 'ceklis'
        WHEN i.cara_hitung = 'langsung' AND d.capaian IS NOT NULL THEN 'isian langsung'
        ELSE 'tidak lengkap'
    END AS sumber_capaian,
    d.data_dukung,
    coalesce(trim(d.data_dukung), '') <> '' AS ada_data_dukung,
    d.keterangan,
    d.submission_id,
    s.status AS status_submission,
    s.nama_berkas,
    s.sha256,
    s.diunggah_pada,
    s.diunggah_oleh
FROM lppd_data d
JOIN wilayah w ON w.kode = d.kode_wilayah
JOIN ikk i ON i.kode_ikk = d.kode_ikk
LEFT JOIN submission s ON s.id = d.submission_id;

-- LPPD completeness per region x year (every region, every year with any LPPD data):
-- IKK filled (a capaian could be computed) and IKK with data dukung, out of the
-- catalog. A region that sent nothing has 0 filled and ada_submission = false.
CREATE OR REPLACE VIEW v_lppd_kelengkapan AS
WITH tahun AS (
    SELECT DISTINCT tahun FROM lppd_data
    UNION SELECT DISTINCT tahun FROM submission WHERE form = 'lppd-ikk'
),
katalog AS (SELECT count(*) AS jumlah_ikk FROM ikk),
isi AS (
    SELECT kode_wilayah, tahun,
        count(capaian) AS ikk_terisi,
        count(*) FILTER (WHERE ada_data_dukung) AS ikk_dengan_data_dukung,
        arg_min(status_submission, status_urutan(status_submission)) AS status_submission
    FROM v_lppd_ikk GROUP BY ALL
),
kirim AS (
    SELECT kode_wilayah, tahun, count(*) AS jumlah_submission
    FROM submission WHERE form = 'lppd-ikk' GROUP BY ALL
)
SELECT
    w.kode AS kode_wilayah,
    w.nama AS nama_wilayah,
    w.tingkat AS tingkat_wilayah,
    w.kode_provinsi,
    t.tahun,
    k.jumlah_ikk,
    coalesce(i.ikk_terisi, 0) AS ikk_terisi,
    coalesce(i.ikk_dengan_data_dukung, 0) AS ikk_dengan_data_dukung,
    CASE WHEN k.jumlah_ikk > 0 THEN coalesce(i.ikk_terisi, 0) * 100.0 / k.jumlah_ikk END
        AS persen_terisi,
    CASE WHEN k.jumlah_ikk > 0
        THEN coalesce(i.ikk_dengan_data_dukung, 0) * 100.0 / k.jumlah_ikk END
        AS persen_data_dukung,
    coalesce(s.jumlah_submission, 0) > 0 AS ada_submission,
    i.status_submission
FROM wilayah w
CROSS JOIN tahun t
CROSS JOIN katalog k
LEFT JOIN isi i ON i.kode_wilayah = w.kode AND i.tahun = t.tahun
LEFT JOIN kirim s ON s.kode_wilayah = w.kode AND s.tahun = t.tahun;
