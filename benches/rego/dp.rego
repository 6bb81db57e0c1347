# Twenty obligations of comply's data-protection pack (`rules/data-protection/`), in Rego,
# for a side-by-side comparison of comply and a Rego engine on the same declaration.
#
# `input` is the declaration as comply reads it (JSON). `violations` holds one
# {"obligation": ID, "item": KEY or null} per result that comply reports `violated` at the
# evaluation date below, and nothing else: tests/rego_equivalence.rs checks that on
# generated declarations.
#
# comply decides on three truth values: a fact that is not stated leaves a condition
# unknown, and only a result whose conditions all definitely apply, whose exemptions
# definitely do not hold and one of whose requirements is definitely false is violated.
# So each rule below tests what makes a clause *definitely* true or false:
#
# - a required field left out (or null) is unknown: it never makes a clause definitely
#   true or false on its own;
# - an optional field (`?` in rules/data-protection/shape.comply) left out is absent:
#   a comparison with it is false, `!=` included, a bool reads false, a list is empty;
# - Rego orders values of different types (null sorts before any text), so a date is
#   compared only once it is known to be stated;
# - an Evidence document that is stated is never definitely false (at worst, expired or
#   incomplete, it is unknown), so `X is present and X` fails only when X is absent.
#
# Where a clause nests many predicates (the breach rules), it is computed in Kleene logic
# on numbers: 1 true, 0 false, 0.5 unknown, with `and` as min, `or` as max and `not` as
# 1 - x, which is exactly comply's three-valued logic.
#
# `depends on` never turns a violated result into another status (a blocked result is one
# whose own requirements hold), so dp.dpia.prior_consultation needs nothing of its
# prerequisite. dp.breach.notify_authority gives way to telecom.breach.notify_authority
# wherever that one applies, which is replicated. The pack is in force from 2018-05-25,
# before the evaluation date; dp.breach.non_eea.every_authority, from 2023-03-28.

package comply.dp

# The evaluation date (comply's `--as-of`).
today := "2026-11-23"

today_seconds := date_days(today) * 86400

# ------------------------------------------------------------------ shared facts and helpers

# A fact is stated when the field is there and not null.
stated(obj, field) if obj[field] != null

# The items of a list field; none when it is not stated (comply's loader has already
# checked that a stated value is a list).
items_of(obj, field) := obj[field] if {
	obj[field] != null
} else := []

# A bool field, as a value that is always defined: true only when stated true.
is_true(obj, field) := true if {
	obj[field] == true
} else := false

# `c within m` on the dotted hierarchy of enum members.
within(c, m) if c == m

within(c, m) if startswith(c, concat("", [m, "."]))

within_any(c, members) if {
	some m in members
	within(c, m)
}

# `any c in obj.field: c within members`, definitely true.
has_within(obj, field, members) := true if {
	some c in items_of(obj, field)
	within_any(c, members)
} else := false

# `any s in obj.field: s in members`, definitely true.
has_member(obj, field, members) := true if {
	some s in items_of(obj, field)
	s in members
} else := false

special_categories := [
	"user.health_and_medical", "user.biometric", "user.demographic.race_ethnicity",
	"user.demographic.political_opinion", "user.demographic.religious_belief",
	"user.demographic.philosophical_belief", "user.demographic.union_membership",
	"user.demographic.sexual_orientation",
]

highly_personal := [
	"user.health_and_medical", "user.biometric", "user.demographic.race_ethnicity",
	"user.demographic.political_opinion", "user.demographic.religious_belief",
	"user.demographic.philosophical_belief", "user.demographic.union_membership",
	"user.demographic.sexual_orientation", "user.criminal_history", "user.financial",
	"user.location", "user.content.private",
]

breach_sensitive := [
	"user.health_and_medical", "user.biometric", "user.demographic.race_ethnicity",
	"user.demographic.political_opinion", "user.demographic.religious_belief",
	"user.demographic.philosophical_belief", "user.demographic.union_membership",
	"user.demographic.sexual_orientation", "user.criminal_history", "user.financial",
	"user.authorization.credentials", "user.government_id", "user.content.private",
]

# The activity includes art. 9(1) data (definitely: a category is stated within them).
sensitive(p) if {
	some c in items_of(p, "categories")
	within_any(c, special_categories)
}

