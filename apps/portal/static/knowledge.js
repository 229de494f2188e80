// Knowledge page: upload and extract, fields beside the highlighted source, review, export.
"use strict";

(() => {
  const { language, t, el, api, apiJson, guard, followJob, download } = Portal;
  const PALETTE_SIZE = 6;

  const categorySelect = document.getElementById("category");
  let categories = new Map();
  let record = null;
  let originalValues = {}; // field name -> the value text displayed before editing

  function localText(text) {
    if (!text) return "";
    return (language === "en" && text.en) || text.zh;
  }

  function valueText(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.join("、");
    return String(value);
  }

  async function loadCategories() {
    const list = await apiJson("/api/v1/knowledge/categories");
    categories = new Map(list.map((category) => [category.name, category]));
    categorySelect.replaceChildren(
      ...list.map((category) => el("option", { value: category.name }, categoryText(category))),
    );
  }

  // The category's label in the page language. Its name follows in brackets only for a stored
  // category whose name differs from both labels.
  function categoryText(category) {
    const label = localText(category.label);
    const known = [label, category.label && category.label.zh, category.label && category.label.en];
    if (!label) return category.name;
    if (known.includes(category.name)) return label;
    return language === "zh" ? `${label}（${category.name}）` : `${label} (${category.name})`;
  }

  // The source text with each field's evidence spans marked; overlapping spans keep the first.
  function renderSource(text, fields) {
    const spans = [];
    fields.forEach((field, index) => {
      for (const evidence of field.evidence || []) {
        spans.push({ start: evidence.start, end: evidence.end, field: field.name, colour: index % PALETTE_SIZE });
      }
    });
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const parts = [];
    let position = 0;
    for (const span of spans) {
      if (span.start < position || span.end > text.length) continue;
      parts.push(text.slice(position, span.start));
      parts.push(el("mark", { class: `hl hl-${span.colour}`, dataset: { field: span.field } }, text.slice(span.start, span.end)));
      position = span.end;
    }
    parts.push(text.slice(position));
    document.getElementById("source-text").replaceChildren(...parts);
  }

  function focusEvidence(name) {
    document.querySelectorAll("mark.hl.active").forEach((mark) => mark.classList.remove("active"));
    const marks = document.querySelectorAll(`mark.hl[data-field="${CSS.escape(name)}"]`);
    marks.forEach((mark) => mark.classList.add("active"));
    if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function renderFields() {
    const category = categories.get(record.category);
    const labels = new Map((category ? category.fields : []).map((field) => [field.name, localText(field.label)]));
    originalValues = {};
    const rows = record.fields.map((field, index) => {
      const value = valueText(record.values[field.name]);
      originalValues[field.name] = value;
      const evidence = (field.evidence || []).map((item) => item.text).join(" … ");
      return el("div", { class: "field", dataset: { field: field.name } },
        el("label", { for: `field-${field.name}` },
          el("span", { class: `swatch hl-${index % PALETTE_SIZE}` }), labels.get(field.name) || field.label || field.name),
        el("input", { id: `field-${field.name}`, name: field.name, value, onfocus: () => focusEvidence(field.name) }),
        el("p", { class: "evidence muted" },
          evidence ? `${t("knowledge_evidence")}：${evidence}` : t("knowledge_no_evidence")),
      );
    });
    document.getElementById("fields").replaceChildren(...rows);
    const badge = document.getElementById("record-status");
    badge.textContent = t(`knowledge_status_${record.status}`);
    badge.dataset.status = record.status;
  }

  function renderRecord(next) {
    record = next;
    document.getElementById("record-filename").textContent = record.filename;
    renderSource(record.source_text || "", record.fields);
    renderFields();
    document.getElementById("record-card").hidden = false;
  }

  document.getElementById("extract-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const status = document.getElementById("extract-status");
    guard(document.getElementById("extract"), async () => {
      status.textContent = t("working");
      try {
        const response = await api("/api/v1/knowledge/extract", { method: "POST", form: new FormData(event.target) });
        const body = await response.json();
        let recordId;
        if (response.status === 202) {
          const job = await followJob(body.job_id, (progress, message) => {
            status.textContent = t("job_progress", { percent: Math.round(progress * 100), message });
          });
          recordId = job.result.record_id;
        } else {
          recordId = body.record.id;
        }
        renderRecord(await apiJson(`/api/v1/knowledge/records/${recordId}`));
        status.textContent = t("knowledge_extracted", { count: record.fields.length });
      } catch (error) {
        status.textContent = "";
        throw error;
      }
    });
  });

  async function review(newStatus) {
    const values = {};
    for (const input of document.querySelectorAll("#fields input")) {
      if (input.value !== originalValues[input.name]) values[input.name] = input.value.trim() === "" ? null : input.value;
    }
    const reviewer = document.getElementById("reviewer").value.trim() || null;
    const updated = await apiJson(`/api/v1/knowledge/records/${record.id}`, {
      method: "PATCH",
      json: { status: newStatus, values, reviewer },
    });
    renderRecord(updated);
    document.getElementById("review-status").textContent = t(`knowledge_status_${updated.status}`);
  }

  document.getElementById("review-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guard(document.getElementById("approve"), () => review("approved"));
  });
  document.getElementById("reject").addEventListener("click", (event) => {
    guard(event.currentTarget, () => review("rejected"));
  });

  document.getElementById("export").addEventListener("click", (event) => {
    const format = document.getElementById("export-format").value;
    const category = encodeURIComponent(categorySelect.value);
    guard(event.currentTarget, () =>
      download(`/api/v1/knowledge/records/export?format=${format}&category=${category}`, `knowledge.${format}`));
  });

  guard(null, loadCategories);
})();
