#include <doctest/doctest.h>

#include "wascc/testing/expectations.h"
#include "wascc/base/msgpack_writer.h"
#include "wascc/testing/scenario.h"
#include "wascc/testing/test_report.h"

using namespace wascc;

TEST_CASE("scenario: YAML steps, typed expectations, paths relative to the file") {
  constexpr const char* kText = R"(name: demo
actors: [actors/a_s.wasm, /abs/b_s.wasm]
allow_issuers: [AISSUER]
bindings:
  - capability: wascc:keyvalue
    values: {URL: redis://h:1, PORT: 8080}
steps:
  - http: {method: POST, path: /x, query: "a=1", headers: {X-N: 1}, body: 42}
    expect:
      status: 201
      body_json: {n: 1, ok: true, none: null, s: "1"}
      host_calls: [{capability: wascc:keyvalue, operation: Add, payload: {value: 1}}]
      keyvalue: {k: "v", gone: null}
  - name: raw
    actor: /abs/b_s.wasm
    invoke: {operation: Op, payload: {a: 1}}
    expect: {error: boom, trap: true}
  - message: {subject: s, reply_to: r, body: hi}
  - request: {subject: s, timeout_ms: 5}
  - keyvalue: {set: {k: v, gone: null}}
)";
  auto parsed = scenario::parse(kText, manifest::Format::Yaml, "dir/demo.yaml");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  const auto& s = parsed->front();
  CHECK(s.name == "demo");
  CHECK(s.where == "dir/demo.yaml:1");
  CHECK(s.actors == std::vector<std::string>{"dir/actors/a_s.wasm", "/abs/b_s.wasm"});
  CHECK(s.allowed_issuers == std::vector<std::string>{"AISSUER"});
  REQUIRE(s.bindings.size() == 1);
  CHECK(s.bindings[0].actor == "dir/actors/a_s.wasm");  // the first actor by default
  CHECK(s.bindings[0].values.at("PORT") == "8080");
  REQUIRE(s.steps.size() == 5);
  const auto& http = s.steps[0];
  CHECK(http.name == "step 1");
  CHECK(http.where == "dir/demo.yaml:8");
  CHECK(http.kind == scenario::StepKind::Http);
  CHECK(http.body == "42");
  CHECK(http.headers.at("X-N") == "1");
  CHECK(http.expect.status == 201);
  CHECK(*http.expect.body_json == Json::parse(R"({"n": 1, "ok": true, "none": null, "s": "1"})"));
  CHECK(http.expect.host_calls[0].payload->at("value") == 1);
  CHECK(http.expect.keyvalue.at("k") == "v");
  CHECK_FALSE(http.expect.keyvalue.at("gone").has_value());
  CHECK(s.steps[1].actor == "/abs/b_s.wasm");
  CHECK(s.steps[1].body == std::string("\x81\xa1"
                                       "a\x01",
                                       4));  // the payload as msgpack
  CHECK(s.steps[1].expect.trap);
  CHECK(s.steps[2].reply_to == "r");
  CHECK(s.steps[3].timeout_ms == 5);
  CHECK_FALSE(s.steps[4].set.at("gone").has_value());
}

TEST_CASE("scenario: mistakes are errors with the place, never silently ignored") {
  auto check_error = [](const char* text, const std::string& expected) {
    auto parsed = scenario::parse(text, manifest::Format::Yaml, "t.yaml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message == expected);
  };
  check_error("actors: [a]\nsteps:\n  - http: {}\n    expect: {bodyy: x}\n", "t.yaml:3: expect: unknown key bodyy");
  check_error("actors: [a]\nsteps:\n  - http: {}\n    invoke: {operation: x}\n",
              "t.yaml:3: a step is exactly one of http, invoke, message, request, keyvalue");
  check_error("actors: []\nsteps: []\n", "t.yaml:1: actors: a list of one or more actor files is required");
  check_error("actors: [a]\n", "t.yaml:1: steps: a list of one or more steps is required");
  check_error("actors: [a]\nsteps:\n  - invoke: {payload: 1}\n", "t.yaml:3: invoke: needs operation");
  check_error("actors: [a]\nsteps:\n  - http: {}\n    expect: {status: ok}\n",
              "t.yaml:3: expect.status: expected a number");
  auto json = scenario::parse(R"({"scenarios": [{"actors": ["a"], "steps": [{"http": {}, "expect": {"x": 1}}]}]})",
                              manifest::Format::Json, "t.json");
  REQUIRE_FALSE(json.ok());
  CHECK(json.error().message == "t.json: steps[0]: expect: unknown key x");
}

TEST_CASE("expectations: JSON subsets, regexes, bodies in msgpack") {
  const Json value = Json::parse(R"({"a": 1, "b": {"c": [1, 2, 3], "d": "x"}, "e": 2.0})");
  CHECK(expectations::json_contains(value, Json::parse(R"({"b": {"c": [1, 2]}})")));
  CHECK(expectations::json_contains(value, Json::parse(R"({"e": 2})")));
  CHECK_FALSE(expectations::json_contains(value, Json::parse(R"({"b": {"c": [2]}})")));
  CHECK_FALSE(expectations::json_contains(value, Json::parse(R"({"z": null})")));
  CHECK_FALSE(expectations::json_contains(value, Json::parse(R"({"a": "1"})")));

  CHECK_FALSE(expectations::regex_search("body", "^c[a-z]+ [0-9]+$", "count 42").has_value());
  auto miss = expectations::regex_search("body", "^x", "count");
  REQUIRE(miss.has_value());
  CHECK(miss->expected == "matching /^x/");
  CHECK(miss->actual == "'count'");
  auto invalid = expectations::regex_search("body", "(", "x");
  REQUIRE(invalid.has_value());
  CHECK(invalid->expected == "a valid regular expression");
  CHECK(invalid->actual == "'(' (missing closing parenthesis at offset 1)");

  MsgpackWriter reply;
  reply.map_header(1);
  reply.text("body");
  reply.binary("text");
  const Bytes packed = reply.take();
  auto json = expectations::body_as_json(std::string(packed.begin(), packed.end()));
  REQUIRE(json.has_value());
  CHECK(*json == Json::parse(R"({"body": "text"})"));
  CHECK_FALSE(expectations::body_as_json("plain words").has_value());

  std::vector<expectations::Mismatch> out;
  expectations::check_body({"exact", Json::parse(R"({"a": 1})"), std::nullopt, Json::parse(R"({"b": 2})")},
                           R"({"a":1})", out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].what == "body");
  CHECK(out[1].what == "body (JSON subset)");
  out.clear();
  expectations::check_headers({{"Content-Type", "text/plain"}, {"X-Missing", "1"}}, {{"content-type", "text/plain"}},
                              out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].what == "headers.x-missing");
  CHECK(out[0].actual == "absent");
  CHECK(expectations::shown("a\nb\x01") == "'a\\nb\\x01'");
}