# The activity includes art. 10 data.
criminal(p) if {
	some c in items_of(p, "categories")
	within(c, "user.criminal_history")
}

vulnerable_subjects := ["employee", "patient", "child", "elderly", "asylum_seeker"]

# ------------------------------------------------------------------ dates and durations
#
# Dates are `YYYY-MM-DD` texts, which compare in calendar order as texts. Instants are
# turned into seconds since 1970-01-01T00:00:00Z, as src/time.rs does: a bare date is
# midnight UTC, seconds may be left out, a fraction is ignored, the offset is applied.

# A run of decimal digits as a number (`to_number` refuses a leading zero: "08").
digits(text) := 0 if {
	trim_left(text, "0") == ""
} else := to_number(trim_left(text, "0"))

# A duration literal as [months, seconds]: src/time.rs keeps calendar months (`mo`, `y`)
# apart from exact seconds (`s`, `min`, `h`, `d`, `w`).
duration(text) := [0, to_number(trim_suffix(text, "min")) * 60] if {
	endswith(text, "min")
} else := [to_number(trim_suffix(text, "mo")), 0] if {
	endswith(text, "mo")
} else := [to_number(trim_suffix(text, "y")) * 12, 0] if {
	endswith(text, "y")
} else := [0, to_number(trim_suffix(text, "w")) * 604800] if {
	endswith(text, "w")
} else := [0, to_number(trim_suffix(text, "d")) * 86400] if {
	endswith(text, "d")
} else := [0, to_number(trim_suffix(text, "h")) * 3600] if {
	endswith(text, "h")
} else := [0, to_number(trim_suffix(text, "s"))] if {
	endswith(text, "s")
}

negate(d) := [0 - d[0], 0 - d[1]]

# `a <= b` on durations: two calendar durations compare by months, two exact ones by
# seconds, and a mixed comparison counts a month as the average Gregorian month
# (2,629,746 s), as in src/time.rs.
duration_le(a, b) if {
	a[1] == 0
	b[1] == 0
	a[0] <= b[0]
}

duration_le(a, b) if {
	a[0] == 0
	b[0] == 0
	a[1] <= b[1]
}

duration_le(a, b) if {
	not both_calendar(a, b)
	not both_exact(a, b)
	(a[0] * 2629746) + a[1] <= (b[0] * 2629746) + b[1]
}

both_calendar(a, b) if {
	a[1] == 0
	b[1] == 0
}

both_exact(a, b) if {
	a[0] == 0
	b[0] == 0
}

leap(y) if {
	y % 4 == 0
	y % 100 != 0
}

leap(y) if y % 400 == 0

days_in_month(y, m) := 29 if {
	m == 2
	leap(y)
} else := 28 if {
	m == 2
} else := 30 if {
	m in {4, 6, 9, 11}
} else := 31

# A date moved by a calendar duration: along the calendar, a day that does not exist in
# the target month becoming its last day (2026-01-31 + 1mo = 2026-02-28). Undefined
# outside the years 1 to 9999, where comply leaves the value unknown. The checks here move
# dates by months and years only, so an exact part is not handled.
shift_date(date, d) := out if {
	is_string(date)
	d[1] == 0
	y := digits(substring(date, 0, 4))
	m := digits(substring(date, 5, 2))
	day := digits(substring(date, 8, 2))
	index := ((y * 12) + m - 1) + d[0]
	ny := floor(index / 12)
	nm := (index - (ny * 12)) + 1
	ny >= 1
	ny <= 9999
	out := sprintf("%04d-%02d-%02d", [ny, nm, min([day, days_in_month(ny, nm)])])
}

# Days from 1970-01-01 to a `YYYY-MM-DD` date (Howard Hinnant's algorithm, as in
# src/time.rs).
date_days(date) := days if {
	is_string(date)
	year := digits(substring(date, 0, 4))
	m := digits(substring(date, 5, 2))
	day := digits(substring(date, 8, 2))
	y := year - month_shift(m)
	era := floor(y / 400)
	yoe := y - (era * 400)
	doy := (floor(((153 * ((m + 9) % 12)) + 2) / 5) + day) - 1
	doe := (((yoe * 365) + floor(yoe / 4)) - floor(yoe / 100)) + doy
	days := ((era * 146097) + doe) - 719468
}

