// Writing page: references and title -> outline -> edited outline -> streamed draft -> .docx.
"use strict";

(() => {
  const { t, el, api, apiJson, guard, events, download, showError } = Portal;
  const MAX_LEVEL = 4;
  const CITATION = /\[(\d+)\]/g;

  let outlineId = null;
  let sections = []; // flat, in reading order: {heading, note, level, passage_ids}
  let citations = new Map(); // number -> citation
  let passages = new Map(); // number -> promise of the whole cited passage
  let shownCitation = null;
  let documentId = null;

  const form = document.getElementById("outline-form");
  const list = document.getElementById("outline-sections");

  function flatten(tree, out = []) {
    for (const node of tree) {
      out.push({ heading: node.heading, note: node.note || "", level: node.level, passage_ids: node.passage_ids || [] });
      flatten(node.children || [], out);
    }
    return out;
  }

  // Rebuild the section tree from the flat list; a level may rise by one step at most.
  function toTree(flat) {
    const root = [];
    const stack = [];
    for (const item of flat) {
      const level = Math.max(1, Math.min(item.level, stack.length + 1, MAX_LEVEL));
      item.level = level;
      const node = { heading: item.heading, note: item.note, level, passage_ids: item.passage_ids, children: [] };
      stack.length = level - 1;
      (level === 1 ? root : stack[level - 2].children).push(node);
      stack.push(node);
    }
    return root;
  }

  function move(index, offset) {
    const target = index + offset;
    if (target < 0 || target >= sections.length) return;
    [sections[index], sections[target]] = [sections[target], sections[index]];
    renderOutline();
  }

  function renderOutline() {
    toTree(sections); // clamps levels so the display matches what will be saved
    list.replaceChildren(
      ...sections.map((section, index) =>
        el("li", { class: "outline-item", style: `--level: ${section.level}`, dataset: { level: section.level } },
          el("input", {
            "aria-label": t("writing_section_heading"),
            value: section.heading,
            oninput: (event) => { section.heading = event.target.value; },
          }),
          el("span", { class: "item-tools" },
            el("button", { type: "button", title: t("writing_move_up"), "aria-label": t("writing_move_up"), onclick: () => move(index, -1) }, "↑"),
            el("button", { type: "button", title: t("writing_move_down"), "aria-label": t("writing_move_down"), onclick: () => move(index, 1) }, "↓"),
            el("button", { type: "button", title: t("writing_outdent"), "aria-label": t("writing_outdent"),
              onclick: () => { section.level = Math.max(1, section.level - 1); renderOutline(); } }, "←"),
            el("button", { type: "button", title: t("writing_indent"), "aria-label": t("writing_indent"),
              onclick: () => { section.level = Math.min(MAX_LEVEL, section.level + 1); renderOutline(); } }, "→"),
            el("button", { type: "button", class: "danger", title: t("writing_remove"), "aria-label": t("writing_remove"),
              onclick: () => { sections.splice(index, 1); renderOutline(); } }, "✕"),
          ),
        ),
      ),
    );
  }

  async function saveOutline() {
    const namedSections = sections.filter((section) => section.heading.trim());
    if (!namedSections.length) throw new Portal.ApiError(t("writing_outline_empty"), 0, null);
    const outline = await apiJson(`/api/v1/writing/outline/${outlineId}`, {
      method: "PUT",
      json: { title: form.title.value, document_type: form.document_type.value, sections: toTree(namedSections) },
    });
    sections = flatten(outline.sections);
    renderOutline();
    return outline;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = document.getElementById("make-outline");
    const status = document.getElementById("outline-status");
    guard(button, async () => {
      status.textContent = t("working");
      try {
        const body = new FormData(form);
        const outline = await apiJson("/api/v1/writing/outline", { method: "POST", form: body });
        outlineId = outline.id;
        sections = flatten(outline.sections);
        renderOutline();
        document.getElementById("outline-card").hidden = false;
        status.textContent = t("writing_outline_ready", { count: sections.length });
      } catch (error) {
        status.textContent = "";
        throw error;
      }
    });
  });

  document.getElementById("add-section").addEventListener("click", () => {
    sections.push({ heading: t("writing_new_section"), note: "", level: 1, passage_ids: [] });
    renderOutline();
    list.lastElementChild.querySelector("input").select();
  });

  document.getElementById("save-outline").addEventListener("click", (event) => {
    guard(event.currentTarget, async () => {
      await saveOutline();
      document.getElementById("draft-status").textContent = t("saved");
    });
  });

  // Show text with each [n] marker as a button that opens the cited passage.
  function renderText(container, text) {
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(CITATION)) {
      parts.push(text.slice(last, match.index));
      const number = Number(match[1]);
      parts.push(el("button", { type: "button", class: "cite", dataset: { number },
        onclick: () => guard(null, () => showCitation(number)) }, `[${number}]`));
      last = match.index + match[0].length;
    }
    parts.push(text.slice(last));
    container.replaceChildren(...parts);
  }

  // Show the citation's stored excerpt at once, then the whole passage fetched from the writing service.
  async function showCitation(number) {
    const citation = citations.get(number);
    const hint = document.getElementById("citation-hint");
    const body = document.getElementById("citation-body");
    if (!citation) {
      hint.textContent = t("writing_citation_pending");
      body.hidden = true;
      return;
    }
    shownCitation = number;
    hint.textContent = `[${number}]`;
    document.getElementById("citation-source").textContent = citation.filename;
    document.getElementById("citation-path").textContent = (citation.heading_path || []).join(" › ");
    document.getElementById("citation-span").textContent = t("writing_citation_loading");
    document.getElementById("citation-text").textContent = citation.excerpt;
    body.hidden = false;
    document.getElementById("citation-panel").scrollIntoView({ block: "nearest" });

    if (!passages.has(number)) {
      const path = `/api/v1/writing/documents/${documentId}/citations/${number}`;
      passages.set(number, apiJson(path).catch((error) => {
        passages.delete(number);
        throw error;
      }));
    }
    let passage;
    try {
      passage = await passages.get(number);
    } catch (error) {
      if (shownCitation === number) document.getElementById("citation-span").textContent = "";
      throw error;
    }
    // Another citation may have been clicked while this one loaded.
    if (shownCitation !== number) return;
    const span = t("writing_citation_span", { start: passage.start + 1, end: passage.end });
    const page = passage.page ? ` · ${t("writing_citation_page", { page: passage.page })}` : "";
    document.getElementById("citation-span").textContent = span + page;
    document.getElementById("citation-text").textContent = passage.text;
  }

  function sectionBlock(index, heading, level) {
    const block = el("section", { class: "draft-section", dataset: { index } },
      el(level === 1 ? "h3" : "h4", {}, heading),
      el("p", { class: "draft-text" }));
    document.getElementById("draft-sections").append(block);
    return block;
  }

  async function writeDraft(button) {
    const status = document.getElementById("draft-status");
    const outline = await saveOutline();
    const levels = sections.map((section) => section.level);
    const target = document.getElementById("draft-sections");
    target.replaceChildren();
    citations = new Map();
    passages = new Map();
    shownCitation = null;
    documentId = null;
    document.getElementById("download-docx").disabled = true;
    document.getElementById("draft-title").textContent = outline.title;
    document.getElementById("draft-card").hidden = false;

    const response = await api("/api/v1/writing/draft/stream", { method: "POST", json: { outline_id: outlineId } });
    const blocks = [];
    for await (const { event, data } of events(response)) {
      if (event === "section_start") {
        blocks[data.index] = sectionBlock(data.index, data.heading, levels[data.index] || 1);
        status.textContent = t("writing_section_progress", { number: data.index + 1, total: data.total, heading: data.heading });
      } else if (event === "delta") {
        blocks[data.index].querySelector(".draft-text").append(data.text);
      } else if (event === "section_done") {
        renderText(blocks[data.index].querySelector(".draft-text"), data.text);
      } else if (event === "error") {
        throw new Portal.ApiError(data.detail, data.status, null);
      } else if (event === "done") {
        // Citations are renumbered in order of first use once the whole draft is written.
        citations = new Map(data.citations.map((citation) => [citation.number, citation]));
        data.sections.forEach((section, index) => {
          if (blocks[index]) renderText(blocks[index].querySelector(".draft-text"), section.text);
        });
        documentId = data.document_id;
        document.getElementById("download-docx").disabled = false;
        status.textContent = t("writing_draft_done");
      }
    }
  }

  document.getElementById("write-draft").addEventListener("click", (event) => {
    const button = event.currentTarget;
    guard(button, () => writeDraft(button));
  });

  document.getElementById("download-docx").addEventListener("click", (event) => {
    if (!documentId) return;
    guard(event.currentTarget, () => download(`/api/v1/writing/documents/${documentId}?format=docx`, "draft.docx"));
  });

  window.addEventListener("unhandledrejection", (event) => showError(event.reason));
})();
