// Generated from schema.json by tools/gen-types.mjs: do not edit.
// The types of a lifecycle request, from its JSON Schema (`cloudgate schema`, schema.json).
// Every block admits only the fields listed: a misspelt field is a compile error.

/**
 * Whose data an asset is; customer and derived data must be exportable (Data Act 25(2)(e)).
 */
export type DataCategory = 'customer_data' | 'derived_data' | 'account_data' | 'provider_data';
/**
 * ISO 8601 calendar date YYYY-MM-DD; an RFC 3339 timestamp is accepted and its date part used
 */
export type DateString = string;
/**
 * Where the agreement stands: CMN-001 requires `agreed` for onboarding and termination.
 */
export type AgreementStatus = 'draft' | 'agreed' | 'terminated';
/**
 * What a customer contact is responsible for (ONB-003 asks for some of these roles).
 */
export type CustomerRole = 'business_owner' | 'technical' | 'security' | 'dpo' | 'billing';
/**
 * How the provider verified the customer's identity; ONB-002 accepts the methods listed in the pack parameter `allowed_verification_methods`.
 */
export type VerificationMethod = 'registry_check' | 'document_check' | 'eid' | 'bank';
/**
 * How sensitive a data asset is (ONB-003 asks for a security contact for the two highest).
 */
export type Classification = 'public' | 'internal' | 'confidential' | 'restricted';
/**
 * How data was deleted (the sanitisation methods of NIST SP 800-88 and ISO/IEC 27040); RMV-003 accepts the pack parameter `allowed_deletion_methods`, by default all but `clear`.
 */
export type DeletionMethod = 'crypto_erase' | 'purge' | 'destroy' | 'clear';
/**
 * Progress of a data asset's deletion.
 */
export type DeletionStatus = 'none' | 'scheduled' | 'completed' | 'verified';
/**
 * Progress of a data asset's export to the customer or the target.
 */
export type ExportStatus = 'not_started' | 'in_progress' | 'completed' | 'verified';
/**
 * What a provider contact is responsible for (ONB-003 requires a relationship manager).
 */
export type ProviderRole = 'relationship_manager' | 'service_owner' | 'security';
/**
 * What happens to a data asset at removal.
 */
export type Disposition = 'archive' | 'dispose' | 'transfer';
/**
 * What is removed.
 */
export type RemovalScope = 'customer_instance' | 'service_offering';
/**
 * One side of the cloud service agreement.
 */
export type Party = 'customer' | 'provider';
/**
 * The four lifecycle scenarios of ISO/IEC TR 20000-9 that change a tenancy. Each selects the rules that apply, and the request must carry the block of the same name.
 */
export type Scenario = 'onboarding' | 'termination' | 'transfer' | 'removal';
/**
 * The cloud service category (ISO/IEC 17788).
 */
export type ServiceCategory = 'IaaS' | 'PaaS' | 'SaaS' | 'CaaS' | 'NaaS' | 'DSaaS' | 'CompaaS';
/**
 * The cloud deployment model (ISO/IEC 17788).
 */
export type DeploymentModel = 'public' | 'private' | 'community' | 'hybrid';
/**
 * The tenancy's lifecycle states, in order: agreed → onboarding → active ⇄ suspended → terminating → (transferring →) data_retained → erasing → removed. LCY-001 checks that the scenario is legal from the current state.
 */
export type LifecycleState =
  | 'agreed'
  | 'onboarding'
  | 'active'
  | 'suspended'
  | 'terminating'
  | 'transferring'
  | 'data_retained'
  | 'erasing'
  | 'removed';
/**
 * What a supplier does for the provider.
 */
export type SupplierRole = 'subprocessor' | 'infrastructure' | 'support';
/**
 * How personal data may leave the EEA (GDPR chapter V).
 */
export type TransferMechanism = 'adequacy' | 'scc' | 'bcr';
/**
 * What the customer chose to do at the end of the contract (Data Act 25(3)).
 */
export type CustomerChoice = 'switch_provider' | 'switch_on_premises' | 'erase' | 'none';
/**
 * Where a transfer goes.
 */
export type TargetType = 'provider' | 'on_premises';

/**
 * A lifecycle request: one envelope for all four scenarios. Only `request_id`, `scenario` and the block that `scenario` names are required; a rule that needs a missing field fails with a message naming it.
 */
