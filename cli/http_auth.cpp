#include "cli/http_auth.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace mcre::cli {

namespace {

std::string_view trim(std::string_view s) {
    const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r'; };
    while (!s.empty() && !not_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && !not_space(s.back())) s.remove_suffix(1);
    return s;
}

// Every byte of both strings is visited whatever the content, so the time taken tells
// an attacker nothing about how much of a guess was right.
bool equal_constant_time(std::string_view a, std::string_view b) {
    const std::size_t n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

}  // namespace

std::optional<ApiKeys> ApiKeys::load(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read the API keys file " + path;
        return std::nullopt;
    }
    ApiKeys keys;
    std::string line;
    while (std::getline(in, line)) {
        std::string_view key = trim(line);
        if (key.empty() || key.front() == '#') continue;
        keys.keys_.emplace_back(key);
    }
    if (keys.keys_.empty()) {
        error = "the API keys file " + path + " has no keys";
        return std::nullopt;
    }
    return keys;
}

bool ApiKeys::accepts(std::string_view presented) const {
    if (presented.empty()) return false;
    bool found = false;
    for (const std::string& key : keys_) found |= equal_constant_time(key, presented);
    return found;
}

std::string presented_key(std::string_view authorization, std::string_view x_api_key) {
    constexpr std::string_view bearer = "Bearer ";
    if (authorization.size() > bearer.size() && authorization.substr(0, bearer.size()) == bearer) {
        return std::string(trim(authorization.substr(bearer.size())));
    }
    return std::string(trim(x_api_key));
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
        return std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr),
                          std::begin(loopback.s6_addr));
    }
    return false;
}

}  // namespace mcre::cli
