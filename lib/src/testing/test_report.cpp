#include "wascc/testing/test_report.h"

#include <cstdio>

#include "wascc/base/utf8.h"

namespace wascc::test_report {
namespace {

using scenario_runner::ScenarioResult;
using scenario_runner::StepResult;

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

// XML 1.0 text and attribute values: the five escapes, and characters XML cannot carry
// (controls other than tab and newline) as U+FFFD.
// Bytes that are not UTF-8 (a binary reply) become U+FFFD too: an XML parser refuses them.
std::string xml_escaped(const std::string& raw) {
  const std::string text = utf8::sanitized(raw);
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      default:
        if (c < 0x20) {
          out += "\xef\xbf\xbd";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string mismatch_lines(const StepResult& step, const std::string& indent) {
  std::string out;
  for (const auto& mismatch : step.mismatches) {
    out += indent + mismatch.what + ": expected " + mismatch.expected + "\n";
    out += indent + std::string(mismatch.what.size(), ' ') + "  actual   " + mismatch.actual + "\n";
  }
  return out;
}

}  // namespace

Totals totals(const std::vector<ScenarioResult>& results) {
  Totals out;
  for (const auto& result : results) {
    if (result.setup_error) ++out.failed;
    for (const auto& step : result.steps) ++(step.passed() ? out.passed : out.failed);
  }
  return out;
}

std::string text(const std::vector<ScenarioResult>& results) {
  std::string out;
  for (const auto& result : results) {
    if (result.setup_error) out += "FAIL " + result.name + ": cannot run: " + *result.setup_error + "\n";
    for (const auto& step : result.steps) {
      out += std::string(step.passed() ? "PASS " : "FAIL ") + result.name + " > " + step.name + "\n";
      if (!step.passed()) out += "     at " + step.where + "\n" + mismatch_lines(step, "     ");
    }
  }
  const auto counted = totals(results);
  out += std::to_string(counted.passed) + " passed, " + std::to_string(counted.failed) + " failed\n";
  return out;
}

jwt::Json json(const std::vector<ScenarioResult>& results) {
  jwt::Json scenarios = jwt::Json::array();
  for (const auto& result : results) {
    jwt::Json steps = jwt::Json::array();
    for (const auto& step : result.steps) {
      jwt::Json mismatches = jwt::Json::array();
      for (const auto& mismatch : step.mismatches) {
        mismatches.push_back({{"what", mismatch.what}, {"expected", mismatch.expected}, {"actual", mismatch.actual}});
      }
      steps.push_back({{"name", step.name},
                       {"where", step.where},
                       {"passed", step.passed()},
                       {"seconds", step.seconds},
                       {"mismatches", mismatches}});
    }
    jwt::Json entry = {{"file", result.file},
                       {"name", result.name},
                       {"passed", result.failures() == 0},
                       {"seconds", result.seconds},
                       {"steps", steps}};
    if (result.setup_error) entry["error"] = *result.setup_error;
    scenarios.push_back(entry);
  }
  const auto counted = totals(results);
  return {{"scenarios", scenarios}, {"passed", counted.passed}, {"failed", counted.failed}};
}

std::string junit_xml(const std::vector<ScenarioResult>& results) {
  const auto counted = totals(results);
  double total_seconds = 0;
  size_t errors = 0;
  for (const auto& result : results) {
    total_seconds += result.seconds;
    errors += result.setup_error ? 1 : 0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"wascc test\" tests=\"" + std::to_string(counted.passed + counted.failed) +
         "\" failures=\"" + std::to_string(counted.failed - errors) + "\" errors=\"" + std::to_string(errors) +
         "\" time=\"" + seconds_text(total_seconds) + "\">\n";
  for (const auto& result : results) {
    size_t failed = 0;
    for (const auto& step : result.steps) failed += step.passed() ? 0 : 1;
    const size_t tests = result.steps.size() + (result.setup_error ? 1 : 0);
    out += "  <testsuite name=\"" + xml_escaped(result.name) + "\" tests=\"" + std::to_string(tests) +
           "\" failures=\"" + std::to_string(failed) + "\" errors=\"" + std::string(result.setup_error ? "1" : "0") +
           "\" time=\"" + seconds_text(result.seconds) + "\" file=\"" + xml_escaped(result.file) + "\">\n";
    if (result.setup_error) {
      out += "    <testcase name=\"setup\" classname=\"" + xml_escaped(result.name) + "\" time=\"0.000\">\n";
      out += "      <error type=\"setup\" message=\"" + xml_escaped(*result.setup_error) + "\"/>\n";
      out += "    </testcase>\n";
    }
    for (const auto& step : result.steps) {
      out += "    <testcase name=\"" + xml_escaped(step.name) + "\" classname=\"" + xml_escaped(result.name) +
             "\" time=\"" + seconds_text(step.seconds) + "\"";
      if (step.passed()) {
        out += "/>\n";
        continue;
      }
      const auto& first = step.mismatches.front();
      out += ">\n      <failure type=\"expectation\" message=\"" +
             xml_escaped(first.what + ": expected " + first.expected + ", actual " + first.actual) + "\">" +
             xml_escaped("at " + step.where + "\n" + mismatch_lines(step, "")) + "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace wascc::test_report