TEST_CASE("test report: text lines, totals, JUnit escaping") {
  scenario_runner::ScenarioResult passed{"f.yaml", "ok <&>", "f.yaml:1", std::nullopt, {{"one", "f.yaml:3", {}, 0.001}},
                                         0.002};
  scenario_runner::ScenarioResult failed{
      "g.yaml", "bad", "g.yaml:1", std::nullopt, {{"two", "g.yaml:4", {{"status", "200", "500"}}, 0.5}}, 0.5};
  auto broken = scenario_runner::unloadable("h.yaml", "h.yaml:2:1: not YAML");
  const std::vector<scenario_runner::ScenarioResult> results = {passed, failed, broken};
  CHECK(test_report::text(results) ==
        "PASS ok <&> > one\n"
        "FAIL bad > two\n"
        "     at g.yaml:4\n"
        "     status: expected 200\n"
        "             actual   500\n"
        "FAIL h.yaml: cannot run: h.yaml:2:1: not YAML\n"
        "1 passed, 2 failed\n");
  const std::string xml = test_report::junit_xml(results);
  CHECK(xml.find(R"(<testsuites name="wascc test" tests="3" failures="1" errors="1")") != std::string::npos);
  CHECK(xml.find(R"(<testsuite name="ok &lt;&amp;&gt;" tests="1" failures="0" errors="0")") != std::string::npos);
  CHECK(xml.find(R"(<failure type="expectation" message="status: expected 200, actual 500">)") != std::string::npos);
  CHECK(xml.find(R"(<error type="setup" message="h.yaml:2:1: not YAML"/>)") != std::string::npos);
  const auto json = test_report::json(results);
  CHECK(json["passed"] == 1);
  CHECK(json["failed"] == 2);
  CHECK(json["scenarios"][2]["error"] == "h.yaml:2:1: not YAML");
}

TEST_CASE(
    "body_regex limits: 30,000 nested groups and huge repeats are refused before compiling; backtracking is bounded") {
  auto refusal = [](const std::string& pattern) {
    auto mismatch = expectations::regex_search("body", pattern, "aaaa");
    REQUIRE(mismatch.has_value());
    CHECK(mismatch->expected == "a regular expression within limits");
    return mismatch->actual;
  };
  CHECK(refusal(std::string(30'000, '(')).find("(longer than 4096 characters)") != std::string::npos);
  CHECK(refusal(std::string(65, '(') + "a" + std::string(65, ')')).find("(groups nested deeper than 64)") !=
        std::string::npos);
  // Catastrophic backtracking stops at the match limit instead of running for hours.
  auto runaway = expectations::regex_search("body", "^(a+)+$", std::string(40, 'a') + "!");
  REQUIRE(runaway.has_value());
  CHECK(runaway->expected == "a regular expression within limits");
  CHECK(runaway->actual == "'^(a+)+$' (match limit exceeded)");
  // Perl's syntax, as grep -P and most test tools take: classes, back-references, lookahead.
  CHECK_FALSE(expectations::regex_search("body", "^\\d+ (\\w)\\1(?=!)", "42 xx!").has_value());
  CHECK(refusal("(a{1000}){1001}").find("(a repeat count over 1000)") != std::string::npos);
  CHECK_FALSE(expectations::regex_search("body", "^a{1,4}$", "aaaa").has_value());  // within limits: matches
}

TEST_CASE("scenario YAML: an alias bomb is refused after a million values, not expanded") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    const char previous = static_cast<char>(level - 1);
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + previous;
    bomb += "]\n";
  }
  auto parsed = scenario::parse(bomb, manifest::Format::Yaml, "bomb.yaml");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message == "bomb.yaml: the YAML expands to more than 1000000 values (aliases repeated?)");
}
