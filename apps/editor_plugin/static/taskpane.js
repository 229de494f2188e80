// The task pane: reads the selection through a host module, runs an edit
// operation or outline generation on the writing service, streams the result
// into the pane and writes it into the document when the user accepts it.

import { applyTexts, text } from "./texts.js";
import { ApiError, createOutline, outlineHeadings, streamEdit } from "./writing-api.js";

// Host modules by name. host-office.js is the only one that calls Office.js, and
// host-wps.js the only one that calls the WPS API.
const HOST_MODULES = {
  office: "./host-office.js",
  wps: "./host-wps.js",
  standin: "./host-standin.js",
};
const KEY_STORAGE = "xingchen.editorPlugin.apiKey";
const LANGUAGE_STORAGE = "xingchen.editorPlugin.language";

const state = {
  host: null,
  language: localStorage.getItem(LANGUAGE_STORAGE) === "en" ? "en" : "zh",
  selection: { text: "", before: "", after: "" },
  result: null,
  abort: null,
  headings: [],
};

const $ = (id) => document.getElementById(id);

// `?host=office` in the manifest's SourceLocation selects Word, and `?host=wps` in the
// pane URL that the WPS add-in opens selects WPS. Without either the pane runs over
// the stand-in document, which needs no Office.js and no network.
function hostName() {
  const requested = new URLSearchParams(window.location.search).get("host");
  return Object.hasOwn(HOST_MODULES, requested) ? requested : "standin";
}

function t(key, params) {
  return text(state.language, key, params);
}

function showStatus(message) {
  $("status").textContent = message;
}

function showError(error) {
  const box = $("message");
  if (error instanceof ApiError) {
    box.textContent = error.detail ? `${error.title}${t("colon")}${error.detail}` : error.title;
  } else {
    box.textContent = `${t("hostFailed")}${t("colon")}${error.message || error}`;
  }
  box.hidden = false;
  showStatus("");
}

function clearError() {
  $("message").hidden = true;
  $("message").textContent = "";
}

function apiKey() {
  const key = localStorage.getItem(KEY_STORAGE) || "";
  if (!key) {
    throw new ApiError(t("apiKeyMissing"), "", 0);
  }
  return key;
}

function renderSelection() {
  const preview = $("selection-preview");
  const selected = state.selection.text;
  preview.textContent = selected || t("selectionEmpty");
  preview.classList.toggle("empty", !selected);
}

async function readSelection() {
  state.selection = await state.host.getSelection();
  renderSelection();
  return state.selection;
}

function setBusy(busy) {
  for (const button of document.querySelectorAll("#operations button, #generate-outline")) {
    button.disabled = busy;
  }
  $("cancel").hidden = !busy;
  $("pane").setAttribute("aria-busy", String(busy));
}

function setAcceptable(acceptable) {
  $("accept-replace").disabled = !acceptable;
  $("accept-insert").disabled = !acceptable;
}

async function runOperation(operation) {
  clearError();
  const key = apiKey();
  const selection = await readSelection();
  if (!selection.text.trim()) {
    throw new ApiError(t("selectionEmpty"), "", 0);
  }

  state.result = null;
  state.abort = new AbortController();
  $("result-box").hidden = false;
  $("result").textContent = "";
  setAcceptable(false);
  setBusy(true);
  showStatus(t("working"));
  try {
    const result = await streamEdit({
      apiKey: key,
      language: state.language,
      operation,
      selection: selection.text,
      before: selection.before,
      after: selection.after,
      style: $("style").value.trim(),
      signal: state.abort.signal,
      onDelta: (piece) => {
        $("result").textContent += piece;
      },
      texts: { networkError: t("networkError"), streamFailed: t("streamFailed"), streamEnded: t("streamEnded") },
    });
    state.result = result;
    // The streamed pieces are the raw reply, and the done event carries the cleaned text.
    $("result").textContent = result.operation === "continue" ? result.added : result.replacement;
    setAcceptable(true);
    showStatus(t("done"));
  } finally {
    setBusy(false);
    state.abort = null;
    if (!state.result && !$("result").textContent) {
      $("result-box").hidden = true;
    }
  }
}

