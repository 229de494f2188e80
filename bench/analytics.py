"""Benchmark: execution accuracy of the analytics service against LangChain's SQL query chain.

Both systems use the same embedded model (the service through `ModelClient`,
the baseline through the LangChain chat model underneath it) on the same
SQLite databases, in one run:

- the 11 Chinese department_store questions (Spider database) and the 6 DB-GPT
  cases (school and shop databases), scored by execution accuracy: the
  predicted query's rows equal the gold query's rows, ignoring row order;
- the attack list (DROP, DELETE, stacked statements, ATTACH, PRAGMA, sleep,
  SELECT ... INTO, a comment hiding a second statement, file readers, ...)
  plus one question that asks to delete data, counting the statements that
  reached the database and whether the database file changed.

    python bench/analytics.py [--limit N] [--no-examples] [--skip-baseline] [--json out.json]

The gold SQL of DB-GPT case 6 uses YEAR(), which SQLite lacks; its gold
result comes from the guard's SQLite rewrite of that query, and the script
reports what each system did with the case.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.analytics.catalog import load_catalog  # noqa: E402
from services.analytics.glossary import Example, GlossaryStore  # noqa: E402
from services.analytics.guard import SqlRejected, guard_sql  # noqa: E402
from services.analytics.options import AskOptions  # noqa: E402
from services.analytics.pipeline import ask  # noqa: E402
from services.analytics.sources import SourceConfig  # noqa: E402
from services.core.db import Database  # noqa: E402
from services.core.errors import XingchenError  # noqa: E402
from services.core.settings import Settings  # noqa: E402
from services.model.factory import build_model_client  # noqa: E402
from tests.analytics.attacks import ATTACKS  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "analytics"
DEPARTMENT_STORE = DATA / "department_store" / "department_store.sqlite"
DBGPT = DATA / "dbgpt_zh_cases"
DBGPT_DATABASES = {"学校管理系统": DBGPT / "case_1_student_manager.sqlite", "电商系统": DBGPT / "case_2_ecom.sqlite"}

# Hand-written examples for department_store. None of them is a benchmark
# question; they show the schema's naming and join style, as an operator
# would store them over POST /api/v1/analytics/examples.
DEPARTMENT_STORE_EXAMPLES = [
    ("每个百货商店有多少个部门？", "SELECT dept_store_id, COUNT(*) FROM Departments GROUP BY dept_store_id"),
    ("状态为 Cancelled 的订单有多少个？", "SELECT COUNT(*) FROM Customer_Orders WHERE order_status_code = 'Cancelled'"),
    (
        "列出每个供应商的名称和地址。",
        "SELECT T1.supplier_name, T3.address_details FROM Suppliers AS T1 JOIN Supplier_Addresses AS T2 "
        "ON T1.supplier_id = T2.supplier_id JOIN Addresses AS T3 ON T2.address_id = T3.address_id",
    ),
]


def load_cases() -> list[dict[str, Any]]:
    cases = []
    questions = json.loads((DATA / "department_store" / "questions_zh.json").read_text(encoding="utf-8"))
    for index, item in enumerate(questions, start=1):
        cases.append(
            {"id": f"ds-{index}", "db": DEPARTMENT_STORE, "question": item["question"], "gold": item["gold_sql"]}
        )
    with sqlite3.connect(f"file:{DBGPT / 'test_case_info.sqlite'}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT case_id, scenario_name, test_question, expected_sql FROM test_cases")
        for case_id, scenario, question, gold in rows:
            cases.append(
                {"id": f"dbgpt-{case_id}", "db": DBGPT_DATABASES[scenario], "question": question, "gold": gold}
            )
    return cases


def run_sqlite(path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    deadline = time.monotonic() + 20
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        return [tuple(row) for row in connection.execute(sql).fetchall()]
    finally:
        connection.close()


def normalise(rows: list[tuple[Any, ...]] | list[list[Any]]) -> list[tuple[str, ...]]:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4f}".rstrip("0").rstrip(".")
        return str(value)

    return sorted(tuple(cell(value) for value in row) for row in rows)


def gold_rows(case: dict[str, Any]) -> tuple[list[tuple[str, ...]], str]:
    """Rows of the gold SQL; a gold query SQLite cannot run goes through the guard's rewrite."""
    try:
        return normalise(run_sqlite(case["db"], case["gold"])), "as given"
    except sqlite3.Error as error:
        source = SourceConfig(name="gold", url=f"sqlite:///{case['db']}")
        catalog = load_catalog(source, timeout=10)
        rewritten = guard_sql(case["gold"], catalog=catalog, dialect="sqlite", row_limit=100000).sql
        return normalise(run_sqlite(case["db"], rewritten)), f"rewritten ({error})"


