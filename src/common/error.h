#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace sluice {

// A position in user-supplied text (SQL, CSV, a model file). Lines and columns are 1-based;
// 0 means unknown.
struct SourcePosition {
  std::string file;  // empty for SQL typed on the command line
  int64_t line = 0;
  int64_t column = 0;
};

// Base of every error Sluice throws. `what()` is the complete message a person reads.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input from the user: SQL that does not parse or bind, a value that does not convert,
// a file that cannot be read, a query that does not fit in memory. Caught at the boundary
// (CLI, API) and printed as one message.
class UserError : public Error {
 public:
  UserError(std::string kind, std::string message)
      : Error(kind + " Error: " + message), kind_(std::move(kind)), message_(std::move(message)) {}
  const std::string& kind() const { return kind_; }
  // The message without the "<kind> Error: " prefix.
  const std::string& message() const { return message_; }

 private:
  std::string kind_;
  std::string message_;
};

class ParseError : public UserError {
 public:
  explicit ParseError(std::string message) : UserError("Parser", std::move(message)) {}
};
class BindError : public UserError {
 public:
  explicit BindError(std::string message) : UserError("Binder", std::move(message)) {}
};
// A value that cannot be represented: bad cast, overflow, division by zero.
class ConversionError : public UserError {
 public:
  explicit ConversionError(std::string message) : UserError("Conversion", std::move(message)) {}
};
class OutOfRangeError : public UserError {
 public:
  explicit OutOfRangeError(std::string message) : UserError("Out of Range", std::move(message)) {}
};
class IOError : public UserError {
 public:
  explicit IOError(std::string message) : UserError("IO", std::move(message)) {}
};
class OutOfMemoryError : public UserError {
 public:
  explicit OutOfMemoryError(std::string message) : UserError("Out of Memory", std::move(message)) {}
};
// A request that is valid but not supported (yet).
class NotImplementedError : public UserError {
 public:
  explicit NotImplementedError(std::string message)
      : UserError("Not implemented", std::move(message)) {}
};
// Any other invalid request (bad setting value, wrong argument to an API call).
class InvalidInputError : public UserError {
 public:
  explicit InvalidInputError(std::string message)
      : UserError("Invalid Input", std::move(message)) {}
};

// A query stopped because the user asked (Ctrl-C in the shell, Session::Interrupt).
class InterruptError : public UserError {
 public:
  InterruptError() : UserError("Interrupt", "the query was interrupted") {}
};

// A transient failure of one task (an injected fault, a spill file that could not be read):
// the scheduler re-runs the task from its stage's inputs, up to `task_retries` times, before
// the query fails with the last error.
class RetryableError : public Error {
 public:
  explicit RetryableError(const std::string& message) : Error("Retryable Error: " + message) {}
};

// A broken invariant: a bug in Sluice, never the user's fault.
class InternalError : public Error {
 public:
  explicit InternalError(const std::string& message) : Error("Internal Error: " + message) {}
};

[[noreturn]] void ThrowCheckFailure(const char* condition, const char* file, int line,
                                    const std::string& detail);

}  // namespace sluice

// Checks an internal invariant. The optional format arguments name the values involved:
//   SLUICE_CHECK(idx < size, "idx={} size={}", idx, size);
#define SLUICE_CHECK(cond, ...)                                                        \
  do {                                                                                 \
    if (!(cond)) [[unlikely]] {                                                        \
      ::sluice::ThrowCheckFailure(#cond, __FILE__, __LINE__,                           \
                                  ::sluice::detail::CheckDetail(__VA_ARGS__));         \
    }                                                                                  \
  } while (0)

namespace sluice::detail {
inline std::string CheckDetail() { return {}; }
template <typename... Args>
std::string CheckDetail(fmt::format_string<Args...> f, Args&&... args) {
  return fmt::format(f, std::forward<Args>(args)...);
}
}  // namespace sluice::detail
