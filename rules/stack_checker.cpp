#include "rules/stack_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "rules/schema.hpp"
#include "rules/scope.hpp"

namespace mcre::rules {

namespace {

namespace ast = dsl::ast;

bool blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isspace(c) != 0; });
}

bool reads_credential(const Expr& e) {
    if (e.op == Op::Attribute && info(e.attribute).path.starts_with("credential.")) return true;
    return std::any_of(e.args.begin(), e.args.end(), reads_credential);
}

bool isced_code(const std::string& text) {
    return text.size() >= 2 && text.size() <= 4 &&
           std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isdigit(c) != 0; });
}

class StackChecker {
  public:
    StackChecker(Policy& policy, const ast::Policy& written, const dsl::SourceFile& source,
                 ExpressionChecker& expressions, std::vector<dsl::Diagnostic>& out)
        : policy_(policy), ast_(written), source_(source), expressions_(expressions), out_(out) {}

    void run() {
        for (const ast::Stack& s : ast_.stacks) check_stack(s);
        check_nesting();
        for (const ast::Pathway& p : ast_.pathways) check_pathway(p);
    }

  private:
    void error(const char* code, dsl::SourceSpan span, std::string message, std::string hint,
               std::vector<dsl::DiagnosticNote> notes = {}) {
        dsl::Diagnostic d;
        d.code = code;
        d.span = span;
        d.message = std::move(message);
        d.hint = std::move(hint);
        d.notes = std::move(notes);
        out_.push_back(std::move(d));
    }

    void check_cite(const ast::StringLit& cite) {
        if (blank(cite.text)) {
            error("E2111", cite.span, "the citation is empty",
                  "name the clause this comes from, e.g. cite \"Order No. 12, Art. 4\"");
        }
    }

    // A name defined once: among this policy's statements and the inherited ones.
    template <typename Item>
    bool unique(const ast::Ident& name, const std::vector<Item>& existing,
                std::map<std::string, dsl::SourceSpan>& local, const char* what) {
        if (auto it = local.find(name.name); it != local.end()) {
            error("E2101", name.span, fmt::format("{} '{}' is defined twice", what, name.name),
                  "give it another name, or delete one of the two definitions",
                  {{"first defined here", it->second, true}});
            return false;
        }
        for (const Item& item : existing) {
            if (item.name != name.name) continue;
            error("E2101", name.span,
                  fmt::format("{} '{}' is already defined by policy {} ({}:{})", what, name.name,
                              item.origin, item.where.file, item.where.line),
                  fmt::format("give this {} another name", what));
            return false;
        }
        local.emplace(name.name, name.span);
        return true;
    }

    // A constant amount of one of the `allowed` types; nothing (after an error) otherwise.
    std::optional<Value> constant(const ast::Expr& written, std::initializer_list<Type> allowed,
                                  const char* what, const char* example) {
        auto e = expressions_.check(written);
        if (!e) return std::nullopt;
        bool typed = std::find(allowed.begin(), allowed.end(), e->type) != allowed.end();
        bool fixed = e->op == Op::Literal || e->op == Op::Param;
        if (!typed || !fixed || e->literal.number < 0) {
            error(
                "E2410", written.span,
                fmt::format("{} must be a fixed amount of zero or more, such as {}", what, example),
                typed ? "write a number with its unit, or a parameter's name"
                      : fmt::format("this is {}", type_name(e->type)));
            return std::nullopt;
        }
        return e->literal;
    }

