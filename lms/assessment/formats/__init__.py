"""Question-bank import and export: Excel (题库 layout), Moodle XML and GIFT.

Pure (standard library, openpyxl): every importer takes the file (bytes, a path or a file
object; GIFT and XML also a str) and returns ``(bank, errors)`` — the bank in the canonical
dict shape of :func:`canonical_bank` and one English message per row or question that was
skipped or changed. Importers raise ``ValueError`` only for a file they cannot read at all.
Exporters take a bank dict (the YAML shape of courses/FORMAT.md, optional ``difficulty``
1-5 per question) and return the file content.
"""

from .common import Bank, ImportResult, canonical_bank
from .gift import export_gift, import_gift
from .moodle_xml import export_moodle_xml, import_moodle_xml
from .xlsx import export_xlsx, import_xlsx
from .xlsx_template import template_workbook

__all__ = [
    "Bank",
    "ImportResult",
    "canonical_bank",
    "export_gift",
    "export_moodle_xml",
    "export_xlsx",
    "import_gift",
    "import_moodle_xml",
    "import_xlsx",
    "template_workbook",
]
