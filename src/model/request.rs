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

/// Declares an enum of JSON strings. Doc comments on the enum and on each variant become the
/// `description`s of the JSON Schema (a variant with one becomes its own `oneOf` entry).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "schema", derive(JsonSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

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

        impl crate::value::Lookup for $name {
            fn found_val(&self) -> crate::value::Found<'_> {
                crate::value::Found::Value(crate::value::Val::Text(self.as_str()))
            }
        }

        impl crate::value::ToRhai for $name {
            /// One shared Rhai string per variant and thread: converting is a reference count.
            fn to_rhai(&self) -> rhai::Dynamic {
                thread_local! {
                    static NAMES: Vec<rhai::ImmutableString> =
                        $name::ALL.iter().map(|v| v.as_str().into()).collect();
                }
                NAMES.with(|names| match names.get(*self as usize) {
                    Some(name) => rhai::Dynamic::from(name.clone()),
                    None => crate::value::text(self.as_str()),
                })
            }
        }

        impl crate::json::reader::FromJson for $name {
            fn read(r: &mut crate::json::reader::Reader<'_>) -> crate::json::reader::Read<Self> {
                r.one_of(&[$(($text, $name::$variant)),+])
            }
        }
    };
}

string_enum!(
    /// The four lifecycle scenarios of ISO/IEC TR 20000-9 that change a tenancy. Each selects the
    /// rules that apply, and the request must carry the block of the same name.
    Scenario {
        /// Provision a customer under an agreed cloud service agreement (TR 20000-9 5.8).
        Onboarding => "onboarding",
        /// End a cloud service contract, on the customer's or the provider's initiative (5.13).
        Termination => "termination",
        /// Move the customer's service and data to another provider or on premises (5.14).
        Transfer => "transfer",
        /// Remove a customer's instance, or a whole service offering, and its data (5.15).
        Removal => "removal",
    }
);

string_enum!(
    /// One side of the cloud service agreement.
    Party { Customer => "customer", Provider => "provider" }
);
string_enum!(
    /// How the provider verified the customer's identity; ONB-002 accepts the methods listed in
    /// the pack parameter `allowed_verification_methods`.
    VerificationMethod {
        /// Checked against a public company or trade register.
        RegistryCheck => "registry_check",
        /// Checked against identity or company documents.
        DocumentCheck => "document_check",
        /// An electronic identification (eID, eIDAS).
        Eid => "eid",
        /// Confirmed through the customer's bank.
        Bank => "bank",
    }
);
string_enum!(
    /// What a customer contact is responsible for (ONB-003 asks for some of these roles).
    CustomerRole {
        /// Owns the service relationship for the customer; always required.
        BusinessOwner => "business_owner",
        /// Technical contact; always required, and receives a move on premises (TRF-001).
        Technical => "technical",
        /// Security contact; required when any data asset is confidential or restricted.
        Security => "security",
        /// Data protection officer; required when any data asset contains personal data.
        Dpo => "dpo",
        /// Billing contact.
        Billing => "billing",
    }
);
string_enum!(
    /// What a provider contact is responsible for (ONB-003 requires a relationship manager).
    ProviderRole {
        /// The customer's counterpart at the provider; required.
        RelationshipManager => "relationship_manager",
        /// Owns the service being provided.
        ServiceOwner => "service_owner",
        /// The provider's security contact.
        Security => "security",
    }
);
string_enum!(
    /// The cloud service category (ISO/IEC 17788).
    ServiceCategory {
        /// Infrastructure as a service: TRF-009's functional-equivalence duty applies.
        IaaS => "IaaS",
        /// Platform as a service.
        PaaS => "PaaS",
        /// Software as a service.
        SaaS => "SaaS",
        /// Communications as a service.
        CaaS => "CaaS",
        /// Network as a service.
        NaaS => "NaaS",
        /// Data storage as a service.
        DSaaS => "DSaaS",
        /// Compute as a service.
        CompaaS => "CompaaS",
    }
);
string_enum!(
    /// The cloud deployment model (ISO/IEC 17788).
    DeploymentModel {
        Public => "public", Private => "private", Community => "community", Hybrid => "hybrid",
    }
);
string_enum!(
    /// The tenancy's lifecycle states, in order: agreed → onboarding → active ⇄ suspended →
    /// terminating → (transferring →) data_retained → erasing → removed. LCY-001 checks that the
    /// scenario is legal from the current state.
    LifecycleState {
        /// The agreement is agreed; nothing is provisioned yet.
        Agreed => "agreed",
        /// Being provisioned.
        Onboarding => "onboarding",
        /// In use.
        Active => "active",
        /// Temporarily suspended.
        Suspended => "suspended",
        /// The contract is being terminated (notice given, transition running).
        Terminating => "terminating",
        /// Service and data are moving to another provider or on premises.
        Transferring => "transferring",
        /// The service has ended; the data is kept for the customer to retrieve.
        DataRetained => "data_retained",
        /// The customer's data is being erased.
        Erasing => "erasing",
        /// Removed: nothing leaves this state; coming back needs a new agreement and onboarding.
        Removed => "removed",
    }
);
string_enum!(
    /// Where the agreement stands: CMN-001 requires `agreed` for onboarding and termination.
    AgreementStatus { Draft => "draft", Agreed => "agreed", Terminated => "terminated" }
);
string_enum!(
    /// Whose data an asset is; customer and derived data must be exportable (Data Act 25(2)(e)).
    DataCategory {
        /// Data the customer put into the service.
        CustomerData => "customer_data",
        /// Data the service generated from the customer's use (logs, metrics, derived records).
        DerivedData => "derived_data",
        /// Data about the customer's account (contacts, billing).
        AccountData => "account_data",
        /// The provider's own data; the only category that may be exempt from export.
        ProviderData => "provider_data",
    }
);
string_enum!(
    /// How sensitive a data asset is (ONB-003 asks for a security contact for the two highest).
    Classification {
        Public => "public", Internal => "internal", Confidential => "confidential", Restricted => "restricted",
    }
);
string_enum!(
    /// Progress of a data asset's export to the customer or the target.
    ExportStatus {
        /// The export has not begun.
        NotStarted => "not_started",
        /// The export is running.
        InProgress => "in_progress",
        /// Exported, not yet verified.
        Completed => "completed",
        /// Exported and verified by the receiving side.
        Verified => "verified",
    }
);
string_enum!(
    /// Progress of a data asset's deletion.
    DeletionStatus {
        /// No deletion is planned.
        None => "none",
        /// A deletion is scheduled.
        Scheduled => "scheduled",
        /// Deleted, not yet verified.
        Completed => "completed",
        /// Deleted and verified.
        Verified => "verified",
    }
);
string_enum!(
    /// How data was deleted (the sanitisation methods of NIST SP 800-88 and ISO/IEC 27040); RMV-003
    /// accepts the pack parameter `allowed_deletion_methods`, by default all but `clear`.
    DeletionMethod {
        /// Cryptographic erase: the keys that encrypt the data are destroyed.
        CryptoErase => "crypto_erase",
        /// Purge: overwritten or erased so that no laboratory technique recovers it.
        Purge => "purge",
        /// Destroy: the storage media are physically destroyed.
        Destroy => "destroy",
        /// Clear: overwritten through the normal interfaces only.
        Clear => "clear",
    }
);
string_enum!(
    /// What a supplier does for the provider.
    SupplierRole {
        /// Processes the customer's data on the provider's behalf.
        Subprocessor => "subprocessor",
        /// Runs infrastructure the service depends on (data centre, network).
        Infrastructure => "infrastructure",
        /// Provides support services.
        Support => "support",
    }
);
string_enum!(
    /// What the customer chose to do at the end of the contract (Data Act 25(3)).
    CustomerChoice {
        /// Switch to another provider.
        SwitchProvider => "switch_provider",
        /// Move to its own premises.
        SwitchOnPremises => "switch_on_premises",
        /// Have its exportable data erased.
        Erase => "erase",
        /// No choice stated.
        None => "none",
    }
);
string_enum!(
    /// Where a transfer goes.
    TargetType {
        /// To another cloud provider, described in `transfer.target_provider`.
        Provider => "provider",
        /// To the customer's own premises.
        OnPremises => "on_premises",
    }
);
string_enum!(
    /// How personal data may leave the EEA (GDPR chapter V).
    TransferMechanism {
        /// An adequacy decision for the destination (Art. 45).
        Adequacy => "adequacy",
        /// Standard contractual clauses (Art. 46(2)(c)).
        Scc => "scc",
        /// Binding corporate rules (Art. 47).
        Bcr => "bcr",
    }
);
string_enum!(
    /// What is removed.
    RemovalScope {
        /// One customer's instance of the service.
        CustomerInstance => "customer_instance",
        /// The whole service offering, for every customer.
        ServiceOffering => "service_offering",
    }
);
string_enum!(
    /// What happens to a data asset at removal.
    Disposition {
        /// Kept in an archive.
        Archive => "archive",
        /// Deleted.
        Dispose => "dispose",
        /// Handed to the customer or a target.
        Transfer => "transfer",
    }
);

