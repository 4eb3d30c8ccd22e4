#include "engine/statement.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/decision_text.hpp"
#include "rules/schema.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using Block = StatementBlock;

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

Block paragraph(std::string text) {
    Block b;
    b.kind = Block::Kind::Paragraph;
    b.text = std::move(text);
    return b;
}

Block list(std::vector<std::string> items) {
    Block b;
    b.kind = Block::Kind::List;
    b.items = std::move(items);
    return b;
}

Block table(std::vector<std::string> header) {
    Block b;
    b.kind = Block::Kind::Table;
    b.header = std::move(header);
    return b;
}

Block fields() {
    Block b;
    b.kind = Block::Kind::Fields;
    return b;
}

void add_field(Block& b, std::string label, const std::string& value) {
    if (!value.empty()) b.fields.emplace_back(std::move(label), value);
}

// "“Legal Informatics” (Georgian University (UG), issued 2026-02-01)"
std::string credential_name(const CredentialDecision& cd) {
    std::string name =
        cd.title.empty() ? fmt::format("Credential {}", cd.id) : fmt::format("“{}”", cd.title);
    std::vector<std::string> origin;
    if (!cd.awarding_body.empty()) origin.push_back(cd.awarding_body);
    if (!cd.issued.empty()) origin.push_back("issued " + cd.issued);
    if (!origin.empty()) name += fmt::format(" ({})", fmt::join(origin, ", "));
    return name;
}

std::string short_name(const CredentialDecision& cd) {
    return cd.title.empty() ? cd.id : fmt::format("{}: {}", cd.id, cd.title);
}

// The decision on one credential in words an applicant reads.
std::string plain_status(const CredentialDecision& cd) {
    if (cd.duplicate_of) {
        return fmt::format("Not counted: it is the same credential as {}.", *cd.duplicate_of);
    }
    switch (cd.status) {
        case Status::Recognized:
            return fmt::format("Recognized: {} count towards your programme.",
                               ects(cd.recognized_ects));
        case Status::PartiallyRecognized:
            return fmt::format("Recognized in part: {} of {} count towards your programme.",
                               ects(cd.recognized_ects), ects(cd.claimed_ects.value_or(0)));
        case Status::NotRecognized:
            return "Not recognized.";
        case Status::Referred:
            return "Referred to a recognition officer for an individual assessment. This is not a "
                   "refusal; you will be told the outcome.";
        case Status::Incomplete:
            return "Not decided yet: information needed to decide is missing.";
        case Status::NotApplicable:
            return "Not covered by this recognition procedure.";
    }
    return "Not recognized.";
}

std::string short_status(Status status) {
    switch (status) {
        case Status::Recognized:
            return "recognized";
        case Status::PartiallyRecognized:
            return "recognized in part";
        case Status::NotRecognized:
            return "not recognized";
        case Status::Referred:
            return "referred for assessment";
        case Status::Incomplete:
            return "incomplete";
        case Status::NotApplicable:
            return "not covered";
    }
    return "not recognized";
}

std::string outcome_words(const Reason& r, bool passed) {
    if (passed && !r.override_id.empty()) {
        return fmt::format("waived by override ({} would have applied)",
                           rules::outcome_name(r.outcome));
    }
    if (passed) return r.instead_of.empty() ? "passed" : "exception applied";
    return rules::outcome_name(r.outcome);
}

// "the application does not state: ECTS, level"
std::string missing_words(const Reason& r) {
    return fmt::format("Missing: {}.", fmt::join(r.missing, ", "));
}

// An officer's judgement that changed the decision on a credential, in the applicant's words:
// "A recognition officer (N. Beridze, 2026-11-20) decided that this does not stop the
// credential: <the check's message>. Reason: <the officer's reason>".
std::vector<std::string> judgements(const CredentialDecision& cd,
                                    const std::vector<OverrideRecord>& overrides) {
    std::vector<std::string> out;
    for (const OverrideRecord& o : overrides) {
        if (o.credential != cd.id || o.status != OverrideStatus::Applied) continue;
        std::string what = fmt::format("set aside the check {}", o.target);
        auto waived = std::find_if(cd.passed.begin(), cd.passed.end(),
                                   [&](const Reason& r) { return r.override_id == o.id; });
        if (waived != cd.passed.end()) {
            what =
                fmt::format("decided that this does not stop the credential: {}", waived->message);
        }
        if (o.action == "set") {
            const rules::AttrInfo* fact = rules::find_attribute(o.target);
            what = fmt::format("established its {} as {}",
                               fact != nullptr ? std::string(fact->element) : o.target, o.value);
        }
        out.push_back(fmt::format("A recognition officer ({}, {}) {}. Reason: {}", o.author, o.date,
                                  what, o.reason));
    }
    return out;
}