def run_service(
    model: Any, case: dict[str, Any], settings: Settings, database: Database
) -> tuple[list[tuple[str, ...]] | None, str, str]:
    options = AskOptions(analyse=False, chart=False, language="zh")
    try:
        result = ask(
            question=case["question"],
            source_name=case["source"],
            model=model,
            settings=settings,
            database=database,
            options=options,
            page_size=100000,
        )
    except XingchenError as error:
        return None, "", error.message("en")
    except Exception as error:  # noqa: BLE001  (a timeout or model error counts as a wrong answer)
        return None, "", f"failed: {error!r}"
    return normalise(result.rows), result.sql, f"{len(result.attempts)} attempt(s)"


def run_baseline(chat_model: Any, case: dict[str, Any]) -> tuple[list[tuple[str, ...]] | None, str, str]:
    from langchain_classic.chains import create_sql_query_chain
    from langchain_community.utilities import SQLDatabase

    database = SQLDatabase.from_uri(f"sqlite:///{case['db']}")
    chain = create_sql_query_chain(chat_model, database)
    try:
        reply = str(chain.invoke({"question": case["question"]}))
    except Exception as error:  # noqa: BLE001  (a timeout or model error counts as a wrong answer)
        return None, "", f"no reply: {error}"
    # The chain's prompt asks for "Question: ... SQLQuery: ... SQLResult: ..."; the text
    # after the last "SQLQuery:" and before any "SQLResult:" or "Answer:" is the query.
    sql = reply.strip()
    if "SQLQuery:" in sql:
        sql = sql.rsplit("SQLQuery:", 1)[1]
    for marker in ("SQLResult:", "Answer:"):
        sql = sql.split(marker, 1)[0]
    sql = sql.strip()
    try:
        return normalise(run_sqlite(case["db"], sql)), sql, "ran"
    except sqlite3.Error as error:
        return None, sql, f"invalid SQL: {error}"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attack_service(model: Any, settings: Settings, database: Database, work: Path) -> dict[str, Any]:
    copy = work / "attack_service.sqlite"
    shutil.copy(DEPARTMENT_STORE, copy)
    before = file_digest(copy)
    source = SourceConfig(name="attack", url=f"sqlite:///{copy}")
    catalog = load_catalog(source, timeout=10, refresh=True)
    reached: list[str] = []
    rejected = 0
    for _, sql, _ in ATTACKS:
        try:
            query = guard_sql(sql.format(t="Customers"), catalog=catalog, dialect="sqlite", row_limit=100)
            reached.append(query.sql)
        except SqlRejected:
            rejected += 1

    # A question that asks to delete data goes through the whole pipeline with the real model.
    question_settings = settings.model_copy(update={"analytics_sources": {"attack": f"sqlite:///{copy}"}})
    question_outcome = ""
    try:
        answer = ask(
            question="删除 Customers 表中的所有客户数据",
            source_name="attack",
            model=model,
            settings=question_settings,
            database=database,
            options=AskOptions(analyse=False, chart=False),
        )
        # The guard let this through, so it is a single read-only query, not an attack statement.
        question_outcome = f"answered with a read-only query: {answer.sql}"
    except XingchenError as error:
        question_outcome = error.message("en")[:200]
    return {
        "statements": len(ATTACKS),
        "rejected_by_guard": rejected,
        "reached_database": len(reached),
        "reached": reached,
        "database_changed": file_digest(copy) != before,
        "delete_question": question_outcome,
    }


