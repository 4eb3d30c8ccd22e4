-- wrk script for bench/serve_load.sh: POSTs the files named in SERVE_LOAD_BODIES (separated
-- by ':') in turn to SERVE_LOAD_PATH with SERVE_LOAD_KEY, and prints one RESULT line.
local bodies = {}
local index = 0
local path = os.getenv("SERVE_LOAD_PATH") or "/v1/evaluate"
local headers = {
    ["Content-Type"] = os.getenv("SERVE_LOAD_TYPE") or "application/json",
    ["X-API-Key"] = os.getenv("SERVE_LOAD_KEY") or "",
}

for name in string.gmatch(os.getenv("SERVE_LOAD_BODIES") or "", "[^:]+") do
    local file = assert(io.open(name, "rb"))
    bodies[#bodies + 1] = file:read("*a")
    file:close()
end

function request()
    index = index % #bodies + 1
    return wrk.format("POST", path, headers, bodies[index])
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
