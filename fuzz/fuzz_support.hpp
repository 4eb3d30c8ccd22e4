#pragma once

// Shared by the libFuzzer targets (docs/robustness.md): reading the shipped files once, a
// failure that libFuzzer records as a crash, and the invariants every decision keeps.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/application.hpp"
#include "engine/decision.hpp"

namespace mcre::fuzz {

// A file of the source tree (policies/, examples/), read once at start-up.
inline std::string read_source_file(const std::string& relative) {
    std::ifstream in(std::string(MCRE_SOURCE_DIR) + "/" + relative, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "fuzz: cannot read %s/%s\n", MCRE_SOURCE_DIR, relative.c_str());
        std::abort();
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A broken invariant is a finding: libFuzzer saves the input that caused it.
[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what.c_str());
    std::abort();
}

#define MCRE_FUZZ_EXPECT(condition, what)                                              \
    do {                                                                               \
        if (!(condition)) ::mcre::fuzz::fail(std::string(#condition) + ": " + (what)); \
    } while (false)

inline bool near(double a, double b) { return std::fabs(a - b) <= 1e-6 * (1 + std::fabs(b)); }

// What every decision must satisfy, whatever the policy (docs/robustness.md):
// no negative or non-finite credit, credit only with a recognized status, the total the
// sum of its parts (and of its kinds), no cap charged beyond its limit, the ledger the
// sum of the charges, and an incomplete credential charging no cap.
inline void check_decision(const engine::Decision& d) {
    using engine::Status;
    double sum = 0;
    std::map<std::string, double> charged;
    for (const engine::CredentialDecision& c : d.credentials) {
        MCRE_FUZZ_EXPECT(std::isfinite(c.recognized_ects) && c.recognized_ects >= 0, c.id);
        const bool credited =
            c.status == Status::Recognized || c.status == Status::PartiallyRecognized;
        if (!credited) MCRE_FUZZ_EXPECT(c.recognized_ects == 0, c.id);
        if (c.status == Status::PartiallyRecognized) {
            MCRE_FUZZ_EXPECT(c.recognized_ects > 0, c.id);
        }
        if (c.recognized_ects > 0) sum += c.recognized_ects;
        for (const engine::CapCharge& charge : c.caps) {
            MCRE_FUZZ_EXPECT(std::isfinite(charge.charged) && charge.charged >= 0, charge.cap);
            // A charge never takes more than the room the cap had (none once it is used up).
            const double room = std::max(0.0, charge.limit - charge.used_before);
            MCRE_FUZZ_EXPECT(charge.charged <= room + 1e-6, c.id + " on cap " + charge.cap);
            MCRE_FUZZ_EXPECT(near(charge.charged, c.recognized_ects), c.id + " on " + charge.cap);
            charged[charge.cap] += charge.charged;
            if (c.status == Status::Incomplete) {
                MCRE_FUZZ_EXPECT(charge.charged == 0, c.id + " is incomplete");
            }
        }
    }
    MCRE_FUZZ_EXPECT(near(d.total_recognized, sum), "total is the sum of the credentials");
    double by_kind = 0;
    for (const auto& [kind, ects] : d.recognized_by_kind) by_kind += ects;
    MCRE_FUZZ_EXPECT(near(by_kind, d.total_recognized), "total is the sum of the kinds");
    for (const engine::CapLedgerEntry& e : d.cap_ledger) {
        MCRE_FUZZ_EXPECT(std::isfinite(e.used) && e.used >= 0, e.cap);
        if (e.missing.empty()) {
            const double room = std::max(0.0, e.limit - e.prior);
            MCRE_FUZZ_EXPECT(e.used <= room + 1e-6, "cap " + e.cap + " exceeded");
        }
        auto it = charged.find(e.cap);
        MCRE_FUZZ_EXPECT(near(e.used, it == charged.end() ? 0.0 : it->second),
                         "ledger of cap " + e.cap + " is the sum of its charges");
    }
}

// Recognized credit never exceeds the credential's own workload, when that is known and
// the policy rounds credit down or not at all (every shipped policy does).
inline void check_own_ects(const engine::Decision& d) {
    for (const engine::CredentialDecision& c : d.credentials) {
        if (c.claimed_ects && !c.formed_by_stack) {
            MCRE_FUZZ_EXPECT(c.recognized_ects <= *c.claimed_ects + 1e-6,
                             c.id + " recognized above its own ECTS");
        }
    }
}

// Explaining changes the words, never the outcome: statuses, codes, credit and caps agree.
inline void check_same_outcome(const engine::Decision& a, const engine::Decision& b) {
    MCRE_FUZZ_EXPECT(a.credentials.size() == b.credentials.size(), "credential count");
    for (std::size_t i = 0; i < a.credentials.size(); ++i) {
        const auto& x = a.credentials[i];
        const auto& y = b.credentials[i];
        MCRE_FUZZ_EXPECT(x.status == y.status, x.id + " status with and without explain");
        MCRE_FUZZ_EXPECT(x.primary_code == y.primary_code, x.id + " code");
        MCRE_FUZZ_EXPECT(x.recognized_ects == y.recognized_ects, x.id + " credit");
    }
    MCRE_FUZZ_EXPECT(a.total_recognized == b.total_recognized, "total with and without explain");
    MCRE_FUZZ_EXPECT(a.cap_ledger.size() == b.cap_ledger.size(), "cap ledger");
}

}  // namespace mcre::fuzz
