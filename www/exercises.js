// The training simulator's curriculum: one tenancy (Muster Logistik GmbH on Nimbus Cloud's
// fleet-tms) walked through onboarding → termination → transfer → removal. Every exercise starts
// from the scenario's allow example (rules/tests/base/<scenario>.json), breaks it in a way a
// real rule of the default pack catches, and lets the trainee edit only the fields in play, so
// that the fix has to be the right one (not "move the customer outside the EU").
//
// An exercise: `rules` fail as given (exactly those; info findings are only noted), which makes
// the decision `decision` (default 'deny'; 'review' when only warn rules fail); `set` / `unset`
// break the allow example, `editable` are the fields in play, `solution` is a reference fix,
// `lesson` what it teaches (shown once solved). Hints are the blocking findings themselves.
//
// Pure data plus two helpers, importable from the page and from Node
// (test/check-exercises.mjs proves each one is decided as set and allowed once solved).

import { ENUMS } from './lib/form.js';
import { clone, setPath, unsetPath } from './lib/paths.js';

export const STAGES = [
  {
    scenario: 'onboarding',
    title: 'Onboarding',
    section: '20000-9 §5.8',
    from: 'agreed',
    to: 'onboarding',
    intro:
      'Muster Logistik GmbH has signed for fleet-tms. Before the tenancy is provisioned, the request must show a verified customer, a secure set-up and fair exit terms.',
  },
  {
    scenario: 'termination',
    title: 'Termination',
    section: '20000-9 §5.13',
    from: 'active',
    to: 'terminating',
    intro:
      'On 1 September 2026 Muster Logistik gives notice: it wants to switch to Alpen Cloud. Dates, choices and notices must follow the contract and the EU Data Act.',
  },
  {
    scenario: 'transfer',
    title: 'Transfer',
    section: '20000-9 §5.14',
    from: 'terminating',
    to: 'transferring',
    intro: 'The data moves to Alpen Cloud GmbH. Formats, the channel, the plan and the cutover date are checked.',
  },
  {
    scenario: 'removal',
    title: 'Removal',
    section: '20000-9 §5.15',
    from: 'erasing',
    to: 'removed',
    intro: 'Retrieval is over. The instance and its data are removed — except what the law says must be kept.',
  },
];

/** The lifecycle path drawn in the simulator (domain.md §3), in order: the schema's own list. */
export const LIFECYCLE = ENUMS['service.lifecycle_state'];

