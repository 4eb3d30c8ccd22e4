#include "engine/library.hpp"

#include <fstream>
#include <sstream>

#include "dsl/date.hpp"
#include "dsl/diagnostic_render.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"

namespace mcre {

namespace {

std::string list_ids(const Policies& policies) {
    std::string list;
    for (const std::string& id : policies.ids()) list += (list.empty() ? "" : ", ") + id;
    return list.empty() ? "none" : list;
}

// With an id the caller has chosen; the mismatches the CLI warns about are still worth
// knowing, since they usually mean the wrong policy or the wrong application.
std::vector<std::string> mismatches(const rules::Policy& policy,
                                    const engine::Application& application) {
    std::vector<std::string> warnings;
    if (application.jurisdiction && *application.jurisdiction != policy.jurisdiction) {
        warnings.push_back("the application is for " + *application.jurisdiction + " but policy " +
                           policy.id + " is for " + policy.jurisdiction);
    }
    bool before = policy.in_force_from && application.date < *policy.in_force_from;
    bool after = policy.in_force_until && application.date > *policy.in_force_until;
    if (before || after) {
        warnings.push_back("policy " + policy.id + " version " + policy.version +
                           " is not in force on the application date " +
                           dsl::format_date(application.date));
    }
    return warnings;
}

}  // namespace

PoliciesLoad Policies::load(const std::vector<std::string>& paths) {
    PoliciesLoad result;
    result.policies.set_ = engine::PolicySet::load(paths, result.problems);
    return result;
}

std::optional<engine::PolicyLoadProblem> Policies::add_text(const std::string& name,
                                                            const std::string& text) {
    std::string rendered;
    auto loaded = engine::PolicySet::load_text(name, text, rendered);
    if (!loaded) return engine::PolicyLoadProblem{name, rendered};
    set_.add(std::move(*loaded));
    return std::nullopt;
}

const rules::Policy* Policies::find(const std::string& id) const {
    const engine::LoadedPolicy* loaded = set_.find(id);
    return loaded == nullptr ? nullptr : &loaded->policy;
}

std::vector<std::string> Policies::ids() const {
    std::vector<std::string> ids;
    for (const engine::LoadedPolicy& loaded : set_.all()) ids.push_back(loaded.policy.id);
    return ids;
}

EvaluationResult evaluate(const Policies& policies, const std::string& application_text,
                          const std::string& source_name,
                          const std::optional<std::string>& policy_id) {
    EvaluationResult result;
    dsl::SourceFile source(source_name, application_text);
    engine::LoadResult loaded = engine::load_application(source);
    if (!loaded.application) {
        result.errors = dsl::render_all(loaded.diagnostics, source);
        return result;
    }
    const engine::Application& application = *loaded.application;

    if (policy_id) {
        result.policy = policies.find(*policy_id);
        if (result.policy == nullptr) {
            result.errors =
                "unknown policy '" + *policy_id + "' (loaded: " + list_ids(policies) + ")\n";
            return result;
        }
        result.warnings = mismatches(*result.policy, application);
    } else if (!application.jurisdiction) {
        result.errors =
            source_name + ": the application states no jurisdiction, so a policy id is needed\n";
        return result;
    } else {
        const engine::PolicyChoice choice =
            policies.set().select(*application.jurisdiction, application.date);
        if (choice.chosen() == nullptr) {
            // The same lines `mcre evaluate` prints when it cannot choose.
            result.errors = source_name + ": " + choice.summary() + "\n";
            for (const std::string& line : choice.details(true))
                result.errors += "  " + line + "\n";
            result.errors += choice.several()
                                 ? "  = hint: name one by its id, or load policies whose periods "
                                   "do not overlap\n"
                                 : "  = hint: load the policy in force on that date, or name one "
                                   "by its id\n";
            return result;
        }
        result.policy = &choice.chosen()->policy;
    }
    // An override the policy forbids is an error, reported like a load error.
    const std::vector<dsl::Diagnostic> forbidden =
        engine::check_overrides(*result.policy, application);
    if (!forbidden.empty()) {
        result.errors = dsl::render_all(forbidden, source);
        return result;
    }
    result.decision = engine::evaluate(*result.policy, application);
    return result;
}

EvaluationResult evaluate_file(const Policies& policies, const std::string& path,
                               const std::optional<std::string>& policy_id) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        EvaluationResult result;
        result.errors = "cannot read " + path + "\n";
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return evaluate(policies, text.str(), path, policy_id);
}

std::string to_text(const engine::Decision& decision) { return engine::render_text(decision); }

std::string to_json(const engine::Decision& decision) { return engine::render_json(decision); }

}  // namespace mcre
