#include <doctest/doctest.h>

#include "wascc/base/metrics.h"
#include "wascc/runner/metrics_endpoint.h"

using namespace wascc;

TEST_CASE("metrics: counters and histograms render in Prometheus's text format") {
  metrics::Registry registry;
  registry.describe("calls_total", "counter", "Calls");
  registry.describe("call_seconds", "histogram", "Call time");
  registry.add("calls_total", {{"actor", "MA"}, {"outcome", "ok"}});
  registry.add("calls_total", {{"actor", "MA"}, {"outcome", "ok"}}, 2);
  registry.add("typo_total", {});  // undeclared: refused, not invented
  registry.observe("call_seconds", {{"actor", "MA"}}, 0.0003);
  registry.observe("call_seconds", {{"actor", "MA"}}, 20);  // beyond the last bucket: +Inf only
  const std::string text = registry.exposition();
  CHECK(
      text.find("# HELP calls_total Calls\n# TYPE calls_total counter\ncalls_total{actor=\"MA\",outcome=\"ok\"} 3\n") !=
      std::string::npos);
  CHECK(text.find("typo_total") == std::string::npos);
  CHECK(text.find("call_seconds_bucket{actor=\"MA\",le=\"0.00025\"} 0\n") != std::string::npos);
  CHECK(text.find("call_seconds_bucket{actor=\"MA\",le=\"0.0005\"} 1\n") != std::string::npos);
  CHECK(text.find("call_seconds_bucket{actor=\"MA\",le=\"10\"} 1\n") != std::string::npos);
  CHECK(text.find("call_seconds_bucket{actor=\"MA\",le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(text.find("call_seconds_count{actor=\"MA\"} 2\n") != std::string::npos);
  CHECK(text.find("call_seconds_sum{actor=\"MA\"} 20.0003\n") != std::string::npos);
}

TEST_CASE("metrics: label values are escaped; set overwrites") {
  CHECK(metrics::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  metrics::Registry registry;
  registry.describe("hits_total", "counter", "Hits");
  registry.set("hits_total", {{"path", "/x\"y"}}, 5);
  registry.set("hits_total", {{"path", "/x\"y"}}, 7);
  CHECK(registry.exposition().find("hits_total{path=\"/x\\\"y\"} 7\n") != std::string::npos);
}

TEST_CASE("metrics endpoint: --metrics addresses") {
  CHECK(*metrics_endpoint::parse_address("127.0.0.1:9090") == std::pair<std::string, int>{"127.0.0.1", 9090});
  CHECK(*metrics_endpoint::parse_address("[::1]:0") == std::pair<std::string, int>{"::1", 0});
  CHECK(*metrics_endpoint::parse_address(":9100") == std::pair<std::string, int>{"127.0.0.1", 9100});
  CHECK(metrics_endpoint::parse_address("9090").error().message ==
        "--metrics 9090: expected ADDRESS:PORT, e.g. 127.0.0.1:9090");
  CHECK(metrics_endpoint::parse_address("h:http").error().message == "--metrics h:http: \"http\" is not a port number");
}
