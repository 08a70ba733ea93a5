//! The request model of domain.md §1.
//!
//! Typed on purpose: deserialising into these types is the schema check, so that a rule never
//! sees a number where a date belongs. Every field but `request_id`, `scenario` and the block the
//! scenario names is optional; rules decide what a missing field means. Unknown fields are
//! ignored (the contract may grow) and never reach the rules.

use serde::{Deserialize, Serialize};

use crate::calendar::Date;

mod text;
pub use text::Text;

#[cfg(feature = "schema")]
use schemars::JsonSchema;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "schema", derive(JsonSchema))]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        /// In JSON only from a string: serde's derive would also take `{"name": null}`, which
        /// no client means to send (and the request reader refuses). Binary formats (the
        /// precompiled pack) keep the derive's encoding, the variant's index.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Name;
                impl serde::de::Visitor<'_> for Name {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("one of the names of ", stringify!($name)))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        match v {
                            $($text => Ok($name::$variant),)+
                            _ => Err(E::unknown_variant(v, &[$($text),+])),
                        }
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        usize::try_from(v)
                            .ok()
                            .and_then(|i| $name::ALL.get(i).copied())
                            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
                    }
                }
                if deserializer.is_human_readable() {
                    deserializer.deserialize_str(Name)
                } else {
                    deserializer.deserialize_u32(Name)
                }
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::convert::Lookup for $name {
            fn found_val(&self) -> crate::convert::Found<'_> {
                crate::convert::Found::Value(crate::compiled::Val::Text(self.as_str()))
            }
        }

        impl crate::convert::ToRhai for $name {
            /// One shared Rhai string per variant and thread: converting is a reference count.
            fn to_rhai(&self) -> rhai::Dynamic {
                thread_local! {
                    static NAMES: Vec<rhai::ImmutableString> =
                        $name::ALL.iter().map(|v| v.as_str().into()).collect();
                }
                NAMES.with(|names| match names.get(*self as usize) {
                    Some(name) => rhai::Dynamic::from(name.clone()),
                    None => crate::convert::text(self.as_str()),
                })
            }
        }

        impl crate::input::json::FromJson for $name {
            fn read(r: &mut crate::input::json::Reader<'_>) -> crate::input::json::Read<Self> {
                r.one_of(&[$(($text, $name::$variant)),+])
            }
        }
    };
}

string_enum!(
    /// The four lifecycle scenarios of ISO/IEC TR 20000-9 that change a tenancy.
    Scenario {
        Onboarding => "onboarding",
        Termination => "termination",
        Transfer => "transfer",
        Removal => "removal",
    }
);

