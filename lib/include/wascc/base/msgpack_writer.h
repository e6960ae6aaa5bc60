// A msgpack encoder for the hot paths of the runner (an HTTP request per request, a message
// per delivery), writing the same bytes as actor_codec::encode without building JSON first:
// integers in their smallest form, text as str, bytes as bin.
#pragma once

#include <cstdint>
#include <string_view>

#include "wascc/base/bytes_io.h"

namespace wascc {

class MsgpackWriter {
 public:
  void map_header(uint32_t entries);
  void array_header(uint32_t items);
  void text(std::string_view value);
  void binary(std::string_view value);
  void unsigned_integer(uint64_t value);
  void signed_integer(int64_t value);
  void boolean(bool value) { out_.push_back(value ? 0xc3 : 0xc2); }
  void nil() { out_.push_back(0xc0); }

  // One entry of a map with text keys, key then value.
  void text_entry(std::string_view key, std::string_view value) { text(key), text(value); }
  void binary_entry(std::string_view key, std::string_view value) { text(key), binary(value); }
  void unsigned_entry(std::string_view key, uint64_t value) { text(key), unsigned_integer(value); }
  void signed_entry(std::string_view key, int64_t value) { text(key), signed_integer(value); }

  // Room for `bytes` more, so that a message of known size is written without regrowing.
  void reserve(size_t bytes) { out_.reserve(out_.size() + bytes); }
  Bytes take() { return std::move(out_); }

 private:
  void big_endian(uint64_t value, int bytes);
  void raw(std::string_view value);
  Bytes out_;
};

}  // namespace wascc
