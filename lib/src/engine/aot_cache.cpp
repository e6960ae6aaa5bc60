#include "wascc/engine/aot_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace wascc::aot_cache {
namespace {

namespace fs = std::filesystem;

uint64_t size_of(const std::string& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  return error ? 0 : size;
}

int64_t last_used_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return std::max<int64_t>(info.st_atime, info.st_mtime);
}

}  // namespace

Result<std::vector<Entry>> list(const std::string& directory) {
  std::vector<Entry> entries;
  std::error_code error;
  if (!fs::exists(directory, error)) return entries;
  for (const auto& item : fs::directory_iterator(directory, error)) {
    const auto path = item.path();
    if (path.extension() != ".so") continue;
    Entry entry;
    entry.key = path.stem().string();
    entry.path = path.string();
    entry.bytes = size_of(entry.path) + size_of((path.parent_path() / (entry.key + ".sum")).string());
    entry.last_used = last_used_of(entry.path);
    entries.push_back(std::move(entry));
  }
  if (error) return io_error(directory + ": cannot list: " + error.message());
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.last_used != b.last_used ? a.last_used > b.last_used : a.key < b.key;
  });
  return entries;
}

Result<Cleaned> trim(const std::string& directory, uint64_t max_bytes, const std::string& keep) {
  auto entries = list(directory);
  if (!entries) return entries.error();
  Cleaned cleaned;
  for (const auto& entry : *entries) cleaned.bytes_left += entry.bytes;
  std::error_code error;
  // Oldest last in the list: remove from the end while over the cap.
  for (auto entry = entries->rbegin(); entry != entries->rend() && cleaned.bytes_left > max_bytes; ++entry) {
    if (entry->key == keep) continue;
    const fs::path so(entry->path);
    fs::remove(so.parent_path() / (entry->key + ".sum"), error);  // the checksum first: a lone .so is never loaded
    if (!fs::remove(so, error) || error) continue;
    ++cleaned.removed;
    cleaned.bytes_freed += entry->bytes;
    cleaned.bytes_left -= entry->bytes;
  }
  if (max_bytes == 0 && fs::exists(directory, error)) {
    // Leftovers of interrupted compiles (aot_compiler's build-XXXXXX); a recent one may be a
    // compile in progress in another process.
    const int64_t an_hour_ago = static_cast<int64_t>(::time(nullptr)) - 3600;
    for (const auto& item : fs::directory_iterator(directory, error)) {
      const auto name = item.path().filename().string();
      if (name.rfind("build-", 0) == 0 && last_used_of(item.path().string()) < an_hour_ago)
        fs::remove_all(item.path(), error);
    }
  }
  return cleaned;
}

}  // namespace wascc::aot_cache
