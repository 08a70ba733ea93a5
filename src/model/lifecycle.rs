//! Lifecycle states and legal transitions (domain.md §3). One table, used both by the
//! decision's `lifecycle` field and by rule LCY-001 (through a host function), so the two can
//! never disagree.

use crate::request::{CustomerChoice, LifecycleState, RemovalScope, Request, Scenario};

/// The state a scenario leads to when it proceeds.
pub fn target(scenario: Scenario) -> LifecycleState {
    match scenario {
        Scenario::Onboarding => LifecycleState::Onboarding,
        Scenario::Termination => LifecycleState::Terminating,
        Scenario::Transfer => LifecycleState::Transferring,
        Scenario::Removal => LifecycleState::Removed,
    }
}

/// The states a request may start from.
pub fn legal_from(request: &Request) -> Vec<LifecycleState> {
    use LifecycleState::*;
    match request.scenario {
        Scenario::Onboarding => vec![Agreed, Onboarding],
        Scenario::Termination => vec![Onboarding, Active, Suspended],
        Scenario::Transfer => vec![Terminating, Transferring, DataRetained],
        Scenario::Removal => {
            let scope = request.removal.as_ref().and_then(|r| r.scope);
            if scope == Some(RemovalScope::ServiceOffering) {
                LifecycleState::ALL
                    .iter()
                    .copied()
                    .filter(|s| *s != Removed)
                    .collect()
            } else {
                let erase = request.termination.as_ref().and_then(|t| t.customer_choice)
                    == Some(CustomerChoice::Erase);
                let mut states = vec![DataRetained, Erasing];
                if erase {
                    states.push(Terminating);
                }
                states
            }
        }
    }
}

pub fn current(request: &Request) -> Option<LifecycleState> {
    request.service.as_ref().and_then(|s| s.lifecycle_state)
}

/// Whether the request's scenario is legal from its current state. An unknown state is not:
/// a tenancy's state must be known before it changes (LCY-001).
pub fn is_legal(request: &Request) -> bool {
    match current(request) {
        Some(state) => legal_from(request).contains(&state),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Removal, Service, Termination};

    fn req(scenario: Scenario, state: Option<LifecycleState>) -> Request {
        Request {
            request_id: "R".into(),
            scenario,
            service: Some(Service {
                lifecycle_state: state,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn transitions_follow_the_table() {
        use LifecycleState::*;
        assert!(is_legal(&req(Scenario::Onboarding, Some(Agreed))));
        assert!(!is_legal(&req(Scenario::Onboarding, Some(Active))));
        assert!(is_legal(&req(Scenario::Termination, Some(Suspended))));
        assert!(!is_legal(&req(Scenario::Termination, Some(Terminating))));
        assert!(is_legal(&req(Scenario::Transfer, Some(Transferring))));
        assert!(!is_legal(&req(Scenario::Transfer, Some(Active))));
        assert!(is_legal(&req(Scenario::Transfer, Some(DataRetained))));
        assert!(is_legal(&req(Scenario::Removal, Some(Erasing))));
        assert!(!is_legal(&req(Scenario::Removal, Some(Terminating))));
        assert!(
            !is_legal(&req(Scenario::Removal, None)),
            "an unknown state is not legal"
        );
    }

    #[test]
    fn removal_depends_on_scope_and_choice() {
        use LifecycleState::*;
        let mut r = req(Scenario::Removal, Some(Terminating));
        r.termination = Some(Termination {
            customer_choice: Some(CustomerChoice::Erase),
            ..Default::default()
        });
        assert!(is_legal(&r));
        let mut offering = req(Scenario::Removal, Some(Active));
        offering.removal = Some(Removal {
            scope: Some(RemovalScope::ServiceOffering),
            ..Default::default()
        });
        assert!(is_legal(&offering));
        offering.service = Some(Service {
            lifecycle_state: Some(Removed),
            ..Default::default()
        });
        assert!(!is_legal(&offering), "nothing leaves removed");
        assert_eq!(target(Scenario::Removal), Removed);
    }
}