month_shift(m) := 1 if {
	m <= 2
} else := 0

# An RFC 3339 instant (or a bare date) in seconds since the epoch.
instant_seconds(text) := date_days(text) * 86400 if {
	is_string(text)
	count(text) == 10
} else := s if {
	is_string(text)
	day := date_days(substring(text, 0, 10))
	hour := digits(substring(text, 11, 2))
	minute := digits(substring(text, 14, 2))
	s := ((((day * 86400) + (hour * 3600)) + (minute * 60)) + instant_second(text)) - zone_offset(text)
}

instant_second(text) := min([digits(substring(text, 17, 2)), 59]) if {
	substring(text, 16, 1) == ":"
} else := 0

zone_offset(text) := 0 if {
	endswith(text, "Z")
} else := 0 if {
	endswith(text, "z")
} else := offset if {
	zone := substring(text, count(text) - 6, 6)
	magnitude := (digits(substring(zone, 1, 2)) * 3600) + (digits(substring(zone, 4, 2)) * 60)
	offset := zone_sign(zone) * magnitude
}

zone_sign(zone) := -1 if {
	startswith(zone, "-")
} else := 1

# An instant moved by an exact duration.
shift_instant(seconds, d) := seconds + d[1] if d[0] == 0

# ------------------------------------------------------------------ Kleene logic, for the breach rules

# A required bool: unknown when not stated.
tri(obj, field) := 1 if {
	obj[field] == true
} else := 0 if {
	obj[field] == false
} else := 0.5

# An optional bool: false when absent.
tri_opt(obj, field) := 1 if {
	obj[field] == true
} else := 0

# A required enum field compared with a member: unknown when not stated.
tri_eq(obj, field, member) := 1 if {
	obj[field] == member
} else := 0.5 if {
	not stated(obj, field)
} else := 0

# `any c in obj.field: c within members` over a required list.
tri_any_within(obj, field, members) := 1 if {
	some c in items_of(obj, field)
	within_any(c, members)
} else := 0.5 if {
	not stated(obj, field)
} else := 0

# ------------------------------------------------------------------ processing

# dp.lawful_basis — GDPR art. 6(1)
violations contains {"obligation": "dp.lawful_basis", "item": p.id} if {
	some p in items_of(input, "processing")
	lawful_basis_fails(p)
}

lawful_basis_fails(p) if not stated(p, "lawful_basis")

# Legitimate interests are no basis for a public authority.
lawful_basis_fails(p) if {
	p.lawful_basis == "legitimate_interests"
	input.organisation.public_authority == true
}

# dp.consent — GDPR art. 7(1); GDPR art. 7(3)
violations contains {"obligation": "dp.consent", "item": p.id} if {
	some p in items_of(input, "processing")
	p.lawful_basis == "consent"
	consent_fails(p)
}

consent_fails(p) if not stated(p, "consent")

consent_fails(p) if p.consent.withdrawal_as_easy == false

# dp.special_categories — GDPR art. 9(1); GDPR art. 9(2)
violations contains {"obligation": "dp.special_categories", "item": p.id} if {
	some p in items_of(input, "processing")
	sensitive(p)
	not stated(p, "art9_condition")
}

# dp.dpia.review — GDPR art. 35(11); WP248 section III.C
violations contains {"obligation": "dp.dpia.review", "item": p.id} if {
	some p in items_of(input, "processing")
	stated(p, "dpia")
	dpia_review_fails(p)
}

dpia_review_fails(p) if {
	stated(p, "last_change")
	stated(p.dpia, "reviewed")
	p.dpia.reviewed < p.last_change
}

dpia_review_fails(p) if {
	stated(p.dpia, "reviewed")
	p.dpia.reviewed < shift_date(today, negate(duration("3y")))
}

# dp.dpia.prior_consultation — GDPR art. 36(1)
violations contains {"obligation": "dp.dpia.prior_consultation", "item": p.id} if {
	some p in items_of(input, "processing")
	p.dpia.residual_risk_high == true
	prior_consultation_fails(p)
}

prior_consultation_fails(p) if not stated(p.dpia, "authority_consulted")