export interface Request {
  /**
   * Agreement
   *
   * The cloud service agreement: its status, service levels, periods, data terms, charges and the Data Act's exit terms.
   */
  agreement?: Agreement | null;
  /**
   * Evaluation date
   *
   * The date the request is judged on. Without it the caller's `asOf` option applies, else today (UTC). Every check against "now" uses it: CMN-001 (signed by then), ONB-002 (identity age), TRM-007 (exit plan review), TRF-002 (plan approved), TRF-013 (cutover come), RMV-003 (deletion completed) and RMV-004 (hold expiry).
   */
  as_of?: DateString | null;
  /**
   * Customer
   *
   * The cloud service customer: its identity, jurisdiction and contacts. Its jurisdiction decides whether the Data Act's switching rules apply.
   */
  customer?: Customer | null;
  /**
   * Data assets
   *
   * The customer's data held in the service, one entry per asset: where it is, what it holds, and how far its export and deletion have come.
   */
  data_assets?: DataAsset[] | null;
  /**
   * Onboarding
   *
   * The onboarding of the customer; required when the scenario is `onboarding`.
   */
  onboarding?: Onboarding | null;
  /**
   * Provider
   *
   * The cloud service provider: its identity, jurisdiction and contacts.
   */
  provider?: Provider | null;
  /**
   * Removal
   *
   * The removal of a customer's instance or of a whole offering; required when the scenario is `removal`.
   */
  removal?: Removal | null;
  /**
   * Request ID
   *
   * Your identifier for this request, echoed in the decision and its audit record so that a decision can be matched to its request.
   */
  request_id: string;
  /**
   * Requested by
   *
   * Who asks for the change: the party and its contact. TRM-001 checks that a termination comes from a party entitled to end the contract.
   */
  requested_by?: RequestedBy | null;
  /**
   * Scenario
   *
   * The lifecycle change the request asks for; the block of the same name is required. It selects the rules that apply, and LCY-001 checks that it is legal from `service.lifecycle_state`.
   */
  scenario: Scenario;
  /**
   * Service
   *
   * The cloud service the tenancy uses, with the tenancy's current lifecycle state.
   */
  service?: Service | null;
  /**
   * Suppliers
   *
   * The provider's suppliers for this service: sub-processors, infrastructure and support.
   */
  suppliers?: Supplier[] | null;
  /**
   * Termination
   *
   * The termination of the contract; required when the scenario is `termination`, and carried by a transfer or removal request too, for the termination it follows.
   */
  termination?: Termination | null;
  /**
   * Transfer
   *
   * The move of service and data to another provider or on premises; required when the scenario is `transfer`.
   */
  transfer?: Transfer | null;
}
/**
 * The cloud service agreement between customer and provider.
 */
export interface Agreement {
  /**
   * Backup retention (days)
   *
   * How long backups are kept. RMV-005: a backup that is not deleted must expire by the removal date plus this period.
   */
  backup_retention_days?: number | null;
  /**
   * Contract shown before signing
   *
   * The provider made the contract available before it was signed (Data Act 25(1)). CMN-007 checks it in Data Act scope.
   */
  contract_available_pre_signature?: boolean | null;
  /**
   * Data residency
   *
   * Where the customer's data may be. CMN-003 checks data assets, backups and suppliers against it.
   */
  data_residency?: DataResidency | null;
  /**
   * Data retention (days)
   *
   * How long the provider keeps the customer's data. Not checked by the default pack.
   */
  data_retention_days?: number | null;
  /**
   * Data retrieval period (days)
   *
   * Days the customer can still retrieve its data after the transition. CMN-002 requires at least 30 in Data Act scope; TRM-005 checks that `termination.retrieval_end` allows them.
   */
  data_retrieval_period_days?: number | null;
  /**
   * Data processing agreement signed
   *
   * Customer and provider signed a data processing agreement (GDPR Art. 28(3)). CMN-004 requires it when any data asset contains personal data.
   */
  dpa_signed?: boolean | null;
  /**
   * Early termination fee
   *
   * A fee for ending a fixed-term contract early, which is not a switching charge. TRM-012 records it.
   */
  early_termination_fee?: Money | null;
  /**
   * Data exempt from export
   *
   * Data the provider need not export, each with a justification (Data Act 25(2)(f)). CMN-002 and TRF-004 accept only provider data with a justification.
   */
  exempt_data_categories?: ExemptCategory[] | null;
  /**
   * Exit plan
   *
   * The plan for an orderly exit. CMN-002 requires an identified plan in Data Act scope; TRM-007 requires one reviewed within the last 365 days.
   */
  exit_plan?: ExitPlan | null;
  /**
   * Exit terms
   *
   * The switching terms of Data Act Art. 25 the contract contains. CMN-009 requires each of them in Data Act scope.
   */
  exit_terms?: ExitTerms | null;
  /**
   * Exportable data categories
   *
   * The data the customer can take along when it switches (Data Act 25(2)(e)). In Data Act scope CMN-002 and TRF-004 require customer and derived data among them; TRM-007 requires the list.
   */
  exportable_data_categories?: DataCategory[] | null;
  /**
   * Fixed term ends
   *
   * The end of the fixed term, for a fixed-term contract. Not checked by the default pack.
   */
  fixed_term_end?: DateString | null;
  /**
   * Agreement ID
   *
   * The agreement's identifier. Not checked by the default pack.
   */
  id?: string | null;
  /**
   * Log retention (days)
   *
   * How long the provider keeps logs. Not checked by the default pack.
   */
  log_retention_days?: number | null;
  /**
   * Notice period (days)
   *
   * Days of notice a termination needs. TRM-002 adds them to the date the notice was received; in Data Act scope CMN-002 refuses more than 62 days and CMN-008 has 60 to 62 reviewed.
   */
  notice_period_days?: number | null;
  /**
   * Pre-contract information
   *
   * What the provider told the customer before the contract (Data Act 26, 28, 29(4)). CMN-007 checks it in Data Act scope.
   */
  pre_contract_info?: PreContractInfo | null;
  /**
   * Signed on
   *
   * When both parties signed. CMN-001 requires it on or before the evaluation date.
   */
  signed_at?: DateString | null;
  /**
   * Service levels
   *
   * The agreed service level targets. ONB-001 requires them to be measurable.
   */
  sla?: Sla | null;
  /**
   * Agreement status
   *
   * Where the agreement stands. CMN-001: onboarding and termination need an agreed agreement.
   */
  status?: AgreementStatus | null;
  /**
   * Switching charges
   *
   * What the provider charges for switching. CMN-005: none from 12 January 2027 in Data Act scope; CMN-006: only documented costs before; TRF-012: egress charges for parallel use.
   */
  switching_charges?: SwitchingCharges | null;
  /**
   * Transition period (days)
   *
   * Days after the effective date for the switch. CMN-002: at most 30 in Data Act scope.
   */
  transition_period_days?: number | null;
}
/**
 * Where the customer's data may be; an empty or absent list places no restriction.
 */
