#pragma once

// A `test` block of a policy, checked: an application (a file or inline YAML) and what the
// policy must decide for it. The engine runs them (engine/policy_tests.hpp); `mcre test`
// prints the results.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/date.hpp"
#include "dsl/source.hpp"

namespace mcre::rules {

// `expect "c1" recognized 6 ects because A not because B`, or `expect total 12 ects`.
struct TestExpectation {
    bool total = false;
    std::string credential;                // the credential's id; empty for a total
    std::string status;                    // a status word; empty when not stated
    std::optional<double> ects;            // recognized ECTS (of the credential, or in total)
    std::vector<std::string> because;      // reason codes the credential must carry
    std::vector<std::string> not_because;  // reason codes it must not carry
    std::string text;                      // the statement as written, on one line
    dsl::Location where;
};

struct PolicyTest {
    std::string name;
    // The application: a file, relative to the directory of the file the test was written
    // in (`where.file`), or the YAML written between """ and """, byte for byte.
    std::string application_file;
    std::string application_inline;
    dsl::Location inline_at;         // where the inline YAML starts in `where.file`
    std::string inline_prefix;       // the policy\'s text on that line before it, for messages
    std::optional<dsl::Date> as_of;  // read dated parameters on this day (like --as-of)
    std::vector<TestExpectation> expectations;
    dsl::Location where;  // the `test` statement, in the file that wrote it
    std::string origin;   // the policy in the `extends` chain that wrote it
};

// The statuses an expectation may name: the engine's status names (engine::status_name).
[[nodiscard]] std::span<const std::string_view> status_words();

// The reason codes the engine itself gives (duplicates, validity, missing workload), which
// a test may expect whatever the policy says.
[[nodiscard]] std::span<const std::string_view> engine_reason_codes();

// The reason code of a cap that limited a credential: CAP_ and the name in capitals.
[[nodiscard]] std::string cap_code(std::string_view cap_name);

}  // namespace mcre::rules
