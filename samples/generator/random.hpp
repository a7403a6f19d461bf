// Deterministic randomness for the sample generator: xoshiro256** seeded through splitmix64, and
// integer-only distributions. The standard library's distributions are implementation-defined
// and floating point can round differently across compilers, so nothing here uses either: the
// same seed gives the same bytes on every machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace feedloop::samples {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A seed for an independent stream named `label`, so that changing how one file is generated
// does not shift the random numbers of the others.
inline uint64_t StreamSeed(uint64_t seed, std::string_view label) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
  for (char c : label) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  uint64_t state = seed ^ h;
  return SplitMix64(state);
}

// A probability in units of 1/10000 ("basis points"), fixed at compile time.
consteval uint32_t Pct(double percent) {
  return static_cast<uint32_t>(percent * 100.0 + 0.5);
}

// xoshiro256** (Blackman & Vigna). Not thread-safe; one instance per stream.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), without modulo bias. n must be > 0.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    while (true) {
      uint64_t r = Next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi], both included.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  int64_t Between64(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability per_10k / 10000 (see Pct).
  bool Chance(uint32_t per_10k) { return Below(10000) < per_10k; }

  // An index drawn with the given integer weights (at least one must be positive).
  size_t Weighted(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t r = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

  template <class T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }
  template <class T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace feedloop::samples
