// The training simulator's curriculum: one tenancy (Muster Logistik GmbH on Nimbus Cloud's
// fleet-tms) walked through onboarding → termination → transfer → removal. Every exercise starts
// from the scenario's allow example (rules/tests/base/<scenario>.json), breaks it in a way a
// real rule of the default pack catches, and lets the trainee edit only the fields in play, so
// that the fix has to be the right one (not "move the customer outside the EEA").
//
// Pure data plus two helpers, importable from the page and from Node
// (test/check-exercises.mjs proves each one is denied as set and allowed once solved).

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
