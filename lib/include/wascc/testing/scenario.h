// `wascc test` scenario files: which actors to load, how to bind them, and steps with
// expectations. YAML (.yaml/.yml) or JSON; ${VAR} and ${VAR:default} are expanded from the
// environment first (so CI can pass server URLs). One scenario per file, or a list under
// `scenarios`. The schema is documented in share/doc/scenarios.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wascap/jwt.h"
#include "wascc/runner/manifest.h"

namespace wascc::scenario {

struct ExpectedHostCall {
  std::string capability;  // the call's namespace: a contract id, an actor key or an alias
  std::string operation;
  std::optional<std::string> binding;
  std::optional<jwt::Json> payload;  // a subset of the payload, msgpack shown as JSON
  std::optional<std::string> error;  // the call failed with a message containing this
};

struct ExpectedMessage {
  std::string subject;
  std::optional<std::string> body;
};

struct Expectation {
  std::optional<int> status;                   // http steps
  std::map<std::string, std::string> headers;  // http steps; names case-insensitive
  std::optional<std::string> body;             // exact text
  std::optional<jwt::Json> body_json;          // JSON-equal (text JSON, or msgpack shown as JSON)
  std::optional<std::string> body_regex;       // POSIX extended, searched
  std::optional<jwt::Json> body_subset;        // every key/value given is present
  std::vector<ExpectedHostCall> host_calls;    // in this order, others may come between
  bool no_host_calls = false;
  std::vector<ExpectedMessage> published;                      // wascc:messaging Publish calls, in order
  std::map<std::string, std::optional<std::string>> keyvalue;  // state after: value, or null = absent
  std::optional<std::string> error;                            // the step fails with a message containing this
  bool trap = false;                                           // ... and the failure is a trap
};

enum class StepKind { Http, Invoke, Message, Request, KeyValue };

struct Step {
  std::string name;
  std::string where;  // "file:line" (YAML) or "file: steps[i]" for reports
  StepKind kind = StepKind::Invoke;
  std::string actor;  // path or key; empty: the scenario's first actor
  std::string binding = "default";
  // http
  std::string method = "GET", path = "/", query;
  std::map<std::string, std::string> headers;
  // http, message, request: the body; invoke: the payload bytes
  std::string body;
  // invoke
  std::string operation;
  // message, request
  std::string subject, reply_to;
  int64_t timeout_ms = 1000;
  // keyvalue: keys to set (nullopt deletes) before the expectations run
  std::map<std::string, std::optional<std::string>> set;
  Expectation expect;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string where;
  std::vector<std::string> actors;  // resolved against the file's directory
  std::vector<manifest::Binding> bindings;
  std::vector<std::string> allowed_issuers;
  std::vector<std::string> providers;  // plugin paths or exec:CMD, each [@BINDING]
  std::vector<Step> steps;
};

// Reads, expands and parses; errors carry file:line:col where the format gives one.
Result<std::vector<Scenario>> load(const std::string& path, const manifest::Environment& environment);
Result<std::vector<Scenario>> parse(std::string_view text, manifest::Format format, const std::string& file);

}  // namespace wascc::scenario