export interface DataResidency {
  /**
   * Allowed jurisdictions
   *
   * The country codes data assets may be held under. CMN-003; empty or absent places no restriction.
   */
  allowed_jurisdictions?: string[] | null;
  /**
   * Allowed regions
   *
   * The cloud regions where data assets, their backups and suppliers' processing may be. CMN-003; empty or absent places no restriction.
   */
  allowed_regions?: string[] | null;
}
/**
 * An amount of money.
 */
export interface Money {
  /**
   * Amount
   *
   * The amount. TRM-012 records an early termination fee above 0.
   */
  amount?: number | null;
  /**
   * Currency
   *
   * ISO 4217 code of the amount, shown in TRM-012's message.
   */
  currency?: string | null;
}
/**
 * A data category the provider need not export.
 */
export interface ExemptCategory {
  /**
   * Category
   *
   * The exempt category. CMN-002 and TRF-004 accept only `provider_data`.
   */
  category?: DataCategory | null;
  /**
   * Justification
   *
   * Why exporting it would risk a trade secret (Data Act 25(2)(f)). CMN-002 and TRF-004 require it.
   */
  justification?: string | null;
}
/**
 * The plan for an orderly exit.
 */
export interface ExitPlan {
  /**
   * Export formats
   *
   * The formats the plan exports data in. Not checked by the default pack (TRF-003 reads each data asset's formats).
   */
  export_formats?: string[] | null;
  /**
   * Exit plan ID
   *
   * Identifies the plan. CMN-002 requires it in Data Act scope.
   */
  id?: string | null;
  /**
   * Last reviewed
   *
   * When the plan was last reviewed. TRM-007: within the 365 days before the evaluation date.
   */
  last_reviewed_at?: DateString | null;
}
/**
 * The exit terms Data Act Art. 25 requires in the contract (CMN-009).
 */
export interface ExitTerms {
  /**
   * Business continuity
   *
   * The service goes on while the customer switches (25(2)(a)(ii)). CMN-009.
   */
  business_continuity?: boolean | null;
  /**
   * Contract ends on completion
   *
   * The contract ends once the switch is successfully completed (25(2)(c)). CMN-009.
   */
  contract_ends_on_completion?: boolean | null;
  /**
   * Erasure after retrieval
   *
   * All exportable data is erased after the retrieval period (25(2)(h)). CMN-009.
   */
  erasure_after_retrieval?: boolean | null;
  /**
   * Right to extend
   *
   * The customer may extend the transition period once (25(5)). CMN-009.
   */
  extension_right?: boolean | null;
  /**
   * Security maintained
   *
   * A high level of security throughout the switch (25(2)(a)(iv)). CMN-009.
   */
  security_maintained?: boolean | null;
  /**
   * Switching assistance
   *
   * Reasonable assistance in the switching process (Data Act 25(2)(a)(i)). CMN-009.
   */
  switching_assistance?: boolean | null;
}
/**
 * Pre-contract information on switching (Data Act 26, 28, 29(4); CMN-007).
 */
export interface PreContractInfo {
  /**
   * Switching fees disclosed
   *
   * The provider disclosed its switching fees (Data Act 29(4)). CMN-007.
   */
  fees_disclosed?: boolean | null;
  /**
   * Formats register URL
   *
   * Where the register of data formats and interfaces is published (Data Act 26(b)). CMN-007.
   */
  formats_register_url?: string | null;
  /**
   * Infrastructure jurisdiction
   *
   * The jurisdiction of the provider's ICT infrastructure (Data Act 28(1)(a)). CMN-007.
   */
  infrastructure_jurisdiction?: string | null;
  /**
   * Safeguards against foreign access
   *
   * The provider described its safeguards against unlawful international governmental access to the data (Data Act 28(1)(b)). CMN-007.
   */
  international_access_safeguards?: boolean | null;
  /**
   * Switching procedures described
   *
   * The provider described the switching procedures before the contract (Data Act 26(a)). CMN-007.
   */
  switching_procedures?: boolean | null;
}
/**
 * The agreed service level targets.
 */
export interface Sla {
  /**
   * Availability target (%)
   *
   * The agreed availability. ONB-001: above 0 and at most 100.
   */
  availability_target_pct?: number | null;
  /**
   * First response (minutes)
   *
   * The longest time to a first response. Not checked by the default pack.
   */
  max_first_response_minutes?: number | null;
  /**
   * Incident resolution (hours)
   *
   * The longest time to resolve an incident. ONB-001 requires a positive value.
   */
  max_incident_resolution_hours?: number | null;
  /**
   * Reporting interval (days)
   *
   * How often the service levels are reported. ONB-001 requires at least 1.
   */
  reporting_interval_days?: number | null;
  /**
   * Recovery point objective (hours)
   *
   * Not checked by the default pack.
   */
  rpo_hours?: number | null;
  /**
   * Recovery time objective (hours)
   *
   * Not checked by the default pack.
   */
  rto_hours?: number | null;
  /**
   * Support hours
   *
   * When support is available, e.g. `24x7`. ONB-001 requires it.
   */
  support_hours?: string | null;
}
/**
 * What the provider charges for switching.
 */
