// Compiled with `tsc --noEmit` by the tests: the declarations describe real usage.
import {
  createEngine,
  type Decision,
  type DeletionMethod,
  type Engine,
  type Finding,
  type LifecycleState,
  type PackLoadError,
  type Request,
  type RequestSchema,
  type Rule,
  type Termination,
} from 'cloudgate';

const request: Request = {
  request_id: 'REQ-1',
  scenario: 'removal',
  removal: { scope: 'customer_instance', date: '2026-12-02', affected_customers: [{ id: 'C-1', export_offered: true }] },
  data_assets: [{ id: 'd1', category: 'customer_data', deletion: { status: 'verified', method: 'crypto_erase' } }],
};

// The request's types come from its JSON Schema: every block and enumeration is typed.
const state: LifecycleState | null | undefined = request.service?.lifecycle_state;
const method: DeletionMethod | null | undefined = request.data_assets?.[0]?.deletion?.method;
const termination: Termination = { initiated_by: 'customer', effective_date: '2026-10-01', customer_choice: 'erase' };
// @ts-expect-error: a misspelt field is a compile error (`effective_date`)
const misspelt: Termination = { initiated_by: 'customer', efective_date: '2026-10-01' };
// @ts-expect-error: so is a field of another block
const wrongBlock: Request = { request_id: 'R', scenario: 'removal', removal: { deletion_method: 'crypto_erase' } };
// @ts-expect-error: and a value outside an enumeration
const wrongValue: Request = { request_id: 'R', scenario: 'termination', termination: { customer_choice: 'stay' } };
void [state, method, termination, misspelt, wrongBlock, wrongValue];

async function main(): Promise<void> {
  const engine: Engine = await createEngine({ params: { max_identity_age_days: 180 }, limits: { max_operations: 10_000, input: { max_depth: 16 } } });
  const decision: Decision = engine.evaluate(request, { asOf: '2026-09-02' });
  const failing: string[] = decision.findings.filter((f: Finding) => f.outcome === 'fail').map((f) => f.rule);
  const proceed: boolean = decision.decision === 'allow' && failing.length === 0;
  const rules: Rule[] = engine.rules();
  const digest: string = engine.pack.digest;
  const text: Decision = engine.evaluate('{"request_id":"R","scenario":"removal","removal":{}}');
  console.log(proceed, rules.length, digest, text.errors?.map((e) => e.code), engine.sources()['pack.json']);
  const schema: RequestSchema = engine.schema();
  console.log(schema.properties.scenario?.title, Object.keys(schema.definitions));
  engine.free();
  try {
    await createEngine({ rules: { 'common/X-1.rhai': 'pass()' }, lenient: true, packDigest: digest });
  } catch (error) {
    for (const d of (error as PackLoadError).diagnostics) console.log(d.file, d.line, d.message);
  }
  // @ts-expect-error: the scenario must be one of the four
  const wrong: Request = { request_id: 'R', scenario: 'renewal' };
  void wrong;
}

void main();

// Contract 2: explain, record and the onDecision hook.
async function audited(request: Request): Promise<string> {
  const ids: string[] = [];
  const e = await createEngine({ onDecision: (d: Decision) => { if (d.record) ids.push(d.record.decision_id); } });
  const d = e.evaluate(request, { asOf: '2026-09-02', explain: true, record: true });
  const digest: string | undefined = d.record?.input_digest;
  const actor: 'customer' | 'provider' | 'both' | null | undefined = d.findings[0]?.actor;
  return `${digest} ${actor} ${ids.length}`;
}
void audited;