prior_consultation_fails(p) if {
	stated(p.dpia, "authority_consulted")
	stated(p, "started")
	p.dpia.authority_consulted > p.started
	p.started >= "2018-05-25"
}

# dp.transparency.timing — GDPR art. 13(1); GDPR art. 14(3)
violations contains {"obligation": "dp.transparency.timing", "item": p.id} if {
	some p in items_of(input, "processing")
	stated(p, "notice")
	not_notice_exempt(p)
	notice_timing_fails(p)
}

# `notice_exempt(p)` definitely false: not already informed, and not a third-party source
# with one of the art. 14(5) grounds.
not_notice_exempt(p) if {
	not p.notice_exemption == "already_informed"
	not_third_party_exempt(p)
}

not_third_party_exempt(p) if {
	stated(p, "source")
	p.source != "third_party"
}

not_third_party_exempt(p) if {
	not p.notice_exemption in {"impossible_or_disproportionate", "obtaining_laid_down_by_law", "professional_secrecy"}
}

notice_timing_fails(p) if {
	stated(p, "source")
	p.source != "third_party"
	p.notice.at_collection == false
}

notice_timing_fails(p) if {
	stated(p, "source")
	p.source != "data_subject"
	p.notice.within_one_month == false
}

# dp.transparency.objection_notice — GDPR art. 21(4)
violations contains {"obligation": "dp.transparency.objection_notice", "item": p.id} if {
	some p in items_of(input, "processing")
	objection_possible(p)
	p.notice.objection_separate == false
}

# A basis people may object to, or a use for marketing.
objection_possible(p) if p.lawful_basis in {"public_task", "legitimate_interests"}

objection_possible(p) if {
	some u in items_of(p, "uses")
	within(u, "marketing")
}

# ------------------------------------------------------------------ requests

# dp.rights.response — GDPR art. 12(3)
violations contains {"obligation": "dp.rights.response", "item": r.id} if {
	some r in items_of(input, "requests")
	response_fails(r)
}

# Still unanswered once the month has passed.
response_fails(r) if {
	not stated(r, "answered")
	today > shift_date(r.received, duration("1mo"))
}

# Answered late: after the month, and not within three months after an extension
# notified within the first month.
response_fails(r) if {
	stated(r, "answered")
	r.answered > shift_date(r.received, duration("1mo"))
	not extension_kept(r)
}

# `r.extension_notified <= r.received + 1mo and r.answered <= r.received + 3mo`, not
# definitely false.
extension_kept(r) if {
	stated(r, "extension_notified")
	not r.extension_notified > shift_date(r.received, duration("1mo"))
	not r.answered > shift_date(r.received, duration("3mo"))
}

# dp.rights.refusal — GDPR art. 12(4); GDPR art. 77(1); GDPR art. 79(1)
violations contains {"obligation": "dp.rights.refusal", "item": r.id} if {
	some r in items_of(input, "requests")
	r.outcome in {"refused", "partly_granted"}
	refusal_fails(r)
}

refusal_fails(r) if r.refusal_reasons_given == false

refusal_fails(r) if r.remedies_explained == false

# dp.rights.objection — GDPR art. 21(1); GDPR art. 21(2); GDPR art. 21(3)
violations contains {"obligation": "dp.rights.objection", "item": r.id} if {
	some r in items_of(input, "requests")
	r.right == "objection"
	stated(r, "answered")
	no_compelling_grounds(r)
	not r.outcome == "granted"
}

# The exemption `not r.direct_marketing and r.compelling_grounds` definitely false.
no_compelling_grounds(r) if r.direct_marketing == true

no_compelling_grounds(r) if not r.compelling_grounds == true

# ------------------------------------------------------------------ processors

# dp.processor.sub_processors — GDPR art. 28(2); GDPR art. 28(4)
violations contains {"obligation": "dp.processor.sub_processors", "item": v.id} if {
	some v in items_of(input, "processors")
	v.uses_sub_processors == true
	v.sub_processors_authorised == false
}

# ------------------------------------------------------------------ transfers

# dp.transfer.basis — GDPR art. 44; GDPR art. 45(1); GDPR art. 46(1); GDPR art. 46(3);
# GDPR art. 49(1)
violations contains {"obligation": "dp.transfer.basis", "item": t.id} if {
	some t in items_of(input, "transfers")
	t.adequacy == false
	transfer_basis_fails(t)
}

