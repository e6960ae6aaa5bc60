#include "wascc/base/metrics.h"

#include <cmath>
#include <cstdio>

namespace wascc::metrics {
namespace {

std::string rendered(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
  }
  return out + "}";
}

// Numbers as Prometheus reads them: integers without a fraction, +Inf spelt so.
std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.9g", value);
  }
  return text;
}

// `base` ({a="1"}) with one more label (le="0.5").
std::string with_label(const std::string& base, const std::string& label) {
  if (base.empty()) return "{" + label + "}";
  return base.substr(0, base.size() - 1) + "," + label + "}";
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

const std::vector<double>& Registry::buckets() {
  static const std::vector<double> bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return bounds;
}

void Registry::describe(const std::string& name, std::string_view type, std::string help) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.type = std::string(type);
  family.help = std::move(help);
}

Registry::Series* Registry::series_of(const std::string& name, const Labels& labels) {
  auto family = families_.find(name);
  if (family == families_.end()) return nullptr;
  auto& series = family->second.series[rendered(labels)];
  if (family->second.type == "histogram" && series.counts.empty()) series.counts.assign(buckets().size(), 0);
  return &series;
}

void Registry::add(const std::string& name, const Labels& labels, double amount) {
  std::lock_guard lock(mutex_);
  if (auto* series = series_of(name, labels)) series->value += amount;
}

void Registry::set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  if (auto* series = series_of(name, labels)) series->value = value;
}

void Registry::observe(const std::string& name, const Labels& labels, double seconds) {
  std::lock_guard lock(mutex_);
  auto* series = series_of(name, labels);
  if (series == nullptr || series->counts.empty()) return;
  const auto& bounds = buckets();
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      ++series->counts[i];
      break;
    }
  }
  ++series->count;
  series->sum += seconds;
}

std::string Registry::exposition() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " " + family.type + "\n";
    for (const auto& [labels, series] : family.series) {
      if (family.type != "histogram") {
        out += name + labels + " " + number(series.value) + "\n";
        continue;
      }
      uint64_t cumulative = 0;
      for (size_t i = 0; i < buckets().size(); ++i) {
        cumulative += series.counts[i];
        out += name + "_bucket" + with_label(labels, "le=\"" + number(buckets()[i]) + "\"") + " " +
               std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket" + with_label(labels, "le=\"+Inf\"") + " " + std::to_string(series.count) + "\n";
      out += name + "_sum" + labels + " " + number(series.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace wascc::metrics
