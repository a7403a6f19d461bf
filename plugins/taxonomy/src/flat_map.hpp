// Small open-addressing hash tables for the taxonomy matcher's hot path: a string-keyed table
// whose keys live in one arena (no allocation per entry) and an integer-keyed table for the
// automaton's transitions. Not thread-safe; each plugin instance owns its own.
#pragma once

#include <feedloop/bytes.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop::taxonomy {

inline uint64_t MixKey(uint64_t k) {
  k ^= k >> 33;
  k *= 0xFF51AFD7ED558CCDull;
  k ^= k >> 33;
  return k;
}

// string -> V. Keys are copied into an arena; lookups take a string_view. `Clear` keeps the
// memory, so a bounded cache that is cleared when full stops allocating once warm.
template <class V>
class FlatStringMap {
 public:
  explicit FlatStringMap(size_t capacity_pow2 = 64) { Reset(capacity_pow2); }

  void Reset(size_t capacity_pow2) {
    slots_.assign(capacity_pow2, Slot{});
    mask_ = capacity_pow2 - 1;
    size_ = 0;
    arena_.clear();
  }
  void Clear() {
    for (Slot& s : slots_) s.tag = 0;
    size_ = 0;
    arena_.clear();
  }
  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }

  const V* Find(std::string_view key, uint64_t hash) const {
    uint32_t tag = Tag(hash);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.tag == 0) return nullptr;
      if (s.tag == tag && s.len == key.size() &&
          bytes::Equal(arena_.data() + s.offset, key.data(), key.size())) {
        return &s.value;
      }
    }
  }
  const V* Find(std::string_view key) const { return Find(key, bytes::Hash(key)); }

  // Inserts or overwrites. Grows when more than half full.
  void Put(std::string_view key, uint64_t hash, const V& value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    uint32_t tag = Tag(hash);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.tag == 0) {
        s.tag = tag;
        s.home = static_cast<uint32_t>(hash);
        s.offset = static_cast<uint32_t>(arena_.size());
        s.len = static_cast<uint32_t>(key.size());
        s.value = value;
        arena_.append(key.data(), key.size());
        ++size_;
        return;
      }
      if (s.tag == tag && s.len == key.size() &&
          bytes::Equal(arena_.data() + s.offset, key.data(), key.size())) {
        s.value = value;
        return;
      }
    }
  }
  void Put(std::string_view key, const V& value) { Put(key, bytes::Hash(key), value); }

 private:
  // Compact, so that a lookup touches one cache line: the hash's high half (never 0; 0 marks an
  // empty slot) to compare, its low half to re-home the slot when the table grows.
  struct Slot {
    uint32_t tag = 0;
    uint32_t home = 0;
    uint32_t offset = 0;
    uint32_t len = 0;
    V value{};
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 0x80000000u; }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.tag == 0) continue;
      for (size_t i = s.home & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].tag == 0) {
          slots_[i] = s;
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::string arena_;
};

// uint64 (never 0) -> uint32. Built once, then read-only. Keys and values sit side by side, so a
// probe touches one cache line.
class FlatU64Map {
 public:
  void Build(const std::vector<std::pair<uint64_t, uint32_t>>& entries) {
    size_t cap = 16;
    while (cap < entries.size() * 2 + 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const auto& [k, v] : entries) {
      for (size_t i = MixKey(k) & mask_;; i = (i + 1) & mask_) {
        if (slots_[i].key == 0 || slots_[i].key == k) {
          slots_[i] = Slot{k, v};
          break;
        }
      }
    }
  }
  // The value, or 0 when absent.
  uint32_t Find(uint64_t key) const {
    for (size_t i = MixKey(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == 0) return 0;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t value = 0;
  };
  std::vector<Slot> slots_{Slot{}};
  size_t mask_ = 0;
};

}  // namespace feedloop::taxonomy