// What the applicant is told about one credential: why, and what could change it.
StatementSection applicant_credential(const CredentialDecision& cd,
                                      const std::vector<OverrideRecord>& overrides) {
    StatementSection s;
    s.id = "credential-" + cd.id;
    s.title = credential_name(cd);
    s.level = 3;
    s.blocks.push_back(paragraph(plain_status(cd)));
    std::vector<std::string> why;
    std::vector<std::string> notes;
    for (const Reason& r : cd.reasons) {
        std::string line = r.message;
        if (!r.missing.empty()) line += " " + missing_words(r);
        (r.outcome == rules::Outcome::Warn ? notes : why).push_back(line);
    }
    std::vector<std::string> exceptions;
    for (const Reason& r : cd.passed) {
        if (!r.instead_of.empty()) exceptions.push_back(r.message);
    }
    if (!why.empty()) {
        s.blocks.push_back(
            paragraph(cd.status == Status::PartiallyRecognized ? "Why not in full:" : "Why:"));
        s.blocks.push_back(list(why));
    }
    if (!exceptions.empty()) {
        s.blocks.push_back(paragraph(exceptions.size() == 1 ? "An exception in the policy applied:"
                                                            : "Exceptions in the policy applied:"));
        s.blocks.push_back(list(exceptions));
    }
    if (std::vector<std::string> officer = judgements(cd, overrides); !officer.empty()) {
        s.blocks.push_back(paragraph(officer.size() == 1 ? "An officer's judgement was applied:"
                                                         : "Officers' judgements were applied:"));
        s.blocks.push_back(list(officer));
    }
    if (!notes.empty()) {
        s.blocks.push_back(paragraph("Please note:"));
        s.blocks.push_back(list(notes));
    }
    if (!cd.would_change.empty()) {
        s.blocks.push_back(paragraph("What could change this decision:"));
        s.blocks.push_back(list(cd.would_change));
    }
    return s;
}

StatementSection summary(const Decision& d) {
    StatementSection s;
    s.id = "summary";
    s.title = "Summary";
    // The credentials the learner submitted; those completed stacks yield are told apart.
    const auto formed =
        std::count_if(d.credentials.begin(), d.credentials.end(),
                      [](const CredentialDecision& cd) { return cd.formed_by_stack.has_value(); });
    const auto n = d.credentials.size() - static_cast<std::size_t>(formed);
    auto count = [&](Status st) {
        return std::count_if(d.credentials.begin(), d.credentials.end(),
                             [&](const CredentialDecision& cd) { return cd.status == st; });
    };
    std::string programme = d.programme_title.empty() ? d.programme_id : d.programme_title;
    s.blocks.push_back(paragraph(
        fmt::format("You asked for {} {} to be recognized towards the programme {}. In total {} {} "
                    "recognized.",
                    n, n == 1 ? "credential" : "credentials", programme, ects(d.total_recognized),
                    d.total_recognized == 1 ? "is" : "are")));
    if (formed > 0) {
        s.blocks.push_back(paragraph(fmt::format(
            "Some of them together complete a larger credential set by the rules ({} in all); "
            "each such credential is decided in place of the ones that form it, so the same "
            "learning is not counted twice.",
            formed)));
    }
    std::vector<std::string> counts;
    for (Status st : {Status::Recognized, Status::PartiallyRecognized, Status::NotRecognized,
                      Status::Referred, Status::Incomplete, Status::NotApplicable}) {
        if (auto c = count(st); c > 0) counts.push_back(fmt::format("{} {}", c, short_status(st)));
    }
    if (!counts.empty()) s.blocks.push_back(paragraph(fmt::format("{}.", fmt::join(counts, ", "))));
    Block t = table({"Credential", "Awarding body", "Decision", "ECTS recognized"});
    for (const CredentialDecision& cd : d.credentials) {
        t.rows.push_back({short_name(cd), cd.awarding_body, short_status(cd.status),
                          rules::format_number(cd.recognized_ects)});
    }
    s.blocks.push_back(std::move(t));
    return s;
}

StatementSection appeal(const Decision& d) {
    StatementSection s;
    s.id = "appeal";
    s.title = "How to ask for a review";
    s.blocks.push_back(paragraph(
        "If you think this decision is wrong, for example because a fact about a credential was "
        "recorded incorrectly or a document was missing, you may ask the institution that made "
        "it for a review. A recognition officer will look at the full record in the annex."));
    s.blocks.push_back(paragraph(fmt::format(
        "In your request, please cite the application id {} and the policy version {} {}, name "
        "the credentials concerned and the facts you think are wrong, and add any documents that "
        "show them. The institution sets the time limit and the form of a request; ask it if "
        "they were not given to you with this statement.",
        d.application_id, d.policy_id, d.policy_version)));
    return s;
}

