"""Export approved knowledge (JSON, CSV, Excel) and reviewed pairs (JSONL) for fine-tuning."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from openpyxl import Workbook

from services.core.errors import InvalidInputError
from services.knowledge.models import RecordRow
from services.knowledge.store import RecordStore

ExportFormat = Literal["json", "csv", "xlsx", "jsonl"]
EXPORT_FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "jsonl")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson",
}
_LONG_COLUMNS = ["record_id", "category", "filename", "field", "label", "value", "start", "end", "evidence"]


def export_knowledge(*, store: RecordStore, format: str, category: str | None = None) -> bytes:
    """Return approved records (or, for `jsonl`, reviewed pairs) in `format`."""
    if format not in EXPORT_FORMATS:
        raise InvalidInputError("knowledge.bad_export_format", format=format, accepted=", ".join(EXPORT_FORMATS))
    if format == "jsonl":
        return reviewed_pairs_jsonl(store.reviewed(category=category), store)

    records = store.approved(category=category)
    if format == "json":
        payload = [_record_json(record, store) for record in records]
        return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    if format == "csv":
        return _csv(records, store)
    return _xlsx(records, store)


def _evidence_by_field(record: RecordRow, store: RecordStore) -> dict[str, list[dict[str, Any]]]:
    evidence = {item["name"]: list(item.get("evidence", [])) for item in record.extracted}
    for edit in store.edits(record.id):
        evidence[edit.field] = list(edit.evidence)
    return evidence


def _record_json(record: RecordRow, store: RecordStore) -> dict[str, Any]:
    return {
        "id": record.id,
        "category": record.category,
        "filename": record.filename,
        "document_id": record.document_id,
        "values": record.values,
        "evidence": _evidence_by_field(record, store),
        "reviewer": record.reviewer,
        "reviewed_at": record.reviewed_at.isoformat() if record.reviewed_at else None,
    }


def _long_rows(records: list[RecordRow], store: RecordStore) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for record in records:
        labels = {item["name"]: item.get("label", item["name"]) for item in record.extracted}
        evidence = _evidence_by_field(record, store)
        for name, value in record.values.items():
            spans = evidence.get(name) or [{}]
            rows.append(
                [
                    record.id,
                    record.category,
                    record.filename,
                    name,
                    labels.get(name, name),
                    _cell(value),
                    spans[0].get("start"),
                    spans[0].get("end"),
                    spans[0].get("text"),
                ]
            )
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(item) for item in value)
    return value


def _csv(records: list[RecordRow], store: RecordStore) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_LONG_COLUMNS)
    writer.writerows(_long_rows(records, store))
    # A byte-order mark lets Excel open the UTF-8 file with the Chinese text intact.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(records: list[RecordRow], store: RecordStore) -> bytes:
    """Write one sheet per category (a row per record, a column per field) and an `evidence` sheet."""
    workbook = Workbook()
    default_sheet = workbook.active
    by_category: dict[str, list[RecordRow]] = {}
    for record in records:
        by_category.setdefault(record.category, []).append(record)

    for category, rows in by_category.items():
        sheet = workbook.create_sheet(title=category[:31])
        names = [item["name"] for item in rows[0].extracted]
        labels = [item.get("label", item["name"]) for item in rows[0].extracted]
        sheet.append(["record_id", "filename", *labels])
        for record in rows:
            sheet.append([record.id, record.filename, *(_cell(record.values.get(name)) for name in names)])

    evidence_sheet = workbook.create_sheet(title="evidence")
    evidence_sheet.append(_LONG_COLUMNS)
    for row in _long_rows(records, store):
        evidence_sheet.append(row)
    if default_sheet is not None:
        workbook.remove(default_sheet)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reviewed_pairs_jsonl(records: list[RecordRow], store: RecordStore) -> bytes:
    """Write one line per field of each reviewed record: model value, reviewer value and source span."""
    lines: list[str] = []
    for record in records:
        edits = {edit.field: edit for edit in store.edits(record.id)}
        for item in record.extracted:
            name = item["name"]
            edit = edits.get(name)
            original = edit.original_value if edit else item.get("value")
            final = edit.edited_value if edit else record.values.get(name)
            spans = list(edit.evidence) if edit and edit.evidence else list(item.get("evidence", []))
            lines.append(
                json.dumps(
                    {
                        "record_id": record.id,
                        "category": record.category,
                        "record_status": record.status,
                        "field": name,
                        "label": item.get("label", name),
                        "type": item.get("type"),
                        "original": original,
                        "edited": final,
                        "changed": edit is not None and edit.edited_value != edit.original_value,
                        "source_spans": spans,
                        "source_text": _span_context(record.source_text, spans),
                        "reviewer": edit.reviewer if edit else record.reviewer,
                    },
                    ensure_ascii=False,
                )
            )
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _span_context(source: str, spans: list[dict[str, Any]], margin: int = 80) -> str | None:
    """Return the evidence with some text around it, so a pair can be used without the whole document."""
    if not spans:
        return None
    start = max(0, min(span["start"] for span in spans) - margin)
    end = min(len(source), max(span["end"] for span in spans) + margin)
    return source[start:end]
