// Where things are in the raw JSON text: parse errors as line/column, and the text offset of a
// field path (so that a click on a finding can place the caret in the raw editor too).

/** Parses JSON; on failure returns { error: { message, line, column, offset } } (1-based). */
export function parseJson(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    // Engines word and place JSON errors differently (some give no position at all), so the
    // position comes from our own scanner and the wording from it too, for the same text everywhere.
    const found = locateJsonError(text) ?? { offset: 0, message: String(e && e.message ? e.message : e) };
    const { line, column } = lineColumn(text, found.offset);
    return { error: { message: found.message, line, column, offset: found.offset } };
  }
}

/** A strict JSON scanner that reports the first syntax error: { offset, message } or null. */
export function locateJsonError(text) {
  let i = 0;
  const fail = (message) => {
    throw { offset: Math.min(i, text.length), message };
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = () => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape in string');
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else {
          i++;
          fail('invalid escape in string');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('unescaped control character (a line break?) in string');
      i++;
    }
    fail('unterminated string');
  };
  const value = (depth) => {
    if (depth > 1000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after the property name, found ${describe()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail("trailing comma before '}'");
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${describe()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail("trailing comma before ']'");
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array element, found ${describe()}`);
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') {
      i += m[0].length;
      return;
    }
    for (const w of ['true', 'false', 'null']) {
      if (text.startsWith(w, i)) {
        i += w.length;
        return;
      }
    }
    fail(i >= text.length ? 'unexpected end of input: a value is missing' : `unexpected ${describe()}: expected a value`);
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e && typeof e.offset === 'number') return e;
    throw e;
  }
}

export function lineColumn(text, offset) {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Offset of a 1-based line/column; `unicodeColumns` counts code points (Rhai) instead of UTF-16 units. */
export function offsetOf(text, line, column, unicodeColumns = false) {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  if (!unicodeColumns) return Math.min(off + column - 1, text.length);
  let col = 1;
  while (col < column && off < text.length && text[off] !== '\n') {
    const cp = text.codePointAt(off);
    off += cp > 0xffff ? 2 : 1;
    col++;
  }
  return off;
}

/**
 * Offset of the value at `parts` (from parsePath) in pretty or compact JSON text, found with a
 * small scanner that follows the structure; null when the path is not in the text.
 */
export function offsetOfPath(text, parts) {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = () => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  };
  for (const p of parts) {
    ws();
    if (typeof p === 'number') {
      if (text[i] !== '[') return null;
      i++;
      for (let k = 0; k < p; k++) {
        skipValue();
        ws();
        if (text[i] !== ',') return null;
        i++;
      }
      ws();
      if (text[i] === ']') return null;
    } else {
      if (text[i] !== '{') return null;
      i++;
      let found = false;
      while (i < text.length) {
        ws();
        if (text[i] === '}') return null;
        if (text[i] !== '"') return null;
        const start = i;
        skipString();
        let key;
        try {
          key = JSON.parse(text.slice(start, i));
        } catch {
          return null;
        }
        ws();
        if (text[i] !== ':') return null;
        i++;
        if (key === p) {
          found = true;
          ws();
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
      if (!found) return null;
    }
  }
  ws();
  return i;
}