    void check_stack(const ast::Stack& s) {
        check_cite(s.cite);
        bool ok = unique(s.name, policy_.stacks, stack_names_, "stack");
        Stack stack;
        stack.name = s.name.name;
        stack.title = s.title.text;
        if (blank(s.title.text)) {
            error("E2401", s.name.span, fmt::format("stack '{}' has no title", s.name.name),
                  "the credential it yields needs one: write title \"Certificate in ...\"");
            ok = false;
        }
        if (s.components.empty()) {
            error("E2402", s.name.span, fmt::format("stack '{}' has no components", s.name.name),
                  "write component NAME when <condition on the credential>");
            ok = false;
        }
        std::map<std::string, dsl::SourceSpan> names;
        for (const ast::StackComponent& c : s.components) {
            if (!names.emplace(c.name.name, c.name.span).second) {
                error("E2403", c.name.span,
                      fmt::format("stack '{}' has two components called '{}'", s.name.name,
                                  c.name.name),
                      "give each component its own name",
                      {{"first here", names[c.name.name], true}});
                ok = false;
                continue;
            }
            StackComponent component;
            component.name = c.name.name;
            component.where = source_.location(c.span);
            if (c.when) {
                component.when = expressions_.check_condition(*c.when, "the component's condition");
                ok = ok && component.when.has_value();
            } else {
                component.stack = c.stack.name;
                stack_uses_[s.name.name].push_back(&c.stack);
            }
            stack.components.push_back(std::move(component));
        }
        ok = check_groups(s, names, stack) && ok;
        for (const ast::Expr& e : s.each) {
            auto condition = expressions_.check_condition(e, "the condition on every component");
            ok = ok && condition.has_value();
            if (condition) stack.each.push_back(std::move(*condition));
        }
        if (s.total) {
            auto v = constant(*s.total, {Type::Ects}, "the stack's total", "10 ects");
            ok = ok && v.has_value();
            if (v) stack.min_total_ects = v->number;
        }
        if (s.within) {
            auto v = constant(*s.within, {Type::Years, Type::Months, Type::Days},
                              "the time between the components", "3 years");
            ok = ok && v.has_value();
            stack.within = v;
        }
        ok = check_yields(s, stack) && ok;
        stack.count_alone = s.count_alone;
        stack.cite = s.cite.text;
        stack.where = source_.location(s.span);
        stack.origin = ast_.id.name;
        if (ok) {
            policy_.stacks.push_back(std::move(stack));
            written_[s.name.name] = &s;
        }
    }

    bool check_groups(const ast::Stack& s, const std::map<std::string, dsl::SourceSpan>& names,
                      Stack& stack) {
        bool ok = true;
        std::map<std::string, dsl::SourceSpan> grouped;
        for (const ast::StackGroup& g : s.groups) {
            StackGroup group;
            group.all = g.all;
            group.where = source_.location(g.span);
            for (const ast::Ident& m : g.members) {
                if (names.count(m.name) == 0) {
                    std::vector<std::string> known;
                    for (const auto& [name, span] : names) known.push_back(name);
                    std::vector<dsl::DiagnosticNote> notes;
                    if (auto near = closest(m.name, known)) {
                        notes.push_back({fmt::format("did you mean '{}'?", *near), {}, false});
                    }
                    error(
                        "E2407", m.span,
                        fmt::format("stack '{}' has no component called '{}'", s.name.name, m.name),
                        "name components declared with `component NAME ...` in this stack",
                        std::move(notes));
                    ok = false;
                    continue;
                }
                if (auto [it, fresh] = grouped.emplace(m.name, m.span); !fresh) {
                    error("E2409", m.span,
                          fmt::format("component '{}' is in two requirements", m.name),
                          "a component belongs to one `require ... of` list",
                          {{"first listed here", it->second, true}});
                    ok = false;
                    continue;
                }
                group.members.push_back(m.name);
            }
            group.need = g.all ? group.members.size() : g.count;
            if (!g.all && (g.count == 0 || g.count > g.members.size())) {
                error("E2408", g.span,
                      fmt::format("require {} of {} components cannot be met", g.count,
                                  g.members.size()),
                      "the number must be at least 1 and at most the number of components listed");
                ok = false;
            }
            stack.groups.push_back(std::move(group));
        }
        // Without any `require ... of`, every component is required.
        if (s.groups.empty()) {
            StackGroup all;
            all.all = true;
            for (const StackComponent& c : stack.components) all.members.push_back(c.name);
            all.need = all.members.size();
            all.where = source_.location(s.span);
            stack.groups.push_back(std::move(all));
        }
        return ok;
    }

