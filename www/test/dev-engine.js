// Development only: createEngine() with the JS API's shape, answered by dev-server.mjs (the
// native CLI) through synchronous XHR, which workers may use.
function call(path, body) {
  const x = new XMLHttpRequest();
  x.open(body === undefined ? 'GET' : 'POST', path, false);
  x.send(body);
  if (x.status !== 200) throw new Error(x.responseText);
  return JSON.parse(x.responseText);
}
export async function createEngine(opts = {}) {
  const { id, pack, sources } = call('/__dev/engine', JSON.stringify(opts));
  return {
    pack,
    evaluate(req, o) {
      const q = `${o?.asOf ? `&asOf=${o.asOf}` : ''}${o?.explain ? '&explain=1' : ''}`;
      return call(`/__dev/check?id=${id}${q}`, typeof req === 'string' ? req : JSON.stringify(req));
    },
    rules: () => call(`/__dev/rules?id=${id}`),
    diagnostics: () => [],
    sources: () => sources,
    free() {},
  };
}
