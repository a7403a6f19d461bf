// InputFile: reads a file or stdin in fixed-size chunks, so that readers work in bounded memory
// whatever the input size.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "feedloop/core/status.hpp"

namespace feedloop::ingest {

// Owns a file descriptor. Not thread-safe.
class InputFile {
 public:
  // "-" is stdin. A directory, a missing or unreadable file is an error naming the path.
  static Result<std::unique_ptr<InputFile>> Open(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads up to `size` bytes; 0 at end of file. Sets status() on an I/O error.
  size_t Read(char* buf, size_t size);
  // The first bytes of the input (up to `size`), without consuming them: the next Reads return
  // them again. For telling a format from its content when the input is a pipe. Only before the
  // first Read.
  std::string_view Peek(size_t size);
  const Status& status() const { return status_; }
  const std::string& path() const { return path_; }
  // Size in bytes when known (regular files), else -1.
  int64_t size() const { return size_; }
  // Adds the bytes read from now on to `counter` (null: stop), which another thread may read
  // (progress of a large file). The counter must outlive the reads.
  void CountReadsInto(std::atomic<int64_t>* counter) { read_counter_ = counter; }

 private:
  InputFile() = default;
  size_t ReadFd(char* buf, size_t size);
  int fd_ = -1;
  bool owns_ = false;
  int64_t size_ = -1;
  std::string path_;
  Status status_;
  std::string peeked_;    // bytes Peek read, not yet returned by Read
  size_t peeked_at_ = 0;  // how many of them Read has returned
  std::atomic<int64_t>* read_counter_ = nullptr;
};

// Hashes a whole file (XXH3-128, hex) to recognise content already ingested.
Result<std::string> HashFile(const std::string& path, int64_t* size);

}  // namespace feedloop::ingest