export interface SwitchingCharges {
  /**
   * Amount
   *
   * The charge for switching. CMN-005: 0 on or after 12 January 2027 in Data Act scope; CMN-006 and TRF-012 want a charge backed by documented costs.
   */
  amount?: number | null;
  /**
   * Cost basis documented
   *
   * The charge passes on documented costs the switch causes. CMN-006 (Data Act 29(3)) and TRF-012 (34(2)).
   */
  cost_basis_documented?: boolean | null;
  /**
   * Currency
   *
   * ISO 4217 code of the amount, shown in messages (CMN-005, CMN-006, TRF-012).
   */
  currency?: string | null;
}
/**
 * The cloud service customer.
 */
export interface Customer {
  /**
   * Customer contacts
   *
   * The customer's named contacts. ONB-003 requires a business owner and a technical contact (a security contact for confidential or restricted data, a DPO for personal data); TRM-001 looks up the requesting contact here; TRF-001 needs a technical contact to receive a move on premises.
   */
  contacts?: CustomerContact[] | null;
  /**
   * Customer ID
   *
   * The provider's identifier of the customer. Not checked by the default pack.
   */
  id?: string | null;
  /**
   * Identity verification
   *
   * How and when the customer's identity was verified (ONB-002).
   */
  identity_verification?: IdentityVerification | null;
  /**
   * Identity verified
   *
   * The provider has verified who the customer is. ONB-002 requires it before onboarding.
   */
  identity_verified?: boolean | null;
  /**
   * Customer jurisdiction
   *
   * ISO 3166-1 alpha-2 code of the customer's country (e.g. `DE`). It decides Data Act scope (pack parameter `da_jurisdictions`, the EU by default) for CMN-002, CMN-005 to CMN-009, TRM-002 to TRM-005, TRF-004 and TRF-009; TRF-012 checks it too, and TRF-006 takes it as the destination of a move on premises.
   */
  jurisdiction?: string | null;
  /**
   * Legal name
   *
   * The customer's registered name. Not checked by the default pack.
   */
  legal_name?: string | null;
}
/**
 * A named contact of the customer.
 */
export interface CustomerContact {
  /**
   * Authorised signatory
   *
   * The contact may sign, and so end, the contract for the customer. TRM-001 requires it of the contact who requests a customer-initiated termination.
   */
  authorised_signatory?: boolean | null;
  /**
   * Email
   *
   * The contact's email address. Not checked by the default pack.
   */
  email?: string | null;
  /**
   * Contact ID
   *
   * Identifies the contact; `requested_by.contact_id` refers to it (TRM-001).
   */
  id?: string | null;
  /**
   * Role
   *
   * What the contact is responsible for. ONB-003 checks that the required roles are named; TRF-001 looks for a technical contact.
   */
  role?: CustomerRole | null;
}
/**
 * How and when the customer's identity was verified.
 */
export interface IdentityVerification {
  /**
   * Verification method
   *
   * How the identity was verified. ONB-002 accepts the pack parameter `allowed_verification_methods`.
   */
  method?: VerificationMethod | null;
  /**
   * Verified on
   *
   * When the identity was verified. ONB-002: on or before the evaluation date and at most `max_identity_age_days` (365 by default) before it.
   */
  verified_at?: DateString | null;
}
/**
 * A data asset: a body of the customer's data held in the service.
 */
export interface DataAsset {
  /**
   * Backups
   *
   * The asset's backup copies. CMN-003 checks their regions, RMV-003 and RMV-005 their deletion and expiry.
   */
  backups?: Backup[] | null;
  /**
   * Data category
   *
   * Whose data it is. Customer and derived data must be exportable (TRF-004), in an open format the target accepts (TRF-003), and verified on export before any deletion or the cutover (TRF-008, TRF-013).
   */
  category?: DataCategory | null;
  /**
   * Classification
   *
   * How sensitive it is. ONB-003 asks for a customer security contact when it is confidential or restricted.
   */
  classification?: Classification | null;
  /**
   * Contains personal data
   *
   * The asset holds personal data. CMN-004 then requires a data processing agreement and approved sub-processors, ONB-003 a DPO contact, and TRF-006 a lawful transfer out of the EEA.
   */
  contains_pii?: boolean | null;
  /**
   * Deletion
   *
   * The asset's deletion (RMV-003, RMV-004, TRF-008).
   */
  deletion?: Deletion | null;
  /**
   * Export
   *
   * The asset's export to the customer or the target (TRF-008, TRF-013).
   */
  export?: Export | null;
  /**
   * Export formats
   *
   * The formats it can be exported in. TRF-003: at least one open format and one the target accepts.
   */
  formats?: string[] | null;
  /**
   * Asset ID
   *
   * Identifies the asset; the removal plan refers to it (RMV-002) and messages name it.
   */
  id?: string | null;
  /**
   * Jurisdiction
   *
   * The country code it is held under. CMN-003 checks it against the allowed jurisdictions.
   */
  jurisdiction?: string | null;
  /**
   * Legal hold
   *
   * A legal obligation to keep the data. RMV-003 and RMV-005 leave an asset under an active hold alone; RMV-004 checks the hold.
   */
  legal_hold?: LegalHold | null;
  /**
   * Asset name
   *
   * A readable name, shown in messages.
   */
  name?: string | null;
  /**
   * Region
   *
   * The cloud region that stores it. CMN-003 checks it against the allowed regions.
   */
  region?: string | null;
}
/**
 * A backup copy of a data asset.
 */
