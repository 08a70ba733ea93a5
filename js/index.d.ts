// Types of the `cloudgate` package (the same for every runtime's entry point).

export type Scenario = 'onboarding' | 'termination' | 'transfer' | 'removal';
export type Verdict = 'allow' | 'review' | 'deny' | 'error';
export type Severity = 'deny' | 'warn' | 'info';
export type Outcome = 'pass' | 'fail' | 'not_applicable' | 'error';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A calendar date `YYYY-MM-DD` (a full timestamp is accepted too; its date part is used). */
export type DateString = string;

/** How personal data may leave the EEA (GDPR chapter V): adequacy decision, SCCs or BCRs. */
export type TransferMechanism = 'adequacy' | 'scc' | 'bcr';

/** Who must act to make a failing check pass (the rule's `actor`). */
export type Actor = 'customer' | 'provider' | 'both';

/**
 * The Data Act Art. 25 exit terms the contract states (contract 2; CMN-009 requires each one to
 * be `true` for onboarding in the Data Act's scope).
 */
export interface ExitTerms {
  /** 25(2)(a)(i): reasonable assistance in the switching process. */
  switching_assistance?: boolean | null;
  /** 25(2)(a)(ii): business continuity, the service goes on during the transition. */
  business_continuity?: boolean | null;
  /** 25(2)(a)(iv): a high level of security is maintained throughout the switch. */
  security_maintained?: boolean | null;
  /** 25(2)(c): the contract ends once switching is successfully completed. */
  contract_ends_on_completion?: boolean | null;
  /** 25(2)(h): all exportable data is erased after the retrieval period. */
  erasure_after_retrieval?: boolean | null;
  /** 25(5): the customer may extend the transition period once. */
  extension_right?: boolean | null;
  [key: string]: unknown;
}

/** Pre-contract information (Data Act 26, 28; CMN-007). */
export interface PreContractInfo {
  switching_procedures?: boolean | null;
  formats_register_url?: string | null;
  infrastructure_jurisdiction?: string | null;
  fees_disclosed?: boolean | null;
  /** Data Act 28(1)(b): the safeguards against unlawful international governmental access. */
  international_access_safeguards?: boolean | null;
  [key: string]: unknown;
}

export interface Agreement {
  id?: string | null;
  status?: 'draft' | 'agreed' | 'terminated' | null;
  signed_at?: DateString | null;
  fixed_term_end?: DateString | null;
  contract_available_pre_signature?: boolean | null;
  sla?: JsonObject | null;
  notice_period_days?: number | null;
  transition_period_days?: number | null;
  data_retrieval_period_days?: number | null;
  data_retention_days?: number | null;
  log_retention_days?: number | null;
  backup_retention_days?: number | null;
  exportable_data_categories?: string[] | null;
  exempt_data_categories?: { category: string; justification?: string | null }[] | null;
  exit_plan?: { id?: string | null; last_reviewed_at?: DateString | null; export_formats?: string[] | null } | null;
  data_residency?: { allowed_regions?: string[] | null; allowed_jurisdictions?: string[] | null } | null;
  dpa_signed?: boolean | null;
  switching_charges?: { amount?: number | null; currency?: string | null; cost_basis_documented?: boolean | null } | null;
  early_termination_fee?: { amount?: number | null; currency?: string | null } | null;
  pre_contract_info?: PreContractInfo | null;
  exit_terms?: ExitTerms | null;
  [key: string]: unknown;
}

export interface Supplier {
  id?: string | null;
  name?: string | null;
  role?: 'subprocessor' | 'infrastructure' | 'support' | null;
  processes_customer_data?: boolean | null;
  processes_pii?: boolean | null;
  regions?: string[] | null;
  /** ISO 3166-1 alpha-2 code of where the supplier processes the data (CMN-010). */
  jurisdiction?: string | null;
  /** Its GDPR chapter V tool when that jurisdiction is a third country (CMN-010). */
  transfer_mechanism?: TransferMechanism | null;
  approved_by_customer?: boolean | null;
  termination_notified_at?: DateString | null;
  deletion_confirmed?: boolean | null;
  [key: string]: unknown;
}

export interface TargetProvider {
  legal_name?: string | null;
  registration_id?: string | null;
  jurisdiction?: string | null;
  technical_contact?: string | null;
  /** Certified under the EU-US Data Privacy Framework: makes a `US` target adequate (TRF-006). */
  dpf_certified?: boolean | null;
  [key: string]: unknown;
}

export interface Transfer {
  target_type?: 'provider' | 'on_premises' | null;
  target_provider?: TargetProvider | null;
  target_accepted_formats?: string[] | null;
  transfer_plan?: {
    approved_at?: DateString | null;
    activities_by_party?: boolean | null;
    schedule?: boolean | null;
    rollback?: boolean | null;
    communication?: boolean | null;
  } | null;
  channel?: { encrypted_in_transit?: boolean | null; integrity_check?: boolean | null; protocol?: string | null } | null;
  transfer_mechanism?: TransferMechanism | null;
  cutover_date?: DateString | null;
  in_parallel_use?: boolean | null;
  change_id?: string | null;
  ci_handover_list?: string[] | null;
  knowledge_transfer_done?: boolean | null;
  functional_equivalence_doc?: string | null;
  continuity_risks_disclosed?: boolean | null;
  [key: string]: unknown;
}

/**
 * A lifecycle request (domain.md §1). The envelope and the blocks that contract 2 extended
 * (`agreement`, `suppliers`, `transfer`) are spelled out; the other blocks are JSON objects whose
 * fields the engine validates (run `cloudgate schema` for the full schema). Every block also
 * admits fields not listed here.
 */
export interface Request {
  request_id: string;
  scenario: Scenario;
  /** Evaluation date `YYYY-MM-DD`; wins over the caller's `asOf`. */
  as_of?: string;
  requested_by?: JsonObject | null;
  customer?: JsonObject | null;
  provider?: JsonObject | null;
  service?: JsonObject | null;
  agreement?: Agreement | null;
  data_assets?: JsonObject[] | null;
  suppliers?: Supplier[] | null;
  onboarding?: JsonObject | null;
  termination?: JsonObject | null;
  transfer?: Transfer | null;
  removal?: JsonObject | null;
}

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
   * Frees the compiled pack now rather than at garbage collection. Engines created without
   * options share one compiled default pack, which stays built for the next `createEngine()`.
   */
  free(): void;
}

/** A failed `createEngine`: the pack did not load; `diagnostics` says where and why. */
export interface PackLoadError extends Error {
  diagnostics: Diagnostic[];
}

/** Loads the wasm module (once) and compiles a pack (once per engine). */
export function createEngine(options?: EngineOptions): Promise<Engine>;

/** The engine's version, once the module is loaded. */
export function version(): string | undefined;
