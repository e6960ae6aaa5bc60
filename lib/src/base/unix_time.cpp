#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "wascc/base/unix_time.h"

namespace wascc::unix_time {
namespace {

constexpr uint64_t kDay = 86400;
constexpr uint64_t kHour = 3600;
constexpr uint64_t kMinute = 60;
// humantime's calendar: a year is 365.25 days, a month 30.44 days.
constexpr uint64_t kYear = 31557600;
constexpr uint64_t kMonth = 2630016;

Result<uint64_t> parse_unsigned(std::string_view text) {
  if (text.empty() || text.size() > 19) return input_error("not a number");
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return input_error("not a number");
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

void append_piece(std::string& out, uint64_t value, const char* unit, bool plural) {
  if (value == 0) return;
  if (!out.empty()) out += ' ';
  out += std::to_string(value) + unit;
  if (plural && value > 1) out += 's';
}

}  // namespace

uint64_t now() { return static_cast<uint64_t>(std::time(nullptr)); }

std::string relative_phrase(uint64_t t, uint64_t now) {
  uint64_t diff = now > t ? now - t : t - now;
  if (diff >= kDay) {
    diff -= diff % kDay;
  } else if (diff >= kHour) {
    diff -= diff % kHour;
  } else if (diff >= kMinute) {
    diff -= diff % kMinute;
  }
  std::string text;
  append_piece(text, diff / kYear, "year", true);
  uint64_t rest = diff % kYear;
  append_piece(text, rest / kMonth, "month", true);
  rest %= kMonth;
  append_piece(text, rest / kDay, "day", true);
  rest %= kDay;
  append_piece(text, rest / kHour, "h", false);
  append_piece(text, rest % kHour / kMinute, "m", false);
  append_piece(text, rest % kMinute, "s", false);
  if (text.empty()) text = "0s";
  return now > t ? text + " ago" : "in " + text;
}

std::string expires_phrase(std::optional<uint64_t> exp, uint64_t now) {
  return exp ? relative_phrase(*exp, now) : "never";
}

std::string can_be_used_phrase(std::optional<uint64_t> nbf, uint64_t now) {
  return nbf ? relative_phrase(*nbf, now) : "immediately";
}

std::string iso8601_utc(uint64_t t) {
  std::time_t seconds = static_cast<std::time_t>(t);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

Result<uint64_t> parse_time_spec(std::string_view text, uint64_t now) {
  auto bad = [&] {
    return input_error("\"" + std::string(text) +
                       "\" is not a time: give days from now (30), a UTC date (2027-01-31), "
                       "a date-time (2027-01-31T12:00:00Z) or @SECONDS since the epoch");
  };
  if (!text.empty() && text[0] == '@') {
    auto seconds = parse_unsigned(text.substr(1));
    if (!seconds) return bad();
    return seconds;
  }
  if (auto days = parse_unsigned(text)) {
    if (*days > 1000000) return bad();
    return now + *days * kDay;
  }
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int used = 0;
  std::string owned(text);
  if (std::sscanf(owned.c_str(), "%4u-%2u-%2u%n", &year, &month, &day, &used) != 3) return bad();
  if (static_cast<size_t>(used) != owned.size()) {
    int more = 0;
    if (std::sscanf(owned.c_str() + used, "T%2u:%2u:%2uZ%n", &hour, &minute, &second, &more) != 3 ||
        static_cast<size_t>(used + more) != owned.size()) {
      return bad();
    }
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  int64_t days = days_from_civil(year, month, day);
  return static_cast<uint64_t>(days) * kDay + hour * kHour + minute * kMinute + second;
}

}  // namespace wascc::unix_time
