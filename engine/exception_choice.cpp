#include "engine/exception_choice.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/expression_eval.hpp"

namespace mcre::engine {

namespace {

using rules::Exception;

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

enum class Applies { Yes, No, Unknown };

struct Test {
    Applies applies = Applies::No;
    std::string because;
    std::vector<std::string> missing;
};

Test test(const Exception& x, const EvalContext& ctx) {
    const Credential* c = ctx.credential;
    const Programme& p = ctx.application.programme;
    Test t;
    std::vector<std::string> because;
    if (!x.credential_kinds.empty() && c != nullptr) {
        if (!c->kind) {
            t.applies = Applies::Unknown;
            t.missing.emplace_back(rules::info(rules::Attr::CredentialKind).element);
            return t;
        }
        if (!contains(x.credential_kinds, *c->kind)) return t;
        if (!x.when) because.push_back("the credential is a " + *c->kind);
    }
    if (!x.programme_kinds.empty()) {
        if (!p.kind) {
            t.applies = Applies::Unknown;
            t.missing.emplace_back(rules::info(rules::Attr::ProgrammeKind).element);
            return t;
        }
        if (!contains(x.programme_kinds, *p.kind)) return t;
        if (!x.when) because.push_back("the programme is a " + *p.kind);
    }
    if (x.when) {
        rules::Value v = evaluate_expr(*x.when, ctx);
        if (v.missing) {
            t.applies = Applies::Unknown;
            t.missing = missing_elements(*x.when, ctx);
            t.because = describe(*x.when, ctx);
            return t;
        }
        if (!v.truthy()) return t;
        because.push_back(describe(*x.when, ctx));
    }
    t.applies = Applies::Yes;
    t.because = fmt::format("{}", fmt::join(because, "; "));
    return t;
}

// x loses to y when y states priority over it, or y is narrower and x states none over y;
// the words complete "y ...".
const char* beaten_by(const Exception& x, const Exception& y) {
    if (contains(y.over, x.name)) return "is stated to prevail";
    if (contains(y.more_specific_than, x.name) && !contains(x.over, y.name)) return "is narrower";
    return nullptr;
}

}  // namespace

ExceptionChoice choose_exception(const std::string& base, const EvalContext& ctx) {
    ExceptionChoice choice;
    std::vector<std::pair<const Exception*, Test>> applicable;
    for (const Exception& x : ctx.policy.exceptions) {
        if (x.base != base) continue;
        Test t = test(x, ctx);
        if (t.applies == Applies::Unknown) {
            choice.missing = std::move(t.missing);
            choice.undecided = fmt::format("cannot tell whether exception {} applies{}", x.name,
                                           t.because.empty() ? std::string() : ": " + t.because);
            return choice;
        }
        if (t.applies == Applies::Yes) applicable.emplace_back(&x, std::move(t));
    }
    for (const auto& [x, t] : applicable) {
        const char* lost = nullptr;
        const Exception* winner = nullptr;
        for (const auto& [y, u] : applicable) {
            if (y == x) continue;
            if ((lost = beaten_by(*x, *y)) != nullptr) {
                winner = y;
                break;
            }
        }
        if (winner != nullptr) {
            choice.prevailed_over.push_back(fmt::format("{} ({} {})", x->name, winner->name, lost));
            continue;
        }
        // The checker refuses two survivors that decide differently, so the first will do.
        if (choice.chosen == nullptr) {
            choice.chosen = x;
            choice.because = t.because;
        }
    }
    if (choice.chosen == nullptr) return choice;
    // An exception to the exception is narrower still: it decides if it applies.
    ExceptionChoice deeper = choose_exception(choice.chosen->name, ctx);
    if (!deeper.missing.empty()) return deeper;
    if (deeper.chosen != nullptr) {
        deeper.prevailed_over.insert(deeper.prevailed_over.begin(), choice.prevailed_over.begin(),
                                     choice.prevailed_over.end());
        deeper.because = choice.because + "; and " + deeper.because;
        return deeper;
    }
    return choice;
}

}  // namespace mcre::engine
