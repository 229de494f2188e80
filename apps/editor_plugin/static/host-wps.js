// Host module for WPS Writer (WPS文字), and the only file of the pane that calls the
// WPS API. It exports the same functions as host-office.js. The WPS document API
// follows the Word VBA object model: ActiveDocument, Selection.Range, Range.Text,
// Range.InsertAfter, Range.Paragraphs and Range.Style with WdBuiltinStyle values.
//
// Member names and behaviour follow Kingsoft's WPS 文字 API reference (Range 对象),
// read in a Markdown copy. In particular, InsertAfter extends the range over the new
// text, and Document.Range(start, end) takes character positions.
// NOTE: this module has run only against a stand-in of that object model in Chromium
// (tests/browser/wps-standin.js), never inside WPS.

// Characters of context sent before and after the selection. The service trims it further.
const CONTEXT_CHARS = 1000;
// WdBuiltinStyle values of Heading 1 to Heading 4 (wdStyleHeading1 = -2 ... wdStyleHeading4 = -5).
const HEADING_STYLES = [-2, -3, -4, -5];
// WPS ends every paragraph with a carriage return, as Word does.
const PARAGRAPH_MARK = "\r";

let application = null;

// WPS gives the pages of an add-in the application object as window.Application.
// NOTE: wps.WpsApplication() is the older entry point that some add-ins use; which WPS
// versions lack window.Application is not known here.
function findApplication() {
  if (window.Application) {
    return window.Application;
  }
  if (window.wps && typeof window.wps.WpsApplication === "function") {
    return window.wps.WpsApplication();
  }
  return null;
}

// Find the WPS application object. Outside WPS there is none, and the pane shows the error.
export async function init() {
  application = findApplication();
  if (!application) {
    throw new Error("未找到 WPS 应用对象，请在 WPS 文字的“星辰写作”选项卡中打开窗格 · WPS application object not found");
  }
}

function activeDocument() {
  const doc = application.ActiveDocument;
  if (!doc) {
    throw new Error("WPS 中没有打开的文档 · no document is open in WPS");
  }
  return doc;
}

// Return the selection as [start, end] character positions, leaving out a final
// paragraph mark, so that replacing a whole selected paragraph keeps it a paragraph.
// NOTE: positions are assumed to count UTF-16 code units, as JavaScript strings do;
// text with characters outside the Basic Multilingual Plane was not checked.
function selectedSpan() {
  const range = application.Selection.Range;
  const start = range.Start;
  let end = range.End;
  if (end > start && range.Text.endsWith(PARAGRAPH_MARK)) {
    end -= 1;
  }
  return [start, end];
}

// Turn paragraph marks and manual line breaks (vertical tab) into "\n" for the service.
function fromDocumentText(text) {
  return text.replace(/[\r\v]/g, "\n");
}

// Turn every line break into a paragraph mark, so that a result of several lines becomes paragraphs.
function toDocumentText(text) {
  return text.replace(/\r\n?|\n/g, PARAGRAPH_MARK);
}

// Return the selected text with up to CONTEXT_CHARS characters before and after it.
export async function getSelection() {
  const doc = activeDocument();
  const [start, end] = selectedSpan();
  const storyEnd = doc.Content.End;

  return {
    text: start === end ? "" : fromDocumentText(doc.Range(start, end).Text),
    before: fromDocumentText(doc.Range(Math.max(0, start - CONTEXT_CHARS), start).Text),
    after: fromDocumentText(doc.Range(end, Math.min(storyEnd, end + CONTEXT_CHARS)).Text),
  };
}

// Put `text` in place of the selection and select the new text.
export async function replaceSelection(text) {
  const doc = activeDocument();
  const [start, end] = selectedSpan();
  const content = toDocumentText(text);

  doc.Range(start, end).Text = content;
  doc.Range(start, start + content.length).Select();
}

// Insert `text` right after the selection and select it.
export async function insertAfterSelection(text) {
  const doc = activeDocument();
  const [, end] = selectedSpan();
  const content = toDocumentText(text);

  doc.Range(end, end).InsertAfter(content);
  doc.Range(end, end + content.length).Select();
}

// Insert headings ({text, level}) as paragraphs in the built-in Heading 1-4 styles
// after the paragraph that contains the end of the selection.
export async function insertHeadings(headings) {
  const doc = activeDocument();
  const [, end] = selectedSpan();
  // Position of the paragraph mark that ends the paragraph containing the selection's end.
  let mark = doc.Range(end, end).Paragraphs.Item(1).Range.End - 1;

  for (const heading of headings) {
    const level = Math.min(Math.max(heading.level, 1), 4);
    const title = heading.text.replace(/[\r\n\v]+/g, " ");
    // A paragraph mark inserted before the old one splits off a new paragraph, which
    // contains the heading and ends with the old mark.
    doc.Range(mark, mark).InsertAfter(PARAGRAPH_MARK + title);
    const start = mark + 1;
    mark = start + title.length;
    // NOTE: a numeric WdBuiltinStyle value is assumed to select the built-in style whatever
    // the language of WPS, as it does in Word; WPS itself was not checked.
    doc.Range(start, mark + 1).Style = HEADING_STYLES[level - 1];
  }
  doc.Range(mark, mark).Select();
}
