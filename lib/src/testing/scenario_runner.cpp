#include "wascc/providers/http_codec.h"
#include "wascc/testing/scenario_runner.h"

#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_server_provider.h"
#include "wascc/providers/messaging_contract.h"
#include "wascc/runner/runner.h"

namespace wascc::scenario_runner {
namespace {

using Json = jwt::Json;
using expectations::Mismatch;
using expectations::shown;

constexpr const char* kTestClient = "wascc-test-client";  // binds to messaging to send requests

struct RecordedCall {
  std::string binding, namespace_, operation;
  Bytes payload;
  bool ok = true;
  std::string error;
};

struct Recorder {
  std::mutex mutex;
  std::vector<RecordedCall> calls;
  std::vector<RecordedCall> take() {
    std::lock_guard lock(mutex);
    return std::exchange(calls, {});
  }
};

// What a step produced.
struct Outcome {
  bool ok = true;
  std::string error;
  bool trapped = false;
  int status = 0;
  std::multimap<std::string, std::string> headers;
  std::string body;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string text(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

class ScenarioExecution {
 public:
  ScenarioExecution(const scenario::Scenario& scenario, runner::Runner& runner, Recorder& recorder)
      : scenario_(scenario), runner_(runner), recorder_(recorder) {}

  StepResult run_step(const scenario::Step& step) {
    const auto start = std::chrono::steady_clock::now();
    StepResult result{step.name, step.where, {}, 0};
    (void)recorder_.take();
    auto outcome = perform(step);
    if (!outcome) {
      result.mismatches.push_back({"step", "to run", outcome.error().message});
    } else {
      check(step, *outcome, recorder_.take(), result.mismatches);
    }
    result.seconds = seconds_since(start);
    return result;
  }

 private:
  Result<std::string> actor_for(const scenario::Step& step) const {
    if (step.actor.empty()) return runner_.actors().front().key;
    return runner_.actor_key(step.actor);
  }

  // The actor whose keyvalue binding a step reads and seeds: its own, or the first bound one.
  Result<std::string> keyvalue_actor(const scenario::Step& step) const {
    if (!step.actor.empty()) return runner_.actor_key(step.actor);
    for (const auto& binding : scenario_.bindings) {
      if (binding.capability == "wascc:keyvalue" && binding.binding == step.binding)
        return runner_.actor_key(binding.actor);
    }
    return input_error("no actor is bound to wascc:keyvalue with binding \"" + step.binding + "\"");
  }

  Result<Bytes> keyvalue_call(const scenario::Step& step, const char* operation, const char* schema,
                              const Json& request) {
    auto provider = runner_.host().provider("wascc:keyvalue", step.binding);
    if (!provider) return input_error("no wascc:keyvalue provider with binding \"" + step.binding + "\"");
    auto actor = keyvalue_actor(step);
    if (!actor) return actor.error();
    auto payload = actor_codec::encode(*actor_codec::find_schema(schema), request);
    if (!payload) return payload.error();
    return provider->handle_call(*actor, operation, *payload);
  }

  Result<Outcome> perform(const scenario::Step& step) {
    Outcome outcome;
    auto fail_with = [&](const wapc::CallFailure& failure) {
      outcome.ok = false;
      outcome.error = failure.message;
      outcome.trapped = failure.kind == wapc::FailureKind::Trap;
    };
    switch (step.kind) {
      case scenario::StepKind::Http: {
        auto actor = actor_for(step);
        if (!actor) return actor.error();
        const std::string target = step.path + (step.query.empty() ? "" : "?" + step.query);
        http_server::HttpRequest request{step.method, target, {step.headers.begin(), step.headers.end()}, step.body};
        auto reply = runner_.host().call_actor(*actor, "HandleRequest", http_codec::encode_request(request));
        auto response =
            reply ? http_codec::decode_response(*reply) : Result<http_server::HttpResponse>(invalid_error(""));
        if (!reply) fail_with(reply.error());
        if (reply && !response) {
          outcome.ok = false;
          outcome.error = response.error().message;
        }
        if (!outcome.ok) {  // what wascc:http_server answers then
          outcome.status = 500;
          outcome.body = "Failed to handle request";
        } else {
          outcome.status = response->status;
          outcome.headers = response->headers;
          outcome.body = response->body;
        }
        return outcome;
      }
      case scenario::StepKind::Invoke:
      case scenario::StepKind::Message: {
        auto actor = actor_for(step);
        if (!actor) return actor.error();
        const bool invoke = step.kind == scenario::StepKind::Invoke;
        const Bytes payload = invoke
                                  ? Bytes(step.body.begin(), step.body.end())
                                  : messaging_contract::encode_broker_message({step.subject, step.reply_to, step.body});
        auto reply = runner_.host().call_actor(*actor, invoke ? step.operation : "DeliverMessage", payload);
        if (!reply) {
          fail_with(reply.error());
        } else {
          outcome.body = text(*reply);
        }
        return outcome;
      }
      case scenario::StepKind::Request: {
        auto provider = runner_.host().provider("wascc:messaging", step.binding);
        if (!provider) return input_error("no wascc:messaging provider with binding \"" + step.binding + "\"");
        if (auto bound = bind_test_client(*provider, step.binding); !bound) return bound.error();
        auto reply = provider->handle_call(
            kTestClient, "Request", messaging_contract::encode_request({step.subject, step.body, step.timeout_ms}));
        if (!reply) {
          outcome.ok = false;
          outcome.error = reply.error().message;
        } else {
          outcome.body = text(*reply);
        }
        return outcome;
      }
      case scenario::StepKind::KeyValue:
        for (const auto& [key, value] : step.set) {
          auto done = value
                          ? keyvalue_call(step, "Set", "SetRequest", {{"key", key}, {"value", *value}, {"expires", 0}})
                          : keyvalue_call(step, "Del", "DelRequest", {{"key", key}});
          if (!done) return done.error();
        }
        return outcome;
    }
    return outcome;
  }

  // Requests go out as a client of the same messaging binding (the same NATS URL) as the actors.
  Status bind_test_client(CapabilityProvider& provider, const std::string& binding) {
    if (test_client_bound_.count(binding)) return ok_status();
    BindingValues values;
    for (const auto& entry : scenario_.bindings) {
      if (entry.capability == "wascc:messaging" && entry.binding == binding && entry.values.count("URL")) {
        values["URL"] = entry.values.at("URL");
      }
    }
    if (auto bound = provider.bind_actor(kTestClient, values); !bound) return bound;
    test_client_bound_.insert(binding);
    return ok_status();
  }

  void check(const scenario::Step& step, const Outcome& outcome, const std::vector<RecordedCall>& calls,
             std::vector<Mismatch>& out) {
    const auto& expect = step.expect;
    if (expect.error) {
      if (outcome.ok) {
        out.push_back({"outcome", "an error containing " + shown(*expect.error), "success"});
      } else if (outcome.error.find(*expect.error) == std::string::npos) {
        out.push_back({"error", "containing " + shown(*expect.error), shown(outcome.error)});
      }
      if (expect.trap && !outcome.trapped)
        out.push_back({"trap", "a trap", outcome.ok ? "success" : "an error that is not a trap"});
    } else if (!outcome.ok && !(expect.status && *expect.status == outcome.status)) {
      out.push_back({"outcome", "success", (outcome.trapped ? "trap: " : "error: ") + outcome.error});
    }
    if (expect.status && *expect.status != outcome.status) {
      out.push_back({"status", std::to_string(*expect.status), std::to_string(outcome.status)});
    }
    expectations::check_headers(expect.headers, outcome.headers, out);
    expectations::check_body({expect.body, expect.body_json, expect.body_regex, expect.body_subset}, outcome.body, out);
    check_host_calls(expect, calls, out);
    check_published(expect, calls, out);
    for (const auto& [key, wanted] : expect.keyvalue) {
      auto reply = keyvalue_call(step, "Get", "GetRequest", {{"key", key}});
      if (!reply) {
        out.push_back({"keyvalue." + key, wanted ? shown(*wanted) : "absent", "error: " + reply.error().message});
        continue;
      }
      auto state = actor_codec::decode(*actor_codec::find_schema("GetResponse"), *reply);
      const bool exists = state && state->value("exists", false);
      const std::string actual = exists ? shown(state->value("value", std::string())) : "absent";
      if (actual != (wanted ? shown(*wanted) : "absent"))
        out.push_back({"keyvalue." + key, wanted ? shown(*wanted) : "absent", actual});
    }
  }

  static std::string describe(const RecordedCall& call) {
    auto payload = actor_codec::readable_json(call.payload);
    return call.namespace_ + " " + call.operation + (payload ? " " + json::dump(*payload) : "") +
           (call.ok ? "" : " -> error: " + call.error);
  }

  static std::string describe_all(const std::vector<RecordedCall>& calls) {
    if (calls.empty()) return "no host calls";
    std::string out;
    for (const auto& call : calls) out += (out.empty() ? "" : "; ") + describe(call);
    return out;
  }

  static void check_host_calls(const scenario::Expectation& expect, const std::vector<RecordedCall>& calls,
                               std::vector<Mismatch>& out) {
    if (expect.no_host_calls && !calls.empty()) out.push_back({"host_calls", "none", describe_all(calls)});
    size_t next = 0;
    for (size_t i = 0; i < expect.host_calls.size(); ++i) {
      const auto& wanted = expect.host_calls[i];
      bool found = false;
      for (; next < calls.size() && !found; ++next) {
        const auto& call = calls[next];
        if (call.namespace_ != wanted.capability || call.operation != wanted.operation) continue;
        if (wanted.binding && (call.binding.empty() ? "default" : call.binding) != *wanted.binding) continue;
        if (wanted.payload) {
          auto payload = actor_codec::readable_json(call.payload);
          if (!payload || !expectations::json_contains(*payload, *wanted.payload)) continue;
        }
        if (wanted.error && (call.ok || call.error.find(*wanted.error) == std::string::npos)) continue;
        found = true;
      }
      if (!found) {
        std::string expected = wanted.capability + " " + wanted.operation;
        if (wanted.payload) expected += " " + json::dump(*wanted.payload);
        if (wanted.error) expected += " -> error containing " + shown(*wanted.error);
        out.push_back({"host_calls[" + std::to_string(i) + "]", expected, describe_all(calls)});
        return;
      }
    }
  }

  static void check_published(const scenario::Expectation& expect, const std::vector<RecordedCall>& calls,
                              std::vector<Mismatch>& out) {
    std::vector<messaging_contract::BrokerMessage> published;
    for (const auto& call : calls) {
      if (call.namespace_ != "wascc:messaging" || call.operation != "Publish" || !call.ok) continue;
      if (auto message = messaging_contract::decode_publish(call.payload)) published.push_back(*message);
    }
    size_t next = 0;
    for (size_t i = 0; i < expect.published.size(); ++i) {
      const auto& wanted = expect.published[i];
      bool found = false;
      for (; next < published.size() && !found; ++next) {
        found = published[next].subject == wanted.subject && (!wanted.body || published[next].body == *wanted.body);
      }
      if (!found) {
        std::string actual;
        for (const auto& message : published)
          actual += (actual.empty() ? "" : "; ") + message.subject + " " + shown(message.body);
        out.push_back({"published[" + std::to_string(i) + "]",
                       wanted.subject + (wanted.body ? " " + shown(*wanted.body) : ""),
                       actual.empty() ? "nothing published" : actual});
        return;
      }
    }
  }

  const scenario::Scenario& scenario_;
  runner::Runner& runner_;
  Recorder& recorder_;
  std::set<std::string> test_client_bound_;
};

}  // namespace

size_t ScenarioResult::failures() const {
  size_t failed = setup_error ? 1 : 0;
  for (const auto& step : steps) failed += step.passed() ? 0 : 1;
  return failed;
}

ScenarioResult unloadable(const std::string& file, const std::string& error) {
  ScenarioResult result;
  result.file = file;
  result.name = file;
  result.where = file;
  result.setup_error = error;
  return result;
}

ScenarioResult run(const scenario::Scenario& scenario, const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  ScenarioResult result;
  result.file = scenario.file;
  result.name = scenario.name;
  result.where = scenario.where;
  Recorder recorder;
  actor_host::Options host_options;
  host_options.engine = options.engine;
  host_options.expected_calls = scenario.steps.size();  // "auto" compiles only what is cached
  host_options.allowed_issuers = scenario.allowed_issuers;
  host_options.allowed_issuers.insert(host_options.allowed_issuers.end(), options.allowed_issuers.begin(),
                                      options.allowed_issuers.end());
  host_options.revoked = options.revoked;
  host_options.limits = options.limits;
  host_options.now = options.now;
  host_options.on_host_call = [&recorder](const actor_host::HostCallEvent& event) {
    RecordedCall call{event.call.binding,   event.call.namespace_,
                      event.call.operation, Bytes(event.call.payload.begin(), event.call.payload.end()),
                      event.outcome.ok(),   event.outcome.ok() ? "" : event.outcome.error().message};
    std::lock_guard lock(recorder.mutex);
    recorder.calls.push_back(std::move(call));
  };
  runner::Runner runner(host_options, provider_catalog::Sinks{});
  runner::Plan plan;
  plan.actor_files = scenario.actors;
  for (const auto& spec : scenario.providers) {
    plan.providers.push_back(runner::provider_spec(spec));
    plan.providers.back().directory = std::filesystem::path(scenario.file).parent_path().string();
  }
  for (size_t i = 0; i < scenario.bindings.size(); ++i) {
    const auto& binding = scenario.bindings[i];
    plan.providers.push_back({binding.capability, binding.binding, "", "", /*implicit=*/true, ""});
    plan.bindings.push_back({binding.actor, binding.capability, binding.binding, binding.values,
                             scenario.where + ": bindings[" + std::to_string(i) + "]"});
  }
  if (auto started = runner.start(plan); !started) {
    const std::string& message = started.error().message;
    result.setup_error = message.rfind(scenario.where, 0) == 0 ? message : scenario.where + ": " + message;
    result.seconds = seconds_since(start);
    return result;
  }
  ScenarioExecution execution(scenario, runner, recorder);
  for (const auto& step : scenario.steps) result.steps.push_back(execution.run_step(step));
  runner.stop();
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace wascc::scenario_runner