/// A lifecycle request: one envelope for all four scenarios. Only `request_id`, `scenario` and
/// the block that `scenario` names are required; a rule that needs a missing field fails with a
/// message naming it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Request {
    /// # Request ID
    ///
    /// Your identifier for this request, echoed in the decision and its audit record so that a
    /// decision can be matched to its request.
    pub request_id: Text,
    /// # Scenario
    ///
    /// The lifecycle change the request asks for; the block of the same name is required. It
    /// selects the rules that apply, and LCY-001 checks that it is legal from
    /// `service.lifecycle_state`.
    pub scenario: Scenario,
    /// # Evaluation date
    ///
    /// The date the request is judged on. Without it the caller's `asOf` option applies, else
    /// today (UTC). Every check against "now" uses it: CMN-001 (signed by then), ONB-002
    /// (identity age), TRM-007 (exit plan review), TRF-002 (plan approved), TRF-013 (cutover
    /// come), RMV-003 (deletion completed) and RMV-004 (hold expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// # Requested by
    ///
    /// Who asks for the change: the party and its contact. TRM-001 checks that a termination
    /// comes from a party entitled to end the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<RequestedBy>,
    /// # Customer
    ///
    /// The cloud service customer: its identity, jurisdiction and contacts. Its jurisdiction
    /// decides whether the Data Act's switching rules apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// # Provider
    ///
    /// The cloud service provider: its identity, jurisdiction and contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// # Service
    ///
    /// The cloud service the tenancy uses, with the tenancy's current lifecycle state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// # Agreement
    ///
    /// The cloud service agreement: its status, service levels, periods, data terms, charges and
    /// the Data Act's exit terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Agreement>,
    /// # Data assets
    ///
    /// The customer's data held in the service, one entry per asset: where it is, what it holds,
    /// and how far its export and deletion have come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_assets: Option<Vec<DataAsset>>,
    /// # Suppliers
    ///
    /// The provider's suppliers for this service: sub-processors, infrastructure and support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppliers: Option<Vec<Supplier>>,
    /// # Onboarding
    ///
    /// The onboarding of the customer; required when the scenario is `onboarding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    /// # Termination
    ///
    /// The termination of the contract; required when the scenario is `termination`, and carried
    /// by a transfer or removal request too, for the termination it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<Termination>,
    /// # Transfer
    ///
    /// The move of service and data to another provider or on premises; required when the
    /// scenario is `transfer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    /// # Removal
    ///
    /// The removal of a customer's instance or of a whole offering; required when the scenario
    /// is `removal`.
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
///
/// A field's doc comment is its documentation in the JSON Schema (`cloudgate schema`,
/// js/schema.json), from which the TypeScript types and the portal's labels are generated: a
/// `# Heading` line gives the `title` (schemars 0.8 takes a title only from a heading), the
/// paragraphs after it the `description`.
macro_rules! optional_struct {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        #[cfg_attr(feature = "schema", derive(JsonSchema))]
        pub struct $name {
            $($(#[$fmeta])* #[serde(default, skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>),+
        }

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

        impl crate::json::reader::FromJson for $name {
            // One function per type: V8 compiles only the readers a request needs.
            #[inline(never)]
            fn read(r: &mut crate::json::reader::Reader<'_>) -> crate::json::reader::Read<Self> {
                $(let mut $field = None;)+
                r.object(concat!("an object (", stringify!($name), ")"), |r, key| match key {
                    $(stringify!($field) => crate::json::reader::field(r, &mut $field),)+
                    _ => r.skip_field(),
                })?;
                Ok($name { $($field: $field.flatten()),+ })
            }
        }

        impl crate::value::Lookup for $name {
            fn node(&self, steps: &[crate::path::Step]) -> Option<&dyn crate::value::Lookup> {
                match steps.split_first() {
                    None => Some(self),
                    Some((crate::path::Step::Key(key), rest)) => match key.as_str() {
                        $(stringify!($field) => crate::value::Lookup::node(self.$field.as_ref()?, rest),)+
                        _ => None,
                    },
                    Some((crate::path::Step::Index(_), _)) => None,
                }
            }

            fn found_val(&self) -> crate::value::Found<'_> {
                crate::value::Found::Object
            }
        }

        impl crate::value::ToRhai for $name {
            fn to_rhai(&self) -> rhai::Dynamic {
                static KEYS: std::sync::OnceLock<Vec<(usize, rhai::Identifier)>> =
                    std::sync::OnceLock::new();
                let keys = KEYS
                    .get_or_init(|| crate::value::descending_keys(&[$(stringify!($field)),+]));
                let values = [$(self.$field.as_ref().map(crate::value::ToRhai::to_rhai)),+];
                crate::value::struct_map(keys, values)
            }
        }
    };
}