export interface Backup {
  /**
   * Deleted
   *
   * The backup has been deleted. RMV-005 accepts a deleted backup; RMV-003 refuses a deletion that claims to include the backups while one is not deleted.
   */
  deleted?: boolean | null;
  /**
   * Expires on
   *
   * When the backup expires. RMV-005: a backup that is not deleted must expire by the removal date plus `agreement.backup_retention_days`.
   */
  expires_at?: DateString | null;
  /**
   * Backup ID
   *
   * Identifies the backup in messages.
   */
  id?: string | null;
  /**
   * Region
   *
   * The cloud region that stores it. CMN-003 checks it against the allowed regions.
   */
  region?: string | null;
}
/**
 * The deletion of a data asset.
 */
export interface Deletion {
  /**
   * Deletion certificate
   *
   * The identifier of the deletion certificate. RMV-003 requires it.
   */
  certificate_id?: string | null;
  /**
   * Deletion completed
   *
   * When the deletion completed. RMV-003: on or before the evaluation date, and for a customer instance after the retrieval period (or, when the customer chose erasure, on or after the effective date).
   */
  completed_at?: DateString | null;
  /**
   * Includes backups
   *
   * The deletion covered the asset's backups. RMV-003 then checks that every backup is deleted.
   */
  includes_backups?: boolean | null;
  /**
   * Deletion method
   *
   * How the data was deleted. RMV-003 accepts the pack parameter `allowed_deletion_methods`.
   */
  method?: DeletionMethod | null;
  /**
   * Deletion status
   *
   * How far the deletion has come. RMV-003 requires `verified` before removal (unless the asset is on hold); RMV-004 requires `none` under a hold; TRF-008 requires `none` while an export is not verified.
   */
  status?: DeletionStatus | null;
}
/**
 * The export of a data asset.
 */
export interface Export {
  /**
   * Checksum verified
   *
   * The exported copy's checksum matched. TRF-008 and TRF-013 require it along with status `verified`.
   */
  checksum_verified?: boolean | null;
  /**
   * Export status
   *
   * How far the export has come. TRF-008: nothing may be deleted while an export of customer or derived data is not verified; TRF-013: verified by the cutover.
   */
  status?: ExportStatus | null;
}
/**
 * A legal obligation to keep a data asset.
 */
export interface LegalHold {
  /**
   * Hold active
   *
   * The hold is in force. RMV-003 and RMV-005 then leave the asset alone, and RMV-004 requires its deletion status to stay `none`.
   */
  active?: boolean | null;
  /**
   * Hold expires
   *
   * When the hold ends. RMV-004: an active hold needs one, not before the evaluation date.
   */
  expires_at?: DateString | null;
  /**
   * Legal basis
   *
   * The legal basis for keeping the data. RMV-004 requires it for an active hold.
   */
  retention_basis?: string | null;
}
/**
 * The onboarding of the customer.
 */
export interface Onboarding {
  /**
   * Administrator accounts
   *
   * The administrator accounts set up for the customer. ONB-005: at least one, each personal and with multi-factor authentication.
   */
  admin_accounts?: AdminAccount[] | null;
  /**
   * Change record
   *
   * The change that records the onboarding. ONB-008 wants it or a service request.
   */
  change_id?: string | null;
  /**
   * Configuration items
   *
   * The configuration items the onboarding creates or changes. ONB-008.
   */
  ci_ids?: string[] | null;
  /**
   * Migration into the service
   *
   * Whether data or workloads move into the service, and how (ONB-007).
   */
  migration_in?: MigrationIn | null;
  /**
   * Requested capacity
   *
   * The capacity the customer asks for. ONB-009 compares it with `service.available_capacity`.
   */
  requested_capacity?: number | null;
  /**
   * Responsibility matrix provided
   *
   * The customer received the matrix of who (provider or customer) is responsible for what (ISO/IEC 27017 CLD.6.3.1). ONB-006.
   */
  responsibility_matrix_provided?: boolean | null;
  /**
   * Service request
   *
   * The service request that records the onboarding. ONB-008 wants it or a change record.
   */
  service_request_id?: string | null;
}
/**
 * An administrator account set up at onboarding.
 */
export interface AdminAccount {
  /**
   * Account ID
   *
   * Identifies the account in messages.
   */
  id?: string | null;
  /**
   * Multi-factor authentication
   *
   * The account signs in with MFA. ONB-005 requires it.
   */
  mfa?: boolean | null;
  /**
   * Shared account
   *
   * Several people use the account. ONB-005 refuses it: every action must trace to a person.
   */
  shared?: boolean | null;
}
/**
 * A migration of data or workloads into the service.
 */
export interface MigrationIn {
  /**
   * Acceptance criteria defined
   *
   * Both parties agreed how the migration is accepted. ONB-007 requires it.
   */
  acceptance_criteria_defined?: boolean | null;
  /**
   * Migration plan
   *
   * The identifier of the migration plan. ONB-007 requires it.
   */
  plan_id?: string | null;
  /**
   * Migration required
   *
   * Data or workloads must move into the service. ONB-007 applies only then.
   */
  required?: boolean | null;
}
/**
 * The cloud service provider.
 */
export interface Provider {
  /**
   * Provider contacts
   *
   * The provider's named contacts. ONB-003 requires a relationship manager.
   */
  contacts?: ProviderContact[] | null;
  /**
   * Provider ID
   *
   * Identifier of the provider. Not checked by the default pack.
   */
  id?: string | null;
  /**
   * Provider jurisdiction
   *
   * ISO 3166-1 alpha-2 code of the provider's country. TRM-004 and TRF-007 count working days there, skipping its public holidays (pack parameter `public_holidays`).
   */
  jurisdiction?: string | null;
  /**
   * Legal name
   *
   * The provider's registered name. Not checked by the default pack.
   */
  legal_name?: string | null;
}
/**
 * A named contact of the provider.
 */
