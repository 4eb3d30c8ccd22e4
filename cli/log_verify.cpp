#include "cli/log_verify.hpp"

#include <sstream>
#include <vector>

#include "dsl/content_hash.hpp"
#include "dsl/diagnostic_render.hpp"
#include "dsl/parser.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The first line that differs is usually enough to see why (a changed ECTS, a new
// reason), and keeps a report of many differing decisions readable.
std::string first_difference(const std::string& logged, const std::string& now) {
    const std::vector<std::string> a = split_lines(logged);
    const std::vector<std::string> b = split_lines(now);
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    std::ostringstream out;
    out << "first difference at line " << i + 1 << " of the decision JSON:\n"
        << "    logged: " << (i < a.size() ? a[i] : "(end)") << "\n"
        << "    now:    " << (i < b.size() ? b[i] : "(end)");
    return out.str();
}

// Records written without policy_file: every clause location in the decision names the
// file, "path:line:column"; the first one is enough.
std::string policy_file_of(const DecisionRecord& record) {
    if (!record.policy_file.empty()) return record.policy_file;
    const std::string key = "\"location\": \"";
    const auto start = record.decision_json.find(key);
    if (start == std::string::npos) return "policy";
    const auto begin = start + key.size();
    const auto end = record.decision_json.find('"', begin);
    std::string location = record.decision_json.substr(begin, end - begin);
    for (int part = 0; part < 2; ++part) {
        const auto colon = location.rfind(':');
        if (colon == std::string::npos) return "policy";
        location.erase(colon);
    }
    return location;
}

// rules::Policy::content_hash, recomputed from the stored texts: the root's text, then
// for each policy down the chain the hash of the one above, a newline and its own text.
std::string chain_hash(const DecisionRecord& record) {
    std::string hash;
    for (const LoggedSource& base : record.policy_bases) {
        hash = dsl::sha256_hex(hash.empty() ? base.text : hash + "\n" + base.text);
    }
    return dsl::sha256_hex(hash.empty() ? record.policy_source
                                        : hash + "\n" + record.policy_source);
}

// Logs written before the chain was stored hold only the extending policy's own text.
bool extends_unstored(const DecisionRecord& record) {
    if (!record.policy_bases.empty()) return false;
    const dsl::ParseResult parsed = dsl::parse(dsl::SourceFile("policy", record.policy_source));
    return parsed.policy && !parsed.policy->parent.name.empty();
}

}  // namespace

VerifyResult verify_record(const DecisionRecord& record) {
    Verifier verifier;
    return verifier.verify(record);
}

VerifyResult Verifier::verify(const DecisionRecord& record) {
    if (dsl::sha256_hex(record.input_text) != record.input_sha256) {
        return {VerifyOutcome::HashMismatch, "the stored input does not match its sha256"};
    }
    if (chain_hash(record) != record.policy_sha256) {
        if (extends_unstored(record)) {
            return {VerifyOutcome::CannotEvaluate,
                    "the policy extends another whose text this log does not hold (it was "
                    "logged before mcre stored the policies a policy extends)"};
        }
        return {VerifyOutcome::HashMismatch,
                record.policy_bases.empty()
                    ? "the stored policy source does not match its sha256"
                    : "the stored policy sources (the policy and those it extends) do not "
                      "match its sha256"};
    }
    const std::string file = policy_file_of(record);
    auto [entry, added] = policies_.try_emplace(file + '\n' + record.policy_sha256);
    CheckedPolicy& checked = entry->second;
    if (added) {
        std::vector<engine::PolicySource> bases;
        for (const LoggedSource& base : record.policy_bases)
            bases.push_back({base.file, base.text});
        // Never read from disk: the chain is exactly what was stored, even when it is empty.
        checked.policy =
            engine::PolicySet::load_text(file, record.policy_source, bases, checked.diagnostics);
    }
    if (!checked.policy) {
        return {VerifyOutcome::CannotEvaluate,
                "the stored policy no longer checks:\n" + checked.diagnostics};
    }
    const engine::LoadedPolicy* policy = &*checked.policy;
    const dsl::SourceFile input("request " + record.request_id, record.input_text);
    engine::LoadResult loaded = engine::load_application(input);
    if (!loaded.application) {
        return {VerifyOutcome::CannotEvaluate,
                "the stored input no longer loads:\n" + dsl::render_all(loaded.diagnostics, input)};
    }
    const std::string now =
        engine::render_json(engine::evaluate(policy->policy, *loaded.application));
    if (now == record.decision_json) return {};
    return {VerifyOutcome::Differs, first_difference(record.decision_json, now)};
}

}  // namespace mcre::cli
