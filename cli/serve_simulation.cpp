#include "cli/serve_simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "cli/serve_evaluation.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"

namespace mcre::cli {

namespace {

// Threads kept for the server's life: a run hands them a chunk of work (work(i) for every
// i < count, taken a few at a time) and waits for it, or folds the chunk before meanwhile.
class WorkerPool {
  public:
    explicit WorkerPool(unsigned threads) {
        for (unsigned t = 0; t < threads; ++t) threads_.emplace_back([this, t] { loop(t); });
    }
    ~WorkerPool() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : threads_) t.join();
    }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    [[nodiscard]] unsigned size() const { return static_cast<unsigned>(threads_.size()); }

    // One piece of work at a time: start, then wait before the next start. Thread t takes
    // i = t, t + size(), ...: the same thread each time for the same i, so what a run's
    // work(i) leaves in slot i (an application, its decisions) is freed by the thread that
    // made it, in its own arena (a fifth less CPU than taking the next free i).
    void start(std::size_t count, std::function<void(std::size_t)> work) {
        {
            std::lock_guard lock(mutex_);
            work_ = std::move(work);
            count_ = count;
            failed_ = false;
            busy_ = threads_.size();
            failure_ = nullptr;
            ++generation_;
        }
        wake_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return busy_ == 0; });
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
    }

  private:
    void loop(unsigned t) {
        std::uint64_t seen = 0;
        for (;;) {
            std::size_t count = 0;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
                count = count_;
            }
            std::exception_ptr failure;
            try {
                for (std::size_t i = t; i < count && !failed_; i += threads_.size()) work_(i);
            } catch (...) {
                failure = std::current_exception();
                failed_ = true;  // the others stop too
            }
            std::lock_guard lock(mutex_);
            if (failure && !failure_) failure_ = failure;
            if (--busy_ == 0) done_.notify_all();
        }
    }

    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::function<void(std::size_t)> work_;
    std::size_t count_ = 0;
    std::atomic<bool> failed_{false};
    std::size_t busy_ = 0;
    std::uint64_t generation_ = 0;
    bool stop_ = false;
    std::exception_ptr failure_;
};

// The baseline's decisions as Simulation::add reads them: per application the total, per
// credential its status, credit, deciding code and rule (and its id when it is not the
// application's own, as for a stack it formed). Texts are kept once, by number: about
// 100 bytes an application instead of the 8 KB of a lean decision.
class CompactBaseline {
  public:
    std::string key;  // the cohort's, and the policy's sha256

    void append(const engine::Application& app, const engine::Decision& d) {
        totals_.push_back(d.total_recognized);
        for (std::size_t i = 0; i < d.credentials.size(); ++i) {
            const engine::CredentialDecision& c = d.credentials[i];
            const bool own = i < app.credentials.size() && c.id == app.credentials[i].id;
            credentials_.push_back(Credential{c.recognized_ects, intern(c.primary_code),
                                              intern(engine::deciding_rule(c)),
                                              own ? own_id : intern(c.id), c.status});
        }
        ends_.push_back(static_cast<std::uint32_t>(credentials_.size()));
    }
    [[nodiscard]] std::size_t size() const { return totals_.size(); }

    // The decision of application `i` again, as far as the fold reads it, into `out`
    // (reused from one application to the next, so its texts keep their memory).
    void decision(std::size_t i, const engine::Application& app, engine::Decision& out) const {
        const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
        const std::uint32_t end = ends_[i];
        out.total_recognized = totals_[i];
        out.credentials.resize(end - begin);
        for (std::uint32_t k = begin; k < end; ++k) {
            const Credential& c = credentials_[k];
            engine::CredentialDecision& cd = out.credentials[k - begin];
            cd.id = c.id == own_id ? app.credentials[k - begin].id : strings_[c.id];
            cd.status = c.status;
            cd.recognized_ects = c.ects;
            cd.primary_code = strings_[c.code];
            if (c.code == 0) {
                cd.reasons.clear();
                continue;
            }
            cd.reasons.resize(1);
            cd.reasons[0].rule = strings_[c.rule];
            cd.reasons[0].code = cd.primary_code;
            cd.reasons[0].passed = false;
        }
    }

    void done() { index_ = {}; }

  private:
    static constexpr std::uint32_t own_id = 0xffffffff;
    struct Credential {
        double ects;
        std::uint32_t code;  // "" (0) when recognized in full
        std::uint32_t rule;
        std::uint32_t id;
        engine::Status status;
    };
    std::uint32_t intern(const std::string& text) {
        if (text.empty()) return 0;
        auto [at, added] = index_.try_emplace(text, static_cast<std::uint32_t>(strings_.size()));
        if (added) strings_.push_back(text);
        return at->second;
    }

