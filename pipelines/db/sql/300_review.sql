-- Submissions with their place in the chain of uploads for the same report
-- (form, region, OPD, period): a new upload replaces the previous one, e.g. the
-- uploader's corrected file after the Biro sent it back (Dikembalikan).
CREATE OR REPLACE VIEW v_submission_rantai AS
SELECT
    s.*,
    lag(s.id) OVER w AS menggantikan_id,
    lead(s.id) OVER w AS digantikan_id,
    lead(s.diunggah_pada) OVER w AS digantikan_pada,
    lead(s.id) OVER w IS NULL AS terbaru
FROM submission s
WINDOW w AS (
    PARTITION BY s.form, s.kode_wilayah, s.tahun, coalesce(s.triwulan, 0), coalesce(s.kode_opd, '')
    ORDER BY s.id
);

-- Status history: the recorded changes, plus the upload itself for submissions whose
-- upload was not recorded in submission_riwayat (e.g. written by the ingestion step).
CREATE OR REPLACE VIEW v_status_riwayat AS
SELECT submission_id, dari, ke, oleh, waktu, keterangan, id AS riwayat_id
FROM submission_riwayat
UNION ALL
SELECT
    s.id AS submission_id,
    NULL AS dari,
    CASE WHEN s.status = 'draf' THEN 'draf' ELSE 'diajukan' END AS ke,
    s.diunggah_oleh AS oleh,
    s.diunggah_pada AS waktu,
    'diunggah' AS keterangan,
    NULL AS riwayat_id
FROM submission s
WHERE NOT EXISTS (
    SELECT 1 FROM submission_riwayat r WHERE r.submission_id = s.id AND r.dari IS NULL
);
