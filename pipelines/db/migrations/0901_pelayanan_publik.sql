-- Public service delivery (seed 002: standar pelayanan; seed 003: SKM and complaints).

-- Service units an administrator adds beside the OPD catalog (table opd): a kabupaten/kota
-- Bagian Pemerintahan, a UPTD, another province's bagian whose standards are a sample.
-- kode_wilayah: the government the unit belongs to (its uploaders see its complaints).
CREATE TABLE unit_layanan (
    kode VARCHAR PRIMARY KEY,
    nama VARCHAR NOT NULL,
    kode_wilayah VARCHAR,
    keterangan VARCHAR,
    aktif BOOLEAN NOT NULL DEFAULT true,
    ditambahkan_oleh VARCHAR NOT NULL,
    ditambahkan_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The standar pelayanan of a service (PermenPAN-RB 15/2014; the 14 components of
-- seed 002's tables), its maklumat and, when the tracker holds its procedure, kode_sop.
CREATE TABLE standar_pelayanan (
    kode_layanan VARCHAR PRIMARY KEY,
    kode_unit VARCHAR NOT NULL,
    nama_layanan VARCHAR NOT NULL,
    urutan INTEGER NOT NULL,
    persyaratan VARCHAR,
    sistem_mekanisme_prosedur VARCHAR,
    jangka_waktu VARCHAR,
    biaya_tarif VARCHAR,
    produk_pelayanan VARCHAR,
    penanganan_pengaduan VARCHAR,
    dasar_hukum VARCHAR,
    sarana_prasarana VARCHAR,
    kompetensi_pelaksana VARCHAR,
    pengawasan_internal VARCHAR,
    jumlah_pelaksana VARCHAR,
    jaminan_pelayanan VARCHAR,
    jaminan_keamanan VARCHAR,
    evaluasi_kinerja VARCHAR,
    jangka_waktu_nilai INTEGER,
    jangka_waktu_satuan VARCHAR
        CHECK (jangka_waktu_satuan IN ('hari kerja', 'hari', 'minggu', 'bulan', 'tahun')),
    kode_sop VARCHAR,
    maklumat VARCHAR,
    penetapan VARCHAR,               -- e.g. the decree: number and date
    penanda_tangan VARCHAR,
    dimuat_oleh VARCHAR NOT NULL,
    dimuat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    nama_berkas VARCHAR
);

-- Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017): one upload holds a unit's answers
-- of one year; a later upload for the same unit and year replaces it (status 'diganti',
-- the rows stay as history). isi_sha256: the answers' content, so the same answers
-- uploaded again change nothing.
CREATE SEQUENCE skm_unggah_id_seq START 1;
CREATE TABLE skm_unggah (
    id BIGINT PRIMARY KEY DEFAULT nextval('skm_unggah_id_seq'),
    kode_unit VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    nama_berkas VARCHAR,
    sha256 VARCHAR,                   -- the original file in the store (NULL: demo data)
    isi_sha256 VARCHAR NOT NULL,
    jumlah_responden INTEGER NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'berlaku' CHECK (status IN ('berlaku', 'diganti')),
    diunggah_oleh VARCHAR NOT NULL,
    diunggah_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE skm_respon (
    unggah_id BIGINT NOT NULL,
    baris INTEGER NOT NULL,           -- the row in the uploaded sheet
    kode_unit VARCHAR NOT NULL,
    tahun INTEGER NOT NULL,
    tanggal DATE NOT NULL,
    u1 SMALLINT CHECK (u1 BETWEEN 1 AND 4),
    u2 SMALLINT CHECK (u2 BETWEEN 1 AND 4),
    u3 SMALLINT CHECK (u3 BETWEEN 1 AND 4),
    u4 SMALLINT CHECK (u4 BETWEEN 1 AND 4),
    u5 SMALLINT CHECK (u5 BETWEEN 1 AND 4),
    u6 SMALLINT CHECK (u6 BETWEEN 1 AND 4),
    u7 SMALLINT CHECK (u7 BETWEEN 1 AND 4),
    u8 SMALLINT CHECK (u8 BETWEEN 1 AND 4),
    u9 SMALLINT CHECK (u9 BETWEEN 1 AND 4),
    layanan VARCHAR,
    jenis_kelamin VARCHAR,
    umur INTEGER,
    pendidikan VARCHAR,
    pekerjaan VARCHAR,
    PRIMARY KEY (unggah_id, baris)
);

-- Complaints (seed 003 BAB VIII, SP4N-LAPOR!): tracking number, channel, unit and
-- service, classification, disposition, status with history, deadlines. The
-- complainant's name and contact are read only through pipelines.pelayanan.pengaduan,
-- which shows them to the handling unit and administrators alone.
CREATE SEQUENCE pengaduan_id_seq START 1;
CREATE TABLE pengaduan (
    id BIGINT PRIMARY KEY DEFAULT nextval('pengaduan_id_seq'),
    nomor VARCHAR NOT NULL UNIQUE,
    nomor_lapor VARCHAR,              -- the SP4N-LAPOR! tracking ID, when it came from there
    kanal VARCHAR NOT NULL CHECK (kanal IN ('langsung', 'surat', 'telepon', 'e-mail',
        'SP4N-LAPOR!', 'media sosial')),
    diterima_pada DATE NOT NULL,
    kode_unit VARCHAR NOT NULL,
    kode_layanan VARCHAR,
    klasifikasi VARCHAR NOT NULL CHECK (klasifikasi IN ('pengaduan', 'aspirasi',
        'permintaan informasi')),
    judul VARCHAR NOT NULL,
    isi VARCHAR,
    nama_pelapor VARCHAR,
    kontak_pelapor VARCHAR,
    disposisi VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'diterima' CHECK (status IN ('diterima', 'diverifikasi',
        'ditindaklanjuti', 'selesai', 'bukan wewenang', 'diarsipkan')),
    batas_disposisi DATE NOT NULL,
    batas_tanggapan DATE NOT NULL,
    batas_penyelesaian DATE,
    ditanggapi_pada DATE,
    selesai_pada DATE,
    tanggapan VARCHAR,
    dicatat_oleh VARCHAR NOT NULL,
    dicatat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp,
    diubah_oleh VARCHAR,
    diubah_pada TIMESTAMP
);

CREATE SEQUENCE pengaduan_riwayat_id_seq START 1;
CREATE TABLE pengaduan_riwayat (
    id BIGINT PRIMARY KEY DEFAULT nextval('pengaduan_riwayat_id_seq'),
    pengaduan_id BIGINT NOT NULL,
    tanggal DATE NOT NULL,
    status_dari VARCHAR,
    status_ke VARCHAR NOT NULL,
    unit_dari VARCHAR,
    unit_ke VARCHAR,
    catatan VARCHAR,
    oleh VARCHAR NOT NULL,
    dicatat_pada TIMESTAMP NOT NULL DEFAULT current_timestamp
);
