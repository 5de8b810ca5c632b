-- Deadline exceptions: an admin lets one region (or OPD) upload a closed period
-- until a new date.
CREATE TABLE pengecualian_batas (
    form VARCHAR NOT NULL,
    kode_wilayah VARCHAR NOT NULL,
    kode_opd VARCHAR NOT NULL DEFAULT '',
    tahun INTEGER NOT NULL,
    triwulan INTEGER NOT NULL DEFAULT 0,      -- 0 for yearly forms (LPPD)
    batas_baru DATE NOT NULL,
    alasan VARCHAR NOT NULL,
    diberikan_oleh VARCHAR NOT NULL,
    diberikan_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (form, kode_wilayah, kode_opd, tahun, triwulan)
);
