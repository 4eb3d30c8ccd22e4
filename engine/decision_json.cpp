#include "engine/decision_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "engine/decision_text.hpp"
#include "engine/detail/json_values.hpp"
#include "engine/detail/pathway_json.hpp"
#include "engine/stack_render.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::ordered_json;

Json number(double n) { return detail::json_number(n); }

using detail::text_or_null;

Json location(const dsl::Location& where) { return text_or_null(format_location(where)); }

// Present only when an exception decided instead of a rule or cap.
void add_exception(const Reason& r, Json& j) {
    if (r.instead_of.empty()) return;
    Json e;
    e["instead_of"] = r.instead_of;
    e["because"] = r.because;
    e["prevailed_over"] = r.prevailed_over;
    j["exception"] = std::move(e);
}

Json reason(const Reason& r) {
    Json j;
    j["rule"] = r.rule;
    j["code"] = r.code;
    j["outcome"] = rules::outcome_name(r.outcome);
    j["message"] = r.message;
    j["facts"] = r.facts;
    j["missing"] = r.missing;
    j["cite"] = r.cite;
    j["location"] = location(r.where);
    add_exception(r, j);
    return j;
}

// Present only when an officer's override waived the check.
void add_waiver(const Reason& r, Json& j) {
    if (r.override_id.empty()) return;
    j["outcome"] = rules::outcome_name(r.outcome);
    j["message"] = r.message;
    j["missing"] = r.missing;
    j["override"] =
        Json{{"id", r.override_id}, {"by", r.override_by}, {"reason", r.override_reason}};
}

Json passed_check(const Reason& r) {
    Json j;
    j["rule"] = r.rule;
    j["code"] = r.code;
    j["facts"] = r.facts;
    j["cite"] = r.cite;
    j["location"] = location(r.where);
    if (!r.instead_of.empty()) j["message"] = r.message;
    add_exception(r, j);
    add_waiver(r, j);
    return j;
}

Json override_record(const OverrideRecord& o) {
    Json j;
    j["id"] = o.id;
    j["credential"] = o.credential;
    j["action"] = o.action;
    j["target"] = o.target;
    j["value"] = o.action == "set" ? Json(o.value) : Json(nullptr);
    j["author"] = o.author;
    j["date"] = o.date;
    j["reason"] = o.reason;
    j["status"] = override_status_name(o.status);
    j["note"] = o.note;
    return j;
}

// The smallest changes of a credential's facts that would get it recognized.
Json counterfactuals(const std::vector<Counterfactual>& list) {
    Json out = Json::array();
    for (const Counterfactual& cf : list) {
        Json changes = Json::array();
        for (const FactChange& c : cf.changes) {
            changes.push_back({{"fact", c.fact},
                               {"from", text_or_null(c.from)},
                               {"to", c.to},
                               {"words", c.words}});
        }
        out.push_back({{"changes", std::move(changes)},
                       {"status", status_name(cf.status)},
                       {"recognized_ects", number(cf.recognized_ects)}});
    }
    return out;
}

Json charge(const CapCharge& c) {
    Json j;
    j["cap"] = c.cap;
    j["limit"] = number(c.limit);
    j["used_before"] = number(c.used_before);
    j["charged"] = number(c.charged);
    j["remaining"] = number(c.remaining);
    return j;
}

