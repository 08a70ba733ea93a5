# The termination rules of cloudgate's default pack 2.0.0 (rules/: CMN-001, CMN-005, CMN-006,
# LCY-001, TRM-001…TRM-013) in Rego v1, for regorus (bench/README.md, "regorus").
#
# `result` is the decision verb and the set of failing rule ids: no messages, paths or clauses.
# Each rule's conditions are those of the design notes' rules.md as the Rhai rules implement
# them: a missing required field fails the rule (fail closed) and null is the same as missing.
# A Rego body whose reference is undefined is simply false, so each rule is written as "fails
# unless <ok>", where <ok> needs every field it reads; the conditions under which a rule does
# not apply are written positively in front of it.
#
# `data.pack` holds the pack's parameters as the bench crate prepares them once per engine
# (src/lib.rs, `pack_data`): the Data Act jurisdictions as an object keyed by upper-case code,
# the public holidays as distinct day numbers keyed by upper-case code, the cut-off as a day
# number, the limits as they are, and `as_of`, the evaluation date of a request without one.
#
# Dates are day numbers (days since 1970-01-01) from `time.parse_ns` of the request's
# `YYYY-MM-DD` (the date part of a timestamp, as cloudgate reads it); calendar months are
# `time.add_date`, which in regorus clamps to the month's last day as the pack's add_months does
# (2026-01-31 + 1 month = 2026-02-28; OPA's Go implementation would give 2026-03-03).
package cloudgate.termination

import rego.v1

day_ns := 86400000000000

# The date part of a request date as a day number.
day(text) := time.parse_ns("2006-01-02", substring(text, 0, 10)) / day_ns

# A day number plus calendar months, clamped to the last day of the target month.
plus_months(d, months) := time.add_date(d * day_ns, 0, months, 0) / day_ns

# Monday–Friday days in the weeks up to and including day d, counted from a Monday: the
# weekdays in (a, b] are weekdays_to(b) - weekdays_to(a). 1970-01-01 was a Thursday.
weekdays_to(d) := n if {
	s := d + 3
	weeks := floor(s / 7)
	n := (5 * weeks) + min([(s - (7 * weeks)) + 1, 5])
}

weekday_index(d) := (d + 3) - (7 * floor((d + 3) / 7))

# Working days after a up to and including b (b >= a): weekdays, less the listed public
# holidays of the provider's jurisdiction that fall on a weekday in the range.
working_days(a, b) := (weekdays_to(b) - weekdays_to(a)) - count([h |
	some h in provider_holidays
	h > a
	h <= b
	weekday_index(h) < 5
])

provider_holidays := data.pack.holidays[upper(j)] if {
	j := input.provider.jurisdiction
	j != null
}

default provider_holidays := []

# --- the request's values (undefined when missing or null) ------------------------------------

as_of := day(input.as_of) if input.as_of != null

else := day(data.pack.as_of)

initiated := p if {
	p := input.termination.initiated_by
	p != null
}

choice := input.termination.customer_choice

is_switch if choice in {"switch_provider", "switch_on_premises"}

erase if choice == "erase"

custom_built if input.service.custom_built == true

date_of(text) := day(text) if text != null

effective := date_of(input.termination.effective_date)

transition_end := date_of(input.termination.transition_end)

retrieval_end := date_of(input.termination.retrieval_end)

received := date_of(input.termination.notice_received_at)

planned_deletion := date_of(input.termination.planned_deletion_date)

# The end of the service: the transition end, else the effective date.
service_end := transition_end

service_end := effective if not transition_end

jurisdiction := j if {
	j := input.customer.jurisdiction
	j != null
}

# Data Act scope: a customer in da_jurisdictions and a production service. Three states: in,
# out, and neither when the customer's jurisdiction is missing (the rules that need the scope
# then fail).
in_scope if {
	data.pack.da[upper(jurisdiction)]
	not input.service.non_production == true
}

out_of_scope if {
	jurisdiction
	not data.pack.da[upper(jurisdiction)]
}

out_of_scope if {
	jurisdiction
	input.service.non_production == true
}