// ---- the annex ------------------------------------------------------------------------

StatementSection annex_file(const Decision& d) {
    StatementSection s;
    s.id = "annex-file";
    s.title = "Application and policy";
    s.level = 3;
    Block f = fields();
    add_field(f, "Application", d.application_id);
    add_field(f, "Learner", d.learner_id);
    add_field(f, "Programme", d.programme_id);
    add_field(f, "Programme kind", d.programme_kind);
    add_field(f, "Application date", d.application_date);
    add_field(f, "Dated values read as of", d.values_as_of);
    add_field(f, "Policy", d.policy_id);
    add_field(f, "Policy version", d.policy_version);
    add_field(f, "Policy title", d.policy_title);
    add_field(f, "Policy sha256", d.policy_hash);
    s.blocks.push_back(std::move(f));
    return s;
}

Block reason_record(const Reason& r, bool passed) {
    Block f = fields();
    add_field(f, "Rule", r.rule);
    add_field(f, "Code", r.code);
    add_field(f, "Outcome", outcome_words(r, passed));
    add_field(f, "Message", r.message);
    add_field(f, "Instead of", r.instead_of);
    add_field(f, "Because", r.because);
    if (!r.prevailed_over.empty()) {
        add_field(f, "Prevailed over", fmt::format("{}", fmt::join(r.prevailed_over, ", ")));
    }
    if (r.facts != r.because) add_field(f, "Facts", r.facts);
    if (!r.missing.empty()) add_field(f, "Missing", fmt::format("{}", fmt::join(r.missing, ", ")));
    add_field(f, "Clause", format_location(r.where));
    add_field(f, "Citation", r.cite);
    if (!r.override_id.empty()) {
        add_field(
            f, "Waived by",
            fmt::format("override {} ({}): {}", r.override_id, r.override_by, r.override_reason));
    }
    return f;
}

StatementSection annex_credential(const CredentialDecision& cd) {
    StatementSection s;
    s.id = "annex-" + cd.id;
    s.title = fmt::format("Credential {}", short_name(cd));
    s.level = 3;
    Block f = fields();
    add_field(f, "Status", status_name(cd.status));
    add_field(f, "Awarding body", cd.awarding_body);
    add_field(f, "Issued", cd.issued);
    add_field(f, "Kind", cd.kind);
    if (cd.claimed_ects) add_field(f, "Workload", ects(*cd.claimed_ects));
    add_field(f, "Workload basis", cd.workload_basis);
    add_field(f, "Level basis", cd.level_basis);
    add_field(f, "Recognized", ects(cd.recognized_ects));
    add_field(f, "Deciding reason", cd.primary_code);
    if (cd.duplicate_of) add_field(f, "Duplicate of", *cd.duplicate_of);
    s.blocks.push_back(std::move(f));
    if (!cd.reasons.empty()) {
        s.blocks.push_back(paragraph("Reasons, in the order checked:"));
        for (const Reason& r : cd.reasons) s.blocks.push_back(reason_record(r, false));
    }
    for (const Reason& r : cd.passed) {
        if (r.instead_of.empty() || !r.override_id.empty()) continue;
        s.blocks.push_back(paragraph("Exception that decided instead of a rule:"));
        s.blocks.push_back(reason_record(r, true));
    }
    for (const Reason& r : cd.passed) {
        if (r.override_id.empty()) continue;
        s.blocks.push_back(paragraph("Check waived by an officer's override:"));
        s.blocks.push_back(reason_record(r, true));
    }
    if (!cd.passed.empty()) {
        s.blocks.push_back(paragraph("Checks passed:"));
        Block t = table({"Rule", "Code", "Facts", "Clause", "Citation"});
        for (const Reason& r : cd.passed) {
            t.rows.push_back({r.rule, r.code, r.facts, format_location(r.where), r.cite});
        }
        s.blocks.push_back(std::move(t));
    }
    if (!cd.caps.empty()) {
        s.blocks.push_back(paragraph("Charged to caps:"));
        Block t = table({"Cap", "Charged", "Used before", "Remaining"});
        for (const CapCharge& c : cd.caps) {
            t.rows.push_back({c.cap, ects(c.charged), ects(c.used_before), ects(c.remaining)});
        }
        s.blocks.push_back(std::move(t));
    }
    if (!cd.would_change.empty()) {
        s.blocks.push_back(paragraph("What would change this decision:"));
        s.blocks.push_back(list(cd.would_change));
    }
    return s;
}

