-- What a report's record keeps about the data behind it, for people and for the Pusat:
-- the newest upload and the number of files behind the figures (shown as "Data per
-- 20 Januari 2026 09.37, 11 berkas"; the exact fingerprint stays in versi_data), and,
-- when a report was finalised while some of that data was not yet verified (spm report
-- finalise --paksa), the list of those submissions (JSON list of sentences).
ALTER TABLE laporan ADD COLUMN data_per TIMESTAMP;
ALTER TABLE laporan ADD COLUMN jumlah_berkas INTEGER;
ALTER TABLE laporan ADD COLUMN dipaksa BOOLEAN DEFAULT false;
ALTER TABLE laporan ADD COLUMN catatan_final VARCHAR;
