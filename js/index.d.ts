// Types of the `cloudgate` package (the same for every runtime's entry point).

// The request's types are generated from its JSON Schema (schema.json, `cloudgate schema`) by
// tools/gen-types.mjs: Request, Scenario, DateString and one type per block and enum.
import type { Request, Scenario } from './request.js';
export * from './request.js';

// A decision's types are generated likewise from its schema (decision.schema.json,
// `cloudgate schema --decision`): Decision, Finding, Verdict, Severity, Outcome, Actor,
// SourcePos, Lifecycle, PackInfo, Stats, InputError, AuditRecord, EngineInfo.
import type { Actor, Decision, Outcome, PackInfo, Severity, Verdict } from './decision.js';
export * from './decision.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Clause references by family: iso20000_1_2018, iso20000_1_2011, iso20000_9, data_act, gdpr, … */
export type Clauses = Record<string, string[]>;

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
  /** Operations all the rules of one request may perform between them. */
  max_operations_per_request: number;
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
  /**
   * Runs test cases in the pack's `tests/*.json` format, as `cloudgate test` does. `files`:
   * `{ "tests/<name>.json": text }`, the bases (`tests/base/*.json`) included. Full module only.
   */
  runTests(files: Record<string, string>, options?: { coverage?: boolean }): TestRun;
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

/** One host function or method of the rule language (docs/rule-language.md). */
export interface HostFunction {
  name: string;
  kind: 'function' | 'method';
  /** Numbers of arguments accepted, a method's receiver included. */
  arities: number[];
  /** How a rule writes the call. */
  signature: string;
  doc: string;
  /** Changes the local variable it is called on (`a.push(x)`). */
  mutates: boolean;
}

/** The engine's one table of host functions and methods; needs an engine created first. */
export function hostFunctions(): HostFunction[];

/** What `runTests` answers. */
export interface TestRun {
  pack: PackInfo;
  passed: number;
  failed: number;
  cases: TestCaseResult[];
  /** By rule id, with `{ coverage: true }`. */
  coverage?: Record<string, RuleCoverage>;
}

export interface TestCaseResult {
  file: string;
  name: string;
  /** The rule the case file is named after (`tests/TRM-002.json` → `TRM-002`). */
  rule: string;
  passed: boolean;
  /** What differs from the expectation, one line each; empty when it passed. */
  problems: string[];
  /** The case's `expect` object. */
  expected: Record<string, unknown>;
  /** What the engine decided, in the terms of `expected`; null when the case could not run. */
  actual: {
    decision: Verdict;
    failing: string[];
    outcomes: Record<string, Outcome>;
    errors?: string[];
  } | null;
}

/** Which statements and branch arms of one rule ran. */
export interface RuleCoverage {
  rule: string;
  file: string;
  /** Line → how often the statement that ran most on that line ran (0: never). */
  lines: Record<string, number>;
  statements: { covered: number; total: number };
  branch_arms: { covered: number; total: number };
  /** An `if` (then, else) or a `switch` (each case, then the default) and each arm's count. */
  branches: { line: number; column: number; taken: number[] }[];
}
