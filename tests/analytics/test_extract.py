"""SQL is pulled out of every reply shape; a reply without SQL gives None."""

from __future__ import annotations

import pytest

from services.analytics.extract import extract_sql


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("```sql\nSELECT 1\n```", "SELECT 1"),
        ("以下是查询：\n```sql\nSELECT a FROM t\nWHERE x = 1;\n```\n这条查询返回 a。", "SELECT a FROM t\nWHERE x = 1;"),
        ("```\nSELECT a FROM t\n```", "SELECT a FROM t"),
        ("SELECT * FROM t WHERE a = 1\n\nThis query returns all rows.", "SELECT * FROM t WHERE a = 1"),
        ("SQL: select name from x order by 1;\n这个查询按名称排序。", "select name from x order by 1;"),
        ("```sql\nSELECT 1;\n```\n```sql\nSELECT 2\n```", "SELECT 1;"),
        (
            "```python\nprint(1)\n```\n```sql\nWITH a AS (SELECT 1) SELECT * FROM a\n```",
            "WITH a AS (SELECT 1) SELECT * FROM a",
        ),
        ("```sql\nDELETE FROM t\n```", "DELETE FROM t"),
        ("好的，执行 DROP TABLE t 即可：\nDROP TABLE t", "DROP TABLE t"),
        ("```sql\nSELECT 1 /* ; DROP TABLE t */\n```", "SELECT 1 /* ; DROP TABLE t */"),
        ("```sql\nSELECT region\nFROM orders", "SELECT region\nFROM orders"),
    ],
)
def test_extract_sql_reply_shapes(reply: str, expected: str) -> None:
    assert extract_sql(reply) == expected


@pytest.mark.parametrize("reply", ["我无法回答这个问题。", "", "The table has no such data.", "```\nhello\n```"])
def test_extract_sql_none_without_query(reply: str) -> None:
    assert extract_sql(reply) is None
