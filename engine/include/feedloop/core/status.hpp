// Status and Result<T>: how feedloop reports expected failures (bad input, a missing file, a
// plugin refusing) as values. Exceptions are kept for failures that end the operation.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace feedloop {

// An error code plus a message a user can act on. Cheap to copy when OK. Thread-compatible.
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidInput,
    kNotFound,
    kIoError,
    kUsage,
    kPlugin,
    kInternal,
    kStorage
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) {
    return Status(Code::kInvalidInput, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Usage(std::string msg) { return Status(Code::kUsage, std::move(msg)); }
  static Status Plugin(std::string msg) { return Status(Code::kPlugin, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  // The database failed (disk full, locked, corrupt, I/O error): the operation cannot go on.
  static Status Storage(std::string msg) { return Status(Code::kStorage, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

#define FEEDLOOP_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::feedloop::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (0)

}  // namespace feedloop
