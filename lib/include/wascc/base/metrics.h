// Counters and histograms with labels, rendered in the Prometheus text exposition format
// (version 0.0.4) for `wascc run --metrics`. Thread-safe; a label set is created on first use.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wascc::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  // Declares a family: its HELP text and TYPE ("counter" or "histogram"). Samples of an
  // undeclared name are refused (a typo must not invent a metric).
  void describe(const std::string& name, std::string_view type, std::string help);

  void add(const std::string& name, const Labels& labels, double amount = 1);   // counter
  void set(const std::string& name, const Labels& labels, double value);        // counter read elsewhere
  void observe(const std::string& name, const Labels& labels, double seconds);  // histogram

  std::string exposition() const;

  // Bucket upper bounds of every histogram, in seconds: 100 µs to 10 s.
  static const std::vector<double>& buckets();

 private:
  struct Series {
    double value = 0;              // counter
    std::vector<uint64_t> counts;  // histogram: per bucket (not cumulative)
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string type, help;
    std::map<std::string, Series> series;  // by rendered label set: {a="1",b="2"}
  };
  Series* series_of(const std::string& name, const Labels& labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// The text of a label value as the format escapes it (\\, \", \n).
std::string escape_label_value(std::string_view value);

}  // namespace wascc::metrics
