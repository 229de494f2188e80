// Shared helpers of the portal pages: labels, API calls with the session's
// CSRF token, readable errors, Server-Sent Events over fetch, jobs, downloads.
"use strict";

const Portal = (() => {
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const labels = JSON.parse(document.getElementById("portal-labels").textContent);
  const errorBox = document.getElementById("portal-error");
  // The page's language ("zh" unless the user switched), sent with every API call so that
  // error texts match the page and not the browser's own Accept-Language.
  const language = document.documentElement.lang.startsWith("zh") ? "zh" : "en";

  class ApiError extends Error {
    constructor(message, status, requestId) {
      super(message);
      this.status = status;
      this.requestId = requestId;
    }
  }

  function t(key, params = {}) {
    const text = labels[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  // Build an element: el("button", {class: "x", onclick: f}, "text", child).
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Turn a failed response (RFC 9457 problem details) into an ApiError with its localised detail.
  async function errorFrom(response) {
    let detail = "";
    let requestId = response.headers.get("x-request-id");
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) {
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || "";
        requestId = problem.request_id || requestId;
      } catch (ignored) {
        detail = "";
      }
    }
    return new ApiError(detail || `HTTP ${response.status} ${response.statusText}`, response.status, requestId);
  }

  // Call the API with the session cookie; `json` or `form` is the body. Throws ApiError when not ok.
  async function api(path, { method = "GET", json, form } = {}) {
    const headers = { "X-CSRF-Token": csrfToken, "Accept-Language": language };
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      body = form;
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, credentials: "same-origin" });
    } catch (networkError) {
      throw new ApiError(t("error_network"), 0, null);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async function apiJson(path, options) {
    const response = await api(path, options);
    return response.json();
  }

  function showError(error) {
    const message = error instanceof Error ? error.message : String(error);
    errorBox.replaceChildren(el("p", {}, message));
    if (error.requestId) errorBox.append(el("p", { class: "muted" }, `${t("error_request_id")}: ${error.requestId}`));
    if (error.status === 401) {
      errorBox.append(el("a", { href: `/login?next=${location.pathname}` }, t("error_sign_in_again")));
    }
    errorBox.hidden = false;
    errorBox.scrollIntoView({ block: "nearest" });
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  // Run an async action for a button: disable it, clear old errors, show a new one.
  async function guard(button, action) {
    clearError();
    if (button) button.disabled = true;
    try {
      return await action();
    } catch (error) {
      showError(error);
      return undefined;
    } finally {
      if (button) button.disabled = false;
    }
  }

  // Yield {event, data} for each Server-Sent Event of a streaming response.
  async function* events(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) yield { event: name, data: JSON.parse(data.join("\n")) };
      }
    }
  }

  // Follow a job's event stream to its end; returns the finished job or throws its error.
  async function followJob(jobId, onProgress) {
    const response = await api(`/api/v1/jobs/${jobId}/events`);
    for await (const { event, data } of events(response)) {
      if (event === "progress" && onProgress) onProgress(data.progress, data.message);
      if (event === "done") {
        if (data.status !== "succeeded") {
          throw new ApiError(t("job_failed", { message: data.error ? data.error.message : data.status }), 0, null);
        }
        if (onProgress) onProgress(1, data.message);
        return data;
      }
    }
    throw new ApiError(t("error_network"), 0, null);
  }

  // Fetch a file from the API and hand it to the browser as a download.
  async function download(path, fallbackName) {
    const response = await api(path);
    const disposition = response.headers.get("content-disposition") || "";
    const match = disposition.match(/filename="?([^";]+)"?/);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: match ? match[1] : fallbackName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  return { ApiError, language, t, el, api, apiJson, showError, clearError, guard, events, followJob, download };
})();
