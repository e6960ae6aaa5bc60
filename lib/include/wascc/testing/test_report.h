// `wascc test` reports: one line per step for people (a failure with its expected and actual
// values side by side), JSON for scripts, JUnit XML for CI servers (the Jenkins/Ant layout:
// testsuites > testsuite per scenario > testcase per step, failures with message and type).
#pragma once

#include <string>
#include <vector>

#include "wascc/wascap/jwt.h"
#include "wascc/testing/scenario_runner.h"

namespace wascc::test_report {

struct Totals {
  size_t passed = 0;
  size_t failed = 0;
};
Totals totals(const std::vector<scenario_runner::ScenarioResult>& results);

// The text report; its last line is "N passed, N failed".
std::string text(const std::vector<scenario_runner::ScenarioResult>& results);

jwt::Json json(const std::vector<scenario_runner::ScenarioResult>& results);

std::string junit_xml(const std::vector<scenario_runner::ScenarioResult>& results);

}  // namespace wascc::test_report