transfer_basis_fails(t) if {
	not stated(t, "safeguard")
	not stated(t, "derogation")
}

# Ad hoc clauses and administrative arrangements need the authority's authorisation.
transfer_basis_fails(t) if {
	t.safeguard in {"ad_hoc_clauses", "administrative_arrangement"}
	not t.authority_authorised == true
}

# dp.transfer.derogation — GDPR art. 49(1); GDPR art. 49(3); GDPR recital 111;
# EDPB Guidelines 2/2018 section 2
violations contains {"obligation": "dp.transfer.derogation", "item": t.id} if {
	some t in items_of(input, "transfers")
	t.adequacy == false
	not stated(t, "safeguard")
	stated(t, "derogation")
	derogation_fails(t)
}

derogation_fails(t) if {
	input.organisation.public_authority == true
	t.derogation in {"explicit_consent", "contract_with_subject", "contract_in_subject_interest", "compelling_legitimate_interests"}
}

derogation_fails(t) if {
	t.derogation == "compelling_legitimate_interests"
	t.repetitive == true
}

derogation_fails(t) if {
	t.derogation == "compelling_legitimate_interests"
	not t.authority_informed == true
}

derogation_fails(t) if {
	t.derogation in {"contract_with_subject", "contract_in_subject_interest", "legal_claims"}
	t.repetitive == true
}

# ------------------------------------------------------------------ breaches

unintelligible(i) := min([tri(i, "encrypted"), tri(i, "encryption_state_of_the_art"), 1 - tri(i, "key_compromised")])

confidentiality_contained(i) := max([
	1 - tri(i, "confidentiality_breach"),
	unintelligible(i),
	min([tri_opt(i, "recipient_trusted"), tri_opt(i, "data_recovered_or_deleted")]),
])

availability_contained(i) := max([1 - tri(i, "availability_breach"), tri(i, "restored_in_good_time")])

integrity_contained(i) := max([1 - tri(i, "integrity_breach"), tri(i, "restored_in_good_time")])

risk_ruled_out(i) := min([confidentiality_contained(i), availability_contained(i), integrity_contained(i)])

exposed(i) := min([
	tri(i, "confidentiality_breach"),
	1 - min([tri_opt(i, "recipient_trusted"), tri_opt(i, "data_recovered_or_deleted")]),
])

high_risk_shown(i) := max([
	min([exposed(i), tri_any_within(i, "categories", breach_sensitive)]),
	min([exposed(i), tri(i, "publicly_disclosed")]),
	min([1 - availability_contained(i), tri_any_within(i, "categories", special_categories)]),
	min([1 - integrity_contained(i), tri_any_within(i, "categories", special_categories)]),
	min([
		tri(i, "availability_breach"),
		1 - tri(i, "restored_in_good_time"),
		1 - tri(i, "backup_available"),
		tri_any_within(i, "categories", breach_sensitive),
	]),
])

risk_shown(i) := max([1 - availability_contained(i), 1 - integrity_contained(i), high_risk_shown(i)])

notifiable(i) := min([
	tri(i, "personal_data_breach"),
	1 - risk_ruled_out(i),
	max([risk_shown(i), 1 - tri_eq(i, "risk", "unlikely")]),
])

# dp.breach.notify_authority — GDPR art. 33(1); EDPB Guidelines 9/2022 section II;
# EDPB Guidelines 9/2022 section IV; EDPB Guidelines 01/2021 cases 1-18
violations contains {"obligation": "dp.breach.notify_authority", "item": i.id} if {
	some i in items_of(input, "incidents")
	i.personal_data_breach == true
	not superseded_by_telecom(i)
	risk_ruled_out(i) == 0
	min([tri_eq(i, "risk", "unlikely"), 1 - risk_shown(i)]) == 0
	notify_authority_fails(i)
}

# telecom.breach.notify_authority overrides it wherever all its conditions hold.
superseded_by_telecom(i) if {
	input.organisation.sector == "digital_infrastructure"
	input.organisation.ecs_provider == true
	i.personal_data_breach == true
	i.ecs_breach == true
}

# Not notified once 72 hours have passed since awareness.
notify_authority_fails(i) if {
	not stated(i, "notified_authority_at")
	today_seconds >= shift_instant(instant_seconds(i.aware_at), duration("72h"))
}

