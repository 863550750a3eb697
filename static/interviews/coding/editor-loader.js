/* The coding panel's editor: CodeMirror (assets/editor/editor.mjs, bundled by
   `make npm`), imported the first time a coding question opens. If it cannot load, a
   plain text box with the same few methods keeps the exercise possible. */

let loading = null;

export function loadEditor(url) {
  loading =
    loading ||
    import(url).then(
      (module) => module.createEditor,
      () => plainEditor
    );
  return loading;
}

// Named by the page's label and help text, as the editor is.
function plainEditor({ parent, doc, onChange }) {
  const area = document.createElement("textarea");
  area.className = "coding-plain";
  area.value = doc;
  area.rows = 16;
  area.spellcheck = false;
  area.setAttribute("aria-labelledby", "coding-editor-label");
  area.setAttribute("aria-describedby", "coding-editor-help");
  area.addEventListener("input", () => onChange(area.value));
  parent.appendChild(area);
  document.getElementById("coding-editor-help").textContent = "Your code is saved as you type.";
  return {
    getCode: () => area.value,
    setReadOnly(readOnly) {
      area.readOnly = readOnly;
    },
    focus: () => area.focus(),
    destroy: () => area.remove(),
  };
}
