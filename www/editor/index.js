// The workbench's rule editor: CodeMirror 6, bundled by scripts/build-www.sh into
// www/vendor/editor.js (the page stays offline). One editor instance shows one file at a time;
// the page drives it through the small API `createRuleEditor` returns:
//   setText(text, { file })    show a file (Rhai highlighting for .rhai, none for pack.json)
//   getText()                  the text in the editor
//   setDiagnostics(list)       the engine's diagnostics ({ line, column, message, code }) as inline marks
//   setCoverage(cov | null)    shade each line a case ran (hits > 0) or none did (hits 0)
//   goTo(line, column)         move the cursor (Rhai columns: characters, not UTF-16 units)
//   setHostFunctions(list)     the engine's host function table: highlighting, completion, docs
//   focus()
//
// Keyboard: Tab indents (indentWithTab); Escape then Tab moves focus out of the editor (CodeMirror's
// tab focus mode; Ctrl+M toggles it for good); Ctrl+Space completes; Ctrl+Enter applies;
// F1 (or Ctrl+I) shows the docs of what the cursor is on, as hovering does.

import { EditorState, Compartment, StateField, StateEffect, RangeSetBuilder } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  Decoration,
  gutter,
  GutterMarker,
  showTooltip,
  placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { setDiagnostics, lintKeymap, lintGutter } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { rhaiLanguage, rhaiHighlight } from './rhai.js';
import { Assist } from './assist.js';

/** UTF-16 offset in `text` of the character at 1-based `column` (characters, as Rhai counts). */
export function offsetOfColumn(text, column) {
  let chars = 1;
  let i = 0;
  while (i < text.length && chars < column) {
    const cp = text.codePointAt(i);
    i += cp > 0xffff ? 2 : 1;
    chars++;
  }
  return i;
}

/** 1-based column in characters of the UTF-16 offset `offset` in `text`. */
export function columnOfOffset(text, offset) {
  return [...text.slice(0, offset)].length + 1;
}

// ------------------------------------------------------------------ coverage shading
const setCoverageEffect = StateEffect.define();

class HitsMarker extends GutterMarker {
  constructor(hits) {
    super();
    this.hits = hits;
  }
  eq(other) {
    return other.hits === this.hits;
  }
  toDOM() {
    const el = document.createElement('span');
    el.className = this.hits > 0 ? 'cg-hits cg-hits-run' : 'cg-hits cg-hits-none';
    el.textContent = this.hits > 0 ? `${this.hits > 999 ? '999+' : this.hits}×` : '0';
    el.title = this.hits > 0 ? `run ${this.hits} times by the cases` : 'not run by any case';
    return el;
  }
}

/** { lines: RangeSet of line decorations, markers: RangeSet of gutter markers } */
const coverageField = StateField.define({
  create: () => ({ lines: Decoration.none, markers: emptySet() }),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setCoverageEffect)) return buildCoverage(tr.state.doc, e.value);
    if (!tr.docChanged) return value;
    return { lines: value.lines.map(tr.changes), markers: value.markers.map(tr.changes) };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.lines),
});

function emptySet() {
  return new RangeSetBuilder().finish();
}

function buildCoverage(doc, lines) {
  if (!lines) return { lines: Decoration.none, markers: emptySet() };
  const deco = new RangeSetBuilder();
  const marks = new RangeSetBuilder();
  const entries = Object.entries(lines)
    .map(([l, h]) => [Number(l), Number(h)])
    .filter(([l]) => l >= 1 && l <= doc.lines)
    .sort((a, b) => a[0] - b[0]);
  for (const [l, hits] of entries) {
    const line = doc.line(l);
    deco.add(
      line.from,
      line.from,
      Decoration.line({
        class: hits > 0 ? 'cg-cov-run' : 'cg-cov-none',
        attributes: { 'data-hits': String(hits) },
      }),
    );
    marks.add(line.from, line.from, new HitsMarker(hits));
  }
  return { lines: deco.finish(), markers: marks.finish() };
}

const coverageGutter = gutter({
  class: 'cg-cov-gutter',
  markers: (view) => view.state.field(coverageField).markers,
});

// ------------------------------------------------------------------ docs at the cursor (keyboard)
const showDocEffect = StateEffect.define();

function docTooltipField() {
  return StateField.define({
    create: () => null,
    update(value, tr) {
      for (const e of tr.effects) if (e.is(showDocEffect)) return e.value;
      if (tr.docChanged || tr.selection) return null;
      return value;
    },
    provide: (f) => showTooltip.from(f),
  });
}

