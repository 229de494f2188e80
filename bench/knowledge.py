"""Benchmark: grounded knowledge extraction against a naive one-prompt baseline, same embedded model.

For each `tests/data/knowledge/plan_*.md` both methods fill the category
`资费套餐` and are scored field by field against `plan_*.expected.json`:

- pipeline: `extract_knowledge` (schema from the category, quote + value per
  field, grounding, type conversion, chunking for long texts, one follow-up
  question per field left unsupported or unstated);
- baseline: one prompt asking for every field as a JSON object, parsed
  as is (no schema, no grounding, no conversion, no chunking).

    python bench/knowledge.py [--limit 3] [--plan plan_2.md] [--skip-baseline] [--json out.json]

Scoring (the same for both): expected and predicted values are converted to
the field's type first ("60GB" -> 60). A scalar field scores one true positive
when both are present and equal, a false positive for a predicted value that
is absent or different in the expected file, a false negative for an expected
value that is missing or different. Texts are equal when their character-level
F1 over the longest common subsequence (punctuation and spaces removed, as in
the CMRC reading-comprehension metric) is at least 0.5. A list field counts each
item: items are matched one to one by the same text rule. `null`, `""` and `[]`
all count as "no value". Span exactness is the share of predicted values whose
evidence was found verbatim (`exact` match); for the baseline, the share whose
text occurs verbatim in the source. Every pipeline span is checked for
`source[start:end] == evidence`.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import services.core.messages  # noqa: E402, F401
from services.core.prompts import render_prompt  # noqa: E402
from services.core.settings import Settings  # noqa: E402
from services.documents import load_path  # noqa: E402
from services.knowledge.categories import Category, CategoryField, builtin_categories  # noqa: E402
from services.knowledge.extraction import extract_knowledge  # noqa: E402
from services.knowledge.options import ExtractionOptions  # noqa: E402
from services.knowledge.textnorm import compact  # noqa: E402
from services.knowledge.values import ValueNotConvertible, convert_value  # noqa: E402
from services.model.client import ModelClient  # noqa: E402
from services.model.factory import build_model_client  # noqa: E402
from services.model.structured import NoJsonFound, extract_json  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "knowledge"
TEXT_MATCH_F1 = 0.5


# --- scoring -------------------------------------------------------------------


def normalised(field: CategoryField, value: Any) -> Any:
    """The value converted to the field's type, or the raw value when it cannot be converted."""
    try:
        value = convert_value(field, value)
    except (ValueNotConvertible, TypeError):
        return value
    return None if value in ("", []) else value


def text_f1(predicted: str, expected: str) -> float:
    one, two = compact(predicted), compact(expected)
    if not one or not two:
        return float(one == two)
    common = sum(block.size for block in SequenceMatcher(None, one, two, autojunk=False).get_matching_blocks())
    if common == 0:
        return 0.0
    precision, recall = common / len(one), common / len(two)
    return 2 * precision * recall / (precision + recall)


