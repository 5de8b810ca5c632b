-- Follow-up of outliers (issue 14, point 7): an analyst marks a flagged value of a
-- kab/kota, service and measure in a period "perlu ditindaklanjuti" with a comment, and
-- later "selesai". One row per value: the latest mark (the audit log keeps the history).
CREATE TABLE pencilan_tindak_lanjut (
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL CHECK (triwulan BETWEEN 1 AND 4),
    kode_wilayah VARCHAR NOT NULL,
    kode_layanan VARCHAR NOT NULL,
    ukuran VARCHAR NOT NULL CHECK (ukuran IN ('cakupan', 'sasaran')),
    status VARCHAR NOT NULL CHECK (status IN ('perlu ditindaklanjuti', 'selesai')),
    komentar VARCHAR NOT NULL,
    oleh VARCHAR NOT NULL,
    waktu TIMESTAMP NOT NULL,
    PRIMARY KEY (tahun, triwulan, kode_wilayah, kode_layanan, ukuran)
);