export interface ProviderContact {
  /**
   * Email
   *
   * The contact's email address. Not checked by the default pack.
   */
  email?: string | null;
  /**
   * Contact ID
   *
   * Identifies the contact. Not checked by the default pack.
   */
  id?: string | null;
  /**
   * Role
   *
   * What the contact is responsible for. ONB-003 requires a relationship manager.
   */
  role?: ProviderRole | null;
}
/**
 * The removal of a customer's instance or of a whole offering.
 */
export interface Removal {
  /**
   * Access revoked
   *
   * Every access right to the instance is revoked. RMV-007 requires it.
   */
  access_revoked?: boolean | null;
  /**
   * Affected customers
   *
   * The customers of a withdrawn offering. RMV-011: each notified its notice period before the removal date and offered an export.
   */
  affected_customers?: AffectedCustomer[] | null;
  /**
   * Billing stopped
   *
   * When billing for the instance stopped. RMV-009: no later than the end of service.
   */
  billing_stopped_at?: DateString | null;
  /**
   * Catalogue updated
   *
   * The service catalogue no longer offers the removed offering. RMV-008, for a service offering.
   */
  catalogue_updated?: boolean | null;
  /**
   * Change approved
   *
   * The removal's change is approved. RMV-002 requires it.
   */
  change_approved?: boolean | null;
  /**
   * Change record
   *
   * The change the removal is carried out under. RMV-002 requires it.
   */
  change_id?: string | null;
  /**
   * Configuration items retired
   *
   * The instance's configuration items are marked retired. RMV-008.
   */
  ci_retired?: boolean | null;
  /**
   * Completion notice sent
   *
   * The customer was told that removal is complete. RMV-012.
   */
  completion_notice_sent?: boolean | null;
  /**
   * Removal date
   *
   * When the removal happens. RMV-001: after the retrieval period; RMV-005: backups expire within the retention period after it; RMV-011: customers notified in time before it.
   */
  date?: DateString | null;
  /**
   * Dedicated hardware
   *
   * The instance ran on hardware dedicated to the customer. RMV-010 then wants media disposal records.
   */
  dedicated_hardware?: boolean | null;
  /**
   * Media disposal records
   *
   * Records of the secure disposal or re-use of the dedicated storage media. RMV-010.
   */
  media_disposal_records?: unknown[] | null;
  /**
   * Removal plan
   *
   * What happens to each data asset. RMV-002.
   */
  removal_plan?: RemovalPlan | null;
  /**
   * Removal scope
   *
   * What is removed. RMV-001, RMV-003 and RMV-009 check a customer instance, RMV-008 and RMV-011 a service offering; LCY-001 allows each from different states.
   */
  scope?: RemovalScope | null;
}
/**
 * A customer of a withdrawn service offering.
 */
export interface AffectedCustomer {
  /**
   * Export offered
   *
   * The customer was offered an export of its data. RMV-011 requires it.
   */
  export_offered?: boolean | null;
  /**
   * Customer ID
   *
   * Identifies the customer in messages.
   */
  id?: string | null;
  /**
   * Notice period (days)
   *
   * The customer's notice period. RMV-011.
   */
  notice_period_days?: number | null;
  /**
   * Notified on
   *
   * When the customer was told of the removal. RMV-011: at least its notice period before the removal date.
   */
  notified_at?: DateString | null;
}
/**
 * What happens to each data asset at removal.
 */
export interface RemovalPlan {
  /**
   * Asset dispositions
   *
   * One disposition per data asset. RMV-002 requires every asset covered.
   */
  asset_dispositions?: AssetDisposition[] | null;
}
/**
 * What happens to one data asset at removal.
 */
export interface AssetDisposition {
  /**
   * Data asset
   *
   * The `id` of a data asset. RMV-002 matches it with `data_assets`.
   */
  asset_id?: string | null;
  /**
   * Disposition
   *
   * What happens to the asset. RMV-002 requires one.
   */
  disposition?: Disposition | null;
}
/**
 * Who asks for the change.
 */
export interface RequestedBy {
  /**
   * Requesting contact
   *
   * The `id` of the contact who asks, one of `customer.contacts` when the customer asks. TRM-001 requires a customer-initiated termination to come from an authorised signatory.
   */
  contact_id?: string | null;
  /**
   * Requesting party
   *
   * Whether the customer or the provider asks. TRM-001: a termination the provider initiates must be requested by the provider.
   */
  party?: Party | null;
}
/**
 * The cloud service and the tenancy's state.
 */
