// The SDK's inline byte helpers (feedloop/bytes.hpp) against the libc calls they replace, at every
// length around their 4- and 8-byte load boundaries.
#include <gtest/gtest.h>
#include <feedloop/bytes.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <string>

namespace {

using feedloop::bytes::Equal;
using feedloop::bytes::Hash;
using feedloop::bytes::LoadTail;

std::string RandomBytes(std::mt19937& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

TEST(SdkBytes, LoadTailIsTheBytesZeroExtended) {
  std::mt19937 rng(7);
  for (size_t n = 0; n < 8; ++n) {
    for (int round = 0; round < 50; ++round) {
      // The bytes fill a heap block of their size: a load past them is a fault under ASan.
      std::string s = RandomBytes(rng, n);
      std::unique_ptr<char[]> block(new char[n]);
      std::memcpy(block.get(), s.data(), n);
      uint64_t want = 0;
      std::memcpy(&want, s.data(), n);
      EXPECT_EQ(LoadTail(block.get(), n), want) << "n=" << n;
    }
  }
}

TEST(SdkBytes, EqualAgreesWithMemcmpAtEveryLengthAndPosition) {
  std::mt19937 rng(11);
  for (size_t n = 0; n <= 40; ++n) {
    std::string a = RandomBytes(rng, n);
    std::string b = a;
    EXPECT_TRUE(Equal(a.data(), b.data(), n)) << "n=" << n;
    EXPECT_TRUE(Equal(std::string_view(a), std::string_view(b)));
    for (size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ (1 << (i % 8)));
      EXPECT_FALSE(Equal(a.data(), c.data(), n)) << "n=" << n << " differs at " << i;
      EXPECT_EQ(std::memcmp(a.data(), c.data(), n) == 0, Equal(a.data(), c.data(), n));
    }
  }
  EXPECT_FALSE(Equal(std::string_view("ab"), std::string_view("abc")));
}

TEST(SdkBytes, HashIsNeverZeroAndSeesEveryByteAndTheLength) {
  std::mt19937 rng(13);
  for (size_t n = 0; n <= 40; ++n) {
    std::string a = RandomBytes(rng, n);
    EXPECT_NE(Hash(a), 0u);
    EXPECT_EQ(Hash(a), Hash(std::string(a)));  // a copy hashes the same
    std::set<uint64_t> seen{Hash(a)};
    for (size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ 0x20);
      EXPECT_TRUE(seen.insert(Hash(c)).second) << "n=" << n << " byte " << i << " not hashed";
    }
  }
  // Zero bytes count: strings of NULs of different lengths differ.
  std::set<uint64_t> zeros;
  for (size_t n = 0; n <= 24; ++n) EXPECT_TRUE(zeros.insert(Hash(std::string(n, '\0'))).second);
}

}  // namespace
