"""Page and status icons are Streamlit's Material icons, never emoji (which show as
empty boxes on machines without an emoji font)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from streamlit.material_icon_names import ALL_MATERIAL_ICONS

ROOT = Path(__file__).resolve().parents[2]
MATERIAL = re.compile(r":material/([a-z0-9_]+):")
# Emoji and pictographs (what needs an emoji font), and the emoji presentation selector.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


def string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_every_page_has_a_material_icon():
    tree = ast.parse((ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    icons = [
        call.args[3].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "PageSpec"
    ]
    assert len(icons) >= 15
    for icon in icons:
        found = MATERIAL.fullmatch(icon)
        assert found and found.group(1) in ALL_MATERIAL_ICONS, icon


def test_no_emoji_anywhere_the_app_writes_text():
    offenders = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for text in string_constants(path):
            if EMOJI.search(text):
                offenders.append((path.relative_to(ROOT).as_posix(), text))
            for name in MATERIAL.findall(text):
                assert name in ALL_MATERIAL_ICONS, (path, name)
    assert offenders == []