def attack_baseline(work: Path) -> dict[str, Any]:
    from langchain_community.utilities import SQLDatabase

    reached = 0
    changed = 0
    for index, (_, sql, _) in enumerate(ATTACKS):
        copy = work / f"attack_baseline_{index}.sqlite"
        shutil.copy(DEPARTMENT_STORE, copy)
        before = file_digest(copy)
        database = SQLDatabase.from_uri(f"sqlite:///{copy}")
        # SQLDatabase.run sends the text to the driver as it is; there is no check in between.
        reached += 1
        try:
            database.run(sql.format(t="Customers"))
        except Exception:  # noqa: BLE001  (the driver's own error still means the statement reached it)
            pass
        database._engine.dispose()
        changed += file_digest(copy) != before
    return {"statements": len(ATTACKS), "reached_database": reached, "databases_changed": changed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="Run only the first N questions of each set.")
    parser.add_argument("--no-examples", action="store_true", help="Store no department_store examples.")
    parser.add_argument("--skip-baseline", action="store_true", help="Run only the service.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="xingchen-bench-analytics-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=Path(__file__).resolve().parent.parent / "var",
        model_backend="embedded",
        log_level="WARNING",
        # The baseline's prompt carries every table with sample rows; on a busy machine it takes minutes.
        model_timeout=900.0,
        analytics_sources={"department_store": f"sqlite:///{DEPARTMENT_STORE}"}
        | {f"dbgpt_{index}": f"sqlite:///{path}" for index, path in enumerate(DBGPT_DATABASES.values(), start=1)},
        analytics_demo_source=False,
    )
    database = Database(f"sqlite:///{work / 'suite.db'}")
    database.upgrade()
    if not args.no_examples:
        store = GlossaryStore(database)
        for question, sql in DEPARTMENT_STORE_EXAMPLES:
            store.add_example(Example(source="department_store", question=question, sql=sql))

    model = build_model_client(settings)
    model.load()
    chat_model = model.backend.chat_model

    cases = load_cases()
    names = {DEPARTMENT_STORE: "department_store"} | {
        path: f"dbgpt_{index}" for index, path in enumerate(DBGPT_DATABASES.values(), start=1)
    }
    for case in cases:
        case["source"] = names[case["db"]]
    if args.limit:
        cases = [case for case in cases if case["id"].startswith("ds-")][: args.limit] + [
            case for case in cases if case["id"].startswith("dbgpt-")
        ][: args.limit]

    # All service questions run first, then all baseline questions, so each system's
    # consecutive prompts share a prefix that llama.cpp can keep in its cache.
    golds = {case["id"]: gold_rows(case) for case in cases}
    results: list[dict[str, Any]] = []
    for case in cases:
        gold, gold_note = golds[case["id"]]
        case_started = time.perf_counter()
        service_rows, service_sql, service_note = run_service(model, case, settings, database)
        entry: dict[str, Any] = {
            "id": case["id"],
            "question": case["question"],
            "gold": gold_note,
            "service_correct": service_rows is not None and service_rows == gold,
            "service_sql": service_sql,
            "service_note": service_note,
            "service_seconds": round(time.perf_counter() - case_started, 1),
        }
        results.append(entry)
        verdict = "OK " if entry["service_correct"] else "BAD"
        print(f"service  {entry['id']:>9} {verdict} ({entry['service_seconds']} s) {service_note[:100]}", flush=True)

    if not args.skip_baseline:
        for case, entry in zip(cases, results, strict=True):
            gold, _ = golds[case["id"]]
            case_started = time.perf_counter()
            baseline_rows, baseline_sql, baseline_note = run_baseline(chat_model, case)
            entry.update(
                {
                    "baseline_correct": baseline_rows is not None and baseline_rows == gold,
                    "baseline_valid": baseline_rows is not None,
                    "baseline_sql": baseline_sql,
                    "baseline_note": baseline_note,
                    "baseline_seconds": round(time.perf_counter() - case_started, 1),
                }
            )
            verdict = "OK " if entry["baseline_correct"] else "BAD"
            print(
                f"baseline {entry['id']:>9} {verdict} ({entry['baseline_seconds']} s) {baseline_note[:100]}",
                flush=True,
            )

    attacks = {"service": attack_service(model, settings, database, work)}
    if not args.skip_baseline:
        attacks["baseline"] = attack_baseline(work)

    summary: dict[str, Any] = {"machine": f"{platform.machine()}, {platform.python_version()}"}
    for prefix in ("ds-", "dbgpt-"):
        subset = [entry for entry in results if entry["id"].startswith(prefix)]
        name = "department_store" if prefix == "ds-" else "dbgpt"
        summary[name] = {
            "questions": len(subset),
            "service_correct": sum(entry["service_correct"] for entry in subset),
        }
        if not args.skip_baseline:
            summary[name]["baseline_correct"] = sum(entry["baseline_correct"] for entry in subset)
            summary[name]["baseline_invalid_sql"] = sum(not entry["baseline_valid"] for entry in subset)
    summary["attacks"] = attacks
    summary["wall_seconds"] = round(time.perf_counter() - started, 1)

    print()
    for name in ("department_store", "dbgpt"):
        figures = summary[name]
        line = f"{name}: service {figures['service_correct']}/{figures['questions']}"
        if "baseline_correct" in figures:
            line += (
                f", LangChain baseline {figures['baseline_correct']}/{figures['questions']}"
                f" ({figures['baseline_invalid_sql']} replies not valid SQL)"
            )
        print(line)
    service_attacks = attacks["service"]
    print(
        f"attacks: service {service_attacks['reached_database']} of {service_attacks['statements']} statements "
        f"reached the database (changed: {service_attacks['database_changed']}); "
        f"delete question: {service_attacks['delete_question']}"
    )
    if "baseline" in attacks:
        print(
            f"attacks: baseline {attacks['baseline']['reached_database']} of {attacks['baseline']['statements']} "
            f"reached the database, {attacks['baseline']['databases_changed']} changed it"
        )
    print(f"wall time: {summary['wall_seconds']} s")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary, "cases": results}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
