-- The deadline calendar (issue 14, point 4): the date the administrator set for a period,
-- for one form or for every form of it (form ''); triwulan 0 for a yearly form (LPPD).
-- Without a row the rule applies (day hari_batas_triwulan of the next month).
CREATE TABLE kalender_batas (
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL CHECK (triwulan BETWEEN 0 AND 4),
    form VARCHAR NOT NULL CHECK (form IN ('', 'spm-kabkota', 'spm-provinsi', 'lppd-ikk')),
    tanggal DATE NOT NULL,
    keterangan VARCHAR,
    ditetapkan_oleh VARCHAR NOT NULL,
    ditetapkan_pada TIMESTAMP NOT NULL,
    PRIMARY KEY (tahun, triwulan, form)
);
