#include "rules/model.hpp"

namespace mcre::rules {

const char* outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::Reject:
            return "reject";
        case Outcome::Refer:
            return "refer";
        case Outcome::Warn:
            return "warn";
        case Outcome::Incomplete:
            return "incomplete";
        case Outcome::NotApplicable:
            return "not_applicable";
    }
    return "reject";
}

}  // namespace mcre::rules
