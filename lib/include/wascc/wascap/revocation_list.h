// Revocation lists (--revocations FILE): the subjects (M..., V...) and token ids (jti) a host or
// a deploy gate refuses. Text: one entry per line, `#` starts a comment, blank lines ignored.
// JSON (a file whose first non-blank character is `[` or `{`): an array of strings, or an
// object {"revoked": [...]}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/result.h"

namespace wascc::revocation_list {

// Errors name the file and line ("revoked.txt:3: ...").
Result<std::vector<std::string>> parse(std::string_view text, const std::string& source);
Result<std::vector<std::string>> read(const std::string& path);

}  // namespace wascc::revocation_list