export interface Service {
  /**
   * Available capacity
   *
   * The capacity the service can still provide, in the unit of `onboarding.requested_capacity`. ONB-009 checks that the request fits.
   */
  available_capacity?: number | null;
  /**
   * Catalogue entry
   *
   * The service's entry in the provider's service catalogue. ONB-004 requires it and, when the pack parameter `catalogue` holds the catalogue, checks that the entry exists and has the service's category and deployment model.
   */
  catalogue_entry_id?: string | null;
  /**
   * Service category
   *
   * The kind of cloud service. ONB-004 compares it with the catalogue entry; TRF-009 applies to IaaS.
   */
  category?: ServiceCategory | null;
  /**
   * Custom-built
   *
   * The service's main features were largely custom-built for this customer, not offered at broad commercial scale. Data Act Art. 31(1) then lifts some switching duties: CMN-005, CMN-006 and TRF-009 do not apply, and ONB-010 records it.
   */
  custom_built?: boolean | null;
  /**
   * Deployment model
   *
   * How the cloud is deployed. ONB-004 compares it with the catalogue entry.
   */
  deployment_model?: DeploymentModel | null;
  /**
   * Service ID
   *
   * The provider's identifier of the service. Not checked by the default pack.
   */
  id?: string | null;
  /**
   * Lifecycle state
   *
   * The tenancy's state before this request. LCY-001 requires it and checks that the scenario is legal from it; TRF-007 limits a cutover from `data_retained` to the retrieval period.
   */
  lifecycle_state?: LifecycleState | null;
  /**
   * Service name
   *
   * The service's name. Not checked by the default pack.
   */
  name?: string | null;
  /**
   * Non-production
   *
   * The service is a non-production version (testing, evaluation), which the Data Act's switching rules do not cover: the rules that depend on Data Act scope then do not apply them (CMN-002, CMN-005 to CMN-009, TRM-002 to TRM-005, TRF-004, TRF-009).
   */
  non_production?: boolean | null;
  /**
   * SLA enforced until
   *
   * The last day the service levels stay enforced. TRM-008 requires it no earlier than the end of the transition (or the effective date).
   */
  sla_enforced_until?: DateString | null;
}
/**
 * A supplier of the provider for this service.
 */
export interface Supplier {
  /**
   * Approved by the customer
   *
   * The customer approved this sub-processor (GDPR Art. 28(2)). CMN-004.
   */
  approved_by_customer?: boolean | null;
  /**
   * Deletion confirmed
   *
   * The supplier confirmed it deleted the customer's data. RMV-006.
   */
  deletion_confirmed?: boolean | null;
  /**
   * Supplier ID
   *
   * Identifies the supplier in messages.
   */
  id?: string | null;
  /**
   * Jurisdiction
   *
   * ISO 3166-1 alpha-2 code of where it processes the data. CMN-010 requires it for a sub-processor of personal data.
   */
  jurisdiction?: string | null;
  /**
   * Supplier name
   *
   * The supplier's name, shown in messages.
   */
  name?: string | null;
  /**
   * Processes customer data
   *
   * The supplier processes the customer's data. CMN-003 checks its regions, TRM-010 that it is told of a termination, RMV-006 that it confirms deletion.
   */
  processes_customer_data?: boolean | null;
  /**
   * Processes personal data
   *
   * The supplier is a sub-processor of personal data. CMN-004 requires the customer's approval, CMN-010 a lawful transfer when it is outside the EEA.
   */
  processes_pii?: boolean | null;
  /**
   * Regions
   *
   * The cloud regions where it processes the data. CMN-003 checks them against the allowed regions.
   */
  regions?: string[] | null;
  /**
   * Supplier role
   *
   * What the supplier does. Not checked by the default pack: whether it processes the customer's data or personal data is what the rules look at.
   */
  role?: SupplierRole | null;
  /**
   * Told of the termination on
   *
   * When the supplier was notified of the termination. TRM-010 requires it for a supplier that processes customer data.
   */
  termination_notified_at?: DateString | null;
  /**
   * Transfer mechanism
   *
   * The GDPR chapter V tool for a supplier in a third country. CMN-010: adequacy only for an adequate country, otherwise `scc` or `bcr`.
   */
  transfer_mechanism?: TransferMechanism | null;
}
/**
 * The termination of the contract.
 */
export interface Termination {
  /**
   * Alternative transition end
   *
   * The transition end given with the unfeasibility notice. TRM-004 and TRF-007: at most 7 months after the effective date.
   */
  alternative_transition_end?: DateString | null;
  /**
   * Change record
   *
   * The change under which the termination is carried out. TRM-011 requires it.
   */
  change_id?: string | null;
  /**
   * Customer's choice
   *
   * What the customer does at the end (Data Act 25(3)). TRM-003 asks for it in Data Act scope; it decides what TRM-004 to TRM-006, TRM-013, CMN-005, RMV-001, RMV-003, RMV-009 and LCY-001 check.
   */
  customer_choice?: CustomerChoice | null;
  /**
   * Effective date
   *
   * When the termination takes effect and the contract ends. TRM-002 checks it against the notice period; TRM-004 to TRM-006, TRM-008, TRM-013, CMN-005, CMN-006, TRF-007, RMV-001, RMV-003 and RMV-009 count from it.
   */
  effective_date?: DateString | null;
  /**
   * Extensions
   *
   * How often the customer extended the transition. TRM-004: at most once (Data Act 25(5)).
   */
  extension_count?: number | null;
  /**
   * Initiated by
   *
   * Which party ends the contract. TRM-001 checks who may request it, TRM-002 applies the Data Act's cap on a customer's notice, TRM-003 asks a customer for its choice, TRM-009 a provider for its reason.
   */
  initiated_by?: Party | null;
  /**
   * Notice received
   *
   * When the other party received the notice of termination. TRM-002 counts the notice period from it; TRM-004 and TRF-007 count 14 working days from it for an unfeasibility notice.
   */
  notice_received_at?: DateString | null;
  /**
   * Planned deletion
   *
   * When the customer's data is to be deleted. TRM-006: after the retrieval period; TRM-013: at most `max_deletion_delay_days` (30) after the data is no longer needed.
   */
  planned_deletion_date?: DateString | null;
  /**
   * Reason
   *
   * Why the contract ends. TRM-009 requires it when the provider ends the contract.
   */
  reason?: string | null;
  /**
   * Data retrieval ends
   *
   * The last day the customer can retrieve its data. TRM-005 checks the full retrieval period; TRM-006, TRM-013, TRF-007, RMV-001 and RMV-003 count from it.
   */
  retrieval_end?: DateString | null;
  /**
   * Transition ends
   *
   * The last day of the switching transition. TRM-004: at most 30 days after the effective date in Data Act scope; TRM-005, TRM-008, TRF-007 and RMV-009 count from it.
   */
  transition_end?: DateString | null;
  /**
   * Unfeasibility notice
   *
   * When the provider told the customer that the 30-day transition is technically unfeasible (Data Act 25(4)). TRM-004 and TRF-007: within 14 working days of the notice of termination.
   */
  unfeasibility_notice_at?: DateString | null;
}
/**
 * The move of service and data to another provider or on premises.
 */
