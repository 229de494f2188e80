"""Pick what the prompt shows: the relevant tables and columns, glossary terms and similar examples.

Scores are token overlaps between the question and each item's text (names
split on `_` and case, comments, sample values), with jieba splitting Chinese.
Tables joined by a foreign key to a chosen table come along, so joins stay possible.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter

import jieba

from services.analytics.catalog import Catalog, TableInfo
from services.analytics.glossary import Example, GlossaryTerm

# jieba logs its dictionary loading at DEBUG on its own logger; that is noise in a CLI.
jieba.setLogLevel(logging.WARNING)

# Tables with more columns than this are cut to keys plus the best-matching columns.
MAX_COLUMNS_PER_TABLE = 25

_STOP = {
    "的",
    "是",
    "了",
    "和",
    "与",
    "及",
    "在",
    "有",
    "多少",
    "哪些",
    "什么",
    "查询",
    "列出",
    "所有",
    "每个",
    "表",
    "中",
    "the",
    "of",
    "a",
    "in",
}


# Common Chinese business words and the English words schemas use for them, so a
# Chinese question finds tables named in English. Glossary terms add to this per source.
CHINESE_TO_ENGLISH: dict[str, tuple[str, ...]] = {
    "客户": ("customer", "client"),
    "用户": ("user", "customer", "subscriber"),
    "产品": ("product",),
    "商品": ("product", "item", "goods"),
    "供应商": ("supplier", "vendor"),
    "订单": ("order",),
    "下单": ("order",),
    "价格": ("price",),
    "单价": ("price",),
    "电话": ("phone",),
    "地址": ("address",),
    "员工": ("staff", "employee"),
    "职员": ("staff", "employee"),
    "部门": ("department", "dept"),
    "商店": ("store", "shop"),
    "门店": ("store", "shop"),
    "百货": ("department", "store"),
    "类型": ("type", "category"),
    "类别": ("category", "type"),
    "名称": ("name",),
    "姓名": ("name",),
    "数量": ("quantity", "count"),
    "金额": ("amount", "value", "total"),
    "价值": ("value",),
    "销售": ("sale", "sales"),
    "销售额": ("sales", "amount"),
    "日期": ("date",),
    "时间": ("date", "time"),
    "状态": ("status",),
    "学生": ("student",),
    "课程": ("course",),
    "成绩": ("score", "grade"),
    "专业": ("major",),
    "学期": ("semester", "term"),
    "学分": ("credit",),
    "发票": ("invoice",),
    "收入": ("revenue", "income"),
    "地区": ("region",),
    "套餐": ("plan",),
    "投诉": ("complaint",),
}


def tokens(text: str) -> list[str]:
    """Lower-case word tokens: jieba words (with English equivalents), ASCII words split on `_` and case, bigrams."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    words: list[str] = []
    for word in jieba.lcut(spaced.lower()):
        word = word.strip()
        if not word or word in _STOP or not re.search(r"\w", word):
            continue
        words.append(word)
        if re.fullmatch(r"[\u4e00-\u9fff]{3,}", word):
            words.extend(word[index : index + 2] for index in range(len(word) - 1))
        if word.endswith("s") and len(word) > 3:
            words.append(word[:-1])
    for chinese, english in CHINESE_TO_ENGLISH.items():
        if chinese in text:
            words.extend(english)
    return words


def _table_text(table: TableInfo) -> str:
    parts = [table.name, table.comment]
    for column in table.columns:
        parts.extend([column.name, column.comment, " ".join(column.samples)])
    return " ".join(parts)


def _overlap(query: Counter[str], document: list[str], weights: dict[str, float] | None = None) -> float:
    counts = Counter(document)
    score = 0.0
    for word in query:
        if word in counts:
            weight = weights.get(word, 1.0) if weights else 1.0
            score += weight * (1.0 + math.log(counts[word]))
    return score


def _inverse_frequencies(documents: list[list[str]]) -> dict[str, float]:
    """Weight each word by how few tables mention it, so `id` or `name` count for little."""
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(set(document))
    total = len(documents)
    return {word: math.log((total + 1) / (count + 0.5)) for word, count in frequency.items()}


def prune_catalog(catalog: Catalog, question: str, *, max_tables: int, extra_text: str = "") -> Catalog:
    """Return a catalog of at most `max_tables` tables relevant to `question`, plus their join partners."""
    query = Counter(tokens(f"{question} {extra_text}"))
    documents = [tokens(_table_text(table)) for table in catalog.tables]
    weights = _inverse_frequencies(documents)
    scored = sorted(
        (
            (_overlap(query, document, weights), index, table)
            for index, (document, table) in enumerate(zip(documents, catalog.tables, strict=True))
        ),
        key=lambda item: (-item[0], item[1]),
    )
    if len(catalog.tables) <= max_tables:
        chosen = [table for _, _, table in scored]
    else:
        chosen = [table for score, _, table in scored if score > 0][:max_tables] or [scored[0][2]]
        names = {table.name.lower() for table in chosen}
        # Add tables that a chosen table references or that reference it, while room is left.
        for table in list(chosen):
            for other in catalog.tables:
                if len(chosen) >= max_tables:
                    break
                linked = any(key.ref_table.lower() == other.name.lower() for key in table.foreign_keys) or any(
                    key.ref_table.lower() == table.name.lower() for key in other.foreign_keys
                )
                if linked and other.name.lower() not in names:
                    chosen.append(other)
                    names.add(other.name.lower())
    order = {table.name: index for index, table in enumerate(catalog.tables)}
    chosen.sort(key=lambda table: order[table.name])
    return catalog.model_copy(update={"tables": [_prune_columns(table, query) for table in chosen]})


def _prune_columns(table: TableInfo, query: Counter[str]) -> TableInfo:
    if len(table.columns) <= MAX_COLUMNS_PER_TABLE:
        return table
    key_columns = {column for key in table.foreign_keys for column in key.columns}
    ranked = sorted(
        table.columns,
        key=lambda column: -_overlap(query, tokens(f"{column.name} {column.comment} {' '.join(column.samples)}")),
    )
    keep = {column.name for column in table.columns if column.primary_key or column.name in key_columns}
    for column in ranked:
        if len(keep) >= MAX_COLUMNS_PER_TABLE:
            break
        keep.add(column.name)
    return table.model_copy(update={"columns": [column for column in table.columns if column.name in keep]})


def relevant_terms(terms: list[GlossaryTerm], question: str, *, limit: int = 5) -> list[GlossaryTerm]:
    """Terms whose name appears in the question, then terms sharing words with it."""
    lowered = question.lower()
    direct = [term for term in terms if term.term.lower() in lowered]
    query = Counter(tokens(question))
    others = [term for term in terms if term not in direct and _overlap(query, tokens(term.term)) > 0]
    return (direct + others)[:limit]


def similar_examples(examples: list[Example], question: str, *, limit: int = 3) -> list[Example]:
    """Return the `limit` stored examples whose questions share the most words with `question`."""
    query = Counter(tokens(question))
    scored = [(_overlap(query, tokens(example.question)), index, example) for index, example in enumerate(examples)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [example for score, _, example in scored if score > 0][:limit]
