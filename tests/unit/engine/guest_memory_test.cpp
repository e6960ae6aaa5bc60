// The host's bounds checks on guest memory, at their exact edges: every host function that
// takes a pointer and a length from a guest goes through these two.
#include <doctest/doctest.h>

#include "check_error.h"

#include <vector>

#include "wascc/engine/engine.h"

using namespace wascc;

namespace {

class VectorMemory final : public engine::GuestMemory {
 public:
  explicit VectorMemory(size_t size) : bytes_(size) {}
  uint8_t* data() override { return bytes_.data(); }
  uint64_t size() const override { return bytes_.size(); }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace

TEST_CASE("guest memory: a read or write may end at the last byte, not one past it") {
  VectorMemory memory(65536);
  CHECK(memory.read(65534, 2, "x").ok());
  CHECK(memory.read(65536, 0, "x").ok());
  CHECK_ERROR(memory.read(65535, 2, "x"), "x: reading 2 bytes at 0x0000ffff overruns guest memory of 65536 bytes");
  CHECK_ERROR(memory.read(65537, 0, "x"), "x: reading 0 bytes at 0x00010001 overruns guest memory of 65536 bytes");
  CHECK_ERROR(memory.read(0xffffffff, 2, "x"),
              "x: reading 2 bytes at 0xffffffff overruns guest memory of 65536 bytes");  // no 32-bit wrap

  const std::vector<uint8_t> two = {1, 2};
  CHECK(memory.write(65534, ByteView(two.data(), two.size()), "y").ok());
  CHECK(memory.read(65534, 2, "y")->back() == 2);
  CHECK_ERROR(memory.write(65535, ByteView(two.data(), two.size()), "y"),
              "y: writing 2 bytes at 0x0000ffff overruns guest memory of 65536 bytes");
}