    std::vector<double> totals_;
    std::vector<std::uint32_t> ends_;  // one past the application's last credential
    std::vector<Credential> credentials_;
    std::vector<std::string> strings_{""};
    std::unordered_map<std::string, std::uint32_t> index_;  // while appending
};

// One run at a time: the pool, the kept baseline and the warm-up are the server's, and on
// two cores two simulations side by side would only each take twice as long.
struct SimulationService {
    std::mutex run_mutex;
    std::shared_ptr<const CompactBaseline> kept;
    WorkerPool pool{std::clamp(std::thread::hardware_concurrency(), 1U, 16U)};
    std::atomic<bool> stopping{false};
    std::mutex warm_mutex;  // one warm-up started at a time
    std::mutex key_mutex;   // for `warming` alone: held while no other lock is taken
    std::string warming;    // the key being warmed or warmed last, "" when none is kept
    std::thread warm;       // declared last: joined first

    ~SimulationService() {
        stopping = true;
        if (warm.joinable()) warm.join();
    }
};

SimulationService& service() {
    static SimulationService s;
    return s;
}

std::string cohort_key(const engine::CohortSpec& spec, const rules::Policy& policy) {
    return fmt::format("{}/{}/{}/{}", spec.size, spec.seed, static_cast<int>(spec.jurisdiction),
                       policy.content_hash);
}

// One application of a chunk: read or generated, then decided.
struct Slot {
    // Kept from one chunk to the next: a generated application is made in its memory.
    engine::Application application;
    bool ok = false;  // `application` holds this slot's application (else `error` says why)
    std::string error;
    std::size_t line = 0;
    engine::Decision baseline;
    engine::Decision reform;
};

constexpr std::size_t chunk_size = 1024;

// Decides the cohort in chunks on the pool, folding each chunk into `simulation` (when
// given) on this thread while the pool decides the next. `kept` given: the baseline's
// decisions are read from it; else they are made, and added to `keeping` when given.
void decide_cohort(engine::Simulation* simulation, const rules::Policy& baseline,
                   const rules::Policy* reform, const SimulationCohort& cohort,
                   const CompactBaseline* kept, CompactBaseline* keeping,
                   const std::atomic<bool>* cancel) {
    SimulationService& s = service();
    const engine::EvaluateOptions lean{false, false};
    const std::size_t count = cohort.generated ? cohort.spec.size : cohort.lines.size();
    std::vector<Slot> buffers[2] = {std::vector<Slot>(std::min(chunk_size, count)),
                                    std::vector<Slot>(std::min(chunk_size, count))};

    auto make = [&](std::size_t index, Slot& slot) {
        slot.ok = false;
        slot.error.clear();
        if (cohort.generated) {
            slot.line = index + 1;
            engine::generate_application(cohort.spec, index, slot.application);
            slot.ok = true;
            return;
        }
        slot.line = cohort.line_numbers[index];
        const std::string_view text = cohort.lines[index];
        if (auto problem = json_syntax_problem(text)) {
            slot.error = fmt::format("line {}: {}", slot.line, problem->detail);
            return;
        }
        dsl::SourceFile source("cohort", std::string(text));
        engine::LoadOptions options;
        options.limits = cohort.limits;
        options.strict_json = true;
        engine::LoadResult loaded = engine::load_application(source, options);
        if (loaded.application) {
            slot.application = std::move(*loaded.application);
            slot.ok = true;
            return;
        }
        const auto first = std::find_if(
            loaded.diagnostics.begin(), loaded.diagnostics.end(),
            [](const dsl::Diagnostic& d) { return d.severity == dsl::Severity::Error; });
        slot.error =
            fmt::format("line {}: {}", slot.line,
                        first == loaded.diagnostics.end() ? "not an application" : first->message);
    };
    auto start = [&](std::size_t chunk) {
        std::vector<Slot>& slots = buffers[chunk % 2];
        const std::size_t first = chunk * chunk_size;
        const std::size_t n = std::min(chunk_size, count - first);
        s.pool.start(n, [&, first](std::size_t i) {
            Slot& slot = slots[i];
            make(first + i, slot);
            if (!slot.ok) return;
            if (kept == nullptr) slot.baseline = engine::evaluate(baseline, slot.application, lean);
            if (reform != nullptr) slot.reform = engine::evaluate(*reform, slot.application, lean);
        });
    };

    const std::size_t chunks = (count + chunk_size - 1) / chunk_size;
    engine::Decision restored;
    if (chunks > 0) start(0);
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
        s.pool.wait();
        if (cancel != nullptr && *cancel) return;
        if (chunk + 1 < chunks) start(chunk + 1);
        std::vector<Slot>& slots = buffers[chunk % 2];
        const std::size_t first = chunk * chunk_size;
        const std::size_t n = std::min(chunk_size, count - first);
        // The pool writes into the other buffer meanwhile: it is done before they go.
        struct Drain {
            WorkerPool& pool;
            bool pending;
            ~Drain() {
                if (!pending || std::uncaught_exceptions() == 0) return;
                try {
                    pool.wait();
                } catch (...) {  // the first failure is the one on its way
                }
            }
        } drain{s.pool, chunk + 1 < chunks};
        for (std::size_t i = 0; i < n; ++i) {
            Slot& slot = slots[i];
            if (!slot.ok) {
                if (simulation != nullptr) simulation->add_bad_record(slot.line, slot.error);
                continue;
            }
            const engine::Decision* before = &slot.baseline;
            if (kept != nullptr) {
                kept->decision(first + i, slot.application, restored);
                before = &restored;
            } else if (keeping != nullptr) {
                keeping->append(slot.application, slot.baseline);
            }
            if (simulation != nullptr) {
                simulation->add(slot.application, *before,
                                reform != nullptr ? slot.reform : *before);
            }
        }
    }
}

