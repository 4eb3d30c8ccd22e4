#include "engine/plan_render.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "engine/detail/pathway_json.hpp"
#include "engine/pathway_render.hpp"
#include "engine/stack_render.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::ordered_json;

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

std::string plural(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string sets_text(std::size_t n) {
    return n == SIZE_MAX ? std::string("more than 2^63") : fmt::format("{}", n);
}

// The target's part of the decision: the stack tree, or the pathway's units.
std::string target_text(const Plan& plan) {
    std::string out;
    if (plan.target_kind == "stack") {
        Decision only;
        only.stacks = plan.stacks;
        render_stacks_text(only, out);
        if (plan.stacks.empty()) {
            out +=
                fmt::format("\nstacks\n  {} \"{}\": not started\n", plan.target, plan.target_title);
        }
    } else if (plan.pathway) {
        render_pathways_text({*plan.pathway}, out);
    }
    return out;
}

void offers_text(const Plan& plan, std::string& out) {
    out += fmt::format("\ntake {}, {}:\n", plural(plan.offers.size(), "offer", "offers"),
                       ects(plan.total_ects));
    for (const PlannedOffer& o : plan.offers) {
        std::string by = o.awarding_body;
        if (!o.provider.empty() && o.provider != o.awarding_body) {
            by += fmt::format(", run by {}", o.provider);
        }
        out += fmt::format("  {} \"{}\" ({}), {}\n", o.offer, o.title, by, ects(o.ects));
        if (o.credential != o.offer) {
            out += fmt::format("      counted as credential {}\n", o.credential);
        }
        for (const std::string& f : o.fills) out += fmt::format("      fills {}\n", f);
        if (!o.url.empty()) out += fmt::format("      {}\n", o.url);
    }
}

}  // namespace

std::string render_plan_text(const Plan& plan) {
    if (plan.outcome == PlanOutcome::UnknownTarget) return plan.error + "\n";
    std::string out =
        fmt::format("plan for {} {} \"{}\"\n", plan.target_kind, plan.target, plan.target_title);
    out += fmt::format("  application {} under policy {} version {}\n", plan.application_id,
                       plan.policy_id, plan.policy_version);
    out += fmt::format("  catalogue {} \"{}\": {}", plan.catalogue_id, plan.catalogue_title,
                       plural(plan.catalogue_size, "offer", "offers"));
    // Offers are sorted out only when the target is not complete already.
    if (plan.outcome != PlanOutcome::AlreadyComplete) {
        out += fmt::format(", {} the target could use", plan.candidates.size());
    }
    out += "\n";
    for (const SkippedOffer& s : plan.skipped) {
        out += fmt::format("    left out {}: {}\n", s.offer, s.why);
    }

    switch (plan.outcome) {
        case PlanOutcome::AlreadyComplete:
            out += fmt::format(
                "\nalready complete: the application completes {} {} as it is; "
                "nothing to take\n",
                plan.target_kind, plan.target);
            break;
        case PlanOutcome::Found:
            offers_text(plan, out);
            out += fmt::format(
                "\nthe smallest set by ECTS, then by number of offers, then catalogue order: "
                "{} of {} sets of candidate offers examined, best first (limit {})\n",
                plan.examined, sets_text(plan.possible_sets), plan.max_evaluations);
            if (!plan.cheaper_rejected.empty()) {
                out += "examined just before it, and not enough:\n";
                for (const RejectedSet& r : plan.cheaper_rejected) {
                    out += fmt::format("  {{{}}} {}: {}\n", fmt::join(r.offers, ", "), ects(r.ects),
                                       r.why);
                }
            }
            break;
        case PlanOutcome::Impossible:
            out += fmt::format("\nno set of the catalogue's offers completes {} {}:\n",
                               plan.target_kind, plan.target);
            for (const std::string& w : plan.why_not) out += fmt::format("  - {}\n", w);
            out += fmt::format("({} of {} sets of candidate offers examined)\n", plan.examined,
                               sets_text(plan.possible_sets));
            break;
        case PlanOutcome::Stopped:
            out += fmt::format(
                "\nno plan: the search stopped at its limit of {} sets of offers "
                "before finding the smallest that completes {} {}\n",
                plan.max_evaluations, plan.target_kind, plan.target);
            for (const std::string& w : plan.why_not) out += fmt::format("  - {}\n", w);
            out += "  = hint: raise --max-sets, or offer fewer candidates\n";
            break;
        case PlanOutcome::UnknownTarget:
            break;
    }

    const char* with = plan.outcome == PlanOutcome::Found             ? "with these offers"
                       : plan.outcome == PlanOutcome::AlreadyComplete ? "as it is"
                       : plan.candidates.empty()                      ? "as it is"
                                                 : "with every candidate offer";
    std::string target = target_text(plan);
    if (!target.empty()) out += fmt::format("\n{}:{}", with, target);
    return out;
}

