"""Reference data read once per block: the same answers, copies, and nothing kept after."""

from __future__ import annotations

from pipelines.core import reference, settings


def test_inside_a_block_reference_data_is_read_once_and_handed_out_as_copies(db):
    with db.reference_reads():
        first = settings.current(db)
        first["bobot_penerima"] = 0.5  # a caller changing its answer
        catalog = reference.layanan(db)
        catalog["nama"] = "diubah"
        region = reference.wilayah(db, "19.01")
        region["nama"] = "diubah"
        # another writer (here: a statement behind the library's back) changes them
        db.execute("UPDATE layanan SET nama = 'berubah'")
        db.execute("UPDATE wilayah SET nama = 'berubah' WHERE kode = '19.01'")
        # ... the block keeps answering from its first read, each time a fresh copy
        assert settings.current(db)["bobot_penerima"] == 0.8
        assert len(reference.layanan(db)) == 43
        assert not {"berubah", "diubah"} & set(reference.layanan(db)["nama"])
        assert reference.wilayah(db, "19.01")["nama"] == "Kabupaten Bangka"
    # after the block every read is fresh again
    assert set(reference.layanan(db)["nama"]) == {"berubah"}
    assert reference.wilayah(db, "19.01")["nama"] == "berubah"


def test_a_settings_change_is_seen_by_the_next_block(db):
    with db.reference_reads():
        assert settings.current(db)["bobot_penerima"] == 0.8
    settings.save(db, {"bobot_penerima": 0.7, "bobot_mutu": 0.3}, by="uji")
    with db.reference_reads():
        assert settings.current(db)["bobot_penerima"] == 0.7
