/* The candidate's code editor: CodeMirror 6 with Python, bundled by esbuild (`make npm`)
   into build/editor/editor.js, which Django serves as static/vendor/editor/editor.js.
   The join page imports it only when a coding question opens. */
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

/* In a document, CodeMirror adds its styles in a <style> element, which the join page's
   Content-Security-Policy (style-src 'self') refuses; in a shadow root it uses a
   constructed style sheet, which the policy allows. So the editor lives in a shadow root,
   styled here rather than by the page's CSS, and named by aria-label (an id reference
   cannot cross into the shadow root). */
const look = EditorView.theme({
  "&": {
    border: "1px solid #4a5360",
    borderRadius: "6px",
    maxHeight: "32rem",
    fontSize: "0.95rem",
    backgroundColor: "#ffffff",
  },
  "&.cm-focused": { outline: "3px solid #ffbf47", outlineOffset: "2px" },
  "&.cm-locked": { backgroundColor: "#f6f8fa" },
  ".cm-scroller": { minHeight: "16rem" },
});

/* Tab indents, as a code editor's Tab is expected to. CodeMirror keeps the keyboard
   way out that its indentWithTab documentation asks for: Escape then Tab (or Shift-Tab)
   moves the focus out of the editor, and Ctrl-M (Shift-Alt-M on macOS) turns Tab back
   into focus navigation until pressed again. The page says so next to the editor. */
export function createEditor({ parent, doc, label, description, onChange }) {
  const host = parent.appendChild(document.createElement("div"));
  const root = host.attachShadow({ mode: "open" });
  const editable = new Compartment();
  const lockedFor = (readOnly) => [
    EditorState.readOnly.of(readOnly),
    // Still focusable and readable when locked: screen readers hear that it is read-only.
    EditorView.contentAttributes.of({ "aria-readonly": String(readOnly) }),
    EditorView.editorAttributes.of({ class: readOnly ? "cm-locked" : "" }),
  ];
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        python(),
        keymap.of([indentWithTab]),
        EditorState.tabSize.of(4),
        look,
        EditorView.contentAttributes.of({
          "aria-label": label,
          "aria-description": description,
          // Already in the tab order as an editable element; said outright so that
          // accessibility checkers see the scrolling area's content is reachable.
          tabindex: "0",
        }),
        editable.of(lockedFor(false)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    getCode: () => view.state.doc.toString(),
    setReadOnly(readOnly) {
      view.dispatch({ effects: editable.reconfigure(lockedFor(readOnly)) });
    },
    focus: () => view.focus(),
    destroy() {
      view.destroy();
      host.remove();
    },
  };
}
