#include "engine/policy_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "dsl/policy_input.hpp"
#include "rules/checker.hpp"
#include "rules/inheritance.hpp"

namespace mcre::engine {

std::vector<std::string> policy_files(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            if (entry.path().extension() == ".policy") found.push_back(entry.path().string());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

namespace {

// Checks `text`, finding the policies it extends with `find`, and keeps the text of each
// one found so the whole chain can be stored with the decisions made under it.
std::optional<LoadedPolicy> load_with(const std::string& name, const std::string& text,
                                      const rules::PolicyFinder& find,
                                      std::string& rendered_diagnostics) {
    std::vector<PolicySource> found;  // parent first: each level asks for the next one up
    rules::PolicyFinder recording = [&](const std::string& id) {
        auto source = find(id);
        if (source) found.push_back({source->name(), source->text()});
        return source;
    };
    dsl::SourceFile source(name, text);
    rules::CheckResult result = rules::load_policy(source, recording);
    rendered_diagnostics = dsl::render_all(result.diagnostics, source);
    if (!result.policy) return std::nullopt;
    std::reverse(found.begin(), found.end());
    return LoadedPolicy{std::move(*result.policy), text, std::move(found)};
}

std::string label(const LoadedPolicy& p, bool with_file) {
    std::string out = p.policy.id + " version " + p.policy.version;
    if (with_file && !p.policy.file.empty()) out += " (" + p.policy.file + ")";
    return out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::optional<LoadedPolicy> PolicySet::load_text(const std::string& name, const std::string& text,
                                                 std::string& rendered_diagnostics) {
    return load_with(name, text, rules::sibling_finder(name), rendered_diagnostics);
}

std::optional<LoadedPolicy> PolicySet::load_text(const std::string& name, const std::string& text,
                                                 const std::vector<PolicySource>& bases,
                                                 std::string& rendered_diagnostics) {
    // load_policy asks for the parent, then the parent's parent: the chain from the end.
    std::size_t next = bases.size();
    rules::PolicyFinder stored = [&](const std::string&) -> std::optional<dsl::SourceFile> {
        if (next == 0) return std::nullopt;
        --next;
        return dsl::SourceFile(bases[next].file, bases[next].text);
    };
    return load_with(name, text, stored, rendered_diagnostics);
}

PolicySet PolicySet::load(const std::vector<std::string>& paths,
                          std::vector<PolicyLoadProblem>& problems) {
    PolicySet set;
    for (const std::string& file : policy_files(paths)) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            problems.push_back({file, "cannot read " + file + "\n"});
            continue;
        }
        // A file over the size limit is refused (E1004) without being read to its end.
        std::string rendered;
        auto loaded = load_text(file, dsl::read_policy_text(in), rendered);
        if (!loaded) {
            problems.push_back({file, rendered});
            continue;
        }
        set.add(std::move(*loaded));
    }
    return set;
}

const LoadedPolicy* PolicySet::find(const std::string& id) const {
    auto it = std::find_if(policies_.begin(), policies_.end(),
                           [&](const LoadedPolicy& p) { return p.policy.id == id; });
    return it == policies_.end() ? nullptr : &*it;
}

PolicyChoice PolicySet::select(const std::string& jurisdiction, dsl::Date date) const {
    PolicyChoice choice;
    choice.jurisdiction = jurisdiction;
    choice.date = date;
    std::map<std::string, std::vector<std::string>> loaded;
    for (const LoadedPolicy& p : policies_) {
        const rules::Policy& policy = p.policy;
        loaded[policy.jurisdiction].push_back(policy.id);
        if (policy.jurisdiction != jurisdiction) continue;
        if (policy.in_force_from && date < *policy.in_force_from) {
            choice.not_in_force.push_back({&p, "not yet in force on " + dsl::format_date(date)});
        } else if (policy.in_force_until && date > *policy.in_force_until) {
            choice.not_in_force.push_back({&p, "no longer in force on " + dsl::format_date(date)});
        } else {
            choice.in_force.push_back(&p);
        }
    }
    for (const auto& [code, ids] : loaded) {
        std::string ids_text;
        for (const std::string& id : ids) ids_text += (ids_text.empty() ? "" : ", ") + id;
        choice.jurisdictions.push_back(code + " (" + ids_text + ")");
    }
    return choice;
}

std::string period_of(const rules::Policy& policy) {
    if (!policy.in_force_from && !policy.in_force_until)
        return "no period stated (always in force)";
    std::string out = "in force";
    if (policy.in_force_from) out += " from " + dsl::format_date(*policy.in_force_from);
    if (policy.in_force_until) out += " until " + dsl::format_date(*policy.in_force_until);
    return out;
}

std::string PolicyChoice::summary(const std::string& jurisdiction_note,
                                  const std::string& date_note) const {
    auto noted = [](const std::string& text, const std::string& note) {
        return note.empty() ? text : text + " (" + note + ")";
    };
    const std::string of = noted(jurisdiction, jurisdiction_note);
    const std::string on = noted(dsl::format_date(date), date_note);
    if (const LoadedPolicy* one = chosen()) {
        return "policy " + label(*one, false) + " is the only policy for " + of + " in force on " +
               on;
    }
    if (several()) {
        return plural(in_force.size(), "policy", "policies") + " for " + of + " are in force on " +
               on;
    }
    if (!jurisdiction_loaded()) return "no policy for " + of + " is loaded";
    return "no policy for " + of + " is in force on " + on;
}

std::vector<std::string> PolicyChoice::details(bool with_files) const {
    std::vector<std::string> lines;
    for (const LoadedPolicy* p : in_force) {
        lines.push_back(label(*p, with_files) + ": " + period_of(p->policy) + ", in force on " +
                        dsl::format_date(date));
    }
    for (const NotInForce& other : not_in_force) {
        lines.push_back(label(*other.policy, with_files) + ": " + period_of(other.policy->policy) +
                        ", " + other.why);
    }
    if (none()) {
        std::string list;
        for (const std::string& j : jurisdictions) list += (list.empty() ? "" : ", ") + j;
        lines.push_back("loaded: " + (list.empty() ? std::string("no policy") : list));
    }
    return lines;
}

}  // namespace mcre::engine
