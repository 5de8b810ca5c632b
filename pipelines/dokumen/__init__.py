"""Documents of SPM implementation a region hands in beside its figures: the SK Tim
Penerapan SPM and the Rencana Aksi (Perkada) per region and year, reviewed by the Biro
(:mod:`pipelines.dokumen.penerapan`), and the data dukung of the four tahapan per
service (:mod:`pipelines.dokumen.tahapan`). Files are kept like SOP evidence, by SHA-256
in the store's evidence folder (:mod:`pipelines.db.files`)."""
