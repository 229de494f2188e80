"""Benchmark of the writing service on the embedded model, with baselines from the same run.

(a) Structure imitation: an outline for a new topic with a FreshWiki article
    as the structure model, against an outline for the same topic without it.
    Figure: heading recall against the article's headings (a source heading
    counts as recalled when a produced heading shares at least half of its
    words), the share of levels reproduced in order, and how many headings
    were copied unchanged.
(b) Grounding: a Chinese draft on 电信用户权益保护 with three Chinese
    regulations as references. The first figure is the share of citation
    numbers the model wrote that resolve to a supplied passage, counted before
    the check removes the others. After the check that share is 1 by
    construction. The second is the share of written sections with at least
    one citation.
(c) Overhead: the draft's wall time against the time the model takes to
    generate the same number of tokens for one plain prompt.

    python bench/writing.py [--sections 3] [--section-tokens 160] [--json out.json]

Every input is read from tests/data/.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core.settings import Settings  # noqa: E402
from services.documents import (
    DocumentOptions,  # noqa: E402
    tokenize,  # noqa: E402
)
from services.model.client import ModelClient  # noqa: E402
from services.model.factory import build_model_client  # noqa: E402
from services.writing.draft import write_draft  # noqa: E402
from services.writing.options import WritingOptions  # noqa: E402
from services.writing.outline import generate_outline, iter_sections, source_headings  # noqa: E402
from services.writing.references import LoadedReference, ReferenceSource, load_references  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
STRUCTURE_ARTICLE = DATA / "writing" / "OceanGate.md"
ZH_REFERENCES = [
    DATA / "writing" / "个人信息保护法(2021-08-20).md",
    DATA / "writing" / "消费者权益保护法(2013-10-25).md",
    DATA / "documents" / "电信条例(2016-02-06).md",
]
IMITATION_TITLE = "Blue Origin"
GROUNDING_TITLE = "电信用户权益保护工作方案"
PLAIN_PROMPT = "请写一篇关于电信用户权益保护的文章，分几段论述，不少于800字。"


def load(paths: list[Path], options: WritingOptions, structure: Path | None = None) -> list[LoadedReference]:
    sources = [ReferenceSource.from_path(path, structure_model=path == structure) for path in paths]
    document_options = DocumentOptions(
        chunk_max_chars=options.passage_max_chars, chunk_overlap_chars=options.passage_overlap_chars
    )
    return load_references(sources, options=document_options, max_references=10)


def heading_recall(source: list[str], produced: list[str]) -> float:
    """Share of source headings with a produced heading that contains at least half of its words."""
    produced_tokens = [set(tokenize(heading)) for heading in produced]
    recalled = 0
    for heading in source:
        words = set(tokenize(heading))
        if words and any(len(words & tokens) / len(words) >= 0.5 for tokens in produced_tokens):
            recalled += 1
    return recalled / len(source) if source else 0.0


def bench_structure(model: ModelClient, max_sections: int) -> dict[str, object]:
    options = WritingOptions(max_sections=max_sections, outline_max_tokens=600)
    imitating = load([STRUCTURE_ARTICLE], options, structure=STRUCTURE_ARTICLE)
    source = source_headings(imitating[0].document, max_sections)
    source_titles = [item.heading for item in source]
    results: dict[str, object] = {"source_headings": source_titles}

    for name, references in (("imitation", imitating), ("baseline_no_structure_model", [])):
        started = time.perf_counter()
        outline = generate_outline(
            model,
            title=IMITATION_TITLE,
            requirements="",
            document_type="article",
            language="en",
            references=references,
            options=options,
        )
        produced = list(iter_sections(outline.sections))
        levels = [section.level for section in produced]
        same_levels = sum(1 for a, b in zip(levels, [item.level for item in source], strict=False) if a == b)
        results[name] = {
            "headings": [section.heading for section in produced],
            "heading_recall": round(heading_recall(source_titles, [section.heading for section in produced]), 3),
            "level_agreement": round(same_levels / len(source), 3),
            # Headings copied unchanged from the model article: high recall from copying is no mapping.
            "verbatim_copies": sum(1 for section in produced if section.heading in source_titles),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return results


def bench_grounding(model: ModelClient, sections: int, section_tokens: int) -> tuple[dict[str, object], int, float]:
    options = WritingOptions(max_sections=sections, section_max_tokens=section_tokens, passages_per_section=3)
    references = load(ZH_REFERENCES, options)
    started = time.perf_counter()
    outline = generate_outline(
        model,
        title=GROUNDING_TITLE,
        requirements="依据电信条例、消费者权益保护法和个人信息保护法，面向省公司各部门。",
        document_type="plan",
        language="zh",
        references=references,
        options=options,
    )
    outline_seconds = time.perf_counter() - started
    draft = write_draft(model, outline=outline, references=[item.reference for item in references], options=options)

    written = [section for section in draft.sections if section.text]
    kept = sum(len(re.findall(r"\[\d+\]", section.text)) for section in written)
    removed = sum(len(re.findall(r"\d+", marker)) for section in written for marker in section.removed_markers)
    results: dict[str, object] = {
        "sections_written": len(written),
        "citation_numbers_written": kept + removed,
        "citation_numbers_resolving_before_check": kept,
        "share_resolving_before_check": round(kept / (kept + removed), 3) if kept + removed else None,
        "share_resolving_after_check": 1.0 if kept else None,
        "share_sections_with_citation": round(sum(1 for s in written if s.citations) / len(written), 3)
        if written
        else 0,
        "completion_tokens": draft.completion_tokens,
        "outline_seconds": round(outline_seconds, 1),
        "draft_wall_seconds": draft.wall_seconds,
        "draft_model_seconds": draft.model_seconds,
        "sample": written[0].text[:200] if written else "",
    }
    return results, draft.completion_tokens, draft.wall_seconds


def bench_overhead(model: ModelClient, tokens: int, draft_seconds: float) -> dict[str, object]:
    """Time one plain generation of `tokens` tokens; a reply that stops early is scaled per token."""
    started = time.perf_counter()
    completion = model.generate(PLAIN_PROMPT, max_tokens=tokens, temperature=0.0)
    seconds = time.perf_counter() - started
    generated = completion.usage.completion_tokens
    same_tokens_seconds = seconds / generated * tokens if generated else seconds
    return {
        "plain_tokens": generated,
        "plain_seconds": round(seconds, 2),
        "plain_seconds_for_draft_tokens": round(same_tokens_seconds, 2),
        "draft_wall_seconds": draft_seconds,
        "ratio_draft_over_plain": round(draft_seconds / same_tokens_seconds, 2) if same_tokens_seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sections", type=int, default=3, help="Maximum sections of the grounding draft.")
    parser.add_argument("--section-tokens", type=int, default=160, help="Token limit per drafted section.")
    parser.add_argument("--structure-sections", type=int, default=6, help="Headings of the structure model imitated.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    settings = Settings(model_backend="embedded", log_level="WARNING", model_timeout=900)
    model = build_model_client(settings)
    started = time.perf_counter()
    model.load()
    load_seconds = time.perf_counter() - started

    structure = bench_structure(model, args.structure_sections)
    print("(a) structure imitation, topic", IMITATION_TITLE, "modelled on", STRUCTURE_ARTICLE.name)
    print("    source headings:", structure["source_headings"])
    for name in ("imitation", "baseline_no_structure_model"):
        figures = structure[name]
        assert isinstance(figures, dict)
        print(
            f"    {name}: heading recall {figures['heading_recall']:.2f}, level agreement "
            f"{figures['level_agreement']:.2f}, verbatim copies {figures['verbatim_copies']}, "
            f"{figures['seconds']} s; headings {figures['headings']}"
        )

    grounding, tokens, draft_seconds = bench_grounding(model, args.sections, args.section_tokens)
    print("(b) grounding:", GROUNDING_TITLE)
    for key, value in grounding.items():
        print(f"    {key}: {value}")

    overhead = bench_overhead(model, max(tokens, 16), draft_seconds)
    print("(c) pipeline against plain generation of the same number of tokens")
    for key, value in overhead.items():
        print(f"    {key}: {value}")

    results = {
        "structure": structure,
        "grounding": grounding,
        "overhead": overhead,
        "model": model.model_name,
        "load_seconds": round(load_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()}, python {platform.python_version()}",
    }
    print(f"total {results['total_seconds']} s (model load {results['load_seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
