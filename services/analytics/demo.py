"""The embedded demo source: a DuckDB file of telecom business data, generated deterministically.

The data is invented: six regions, eight plans and 36 months (2023-01 to
2025-12) of subscribers, revenue, churn and complaints. A fixed random seed
makes every generated file identical, so examples and tests can rely on it.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from datetime import date
from pathlib import Path

import duckdb
import pandas

logger = logging.getLogger(__name__)

DEMO_SOURCE_NAME = "demo"
DEMO_SEED = 20250101

# (region id, name, relative market size)
REGIONS = [
    (1, "华东", 1.6),
    (2, "华北", 1.3),
    (3, "华南", 1.4),
    (4, "华中", 1.0),
    (5, "西南", 0.9),
    (6, "西北", 0.6),
]

# (plan id, name, category, monthly fee in yuan, base subscribers per unit of market size)
PLANS = [
    (1, "5G畅享129元", "5G", 129.0, 42000),
    (2, "5G尊享199元", "5G", 199.0, 18000),
    (3, "5G轻享59元", "5G", 59.0, 55000),
    (4, "4G经典39元", "4G", 39.0, 61000),
    (5, "千兆宽带100元", "宽带", 100.0, 30000),
    (6, "融合套餐169元", "融合", 169.0, 26000),
    (7, "物联网卡10元", "物联网", 10.0, 80000),
    (8, "政企专线2000元", "政企", 2000.0, 900),
]

COMPLAINT_CATEGORIES = ["网络质量", "资费争议", "服务态度", "宽带故障", "账单疑问"]

SCHEMA = """
CREATE TABLE regions (
    region_id INTEGER PRIMARY KEY,
    region_name VARCHAR NOT NULL
);
COMMENT ON TABLE regions IS '地区维表 · sales regions';
COMMENT ON COLUMN regions.region_id IS '地区编号';
COMMENT ON COLUMN regions.region_name IS '地区名称，如 华东、华北';

CREATE TABLE plans (
    plan_id INTEGER PRIMARY KEY,
    plan_name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    monthly_fee DECIMAL(10, 2) NOT NULL
);
COMMENT ON TABLE plans IS '套餐/产品维表 · tariff plans and products';
COMMENT ON COLUMN plans.plan_id IS '套餐编号';
COMMENT ON COLUMN plans.plan_name IS '套餐名称';
COMMENT ON COLUMN plans.category IS '产品类别：5G、4G、宽带、融合、物联网、政企';
COMMENT ON COLUMN plans.monthly_fee IS '月费（元）';

CREATE TABLE monthly_kpi (
    month DATE NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(region_id),
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id),
    subscribers INTEGER NOT NULL,
    new_subscribers INTEGER NOT NULL,
    churned_subscribers INTEGER NOT NULL,
    revenue DECIMAL(14, 2) NOT NULL,
    PRIMARY KEY (month, region_id, plan_id)
);
COMMENT ON TABLE monthly_kpi IS '月度经营指标：每月每地区每套餐一行 · monthly KPIs per region and plan';
COMMENT ON COLUMN monthly_kpi.month IS '月份（当月第一天）';
COMMENT ON COLUMN monthly_kpi.region_id IS '地区编号';
COMMENT ON COLUMN monthly_kpi.plan_id IS '套餐编号';
COMMENT ON COLUMN monthly_kpi.subscribers IS '月末用户数（户）';
COMMENT ON COLUMN monthly_kpi.new_subscribers IS '当月新增用户数（户）';
COMMENT ON COLUMN monthly_kpi.churned_subscribers IS '当月离网用户数（户）';
COMMENT ON COLUMN monthly_kpi.revenue IS '当月收入（元）';

CREATE TABLE complaints (
    month DATE NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(region_id),
    category VARCHAR NOT NULL,
    complaint_count INTEGER NOT NULL,
    PRIMARY KEY (month, region_id, category)
);
COMMENT ON TABLE complaints IS '月度投诉量：每月每地区每类投诉一行 · monthly complaints';
COMMENT ON COLUMN complaints.month IS '月份（当月第一天）';
COMMENT ON COLUMN complaints.region_id IS '地区编号';
COMMENT ON COLUMN complaints.category IS '投诉类别：网络质量、资费争议、服务态度、宽带故障、账单疑问';
COMMENT ON COLUMN complaints.complaint_count IS '投诉件数（件）';
"""

_lock = threading.Lock()


def demo_months() -> list[date]:
    return [date(year, month, 1) for year in (2023, 2024, 2025) for month in range(1, 13)]


def ensure_demo_database(path: Path) -> Path:
    """Generate the demo DuckDB file at `path` unless it exists; safe to call from several threads."""
    if path.exists():
        return path
    with _lock:
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        logger.info("generating the analytics demo database at %s", path)
        connection = duckdb.connect(str(partial))
        try:
            _populate(connection)
        finally:
            connection.close()
        # Renaming makes the file appear whole, so a reader never opens a half-written one.
        partial.replace(path)
        logger.info("analytics demo database ready at %s", path)
    return path


def _populate(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SCHEMA)
    connection.executemany("INSERT INTO regions VALUES (?, ?)", [(rid, name) for rid, name, _ in REGIONS])
    connection.executemany(
        "INSERT INTO plans VALUES (?, ?, ?, ?)", [(pid, name, cat, fee) for pid, name, cat, fee, _ in PLANS]
    )

    generator = random.Random(DEMO_SEED)
    kpi_rows = []
    complaint_rows = []
    for region_id, _, size in REGIONS:
        for plan_id, _, category, fee, base in PLANS:
            subscribers = int(base * size * generator.uniform(0.85, 1.15))
            # 5G and broadband grow, 4G shrinks: a trend the analysis can find.
            trend = {"5G": 0.012, "宽带": 0.006, "融合": 0.009, "4G": -0.010}.get(category, 0.002)
            for index, month in enumerate(demo_months()):
                churn_rate = generator.uniform(0.008, 0.025)
                churned = int(subscribers * churn_rate)
                new = int(subscribers * max(churn_rate + trend + generator.uniform(-0.004, 0.004), 0.0))
                subscribers = subscribers + new - churned
                season = 1.0 + 0.04 * (month.month in (1, 2, 12)) - 0.02 * (month.month in (7, 8))
                revenue = round(subscribers * fee * season * generator.uniform(0.93, 1.02), 2)
                # One visible outlier: a broadband outage month in 西南.
                if region_id == 5 and plan_id == 5 and index == 20:
                    revenue = round(revenue * 0.55, 2)
                kpi_rows.append((month, region_id, plan_id, subscribers, new, churned, revenue))
    for region_id, _, size in REGIONS:
        for month in demo_months():
            for category in COMPLAINT_CATEGORIES:
                count = int(120 * size * generator.uniform(0.6, 1.4))
                if category == "宽带故障" and region_id == 5 and month == date(2024, 9, 1):
                    count *= 4
                complaint_rows.append((month, region_id, category, count))

    # Bulk inserts from DataFrames: row-by-row executemany takes seconds in DuckDB.
    kpi_frame = pandas.DataFrame(kpi_rows)
    complaint_frame = pandas.DataFrame(complaint_rows)
    connection.register("kpi_frame", kpi_frame)
    connection.register("complaint_frame", complaint_frame)
    connection.execute("INSERT INTO monthly_kpi SELECT * FROM kpi_frame")
    connection.execute("INSERT INTO complaints SELECT * FROM complaint_frame")
    connection.unregister("kpi_frame")
    connection.unregister("complaint_frame")
    connection.execute("CHECKPOINT")
