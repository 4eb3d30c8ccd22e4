#include "engine/decision_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "engine/pathway_render.hpp"
#include "engine/stack_render.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

std::string status_words(Status status) {
    std::string s = status_name(status);
    std::replace(s.begin(), s.end(), '_', ' ');
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// "micro_credential; workload 6 ECTS stated; level NQF 6 as stated"
std::string particulars(const CredentialDecision& cd) {
    std::vector<std::string> parts;
    parts.push_back(cd.kind.empty() ? "kind not stated" : cd.kind);
    if (cd.claimed_ects && cd.workload_basis == "stated") {
        parts.push_back(fmt::format("workload {} stated", ects(*cd.claimed_ects)));
    } else if (cd.claimed_ects) {
        parts.push_back(fmt::format("workload {}", cd.workload_basis));
    } else {
        parts.push_back(cd.workload_basis.empty()
                            ? "workload not stated"
                            : fmt::format("workload unknown ({})", cd.workload_basis));
    }
    parts.push_back(cd.level_basis.empty() ? "level not stated" : "level " + cd.level_basis);
    return fmt::format("{}", fmt::join(parts, "; "));
}

std::string status_line(const CredentialDecision& cd) {
    switch (cd.status) {
        case Status::Recognized:
            return fmt::format("RECOGNIZED {} ({})", ects(cd.recognized_ects), particulars(cd));
        case Status::PartiallyRecognized:
            return fmt::format("PARTIALLY RECOGNIZED {} of {} ({})",
                               rules::format_number(cd.recognized_ects),
                               ects(cd.claimed_ects.value_or(0)), particulars(cd));
        default:
            break;
    }
    if (cd.duplicate_of)
        return fmt::format("{}: duplicate of {}", status_words(cd.status), *cd.duplicate_of);
    return fmt::format("{} by {} ({})", status_words(cd.status), cd.primary_code, particulars(cd));
}

std::string outcome_prefix(const Reason& r) {
    switch (r.outcome) {
        case rules::Outcome::Reject:
            return "";
        case rules::Outcome::Warn:
            return "warning ";
        case rules::Outcome::Refer:
            return "refer ";
        case rules::Outcome::Incomplete:
            return "incomplete ";
        case rules::Outcome::NotApplicable:
            return "not applicable ";
    }
    return "";
}

// Codes in check order, each once; several rules sharing a code (the mandatory elements)
// show as "MISSING_ELEMENT (11)".
// Passed checks are named by rule, not by reason code: a code names the failure
// ("NOT_IN_REGISTRY"), which misreads in a list of things that passed. Wrapped for print.
std::string passed_rules(const std::vector<Reason>& passed) {
    std::string out = "  checks passed:";
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < passed.size(); ++i) {
        const std::string& rule = passed[i].rule;
        std::string name =
            rule.substr(rule.find('.') == std::string::npos ? 0 : rule.find('.') + 1);
        if (!passed[i].override_id.empty()) name += " (waived)";
        if (i + 1 < passed.size()) name += ",";
        if (out.size() - line_start + name.size() + 1 > 96) {
            out += "\n   ";
            line_start = out.size() - 3;
        }
        out += " " + name;
    }
    return out + "\n";
}

// "exception X applied instead of Y because ...", for a reason an exception gave.
void render_exception(const Reason& r, std::string& out) {
    if (r.instead_of.empty()) return;
    out += fmt::format("      {} applied instead of {}", r.rule, r.instead_of);
    if (!r.because.empty()) out += fmt::format(" because {}", r.because);
    out += "\n";
    if (!r.prevailed_over.empty()) {
        out += fmt::format("      prevailed over: {}\n", fmt::join(r.prevailed_over, ", "));
    }
}

void render_reason(const Reason& r, std::string& out) {
    out += fmt::format("  - {}{}{}: {}\n", r.override_id.empty() ? "" : "waived ",
                       outcome_prefix(r), r.code, r.message);
    render_exception(r, out);
    if (!r.facts.empty() && r.facts != r.because) out += fmt::format("      facts: {}\n", r.facts);
    if (!r.missing.empty()) out += fmt::format("      missing: {}\n", fmt::join(r.missing, ", "));
    std::string rule = "rule " + r.rule;
    std::string where = format_location(r.where);
    if (!where.empty()) rule += fmt::format(" [{}]", where);
    if (!r.cite.empty()) rule += fmt::format(", cites: {}", r.cite);
    out += fmt::format("      {}\n", rule);
    if (!r.override_id.empty()) {
        out += fmt::format("      waived by override {} ({}): {}\n", r.override_id, r.override_by,
                           r.override_reason);
    }
}

// A fact an officer's override set, beside the credential it belongs to.
void render_facts_set(const CredentialDecision& cd, const std::vector<OverrideRecord>& overrides,
                      std::string& out) {
    for (const OverrideRecord& o : overrides) {
        if (o.credential != cd.id || o.action != "set" || o.status == OverrideStatus::Forbidden)
            continue;
        out += fmt::format("  {} = {}: set by override {} ({}, {})\n", o.target, o.value, o.id,
                           o.author, o.date);
    }
}

