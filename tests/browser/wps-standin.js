// Stand-in of the WPS Writer object model for browser tests, injected with
// page.add_init_script before the pane loads. It defines window.Application over an
// in-memory document with only the members that host-wps.js and the add-in's main.js
// use, and window.wpsStandin for the tests to set up and inspect the document.
//
// Positions count characters of the document text, in which every paragraph ends with
// "\r", as in the Word object model. A paragraph's style belongs to its paragraph mark.
// Every method call and property write is recorded in wpsStandin.calls. Reading or
// writing a member the stand-in lacks throws, so a test fails when host-wps.js starts
// to use something that is not modelled here.
(() => {
  const MARK = "\r";
  // WdBuiltinStyle values that the stand-in accepts, by the name it stores.
  const BUILTIN_STYLES = new Map([
    [-1, "Normal"],
    [-2, "Heading 1"],
    [-3, "Heading 2"],
    [-4, "Heading 3"],
    [-5, "Heading 4"],
  ]);
  const SAMPLE_DOCUMENT = [
    ["Heading 1", "营业厅服务提升工作通知"],
    ["Normal", "各分公司：为提高营业厅服务质量，现将有关事项通知如下。"],
    ["Normal", "营业厅要做好排队管理，减少客户等候时间。"],
    ["Normal", "请各单位于本月底前报送落实情况。"],
  ];

  const state = { text: "", styles: [], selection: [0, 0], calls: [], taskPanes: [], storage: new Map() };

  function record(entry) {
    state.calls.push(entry);
  }

  function countMarks(text) {
    return text.split(MARK).length - 1;
  }

  function checkSpan(start, end) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > state.text.length) {
      throw new Error(`WPS stand-in: invalid range (${start}, ${end}) in a document of ${state.text.length} characters`);
    }
  }

  // Replace the text in [start, end) by `content`. Marks removed with the text take their
  // styles along. New marks take the style of the paragraph they split, as in Word.
  function splice(start, end, content) {
    checkSpan(start, end);
    if (end === state.text.length && (start < end || content)) {
      throw new Error("WPS stand-in: the final paragraph mark cannot be removed or followed by text");
    }
    const first = countMarks(state.text.slice(0, start));
    const removed = countMarks(state.text.slice(start, end));
    const inherited = state.styles[first + removed];

    state.text = state.text.slice(0, start) + content + state.text.slice(end);
    state.styles.splice(first, removed, ...Array(countMarks(content)).fill(inherited));
  }

  // Indexes of the paragraphs that [start, end) touches; a collapsed range touches the one it is in.
  function paragraphIndexes(start, end) {
    const first = countMarks(state.text.slice(0, start));
    const last = end > start ? countMarks(state.text.slice(0, end - 1)) : first;
    const indexes = [];
    for (let index = first; index <= Math.min(last, state.styles.length - 1); index += 1) {
      indexes.push(index);
    }
    return indexes;
  }

  function paragraphSpan(index) {
    let start = 0;
    for (let current = 0; current < index; current += 1) {
      start = state.text.indexOf(MARK, start) + 1;
    }
    return [start, state.text.indexOf(MARK, start) + 1];
  }

  // Wrap `target` so that reading or writing a member it lacks throws.
  function strict(target, typeName) {
    return new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === "symbol" || key === "then" || key === "toJSON") {
          return Reflect.get(object, key, receiver);
        }
        if (!(key in object)) {
          throw new Error(`WPS stand-in: ${typeName}.${key} is not modelled`);
        }
        return Reflect.get(object, key, receiver);
      },
      set(object, key, value, receiver) {
        if (!(key in object)) {
          throw new Error(`WPS stand-in: ${typeName}.${key} is not modelled`);
        }
        return Reflect.set(object, key, value, receiver);
      },
    });
  }

  class Range {
    constructor(start, end) {
      checkSpan(start, end);
      this.start = start;
      this.end = end;
    }

    get Start() {
      return this.start;
    }

    get End() {
      return this.end;
    }

    get Text() {
      return state.text.slice(this.start, this.end);
    }

    set Text(value) {
      record(["Text", this.start, this.end, value]);
      splice(this.start, this.end, value);
      this.end = this.start + value.length;
    }

    // Insert `value` at the end of the range, which then extends over it.
    InsertAfter(value) {
      record(["InsertAfter", this.start, this.end, value]);
      splice(this.end, this.end, value);
      this.end += value.length;
    }

    Select() {
      record(["Select", this.start, this.end]);
      state.selection = [this.start, this.end];
    }

    set Style(value) {
      record(["Style", this.start, this.end, value]);
      if (!BUILTIN_STYLES.has(value)) {
        throw new Error(`WPS stand-in: style ${JSON.stringify(value)} is not a modelled WdBuiltinStyle value`);
      }
      for (const index of paragraphIndexes(this.start, this.end)) {
        state.styles[index] = BUILTIN_STYLES.get(value);
      }
    }

    get Paragraphs() {
      const indexes = paragraphIndexes(this.start, this.end);
      return strict(
        {
          Count: indexes.length,
          Item(position) {
            if (position < 1 || position > indexes.length) {
              throw new Error(`WPS stand-in: Paragraphs.Item(${position}) of ${indexes.length}`);
            }
            const [start, end] = paragraphSpan(indexes[position - 1]);
            return strict({ Range: strict(new Range(start, end), "Range") }, "Paragraph");
          },
        },
        "Paragraphs",
      );
    }
  }

  const activeDocument = strict(
    {
      Range(start, end) {
        return strict(new Range(start, end), "Range");
      },
      get Content() {
        return strict(new Range(0, state.text.length), "Range");
      },
    },
    "Document",
  );

  const selection = strict(
    {
      get Range() {
        return strict(new Range(...state.selection), "Range");
      },
    },
    "Selection",
  );

  // Task panes and plug-in storage, as main.js of the WPS add-in uses them.
  function taskPane(id) {
    const pane = state.taskPanes[id - 1];
    return strict(
      {
        ID: id,
        get Visible() {
          return pane.visible;
        },
        set Visible(value) {
          record(["TaskPane.Visible", id, value]);
          pane.visible = value;
        },
      },
      "TaskPane",
    );
  }

  window.Application = strict(
    {
      ribbonUI: undefined,
      ActiveDocument: activeDocument,
      Selection: selection,
      PluginStorage: strict(
        {
          getItem: (key) => state.storage.get(key),
          setItem: (key, value) => state.storage.set(key, value),
        },
        "PluginStorage",
      ),
      CreateTaskPane(url) {
        record(["CreateTaskPane", url]);
        state.taskPanes.push({ url, visible: false });
        return taskPane(state.taskPanes.length);
      },
      GetTaskPane(id) {
        if (!state.taskPanes[id - 1]) {
          throw new Error(`WPS stand-in: no task pane ${id}`);
        }
        return taskPane(id);
      },
    },
    "Application",
  );

  window.wpsStandin = {
    calls: state.calls,

    // Replace the document by [style, text] paragraphs and put the cursor at its start.
    load(paragraphs) {
      state.text = paragraphs.map(([, text]) => text + MARK).join("");
      state.styles = paragraphs.map(([style]) => style);
      state.selection = [0, 0];
    },

    // Return the document as [style, text] paragraphs.
    paragraphs() {
      return state.text
        .split(MARK)
        .slice(0, -1)
        .map((text, index) => [state.styles[index], text]);
    },

    // Select the first occurrence of `target`; return false when the document lacks it.
    select(target) {
      const start = state.text.indexOf(target);
      if (start < 0) {
        return false;
      }
      state.selection = [start, start + target.length];
      return true;
    },

    selectedText() {
      return state.text.slice(...state.selection);
    },

    taskPanes() {
      return state.taskPanes.map((pane) => ({ ...pane }));
    },
  };

  window.wpsStandin.load(SAMPLE_DOCUMENT);
})();
