// Analytics page: question -> SQL (folded), table, chart, analysis; follow-ups; report download.
"use strict";

(() => {
  const { t, el, apiJson, guard, followJob, download } = Portal;
  const TABLE_ROWS = 50;

  const sourceSelect = document.getElementById("source");
  const template = document.getElementById("turn-template");
  let conversationId = null;

  async function loadSources() {
    const sources = await apiJson("/api/v1/analytics/sources");
    sourceSelect.replaceChildren(...sources.map((source) => el("option", { value: source.name }, source.name)));
  }

  // Number format per column, as in the reports: whole numbers without decimals (years
  // without separators), amounts with 2 decimals, ratios (all below 1) with 4. null: text.
  function columnFormats(columns, rows) {
    return columns.map((_, index) => {
      const values = rows.map((row) => row[index]).filter((value) => value !== null && value !== undefined);
      if (!values.length || !values.every((value) => typeof value === "number")) return null;
      if (values.every(Number.isInteger)) {
        return { decimals: 0, grouping: !values.every((value) => value >= 1900 && value <= 2100) };
      }
      return { decimals: Math.max(...values.map(Math.abs)) >= 1 ? 2 : 4, grouping: true };
    });
  }

  function cellText(value, format) {
    if (value === null || value === undefined) return "";
    if (format && typeof value === "number") {
      return value.toLocaleString(undefined, {
        minimumFractionDigits: format.decimals,
        maximumFractionDigits: format.decimals,
        useGrouping: format.grouping,
      });
    }
    return String(value);
  }

  function renderTurn(result) {
    const turn = template.content.firstElementChild.cloneNode(true);
    turn.dataset.turnId = result.turn_id;
    turn.querySelector(".turn-question").textContent = result.question;
    turn.querySelector(".turn-sql pre").textContent = result.sql;

    const formats = columnFormats(result.columns, result.rows);
    const align = (index) => ({ class: formats[index] ? "num" : null });
    turn.querySelector(".turn-table thead").append(
      el("tr", {}, result.columns.map((column, index) => el("th", align(index), column))),
    );
    turn.querySelector(".turn-table tbody").append(
      ...result.rows.map((row) =>
        el("tr", {}, row.map((value, index) => el("td", align(index), cellText(value, formats[index])))),
      ),
    );
    turn.querySelector(".turn-rows").textContent =
      result.total_rows > result.rows.length
        ? t("analytics_rows_page", { total: result.total_rows, shown: result.rows.length })
        : t("analytics_rows", { total: result.total_rows });

    const figure = turn.querySelector(".turn-chart");
    if (result.chart_spec) {
      figure.append(el("img", {
        src: `/portal/analytics/charts/${encodeURIComponent(result.turn_id)}.svg`,
        alt: t("analytics_chart_alt", { question: result.question }),
      }));
    } else {
      figure.append(el("p", { class: "muted" }, t("analytics_no_chart")));
    }

    const analysis = turn.querySelector(".turn-analysis");
    if (result.analysis) {
      for (const paragraph of result.analysis.narrative.text.split(/\n+/).filter(Boolean)) {
        analysis.append(el("p", {}, paragraph));
      }
    }

    const button = turn.querySelector(".turn-report");
    button.addEventListener("click", () => guard(button, () => makeReport(turn, result.turn_id)));
    document.getElementById("turns").append(turn);
    turn.scrollIntoView({ block: "start" });
  }

  async function makeReport(turn, turnId) {
    const progress = turn.querySelector(".turn-progress");
    const status = turn.querySelector(".turn-status");
    progress.hidden = false;
    progress.value = 0;
    try {
      const accepted = await apiJson("/api/v1/analytics/report", {
        method: "POST",
        json: { turn_id: turnId, formats: ["docx", "md", "html"] },
      });
      await followJob(accepted.job_id, (fraction, message) => {
        progress.value = fraction;
        status.textContent = t("job_progress", { percent: Math.round(fraction * 100), message });
      });
    } catch (error) {
      progress.hidden = true;
      status.textContent = "";
      throw error;
    }
    status.textContent = t("done");
    await download(`/api/v1/analytics/reports/${turnId}/docx`, "report.docx");
  }

  async function ask(question, statusNode) {
    statusNode.textContent = t("working");
    try {
      const result = await apiJson("/api/v1/analytics/ask", {
        method: "POST",
        json: { question, source: sourceSelect.value, conversation_id: conversationId, page_size: TABLE_ROWS },
      });
      conversationId = result.conversation_id;
      renderTurn(result);
      document.getElementById("followup-card").hidden = false;
    } finally {
      statusNode.textContent = "";
    }
  }

  document.getElementById("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    // A new question from the top form starts a new conversation.
    conversationId = null;
    document.getElementById("turns").replaceChildren();
    guard(document.getElementById("ask"), () =>
      ask(document.getElementById("question").value, document.getElementById("ask-status")));
  });

  document.getElementById("followup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("followup");
    guard(document.getElementById("ask-followup"), async () => {
      await ask(input.value, document.getElementById("ask-status"));
      input.value = "";
    });
  });

  guard(null, loadSources);
})();
