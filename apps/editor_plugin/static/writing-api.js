// Calls to the writing service's REST API: edit operations streamed as
// Server-Sent Events, and outline generation. Every request carries the API key
// as a bearer token and the pane's language in Accept-Language.

// The pane is served at <gateway>/editor-plugin/taskpane.html, so the API is one level up.
const WRITING_API = new URL("../api/v1/writing/", window.location.href);

// An error the pane shows as it is: the API's problem title and detail, or a network failure.
export class ApiError extends Error {
  constructor(title, detail, status) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = "ApiError";
    this.title = title;
    this.detail = detail;
    this.status = status;
  }
}

function headers(apiKey, language) {
  return {
    "Authorization": `Bearer ${apiKey}`,
    "Content-Type": "application/json",
    "Accept-Language": language,
  };
}

// Build an ApiError from a failed response, which the gateway sends as RFC 9457 problem+json.
async function problemError(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return new ApiError(problem.title || `HTTP ${response.status}`, problem.detail || "", response.status);
  } catch {
    return new ApiError(`HTTP ${response.status}`, text.slice(0, 300), response.status);
  }
}

async function post(url, apiKey, language, body, signal, networkMessage) {
  try {
    return await fetch(url, {
      method: "POST",
      headers: headers(apiKey, language),
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") {
      throw error;
    }
    throw new ApiError(networkMessage, String(error.message || error), 0);
  }
}

// Split an SSE byte stream into {event, data} records. sse-starlette ends lines
// with \r\n, and the specification also allows \n and \r.
async function* readEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    buffer = buffer.replace(/\r\n?/g, "\n");
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const record = parseRecord(buffer.slice(0, boundary));
      buffer = buffer.slice(boundary + 2);
      if (record) {
        yield record;
      }
      boundary = buffer.indexOf("\n\n");
    }
    if (done) {
      const record = parseRecord(buffer);
      if (record) {
        yield record;
      }
      return;
    }
  }
}

function parseRecord(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) {
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") {
      event = value;
    } else if (field === "data") {
      data.push(value);
    }
  }
  return data.length ? { event, data: data.join("\n") } : null;
}

// Run edit `operation` on `selection`, calling onDelta(text) for each streamed piece.
// Resolves with the service's EditResult ({operation, original, replacement, added}).
export async function streamEdit({ apiKey, language, operation, selection, before, after, style, signal, onDelta, texts }) {
  const url = new URL(`edit/${encodeURIComponent(operation)}`, WRITING_API);
  const body = { selection, before, after, style };
  const response = await post(url, apiKey, language, body, signal, texts.networkError);
  if (!response.ok) {
    throw await problemError(response);
  }

  for await (const record of readEvents(response.body)) {
    const data = JSON.parse(record.data);
    if (record.event === "delta") {
      onDelta(data.text);
    } else if (record.event === "done") {
      return data;
    } else if (record.event === "error") {
      throw new ApiError(texts.streamFailed, data.detail || data.code, data.status);
    }
  }
  throw new ApiError(texts.streamFailed, texts.streamEnded, 0);
}

// Plan an outline. Resolves with the service's Outline ({title, sections: [{heading, level, children}]}).
export async function createOutline({ apiKey, language, title, requirements, documentType, signal, texts }) {
  const url = new URL("outline", WRITING_API);
  const body = { title, requirements, document_type: documentType };
  const response = await post(url, apiKey, language, body, signal, texts.networkError);
  if (!response.ok) {
    throw await problemError(response);
  }
  return response.json();
}

// Flatten an outline's section tree into headings in reading order.
export function outlineHeadings(outline) {
  const headings = [];
  const visit = (sections) => {
    for (const section of sections) {
      headings.push({ text: section.heading, level: section.level });
      visit(section.children || []);
    }
  };
  visit(outline.sections || []);
  return headings;
}
