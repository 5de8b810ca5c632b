-- Local accounts. Passwords are stored only as argon2 hashes.
CREATE TABLE pengguna (
    username VARCHAR PRIMARY KEY,
    nama VARCHAR,
    peran VARCHAR NOT NULL
        CHECK (peran IN ('admin', 'analis', 'pengunggah_kabkota', 'pengunggah_opd', 'pimpinan')),
    kode_wilayah VARCHAR,
    kode_opd VARCHAR,
    email VARCHAR,
    password_hash VARCHAR,
    aktif BOOLEAN NOT NULL DEFAULT true,
    dibuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (peran <> 'pengunggah_kabkota' OR kode_wilayah IS NOT NULL),
    CHECK (peran <> 'pengunggah_opd' OR kode_opd IS NOT NULL)
);
