// Types of the `cloudgate` package (the same for every runtime's entry point).

// The request's types are generated from its JSON Schema (schema.json, `cloudgate schema`) by
// tools/gen-types.mjs: Request, Scenario, DateString and one type per block and enum.
import type { Request, Scenario } from './request.js';
export * from './request.js';

export type Verdict = 'allow' | 'review' | 'deny' | 'error';
export type Severity = 'deny' | 'warn' | 'info';
export type Outcome = 'pass' | 'fail' | 'not_applicable' | 'error';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who must act to make a failing check pass (the rule's `actor`). */
export type Actor = 'customer' | 'provider' | 'both';

/** Clause references by family: iso20000_1_2018, iso20000_1_2011, iso20000_9, data_act, gdpr, … */
export type Clauses = Record<string, string[]>;

export interface SourcePos {
  line: number;
  /** Unicode characters, not UTF-16 units. */
  column: number;
}

export interface Finding {
  rule: string;
  title: string;
  severity: Severity;
  outcome: Outcome;
  /**
   * Why a check failed, did not apply or errored. A passing finding has one only when the
   * decision was made with `{ explain: true }` (the values checked).
   */
  message?: string;
  paths: string[];
  /**
   * Who must act to make a failing check pass (from the rule's `//! actor:` header; every rule
   * of the default pack has one, a custom pack's rule may leave it out).
   */
  actor?: Actor;
  clauses: Clauses;
  /** Only on `error` findings: where the rule broke. */
  position?: SourcePos;
}

/** Why a request was refused before any rule ran (`code` is stable, e.g. `not_json`, `too_deep`). */
export interface InputError {
  code: string;
  message: string;
  /** JSON path of the offending value, `$` for the whole request. */
  path: string;
  line?: number;
  column?: number;
}

export interface PackInfo {
  name: string;
  version: string;
  /** `sha256:` over the rules and parameters that decide. */
  digest: string;
}

/** Exactly the JSON of `cloudgate check`. Anything but `allow` means: do not proceed. */
export interface Decision {
  request_id: string | null;
  scenario: Scenario | null;
  as_of: string | null;
  decision: Verdict;
  findings: Finding[];
  lifecycle?: { from: string | null; to: string; legal: boolean };
  pack: PackInfo;
  stats: { rules_evaluated: number; operations: number; micros: number };
  /** Present only when the request itself was refused. */
  errors?: InputError[];
  /** The audit record, present only when asked for (`{ record: true }`). */
  record?: AuditRecord;
}

/** Which decision this was, of which exact input, when, by which engine. */
export interface AuditRecord {
  /** A random UUID (version 4). */
  decision_id: string;
  /** `sha256:` over the request's RFC 8785 canonical JSON: the same through every API. */
  input_digest: string;
  /** UTC, RFC 3339 with milliseconds. */
  evaluated_at: string;
  engine: { name: string; version: string };
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  scenarios: Scenario[];
  /** Who must act to make a failing check pass (absent when the rule's header leaves it out). */
  actor?: Actor;
  clauses: Clauses;
  description?: string;
  /** Path of the rule's source in the pack. */
  file: string;
}

export interface Diagnostic {
  code: string;
  message: string;
  file: string;
  rule?: string;
  line?: number;
  column?: number;
}

/** Sandbox limits (names as in `cloudgate::Limits`); unknown names are refused. */
export interface Limits {
  max_operations: number;
  max_call_levels: number;
  max_expr_depth: number;
  max_function_expr_depth: number;
  max_string_size: number;
  max_array_size: number;
  max_map_size: number;
  max_millis_per_rule: number;
  input: { max_bytes: number; max_depth: number; max_array_len: number };
}

export type LimitOverrides = Partial<Omit<Limits, 'input'>> & { input?: Partial<Limits['input']> };

export interface EngineOptions {
  /**
   * Rule sources `{ path: text }`. With a `pack.json` among them: the whole pack. Otherwise
   * they replace or add files of the default pack; `null` removes a file.
   */
  rules?: Record<string, string | null>;
  /** Parameter overrides by name (an unknown name is an error). */
  params?: Record<string, JsonValue>;
  /** Refuse to load a pack whose digest differs. */
  packDigest?: string;
  /** Keep rules that do not compile as `error` findings instead of refusing the pack. */
  lenient?: boolean;
  limits?: LimitOverrides;
  /**
   * Where the .wasm comes from when the runtime's default does not fit: its bytes, a compiled
   * module, a URL, or a fetch Response. One instance serves every engine of the page or
   * process, so only the first `createEngine` call's `wasm` is used.
   */
  wasm?: BufferSource | WebAssembly.Module | URL | string | Response | Promise<BufferSource | WebAssembly.Module | Response>;
  /**
   * Called with every decision this engine makes (e.g. to append its audit record to a log).
   * A hook that throws is reported on the console; the decision stands.
   */
  onDecision?: (decision: Decision) => void;
}

export interface EvaluateOptions {
  /** `YYYY-MM-DD`, used when the request has no `as_of` (default: today, UTC). */
  asOf?: string;
  /**
   * Passing findings carry a `message` too, naming the values checked (for auditors and
   * trainees). Without it a pass has no message.
   */
  explain?: boolean;
  /** The decision carries its audit record (`record`). */
  record?: boolean;
}

export interface Engine {
  /** Decides one request. Bad requests give an `error` decision; only misuse throws. */
  evaluate(request: Request | string | object, options?: EvaluateOptions): Decision;
  /**
   * The same decision as `evaluate`, as JSON text (what an edge function answers with): skips
   * building the decision object.
   */
  evaluateJson(request: Request | string | object, options?: EvaluateOptions): string;
  rules(): Rule[];
  readonly pack: Readonly<PackInfo>;
  /** Rules that did not compile (lenient engines only). */
  diagnostics(): Diagnostic[];
  /** The loaded pack as files: `pack.json` and the `*.rhai` rules. */
  sources(): Record<string, string>;
  /** The limits in force. */
  limits(): Limits;
  /**
   * The JSON Schema (draft-07) of a request, as `cloudgate schema` prints it and the package
   * ships it (`cloudgate/schema.json`): every field with a title and a description. A fresh
   * object on every call.
   */
  schema(): RequestSchema;
  /**
   * Frees the compiled pack now rather than at garbage collection. Engines created without
   * options share one compiled default pack, which stays built for the next `createEngine()`.
   */
  free(): void;
}

/** A JSON Schema (draft-07) document; `properties` and `definitions` hold the request's fields. */
export interface RequestSchema {
  $schema: string;
  title: string;
  description?: string;
  type: 'object';
  required: string[];
  properties: Record<string, JsonSchemaNode>;
  definitions: Record<string, JsonSchemaNode>;
}

/** One node of the request's JSON Schema (a field, a block or an enumeration). */
export interface JsonSchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: string[];
  $ref?: string;
  items?: JsonSchemaNode | boolean;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  anyOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  [keyword: string]: unknown;
}

/** A failed `createEngine`: the pack did not load; `diagnostics` says where and why. */
export interface PackLoadError extends Error {
  diagnostics: Diagnostic[];
}

/** Loads the wasm module (once) and compiles a pack (once per engine). */
export function createEngine(options?: EngineOptions): Promise<Engine>;

/** The engine's version, once the module is loaded. */
export function version(): string | undefined;
