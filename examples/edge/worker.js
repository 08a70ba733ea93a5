// A Cloudflare Worker that decides lifecycle requests at the edge:
//
//   POST /            body: one request (JSON)   → 200 with the decision JSON
//   POST /?as_of=YYYY-MM-DD                      → the evaluation date for requests without `as_of`
//   malformed body (not JSON, wrong shape, …)    → 400 with an `error` decision saying why
//   anything but POST                            → 405
//
// The decision is in the body whatever the status: anything but "allow" means do not proceed.
// The engine (the compiled default pack) is built once per isolate and reused by every request.
// `cloudgate/edge`: the default pack's rules, precompiled, without Rhai's interpreter: half the
// bytes of the full module. Custom rules need `cloudgate` instead.
import { createEngine } from 'cloudgate/edge';

let engine;

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export default {
  async fetch(request) {
    if (request.method !== 'POST') {
      return json(405, { error: 'POST a lifecycle request as JSON' }, { allow: 'POST' });
    }
    engine ??= await createEngine();
    const asOf = new URL(request.url).searchParams.get('as_of') ?? undefined;
    const body = await request.text();
    let decision;
    try {
      decision = engine.evaluate(body, { asOf });
    } catch (error) {
      // Only the caller's `as_of` can be misused here.
      return json(400, { error: error.message });
    }
    // A request refused before any rule ran carries `errors`: the client sent a bad body.
    const status = decision.errors?.length ? 400 : decision.decision === 'error' ? 500 : 200;
    return json(status, decision, { 'x-cloudgate-decision': decision.decision });
  },
};