void render_credential(const CredentialDecision& cd, const std::vector<OverrideRecord>& overrides,
                       std::string& out) {
    std::vector<std::string> origin;
    if (!cd.awarding_body.empty()) origin.push_back(cd.awarding_body);
    if (!cd.issued.empty()) origin.push_back(cd.issued);
    out += fmt::format("credential {}", cd.id);
    if (!cd.title.empty()) out += fmt::format(" \"{}\"", cd.title);
    if (!origin.empty()) out += fmt::format(" ({})", fmt::join(origin, ", "));
    out += "\n";
    out += fmt::format("  {}\n", status_line(cd));
    if (cd.formed_by_stack) {
        out += fmt::format("  formed by stack {} from its parts (see stacks below)\n",
                           *cd.formed_by_stack);
    }
    render_facts_set(cd, overrides, out);
    if (!cd.passed.empty()) out += passed_rules(cd.passed);
    // An exception that let a credential through is part of the reasoning, not a footnote.
    for (const Reason& r : cd.passed) {
        if (r.instead_of.empty() || !r.override_id.empty()) continue;
        out += fmt::format("  - exception: {}\n", r.message);
        render_exception(r, out);
        std::string where = format_location(r.where);
        out += fmt::format("      rule {}{}{}\n", r.rule, where.empty() ? "" : " [" + where + "]",
                           r.cite.empty() ? "" : ", cites: " + r.cite);
    }
    // So is a check an officer's override waived: shown with the rule it overrode.
    for (const Reason& r : cd.passed) {
        if (!r.override_id.empty()) render_reason(r, out);
    }
    for (const Reason& r : cd.reasons) render_reason(r, out);
    for (const CapCharge& c : cd.caps) {
        out += fmt::format("  charged to cap {}: {} ({} used before, {} left)\n", c.cap,
                           ects(c.charged), ects(c.used_before), ects(c.remaining));
    }
    if (!cd.would_change.empty()) {
        out += "  what would change this decision:\n";
        for (const std::string& w : cd.would_change) out += fmt::format("    - {}\n", w);
    }
}

void render_ledger(const Decision& d, std::string& out) {
    if (d.cap_ledger.empty()) return;
    std::size_t width = 0;
    for (const CapLedgerEntry& e : d.cap_ledger) width = std::max(width, e.cap.size());
    out += "\ncaps\n";
    for (const CapLedgerEntry& e : d.cap_ledger) {
        std::string line = fmt::format("  {:<{}}", e.cap, width);
        if (!e.missing.empty()) {
            line +=
                fmt::format("  limit unknown (the application does not state the {})", e.missing);
        } else {
            line += fmt::format("  limit {}  prior {}  used {}  remaining {}", ects(e.limit),
                                ects(e.prior), ects(e.used), ects(e.remaining));
        }
        if (!e.instead_of.empty()) line += fmt::format("  (instead of cap {})", e.instead_of);
        std::string where = format_location(e.where);
        if (!where.empty()) line += fmt::format("  [{}]", where);
        if (!e.cite.empty()) line += fmt::format(" cites: {}", e.cite);
        out += line + "\n";
    }
}

// Every override in the application, whether or not it changed anything: an officer's
// judgement is always on the record, attributed and dated.
void render_overrides(const Decision& d, std::string& out) {
    if (d.overrides.empty()) return;
    out += "\noverrides\n";
    for (const OverrideRecord& o : d.overrides) {
        std::string what = o.action == "set" ? fmt::format("set {} = {}", o.target, o.value)
                                             : fmt::format("waive {}", o.target);
        out += fmt::format("  {} {} for credential {}: {}\n", o.id, what, o.credential,
                           override_status_name(o.status));
        out += fmt::format("      by {}, {}: {}\n", o.author, o.date, o.reason);
        if (!o.note.empty()) out += fmt::format("      {}\n", o.note);
    }
}

void render_totals(const Decision& d, std::string& out) {
    out += "\ntotals\n";
    for (const auto& [kind, n] : d.recognized_by_kind)
        out += fmt::format("  {} {}\n", kind, ects(n));
    out += fmt::format("  total {}\n", ects(d.total_recognized));
    // Status counts in a fixed order, so the summary line is stable.
    const Status order[] = {Status::Recognized, Status::PartiallyRecognized, Status::NotRecognized,
                            Status::Referred,   Status::Incomplete,          Status::NotApplicable};
    std::vector<std::string> counts;
    for (Status s : order) {
        auto n = std::count_if(d.credentials.begin(), d.credentials.end(),
                               [&](const CredentialDecision& cd) { return cd.status == s; });
        if (n > 0) counts.push_back(fmt::format("{} {}", n, status_words(s)));
    }
    out += fmt::format("  credentials: {}\n",
                       counts.empty() ? "none" : fmt::format("{}", fmt::join(counts, ", ")));
}

}  // namespace

std::string format_location(const dsl::Location& where) {
    if (where.file.empty()) return "";
    return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

std::string render_text(const Decision& d) {
    std::string out = fmt::format("Recognition decision for application {}\n", d.application_id);
    out += fmt::format("  learner {}, programme {}", d.learner_id, d.programme_id);
    if (!d.programme_kind.empty()) out += fmt::format(" ({})", d.programme_kind);
    out += fmt::format(", applied {}\n", d.application_date);
    if (!d.values_as_of.empty()) {
        out += fmt::format("  dated values read as of {} (--as-of)\n", d.values_as_of);
    }
    out += fmt::format("  policy {} version {} \"{}\" sha256 {}\n", d.policy_id, d.policy_version,
                       d.policy_title, d.policy_hash);
    for (const CredentialDecision& cd : d.credentials) {
        out += "\n";
        render_credential(cd, d.overrides, out);
    }
    render_stacks_text(d, out);
    render_ledger(d, out);
    render_pathways_text(d.pathways, out);
    render_overrides(d, out);
    if (!d.notes.empty()) {
        out += "\nnotes\n";
        for (const std::string& n : d.notes) out += fmt::format("  - {}\n", n);
    }
    render_totals(d, out);
    return out;
}

}  // namespace mcre::engine