StatementSection annex_caps(const Decision& d) {
    StatementSection s;
    s.id = "annex-caps";
    s.title = "Cap ledger";
    s.level = 3;
    Block t =
        table({"Cap", "Limit", "Prior", "Used", "Remaining", "Instead of", "Clause", "Citation"});
    for (const CapLedgerEntry& e : d.cap_ledger) {
        std::string limit =
            e.missing.empty()
                ? ects(e.limit)
                : fmt::format("unknown (the application does not state the {})", e.missing);
        t.rows.push_back({e.cap, limit, ects(e.prior), ects(e.used), ects(e.remaining),
                          e.instead_of, format_location(e.where), e.cite});
    }
    s.blocks.push_back(std::move(t));
    return s;
}

// Every override in the application, attributed and dated, with what it did.
StatementSection annex_overrides(const Decision& d) {
    StatementSection s;
    s.id = "annex-overrides";
    s.title = "Officers' overrides";
    s.level = 3;
    Block t = table(
        {"Override", "Credential", "Judgement", "Author", "Date", "Reason", "Status", "Effect"});
    for (const OverrideRecord& o : d.overrides) {
        std::string judgement = o.action == "set" ? fmt::format("set {} = {}", o.target, o.value)
                                                  : fmt::format("waive {}", o.target);
        t.rows.push_back({o.id, o.credential, judgement, o.author, o.date, o.reason,
                          override_status_name(o.status), o.note});
    }
    s.blocks.push_back(std::move(t));
    return s;
}

StatementSection annex_totals(const Decision& d) {
    StatementSection s;
    s.id = "annex-totals";
    s.title = "Totals";
    s.level = 3;
    Block f = fields();
    for (const auto& [kind, n] : d.recognized_by_kind) add_field(f, kind, ects(n));
    add_field(f, "Total", ects(d.total_recognized));
    s.blocks.push_back(std::move(f));
    if (!d.notes.empty()) {
        s.blocks.push_back(paragraph("Notes:"));
        s.blocks.push_back(list(d.notes));
    }
    return s;
}

}  // namespace

Statement build_statement(const Decision& d) {
    Statement st;
    st.title = "Decision on your application for recognition";
    Block who = fields();
    add_field(who, "Application", d.application_id);
    add_field(who, "Learner",
              d.learner_name.empty() ? d.learner_id
                                     : fmt::format("{} ({})", d.learner_name, d.learner_id));
    add_field(who, "Programme",
              d.programme_title.empty()
                  ? d.programme_id
                  : fmt::format("{} ({})", d.programme_title, d.programme_id));
    add_field(who, "Application date", d.application_date);
    add_field(
        who, "Decided under",
        fmt::format("{} (policy {}, version {})", d.policy_title, d.policy_id, d.policy_version));
    st.preamble.push_back(std::move(who));

    st.body.push_back(summary(d));
    std::vector<const CredentialDecision*> recognized;
    std::vector<const CredentialDecision*> refused;
    for (const CredentialDecision& cd : d.credentials) {
        bool counts = cd.status == Status::Recognized || cd.status == Status::PartiallyRecognized;
        (counts ? recognized : refused).push_back(&cd);
    }
    if (!recognized.empty()) {
        StatementSection s;
        s.id = "recognized";
        s.title = "What was recognized";
        st.body.push_back(s);
        for (const CredentialDecision* cd : recognized)
            st.body.push_back(applicant_credential(*cd, d.overrides));
    }
    if (!refused.empty()) {
        StatementSection s;
        s.id = "not-recognized";
        s.title = "What was not recognized, and why";
        st.body.push_back(s);
        for (const CredentialDecision* cd : refused)
            st.body.push_back(applicant_credential(*cd, d.overrides));
    }
    st.body.push_back(appeal(d));

    StatementSection intro;
    intro.id = "annex";
    intro.title = "Annex: the record of the decision";
    intro.blocks.push_back(paragraph(
        "This annex is the clause-by-clause record kept on file: every check applied to each "
        "credential, the facts compared, the clause of the policy (file:line:column) and what it "
        "cites, and the caps charged."));
    st.annex.push_back(std::move(intro));
    st.annex.push_back(annex_file(d));
    for (const CredentialDecision& cd : d.credentials) st.annex.push_back(annex_credential(cd));
    if (!d.cap_ledger.empty()) st.annex.push_back(annex_caps(d));
    if (!d.overrides.empty()) st.annex.push_back(annex_overrides(d));
    st.annex.push_back(annex_totals(d));
    return st;
}

}  // namespace mcre::engine
