// Result<T>: a value or an Error. Library calls return these and never print or exit;
// only tools turn an Error into a message and an exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wascc {

enum class ErrorKind {
  Input,    // the input is malformed (bad wasm, bad base64, bad key): exit 2 in tools
  Io,       // a file could not be read or written: exit 2
  Invalid,  // well-formed but fails a check (bad signature, expired): exit 1
};

struct Error {
  ErrorKind kind = ErrorKind::Input;
  std::string message;
  // Byte offset into a binary input, when the error has one (printed as %08x, like WABT).
  std::optional<uint64_t> offset;
};

inline Error input_error(std::string message, std::optional<uint64_t> offset = std::nullopt) {
  return Error{ErrorKind::Input, std::move(message), offset};
}
inline Error io_error(std::string message) { return Error{ErrorKind::Io, std::move(message), {}}; }
inline Error invalid_error(std::string message) { return Error{ErrorKind::Invalid, std::move(message), {}}; }

// A unit value for Result<Unit>, the result of an operation that only succeeds or fails.
struct Unit {};

// E is the error type: Error for most calls; richer types where callers branch on the kind
// of failure (a guest call's CallFailure).
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace wascc
