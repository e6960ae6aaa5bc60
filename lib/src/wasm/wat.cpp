#include "wascc/wasm/wat.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/error-formatter.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>
#include <wabt/wat-writer.h>

#include <cstdio>
#include <cstring>
#include <exception>

#include "wabt_bridge.h"
#include "wascc/wasm/module.h"

namespace wascc::wat {
namespace {

// WABT's binary reader leaves the file name off some locations ("0000021: error: ...").
std::string with_file_names(const std::string& text, const std::string& filename) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    size_t colon = line.find(':');
    bool bare_offset = colon >= 7 && colon != std::string_view::npos &&
                       line.substr(0, colon).find_first_not_of("0123456789abcdef") == std::string_view::npos;
    if (bare_offset) out += filename + ":";
    out.append(line);
    out += '\n';
    start = end + 1;
  }
  return out;
}

Error diagnostics_error(const wabt::Errors& errors, wabt::Location::Type type, wabt::LexerSourceLineFinder* line_finder,
                        const std::string& filename) {
  std::string text = wabt::FormatErrorsToString(errors, type, line_finder);
  if (type == wabt::Location::Type::Binary) text = with_file_names(text, filename);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty()) text = "invalid module";
  return invalid_error(std::move(text));
}

Bytes to_bytes(const wabt::OutputBuffer& buffer) { return Bytes(buffer.data.begin(), buffer.data.end()); }

// Reads a binary into WABT's IR. The reader stops at the first error: WABT 1.0.32's readers
// corrupt the heap on some modules when asked to continue (see the pitfalls note, item 1).
Result<wabt::Module> read_ir(ByteView wasm, const std::string& filename, const wabt::Features& features,
                             bool read_names) {
  wabt::Errors errors;
  wabt::Module module;
  wabt::ReadBinaryOptions options(features, nullptr, read_names, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), options, &errors, &module))) {
    return diagnostics_error(errors, wabt::Location::Type::Binary, nullptr, filename);
  }
  return module;
}

}  // namespace

bool looks_binary(ByteView bytes) { return bytes.size() >= 4 && std::memcmp(bytes.data(), "\0asm", 4) == 0; }

Result<Bytes> compile(ByteView text, const std::string& filename, const wasm_features::FeatureSet& features) {
  if (auto names = wasm_features::check_names(features); !names) return names.error();
  const wabt::Features wabt_features = wabt_bridge::to_wabt(features);
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer(filename, text.data(), text.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::WastParseOptions parse_options(wabt_features);
  wabt::Result result = wabt::Result::Error;
  try {
    result = wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options);
  } catch (const std::exception& thrown) {
    // WABT 1.0.32's parser can throw on malformed text (a std::length_error from an annotation
    // token's text, found by fuzz/wat.cpp): the input is malformed, not the caller's process.
    return input_error(filename + ": error: the WAT parser failed on malformed input (" + thrown.what() + ")");
  }
  if (wabt::Succeeded(result)) {
    wabt::ValidateOptions validate_options(wabt_features);
    result = wabt::ValidateModule(module.get(), &errors, validate_options);
  }
  if (wabt::Failed(result)) {
    auto line_finder = lexer->MakeLineFinder();
    return diagnostics_error(errors, wabt::Location::Type::Text, line_finder.get(), filename);
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(wabt_features, /*canonicalize_lebs=*/true,
                                         /*relocatable=*/false, /*write_debug_names=*/false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    return invalid_error(filename + ": error: could not write the binary module");
  }
  return to_bytes(stream.output_buffer());
}

Status validate_binary(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features) {
  if (auto names = wasm_features::check_names(features); !names) return names.error();
  // WABT is told to tolerate broken custom sections (real toolchains emit odd ones); the
  // module's structure, custom section names included, must still be sound.
  if (auto layout = module::read_layout(wasm); !layout) {
    char offset[16] = "";
    if (layout.error().offset)
      std::snprintf(offset, sizeof offset, ":%07llx", static_cast<unsigned long long>(*layout.error().offset));
    return invalid_error(filename + offset + ": error: " + layout.error().message);
  }
  const wabt::Features wabt_features = wabt_bridge::to_wabt(features);
  auto module = read_ir(wasm, filename, wabt_features, /*read_names=*/false);
  if (!module) return module.error();
  wabt::Errors errors;
  wabt::ValidateOptions validate_options(wabt_features);
  if (wabt::Failed(wabt::ValidateModule(&module.value(), &errors, validate_options))) {
    return diagnostics_error(errors, wabt::Location::Type::Binary, nullptr, filename);
  }
  return ok_status();
}

Result<std::string> to_text(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features) {
  if (auto valid = validate_binary(wasm, filename, features); !valid) return valid.error();
  auto module = read_ir(wasm, filename, wabt_bridge::to_wabt(features), /*read_names=*/true);
  if (!module) return module.error();
  wabt::MemoryStream stream;
  wabt::WriteWatOptions options;
  if (wabt::Failed(wabt::WriteWat(&stream, &module.value(), options))) {
    return invalid_error(filename + ": error: could not write the text format");
  }
  const auto& data = stream.output_buffer().data;
  return std::string(data.begin(), data.end());
}

}  // namespace wascc::wat