async function accept(mode) {
  clearError();
  const result = state.result;
  const current = await readSelection();
  if (current.text !== result.original) {
    throw new ApiError(t("selectionChanged"), "", 0);
  }

  if (mode === "replace") {
    await state.host.replaceSelection(result.replacement);
    showStatus(t("replaced"));
  } else {
    await state.host.insertAfterSelection(result.added);
    showStatus(t("inserted"));
  }
  state.result = null;
  setAcceptable(false);
  await readSelection();
}

function discard() {
  state.abort?.abort();
  state.result = null;
  $("result").textContent = "";
  $("result-box").hidden = true;
  showStatus("");
}

function renderOutline() {
  const list = $("outline-preview");
  list.replaceChildren();
  for (const heading of state.headings) {
    const item = document.createElement("li");
    item.textContent = heading.text;
    item.className = `level-${heading.level}`;
    list.append(item);
  }
  $("insert-headings").disabled = state.headings.length === 0;
}

async function generateOutline() {
  clearError();
  const key = apiKey();
  const title = $("outline-title").value.trim();
  if (!title) {
    throw new ApiError(t("outlineTitleMissing"), "", 0);
  }

  setBusy(true);
  showStatus(t("working"));
  try {
    const outline = await createOutline({
      apiKey: key,
      language: state.language,
      title,
      requirements: $("requirements").value.trim(),
      documentType: $("document-type").value,
      texts: { networkError: t("networkError") },
    });
    state.headings = outlineHeadings(outline);
    renderOutline();
    showStatus(t("outlineReady", { count: state.headings.length }));
  } finally {
    setBusy(false);
  }
}

async function insertHeadings() {
  clearError();
  await state.host.insertHeadings(state.headings);
  showStatus(t("headingsInserted", { count: state.headings.length }));
}

async function useSelectionAsTitle() {
  clearError();
  const selection = await readSelection();
  $("outline-title").value = selection.text.trim();
}

function saveKey() {
  clearError();
  localStorage.setItem(KEY_STORAGE, $("api-key").value.trim());
  showStatus(t("apiKeySaved"));
}

function switchLanguage() {
  state.language = state.language === "zh" ? "en" : "zh";
  localStorage.setItem(LANGUAGE_STORAGE, state.language);
  applyTexts(document, state.language);
  renderSelection();
  // A shown error is in the old language (the server wrote it so), so it goes with the switch.
  clearError();
  showStatus("");
}

// Run a click handler and show any error it raises. An aborted stream is not an error.
function handle(action) {
  return () => {
    action().catch((error) => {
      if (error.name === "AbortError") {
        showStatus("");
        return;
      }
      showError(error);
    });
  };
}

function wireEvents() {
  for (const button of document.querySelectorAll("#operations button")) {
    button.addEventListener("click", handle(() => runOperation(button.dataset.operation)));
  }
  $("accept-replace").addEventListener("click", handle(() => accept("replace")));
  $("accept-insert").addEventListener("click", handle(() => accept("insert")));
  $("discard").addEventListener("click", discard);
  $("cancel").addEventListener("click", () => state.abort?.abort());
  $("refresh-selection").addEventListener("click", handle(readSelection));
  $("use-selection").addEventListener("click", handle(useSelectionAsTitle));
  $("generate-outline").addEventListener("click", handle(generateOutline));
  $("insert-headings").addEventListener("click", handle(insertHeadings));
  $("save-key").addEventListener("click", saveKey);
  $("language-switch").addEventListener("click", switchLanguage);
}

async function start() {
  const name = hostName();
  applyTexts(document, state.language);
  $("api-key").value = localStorage.getItem(KEY_STORAGE) || "";
  wireEvents();
  setBusy(false);

  state.host = await import(HOST_MODULES[name]);
  await state.host.init($("host-area"));
  document.body.dataset.host = name;
  await readSelection();
  document.body.dataset.ready = "true";
}

start().catch(showError);
