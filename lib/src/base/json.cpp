#include "wascc/base/json.h"

#include <set>
#include <vector>

#include "base/json_scan.h"
#include "wascc/base/encoding.h"
#include "wascc/base/utf8.h"

namespace wascc::json {
namespace {

using DomBuilder = nlohmann::detail::json_sax_dom_parser<Json>;

// nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
std::string without_prefix(const std::string& text) {
  const auto bracket = text.find("] ");
  return bracket == std::string::npos ? text : text.substr(bracket + 2);
}

// What both SAX handlers below share: the depth count and the one error they report.
class DepthAndError {
 public:
  explicit DepthAndError(size_t max_depth) : max_depth_(max_depth) {}
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception& failure) {
    error_ = without_prefix(failure.what());
    return false;
  }
  const std::string& error() const { return error_; }

 protected:
  bool enter() {
    if (++depth_ <= max_depth_) return true;
    error_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
    return false;
  }
  bool leave() {
    --depth_;
    return true;
  }
  std::string error_;

 private:
  size_t max_depth_;
  size_t depth_ = 0;
};

// Builds the value as nlohmann's own DOM parser does, counting depth on the way and, when
// asked, keeping the keys seen in each open object.
class LimitedBuilder : public DepthAndError {
 public:
  LimitedBuilder(Json& root, const ParseOptions& options)
      : DepthAndError(options.max_depth),
        dom_(root, /*allow_exceptions=*/false),
        reject_duplicates_(options.reject_duplicate_keys) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(Json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& text) { return dom_.number_float(value, text); }
  bool string(Json::string_t& value) { return dom_.string(value); }
  bool binary(Json::binary_t& value) { return dom_.binary(value); }

  bool start_object(size_t elements) {
    if (!enter()) return false;
    if (reject_duplicates_) keys_.emplace_back();
    return dom_.start_object(elements);
  }
  bool key(Json::string_t& name) {
    if (reject_duplicates_ && !keys_.back().insert(name).second) {
      error_ = "duplicate key \"" + name + "\"";
      return false;
    }
    return dom_.key(name);
  }
  bool end_object() {
    if (reject_duplicates_) keys_.pop_back();
    return leave() && dom_.end_object();
  }
  bool start_array(size_t elements) { return enter() && dom_.start_array(elements); }
  bool end_array() { return leave() && dom_.end_array(); }

 private:
  DomBuilder dom_;
  bool reject_duplicates_;
  std::vector<std::set<std::string>> keys_;
};

// The same checks without a DOM: every value is accepted and dropped.
class DepthChecker : public DepthAndError {
 public:
  using DepthAndError::DepthAndError;
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
  bool string(Json::string_t&) { return true; }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(size_t) { return enter(); }
  bool key(Json::string_t&) { return true; }
  bool end_object() { return leave(); }
  bool start_array(size_t) { return enter(); }
  bool end_array() { return leave(); }
};

}  // namespace

Status validate(std::string_view text, size_t max_depth) {
  if (json_scan::is_json(text, max_depth)) return ok_status();
  // nlohmann's verdict (it accepts a little more) and its message.
  DepthChecker checker(max_depth);
  if (!Json::sax_parse(text.begin(), text.end(), &checker)) {
    return input_error(checker.error().empty() ? "not valid JSON" : checker.error());
  }
  return ok_status();
}

Result<Json> parse(std::string_view text, const ParseOptions& options) {
  Json root;
  LimitedBuilder builder(root, options);
  const bool parsed = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!parsed) return input_error(builder.error().empty() ? "not valid JSON" : builder.error());
  return root;
}

void put_bytes(Json& object, const std::string& key, ByteView bytes) {
  if (utf8::is_valid(bytes)) {
    object[key] = std::string(as_text(bytes));
  } else {
    object[key + "_base64"] = encoding::base64_encode(bytes);
  }
}

std::string text_field(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string dump(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace wascc::json
