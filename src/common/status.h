// Status: the one error type that crosses module boundaries.
//
// Modelled on LevelDB's Status: named constructors, cheap to copy when OK,
// and a message that says what was wrong and where. Third-party code that
// throws is caught at its adapter and turned into a Status.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace loupe {

class Status {
 public:
  // The codes map to OTLP answers in exactly one place (ingest/).
  enum class Code {
    kOk = 0,
    kInvalidArgument,    // the input is malformed: permanent, never retried
    kNotFound,
    kAlreadyExists,
    kResourceExhausted,  // a queue or memory budget is full: retryable
    kTooLarge,           // a body or message over its size limit
    kUnavailable,        // shutting down, or a downstream is out: retryable
    kFailedPrecondition,
    kIoError,
    kInternal,
  };

  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {Code::kResourceExhausted, std::move(msg)}; }
  static Status TooLarge(std::string msg) { return {Code::kTooLarge, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {Code::kFailedPrecondition, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // True for the codes a client may retry (throttling, shutdown).
  bool retryable() const {
    return code_ == Code::kResourceExhausted || code_ == Code::kUnavailable;
  }

  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

}  // namespace loupe

// Returns from the enclosing function when `expr` is not OK.
#define LOUPE_RETURN_IF_ERROR(expr)       \
  do {                                    \
    ::loupe::Status _loupe_st = (expr);   \
    if (!_loupe_st.ok()) return _loupe_st; \
  } while (0)