export interface Transfer {
  /**
   * Change record
   *
   * The change the transfer is recorded under. TRF-002 requires it.
   */
  change_id?: string | null;
  /**
   * Transfer channel
   *
   * How the data travels to the target. TRF-005.
   */
  channel?: Channel | null;
  /**
   * Configuration items handed over
   *
   * The configuration items the target receives. TRF-010.
   */
  ci_handover_list?: string[] | null;
  /**
   * Continuity risks disclosed
   *
   * The provider told the customer of known risks to continuity (Data Act 25(2)(a)(iii)). TRF-011.
   */
  continuity_risks_disclosed?: boolean | null;
  /**
   * Cutover date
   *
   * When the customer switches over to the target. TRF-007 checks the deadline, TRF-013 a verified export by then; CMN-005 and CMN-006 take it as the switch date.
   */
  cutover_date?: DateString | null;
  /**
   * Functional equivalence document
   *
   * Where the measures for functional equivalence at the target are documented (Data Act 23(d), 30(1)). TRF-009, for IaaS.
   */
  functional_equivalence_doc?: string | null;
  /**
   * Parallel use
   *
   * The customer uses several providers in parallel rather than switching. TRF-012 (Data Act 34) and CMN-005.
   */
  in_parallel_use?: boolean | null;
  /**
   * Knowledge transferred
   *
   * The knowledge needed to run the handed-over items has been passed on. TRF-010.
   */
  knowledge_transfer_done?: boolean | null;
  /**
   * Formats the target accepts
   *
   * The data formats the target can take in. TRF-003: every customer and derived data asset can be exported in one of them.
   */
  target_accepted_formats?: string[] | null;
  /**
   * Receiving provider
   *
   * The provider that receives service and data. TRF-001 requires it identified; TRF-006 reads its jurisdiction.
   */
  target_provider?: TargetProvider | null;
  /**
   * Target
   *
   * Where the transfer goes. TRF-001 and TRF-006 read the target accordingly; TRF-009 applies to a switch to another provider.
   */
  target_type?: TargetType | null;
  /**
   * Transfer mechanism
   *
   * The GDPR chapter V tool when personal data goes to a third country. TRF-006: adequacy only for an adequate country, otherwise `scc` or `bcr`.
   */
  transfer_mechanism?: TransferMechanism | null;
  /**
   * Transfer plan
   *
   * The plan the transfer runs to. TRF-002 requires it approved and complete.
   */
  transfer_plan?: TransferPlan | null;
}
/**
 * How data travels to the target.
 */
export interface Channel {
  /**
   * Encrypted in transit
   *
   * The channel encrypts the data on the way. TRF-005 requires it.
   */
  encrypted_in_transit?: boolean | null;
  /**
   * Integrity check
   *
   * The channel checks that the data arrives unaltered. TRF-005 requires it.
   */
  integrity_check?: boolean | null;
  /**
   * Protocol
   *
   * The transfer protocol, e.g. `sftp`; shown in TRF-005's message.
   */
  protocol?: string | null;
}
/**
 * The provider that receives service and data.
 */
export interface TargetProvider {
  /**
   * Data Privacy Framework certified
   *
   * Certified under the EU-US Data Privacy Framework, which makes a `US` target adequate (TRF-006).
   */
  dpf_certified?: boolean | null;
  /**
   * Jurisdiction
   *
   * ISO 3166-1 alpha-2 code of its country. TRF-001 requires it; TRF-006 checks a transfer of personal data there.
   */
  jurisdiction?: string | null;
  /**
   * Legal name
   *
   * The receiving provider's registered name. TRF-001 requires it.
   */
  legal_name?: string | null;
  /**
   * Registration ID
   *
   * Its company registration number. TRF-001 requires it.
   */
  registration_id?: string | null;
  /**
   * Technical contact
   *
   * Who receives the transfer at the target. TRF-001 requires it.
   */
  technical_contact?: string | null;
}
/**
 * The plan a transfer runs to.
 */
export interface TransferPlan {
  /**
   * Activities by party
   *
   * The plan sets out what each party does. TRF-002.
   */
  activities_by_party?: boolean | null;
  /**
   * Plan approved
   *
   * When the plan was approved. TRF-002: on or before the evaluation date.
   */
  approved_at?: DateString | null;
  /**
   * Communication
   *
   * The plan says who is told what, and when. TRF-002.
   */
  communication?: boolean | null;
  /**
   * Rollback
   *
   * The plan says how to roll back. TRF-002.
   */
  rollback?: boolean | null;
  /**
   * Schedule
   *
   * The plan has a schedule. TRF-002.
   */
  schedule?: boolean | null;
}
