"""The SOP tracker: the library of procedures and the working-day calendar (definition), one step's plumbing and who may see or change a cycle (step), cycles per procedure, region and year (cycle), step transitions and notes (transitions), evidence (evidence), what the data shows done (detect), performance across cycles (performance), and the Biro watching the kabupaten/kota run their LPPD and LKPj (pantau); and the documents of SPM implementation the SOP's phase A asks of
every region: the SK Tim Penerapan SPM and the Rencana Aksi with their review
(dokumen_penerapan), the tahapan data dukung (dokumen_tahapan) and what they share
(dokumen_berkas)."""
