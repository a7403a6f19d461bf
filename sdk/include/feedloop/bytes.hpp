// Short byte strings on a plugin's hot path: unaligned loads, equality and a fast 64-bit hash,
// all inline and none calling into libc, for the token norms (mostly under 16 bytes) that
// lexicons and caches look up for every token of every item. Header-only; part of the SDK.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace feedloop::bytes {

// Loads of 4 and 8 bytes at any alignment.
inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Bytes p[0, n), n < 8, as a little-endian integer with zeros above them, read with fixed-size
// loads that stay inside [p, p + n) (a memcpy of a variable length is a libc call).
inline uint64_t LoadTail(const char* p, size_t n) {
  if (n >= 4) {
    return Load4(p) | (Load4(p + n - 4) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return u[0] | (static_cast<uint64_t>(u[n / 2]) << (8 * (n / 2))) |
         (static_cast<uint64_t>(u[n - 1]) << (8 * (n - 1)));
}

// Whether x[0, n) == y[0, n); tails are compared with overlapping fixed-size loads.
inline bool Equal(const char* x, const char* y, size_t n) {
  if (n >= 8) {
    for (; n > 8; x += 8, y += 8, n -= 8) {
      if (Load8(x) != Load8(y)) return false;
    }
    return Load8(x + n - 8) == Load8(y + n - 8);
  }
  if (n >= 4) return Load4(x) == Load4(y) && Load4(x + n - 4) == Load4(y + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}
inline bool Equal(std::string_view x, std::string_view y) {
  return x.size() == y.size() && Equal(x.data(), y.data(), x.size());
}

// A fast 64-bit hash of a short byte string. Never 0, so 0 can mark an empty slot; the low bits
// are fit to index a table. Not for anything stored: its values may change between versions.
inline uint64_t Hash(std::string_view s) {
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x243F6A8885A308D3ull ^ (n * kMul);
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) {
      h = (h ^ Load8(p)) * kMul;
      h ^= h >> 32;
    }
    a = Load8(p + n - 8);
  } else if (n >= 4) {
    a = Load4(p);
    b = Load4(p + n - 4);
  } else if (n > 0) {
    a = static_cast<unsigned char>(p[0]) |
        (static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
        (static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16);
  }
  h = (h ^ a ^ (b << 32)) * kMul;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h != 0 ? h : 1;
}

}  // namespace feedloop::bytes
