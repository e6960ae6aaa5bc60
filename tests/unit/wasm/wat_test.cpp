#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/wasm/custom_sections.h"
#include "wascc/wasm/module.h"
#include "wascc/wasm/module_build.h"
#include "wascc/wasm/optimizer.h"
#include "wascc/wasm/wat.h"

using namespace wascc;

namespace {

constexpr const char* kAdd =
    "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";

}  // namespace

TEST_CASE("compile: WAT to a binary WABT accepts") {
  auto binary = wat::compile(as_bytes(kAdd), "add.wat", {});
  REQUIRE(binary.ok());
  CHECK(wat::looks_binary(*binary));
  CHECK(wat::validate_binary(*binary, "add.wasm", {}).ok());
  auto layout = module::read_layout(*binary);
  REQUIRE(layout.ok());
  CHECK(layout->sections.size() == 4);  // type, function, export, code
}

TEST_CASE("compile reports every error with file:line:col, the line and a caret") {
  const char* text =
      "(module\n"
      "  (func (result i32) i64.const 1)\n"
      "  (func (call $missing)))\n";
  auto binary = wat::compile(as_bytes(text), "two.wat", {});
  REQUIRE_FALSE(binary.ok());
  CHECK(binary.error().kind == ErrorKind::Invalid);
  CHECK(binary.error().message ==
        "two.wat:3:15: error: undefined function variable \"$missing\"\n"
        "  (func (call $missing)))\n"
        "              ^^^^^^^^");
  auto mismatch = wat::compile(as_bytes("(module\n (func (result i32) i64.const 1)\n (func (result i32) f32.const 1))"),
                               "m.wat", {});
  REQUIRE_FALSE(mismatch.ok());
  const std::string& message = mismatch.error().message;
  CHECK(message.find("m.wat:2:21: error: type mismatch") == 0);
  CHECK(message.find("m.wat:3:21: error: type mismatch") != std::string::npos);
}

TEST_CASE("feature overrides reach WABT; unknown names are refused") {
  const char* simd = "(module (func (result v128) v128.const i64x2 1 2))";
  CHECK(wat::compile(as_bytes(simd), "s.wat", {}).ok());
  wasm_features::FeatureSet no_simd;
  no_simd.overrides["simd"] = false;
  CHECK_ERROR_STARTS_WITH(wat::compile(as_bytes(simd), "s.wat", no_simd),
                          "s.wat:1:23: error: value type not allowed: v128\n");
  wasm_features::FeatureSet bogus;
  bogus.overrides["warp-drive"] = true;
  auto refused = wat::compile(as_bytes(kAdd), "a.wat", bogus);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "unknown wasm feature \"warp-drive\"");
  CHECK(wasm_features::known_features().size() == 18);
}

TEST_CASE("validate_binary stops at the first error (WABT 1.0.32 reader pitfall) and names the file") {
  const Bytes bad = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x03,
                     0x02, 0x01, 0x2a, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
  auto status = wat::validate_binary(bad, "bad.wasm", {});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message == "bad.wasm:000000c: error: function type variable out of range: 42 (max 0)");
}

TEST_CASE("to_text and compile round-trip to the same bytes") {
  auto binary = wat::compile(as_bytes(kAdd), "add.wat", {});
  REQUIRE(binary.ok());
  auto text = wat::to_text(*binary, "add.wasm", {});
  REQUIRE(text.ok());
  auto again = wat::compile(as_bytes(*text), "add2.wat", {});
  REQUIRE(again.ok());
  CHECK(*again == *binary);
}

TEST_CASE("optimizer levels as wasm-opt spells them") {
  CHECK(optimizer::parse_level("")->name == "-O");
  CHECK(optimizer::parse_level("s")->shrink == 1);
  CHECK(optimizer::parse_level("z")->shrink == 2);
  CHECK(optimizer::parse_level("3")->optimize == 3);
  CHECK_ERROR(optimizer::parse_level("5"), "unknown optimization level -O5: use -O, -O0..-O4, -Os or -Oz");
  CHECK_ERROR(optimizer::parse_level("fast"), "unknown optimization level -Ofast: use -O, -O0..-O4, -Os or -Oz");
}

TEST_CASE("build: optimize folds constants and the result validates; strip drops debug sections") {
  const char* foldable = "(module (func (export \"f\") (result i32) i32.const 1 i32.const 2 i32.add))";
  module_build::Options options;
  options.optimize = *optimizer::parse_level("3");
  options.strip_debug = true;
  auto built = module_build::build(as_bytes(foldable), "f.wat", options);
  REQUIRE(built.ok());
  REQUIRE(built->steps.size() == 4);
  CHECK(built->steps[0].name == "input (text)");
  CHECK(built->steps[2].name == "optimized -O3");
  CHECK(wat::validate_binary(built->bytes, "f.wasm", {}).ok());
  auto text = wat::to_text(built->bytes, "f.wasm", {});
  REQUIRE(text.ok());
  CHECK(text->find("i32.const 3") != std::string::npos);
  CHECK(text->find("i32.add") == std::string::npos);

  module_build::Options print;
  print.print_text = true;
  auto printed = module_build::build(built->bytes, "f.wasm", print);
  REQUIRE(printed.ok());
  CHECK(as_text(printed->bytes).find("(module") == 0);
}

TEST_CASE("remove_debug_sections keeps everything else byte for byte") {
  auto binary = wat::compile(as_bytes(kAdd), "add.wat", {});
  REQUIRE(binary.ok());
  Bytes named = custom_sections::append(*binary, "name", Bytes{0, 0});
  named = custom_sections::append(named, ".debug_info", Bytes{1});
  named = custom_sections::append(named, "keep_me", Bytes{2});
  auto layout = module::read_layout(named);
  REQUIRE(layout.ok());
  Bytes stripped = custom_sections::remove_debug_sections(named, *layout);
  CHECK(stripped == custom_sections::append(*binary, "keep_me", Bytes{2}));
  CHECK(custom_sections::is_debug_section_name("producers"));
  CHECK_FALSE(custom_sections::is_debug_section_name("jwt"));
}

TEST_CASE("WABT 1.0.32's parser throwing on malformed text is an error of the input, not a crash") {
  // fuzz/wat.cpp found it: an annotation token whose text WABT cannot build (std::length_error).
  auto text = read_file_or_stdin(std::string(WASCC_TEST_DATA_DIR) + "/regress/wabt-1.0.32-parser-throws.wat");
  REQUIRE(text.ok());
  CHECK_ERROR(wat::compile(*text, "found.wat", {}),
              "found.wat: error: the WAT parser failed on malformed input (basic_string::_M_create)");
}
