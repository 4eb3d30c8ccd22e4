#pragma once

// Helpers for the cohort tests: read a whole cohort from text, load the shipped policies.

#include <sstream>
#include <string>
#include <vector>

#include "engine/cohort.hpp"
#include "engine/policy_set.hpp"

namespace mcre::test {

inline std::vector<engine::CohortRecord> read_all(const std::string& text,
                                                  engine::CohortFormat format,
                                                  const std::string& name = "cohort.csv") {
    std::istringstream in(text);
    auto reader = engine::open_cohort(in, name, format);
    std::vector<engine::CohortRecord> records;
    while (auto record = reader->next()) records.push_back(std::move(*record));
    return records;
}

inline std::vector<engine::CohortRecord> read_csv(const std::string& text) {
    return read_all(text, engine::CohortFormat::Csv);
}

// policies/ loaded once: georgia, armenia and the rest.
inline const engine::PolicySet& shipped_policies() {
    static const engine::PolicySet set = [] {
        std::vector<engine::PolicyLoadProblem> problems;
        return engine::PolicySet::load({std::string(MCRE_SOURCE_DIR) + "/policies"}, problems);
    }();
    return set;
}

inline const rules::Policy& shipped_policy(const std::string& id) {
    const engine::LoadedPolicy* loaded = shipped_policies().find(id);
    if (loaded == nullptr) throw std::runtime_error("no shipped policy " + id);
    return loaded->policy;
}

}  // namespace mcre::test