std::atomic<bool> warm_enabled{true};

const engine::LoadedPolicy* explore_default(const engine::PolicySet& policies) {
    if (const engine::LoadedPolicy* georgia = policies.find("georgia")) return georgia;
    return policies.all().empty() ? nullptr : &policies.all().front();
}

}  // namespace

engine::CohortSpec default_cohort(const rules::Policy& policy) {
    engine::CohortSpec spec;
    spec.size = 100'000;
    spec.seed = 1;
    spec.jurisdiction = policy.jurisdiction == "GE"   ? engine::CohortJurisdiction::Georgia
                        : policy.jurisdiction == "AM" ? engine::CohortJurisdiction::Armenia
                                                      : engine::CohortJurisdiction::Both;
    return spec;
}

SimulationRun run_simulation(engine::Simulation& simulation, const rules::Policy& baseline,
                             const rules::Policy* reform, const SimulationCohort& cohort) {
    SimulationService& s = service();
    std::lock_guard lock(s.run_mutex);
    SimulationRun run;
    run.threads = s.pool.size();
    if (!cohort.generated) {
        run.applications = cohort.lines.size();
        decide_cohort(&simulation, baseline, reform, cohort, nullptr, nullptr, nullptr);
        return run;
    }
    run.applications = cohort.spec.size;
    const std::string key = cohort_key(cohort.spec, baseline);
    if (s.kept && s.kept->key == key) {
        run.baseline_cached = true;
        decide_cohort(&simulation, baseline, reform, cohort, s.kept.get(), nullptr, nullptr);
        return run;
    }
    auto keeping = std::make_shared<CompactBaseline>();
    keeping->key = key;
    decide_cohort(&simulation, baseline, reform, cohort, nullptr, keeping.get(), nullptr);
    keeping->done();
    s.kept = std::move(keeping);
    // Another cohort is kept now: serving the page again warms the default one again.
    std::lock_guard key_lock(s.key_mutex);
    if (s.warming != key) s.warming.clear();
    return run;
}

void disable_warm_simulation() { warm_enabled = false; }

void stop_warm_simulation() {
    warm_enabled = false;
    SimulationService& s = service();
    std::lock_guard warm_lock(s.warm_mutex);
    s.stopping = true;
    if (s.warm.joinable()) s.warm.join();
}

void warm_simulation(const ServeContext& context) {
    if (context.policies == nullptr || !warm_enabled) return;
    std::shared_ptr<const engine::PolicySet> policies = context.policies->current();
    const engine::LoadedPolicy* policy = explore_default(*policies);
    if (policy == nullptr) return;
    SimulationService& s = service();
    const engine::CohortSpec spec = default_cohort(policy->policy);
    const std::string key = cohort_key(spec, policy->policy);
    std::lock_guard warm_lock(s.warm_mutex);
    {
        std::lock_guard key_lock(s.key_mutex);
        if (s.warming == key || s.stopping) return;
        s.warming = key;
    }
    if (s.warm.joinable()) s.warm.join();  // an earlier warm-up, long finished or nearly
    s.warm = std::thread([&s, policies, policy, spec, key] {
        std::lock_guard lock(s.run_mutex);
        if (s.kept && s.kept->key == key) return;
        SimulationCohort cohort;
        cohort.spec = spec;
        auto keeping = std::make_shared<CompactBaseline>();
        keeping->key = key;
        try {
            decide_cohort(nullptr, policy->policy, nullptr, cohort, nullptr, keeping.get(),
                          &s.stopping);
        } catch (const std::exception&) {
            return;  // the first run decides the baseline itself
        }
        if (s.stopping || keeping->size() != spec.size) return;
        keeping->done();
        s.kept = std::move(keeping);
    });
}

}  // namespace mcre::cli
