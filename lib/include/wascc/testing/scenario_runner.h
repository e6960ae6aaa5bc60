// Runs `wascc test` scenarios: loads the actors on a fresh host (claims checked as `wascc
// run` does), binds them (in-memory providers unless a URL names a real server), performs each
// step and checks its expectations. Nothing a scenario does can take the runner down: a
// scenario that cannot start is reported as failed with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wascc/engine/limits.h"
#include "wascc/testing/expectations.h"
#include "wascc/testing/scenario.h"

namespace wascc::scenario_runner {

struct StepResult {
  std::string name;
  std::string where;
  std::vector<expectations::Mismatch> mismatches;  // empty: passed
  double seconds = 0;
  bool passed() const { return mismatches.empty(); }
};

struct ScenarioResult {
  std::string file;
  std::string name;
  std::string where;
  std::optional<std::string> setup_error;  // the scenario could not run (counts as one failure)
  std::vector<StepResult> steps;
  double seconds = 0;
  size_t failures() const;
};

struct Options {
  std::string engine = "auto";
  std::vector<std::string> allowed_issuers;  // besides the scenario's own allow_issuers
  std::vector<std::string> revoked;
  limits::Limits limits;  // per call of every actor in the scenario
  uint64_t now = 0;       // for exp/nbf (0: the clock)
};

ScenarioResult run(const scenario::Scenario& scenario, const Options& options);

// A file that could not be loaded, as a failed result (file and line in the message).
ScenarioResult unloadable(const std::string& file, const std::string& error);

}  // namespace wascc::scenario_runner
