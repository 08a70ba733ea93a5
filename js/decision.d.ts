// Generated from decision.schema.json by tools/gen-types.mjs: do not edit.
// The types of a decision, from its JSON Schema (`cloudgate schema --decision`).

/**
 * The verdict. Anything but `Allow` means "do not proceed automatically".
 */
export type Verdict = 'allow' | 'review' | 'deny' | 'error';
/**
 * Who must act to make a failing check pass (a rule's `actor` header): what a portal tells the user beside each failed check.
 */
export type Actor = 'customer' | 'provider' | 'both';
/**
 * What one rule said about one request.
 */
export type Outcome = 'pass' | 'fail' | 'not_applicable' | 'error';
/**
 * How much a failed rule weighs.
 */
export type Severity = 'deny' | 'warn' | 'info';

export interface Decision {
  /**
   * The evaluation date, `YYYY-MM-DD`.
   */
  as_of?: string | null;
  /**
   * `allow`, `review`, `deny` or `error`: anything but `allow` means "do not proceed".
   */
  decision: Verdict;
  /**
   * Why the request itself was refused; present only on such `error` decisions.
   */
  errors?: InputError[];
  /**
   * One finding per rule that applies to the scenario.
   */
  findings: Finding[];
  /**
   * The tenancy's state before the request and the state it leads to.
   */
  lifecycle?: Lifecycle | null;
  /**
   * The pack that decided.
   */
  pack: PackInfo;
  /**
   * The audit record, when asked for (`EvalOptions::record`).
   */
  record?: AuditRecord | null;
  /**
   * The request's `request_id` (null when the request was refused before it was read).
   */
  request_id?: string | null;
  /**
   * The request's scenario: `onboarding`, `termination`, `transfer` or `removal`.
   */
  scenario?: string | null;
  stats: Stats;
}
/**
 * One reason a request was refused. `code` is stable for programs; `message` is for people.
 */
export interface InputError {
  /**
   * Stable, for programs: `not_json`, `invalid_type`, `missing_field`, `too_large`, …
   */
  code: string;
  column?: number | null;
  line?: number | null;
  /**
   * For people: what is wrong and what to change.
   */
  message: string;
  /**
   * JSON path of the offending value (`data_assets[0].region`), `$` for the whole request.
   */
  path: string;
}
export interface Finding {
  /**
   * Who must act to make a failing check pass (from the rule's header; a rule of a custom pack may leave it out).
   */
  actor?: Actor | null;
  /**
   * The clauses the rule traces to, by family (`iso20000_1_2018`, `data_act`, `gdpr`, …).
   */
  clauses: {
    [k: string]: string[];
  };
  /**
   * Why it failed and what value would pass (or, in explain mode, what a pass checked; for `not_applicable`, why the rule does not apply; for `error`, what went wrong).
   */
  message?: string | null;
  outcome: Outcome;
  /**
   * The request fields to fix, as paths (`data_assets[1].formats`); always present, empty when there is nothing to fix.
   */
  paths: string[];
  /**
   * Only on `error` findings: where the rule broke.
   */
  position?: SourcePos | null;
  /**
   * The rule's id, e.g. `TRM-002`.
   */
  rule: string;
  /**
   * How much a failure weighs: `deny` blocks, `warn` needs a person's review, `info` is noted.
   */
  severity: Severity;
  /**
   * What the rule checks, in a line.
   */
  title: string;
}
/**
 * Where in a rule's source an error arose (1-based; columns count Unicode characters).
 */
export interface SourcePos {
  /**
   * 1-based column, in Unicode characters.
   */
  column: number;
  /**
   * 1-based line in the rule's file.
   */
  line: number;
}
export interface Lifecycle {
  /**
   * `service.lifecycle_state` before the request, when given.
   */
  from?: string | null;
  /**
   * Whether the scenario is legal from `from` (false when `from` is unknown).
   */
  legal: boolean;
  /**
   * The state the request leads to when it proceeds.
   */
  to: string;
}
export interface PackInfo {
  /**
   * `sha256:` over the pack's exact rules and parameters, for audit logs.
   */
  digest: string;
  name: string;
  version: string;
}
export interface AuditRecord {
  /**
   * A random UUID (version 4), unique per decision.
   */
  decision_id: string;
  engine: EngineInfo;
  /**
   * When the decision was made, UTC, RFC 3339 with milliseconds.
   */
  evaluated_at: string;
  /**
   * `sha256:` over the request's canonical JSON (RFC 8785); over its bytes as given when it is not JSON at all.
   */
  input_digest: string;
}
/**
 * The engine that decided, for the record.
 */
export interface EngineInfo {
  name: string;
  version: string;
}
export interface Stats {
  /**
   * Time taken, in microseconds.
   */
  micros: number;
  /**
   * Operations the rules spent (the sandbox's budget counts them).
   */
  operations: number;
  rules_evaluated: number;
}
