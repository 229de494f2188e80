// Stand-in for the word processor: an editable document shown beside the pane.
// It implements the same functions as host-office.js over the browser's DOM
// selection, so the pane can be tried in any browser and tested in Chromium
// without Office.js or a network connection.

const SAMPLE_DOCUMENT = [
  ["h1", "营业厅服务提升工作通知"],
  ["p", "各分公司：为提高营业厅服务质量，现将有关事项通知如下。"],
  ["p", "营业厅要做好排队管理，减少客户等候时间。"],
  ["p", "请各单位于本月底前报送落实情况。"],
];
// Characters of context sent before and after the selection. The service trims it further.
const CONTEXT_CHARS = 1000;

let documentRoot = null;
let savedRange = null;

// Show the stand-in document in `container` and start tracking its selection.
export async function init(container) {
  const caption = document.createElement("p");
  caption.className = "standin-caption";
  caption.textContent = "演示文档（替身宿主，非 Word）· Stand-in document (not Word)";

  documentRoot = document.createElement("article");
  documentRoot.id = "standin-document";
  documentRoot.contentEditable = "true";
  documentRoot.spellcheck = false;
  for (const [tag, content] of SAMPLE_DOCUMENT) {
    const block = document.createElement(tag);
    block.textContent = content;
    documentRoot.append(block);
  }

  container.replaceChildren(caption, documentRoot);
  container.hidden = false;
  // Clicking a pane button keeps the selection, but typing in a pane field moves it,
  // so the last selection made inside the document is remembered.
  document.addEventListener("selectionchange", rememberSelection);
}

function rangeInDocument() {
  const selection = window.getSelection();
  if (selection.rangeCount === 0) {
    return null;
  }
  const range = selection.getRangeAt(0);
  return documentRoot.contains(range.commonAncestorContainer) ? range : null;
}

function rememberSelection() {
  const range = rangeInDocument();
  if (range) {
    savedRange = range.cloneRange();
  }
}

function currentRange() {
  const range = rangeInDocument();
  return range ? range.cloneRange() : savedRange;
}

function select(range) {
  savedRange = range.cloneRange();
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function requireRange() {
  const range = currentRange();
  if (!range) {
    throw new Error("no selection in the stand-in document");
  }
  return range;
}

// Return the selected text with up to CONTEXT_CHARS characters before and after it.
export async function getSelection() {
  const range = currentRange();
  if (!range) {
    return { text: "", before: "", after: "" };
  }

  const before = document.createRange();
  before.setStart(documentRoot, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const after = document.createRange();
  after.setStart(range.endContainer, range.endOffset);
  after.setEnd(documentRoot, documentRoot.childNodes.length);
  return {
    text: range.toString(),
    before: before.toString().slice(-CONTEXT_CHARS),
    after: after.toString().slice(0, CONTEXT_CHARS),
  };
}

function insertAndSelect(range, text) {
  const node = document.createTextNode(text);
  range.insertNode(node);

  const inserted = document.createRange();
  inserted.selectNodeContents(node);
  select(inserted);
}

// Put `text` in place of the selection and select the new text, as Word does.
export async function replaceSelection(text) {
  const range = requireRange();
  range.deleteContents();
  insertAndSelect(range, text);
}

// Insert `text` right after the selection and select it.
export async function insertAfterSelection(text) {
  const range = requireRange();
  range.collapse(false);
  insertAndSelect(range, text);
}

// Insert headings ({text, level}) as <h1>..<h4> after the block that contains the selection's end.
export async function insertHeadings(headings) {
  const range = currentRange();
  let anchor = range ? range.endContainer : documentRoot.lastChild;
  if (anchor === documentRoot) {
    anchor = documentRoot.childNodes[range.endOffset - 1] || documentRoot.firstChild;
  }
  while (anchor && anchor.parentNode !== documentRoot) {
    anchor = anchor.parentNode;
  }

  for (const heading of headings) {
    const level = Math.min(Math.max(heading.level, 1), 4);
    const element = document.createElement(`h${level}`);
    element.textContent = heading.text;
    if (anchor) {
      anchor.after(element);
    } else {
      documentRoot.append(element);
    }
    anchor = element;
  }

  if (anchor) {
    const end = document.createRange();
    end.selectNodeContents(anchor);
    end.collapse(false);
    select(end);
  }
}
