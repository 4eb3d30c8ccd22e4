#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/application.hpp"
#include "engine/input_limits.hpp"

namespace mcre::engine {

struct LoadResult {
    std::optional<Application> application;  // present exactly when there is no error
    std::vector<dsl::Diagnostic> diagnostics;
    // The JSON reader took the document, so it is strict JSON holding one object.
    bool read_as_json = false;
};

struct InputMap;

// Reads an application written in YAML or JSON (docs/input-format.md). Never throws for
// bad input: every problem in the document comes back as a diagnostic (E4001-E4005)
// pointing at the offending node, all of them in one run, sorted by position.
[[nodiscard]] LoadResult load_application(const dsl::SourceFile& source);

struct LoadOptions {
    // The folder against which a credential entry's `elm:` path (an issued Europass or Open
    // Badges 3.0 document, docs/input-format.md) is resolved: the application file's folder.
    // Unset: such an entry is an error (E4008), so that a service reading applications from
    // the network never opens local files.
    std::optional<std::string> credential_directory;
    // How another system's export names the fields (engine/input_map.hpp, docs/input-format.md
    // "Input maps"); null: mcre's own names. The caller keeps it alive.
    const InputMap* input_map = nullptr;
    // A JSON document is read by the JSON reader (simdjson) when it can take it, which gives
    // the same application as the YAML reader, faster; false: always the YAML reader.
    bool json_reader = true;
    // Checked before the document is built (E4050-E4054, docs/robustness.md "Limits").
    InputLimits limits;
    // The caller has already checked that the text is strict JSON (a batch line, a request
    // body), so the limits are checked by a cheap byte scan instead of a parse.
    bool strict_json = false;
};

[[nodiscard]] LoadResult load_application(const dsl::SourceFile& source,
                                          const LoadOptions& options);

// Done with an application read on this thread: its credentials are destroyed and the
// memory of their list kept for the next application the JSON reader reads on this thread.
// (A list of a few credentials is kilobytes, which malloc serves from its shared arena,
// under a lock when threads run; a batch or cohort reads one application after another.)
void recycle_credentials(Application& application);

}  // namespace mcre::engine