namespace {

Json number(double n) {
    double rounded = std::round(n * 1e6) / 1e6;
    if (rounded == std::floor(rounded) && std::fabs(rounded) < 9e15) {
        return static_cast<std::int64_t>(rounded);
    }
    return rounded;
}

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

std::string render_plan_json(const Plan& plan) {
    Json j;
    j["outcome"] = plan_outcome_name(plan.outcome);
    j["target"] = {{"kind", text_or_null(plan.target_kind)},
                   {"name", plan.target},
                   {"title", text_or_null(plan.target_title)}};
    if (plan.outcome == PlanOutcome::UnknownTarget) {
        j["error"] = plan.error;
        j["targets"] = plan.target_names;
        return j.dump(2) + "\n";
    }
    j["application"] = plan.application_id;
    j["policy"] = {{"id", plan.policy_id}, {"version", plan.policy_version}};
    j["catalogue"] = {{"id", plan.catalogue_id},
                      {"title", plan.catalogue_title},
                      {"offers", plan.catalogue_size}};
    Json offers = Json::array();
    for (const PlannedOffer& o : plan.offers) {
        offers.push_back(Json{{"offer", o.offer},
                              {"credential", o.credential},
                              {"title", o.title},
                              {"awarding_body", o.awarding_body},
                              {"provider", text_or_null(o.provider)},
                              {"url", text_or_null(o.url)},
                              {"ects", number(o.ects)},
                              {"fills", o.fills}});
    }
    j["plan"] = std::move(offers);
    j["total_ects"] = number(plan.total_ects);
    j["count"] = plan.offers.size();
    Json skipped = Json::array();
    for (const SkippedOffer& s : plan.skipped) {
        skipped.push_back(Json{{"offer", s.offer}, {"why", s.why}});
    }
    j["search"] = {{"order", "ects, then count, then catalogue order"},
                   {"candidates", plan.candidate_offers},
                   {"possible_sets",
                    plan.possible_sets == SIZE_MAX ? Json(nullptr) : Json(plan.possible_sets)},
                   {"examined", plan.examined},
                   {"max_evaluations", plan.max_evaluations},
                   {"skipped", std::move(skipped)}};
    Json rejected = Json::array();
    for (const RejectedSet& r : plan.cheaper_rejected) {
        rejected.push_back(Json{{"offers", r.offers}, {"ects", number(r.ects)}, {"why", r.why}});
    }
    j["examined_before"] = std::move(rejected);
    j["why_not"] = plan.why_not;
    if (plan.target_kind == "stack") {
        Decision only;
        only.stacks = plan.stacks;
        Json stacks;
        add_stacks_json(only, stacks);
        j["stacks"] = stacks.contains("stacks") ? stacks["stacks"] : Json::array();
    } else {
        j["pathway"] = plan.pathway ? detail::pathways_json({*plan.pathway}).at(0) : Json(nullptr);
    }
    return j.dump(2) + "\n";
}

}  // namespace mcre::engine