string_enum!(Party { Customer => "customer", Provider => "provider" });
string_enum!(VerificationMethod {
    RegistryCheck => "registry_check", DocumentCheck => "document_check", Eid => "eid", Bank => "bank",
});
string_enum!(CustomerRole {
    BusinessOwner => "business_owner", Technical => "technical", Security => "security",
    Dpo => "dpo", Billing => "billing",
});
string_enum!(ProviderRole {
    RelationshipManager => "relationship_manager", ServiceOwner => "service_owner", Security => "security",
});
string_enum!(ServiceCategory {
    IaaS => "IaaS", PaaS => "PaaS", SaaS => "SaaS", CaaS => "CaaS", NaaS => "NaaS",
    DSaaS => "DSaaS", CompaaS => "CompaaS",
});
string_enum!(DeploymentModel {
    Public => "public", Private => "private", Community => "community", Hybrid => "hybrid",
});
string_enum!(
    /// Tenancy states of domain.md §3.
    LifecycleState {
        Agreed => "agreed", Onboarding => "onboarding", Active => "active", Suspended => "suspended",
        Terminating => "terminating", Transferring => "transferring", DataRetained => "data_retained",
        Erasing => "erasing", Removed => "removed",
    }
);
string_enum!(AgreementStatus { Draft => "draft", Agreed => "agreed", Terminated => "terminated" });
string_enum!(DataCategory {
    CustomerData => "customer_data", DerivedData => "derived_data", AccountData => "account_data",
    ProviderData => "provider_data",
});
string_enum!(Classification {
    Public => "public", Internal => "internal", Confidential => "confidential", Restricted => "restricted",
});
string_enum!(ExportStatus {
    NotStarted => "not_started", InProgress => "in_progress", Completed => "completed", Verified => "verified",
});
string_enum!(DeletionStatus {
    None => "none", Scheduled => "scheduled", Completed => "completed", Verified => "verified",
});
string_enum!(DeletionMethod {
    CryptoErase => "crypto_erase", Purge => "purge", Destroy => "destroy", Clear => "clear",
});
string_enum!(SupplierRole {
    Subprocessor => "subprocessor", Infrastructure => "infrastructure", Support => "support",
});
string_enum!(CustomerChoice {
    SwitchProvider => "switch_provider", SwitchOnPremises => "switch_on_premises", Erase => "erase",
    None => "none",
});
string_enum!(TargetType { Provider => "provider", OnPremises => "on_premises" });
string_enum!(TransferMechanism { Adequacy => "adequacy", Scc => "scc", Bcr => "bcr" });
string_enum!(RemovalScope { CustomerInstance => "customer_instance", ServiceOffering => "service_offering" });
string_enum!(Disposition { Archive => "archive", Dispose => "dispose", Transfer => "transfer" });

/// The one envelope for all four scenarios.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Request {
    pub request_id: Text,
    pub scenario: Scenario,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<RequestedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_assets: Option<Vec<DataAsset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppliers: Option<Vec<Supplier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<Termination>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal: Option<Removal>,
}

// The macro cannot mark a default variant; the default only serves `Request::default()` in tests.
#[allow(clippy::derivable_impls)]
impl Default for Scenario {
    fn default() -> Self {
        Scenario::Onboarding
    }
}

impl Request {
    /// Whether the block named by `scenario` is present (domain.md: it is required).
    pub fn has_scenario_block(&self) -> bool {
        match self.scenario {
            Scenario::Onboarding => self.onboarding.is_some(),
            Scenario::Termination => self.termination.is_some(),
            Scenario::Transfer => self.transfer.is_some(),
            Scenario::Removal => self.removal.is_some(),
        }
    }
}

/// Declares a struct whose fields are all optional, so each line reads like the contract.
/// Absent fields are neither serialised nor in the rules' view (`convert`): every skipped `()`
/// is one map entry less to build per request, and rules read absent and null alike.
///
/// Deserialisation accepts only a JSON object: serde's derive would also read a struct from
/// an array, by position (`"agreement": ["A-1", "agreed"]`), which no client means to send.
macro_rules! optional_struct {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #[cfg_attr(feature = "schema", derive(JsonSchema))]
        pub struct $name { $(#[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>),+ }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                struct Fields { $(#[serde(default)] $field: Option<$ty>),+ }

                struct ObjectOnly;
                impl<'de> serde::de::Visitor<'de> for ObjectOnly {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        let fields = Fields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                        Ok($name { $($field: fields.$field),+ })
                    }
                }
                deserializer.deserialize_map(ObjectOnly)
            }
        }

        impl crate::input::json::FromJson for $name {
            // One function per type: V8 compiles only the readers a request needs.
            #[inline(never)]
            fn read(r: &mut crate::input::json::Reader<'_>) -> crate::input::json::Read<Self> {
                $(let mut $field = None;)+
                r.object(concat!("an object (", stringify!($name), ")"), |r, key| match key {
                    $(stringify!($field) => crate::input::json::field(r, &mut $field),)+
                    _ => r.skip_field(),
                })?;
                Ok($name { $($field: $field.flatten()),+ })
            }
        }

        impl crate::convert::Lookup for $name {
            fn node(&self, steps: &[crate::functions::Step]) -> Option<&dyn crate::convert::Lookup> {
                match steps.split_first() {
                    None => Some(self),
                    Some((crate::functions::Step::Key(key), rest)) => match key.as_str() {
                        $(stringify!($field) => crate::convert::Lookup::node(self.$field.as_ref()?, rest),)+
                        _ => None,
                    },
                    Some((crate::functions::Step::Index(_), _)) => None,
                }
            }

            fn found_val(&self) -> crate::convert::Found<'_> {
                crate::convert::Found::Object
            }
        }

        impl crate::convert::ToRhai for $name {
            fn to_rhai(&self) -> rhai::Dynamic {
                static KEYS: std::sync::OnceLock<Vec<(usize, rhai::Identifier)>> =
                    std::sync::OnceLock::new();
                let keys = KEYS
                    .get_or_init(|| crate::convert::descending_keys(&[$(stringify!($field)),+]));
                let values = [$(self.$field.as_ref().map(crate::convert::ToRhai::to_rhai)),+];
                crate::convert::struct_map(keys, values)
            }
        }
    };
}

