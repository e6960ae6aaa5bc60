#include "wascc/base/msgpack_writer.h"

namespace wascc {

void MsgpackWriter::big_endian(uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(value >> shift));
}

void MsgpackWriter::raw(std::string_view value) { out_.insert(out_.end(), value.begin(), value.end()); }

void MsgpackWriter::map_header(uint32_t entries) {
  if (entries < 16) {
    out_.push_back(static_cast<uint8_t>(0x80 | entries));
  } else if (entries <= 0xffff) {
    out_.push_back(0xde);
    big_endian(entries, 2);
  } else {
    out_.push_back(0xdf);
    big_endian(entries, 4);
  }
}

void MsgpackWriter::array_header(uint32_t items) {
  if (items < 16) {
    out_.push_back(static_cast<uint8_t>(0x90 | items));
  } else if (items <= 0xffff) {
    out_.push_back(0xdc);
    big_endian(items, 2);
  } else {
    out_.push_back(0xdd);
    big_endian(items, 4);
  }
}

void MsgpackWriter::text(std::string_view value) {
  const uint64_t size = value.size();
  if (size < 32) {
    out_.push_back(static_cast<uint8_t>(0xa0 | size));
  } else if (size <= 0xff) {
    out_.push_back(0xd9);
    big_endian(size, 1);
  } else if (size <= 0xffff) {
    out_.push_back(0xda);
    big_endian(size, 2);
  } else {
    out_.push_back(0xdb);
    big_endian(size, 4);
  }
  raw(value);
}

void MsgpackWriter::binary(std::string_view value) {
  const uint64_t size = value.size();
  if (size <= 0xff) {
    out_.push_back(0xc4);
    big_endian(size, 1);
  } else if (size <= 0xffff) {
    out_.push_back(0xc5);
    big_endian(size, 2);
  } else {
    out_.push_back(0xc6);
    big_endian(size, 4);
  }
  raw(value);
}

void MsgpackWriter::unsigned_integer(uint64_t value) {
  if (value < 128) {
    out_.push_back(static_cast<uint8_t>(value));
  } else if (value <= 0xff) {
    out_.push_back(0xcc);
    big_endian(value, 1);
  } else if (value <= 0xffff) {
    out_.push_back(0xcd);
    big_endian(value, 2);
  } else if (value <= 0xffffffffu) {
    out_.push_back(0xce);
    big_endian(value, 4);
  } else {
    out_.push_back(0xcf);
    big_endian(value, 8);
  }
}

void MsgpackWriter::signed_integer(int64_t value) {
  if (value >= 0) return unsigned_integer(static_cast<uint64_t>(value));
  if (value >= -32) {
    out_.push_back(static_cast<uint8_t>(value));
  } else if (value >= INT8_MIN) {
    out_.push_back(0xd0);
    big_endian(static_cast<uint64_t>(value), 1);
  } else if (value >= INT16_MIN) {
    out_.push_back(0xd1);
    big_endian(static_cast<uint64_t>(value), 2);
  } else if (value >= INT32_MIN) {
    out_.push_back(0xd2);
    big_endian(static_cast<uint64_t>(value), 4);
  } else {
    out_.push_back(0xd3);
    big_endian(static_cast<uint64_t>(value), 8);
  }
}

}  // namespace wascc