export function createRuleEditor(parent, options = {}) {
  const { labelledBy, describedBy, onChange = () => {}, onCursor = () => {}, onApply = () => {}, fields = {} } = options;
  const assist = new Assist({ hostFunctions: options.hostFunctions ?? [], fields });
  const language = new Compartment();
  const editable = new Compartment();
  let isEditable = options.editable ?? true;
  const docField = docTooltipField();
  let file = '';

  function languageFor(name) {
    return name.endsWith('.rhai') ? rhaiLanguage(assist.hostNames()) : [];
  }

  function showDocs(view) {
    const pos = view.state.selection.main.head;
    const d = assist.describeAt(view.state, pos) ?? (pos > 0 ? assist.describeAt(view.state, pos - 1) : null);
    if (!d) return false;
    const create = () => {
      const dom = document.createElement('div');
      dom.className = 'cg-doc-tooltip';
      dom.append(d.dom());
      return { dom };
    };
    view.dispatch({ effects: showDocEffect.of({ pos: d.from, end: d.to, above: true, create }) });
    return true;
  }

  function hideDocs(view) {
    if (!view.state.field(docField)) return false;
    view.dispatch({ effects: showDocEffect.of(null) });
    return true;
  }

  // tabindex: focusable even while read-only, so that the scrolling area is reachable by keyboard.
  const contentAttributes = { 'aria-multiline': 'true', tabindex: '0' };
  if (labelledBy) contentAttributes['aria-labelledby'] = labelledBy;
  if (describedBy) contentAttributes['aria-describedby'] = describedBy;

  const extensions = () => [
    lineNumbers(),
    coverageGutter,
    lintGutter(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    syntaxHighlighting(rhaiHighlight),
    language.of(languageFor(file)),
    editable.of(EditorView.editable.of(isEditable)),
    placeholder(options.placeholder ?? ''),
    autocompletion({ override: [assist.complete], icons: false }),
    assist.hover(),
    docField,
    coverageField,
    EditorState.tabSize.of(4),
    EditorView.contentAttributes.of(contentAttributes),
    keymap.of([
      { key: 'Mod-Enter', run: () => (onApply(), true) },
      { key: 'F1', run: showDocs },
      { key: 'Mod-i', run: showDocs },
      { key: 'Escape', run: hideDocs },
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString(), u);
      if (u.docChanged || u.selectionSet) {
        const head = u.state.selection.main.head;
        const line = u.state.doc.lineAt(head);
        onCursor({ line: line.number, column: columnOfOffset(line.text, head - line.from) });
      }
    }),
  ];

  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: options.doc ?? '', extensions: extensions() }),
  });

  const api = {
    view,
    getText: () => view.state.doc.toString(),
    /** Shows `text` as file `name`: a fresh state (own undo history), diagnostics and shading cleared. */
    setText(text, { file: name = file } = {}) {
      file = name;
      view.setState(EditorState.create({ doc: text, extensions: extensions() }));
      view.scrollDOM.scrollTop = 0;
      const line = view.state.doc.line(1);
      onCursor({ line: 1, column: columnOfOffset(line.text, 0) });
    },
    setEditable(on) {
      isEditable = on;
      view.dispatch({ effects: editable.reconfigure(EditorView.editable.of(on)) });
    },
    focus: () => view.focus(),
    goTo(line, column = 1) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = l.from + offsetOfColumn(l.text, column);
      view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      view.focus();
    },
    /** Diagnostics of this file: { line, column, message, code, severity? } (Rhai positions). */
    setDiagnostics(list) {
      const doc = view.state.doc;
      const out = [];
      for (const d of list ?? []) {
        const l = doc.line(Math.min(Math.max(1, d.line ?? 1), doc.lines));
        let from = l.from + Math.min(offsetOfColumn(l.text, d.column ?? 1), l.length);
        // Mark the word (or the one character) at the position; at the end of a line, its last character.
        const word = view.state.wordAt(from);
        let to = word && word.from === from ? word.to : Math.min(from + 1, l.to);
        if (from >= l.to && l.length > 0) {
          from = l.to - 1;
          to = l.to;
        }
        out.push({
          from,
          to,
          severity: d.severity ?? 'error',
          source: d.code ? `${d.code}` : 'cloudgate',
          message: d.message,
          markClass: `cg-diag-line-${l.number}`,
        });
      }
      view.dispatch(setDiagnostics(view.state, out));
    },
    setCoverage(cov) {
      view.dispatch({ effects: setCoverageEffect.of(cov?.lines ?? null) });
    },
    setHostFunctions(list) {
      assist.setHostFunctions(list);
      view.dispatch({ effects: language.reconfigure(languageFor(file)) });
    },
    file: () => file,
  };
  parent.cgEditor = api; // a handle for the browser tests (read the text, check positions)
  return api;
}