optional_struct!(RequestedBy {
    party: Party,
    contact_id: Text
});
optional_struct!(Customer {
    id: Text, legal_name: Text, jurisdiction: Text, identity_verified: bool,
    identity_verification: IdentityVerification, contacts: Vec<CustomerContact>,
});
optional_struct!(IdentityVerification {
    method: VerificationMethod,
    verified_at: Date
});
optional_struct!(CustomerContact {
    id: Text,
    role: CustomerRole,
    email: Text,
    authorised_signatory: bool,
});
optional_struct!(Provider { id: Text, legal_name: Text, jurisdiction: Text, contacts: Vec<ProviderContact> });
optional_struct!(ProviderContact {
    id: Text,
    role: ProviderRole,
    email: Text
});
optional_struct!(Service {
    id: Text,
    name: Text,
    catalogue_entry_id: Text,
    category: ServiceCategory,
    deployment_model: DeploymentModel,
    lifecycle_state: LifecycleState,
    custom_built: bool,
    non_production: bool,
    available_capacity: i64,
    sla_enforced_until: Date,
});
optional_struct!(Agreement {
    id: Text, status: AgreementStatus, signed_at: Date, fixed_term_end: Date,
    contract_available_pre_signature: bool, sla: Sla, notice_period_days: i64,
    transition_period_days: i64, data_retrieval_period_days: i64, data_retention_days: i64,
    log_retention_days: i64, backup_retention_days: i64, exportable_data_categories: Vec<DataCategory>,
    exempt_data_categories: Vec<ExemptCategory>, exit_plan: ExitPlan, data_residency: DataResidency,
    dpa_signed: bool, switching_charges: SwitchingCharges, early_termination_fee: Money,
    pre_contract_info: PreContractInfo, exit_terms: ExitTerms,
});
optional_struct!(
    /// The exit terms Data Act Art. 25 requires in the contract (CMN-009).
    ExitTerms {
        switching_assistance: bool,
        business_continuity: bool,
        security_maintained: bool,
        contract_ends_on_completion: bool,
        erasure_after_retrieval: bool,
        extension_right: bool,
    }
);
optional_struct!(Sla {
    availability_target_pct: f64,
    support_hours: Text,
    max_first_response_minutes: f64,
    max_incident_resolution_hours: f64,
    rto_hours: f64,
    rpo_hours: f64,
    reporting_interval_days: i64,
});
optional_struct!(ExemptCategory {
    category: DataCategory,
    justification: Text
});
optional_struct!(ExitPlan { id: Text, last_reviewed_at: Date, export_formats: Vec<Text> });
optional_struct!(DataResidency { allowed_regions: Vec<Text>, allowed_jurisdictions: Vec<Text> });
optional_struct!(SwitchingCharges {
    amount: f64,
    currency: Text,
    cost_basis_documented: bool
});
optional_struct!(Money {
    amount: f64,
    currency: Text
});
optional_struct!(PreContractInfo {
    switching_procedures: bool,
    formats_register_url: Text,
    infrastructure_jurisdiction: Text,
    fees_disclosed: bool,
    international_access_safeguards: bool,
});
optional_struct!(DataAsset {
    id: Text, name: Text, category: DataCategory, classification: Classification,
    contains_pii: bool, region: Text, jurisdiction: Text, formats: Vec<Text>,
    legal_hold: LegalHold, backups: Vec<Backup>, export: Export, deletion: Deletion,
});
optional_struct!(LegalHold {
    active: bool,
    retention_basis: Text,
    expires_at: Date
});
optional_struct!(Backup {
    id: Text,
    region: Text,
    expires_at: Date,
    deleted: bool
});
optional_struct!(Export {
    status: ExportStatus,
    checksum_verified: bool
});
optional_struct!(Deletion {
    status: DeletionStatus,
    method: DeletionMethod,
    completed_at: Date,
    certificate_id: Text,
    includes_backups: bool,
});
optional_struct!(Supplier {
    id: Text, name: Text, role: SupplierRole, processes_customer_data: bool, processes_pii: bool,
    regions: Vec<Text>, jurisdiction: Text, transfer_mechanism: TransferMechanism,
    approved_by_customer: bool, termination_notified_at: Date, deletion_confirmed: bool,
});
optional_struct!(Onboarding {
    responsibility_matrix_provided: bool, admin_accounts: Vec<AdminAccount>, migration_in: MigrationIn,
    service_request_id: Text, change_id: Text, ci_ids: Vec<Text>, requested_capacity: i64,
});
optional_struct!(AdminAccount {
    id: Text,
    mfa: bool,
    shared: bool
});
optional_struct!(MigrationIn {
    required: bool,
    plan_id: Text,
    acceptance_criteria_defined: bool
});
optional_struct!(Termination {
    initiated_by: Party,
    reason: Text,
    notice_received_at: Date,
    effective_date: Date,
    customer_choice: CustomerChoice,
    transition_end: Date,
    unfeasibility_notice_at: Date,
    alternative_transition_end: Date,
    extension_count: i64,
    retrieval_end: Date,
    planned_deletion_date: Date,
    change_id: Text,
});
optional_struct!(Transfer {
    target_type: TargetType, target_provider: TargetProvider, target_accepted_formats: Vec<Text>,
    transfer_plan: TransferPlan, channel: Channel, transfer_mechanism: TransferMechanism,
    cutover_date: Date, in_parallel_use: bool, change_id: Text, ci_handover_list: Vec<Text>,
    knowledge_transfer_done: bool, functional_equivalence_doc: Text, continuity_risks_disclosed: bool,
});
optional_struct!(TargetProvider {
    legal_name: Text,
    registration_id: Text,
    jurisdiction: Text,
    technical_contact: Text,
    dpf_certified: bool,
});
optional_struct!(TransferPlan {
    approved_at: Date,
    activities_by_party: bool,
    schedule: bool,
    rollback: bool,
    communication: bool,
});
optional_struct!(Channel {
    encrypted_in_transit: bool,
    integrity_check: bool,
    protocol: Text
});
optional_struct!(Removal {
    scope: RemovalScope, date: Date, removal_plan: RemovalPlan, change_id: Text,
    change_approved: bool, access_revoked: bool, ci_retired: bool, catalogue_updated: bool,
    billing_stopped_at: Date, dedicated_hardware: bool, media_disposal_records: Vec<serde_json::Value>,
    affected_customers: Vec<AffectedCustomer>, completion_notice_sent: bool,
});
optional_struct!(RemovalPlan { asset_dispositions: Vec<AssetDisposition> });
optional_struct!(AssetDisposition {
    asset_id: Text,
    disposition: Disposition
});
optional_struct!(AffectedCustomer {
    id: Text,
    notified_at: Date,
    notice_period_days: i64,
    export_offered: bool,
});