export const EXERCISES = [
  // ---------------------------------------------------------------- onboarding
  {
    id: 'onb-identity',
    scenario: 'onboarding',
    title: 'A stale identity check',
    story:
      'Sales re-used the customer record from a 2024 pilot. The registry check from back then was never repeated, and the new account manager unticked "identity verified" because nobody could find the record.',
    task: 'Record an identity verification the pack accepts: verified, with an allowed method, done within the last year and not in the future.',
    rules: ['ONB-002'],
    set: {
      'customer.identity_verified': false,
      'customer.identity_verification.verified_at': '2024-11-18',
    },
    editable: [
      'customer.identity_verified',
      'customer.identity_verification.method',
      'customer.identity_verification.verified_at',
    ],
    solution: {
      'customer.identity_verified': true,
      'customer.identity_verification.verified_at': '2026-02-10',
    },
    lesson:
      'A tenancy is provisioned only for a verified customer: verified, with an allowed method, not dated in the future and not older than max_identity_age_days (365) (ISO/IEC 27001 A.5.16). ONB-002.',
  },
  {
    id: 'onb-mfa',
    scenario: 'onboarding',
    title: 'One shared admin account',
    story: 'To save time the provider created a single administrator account for the whole customer team.',
    task: 'Make the administrator account personal and protected by multi-factor authentication.',
    rules: ['ONB-005'],
    set: {
      'onboarding.admin_accounts[0].mfa': false,
      'onboarding.admin_accounts[0].shared': true,
    },
    editable: ['onboarding.admin_accounts[0].id', 'onboarding.admin_accounts[0].mfa', 'onboarding.admin_accounts[0].shared'],
    solution: {
      'onboarding.admin_accounts[0].mfa': true,
      'onboarding.admin_accounts[0].shared': false,
    },
    lesson:
      'Administrator accounts are personal and protected by multi-factor authentication (ISO/IEC 27001 A.5.17, A.8.5). ONB-005.',
  },
  {
    id: 'onb-residency',
    scenario: 'onboarding',
    title: 'Data outside the agreed regions',
    story:
      'The agreement allows eu-central-1 and eu-west-1 only. The provisioning template still points the shipments store — and the colocation supplier — at us-east-1.',
    task: 'Keep every data asset and every supplier that processes customer data inside the agreed regions.',
    rules: ['CMN-003'],
    set: {
      'data_assets[0].region': 'us-east-1',
      'suppliers[0].regions': ['eu-west-1', 'us-east-1'],
    },
    editable: ['data_assets[0].region', 'data_assets[0].jurisdiction', 'data_assets[1].region', 'suppliers[0].regions'],
    solution: {
      'data_assets[0].region': 'eu-central-1',
      'suppliers[0].regions': ['eu-west-1'],
    },
    lesson:
      'Data, its backups and every supplier that processes it stay in the regions and jurisdictions the agreement allows (ISO/IEC 27018 A.12.1). CMN-003.',
  },
  {
    id: 'onb-exit',
    scenario: 'onboarding',
    title: 'Exit terms that lock the customer in',
    story:
      'Legal copied the exit clause from an old US contract: 90 days notice and two weeks to fetch the data. The customer is in Germany, so the Data Act applies.',
    task: 'Bring the notice, transition and retrieval periods within what the Data Act allows.',
    rules: ['CMN-002'],
    set: {
      'agreement.notice_period_days': 90,
      'agreement.data_retrieval_period_days': 14,
    },
    editable: [
      'agreement.notice_period_days',
      'agreement.transition_period_days',
      'agreement.data_retrieval_period_days',
    ],
    solution: {
      'agreement.notice_period_days': 30,
      'agreement.data_retrieval_period_days': 30,
    },
    lesson:
      'In the Data Act\'s scope the contract lets the customer leave: a notice period of at most two months, a transition of at most 30 days and at least 30 days to retrieve the data (Data Act 25). CMN-002.',
  },
  {
    id: 'onb-subprocessor',
    scenario: 'onboarding',
    title: 'A support desk outside the EEA',
    story:
      'Nimbus runs its follow-the-sun support with Sahyadri Support Services in Pune (India). Its engineers read shipment records, with names and addresses, from the Frankfurt region to debug tickets. The customer approved the sub-processor, but nobody recorded how personal data may lawfully reach India, which has no EU adequacy decision.',
    task: 'Give the Indian sub-processor a GDPR chapter V transfer tool the pack accepts.',
    rules: ['CMN-010'],
    set: {
      'suppliers[1]': {
        id: 'sp2',
        name: 'Sahyadri Support Services',
        role: 'support',
        processes_customer_data: true,
        processes_pii: true,
        regions: ['eu-central-1'],
        jurisdiction: 'IN',
        transfer_mechanism: null,
        approved_by_customer: true,
        termination_notified_at: null,
        deletion_confirmed: false,
      },
    },
    editable: ['suppliers[1].transfer_mechanism', 'suppliers[1].approved_by_customer'],
    solution: { 'suppliers[1].transfer_mechanism': 'scc' },
    lesson:
      'Remote access from a third country is a transfer (GDPR 44). A sub-processor outside the EEA needs an adequacy decision for its country, or standard contractual clauses or binding corporate rules (GDPR 46); the customer\'s approval (GDPR 28) does not replace them. CMN-010.',
  },
  // ---------------------------------------------------------------- termination
  {
    id: 'trm-notice',
    scenario: 'termination',
    title: 'Leaving at the end of the month',
    story:
      'The customer\'s notice arrived on 1 September and asks to leave "at the end of the month". The contract has a 30-day notice period.',
    task: 'Choose an effective date the notice period allows, and keep the transition within 30 days of it.',
    rules: ['TRM-002'],
    set: {
      'termination.effective_date': '2026-09-30',
      'termination.transition_end': '2026-10-30',
    },
    editable: [
      'termination.effective_date',
      'termination.transition_end',
      'termination.retrieval_end',
      'termination.planned_deletion_date',
    ],
    solution: { 'termination.effective_date': '2026-10-01' },
    lesson:
      'The earliest effective date is the notice date plus the notice period; in the Data Act\'s scope a customer never has to wait more than two calendar months (Data Act 25(2)(d)). TRM-002.',
  },
  {
    id: 'trm-unfeasible',
    scenario: 'termination',
    title: 'A switch that takes longer than 30 days',
    story:
      'Today (2 September) the provider told the customer that switching within 30 days is technically unfeasible and proposed a transition until 29 January 2027. The request asks for that long transition but does not record the notice.',
    task: 'Either record the unfeasibility notice properly (in time, with an alternative end date the Data Act allows) or keep the transition within 30 days.',
    rules: ['TRM-004'],
    set: {
      'termination.transition_end': '2027-01-29',
      'termination.retrieval_end': '2027-03-01',
      'termination.planned_deletion_date': '2027-03-02',
      'service.sla_enforced_until': '2027-03-31',
    },
    editable: [
      'termination.transition_end',
      'termination.unfeasibility_notice_at',
      'termination.alternative_transition_end',
      'termination.extension_count',
    ],
    solution: {
      'termination.unfeasibility_notice_at': '2026-09-02',
      'termination.alternative_transition_end': '2027-01-29',
    },
    lesson:
      'The transition lasts at most 30 days. A provider that cannot manage it must say so within 14 working days of the notice and may propose an alternative transition of at most 7 months (Data Act 25(4)). TRM-004.',
  },
  {
    id: 'trm-choice',
    scenario: 'termination',
    title: 'Who asked, and what do they want?',
    story:
      'The termination was typed in by the customer\'s IT contact, who is not allowed to sign, and nobody asked the customer what should happen to the data.',
    task: 'Have the request come from an authorised signatory and record the customer\'s choice (they are switching to another provider).',
    rules: ['TRM-001', 'TRM-003'],
    set: {
      'requested_by.contact_id': 'k2',
      'termination.customer_choice': 'none',
    },
    editable: ['requested_by.party', 'requested_by.contact_id', 'termination.customer_choice'],
    solution: {
      'requested_by.contact_id': 'k1',
      'termination.customer_choice': 'switch_provider',
    },
    lesson:
      'Only an authorised signatory of the customer can end the contract (TRM-001). The customer should say whether it switches provider, moves on premises or wants its data erased (Data Act 25(3)); without a choice a person reviews it (TRM-003).',
  },
  {
    id: 'trm-deletion',
    scenario: 'termination',
    title: 'Deleting before the customer can retrieve',
    story: 'Operations scheduled the data deletion for mid-November to free up storage.',
    task: 'Schedule the deletion so that the customer keeps the whole retrieval period.',
    rules: ['TRM-006'],
    set: { 'termination.planned_deletion_date': '2026-11-15' },
    editable: ['termination.retrieval_end', 'termination.planned_deletion_date'],
    solution: { 'termination.planned_deletion_date': '2026-12-01' },
    lesson:
      'Deletion is planned only after the retrieval period has ended (Data Act 25(2)(h)). TRM-006.',
  },
  // ---------------------------------------------------------------- transfer
  {
    id: 'trf-formats',
    scenario: 'transfer',
    title: 'A proprietary export format',
    story: 'The route analytics are exported as Excel workbooks, which Alpen Cloud cannot import and which are not an open format.',
    task: 'Export every customer and derived data asset in an open format the target accepts.',
    rules: ['TRF-003'],
    set: { 'data_assets[1].formats': ['xlsx'] },
    editable: ['data_assets[0].formats', 'data_assets[1].formats', 'transfer.target_accepted_formats'],
    solution: { 'data_assets[1].formats': ['csv'] },
    lesson:
      'Exportable data leaves in an open format that the target accepts (Data Act 26(b), 30). TRF-003.',
  },
  {
    id: 'trf-channel',
    scenario: 'transfer',
    title: 'An unprotected channel',
    story: 'The migration team wants to use plain FTP "because it is faster".',
    task: 'Protect the transfer channel in transit and check the integrity of what arrives.',
    rules: ['TRF-005'],
    set: {
      'transfer.channel.encrypted_in_transit': false,
      'transfer.channel.integrity_check': false,
      'transfer.channel.protocol': 'ftp',
    },
    editable: ['transfer.channel.encrypted_in_transit', 'transfer.channel.integrity_check', 'transfer.channel.protocol'],
    solution: {
      'transfer.channel.encrypted_in_transit': true,
      'transfer.channel.integrity_check': true,
      'transfer.channel.protocol': 'sftp',
    },
    lesson:
      'Data in transit is encrypted and its integrity checked on arrival (ISO/IEC 27001 A.5.14). TRF-005.',
  },
  {
    id: 'trf-cutover',
    scenario: 'transfer',
    title: 'Cutover after the transition period',
    story: 'Alpen Cloud asked for a cutover in mid-November, but the transition period ends on 31 October.',
    task: 'Pick a cutover date within the transition period.',
    rules: ['TRF-007'],
    set: { 'transfer.cutover_date': '2026-11-16' },
    editable: ['transfer.cutover_date', 'transfer.in_parallel_use'],
    solution: { 'transfer.cutover_date': '2026-10-20' },
    lesson:
      'The cutover falls within the transition period: the alternative one after a valid unfeasibility notice, or until the end of retrieval once the tenancy is data_retained (Data Act 25(2)(a), 25(4)). TRF-007.',
  },
  {
    id: 'trf-plan',
    scenario: 'transfer',
    title: 'A transfer plan nobody approved',
    story: 'The transfer plan is still a draft: it has no approval date and no rollback section.',
    task: 'Complete and approve the transfer plan (approval on or before today, 5 October).',
    rules: ['TRF-002'],
    set: {
      'transfer.transfer_plan.approved_at': null,
      'transfer.transfer_plan.rollback': false,
    },
    editable: [
      'transfer.transfer_plan.approved_at',
      'transfer.transfer_plan.activities_by_party',
      'transfer.transfer_plan.schedule',
      'transfer.transfer_plan.rollback',
      'transfer.transfer_plan.communication',
    ],
    solution: {
      'transfer.transfer_plan.approved_at': '2026-09-20',
      'transfer.transfer_plan.rollback': true,
    },
    lesson:
      'A transfer follows an approved plan: activities per party, a schedule, a rollback and communication, under a change record (ISO/IEC 20000-1 8.5.1, 8.5.2). TRF-002.',
  },
  {
    id: 'trf-third-country',
    scenario: 'transfer',
    title: 'Personal data leaving the EEA',
    story:
      'Alpen Cloud runs its fleet platform from its Brazilian subsidiary: the receiving party is Alpen Nuvem Ltda. in São Paulo. The shipment records contain drivers\' and consignees\' personal data. Alpen\'s sales team wrote "adequacy" into the request, and someone suggested ticking "DPF certified" to be safe.',
    task: 'Make the transfer of personal data to Brazil lawful under GDPR chapter V, as the pack checks it.',
    rules: ['TRF-006'],
    set: {
      'transfer.target_provider.legal_name': 'Alpen Nuvem Ltda.',
      'transfer.target_provider.registration_id': 'CNPJ 12.345.678/0001-90',
      'transfer.target_provider.jurisdiction': 'BR',
      'transfer.transfer_mechanism': 'adequacy',
    },
    editable: ['transfer.transfer_mechanism', 'transfer.target_provider.dpf_certified'],
    solution: { 'transfer.transfer_mechanism': 'scc' },
    lesson:
      'A claimed "adequacy" counts only for a country on the adequacy list (adequacy_jurisdictions), and the EU-US Data Privacy Framework only for a certified US importer. Brazil is on neither, so the transfer needs standard contractual clauses or binding corporate rules (GDPR 46). Inside the EEA no tool is needed. TRF-006.',
  },
  {
    id: 'trf-parallel',
    scenario: 'transfer',
    title: 'Egress charges while running in parallel',
    story:
      'During the migration the customer runs fleet-tms at Nimbus and at Alpen side by side. Nimbus bills 1,800 EUR of "switching and egress charges" for the copies, at its list price, and cannot say what the transfers actually cost it.',
    task: 'Make the charges acceptable: either no charge, or one limited to the costs incurred and documented as such. This one is not a denial: a person must review it.',
    rules: ['CMN-006', 'TRF-012'],
    decision: 'review',
    set: {
      'transfer.in_parallel_use': true,
      'agreement.switching_charges': { amount: 1800, currency: 'EUR', cost_basis_documented: false },
    },
    editable: ['agreement.switching_charges.amount', 'agreement.switching_charges.cost_basis_documented'],
    solution: { 'agreement.switching_charges.cost_basis_documented': true },
    lesson:
      'Until 12 January 2027 a switching charge may only pass on the costs directly linked to the switch (Data Act 29(3)); data egress charges for parallel use may only pass on the costs incurred (Data Act 34(2)). One undocumented cost basis trips both CMN-006 and TRF-012: one field, two findings. Both are warnings, so the decision is "review", not "deny".',
  },
  {
    id: 'trf-export',
    scenario: 'transfer',
    title: 'A cutover without a verified export',
    story:
      'Alpen wants to cut over today, 5 October. The exports finished last night, but nobody has compared the checksums of what arrived with what left.',
    task: 'Either verify both exports (status and checksum) before the cutover, or postpone the cutover until they are.',
    rules: ['TRF-013'],
    set: {
      'transfer.cutover_date': '2026-10-05',
      'data_assets[0].export': { status: 'completed', checksum_verified: false },
      'data_assets[1].export': { status: 'completed', checksum_verified: false },
    },
    editable: [
      'transfer.cutover_date',
      'data_assets[0].export.status',
      'data_assets[0].export.checksum_verified',
      'data_assets[1].export.status',
      'data_assets[1].export.checksum_verified',
    ],
    solution: {
      'data_assets[0].export.status': 'verified',
      'data_assets[0].export.checksum_verified': true,
      'data_assets[1].export.status': 'verified',
      'data_assets[1].export.checksum_verified': true,
    },
    lesson:
      'A cutover on or before today needs every customer and derived data asset exported, verified and checksum-checked: otherwise the customer may switch off the old service without a complete copy of its data (Data Act 25(2)(a), 20000-9 5.14). TRF-013.',
  },
  // ---------------------------------------------------------------- removal
  {
    id: 'rmv-hold',
    scenario: 'removal',
    title: 'A legal hold',
    story:
      'The tax office put the shipment records on hold for a pending audit, but the deletion job already marked them as deleted, and nobody wrote down why or until when they are kept.',
    task: 'Keep the held data: do not delete it, and record the legal basis and the date the hold expires.',
    rules: ['RMV-004'],
    set: {
      'data_assets[0].legal_hold': { active: true, retention_basis: null, expires_at: null },
    },
    editable: [
      'data_assets[0].legal_hold.retention_basis',
      'data_assets[0].legal_hold.expires_at',
      'data_assets[0].deletion.status',
      'removal.removal_plan.asset_dispositions[0].disposition',
    ],
    solution: {
      'data_assets[0].legal_hold.retention_basis': 'tax audit: AO §147 records',
      'data_assets[0].legal_hold.expires_at': '2032-12-31',
      'data_assets[0].deletion.status': 'none',
      'removal.removal_plan.asset_dispositions[0].disposition': 'archive',
    },
    lesson:
      'Data under an active legal hold is kept, not deleted, and the hold names its legal basis and the date it ends (ISO/IEC 27001 A.5.33). RMV-004.',
  },
  {
    id: 'rmv-deletion',
    scenario: 'removal',
    title: 'Deleted — but can you prove it?',
    story: 'The analytics store was wiped with a quick "clear" and nobody issued a certificate or looked at the backups.',
    task: 'Record a verified deletion with an allowed method and a certificate that covers the backups.',
    rules: ['RMV-003'],
    set: {
      'data_assets[1].deletion': {
        status: 'completed',
        method: 'clear',
        completed_at: '2026-12-01',
        certificate_id: null,
        includes_backups: false,
      },
    },
    editable: [
      'data_assets[1].deletion.status',
      'data_assets[1].deletion.method',
      'data_assets[1].deletion.completed_at',
      'data_assets[1].deletion.certificate_id',
      'data_assets[1].deletion.includes_backups',
    ],
    solution: {
      'data_assets[1].deletion.status': 'verified',
      'data_assets[1].deletion.method': 'crypto_erase',
      'data_assets[1].deletion.certificate_id': 'DEL-77d2',
      'data_assets[1].deletion.includes_backups': true,
    },
    lesson:
      'A deletion counts when it is verified, done with an allowed method (crypto-erase, purge, destroy), certified, and covers the backups it claims to (ISO/IEC 27017 CLD.8.1.5, 27018 A.10.3). RMV-003.',
  },
  {
    id: 'rmv-date',
    scenario: 'removal',
    title: 'Removing before retrieval ends',
    story: 'The removal change was booked for 27 November, but the customer may retrieve data until 30 November.',
    task: 'Move the removal to after the end of the retrieval period.',
    rules: ['RMV-001'],
    set: { 'removal.date': '2026-11-27' },
    editable: ['removal.date'],
    solution: { 'removal.date': '2026-12-02' },
    lesson:
      'A customer\'s instance is removed only after the retrieval period (Data Act 25(2)(g)). RMV-001.',
  },
  {
    id: 'rmv-loose-ends',
    scenario: 'removal',
    title: 'Loose ends',
    story: 'The colocation supplier has not confirmed it deleted its copies, and the customer\'s accounts can still log in.',
    task: 'Close both: the supplier confirms deletion and every access is revoked.',
    rules: ['RMV-006', 'RMV-007'],
    set: {
      'suppliers[0].deletion_confirmed': false,
      'removal.access_revoked': false,
    },
    editable: ['suppliers[0].deletion_confirmed', 'removal.access_revoked', 'removal.completion_notice_sent'],
    solution: {
      'suppliers[0].deletion_confirmed': true,
      'removal.access_revoked': true,
    },
    lesson:
      'Every sub-processor confirms it deleted its copies (GDPR 28(4): RMV-006), and every access is revoked (ISO/IEC 27001 A.5.18: RMV-007).',
  },
  {
    id: 'rmv-early-deletion',
    scenario: 'removal',
    title: 'Deleted on the last day of retrieval',
    story:
      'The deletion record for the shipments store says 30 November, the last day the customer could still retrieve its data. The certificate DEL-77d1 shows that the crypto-erase actually ran on 1 December; the record took the ticket\'s date.',
    task: 'Record the deletion as the certificate shows it. Deleting on or before the last day of the retrieval period is refused.',
    rules: ['RMV-003'],
    set: { 'data_assets[0].deletion.completed_at': '2026-11-30' },
    editable: [
      'data_assets[0].deletion.status',
      'data_assets[0].deletion.completed_at',
      'data_assets[0].deletion.certificate_id',
    ],
    solution: { 'data_assets[0].deletion.completed_at': '2026-12-01' },
    lesson:
      'The retrieval period includes its last day (termination.retrieval_end): the customer\'s data may only be erased after it, unless the customer chose erasure (Data Act 25(2)(g),(h)). RMV-003 refuses a deletion completed on or before retrieval_end.',
  },
  {
    id: 'rmv-expired-hold',
    scenario: 'removal',
    title: 'A legal hold that ran out',
    story:
      'The shipment records are kept for a tax audit, on hold until 30 November. On 25 November the tax office extended the audit by a year, to 30 November 2027, but the hold record still shows the old date. Today is 2 December.',
    task: 'Bring the hold up to date: a hold that has expired must be released (and the data deleted) or renewed.',
    rules: ['RMV-004'],
    set: {
      'data_assets[0].legal_hold': { active: true, retention_basis: 'tax audit: AO §147 records', expires_at: '2026-11-30' },
      'data_assets[0].deletion': { status: 'none', method: null, completed_at: null, certificate_id: null, includes_backups: false },
      'removal.removal_plan.asset_dispositions[0].disposition': 'archive',
    },
    editable: [
      'data_assets[0].legal_hold.active',
      'data_assets[0].legal_hold.retention_basis',
      'data_assets[0].legal_hold.expires_at',
    ],
    solution: { 'data_assets[0].legal_hold.expires_at': '2027-11-30' },
    lesson:
      'A legal hold keeps data only as long as its basis lasts. A hold whose expires_at is before today is either renewed, with the new date, or released, after which the data must be deleted like the rest (ISO/IEC 27001 A.5.33). RMV-004.',
  },
];

/** The flawed request of an exercise, from its scenario's allow example. */
export function flawedRequest(base, ex) {
  const req = clone(base);
  req.request_id = `TRAIN-${ex.id}`;
  for (const [path, value] of Object.entries(ex.set ?? {})) setPath(req, path, clone(value));
  for (const path of ex.unset ?? []) unsetPath(req, path);
  return req;
}

/** The flawed request with the reference solution applied (used to prove it is solvable). */
export function solvedRequest(base, ex) {
  const req = flawedRequest(base, ex);
  for (const [path, value] of Object.entries(ex.solution ?? {})) setPath(req, path, clone(value));
  return req;
}
