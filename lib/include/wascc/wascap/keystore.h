// Where signing keys come from: a seed given directly, a seed file, or wash's key directory
// ($WASH_KEYS or ~/.wash/keys, which the tools find: tools/common/environment.h), where
// missing keys are generated on first use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wascc/wascap/nkeys.h"
#include "wascc/base/result.h"

namespace wascc::keystore {

// wash's file names: "<user>_account.nk", "<stem>_module.nk", "<stem>_service.nk".
// A module from stdin ("-") has no stem: its key is named after `name`, which it then needs.
std::string account_key_file_name(std::string_view user);
Result<std::string> subject_key_file_name(std::string_view module_path, bool provider, std::string_view name = {});

// A key given on the command line: "@PATH" reads a seed file; otherwise an existing file is
// read (wash tries a path first) and anything else is taken as the seed itself. Surrounding
// whitespace is ignored. `what` names the flag in errors ("--issuer").
Result<nkeys::KeyPair> key_from_argument(std::string_view argument, std::string_view what);

struct StoredKey {
  nkeys::KeyPair key;
  std::string path;
  bool generated = false;
};

// Loads `directory/file_name`, or when it is missing and `allow_generate`, generates a key
// of `type` and saves it (directory 0700, file 0600, the seed without a newline, as wash).
Result<StoredKey> load_or_generate(const std::string& directory, const std::string& file_name, nkeys::KeyType type,
                                   bool allow_generate);

}  // namespace wascc::keystore