    bool check_yields(const ast::Stack& s, Stack& stack) {
        bool ok = true;
        if (s.yields_ects) {
            auto v = constant(*s.yields_ects, {Type::Ects}, "the credit a stack yields", "15 ects");
            ok = ok && v.has_value();
            if (v) stack.yields_ects = v->number;
        }
        if (s.yields_level) {
            if (*s.yields_level < 1 || *s.yields_level > 8) {
                error("E2411", s.name.span,
                      fmt::format("stack '{}' yields level {}, which no framework has", s.name.name,
                                  *s.yields_level),
                      "levels run from 1 to 8");
                ok = false;
            }
            stack.yields_level = static_cast<int>(*s.yields_level);
        }
        if (!s.yields_kind.name.empty()) {
            auto kinds = credential_kinds();
            if (std::find(kinds.begin(), kinds.end(), s.yields_kind.name) == kinds.end()) {
                error("E2412", s.yields_kind.span,
                      fmt::format("'{}' is not a credential kind", s.yields_kind.name),
                      fmt::format("the kinds are: {}", join_names(kinds)));
                ok = false;
            }
            stack.yields_kind = s.yields_kind.name;
        }
        if (!s.yields_field.text.empty()) {
            if (!isced_code(s.yields_field.text)) {
                error("E2413", s.yields_field.span,
                      fmt::format("'{}' is not an ISCED-F field code", s.yields_field.text),
                      "write 2 to 4 digits, such as \"0613\"");
                ok = false;
            }
            stack.yields_field = s.yields_field.text;
        }
        return ok;
    }

    // Component stacks must exist, and nesting must end within max_stack_depth.
    void check_nesting() {
        std::map<std::string, int> depth;
        std::set<std::string> visiting;
        std::function<int(const std::string&)> depth_of = [&](const std::string& name) -> int {
            if (auto it = depth.find(name); it != depth.end()) return it->second;
            const Stack* stack = policy_.find_stack(name);
            if (stack == nullptr || !visiting.insert(name).second) return 0;
            int d = 1;
            for (const StackComponent& c : stack->components) {
                if (!c.stack.empty()) d = std::max(d, depth_of(c.stack) + 1);
            }
            visiting.erase(name);
            depth[name] = d;
            return d;
        };
        std::vector<std::string> stack_names;
        for (const Stack& s : policy_.stacks) stack_names.push_back(s.name);
        std::set<std::string> broken;
        for (const auto& [user, uses] : stack_uses_) {
            for (const ast::Ident* used : uses) {
                if (policy_.find_stack(used->name) != nullptr && used->name != user) continue;
                if (used->name == user) {
                    error("E2405", used->span,
                          fmt::format("stack '{}' cannot contain itself", user),
                          "a component names a smaller stack");
                } else {
                    std::vector<dsl::DiagnosticNote> notes;
                    if (auto near = closest(used->name, stack_names)) {
                        notes.push_back({fmt::format("did you mean '{}'?", *near), {}, false});
                    }
                    error("E2404", used->span, fmt::format("no stack is called '{}'", used->name),
                          "declare it with stack NAME { ... } in this policy or one it extends",
                          std::move(notes));
                }
                broken.insert(user);
            }
        }
        for (const auto& [user, uses] : stack_uses_) {
            if (broken.count(user) != 0 || policy_.find_stack(user) == nullptr) continue;
            if (reaches(user, user)) {
                error("E2405", written_[user]->name.span,
                      fmt::format("stack '{}' contains itself through its components", user),
                      "stacks must nest without a cycle");
                broken.insert(user);
                continue;
            }
            int d = depth_of(user);
            if (d > max_stack_depth) {
                error("E2406", written_[user]->name.span,
                      fmt::format("stack '{}' nests {} stacks deep", user, d),
                      fmt::format("stacks may nest at most {} deep", max_stack_depth));
                broken.insert(user);
            }
        }
        std::erase_if(policy_.stacks, [&](const Stack& s) { return broken.count(s.name) != 0; });
        for (Stack& s : policy_.stacks) s.depth = depth_of(s.name);
        // Inner stacks first, so the evaluator forms them before the stacks that use them.
        std::stable_sort(policy_.stacks.begin(), policy_.stacks.end(),
                         [](const Stack& a, const Stack& b) { return a.depth < b.depth; });
    }

