"""PDFs of a report, made by LibreOffice headless: the narrative (DOCX) and the
provincial workbook (XLSX), the two documents people print and sign.

LibreOffice is Debian's package (``libreoffice-writer-nogui``, ``libreoffice-calc-nogui``);
where it is missing, :class:`PdfTidakTersedia` says how to get it (or to print the DOCX
and XLSX from an office program). PDFs are made from the stored report files, never
stored themselves: the same files give the same PDF bytes (the dates LibreOffice writes
are replaced by the report's own time and the file ID by a hash of the content), so
the export bundle for the Pusat stays byte for byte repeatable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pipelines.errors import SpmError
from pipelines.laporan.records import Berkas

# Which stored files get a PDF: the narrative and the provincial workbook.
PDF_FROM = ("narasi_", "laporan-spm-provinsi_")
TIMEOUT_SECONDS = 300
PASANG = (
    "PDF dibuat dengan LibreOffice, yang belum terpasang di server ini. Minta administrator "
    "memasangnya (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui "
    "libreoffice-calc-nogui), atau unduh DOCX/XLSX lalu simpan sebagai PDF dari Microsoft "
    "Office atau LibreOffice."
)


class PdfTidakTersedia(SpmError):
    """LibreOffice is not installed here (Indonesian message saying what to do)."""


class PdfGagal(SpmError):
    """LibreOffice could not convert a file."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def wanted(files: Iterable[Berkas]) -> list[Berkas]:
    """The report files that get a PDF."""
    return [f for f in files if f.nama_berkas.startswith(PDF_FROM)]


def pdf_name(name: str) -> str:
    return str(Path(name).with_suffix(".pdf"))


_made: dict[tuple[str, str, dt.datetime], bytes] = {}  # recent conversions, by content


def convert(name: str, content: bytes, stamp: dt.datetime) -> bytes:
    """One DOCX or XLSX file as PDF (LibreOffice headless, a private profile per call
    so conversions may run side by side); the same file again costs nothing."""
    key = (Path(name).suffix, hashlib.sha256(content).hexdigest(), stamp)
    if key not in _made:
        if len(_made) >= 16:
            _made.pop(next(iter(_made)))
        _made[key] = _convert(name, content, stamp)
    return _made[key]


def _convert(name: str, content: bytes, stamp: dt.datetime) -> bytes:
    program = soffice()
    if program is None:
        raise PdfTidakTersedia(PASANG)
    with tempfile.TemporaryDirectory(prefix="spm-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / Path(name).name
        source.write_bytes(content)
        env = {
            "HOME": str(folder),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "id_ID.UTF-8",  # Indonesian separators in the workbook (1.234,56)
            "LC_ALL": "id_ID.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
        }
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={(folder / 'profil').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder / "pdf"),
                    str(source),
                ],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfGagal(
                f"LibreOffice tidak selesai mengubah {name} ke PDF dalam "
                f"{TIMEOUT_SECONDS} detik; coba lagi nanti."
            ) from None
        out = folder / "pdf" / pdf_name(source.name)
        if done.returncode != 0 or not out.exists():
            raise PdfGagal(
                f"LibreOffice gagal mengubah {name} ke PDF (kode {done.returncode}); "
                "unduh berkas aslinya dan cetak dari program perkantoran."
            )
        return normalise(out.read_bytes(), stamp)


def normalise(pdf: bytes, stamp: dt.datetime) -> bytes:
    """The PDF with its dates set to ``stamp`` and its ID derived from its content,
    each replaced by text of the same length (the cross-reference offsets hold)."""
    date = stamp.strftime("%Y%m%d%H%M%S")

    def same_length(match: re.Match[bytes], text: bytes) -> bytes:
        old = match.group(0)
        return text[: len(old)].ljust(len(old), b" ") if len(text) < len(old) else text[: len(old)]

    pdf = re.sub(
        rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)",
        lambda m: same_length(m, b"/" + m.group(1) + b"(D:" + date.encode() + b"Z)"),
        pdf,
    )
    pdf = re.sub(  # XMP metadata (written for PDF/A): the value only, padded with spaces
        rb"(?<=<xmp:CreateDate>|<xmp:ModifyDate>)[^<]*|(?<=<xmp:MetadataDate>)[^<]*",
        lambda m: same_length(m, stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()),
        pdf,
    )
    volatile = rb"/ID\s*\[[^\]]*\]|/DocChecksum\s*/[0-9A-Fa-f]+"
    digest = hashlib.md5(re.sub(volatile, b"", pdf)).hexdigest().upper().encode()
    pdf = re.sub(
        rb"/DocChecksum\s*/[0-9A-Fa-f]+",
        lambda m: same_length(m, b"/DocChecksum /" + digest),
        pdf,
    )
    return re.sub(
        rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]",
        lambda m: same_length(m, b"/ID [ <" + digest + b"> <" + digest + b"> ]"),
        pdf,
    )


def pdfs(files: Iterable[Berkas], stamp: dt.datetime) -> list[tuple[str, bytes]]:
    """(file name, PDF bytes) of the report files that get a PDF."""
    return [(pdf_name(f.nama_berkas), convert(f.nama_berkas, f.isi, stamp)) for f in wanted(files)]
