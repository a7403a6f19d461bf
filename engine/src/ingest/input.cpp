#include "feedloop/ingest/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "feedloop/core/hash.hpp"

namespace feedloop::ingest {

Result<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
  std::unique_ptr<InputFile> f(new InputFile());
  f->path_ = path;
  if (path == "-") {
    f->fd_ = STDIN_FILENO;
    return f;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::NotFound(path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return Status::InvalidInput(path + ": is a directory, not a file");
  f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd_ < 0) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  f->owns_ = true;
  if (S_ISREG(st.st_mode)) f->size_ = st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(f->fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return f;
}

InputFile::~InputFile() {
  if (owns_ && fd_ >= 0) ::close(fd_);
}

std::string_view InputFile::Peek(size_t size) {
  while (peeked_.size() < size) {
    char buf[4096];
    size_t n = ReadFd(buf, std::min(sizeof(buf), size - peeked_.size()));
    if (n == 0) break;
    peeked_.append(buf, n);
  }
  return peeked_;
}

size_t InputFile::Read(char* buf, size_t size) {
  if (peeked_at_ < peeked_.size()) {
    size_t n = std::min(size, peeked_.size() - peeked_at_);
    std::memcpy(buf, peeked_.data() + peeked_at_, n);
    peeked_at_ += n;
    return n;
  }
  return ReadFd(buf, size);
}

size_t InputFile::ReadFd(char* buf, size_t size) {
  while (true) {
    ssize_t n = ::read(fd_, buf, size);
    if (n > 0 && read_counter_ != nullptr) read_counter_->fetch_add(n, std::memory_order_relaxed);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    status_ = Status::IoError(path_ + ": read error: " + std::strerror(errno));
    return 0;
  }
}

Result<std::string> HashFile(const std::string& path, int64_t* size) {
  Result<std::unique_ptr<InputFile>> in = InputFile::Open(path);
  if (!in.ok()) return in.status();
  StreamingHash hash;
  std::vector<char> buf(1 << 20);
  int64_t total = 0;
  while (size_t n = (*in)->Read(buf.data(), buf.size())) {
    hash.Update(std::string_view(buf.data(), n));
    total += static_cast<int64_t>(n);
  }
  if (!(*in)->status().ok()) return (*in)->status();
  if (size != nullptr) *size = total;
  return hash.HexDigest();
}

}  // namespace feedloop::ingest