# Notified after 72 hours without reasons for the delay.
notify_authority_fails(i) if {
	stated(i, "aware_at")
	not stated(i, "delay_reasons")
	delay := instant_seconds(i.notified_authority_at) - instant_seconds(i.aware_at)
	not duration_le([0, delay], duration("72h"))
}

# dp.breach.authority_content — GDPR art. 33(3); GDPR art. 33(4)
violations contains {"obligation": "dp.breach.authority_content", "item": i.id} if {
	some i in items_of(input, "incidents")
	stated(i, "notified_authority_at")
	stated(i, "notification_content")
	some k in ["nature", "contact_point", "consequences", "measures"]
	not k in i.notification_content
}

# dp.breach.document — GDPR art. 33(5)
violations contains {"obligation": "dp.breach.document", "item": i.id} if {
	some i in items_of(input, "incidents")
	i.personal_data_breach == true
	not stated(i, "documentation")
}

# dp.breach.non_eea.every_authority — GDPR art. 33(1); GDPR art. 27(1);
# EDPB Guidelines 9/2022 para. 73 (in force from 2023-03-28)
violations contains {"obligation": "dp.breach.non_eea.every_authority", "item": i.id} if {
	today >= "2023-03-28"
	stated(input.organisation, "eu_representative")
	some i in items_of(input, "incidents")
	i.personal_data_breach == true
	notifiable(i) == 1
	some m in items_of(i, "affected_member_states")
	not m in items_of(i, "authorities_notified")
}

# ------------------------------------------------------------------ organisation

# dp.dpo — GDPR art. 37(1)
violations contains {"obligation": "dp.dpo", "item": null} if {
	input.organisation.processes_personal_data == true
	dpo_required
	not stated(input.organisation, "dpo")
}

dpo_required if input.organisation.public_authority == true

dpo_required if {
	some p in items_of(input, "processing")
	p.core_activity == true
	p.large_scale == true
	dpo_core_processing(p)
}

# Large-scale monitoring, or large-scale art. 9 or art. 10 data.
dpo_core_processing(p) if p.systematic_monitoring == true

dpo_core_processing(p) if sensitive(p)

dpo_core_processing(p) if criminal(p)

# dp.register — GDPR art. 30(1); GDPR art. 30(3); GDPR art. 30(5)
violations contains {"obligation": "dp.register", "item": null} if {
	input.organisation.processes_personal_data == true
	register_not_exempt
	register_fails
}

# The art. 30(5) exemption definitely does not hold: 250 employees or more, or some
# activity that is high-risk, not occasional, or with special-category or criminal data.
register_not_exempt if input.organisation.employees >= 250

register_not_exempt if {
	some p in items_of(input, "processing")
	register_exception(p)
}

register_exception(p) if wp248_certain(p) >= 2

register_exception(p) if p.occasional == false

register_exception(p) if sensitive(p)

register_exception(p) if criminal(p)

# The WP248 criteria that certainly hold: `high_risk(p)`, a count compared with 2, is
# definitely true only when at least two of them certainly hold.
wp248_certain(p) := count([x |
	some x in [
		is_true(p, "evaluation_scoring"),
		is_true(p, "automated_decision_legal_effect"),
		is_true(p, "systematic_monitoring"),
		has_within(p, "categories", highly_personal),
		is_true(p, "large_scale"),
		is_true(p, "matching_datasets"),
		has_member(p, "subjects", vulnerable_subjects),
		is_true(p, "innovative_technology"),
		is_true(p, "prevents_right_or_service"),
	]
	x
])

register_fails if not stated(input.organisation, "register")

register_fails if {
	some p in items_of(input, "processing")
	p.in_register == false
}

# dp.security.restore — GDPR art. 32(1)(c)
violations contains {"obligation": "dp.security.restore", "item": null} if {
	input.organisation.processes_personal_data == true
	stated(input.organisation, "security")
	restore_fails
}

restore_fails if input.organisation.security.backups == false

restore_fails if not stated(input.organisation.security, "restore_tested")

restore_fails if {
	stated(input.organisation.security, "restore_tested")
	input.organisation.security.restore_tested < shift_date(today, negate(duration("1y")))
}
