#include "cli/plan_command.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/catalogue.hpp"
#include "engine/overrides.hpp"
#include "engine/plan_render.hpp"
#include "engine/planner.hpp"

namespace mcre::cli {

namespace {

constexpr const char* plan_help =
    R"(usage: mcre plan --policy FILE --application FILE --catalogue FILE --target NAME [options]

Finds the smallest set of the catalogue's offered micro-credentials that, taken by the
applicant, completes the target: a stack of the policy (a larger credential formed from
micro-credentials) or a pathway (every course unit of the programme covered). Smallest by
total ECTS, then by number of offers, then by the catalogue's order. Prints each offer to
take and what it fills, the target as it would then be decided, and how many sets were
examined; or why no set of offers completes the target. See docs/planning.md.

options:
  --policy FILE       the policy (required)
  --application FILE  the application, YAML or JSON (docs/input-format.md) (required)
  --catalogue FILE    the offers, YAML or JSON (docs/planning.md) (required)
  --target NAME       a stack or pathway of the policy (required)
  --format FORMAT     text (default) or json
  --max-sets N        evaluate at most N sets of offers (default 100000)

exit codes: 0 a plan was found or the target is already complete, 1 no set of offers
            completes it, the search stopped at its limit, or an input was rejected,
            2 wrong usage
)";

int usage_error(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << plan_help;
    return exit_usage;
}

struct PlanArgs {
    std::optional<std::string> policy;
    std::optional<std::string> application;
    std::optional<std::string> catalogue;
    std::optional<std::string> target;
    std::string format = "text";
    std::size_t max_sets = 100'000;
};

std::optional<std::size_t> parse_count(const std::string& text) {
    if (text.empty() || text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::stoul(text));
}

// Nullopt after printing a usage error.
std::optional<PlanArgs> parse(const std::vector<std::string>& args, std::ostream& err) {
    PlanArgs o;
    auto fail = [&](const std::string& message) -> std::optional<PlanArgs> {
        (void)usage_error(err, message);
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) return fail("unexpected argument '" + a + "'");
        if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) {
            return fail(a + " needs a value");
        }
        const std::string& value = args[++i];
        if (a == "--policy") {
            o.policy = value;
        } else if (a == "--application") {
            o.application = value;
        } else if (a == "--catalogue") {
            o.catalogue = value;
        } else if (a == "--target") {
            o.target = value;
        } else if (a == "--format") {
            if (value != "text" && value != "json") return fail("--format is text or json");
            o.format = value;
        } else if (a == "--max-sets") {
            auto n = parse_count(value);
            if (!n || *n == 0) return fail("--max-sets needs a positive whole number");
            o.max_sets = *n;
        } else {
            return fail("unknown option '" + a + "'");
        }
    }
    if (!o.policy) return fail("plan needs --policy FILE");
    if (!o.application) return fail("plan needs --application FILE");
    if (!o.catalogue) return fail("plan needs --catalogue FILE");
    if (!o.target) return fail("plan needs --target NAME (a stack or pathway of the policy)");
    return o;
}

// Files named in credential entries (`elm:`) are read beside the file that names them.
engine::LoadOptions beside(const std::string& path) {
    engine::LoadOptions options;
    options.credential_directory = std::filesystem::path(path).parent_path().string();
    return options;
}

}  // namespace

int run_plan(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << plan_help;
        return exit_ok;
    }
    auto options = parse(args, err);
    if (!options) return exit_usage;

    // Every input is read and every problem reported before giving up.
    std::optional<rules::Policy> policy = load_policy_file(*options->policy, err);
    std::optional<engine::Application> application;
    if (auto source = read_source(*options->application, err)) {
        engine::LoadResult loaded =
            engine::load_application(*source, beside(*options->application));
        err << dsl::render_all(loaded.diagnostics, *source);
        application = std::move(loaded.application);
        if (policy && application) {
            std::vector<dsl::Diagnostic> forbidden = engine::check_overrides(*policy, *application);
            err << dsl::render_all(forbidden, *source);
            if (!forbidden.empty()) application.reset();
        }
    }
    std::optional<engine::Catalogue> catalogue;
    if (auto source = read_source(*options->catalogue, err)) {
        engine::CatalogueLoadResult loaded =
            engine::load_catalogue(*source, beside(*options->catalogue));
        err << dsl::render_all(loaded.diagnostics, *source);
        catalogue = std::move(loaded.catalogue);
    }
    if (!policy || !application || !catalogue) return exit_rejected;

    engine::PlanOptions plan_options;
    plan_options.max_evaluations = options->max_sets;
    engine::Plan plan =
        engine::plan(*policy, *application, *catalogue, *options->target, plan_options);
    if (plan.outcome == engine::PlanOutcome::UnknownTarget) {
        err << "mcre: " << plan.error << "\n";
        return exit_rejected;
    }
    out << (options->format == "json" ? engine::render_plan_json(plan)
                                      : engine::render_plan_text(plan));
    const bool ok = plan.outcome == engine::PlanOutcome::Found ||
                    plan.outcome == engine::PlanOutcome::AlreadyComplete;
    return ok ? exit_ok : exit_rejected;
}

}  // namespace mcre::cli
