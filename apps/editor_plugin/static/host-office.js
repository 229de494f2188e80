// Host module for Microsoft Word, and the only file that calls Office.js.
//
// NOTE: Office.js is Word's own library and Microsoft serves it only from its CDN.
// It is loaded here, when Word opens the pane from the manifest (`?host=office`).
// The tests run the pane with host-standin.js and load nothing from the network.
// This module is written against Word JavaScript API 1.3 (the manifest requires
// it) and has not run in Word in this project's tests.

const OFFICE_JS_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.append(script);
  });
}

// Load Office.js and wait until Word is ready. Any other Office application is rejected.
export async function init() {
  await loadScript(OFFICE_JS_URL);
  const info = await Office.onReady();
  if (info.host !== Office.HostType.Word) {
    throw new Error(`this add-in runs in Word only, not in ${info.host}`);
  }
}

// Return the selected text and the paragraphs just before and after it as context.
export async function getSelection() {
  return Word.run(async (context) => {
    const range = context.document.getSelection();
    const previous = range.paragraphs.getFirst().getPreviousOrNullObject();
    const next = range.paragraphs.getLast().getNextOrNullObject();
    range.load("text");
    previous.load("text");
    next.load("text");
    await context.sync();

    return {
      text: range.text,
      before: previous.isNullObject ? "" : previous.text,
      after: next.isNullObject ? "" : next.text,
    };
  });
}

// Put `text` in place of the selection and select the new text.
export async function replaceSelection(text) {
  await Word.run(async (context) => {
    const inserted = context.document.getSelection().insertText(text, Word.InsertLocation.replace);
    inserted.select();
    await context.sync();
  });
}

// Insert `text` right after the selection and select it.
export async function insertAfterSelection(text) {
  await Word.run(async (context) => {
    const inserted = context.document.getSelection().insertText(text, Word.InsertLocation.after);
    inserted.select();
    await context.sync();
  });
}

// Insert headings ({text, level}) as paragraphs in Word's built-in Heading 1-4 styles
// after the paragraph that contains the end of the selection.
export async function insertHeadings(headings) {
  await Word.run(async (context) => {
    let paragraph = context.document.getSelection().paragraphs.getLast();
    for (const heading of headings) {
      const level = Math.min(Math.max(heading.level, 1), 4);
      paragraph = paragraph.insertParagraph(heading.text, Word.InsertLocation.after);
      paragraph.styleBuiltIn = `Heading${level}`;
    }
    paragraph.getRange(Word.RangeLocation.end).select();
    await context.sync();
  });
}