has_text(s) if {
	s != null
	trim_space(s) != ""
}

# --- the rules ---------------------------------------------------------------------------------

# CMN-001: an agreed agreement, signed on or before the evaluation date.
failing contains "CMN-001" if not cmn001_ok

cmn001_ok if {
	input.agreement.status == "agreed"
	date_of(input.agreement.signed_at) <= as_of
}

# CMN-005 and CMN-006: not for custom-built services; need the scope; only in it.
failing contains "CMN-005" if {
	not custom_built
	not jurisdiction
}

failing contains "CMN-005" if {
	not custom_built
	in_scope
	not parallel_without_switch
	not cmn005_ok
}

# Data transferred for parallel use while the customer chose something other than a switch.
parallel_without_switch if {
	input.transfer.in_parallel_use == true
	choice != null
	not is_switch
}

cmn005_ok if effective < data.pack.switching_charge_cutoff

cmn005_ok if {
	effective
	amount := input.agreement.switching_charges.amount
	amount != null
	amount <= 0
}

failing contains "CMN-006" if {
	not custom_built
	not jurisdiction
}

failing contains "CMN-006" if {
	not custom_built
	in_scope
	not effective
}

failing contains "CMN-006" if {
	not custom_built
	in_scope
	effective < data.pack.switching_charge_cutoff
	amount := input.agreement.switching_charges.amount
	amount != null
	amount > 0
	not input.agreement.switching_charges.cost_basis_documented == true
}

# LCY-001: a termination starts from onboarding, active or suspended.
failing contains "LCY-001" if not input.service.lifecycle_state in {"onboarding", "active", "suspended"}

# TRM-001: the first customer contact with the requesting id is an authorised signatory; a
# provider-initiated termination is requested by the provider.
failing contains "TRM-001" if not trm001_ok

trm001_ok if {
	initiated == "customer"
	id := input.requested_by.contact_id
	id != null
	contacts := input.customer.contacts
	first := min({i | some i, c in contacts; c.id == id})
	contacts[first].authorised_signatory == true
}

trm001_ok if {
	initiated == "provider"
	input.requested_by.party == "provider"
}

# TRM-002: notice + period; a customer in Data Act scope gets the earlier of that and notice +
# 2 calendar months (the scope is needed only when the cap is earlier).
failing contains "TRM-002" if not trm002_ok

notice_end := received + period if {
	period := input.agreement.notice_period_days
	period != null
}

two_month_cap := plus_months(received, 2)

cap_shortens if {
	initiated == "customer"
	two_month_cap < notice_end
}

trm002_ok if {
	not cap_shortens
	effective >= notice_end
}

trm002_ok if {
	cap_shortens
	out_of_scope
	effective >= notice_end
}

trm002_ok if {
	cap_shortens
	in_scope
	effective >= two_month_cap
}

# TRM-003 (warn): a customer in Data Act scope states its choice.
failing contains "TRM-003" if not initiated

failing contains "TRM-003" if {
	initiated == "customer"
	not jurisdiction
}

failing contains "TRM-003" if {
	initiated == "customer"
	in_scope
	not choice in {"switch_provider", "switch_on_premises", "erase"}
}

# TRM-004: a switch in Data Act scope: at most one extension; without one, a transition of at
# most 30 days, or a valid unfeasibility notice.
failing contains "TRM-004" if {
	is_switch
	not jurisdiction
}

failing contains "TRM-004" if {
	is_switch
	in_scope
	not trm004_ok
}

extensions := n if {
	n := input.termination.extension_count
	n != null
}

trm004_ok if extensions == 1

trm004_ok if {
	extensions < 1
	(transition_end - effective) <= data.pack.da_max_transition_days
}

trm004_ok if {
	extensions < 1
	effective
	transition_end
	unfeasibility_notice_valid
}

# Given from the termination notice to the n-th working day after it, with an alternative end
# no later than effective date + 7 months, which the transition keeps.
unfeasibility_notice_valid if {
	notice := date_of(input.termination.unfeasibility_notice_at)
	alternative := date_of(input.termination.alternative_transition_end)
	notice >= received
	notice_by_deadline(notice)
	alternative <= plus_months(effective, data.pack.da_max_alternative_transition_months)
	transition_end <= alternative
}