def same(predicted: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(predicted, bool):
        return predicted == expected
    if isinstance(expected, int | float) and isinstance(predicted, int | float):
        return abs(float(predicted) - float(expected)) < 1e-6
    return text_f1(str(predicted), str(expected)) >= TEXT_MATCH_F1


def score_field(field: CategoryField, predicted: Any, expected: Any) -> tuple[int, int, int]:
    """Return (true positives, false positives, false negatives) for one field."""
    predicted, expected = normalised(field, predicted), normalised(field, expected)
    if field.is_list:
        if isinstance(predicted, list):
            predicted_items = list(predicted)
        elif predicted is None:
            predicted_items = []
        else:
            predicted_items = [predicted]
        expected_items = list(expected or [])
        matched = 0
        for item in predicted_items:
            hit = next((index for index, wanted in enumerate(expected_items) if same(item, wanted)), None)
            if hit is not None:
                expected_items.pop(hit)
                matched += 1
        return matched, len(predicted_items) - matched, len(expected_items)

    if predicted is None and expected is None:
        return 0, 0, 0
    if predicted is None:
        return 0, 0, 1
    if expected is None:
        return 0, 1, 0
    return (1, 0, 0) if same(predicted, expected) else (0, 1, 1)


def figures(counts: tuple[int, int, int]) -> dict[str, float]:
    tp, fp, fn = counts
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


# --- the two methods -------------------------------------------------------------


def run_pipeline(model: ModelClient, category: Category, path: Path) -> tuple[dict[str, Any], int, int, int]:
    """Return values, the number of values with an exact span, the number of values, and span violations."""
    document = load_path(path)
    result = extract_knowledge(model=model, category=category, document=document, options=ExtractionOptions())
    exact = total = violations = 0
    for field in result.fields:
        if field.value in (None, "", []):
            continue
        total += 1
        exact += all(item.match == "exact" for item in field.evidence)
        violations += sum(document.text[item.start : item.end] != item.text for item in field.evidence)
    return result.values(), exact, total, violations


def run_baseline(model: ModelClient, category: Category, path: Path) -> tuple[dict[str, Any], int, int]:
    """One prompt for all fields; returns the parsed values, verbatim-in-source count and value count."""
    text = path.read_text(encoding="utf-8")
    fields = [{"name": f.name, "label": f.label.zh, "type": f.type} for f in category.fields]
    completion = model.generate(
        render_prompt("knowledge", "baseline", "zh", text=text, fields=fields), max_tokens=900, temperature=0.0
    )
    try:
        values = json.loads(extract_json(completion.text))
    except (NoJsonFound, json.JSONDecodeError):
        values = {}
    values = values if isinstance(values, dict) else {}

    verbatim = total = 0
    for field in category.fields:
        value = values.get(field.name)
        if value in (None, "", []):
            continue
        total += 1
        items = value if isinstance(value, list) else [value]
        verbatim += all(str(item) in text for item in items)
    return values, verbatim, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=3, help="Number of plans to run (the first N by name).")
    parser.add_argument(
        "--plan", action="append", default=[], help="Run only this plan file name (repeatable), e.g. plan_2.md."
    )
    parser.add_argument(
        "--skip-baseline",
        action="store_true",
        help="Run the pipeline only, for iterating; a recorded result must include the baseline.",
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="Seconds one model call may take on a busy machine."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    settings = Settings(model_backend="embedded", log_level="WARNING", model_timeout=args.timeout)
    model = build_model_client(settings)
    model.load()
    category = builtin_categories()["资费套餐"]
    plans = sorted(DATA.glob("plan_*.md"))[: args.limit]
    if args.plan:
        plans = [path for path in sorted(DATA.glob("plan_*.md")) if path.name in args.plan]
    methods = ("pipeline",) if args.skip_baseline else ("pipeline", "baseline")

    totals = {"pipeline": [0, 0, 0], "baseline": [0, 0, 0]}
    spans = {"pipeline": [0, 0], "baseline": [0, 0]}
    seconds = {"pipeline": 0.0, "baseline": 0.0}
    violations = 0
    per_plan: list[dict[str, Any]] = []
    started = time.perf_counter()

    for path in plans:
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))

        clock = time.perf_counter()
        pipeline_values, exact, count, broken = run_pipeline(model, category, path)
        seconds["pipeline"] += time.perf_counter() - clock
        baseline_values: dict[str, Any] = {}
        verbatim = baseline_count = 0
        if "baseline" in methods:
            clock = time.perf_counter()
            baseline_values, verbatim, baseline_count = run_baseline(model, category, path)
            seconds["baseline"] += time.perf_counter() - clock

        violations += broken
        spans["pipeline"][0] += exact
        spans["pipeline"][1] += count
        spans["baseline"][0] += verbatim
        spans["baseline"][1] += baseline_count
        row: dict[str, Any] = {
            "plan": path.name,
            "values": {"pipeline": pipeline_values, "baseline": baseline_values, "expected": expected},
        }
        for method, values in (("pipeline", pipeline_values), ("baseline", baseline_values)):
            if method not in methods:
                continue
            counts = [0, 0, 0]
            for field in category.fields:
                for index, amount in enumerate(score_field(field, values.get(field.name), expected.get(field.name))):
                    counts[index] += amount
                    totals[method][index] += amount
            row[method] = figures((counts[0], counts[1], counts[2]))
        per_plan.append(row)
        print(f"{path.name}: " + ", ".join(f"{method} F1 {row[method]['f1']:.3f}" for method in methods), flush=True)

    report: dict[str, Any] = {
        "plans": len(plans),
        "model": model.model_name,
        "machine": f"{platform.machine()}, {platform.system()}",
        "wall_seconds": round(time.perf_counter() - started, 1),
        "per_plan": per_plan,
        "span_violations": violations,
    }
    for method in methods:
        tp, fp, fn = totals[method]
        report[method] = {
            **figures((tp, fp, fn)),
            "tp_fp_fn": [tp, fp, fn],
            "exact_span_share": round(spans[method][0] / spans[method][1], 3) if spans[method][1] else 0.0,
            "seconds": round(seconds[method], 1),
        }

    print()
    print(f"{'method':10} {'precision':>9} {'recall':>7} {'F1':>6} {'exact span':>10} {'seconds':>8}")
    for method in methods:
        item = report[method]
        print(
            f"{method:10} {item['precision']:9.3f} {item['recall']:7.3f} {item['f1']:6.3f} "
            f"{item['exact_span_share']:10.3f} {item['seconds']:8.1f}"
        )
    print(f"span invariant violations (source[start:end] != evidence): {violations}")
    print(f"wall time: {report['wall_seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
