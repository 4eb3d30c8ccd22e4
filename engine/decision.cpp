#include "engine/decision.hpp"

namespace mcre::engine {

const char* status_name(Status status) {
    switch (status) {
        case Status::Recognized:
            return "recognized";
        case Status::PartiallyRecognized:
            return "partially_recognized";
        case Status::NotRecognized:
            return "not_recognized";
        case Status::Referred:
            return "referred";
        case Status::Incomplete:
            return "incomplete";
        case Status::NotApplicable:
            return "not_applicable";
    }
    return "not_recognized";
}

int status_rank(Status status) {
    switch (status) {
        case Status::Recognized:
            return 5;
        case Status::PartiallyRecognized:
            return 4;
        case Status::Referred:
            return 3;
        case Status::Incomplete:
            return 2;
        case Status::NotApplicable:
            return 1;
        case Status::NotRecognized:
            return 0;
    }
    return 0;
}

void CredentialDecision::clear() {
    id.clear();
    title.clear();
    awarding_body.clear();
    issued.clear();
    kind.clear();
    status = Status::NotRecognized;
    claimed_ects.reset();
    workload_basis.clear();
    level_basis.clear();
    recognized_ects = 0;
    primary_code.clear();
    reasons.clear();
    passed.clear();
    caps.clear();
    duplicate_of.reset();
    overlap_of.reset();
    stacked_into.reset();
    formed_by_stack.reset();
    source_id.reset();
    would_change.clear();
    counterfactuals.clear();
    no_change_helps.clear();
}

const char* override_status_name(OverrideStatus status) {
    switch (status) {
        case OverrideStatus::Applied:
            return "applied";
        case OverrideStatus::Unnecessary:
            return "unnecessary";
        case OverrideStatus::NotApplicable:
            return "not_applicable";
        case OverrideStatus::Forbidden:
            return "forbidden";
    }
    return "applied";
}

}  // namespace mcre::engine