    // Whether stack `from` contains `target` at any depth.
    bool reaches(const std::string& from, const std::string& target) {
        std::set<std::string> seen;
        std::vector<std::string> todo{from};
        while (!todo.empty()) {
            std::string name = todo.back();
            todo.pop_back();
            const Stack* stack = policy_.find_stack(name);
            if (stack == nullptr) continue;
            for (const StackComponent& c : stack->components) {
                if (c.stack.empty()) continue;
                if (c.stack == target) return true;
                if (seen.insert(c.stack).second) todo.push_back(c.stack);
            }
        }
        return false;
    }

    void check_pathway(const ast::Pathway& p) {
        check_cite(p.cite);
        bool ok = unique(p.name, policy_.pathways, pathway_names_, "pathway");
        Pathway pathway;
        pathway.name = p.name.name;
        pathway.title = p.title.text;
        if (blank(p.title.text)) {
            error("E2401", p.name.span, fmt::format("pathway '{}' has no title", p.name.name),
                  "name the programme it leads into: title \"BSc Computer Science\"");
            ok = false;
        }
        if (p.units.empty()) {
            error("E2402", p.name.span, fmt::format("pathway '{}' has no units", p.name.name),
                  "write unit \"CODE\" \"Title\" 5 ects when <condition on the credential>");
            ok = false;
        }
        if (p.applies) {
            pathway.applies = expressions_.check_condition(*p.applies, "the pathway's condition");
            if (pathway.applies && reads_credential(*pathway.applies)) {
                error("E2415", p.applies->span,
                      "a pathway applies to a programme: its condition cannot read a credential's "
                      "facts",
                      "ask about programme.* or application.*, such as programme.id == \"...\"");
                pathway.applies.reset();
            }
            ok = ok && pathway.applies.has_value();
        }
        std::map<std::string, dsl::SourceSpan> codes;
        for (const ast::PathwayUnit& u : p.units) {
            if (auto [it, fresh] = codes.emplace(u.code.text, u.code.span); !fresh) {
                error("E2403", u.code.span,
                      fmt::format("pathway '{}' lists unit {} twice", p.name.name, u.code.text),
                      "each course unit appears once", {{"first here", it->second, true}});
                ok = false;
                continue;
            }
            PathwayUnit unit;
            unit.code = u.code.text;
            unit.title = u.title.text;
            unit.where = source_.location(u.span);
            auto ects = constant(u.ects, {Type::Ects}, "a unit's credit", "5 ects");
            if (ects && ects->number <= 0) {
                error("E2414", u.ects.span, fmt::format("unit {} carries no credit", u.code.text),
                      "a course unit carries more than 0 ECTS");
                ects.reset();
            }
            auto when = expressions_.check_condition(u.when, "the unit's condition");
            if (!ects || !when) {
                ok = false;
                continue;
            }
            unit.ects = ects->number;
            unit.when = std::move(*when);
            pathway.units.push_back(std::move(unit));
        }
        pathway.cite = p.cite.text;
        pathway.where = source_.location(p.span);
        pathway.origin = ast_.id.name;
        if (ok) policy_.pathways.push_back(std::move(pathway));
    }

    Policy& policy_;
    const ast::Policy& ast_;
    const dsl::SourceFile& source_;
    ExpressionChecker& expressions_;
    std::vector<dsl::Diagnostic>& out_;
    std::map<std::string, dsl::SourceSpan> stack_names_;
    std::map<std::string, dsl::SourceSpan> pathway_names_;
    std::map<std::string, std::vector<const ast::Ident*>> stack_uses_;
    std::map<std::string, const ast::Stack*> written_;
};

}  // namespace

void check_stacks_and_pathways(Policy& policy, const dsl::ast::Policy& written,
                               const dsl::SourceFile& source, ExpressionChecker& expressions,
                               std::vector<dsl::Diagnostic>& out) {
    StackChecker(policy, written, source, expressions, out).run();
}

}  // namespace mcre::rules
