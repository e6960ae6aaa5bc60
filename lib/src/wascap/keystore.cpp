#include "wascc/wascap/keystore.h"

#include "wascc/base/ascii.h"

#include <cctype>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>

#include "wascc/base/bytes_io.h"

namespace wascc::keystore {
namespace {

std::string trimmed(std::string_view text) { return std::string(ascii::trim(text)); }

Result<nkeys::KeyPair> key_from_file(const std::string& path, std::string_view what) {
  auto content = read_file_or_stdin(path);
  if (!content) return content.error();
  std::string seed = trimmed(as_text(*content));
  sodium_memzero(content->data(), content->size());
  auto key = nkeys::KeyPair::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (!key) return input_error(std::string(what) + ": " + path + ": " + key.error().message);
  return key;
}

}  // namespace

std::string account_key_file_name(std::string_view user) { return std::string(user) + "_account.nk"; }

Result<std::string> subject_key_file_name(std::string_view module_path, bool provider, std::string_view name) {
  std::string stem = std::filesystem::path(module_path).stem().string();
  if (module_path == "-") {
    // One key for every piped module would give them all the same identity: name it instead.
    if (name.empty()) {
      return input_error(
          "the module comes from stdin: give --subject (its seed), or --name to keep its key as "
          "<name>" +
          std::string(provider ? "_service.nk" : "_module.nk") + " in the key directory");
    }
    stem.clear();
    for (char c : name) stem.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_');
  }
  return stem + (provider ? "_service.nk" : "_module.nk");
}

Result<nkeys::KeyPair> key_from_argument(std::string_view argument, std::string_view what) {
  if (!argument.empty() && argument[0] == '@') return key_from_file(std::string(argument.substr(1)), what);
  // wash tries a path first, then the text itself as a seed.
  if (std::filesystem::is_regular_file(std::string(argument))) {
    return key_from_file(std::string(argument), what);
  }
  std::string text = trimmed(argument);
  auto key = nkeys::KeyPair::from_seed(text);
  // The most common slip: the public half (A..., M...) where its seed belongs. A public key is
  // not secret, so it may be named in the error.
  auto public_key = key ? Result<nkeys::PublicKey>(input_error("")) : nkeys::decode_public_key(text);
  const std::string shown = public_key ? text.substr(0, 8) : std::string();
  sodium_memzero(text.data(), text.size());
  if (!key) {
    if (public_key) {
      return input_error(std::string(what) + ": " + shown + "... is a public key; signing needs the " +
                         std::string(nkeys::type_name(public_key->type)) + "'s seed (S" + shown.substr(0, 1) +
                         "...), or a file holding it");
    }
    return input_error(std::string(what) + ": not a seed file, nor a valid seed: " + key.error().message);
  }
  return key;
}

Result<StoredKey> load_or_generate(const std::string& directory, const std::string& file_name, nkeys::KeyType type,
                                   bool allow_generate) {
  const std::string path = directory + "/" + file_name;
  if (std::filesystem::exists(path)) {
    auto key = key_from_file(path, "key file");
    if (!key) return key.error();
    return StoredKey{std::move(key.value()), path, false};
  }
  if (!allow_generate) {
    return input_error("no keypair found in " + path + ": supply one as a flag, or drop --disable-keygen");
  }
  auto made = create_directories(directory, 0700);
  if (!made) return made.error();
  auto key = nkeys::KeyPair::generate(type);
  std::string seed = key.seed_text();
  auto written = write_file_atomically(path, as_bytes(seed), 0600);
  sodium_memzero(seed.data(), seed.size());
  if (!written) return written.error();
  return StoredKey{std::move(key), path, true};
}

}  // namespace wascc::keystore
