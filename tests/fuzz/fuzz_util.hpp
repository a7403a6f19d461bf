// Helpers shared by the fuzz targets: an invariant check that stops the fuzzer with a message, a
// reader of option bytes at the front of an input, an in-memory file that the code under test
// opens by path, and checks that recur (valid UTF-8, valid JSON).
//
// Every target is built two ways (tests/fuzz/CMakeLists.txt): with libFuzzer under clang
// (scripts/fuzz), and with replay_main.cpp in the normal build, where ctest replays the seed
// corpus and the regression inputs. So this header uses nothing but the standard library, POSIX
// and the engine.
#pragma once

#include <sys/mman.h>
#include <unistd.h>
#include <feedloop/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "feedloop/text/utf8.hpp"

namespace feedloop::fuzz {

// Reports a broken invariant and aborts, so that libFuzzer keeps the input as a crash.
[[noreturn]] inline void Fail(const char* condition, const char* file, int line,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n  %s\n", file, line, condition,
               detail.c_str());
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(condition, detail)                                                   \
  do {                                                                                  \
    if (!(condition)) ::feedloop::fuzz::Fail(#condition, __FILE__, __LINE__, (detail)); \
  } while (0)

// Takes option bytes off the front of the input; what remains is the payload.
class Input {
 public:
  Input(const uint8_t* data, size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  // The next byte, or 0 once the input is used up.
  uint8_t Byte() {
    if (pos_ >= size_) return 0;
    return static_cast<uint8_t>(data_[pos_++]);
  }
  // Up to `n` bytes as a string (fewer at the end of the input).
  std::string_view Take(size_t n) {
    n = std::min(n, size_ - pos_);
    std::string_view s(data_ + pos_, n);
    pos_ += n;
    return s;
  }
  // Everything not taken yet.
  std::string_view Rest() const { return std::string_view(data_ + pos_, size_ - pos_); }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

// A file in memory (memfd) holding `bytes`, opened by path as /proc/self/fd/N: the code under test
// reads it like any file, and nothing touches the disk.
class MemFile {
 public:
  explicit MemFile(std::string_view bytes) {
    fd_ = ::memfd_create("feedloop-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) Fail("memfd_create", __FILE__, __LINE__, "cannot create an in-memory file");
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) Fail("write", __FILE__, __LINE__, "cannot fill the in-memory file");
      done += static_cast<size_t>(n);
    }
    ::lseek(fd_, 0, SEEK_SET);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  int fd() const { return fd_; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

inline bool ValidUtf8(std::string_view s) {
  return !text::FindInvalidUtf8(s).has_value();
}

// A printable, bounded view of bytes for failure messages.
inline std::string Show(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 300)) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > 300) out += "...";
  return out;
}

// Parses `text` as JSON with the SDK's reader; returns false (and the reason) when it is not.
inline bool ParsesAsJson(std::string_view text, json::Value* out, std::string* why) {
  try {
    *out = json::Parser(text, 256).Parse();
    return true;
  } catch (const json::Error& e) {
    *why = e.what();
    return false;
  }
}

}  // namespace feedloop::fuzz
