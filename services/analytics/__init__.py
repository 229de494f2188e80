"""Analytics (经营分析): business question -> guarded SQL -> table, chart, analysis and report."""

import services.analytics.messages  # noqa: F401  (registers the analytics error texts)