Json credential(const CredentialDecision& cd) {
    Json j;
    j["id"] = cd.id;
    if (cd.source_id) j["source_id"] = *cd.source_id;  // only for issued documents
    j["title"] = text_or_null(cd.title);
    j["awarding_body"] = text_or_null(cd.awarding_body);
    j["issued"] = text_or_null(cd.issued);
    j["kind"] = text_or_null(cd.kind);
    j["status"] = status_name(cd.status);
    j["recognized_ects"] = number(cd.recognized_ects);
    j["claimed_ects"] = cd.claimed_ects ? number(*cd.claimed_ects) : Json(nullptr);
    j["workload_basis"] = text_or_null(cd.workload_basis);
    j["level_basis"] = text_or_null(cd.level_basis);
    j["primary_code"] = text_or_null(cd.primary_code);
    j["duplicate_of"] = cd.duplicate_of ? Json(*cd.duplicate_of) : Json(nullptr);
    j["overlap_of"] = cd.overlap_of ? Json(*cd.overlap_of) : Json(nullptr);
    // Only when stacks are involved, so decisions without them are unchanged.
    if (cd.stacked_into) j["stacked_into"] = *cd.stacked_into;
    if (cd.formed_by_stack) j["formed_by_stack"] = *cd.formed_by_stack;
    j["reasons"] = Json::array();
    for (const Reason& r : cd.reasons) j["reasons"].push_back(reason(r));
    j["passed"] = Json::array();
    for (const Reason& r : cd.passed) j["passed"].push_back(passed_check(r));
    j["caps"] = Json::array();
    for (const CapCharge& c : cd.caps) j["caps"].push_back(charge(c));
    j["would_change"] = cd.would_change;
    j["counterfactuals"] = counterfactuals(cd.counterfactuals);
    j["no_change_helps"] = text_or_null(cd.no_change_helps);
    return j;
}

Json ledger_entry(const CapLedgerEntry& e) {
    Json j;
    j["cap"] = e.cap;
    j["limit"] = e.missing.empty() ? number(e.limit) : Json(nullptr);
    j["prior"] = number(e.prior);
    j["used"] = number(e.used);
    j["remaining"] = number(e.remaining);
    j["missing"] = text_or_null(e.missing);
    j["cite"] = e.cite;
    j["location"] = location(e.where);
    if (!e.instead_of.empty()) j["instead_of"] = e.instead_of;
    return j;
}

}  // namespace

std::string render_json(const Decision& d) {
    Json j;
    j["schema"] = "mcre.decision/1";
    j["policy"] = Json{{"id", d.policy_id},
                       {"version", d.policy_version},
                       {"title", d.policy_title},
                       {"sha256", d.policy_hash}};
    j["application"] =
        Json{{"id", d.application_id},
             {"learner", d.learner_id},
             {"date", d.application_date},
             {"programme", Json{{"id", d.programme_id}, {"kind", text_or_null(d.programme_kind)}}}};
    // Only present when asked for, so decisions made on the application date are unchanged.
    if (!d.values_as_of.empty()) j["application"]["values_as_of"] = d.values_as_of;
    j["credentials"] = Json::array();
    for (const CredentialDecision& cd : d.credentials) j["credentials"].push_back(credential(cd));
    add_stacks_json(d, j);
    j["cap_ledger"] = Json::array();
    for (const CapLedgerEntry& e : d.cap_ledger) j["cap_ledger"].push_back(ledger_entry(e));
    // Only when a pathway applies to the programme, so other decisions are unchanged.
    if (!d.pathways.empty()) j["pathways"] = detail::pathways_json(d.pathways);
    Json by_kind = Json::object();
    for (const auto& [kind, n] : d.recognized_by_kind) by_kind[kind] = number(n);
    Json by_status = Json::object();
    for (Status s : {Status::Recognized, Status::PartiallyRecognized, Status::NotRecognized,
                     Status::Referred, Status::Incomplete, Status::NotApplicable}) {
        auto n = std::count_if(d.credentials.begin(), d.credentials.end(),
                               [&](const CredentialDecision& cd) { return cd.status == s; });
        if (n > 0) by_status[status_name(s)] = n;
    }
    j["totals"] = Json{{"recognized_by_kind", by_kind},
                       {"recognized_ects", number(d.total_recognized)},
                       {"credentials_by_status", by_status}};
    j["notes"] = d.notes;
    // Only present when the application carries officers' overrides.
    if (!d.overrides.empty()) {
        j["overrides"] = Json::array();
        for (const OverrideRecord& o : d.overrides) j["overrides"].push_back(override_record(o));
    }
    // Replace rather than throw on invalid UTF-8: a garbled title must not lose the decision.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace mcre::engine
