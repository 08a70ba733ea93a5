// The tenancy's lifecycle drawn as SVG: the states of domain.md §3 laid out as a snake that
// wraps to fewer columns on a narrow screen, with the states already passed, the current one
// and the one the step leads to.

const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * states: the ordered path; visited: Set of states passed; current: the tenancy's state;
 * next: where the step leads (null once reached); cols: columns of the snake.
 */
export function drawLifecycle(container, { states, visited, current, next, cols, side = ['suspended'] }) {
  const w = 150;
  const hgt = 48;
  const gx = 44;
  const gy = 46;
  const pad = 14;
  const top = 40; // room for the arc of a step that jumps over a side state on the first row
  const rows = Math.ceil(states.length / cols);
  const width = cols * w + (cols - 1) * gx + 2 * pad;
  const height = rows * hgt + (rows - 1) * gy + pad + top;
  const pos = new Map();
  states.forEach((s, i) => {
    const r = Math.floor(i / cols);
    let c = i % cols;
    if (r % 2 === 1) c = cols - 1 - c;
    pos.set(s, { x: pad + c * (w + gx), y: top + r * (hgt + gy), r, c });
  });

  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': 'lc-title lc-desc',
    class: 'lifecycle',
  });
  svg.append(el('title', { id: 'lc-title' }, 'Tenancy lifecycle'));
  svg.append(
    el(
      'desc',
      { id: 'lc-desc' },
      `States in order: ${states.join(', ')}. Current state: ${current}.${next ? ` This step leads to ${next}.` : ''}`,
    ),
  );
  const defs = el('defs');
  for (const [id, cls] of [
    ['arrow', 'arrowhead'],
    ['arrow-hot', 'arrowhead hot'],
  ]) {
    const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  svg.append(defs);

  const edge = (a, b) => {
    const p = pos.get(a);
    const q = pos.get(b);
    if (p.r === q.r) {
      const leftToRight = q.x > p.x;
      const y = p.y + hgt / 2;
      return leftToRight ? [p.x + w, y, q.x, y] : [p.x, y, q.x + w, y];
    }
    const x = p.x + w / 2;
    return [x, p.y + hgt, x, q.y];
  };

  for (let i = 0; i + 1 < states.length; i++) {
    const [x1, y1, x2, y2] = edge(states[i], states[i + 1]);
    const twoWay = side.includes(states[i + 1]) || side.includes(states[i]);
    const attrs = { x1, y1, x2, y2, class: 'lc-edge', 'marker-end': 'url(#arrow)' };
    if (twoWay && side.includes(states[i + 1])) attrs['marker-start'] = 'url(#arrow)';
    svg.append(el('line', attrs));
  }

  if (next && pos.has(current) && pos.has(next) && current !== next) {
    const p = pos.get(current);
    const q = pos.get(next);
    const adjacent = Math.abs(states.indexOf(current) - states.indexOf(next)) === 1;
    if (adjacent) {
      const [x1, y1, x2, y2] = edge(current, next);
      svg.append(el('line', { x1, y1, x2, y2, class: 'lc-edge hot', 'marker-end': 'url(#arrow-hot)' }));
    } else {
      // A jump over a side state: arc above (same row) or beside (other row) the boxes.
      let d;
      if (p.r === q.r) {
        const y = p.y;
        const x1 = p.x + w / 2;
        const x2 = q.x + w / 2;
        d = `M${x1},${y} C${x1},${y - gy * 0.9} ${x2},${y - gy * 0.9} ${x2},${y}`;
      } else {
        const x1 = p.x + (q.x >= p.x ? w : 0);
        const y1 = p.y + hgt / 2;
        const x2 = q.x + w / 2;
        const y2 = q.y;
        d = `M${x1},${y1} C${x1 + (q.x >= p.x ? gx : -gx)},${y1} ${x2},${y2 - gy} ${x2},${y2}`;
      }
      svg.append(el('path', { d, class: 'lc-edge hot', fill: 'none', 'marker-end': 'url(#arrow-hot)' }));
    }
  }

  for (const s of states) {
    const { x, y } = pos.get(s);
    let cls = 'lc-node';
    if (visited.has(s)) cls += ' visited';
    if (side.includes(s)) cls += ' side';
    if (s === next) cls += ' next';
    if (s === current) cls += ' current';
    const g = el('g', { class: cls, 'data-state': s });
    g.append(el('rect', { x, y, width: w, height: hgt, rx: 10 }));
    g.append(el('text', { x: x + w / 2, y: y + hgt / 2 + 6, 'text-anchor': 'middle' }, s.replace('_', ' ')));
    svg.append(g);
  }
  container.replaceChildren(svg);
}