optional_struct!(
    /// Who asks for the change.
    RequestedBy {
        /// # Requesting party
        ///
        /// Whether the customer or the provider asks. TRM-001: a termination the provider
        /// initiates must be requested by the provider.
        party: Party,
        /// # Requesting contact
        ///
        /// The `id` of the contact who asks, one of `customer.contacts` when the customer asks.
        /// TRM-001 requires a customer-initiated termination to come from an authorised signatory.
        contact_id: Text,
    }
);
optional_struct!(
    /// The cloud service customer.
    Customer {
        /// # Customer ID
        ///
        /// The provider's identifier of the customer. Not checked by the default pack.
        id: Text,
        /// # Legal name
        ///
        /// The customer's registered name. Not checked by the default pack.
        legal_name: Text,
        /// # Customer jurisdiction
        ///
        /// ISO 3166-1 alpha-2 code of the customer's country (e.g. `DE`). It decides Data Act
        /// scope (pack parameter `da_jurisdictions`, the EU by default) for CMN-002, CMN-005 to
        /// CMN-009, TRM-002 to TRM-005, TRF-004 and TRF-009; TRF-012 checks it too, and TRF-006
        /// takes it as the destination of a move on premises.
        jurisdiction: Text,
        /// # Identity verified
        ///
        /// The provider has verified who the customer is. ONB-002 requires it before onboarding.
        identity_verified: bool,
        /// # Identity verification
        ///
        /// How and when the customer's identity was verified (ONB-002).
        identity_verification: IdentityVerification,
        /// # Customer contacts
        ///
        /// The customer's named contacts. ONB-003 requires a business owner and a technical
        /// contact (a security contact for confidential or restricted data, a DPO for personal
        /// data); TRM-001 looks up the requesting contact here; TRF-001 needs a technical contact
        /// to receive a move on premises.
        contacts: Vec<CustomerContact>,
    }
);
optional_struct!(
    /// How and when the customer's identity was verified.
    IdentityVerification {
        /// # Verification method
        ///
        /// How the identity was verified. ONB-002 accepts the pack parameter
        /// `allowed_verification_methods`.
        method: VerificationMethod,
        /// # Verified on
        ///
        /// When the identity was verified. ONB-002: on or before the evaluation date and at most
        /// `max_identity_age_days` (365 by default) before it.
        verified_at: Date,
    }
);
optional_struct!(
    /// A named contact of the customer.
    CustomerContact {
        /// # Contact ID
        ///
        /// Identifies the contact; `requested_by.contact_id` refers to it (TRM-001).
        id: Text,
        /// # Role
        ///
        /// What the contact is responsible for. ONB-003 checks that the required roles are
        /// named; TRF-001 looks for a technical contact.
        role: CustomerRole,
        /// # Email
        ///
        /// The contact's email address. Not checked by the default pack.
        email: Text,
        /// # Authorised signatory
        ///
        /// The contact may sign, and so end, the contract for the customer. TRM-001 requires it
        /// of the contact who requests a customer-initiated termination.
        authorised_signatory: bool,
    }
);
optional_struct!(
    /// The cloud service provider.
    Provider {
        /// # Provider ID
        ///
        /// Identifier of the provider. Not checked by the default pack.
        id: Text,
        /// # Legal name
        ///
        /// The provider's registered name. Not checked by the default pack.
        legal_name: Text,
        /// # Provider jurisdiction
        ///
        /// ISO 3166-1 alpha-2 code of the provider's country. TRM-004 and TRF-007 count working
        /// days there, skipping its public holidays (pack parameter `public_holidays`).
        jurisdiction: Text,
        /// # Provider contacts
        ///
        /// The provider's named contacts. ONB-003 requires a relationship manager.
        contacts: Vec<ProviderContact>,
    }
);
optional_struct!(
    /// A named contact of the provider.
    ProviderContact {
        /// # Contact ID
        ///
        /// Identifies the contact. Not checked by the default pack.
        id: Text,
        /// # Role
        ///
        /// What the contact is responsible for. ONB-003 requires a relationship manager.
        role: ProviderRole,
        /// # Email
        ///
        /// The contact's email address. Not checked by the default pack.
        email: Text,
    }
);
optional_struct!(
    /// The cloud service and the tenancy's state.
    Service {
        /// # Service ID
        ///
        /// The provider's identifier of the service. Not checked by the default pack.
        id: Text,
        /// # Service name
        ///
        /// The service's name. Not checked by the default pack.
        name: Text,
        /// # Catalogue entry
        ///
        /// The service's entry in the provider's service catalogue. ONB-004 requires it and, when
        /// the pack parameter `catalogue` holds the catalogue, checks that the entry exists and
        /// has the service's category and deployment model.
        catalogue_entry_id: Text,
        /// # Service category
        ///
        /// The kind of cloud service. ONB-004 compares it with the catalogue entry; TRF-009
        /// applies to IaaS.
        category: ServiceCategory,
        /// # Deployment model
        ///
        /// How the cloud is deployed. ONB-004 compares it with the catalogue entry.
        deployment_model: DeploymentModel,
        /// # Lifecycle state
        ///
        /// The tenancy's state before this request. LCY-001 requires it and checks that the
        /// scenario is legal from it; TRF-007 limits a cutover from `data_retained` to the
        /// retrieval period.
        lifecycle_state: LifecycleState,
        /// # Custom-built
        ///
        /// The service's main features were largely custom-built for this customer, not offered
        /// at broad commercial scale. Data Act Art. 31(1) then lifts some switching duties:
        /// CMN-005, CMN-006 and TRF-009 do not apply, and ONB-010 records it.
        custom_built: bool,
        /// # Non-production
        ///
        /// The service is a non-production version (testing, evaluation), which the Data Act's
        /// switching rules do not cover: the rules that depend on Data Act scope then do not
        /// apply them (CMN-002, CMN-005 to CMN-009, TRM-002 to TRM-005, TRF-004, TRF-009).
        non_production: bool,
        /// # Available capacity
        ///
        /// The capacity the service can still provide, in the unit of
        /// `onboarding.requested_capacity`. ONB-009 checks that the request fits.
        available_capacity: i64,
        /// # SLA enforced until
        ///
        /// The last day the service levels stay enforced. TRM-008 requires it no earlier than the
        /// end of the transition (or the effective date).
        sla_enforced_until: Date,
    }
);
optional_struct!(
    /// The cloud service agreement between customer and provider.
    Agreement {
        /// # Agreement ID
        ///
        /// The agreement's identifier. Not checked by the default pack.
        id: Text,
        /// # Agreement status
        ///
        /// Where the agreement stands. CMN-001: onboarding and termination need an agreed
        /// agreement.
        status: AgreementStatus,
        /// # Signed on
        ///
        /// When both parties signed. CMN-001 requires it on or before the evaluation date.
        signed_at: Date,
        /// # Fixed term ends
        ///
        /// The end of the fixed term, for a fixed-term contract. Not checked by the default pack.
        fixed_term_end: Date,
        /// # Contract shown before signing
        ///
        /// The provider made the contract available before it was signed (Data Act 25(1)).
        /// CMN-007 checks it in Data Act scope.
        contract_available_pre_signature: bool,
        /// # Service levels
        ///
        /// The agreed service level targets. ONB-001 requires them to be measurable.
        sla: Sla,
        /// # Notice period (days)
        ///
        /// Days of notice a termination needs. TRM-002 adds them to the date the notice was
        /// received; in Data Act scope CMN-002 refuses more than 62 days and CMN-008 has 60 to 62
        /// reviewed.
        notice_period_days: i64,
        /// # Transition period (days)
        ///
        /// Days after the effective date for the switch. CMN-002: at most 30 in Data Act scope.
        transition_period_days: i64,
        /// # Data retrieval period (days)
        ///
        /// Days the customer can still retrieve its data after the transition. CMN-002 requires
        /// at least 30 in Data Act scope; TRM-005 checks that `termination.retrieval_end`
        /// allows them.
        data_retrieval_period_days: i64,
        /// # Data retention (days)
        ///
        /// How long the provider keeps the customer's data. Not checked by the default pack.
        data_retention_days: i64,
        /// # Log retention (days)
        ///
        /// How long the provider keeps logs. Not checked by the default pack.
        log_retention_days: i64,
        /// # Backup retention (days)
        ///
        /// How long backups are kept. RMV-005: a backup that is not deleted must expire by the
        /// removal date plus this period.
        backup_retention_days: i64,
        /// # Exportable data categories
        ///
        /// The data the customer can take along when it switches (Data Act 25(2)(e)). In Data Act
        /// scope CMN-002 and TRF-004 require customer and derived data among them; TRM-007
        /// requires the list.
        exportable_data_categories: Vec<DataCategory>,
        /// # Data exempt from export
        ///
        /// Data the provider need not export, each with a justification (Data Act 25(2)(f)).
        /// CMN-002 and TRF-004 accept only provider data with a justification.
        exempt_data_categories: Vec<ExemptCategory>,
        /// # Exit plan
        ///
        /// The plan for an orderly exit. CMN-002 requires an identified plan in Data Act scope;
        /// TRM-007 requires one reviewed within the last 365 days.
        exit_plan: ExitPlan,
        /// # Data residency
        ///
        /// Where the customer's data may be. CMN-003 checks data assets, backups and suppliers
        /// against it.
        data_residency: DataResidency,
        /// # Data processing agreement signed
        ///
        /// Customer and provider signed a data processing agreement (GDPR Art. 28(3)). CMN-004
        /// requires it when any data asset contains personal data.
        dpa_signed: bool,
        /// # Switching charges
        ///
        /// What the provider charges for switching. CMN-005: none from 12 January 2027 in Data
        /// Act scope; CMN-006: only documented costs before; TRF-012: egress charges for
        /// parallel use.
        switching_charges: SwitchingCharges,
        /// # Early termination fee
        ///
        /// A fee for ending a fixed-term contract early, which is not a switching charge. TRM-012
        /// records it.
        early_termination_fee: Money,
        /// # Pre-contract information
        ///
        /// What the provider told the customer before the contract (Data Act 26, 28, 29(4)).
        /// CMN-007 checks it in Data Act scope.
        pre_contract_info: PreContractInfo,
        /// # Exit terms
        ///
        /// The switching terms of Data Act Art. 25 the contract contains. CMN-009 requires each
        /// of them in Data Act scope.
        exit_terms: ExitTerms,
    }
);
optional_struct!(
    /// The exit terms Data Act Art. 25 requires in the contract (CMN-009).
    ExitTerms {
        /// # Switching assistance
        ///
        /// Reasonable assistance in the switching process (Data Act 25(2)(a)(i)). CMN-009.
        switching_assistance: bool,
        /// # Business continuity
        ///
        /// The service goes on while the customer switches (25(2)(a)(ii)). CMN-009.
        business_continuity: bool,
        /// # Security maintained
        ///
        /// A high level of security throughout the switch (25(2)(a)(iv)). CMN-009.
        security_maintained: bool,
        /// # Contract ends on completion
        ///
        /// The contract ends once the switch is successfully completed (25(2)(c)). CMN-009.
        contract_ends_on_completion: bool,
        /// # Erasure after retrieval
        ///
        /// All exportable data is erased after the retrieval period (25(2)(h)). CMN-009.
        erasure_after_retrieval: bool,
        /// # Right to extend
        ///
        /// The customer may extend the transition period once (25(5)). CMN-009.
        extension_right: bool,
    }
);
optional_struct!(
    /// The agreed service level targets.
    Sla {
        /// # Availability target (%)
        ///
        /// The agreed availability. ONB-001: above 0 and at most 100.
        availability_target_pct: f64,
        /// # Support hours
        ///
        /// When support is available, e.g. `24x7`. ONB-001 requires it.
        support_hours: Text,
        /// # First response (minutes)
        ///
        /// The longest time to a first response. Not checked by the default pack.
        max_first_response_minutes: f64,
        /// # Incident resolution (hours)
        ///
        /// The longest time to resolve an incident. ONB-001 requires a positive value.
        max_incident_resolution_hours: f64,
        /// # Recovery time objective (hours)
        ///
        /// Not checked by the default pack.
        rto_hours: f64,
        /// # Recovery point objective (hours)
        ///
        /// Not checked by the default pack.
        rpo_hours: f64,
        /// # Reporting interval (days)
        ///
        /// How often the service levels are reported. ONB-001 requires at least 1.
        reporting_interval_days: i64,
    }
);
optional_struct!(
    /// A data category the provider need not export.
    ExemptCategory {
        /// # Category
        ///
        /// The exempt category. CMN-002 and TRF-004 accept only `provider_data`.
        category: DataCategory,
        /// # Justification
        ///
        /// Why exporting it would risk a trade secret (Data Act 25(2)(f)). CMN-002 and TRF-004
        /// require it.
        justification: Text,
    }
);
optional_struct!(
    /// The plan for an orderly exit.
    ExitPlan {
        /// # Exit plan ID
        ///
        /// Identifies the plan. CMN-002 requires it in Data Act scope.
        id: Text,
        /// # Last reviewed
        ///
        /// When the plan was last reviewed. TRM-007: within the 365 days before the evaluation
        /// date.
        last_reviewed_at: Date,
        /// # Export formats
        ///
        /// The formats the plan exports data in. Not checked by the default pack (TRF-003 reads
        /// each data asset's formats).
        export_formats: Vec<Text>,
    }
);
optional_struct!(
    /// Where the customer's data may be; an empty or absent list places no restriction.
    DataResidency {
        /// # Allowed regions
        ///
        /// The cloud regions where data assets, their backups and suppliers' processing may be.
        /// CMN-003; empty or absent places no restriction.
        allowed_regions: Vec<Text>,
        /// # Allowed jurisdictions
        ///
        /// The country codes data assets may be held under. CMN-003; empty or absent places no
        /// restriction.
        allowed_jurisdictions: Vec<Text>,
    }
);
optional_struct!(
    /// What the provider charges for switching.
    SwitchingCharges {
        /// # Amount
        ///
        /// The charge for switching. CMN-005: 0 on or after 12 January 2027 in Data Act scope;
        /// CMN-006 and TRF-012 want a charge backed by documented costs.
        amount: f64,
        /// # Currency
        ///
        /// ISO 4217 code of the amount, shown in messages (CMN-005, CMN-006, TRF-012).
        currency: Text,
        /// # Cost basis documented
        ///
        /// The charge passes on documented costs the switch causes. CMN-006 (Data Act 29(3)) and
        /// TRF-012 (34(2)).
        cost_basis_documented: bool,
    }
);
optional_struct!(
    /// An amount of money.
    Money {
        /// # Amount
        ///
        /// The amount. TRM-012 records an early termination fee above 0.
        amount: f64,
        /// # Currency
        ///
        /// ISO 4217 code of the amount, shown in TRM-012's message.
        currency: Text,
    }
);
optional_struct!(
    /// Pre-contract information on switching (Data Act 26, 28, 29(4); CMN-007).
    PreContractInfo {
        /// # Switching procedures described
        ///
        /// The provider described the switching procedures before the contract (Data Act 26(a)).
        /// CMN-007.
        switching_procedures: bool,
        /// # Formats register URL
        ///
        /// Where the register of data formats and interfaces is published (Data Act 26(b)).
        /// CMN-007.
        formats_register_url: Text,
        /// # Infrastructure jurisdiction
        ///
        /// The jurisdiction of the provider's ICT infrastructure (Data Act 28(1)(a)). CMN-007.
        infrastructure_jurisdiction: Text,
        /// # Switching fees disclosed
        ///
        /// The provider disclosed its switching fees (Data Act 29(4)). CMN-007.
        fees_disclosed: bool,
        /// # Safeguards against foreign access
        ///
        /// The provider described its safeguards against unlawful international governmental
        /// access to the data (Data Act 28(1)(b)). CMN-007.
        international_access_safeguards: bool,
    }
);
optional_struct!(
    /// A data asset: a body of the customer's data held in the service.
    DataAsset {
        /// # Asset ID
        ///
        /// Identifies the asset; the removal plan refers to it (RMV-002) and messages name it.
        id: Text,
        /// # Asset name
        ///
        /// A readable name, shown in messages.
        name: Text,
        /// # Data category
        ///
        /// Whose data it is. Customer and derived data must be exportable (TRF-004), in an open
        /// format the target accepts (TRF-003), and verified on export before any deletion or the
        /// cutover (TRF-008, TRF-013).
        category: DataCategory,
        /// # Classification
        ///
        /// How sensitive it is. ONB-003 asks for a customer security contact when it is
        /// confidential or restricted.
        classification: Classification,
        /// # Contains personal data
        ///
        /// The asset holds personal data. CMN-004 then requires a data processing agreement and
        /// approved sub-processors, ONB-003 a DPO contact, and TRF-006 a lawful transfer out of
        /// the EEA.
        contains_pii: bool,
        /// # Region
        ///
        /// The cloud region that stores it. CMN-003 checks it against the allowed regions.
        region: Text,
        /// # Jurisdiction
        ///
        /// The country code it is held under. CMN-003 checks it against the allowed
        /// jurisdictions.
        jurisdiction: Text,
        /// # Export formats
        ///
        /// The formats it can be exported in. TRF-003: at least one open format and one the
        /// target accepts.
        formats: Vec<Text>,
        /// # Legal hold
        ///
        /// A legal obligation to keep the data. RMV-003 and RMV-005 leave an asset under an active
        /// hold alone; RMV-004 checks the hold.
        legal_hold: LegalHold,
        /// # Backups
        ///
        /// The asset's backup copies. CMN-003 checks their regions, RMV-003 and RMV-005 their
        /// deletion and expiry.
        backups: Vec<Backup>,
        /// # Export
        ///
        /// The asset's export to the customer or the target (TRF-008, TRF-013).
        export: Export,
        /// # Deletion
        ///
        /// The asset's deletion (RMV-003, RMV-004, TRF-008).
        deletion: Deletion,
    }
);
optional_struct!(
    /// A legal obligation to keep a data asset.
    LegalHold {
        /// # Hold active
        ///
        /// The hold is in force. RMV-003 and RMV-005 then leave the asset alone, and RMV-004
        /// requires its deletion status to stay `none`.
        active: bool,
        /// # Legal basis
        ///
        /// The legal basis for keeping the data. RMV-004 requires it for an active hold.
        retention_basis: Text,
        /// # Hold expires
        ///
        /// When the hold ends. RMV-004: an active hold needs one, not before the evaluation date.
        expires_at: Date,
    }
);
optional_struct!(
    /// A backup copy of a data asset.
    Backup {
        /// # Backup ID
        ///
        /// Identifies the backup in messages.
        id: Text,
        /// # Region
        ///
        /// The cloud region that stores it. CMN-003 checks it against the allowed regions.
        region: Text,
        /// # Expires on
        ///
        /// When the backup expires. RMV-005: a backup that is not deleted must expire by the
        /// removal date plus `agreement.backup_retention_days`.
        expires_at: Date,
        /// # Deleted
        ///
        /// The backup has been deleted. RMV-005 accepts a deleted backup; RMV-003 refuses a
        /// deletion that claims to include the backups while one is not deleted.
        deleted: bool,
    }
);
optional_struct!(
    /// The export of a data asset.
    Export {
        /// # Export status
        ///
        /// How far the export has come. TRF-008: nothing may be deleted while an export of
        /// customer or derived data is not verified; TRF-013: verified by the cutover.
        status: ExportStatus,
        /// # Checksum verified
        ///
        /// The exported copy's checksum matched. TRF-008 and TRF-013 require it along with status
        /// `verified`.
        checksum_verified: bool,
    }
);
optional_struct!(
    /// The deletion of a data asset.
    Deletion {
        /// # Deletion status
        ///
        /// How far the deletion has come. RMV-003 requires `verified` before removal (unless the
        /// asset is on hold); RMV-004 requires `none` under a hold; TRF-008 requires `none` while
        /// an export is not verified.
        status: DeletionStatus,
        /// # Deletion method
        ///
        /// How the data was deleted. RMV-003 accepts the pack parameter
        /// `allowed_deletion_methods`.
        method: DeletionMethod,
        /// # Deletion completed
        ///
        /// When the deletion completed. RMV-003: on or before the evaluation date, and for a
        /// customer instance after the retrieval period (or, when the customer chose erasure, on
        /// or after the effective date).
        completed_at: Date,
        /// # Deletion certificate
        ///
        /// The identifier of the deletion certificate. RMV-003 requires it.
        certificate_id: Text,
        /// # Includes backups
        ///
        /// The deletion covered the asset's backups. RMV-003 then checks that every backup is
        /// deleted.
        includes_backups: bool,
    }
);
optional_struct!(
    /// A supplier of the provider for this service.
    Supplier {
        /// # Supplier ID
        ///
        /// Identifies the supplier in messages.
        id: Text,
        /// # Supplier name
        ///
        /// The supplier's name, shown in messages.
        name: Text,
        /// # Supplier role
        ///
        /// What the supplier does. Not checked by the default pack: whether it processes the
        /// customer's data or personal data is what the rules look at.
        role: SupplierRole,
        /// # Processes customer data
        ///
        /// The supplier processes the customer's data. CMN-003 checks its regions, TRM-010 that
        /// it is told of a termination, RMV-006 that it confirms deletion.
        processes_customer_data: bool,
        /// # Processes personal data
        ///
        /// The supplier is a sub-processor of personal data. CMN-004 requires the customer's
        /// approval, CMN-010 a lawful transfer when it is outside the EEA.
        processes_pii: bool,
        /// # Regions
        ///
        /// The cloud regions where it processes the data. CMN-003 checks them against the allowed
        /// regions.
        regions: Vec<Text>,
        /// # Jurisdiction
        ///
        /// ISO 3166-1 alpha-2 code of where it processes the data. CMN-010 requires it for a
        /// sub-processor of personal data.
        jurisdiction: Text,
        /// # Transfer mechanism
        ///
        /// The GDPR chapter V tool for a supplier in a third country. CMN-010: adequacy only for
        /// an adequate country, otherwise `scc` or `bcr`.
        transfer_mechanism: TransferMechanism,
        /// # Approved by the customer
        ///
        /// The customer approved this sub-processor (GDPR Art. 28(2)). CMN-004.
        approved_by_customer: bool,
        /// # Told of the termination on
        ///
        /// When the supplier was notified of the termination. TRM-010 requires it for a supplier
        /// that processes customer data.
        termination_notified_at: Date,
        /// # Deletion confirmed
        ///
        /// The supplier confirmed it deleted the customer's data. RMV-006.
        deletion_confirmed: bool,
    }
);
optional_struct!(
    /// The onboarding of the customer.
    Onboarding {
        /// # Responsibility matrix provided
        ///
        /// The customer received the matrix of who (provider or customer) is responsible for what
        /// (ISO/IEC 27017 CLD.6.3.1). ONB-006.
        responsibility_matrix_provided: bool,
        /// # Administrator accounts
        ///
        /// The administrator accounts set up for the customer. ONB-005: at least one, each
        /// personal and with multi-factor authentication.
        admin_accounts: Vec<AdminAccount>,
        /// # Migration into the service
        ///
        /// Whether data or workloads move into the service, and how (ONB-007).
        migration_in: MigrationIn,
        /// # Service request
        ///
        /// The service request that records the onboarding. ONB-008 wants it or a change record.
        service_request_id: Text,
        /// # Change record
        ///
        /// The change that records the onboarding. ONB-008 wants it or a service request.
        change_id: Text,
        /// # Configuration items
        ///
        /// The configuration items the onboarding creates or changes. ONB-008.
        ci_ids: Vec<Text>,
        /// # Requested capacity
        ///
        /// The capacity the customer asks for. ONB-009 compares it with
        /// `service.available_capacity`.
        requested_capacity: i64,
    }
);
optional_struct!(
    /// An administrator account set up at onboarding.
    AdminAccount {
        /// # Account ID
        ///
        /// Identifies the account in messages.
        id: Text,
        /// # Multi-factor authentication
        ///
        /// The account signs in with MFA. ONB-005 requires it.
        mfa: bool,
        /// # Shared account
        ///
        /// Several people use the account. ONB-005 refuses it: every action must trace to a
        /// person.
        shared: bool,
    }
);
optional_struct!(
    /// A migration of data or workloads into the service.
    MigrationIn {
        /// # Migration required
        ///
        /// Data or workloads must move into the service. ONB-007 applies only then.
        required: bool,
        /// # Migration plan
        ///
        /// The identifier of the migration plan. ONB-007 requires it.
        plan_id: Text,
        /// # Acceptance criteria defined
        ///
        /// Both parties agreed how the migration is accepted. ONB-007 requires it.
        acceptance_criteria_defined: bool,
    }
);
optional_struct!(
    /// The termination of the contract.
    Termination {
        /// # Initiated by
        ///
        /// Which party ends the contract. TRM-001 checks who may request it, TRM-002 applies the
        /// Data Act's cap on a customer's notice, TRM-003 asks a customer for its choice, TRM-009
        /// a provider for its reason.
        initiated_by: Party,
        /// # Reason
        ///
        /// Why the contract ends. TRM-009 requires it when the provider ends the contract.
        reason: Text,
        /// # Notice received
        ///
        /// When the other party received the notice of termination. TRM-002 counts the notice
        /// period from it; TRM-004 and TRF-007 count 14 working days from it for an
        /// unfeasibility notice.
        notice_received_at: Date,
        /// # Effective date
        ///
        /// When the termination takes effect and the contract ends. TRM-002 checks it against
        /// the notice period; TRM-004 to TRM-006, TRM-008, TRM-013, CMN-005, CMN-006, TRF-007,
        /// RMV-001, RMV-003 and RMV-009 count from it.
        effective_date: Date,
        /// # Customer's choice
        ///
        /// What the customer does at the end (Data Act 25(3)). TRM-003 asks for it in Data Act
        /// scope; it decides what TRM-004 to TRM-006, TRM-013, CMN-005, RMV-001, RMV-003, RMV-009
        /// and LCY-001 check.
        customer_choice: CustomerChoice,
        /// # Transition ends
        ///
        /// The last day of the switching transition. TRM-004: at most 30 days after the effective
        /// date in Data Act scope; TRM-005, TRM-008, TRF-007 and RMV-009 count from it.
        transition_end: Date,
        /// # Unfeasibility notice
        ///
        /// When the provider told the customer that the 30-day transition is technically
        /// unfeasible (Data Act 25(4)). TRM-004 and TRF-007: within 14 working days of the notice
        /// of termination.
        unfeasibility_notice_at: Date,
        /// # Alternative transition end
        ///
        /// The transition end given with the unfeasibility notice. TRM-004 and TRF-007: at most
        /// 7 months after the effective date.
        alternative_transition_end: Date,
        /// # Extensions
        ///
        /// How often the customer extended the transition. TRM-004: at most once (Data Act 25(5)).
        extension_count: i64,
        /// # Data retrieval ends
        ///
        /// The last day the customer can retrieve its data. TRM-005 checks the full retrieval
        /// period; TRM-006, TRM-013, TRF-007, RMV-001 and RMV-003 count from it.
        retrieval_end: Date,
        /// # Planned deletion
        ///
        /// When the customer's data is to be deleted. TRM-006: after the retrieval period;
        /// TRM-013: at most `max_deletion_delay_days` (30) after the data is no longer needed.
        planned_deletion_date: Date,
        /// # Change record
        ///
        /// The change under which the termination is carried out. TRM-011 requires it.
        change_id: Text,
    }
);
optional_struct!(
    /// The move of service and data to another provider or on premises.
    Transfer {
        /// # Target
        ///
        /// Where the transfer goes. TRF-001 and TRF-006 read the target accordingly; TRF-009
        /// applies to a switch to another provider.
        target_type: TargetType,
        /// # Receiving provider
        ///
        /// The provider that receives service and data. TRF-001 requires it identified; TRF-006
        /// reads its jurisdiction.
        target_provider: TargetProvider,
        /// # Formats the target accepts
        ///
        /// The data formats the target can take in. TRF-003: every customer and derived data
        /// asset can be exported in one of them.
        target_accepted_formats: Vec<Text>,
        /// # Transfer plan
        ///
        /// The plan the transfer runs to. TRF-002 requires it approved and complete.
        transfer_plan: TransferPlan,
        /// # Transfer channel
        ///
        /// How the data travels to the target. TRF-005.
        channel: Channel,
        /// # Transfer mechanism
        ///
        /// The GDPR chapter V tool when personal data goes to a third country. TRF-006: adequacy
        /// only for an adequate country, otherwise `scc` or `bcr`.
        transfer_mechanism: TransferMechanism,
        /// # Cutover date
        ///
        /// When the customer switches over to the target. TRF-007 checks the deadline, TRF-013 a
        /// verified export by then; CMN-005 and CMN-006 take it as the switch date.
        cutover_date: Date,
        /// # Parallel use
        ///
        /// The customer uses several providers in parallel rather than switching. TRF-012 (Data
        /// Act 34) and CMN-005.
        in_parallel_use: bool,
        /// # Change record
        ///
        /// The change the transfer is recorded under. TRF-002 requires it.
        change_id: Text,
        /// # Configuration items handed over
        ///
        /// The configuration items the target receives. TRF-010.
        ci_handover_list: Vec<Text>,
        /// # Knowledge transferred
        ///
        /// The knowledge needed to run the handed-over items has been passed on. TRF-010.
        knowledge_transfer_done: bool,
        /// # Functional equivalence document
        ///
        /// Where the measures for functional equivalence at the target are documented (Data Act
        /// 23(d), 30(1)). TRF-009, for IaaS.
        functional_equivalence_doc: Text,
        /// # Continuity risks disclosed
        ///
        /// The provider told the customer of known risks to continuity (Data Act
        /// 25(2)(a)(iii)). TRF-011.
        continuity_risks_disclosed: bool,
    }
);
optional_struct!(
    /// The provider that receives service and data.
    TargetProvider {
        /// # Legal name
        ///
        /// The receiving provider's registered name. TRF-001 requires it.
        legal_name: Text,
        /// # Registration ID
        ///
        /// Its company registration number. TRF-001 requires it.
        registration_id: Text,
        /// # Jurisdiction
        ///
        /// ISO 3166-1 alpha-2 code of its country. TRF-001 requires it; TRF-006 checks a
        /// transfer of personal data there.
        jurisdiction: Text,
        /// # Technical contact
        ///
        /// Who receives the transfer at the target. TRF-001 requires it.
        technical_contact: Text,
        /// # Data Privacy Framework certified
        ///
        /// Certified under the EU-US Data Privacy Framework, which makes a `US` target adequate
        /// (TRF-006).
        dpf_certified: bool,
    }
);
optional_struct!(
    /// The plan a transfer runs to.
    TransferPlan {
        /// # Plan approved
        ///
        /// When the plan was approved. TRF-002: on or before the evaluation date.
        approved_at: Date,
        /// # Activities by party
        ///
        /// The plan sets out what each party does. TRF-002.
        activities_by_party: bool,
        /// # Schedule
        ///
        /// The plan has a schedule. TRF-002.
        schedule: bool,
        /// # Rollback
        ///
        /// The plan says how to roll back. TRF-002.
        rollback: bool,
        /// # Communication
        ///
        /// The plan says who is told what, and when. TRF-002.
        communication: bool,
    }
);
optional_struct!(
    /// How data travels to the target.
    Channel {
        /// # Encrypted in transit
        ///
        /// The channel encrypts the data on the way. TRF-005 requires it.
        encrypted_in_transit: bool,
        /// # Integrity check
        ///
        /// The channel checks that the data arrives unaltered. TRF-005 requires it.
        integrity_check: bool,
        /// # Protocol
        ///
        /// The transfer protocol, e.g. `sftp`; shown in TRF-005's message.
        protocol: Text,
    }
);
optional_struct!(
    /// The removal of a customer's instance or of a whole offering.
    Removal {
        /// # Removal scope
        ///
        /// What is removed. RMV-001, RMV-003 and RMV-009 check a customer instance, RMV-008 and
        /// RMV-011 a service offering; LCY-001 allows each from different states.
        scope: RemovalScope,
        /// # Removal date
        ///
        /// When the removal happens. RMV-001: after the retrieval period; RMV-005: backups expire
        /// within the retention period after it; RMV-011: customers notified in time before it.
        date: Date,
        /// # Removal plan
        ///
        /// What happens to each data asset. RMV-002.
        removal_plan: RemovalPlan,
        /// # Change record
        ///
        /// The change the removal is carried out under. RMV-002 requires it.
        change_id: Text,
        /// # Change approved
        ///
        /// The removal's change is approved. RMV-002 requires it.
        change_approved: bool,
        /// # Access revoked
        ///
        /// Every access right to the instance is revoked. RMV-007 requires it.
        access_revoked: bool,
        /// # Configuration items retired
        ///
        /// The instance's configuration items are marked retired. RMV-008.
        ci_retired: bool,
        /// # Catalogue updated
        ///
        /// The service catalogue no longer offers the removed offering. RMV-008, for a service
        /// offering.
        catalogue_updated: bool,
        /// # Billing stopped
        ///
        /// When billing for the instance stopped. RMV-009: no later than the end of service.
        billing_stopped_at: Date,
        /// # Dedicated hardware
        ///
        /// The instance ran on hardware dedicated to the customer. RMV-010 then wants media
        /// disposal records.
        dedicated_hardware: bool,
        /// # Media disposal records
        ///
        /// Records of the secure disposal or re-use of the dedicated storage media. RMV-010.
        media_disposal_records: Vec<serde_json::Value>,
        /// # Affected customers
        ///
        /// The customers of a withdrawn offering. RMV-011: each notified its notice period before
        /// the removal date and offered an export.
        affected_customers: Vec<AffectedCustomer>,
        /// # Completion notice sent
        ///
        /// The customer was told that removal is complete. RMV-012.
        completion_notice_sent: bool,
    }
);
optional_struct!(
    /// What happens to each data asset at removal.
    RemovalPlan {
        /// # Asset dispositions
        ///
        /// One disposition per data asset. RMV-002 requires every asset covered.
        asset_dispositions: Vec<AssetDisposition>,
    }
);
optional_struct!(
    /// What happens to one data asset at removal.
    AssetDisposition {
        /// # Data asset
        ///
        /// The `id` of a data asset. RMV-002 matches it with `data_assets`.
        asset_id: Text,
        /// # Disposition
        ///
        /// What happens to the asset. RMV-002 requires one.
        disposition: Disposition,
    }
);
optional_struct!(
    /// A customer of a withdrawn service offering.
    AffectedCustomer {
        /// # Customer ID
        ///
        /// Identifies the customer in messages.
        id: Text,
        /// # Notified on
        ///
        /// When the customer was told of the removal. RMV-011: at least its notice period before
        /// the removal date.
        notified_at: Date,
        /// # Notice period (days)
        ///
        /// The customer's notice period. RMV-011.
        notice_period_days: i64,
        /// # Export offered
        ///
        /// The customer was offered an export of its data. RMV-011 requires it.
        export_offered: bool,
    }
);

