// NATS nuid: the 22-character unique id wascap writes as a token's `jti`.
#pragma once

#include <string>

namespace wascc::nuid {

// 12 random base-62 characters followed by a 10-character base-62 sequence, as NATS's nuid.
std::string next();

}  // namespace wascc::nuid
