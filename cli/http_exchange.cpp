#include "cli/http_exchange.hpp"

namespace mcre::cli {

Exchange& current_exchange() {
    thread_local Exchange exchange;
    return exchange;
}

void send_problem(httplib::Response& res, const Problem& problem) {
    nlohmann::ordered_json body = problem_json(problem);
    Exchange& exchange = current_exchange();
    if (exchange.active) body["request_id"] = exchange.request_id;
    exchange.error_kind = problem.kind;
    res.status = problem.status;
    // A detail may quote the client's bytes (a parser's "last read"), which need not be UTF-8.
    res.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                    problem_content_type);
}

}  // namespace mcre::cli
