// Rhai highlighting for the rule editor: a CodeMirror stream tokenizer (no Lezer grammar) that
// knows the rule language's keywords, strings, backtick strings with `${…}` interpolation (nested
// to any depth), numbers, comments (the `//!` header apart), operators, the globals and the
// engine's host functions. The host function names come from the engine's own table
// (`hostFunctions()`), so the editor never keeps a second list of them.

import { StreamLanguage, HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const KEYWORDS = new Set([
  'let', 'const', 'if', 'else', 'switch', 'while', 'loop', 'do', 'until', 'for', 'in', 'break',
  'continue', 'return', 'fn', 'throw', 'try', 'catch', 'private', 'import', 'export', 'as',
]);
const ATOMS = new Set(['true', 'false']);
/** The globals a rule reads (docs/rule-language.md § 9). */
export const GLOBALS = ['req', 'params', 'as_of', 'scenario', 'lifecycle'];
const GLOBAL_SET = new Set(GLOBALS);

const NUMBER = /^(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?:&&|\|\||\?\?|\?\.|::|\.\.=?|[-+*/%=!<>&|^?:]=?)/;

/**
 * Context stack entries: 'tpl' inside a backtick string; a number inside `${…}` (the depth of
 * plain braces opened in it, so that a map literal's `}` does not end the interpolation).
 */
function startState() {
  return { stack: [], comment: false, afterDot: false };
}

function copyState(s) {
  return { stack: s.stack.slice(), comment: s.comment, afterDot: s.afterDot };
}

function tokenTemplate(stream, state) {
  if (stream.match('${')) {
    state.stack.push(0);
    return 'interp';
  }
  if (stream.peek() === '`') {
    stream.next();
    if (stream.peek() === '`') {
      stream.next(); // a doubled backtick is a backtick in the text
      return 'string';
    }
    state.stack.pop();
    return 'string';
  }
  while (!stream.eol()) {
    if (stream.peek() === '`' || stream.match('${', false)) break;
    stream.next();
  }
  return 'string';
}

function makeToken(hostNames) {
  return function token(stream, state) {
    if (state.comment) {
      while (!stream.eol()) {
        if (stream.match('*/')) {
          state.comment = false;
          break;
        }
        stream.next();
      }
      return 'comment';
    }
    const top = state.stack[state.stack.length - 1];
    if (top === 'tpl') return tokenTemplate(stream, state);
    if (stream.eatSpace()) return null;

    const afterDot = state.afterDot;
    state.afterDot = false;
    if (stream.match('//!')) {
      stream.skipToEnd();
      return 'meta';
    }
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = true;
      return token(stream, state);
    }
    const ch = stream.peek();
    if (ch === '"') {
      stream.next();
      let escaped = false;
      while (!stream.eol()) {
        const c = stream.next();
        if (c === '"' && !escaped) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (ch === "'") {
      stream.match(/^'(?:\\.|[^'\\])*'?/);
      return 'string';
    }
    if (ch === '`') {
      stream.next();
      state.stack.push('tpl');
      return 'string';
    }
    if (stream.match(NUMBER)) return 'number';
    if (stream.match('#{')) {
      if (typeof top === 'number') state.stack[state.stack.length - 1] = top + 1;
      return 'brace';
    }
    if (ch === '{') {
      stream.next();
      if (typeof top === 'number') state.stack[state.stack.length - 1] = top + 1;
      return 'brace';
    }
    if (ch === '}') {
      stream.next();
      if (typeof top === 'number') {
        if (top === 0) {
          state.stack.pop();
          return 'interp';
        }
        state.stack[state.stack.length - 1] = top - 1;
      }
      return 'brace';
    }
    const word = stream.match(IDENT);
    if (word) {
      const w = word[0];
      if (afterDot) return /^\s*\(/.test(stream.string.slice(stream.pos)) ? 'method' : 'propertyName';
      if (KEYWORDS.has(w)) return 'keyword';
      if (ATOMS.has(w)) return 'bool';
      if (GLOBAL_SET.has(w)) return 'global';
      if (hostNames.has(w)) return 'hostFunction';
      return 'variableName';
    }
    if (ch === '.' && !stream.match('..', false)) {
      stream.next();
      state.afterDot = true;
      return 'operator';
    }
    if (stream.match(OPERATOR)) return 'operator';
    stream.next();
    return /[()[\],;]/.test(ch) ? 'punctuation' : null;
  };
}

/** The Rhai language for CodeMirror; `hostNames` is a set of host function and method names. */
export function rhaiLanguage(hostNames = new Set()) {
  return StreamLanguage.define({
    name: 'rhai',
    startState,
    copyState,
    token: makeToken(hostNames),
    indent(state, textAfter, cx) {
      // Enough for rules: one unit per open brace on the lines above (the stream parser's
      // state does not keep brace depth, so count it from the text).
      const pos = cx.pos;
      const before = cx.state.doc.sliceString(0, pos);
      let depth = 0;
      for (const c of before.replace(/\/\/.*$/gm, '').replace(/"(?:\\.|[^"\\])*"/g, '""')) {
        if (c === '{' || c === '[' || c === '(') depth++;
        else if ((c === '}' || c === ']' || c === ')') && depth > 0) depth--;
      }
      if (/^\s*[}\])]/.test(textAfter)) depth = Math.max(0, depth - 1);
      return depth * cx.unit;
    },
    languageData: {
      commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
      closeBrackets: { brackets: ['(', '[', '{', '"', '`'] },
      indentOnInput: /^\s*[}\])]$/,
    },
    tokenTable: {
      hostFunction: t.function(t.standard(t.variableName)),
      method: t.function(t.propertyName),
      global: t.special(t.variableName),
      interp: t.special(t.brace),
      meta: t.meta,
    },
  });
}

/** Colours chosen for at least 4.5:1 contrast on white and on the coverage shades. */
export const rhaiHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7a1fa2', fontWeight: '600' },
  { tag: [t.string], color: '#0f5c28' },
  { tag: t.special(t.brace), color: '#a3123d', fontWeight: '700' },
  { tag: t.number, color: '#8a4600' },
  { tag: t.bool, color: '#8a4600', fontWeight: '600' },
  { tag: t.comment, color: '#53606e', fontStyle: 'italic' },
  { tag: t.meta, color: '#415063' },
  { tag: t.function(t.standard(t.variableName)), color: '#1f4e8c', fontWeight: '600' },
  { tag: t.function(t.propertyName), color: '#1f4e8c' },
  { tag: t.special(t.variableName), color: '#9c2c00', fontWeight: '600' },
  { tag: t.propertyName, color: '#24507a' },
  { tag: t.operator, color: '#1b2430' },
]);
