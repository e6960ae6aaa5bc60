#include "base/json_scan.h"

#include "wascc/base/utf8.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <vector>

namespace wascc::json_scan {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : at_(reinterpret_cast<const unsigned char*>(text.data())), end_(at_ + text.size()) {}

  bool at_end() const { return at_ == end_; }
  bool peek(unsigned char c) const { return at_ != end_ && *at_ == c; }
  bool take(unsigned char c) {
    if (!peek(c)) return false;
    ++at_;
    return true;
  }
  void skip_whitespace() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  // A scalar value (string, number, true, false, null) at the cursor.
  bool scalar() {
    if (at_ == end_) return false;
    switch (*at_) {
      case '"': return string();
      case 't': return word("true");
      case 'f': return word("false");
      case 'n': return word("null");
      default: return number();
    }
  }

  // A run of plain bytes at a time (neither quote, backslash nor control character), checked as
  // UTF-8 in one go; then the escape or the closing quote.
  bool string() {
    if (!take('"')) return false;
    for (;;) {
      const unsigned char* run = at_;
      unsigned char bits = 0;  // any byte of 0x80 or over makes the run worth a UTF-8 check
      for (; at_ != end_ && *at_ != '"' && *at_ != '\\' && *at_ >= 0x20; ++at_) bits |= *at_;
      if ((bits & 0x80) && !utf8::is_valid(ByteView(run, static_cast<size_t>(at_ - run)))) return false;
      if (at_ == end_ || *at_ < 0x20) return false;
      if (take('"')) return true;
      if (!escape()) return false;
    }
  }

  // An object member's name and its colon, whitespace around them skipped.
  bool member_name() {
    if (!string()) return false;
    skip_whitespace();
    if (!take(':')) return false;
    skip_whitespace();
    return true;
  }

 private:
  bool word(std::string_view text) {
    if (static_cast<size_t>(end_ - at_) < text.size()) return false;
    for (char c : text) {
      if (*at_++ != static_cast<unsigned char>(c)) return false;
    }
    return true;
  }

  size_t digits() {
    const unsigned char* start = at_;
    while (at_ != end_ && *at_ >= '0' && *at_ <= '9') ++at_;
    return static_cast<size_t>(at_ - start);
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and finite as a double: nlohmann refuses a
  // number that overflows one ("1e400", or an integer of 400 digits).
  bool number() {
    const unsigned char* start = at_;
    take('-');
    size_t integer_digits = 1;
    if (take('0')) {
      if (at_ != end_ && *at_ >= '0' && *at_ <= '9') return false;
    } else if ((integer_digits = digits()) == 0) {
      return false;
    }
    bool fraction_or_exponent = false;
    if (take('.')) {
      if (digits() == 0) return false;
      fraction_or_exponent = true;
    }
    if (take('e') || take('E')) {
      if (!take('+')) take('-');
      if (digits() == 0) return false;
      fraction_or_exponent = true;
    }
    // An integer of up to 18 digits fits an int64; anything else is checked for overflow (a
    // long one is left to nlohmann, as is an underflow, which from_chars reports and nlohmann
    // accepts as 0).
    if (!fraction_or_exponent && integer_digits <= 18) return true;
    const size_t length = static_cast<size_t>(at_ - start);
    if (length > 64) return false;
    const char* text = reinterpret_cast<const char*>(start);
    double value;
    const auto parsed = std::from_chars(text, text + length, value);
    return parsed.ec == std::errc() && parsed.ptr == text + length && std::isfinite(value);
  }

  // Four hex digits of a \u escape.
  bool hex4(unsigned* value) {
    if (end_ - at_ < 4) return false;
    *value = 0;
    for (int i = 0; i < 4; ++i) {
      const unsigned char c = *at_++;
      unsigned digit;
      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else
        return false;
      *value = *value * 16 + digit;
    }
    return true;
  }

  bool escape() {
    ++at_;  // the backslash
    if (at_ == end_) return false;
    const unsigned char c = *at_++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't': return true;
      case 'u': break;
      default: return false;
    }
    unsigned unit;
    if (!hex4(&unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate first
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    unsigned low;  // a high surrogate needs its low one
    return take('\\') && take('u') && hex4(&low) && low >= 0xDC00 && low <= 0xDFFF;
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

}  // namespace

bool is_json(std::string_view text, size_t max_depth) {
  Scanner scan(text);
  std::vector<bool> open;  // per open container: true for an object
  scan.skip_whitespace();
  for (;;) {
    // A value, opening containers on the way down.
    for (;;) {
      if (scan.peek('{') || scan.peek('[')) {
        const bool object = scan.peek('{');
        if (open.size() >= max_depth) return false;
        scan.take(object ? '{' : '[');
        scan.skip_whitespace();
        if (scan.take(object ? '}' : ']')) break;  // empty: a complete value
        open.push_back(object);
        if (object && !scan.member_name()) return false;
        continue;
      }
      if (!scan.scalar()) return false;
      break;
    }
    // After a value: the next member or element, or containers closing.
    for (;;) {
      scan.skip_whitespace();
      if (open.empty()) return scan.at_end();
      if (scan.take(',')) {
        scan.skip_whitespace();
        if (open.back() && !scan.member_name()) return false;
        break;
      }
      if (!scan.take(open.back() ? '}' : ']')) return false;
      open.pop_back();
    }
  }
}

}  // namespace wascc::json_scan
