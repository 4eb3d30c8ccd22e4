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

}  // namespace mcre::engine