/// The request's members, read as `optional_struct!` reads a block's; two of them required.
impl crate::json::reader::FromJson for Request {
    fn read(r: &mut crate::json::reader::Reader<'_>) -> crate::json::reader::Read<Self> {
        use crate::json::reader::{field, Stop};
        let mut request_id = None;
        let mut scenario = None;
        let mut as_of = None;
        let mut requested_by = None;
        let mut customer = None;
        let mut provider = None;
        let mut service = None;
        let mut agreement = None;
        let mut data_assets = None;
        let mut suppliers = None;
        let mut onboarding = None;
        let mut termination = None;
        let mut transfer = None;
        let mut removal = None;
        r.object("one JSON object", |r, key| match key {
            "request_id" => field(r, &mut request_id),
            "scenario" => field(r, &mut scenario),
            "as_of" => field(r, &mut as_of),
            "requested_by" => field(r, &mut requested_by),
            "customer" => field(r, &mut customer),
            "provider" => field(r, &mut provider),
            "service" => field(r, &mut service),
            "agreement" => field(r, &mut agreement),
            "data_assets" => field(r, &mut data_assets),
            "suppliers" => field(r, &mut suppliers),
            "onboarding" => field(r, &mut onboarding),
            "termination" => field(r, &mut termination),
            "transfer" => field(r, &mut transfer),
            "removal" => field(r, &mut removal),
            _ => r.skip_field(),
        })?;
        let missing = |name: &str| Stop::missing(r, name);
        let request_id: Text = request_id.ok_or_else(|| missing("request_id"))?;
        let scenario: Scenario = scenario.ok_or_else(|| missing("scenario"))?;
        Ok(Request {
            request_id,
            scenario,
            as_of: as_of.flatten(),
            requested_by: requested_by.flatten(),
            customer: customer.flatten(),
            provider: provider.flatten(),
            service: service.flatten(),
            agreement: agreement.flatten(),
            data_assets: data_assets.flatten(),
            suppliers: suppliers.flatten(),
            onboarding: onboarding.flatten(),
            termination: termination.flatten(),
            transfer: transfer.flatten(),
            removal: removal.flatten(),
        })
    }
}
