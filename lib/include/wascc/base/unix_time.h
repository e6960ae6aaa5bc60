// Times in tokens: seconds since the Unix epoch, "now" (pinnable for reproducible runs),
// the relative phrases wascap prints ("in 16m", "8h ago") and the time specs the signer takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wascc/base/result.h"

namespace wascc::unix_time {

// The system clock. The library reads no environment: tools pin the time from $WASCC_NOW for
// reproducible tokens and reports (tools/common/environment.h) and pass it in their options.
uint64_t now();

// humantime-style duration of |now - t| rounded down to days, hours or minutes as wascap
// does, with "in " or " ago": "in 16m", "8h ago", "3years 3months 7days 22h 19m 12s ago".
std::string relative_phrase(uint64_t t, uint64_t now);

std::string expires_phrase(std::optional<uint64_t> exp, uint64_t now);      // "never" if absent
std::string can_be_used_phrase(std::optional<uint64_t> nbf, uint64_t now);  // "immediately"

// "2026-11-27T04:18:26Z".
std::string iso8601_utc(uint64_t t);

// A signer's time flag: a whole number of DAYS from `now` ("30"), an absolute UTC date
// ("2027-01-01") or date-time ("2027-01-01T12:00:00Z"), or "@SECONDS" since the epoch.
Result<uint64_t> parse_time_spec(std::string_view text, uint64_t now);

}  // namespace wascc::unix_time
