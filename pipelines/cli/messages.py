"""Click's own words in Indonesian: usage errors ("Missing option", "No such option",
"Invalid value for ...") and the help screen's headings.

Click writes these through :mod:`gettext` (``_`` and ``ngettext`` imported into each
of its modules), the hook its documentation gives for translations. :func:`install`
points those names at :data:`PESAN`, so a message is translated where it is made,
with its placeholders filled in afterwards; exit codes are click's own (2 for a usage
error). A message missing from the table stays as click wrote it.
"""

from __future__ import annotations

import importlib

import click

# Click's message ids (English) -> Indonesian, placeholders kept.
PESAN: dict[str, str] = {
    # exceptions.py
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Missing argument": "Argumen wajib diisi:",
    "Missing option": "Opsi wajib diisi:",
    "Missing parameter": "Parameter wajib diisi:",
    "Missing {param_type}": "{param_type} wajib diisi:",
    "Missing parameter: {param_name}": "Parameter wajib diisi: {param_name}",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "unknown error": "galat yang tidak diketahui",
    # core.py
    "Aborted!": "Dibatalkan.",
    "Missing command.": "Perintah belum disebut.",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "env var: {var}": "variabel lingkungan: {var}",
    "default: {default}": "bawaan: {default}",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    "required": "wajib",
    # decorators.py
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tindakan tanpa bertanya.",
    # formatting.py
    "Usage:": "Penggunaan:",
    # parser.py
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Invalid start character for option ({option})": "Awalan opsi tidak sah ({option})",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    # termui.py
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: The two entered values do not match.": "Galat: kedua isian tidak sama.",
    "Error: invalid input": "Galat: isian tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    # types.py
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan bilangan yang sah.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} bukan nilai ya/tidak yang sah. Nilai yang dikenal: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "file": "Berkas",
    "directory": "Folder",
    "path": "Jalur",
}

# Plural forms: (singular, plural) -> the Indonesian text (Indonesian does not inflect).
PESAN_JAMAK: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "Argumen berlebih yang tidak dikenal ({args})",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Maksud Anda {possibility}?"
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} bukan salah satu dari {choices}."
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Opsi {name!r} memerlukan nilai."
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Memerlukan {nargs} nilai tetapi diberi {len}."
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): "{value!r} tidak sesuai format {formats}.",
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "Diperlukan {len_type} nilai, tetapi diberi {len_value}.",
}

# The click modules that translate through gettext.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def terjemah(message: str) -> str:
    return PESAN.get(message, message)


def terjemah_jamak(singular: str, plural: str, n: int) -> str:
    found = PESAN_JAMAK.get((singular, plural))
    if found is None:
        return singular if n == 1 else plural
    if "{choice}" in singular and n == 1:
        # one choice: click fills {choice}, not {choices}
        return found.replace("{choices}", "{choice}")
    if "{format}" in singular and n == 1:
        return found.replace("{formats}", "{format}")
    if "{possibility}" in singular and n != 1:
        return "(Maksud Anda salah satu dari: {possibilities}?)"
    return found


def metavar_indonesia(group: click.Group) -> None:
    """``[OPSI]`` and ``PERINTAH [ARG]...`` in every usage line below ``group``."""
    for command in [group, *group.commands.values()]:
        if command.options_metavar == "[OPTIONS]":
            command.options_metavar = "[OPSI]"
        if isinstance(command, click.Group):
            if command is not group:
                metavar_indonesia(command)
            command.subcommand_metavar = (
                (command.subcommand_metavar or "")
                .replace("COMMAND", "PERINTAH")
                .replace("[ARGS]", "[ARG]")
            )


def install() -> None:
    """Make click write its own messages in Indonesian (idempotent)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = terjemah
        if hasattr(module, "ngettext"):
            module.ngettext = terjemah_jamak
