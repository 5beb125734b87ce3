"""Both catalogs are complete and up to date with the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lms" / "translations"


def _catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _source_msgids(tmp_path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", str(ROOT / "babel.cfg"), "-k", "_l", "--ignore-dirs=.venv",
                    "-o", str(pot), str(ROOT)], check=True, cwd=ROOT)
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_every_source_string_is_in_both_catalogs(tmp_path):
    source = _source_msgids(tmp_path)
    for locale in ("zh_Hans_CN", "en"):
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(locale) if m.id}
        missing = source - ids
        assert not missing, f"{locale} lacks {sorted(missing)[:10]} — run `make catalog`"


def test_every_message_is_translated_and_not_fuzzy():
    for locale in ("zh_Hans_CN", "en"):
        for m in _catalog(locale):
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            assert all(strings), f"{locale}: no translation for {m.id!r}"
            assert "fuzzy" not in m.flags, f"{locale}: fuzzy {m.id!r}"


def test_zh_cn_catalog_is_really_chinese():
    untranslated = [m.id for m in _catalog("zh_Hans_CN") if m.id and m.string == m.id
                    and any(c.isalpha() for c in str(m.id))]
    assert not untranslated, untranslated[:10]


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for m in _catalog("zh_Hans_CN"):
        if m.id and isinstance(m.id, str):
            assert sorted(pattern.findall(m.id)) == sorted(pattern.findall(m.string)), m.id
