/* The candidate's code editor: CodeMirror 6 with Python, bundled by esbuild (`make npm`)
   into build/editor/editor.js, which Django serves as static/vendor/editor/editor.js.
   The join page imports it only when a coding question opens. */
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

/* Tab indents, as a code editor's Tab is expected to. CodeMirror keeps the keyboard
   way out that its indentWithTab documentation asks for: Escape then Tab (or Shift-Tab)
   moves the focus out of the editor, and Ctrl-M (Shift-Alt-M on macOS) turns Tab back
   into focus navigation until pressed again. The page says so next to the editor. */
export function createEditor({ parent, doc, labelledBy, describedBy, onChange }) {
  const editable = new Compartment();
  const lockedFor = (readOnly) => [
    EditorState.readOnly.of(readOnly),
    // Still focusable and readable when locked: screen readers hear that it is read-only.
    EditorView.contentAttributes.of({ "aria-readonly": String(readOnly) }),
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        python(),
        keymap.of([indentWithTab]),
        EditorState.tabSize.of(4),
        EditorView.contentAttributes.of({
          "aria-labelledby": labelledBy,
          "aria-describedby": describedBy,
        }),
        editable.of(lockedFor(false)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    setReadOnly(readOnly) {
      view.dispatch({ effects: editable.reconfigure(lockedFor(readOnly)) });
    },
    focus: () => view.focus(),
  };
}
