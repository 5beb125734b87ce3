"""Fill message catalogs: English msgstr = msgid; optional zh_CN entries from a Python dict.

    python scripts/i18n_fill.py                 # fill en from the msgids
    python scripts/i18n_fill.py extra_zh.py     # also apply T = {msgid: 中文} to zh_CN
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "lms" / "translations"


def _rewrite(locale: str, fill) -> None:
    path = ROOT / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    for message in catalog:
        if message.id:
            fill(message)
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)


def main(argv: list[str]) -> None:
    def fill_en(m):
        m.string = m.id if not isinstance(m.id, tuple) else tuple(m.id)

    _rewrite("en", fill_en)
    for extra in argv:
        table = runpy.run_path(extra)["T"]

        def fill_zh(m, table=table):
            key = m.id if isinstance(m.id, str) else m.id[0]
            if key in table:
                value = table[key]
                m.string = value if isinstance(m.id, str) else (value, value)

        _rewrite("zh_Hans_CN", fill_zh)


if __name__ == "__main__":
    main(sys.argv[1:])
