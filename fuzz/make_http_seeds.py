#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_http (fuzz/corpus/http/): request bodies from the shipped
examples followed by the bytes fuzz_http.cpp reads its choices from. FuzzedDataProvider
takes integral choices from the end of the input, one byte each here, last byte first."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus" / "http"
out.mkdir(parents=True, exist_ok=True)

METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "get", "POST "]
PATHS = ["/v1/evaluate", "/v1/evaluate?policy=georgia", "/v1/evaluate?policy=armenia",
         "/v1/evaluate?policy=nope", "/v1/evaluate/batch", "/v1/evaluate/batch?policy=georgia",
         "/v1/policies", "/v1/policies/georgia", "/v1/policies/eu_baseline",
         "/v1/policies/..%2f..%2fetc%2fpasswd", "/v1/policies/../../etc/passwd",
         "/v1/policies/%00", "/healthz", "/metrics", "/openapi.json", "/", "//v1//evaluate",
         "/v1/evaluate%3Fpolicy=georgia", "*"]
HEADERS = ["Content-Type", "X-Request-Id", "Authorization", "X-API-Key", "Transfer-Encoding",
           "Content-Length", "Accept", "Connection", "Expect", "Range", "Content-Encoding", "Host"]
VALUES = ["application/json", "application/x-ndjson", "application/jsonl", "Bearer key-one",
          "Bearer wrong", "key-two", "chunked", "req-1", "0", "18446744073709551616", "-1",
          "bytes=0-10", "gzip", "close", "100-continue", ""]


def seed(body, method, path, headers=(), keyed=False):
    choices = [1 if keyed else 0, 1, METHODS.index(method), 1, PATHS.index(path), len(headers)]
    for name, value in headers:
        choices += [HEADERS.index(name), 1, VALUES.index(value)]
    choices.append(1)  # send Content-Length
    return body + bytes(reversed(choices))


app = (root / "examples" / "docs" / "app-2026-0007.json").read_bytes()
one_line = json.dumps(json.loads(app)).encode()
json_type = [("Content-Type", "application/json")]
seeds = {
    "evaluate": seed(app, "POST", "/v1/evaluate", json_type),
    "evaluate-georgia-keyed": seed(app, "POST", "/v1/evaluate?policy=georgia",
                                   json_type + [("Authorization", "Bearer key-one")], True),
    "evaluate-unknown-policy": seed(app, "POST", "/v1/evaluate?policy=nope", json_type),
    "evaluate-request-id": seed(app, "POST", "/v1/evaluate", [("X-Request-Id", "req-1")]),
    "batch-json": seed(b"[" + one_line + b", " + one_line + b"]", "POST",
                       "/v1/evaluate/batch", json_type),
    "batch-ndjson": seed(one_line + b"\n{}\n" + one_line + b"\n", "POST",
                         "/v1/evaluate/batch?policy=georgia",
                         [("Content-Type", "application/x-ndjson")]),
    "policies": seed(b"", "GET", "/v1/policies"),
    "policy": seed(b"", "GET", "/v1/policies/georgia"),
    "policy-traversal": seed(b"", "GET", "/v1/policies/../../etc/passwd"),
    "healthz": seed(b"", "GET", "/healthz", keyed=True),
    "metrics-wrong-key": seed(b"", "GET", "/metrics", [("X-API-Key", "Bearer wrong")], True),
    "chunked": seed(app, "POST", "/v1/evaluate", [("Transfer-Encoding", "chunked")]),
    "method-not-allowed": seed(b"", "DELETE", "/v1/evaluate"),
}
for name, data in seeds.items():
    (out / name).write_bytes(data)
