// Fast non-cryptographic hashing (xxHash XXH3) for content fingerprints and feature hashing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace feedloop {

uint64_t Hash64(std::string_view data, uint64_t seed = 0);

// A streaming hash for files: Update repeatedly, then Digest. Not thread-safe.
class StreamingHash {
 public:
  StreamingHash();
  ~StreamingHash();
  StreamingHash(const StreamingHash&) = delete;
  StreamingHash& operator=(const StreamingHash&) = delete;
  void Update(std::string_view data);
  std::string HexDigest() const;  // 32 hex digits (XXH3-128)

 private:
  void* state_;
};

std::string Hex64(uint64_t value);

}  // namespace feedloop