# The deadline is the first day d after the termination notice with n working days in
# (received, d]; working days only grow with d, so a notice is by the deadline exactly when the
# day before it has fewer than n (for n >= 1; for n <= 0 the deadline is received + n).
notice_by_deadline(notice) if {
	n := data.pack.da_unfeasibility_notice_working_days
	n >= 1
	notice == received
}

notice_by_deadline(notice) if {
	n := data.pack.da_unfeasibility_notice_working_days
	n >= 1
	notice > received
	working_days(received, notice - 1) < n
}

notice_by_deadline(notice) if {
	n := data.pack.da_unfeasibility_notice_working_days
	n < 1
	notice <= received + n
}

# TRM-005: unless the customer chose erasure, retrieval lasts the agreed period (at least 30
# days in Data Act scope; the scope is needed only when the agreed period is shorter).
failing contains "TRM-005" if {
	not erase
	not trm005_ok
}

retrieval_days := n if {
	n := input.agreement.data_retrieval_period_days
	n != null
}

trm005_ok if {
	retrieval_days >= data.pack.da_min_retrieval_days
	retrieval_end >= service_end + retrieval_days
}

trm005_ok if {
	retrieval_days < data.pack.da_min_retrieval_days
	out_of_scope
	retrieval_end >= service_end + retrieval_days
}

trm005_ok if {
	retrieval_days < data.pack.da_min_retrieval_days
	in_scope
	retrieval_end >= service_end + data.pack.da_min_retrieval_days
}

# TRM-006 and TRM-013: deletion after the data could be retrieved (from the effective date when
# the customer chose erasure), and not more than 30 days after that.
deletion_base := effective if erase

deletion_base := retrieval_end if not erase

failing contains "TRM-006" if not trm006_ok

trm006_ok if {
	erase
	planned_deletion >= deletion_base
}

trm006_ok if {
	not erase
	planned_deletion > deletion_base
}

failing contains "TRM-013" if not planned_deletion <= deletion_base + data.pack.max_deletion_delay_days

# TRM-007 (warn): an exit plan reviewed within 365 days, and exportable data categories.
failing contains "TRM-007" if not trm007_ok

trm007_ok if {
	reviewed := date_of(input.agreement.exit_plan.last_reviewed_at)
	as_of - reviewed <= data.pack.exit_plan_max_age_days
	categories := input.agreement.exportable_data_categories
	categories != null
	count(categories) > 0
}

# TRM-008 (warn): the SLA is enforced until the end of the service.
failing contains "TRM-008" if not date_of(input.service.sla_enforced_until) >= service_end

# TRM-009 (warn): a provider-initiated termination states its reason.
failing contains "TRM-009" if not initiated

failing contains "TRM-009" if {
	initiated == "provider"
	not has_text(input.termination.reason)
}

# TRM-010 (warn): every supplier that processes customer data was notified.
failing contains "TRM-010" if {
	some supplier in input.suppliers
	supplier.processes_customer_data == true
	object.get(supplier, "termination_notified_at", null) == null
}

# TRM-011 (warn): the termination has a change record.
failing contains "TRM-011" if not has_text(input.termination.change_id)

# TRM-012 (info): an early termination fee above 0 is recorded.
failing contains "TRM-012" if {
	fee := input.agreement.early_termination_fee.amount
	fee != null
	fee > 0
}

# --- the decision --------------------------------------------------------------------------------

deny_rules := {"CMN-001", "CMN-005", "LCY-001", "TRM-001", "TRM-002", "TRM-004", "TRM-005", "TRM-006"}

warn_rules := {"CMN-006", "TRM-003", "TRM-007", "TRM-008", "TRM-009", "TRM-010", "TRM-011", "TRM-013"}

default decision := "allow"

decision := "deny" if denied

decision := "review" if {
	not denied
	some id in failing
	id in warn_rules
}

denied if {
	some id in failing
	id in deny_rules
}

result := {"decision": decision, "failing": failing}
