// An Aho-Corasick automaton over stem ids: every pattern of a taxonomy (phrases, negated
// phrases, proximity terms, exclusions) becomes one path, so one pass over an item's tokens finds
// every occurrence of every pattern, whatever their number. Transitions out of the root are an
// array indexed by stem id; the others sit in one hash table keyed by (state, stem id).
// Immutable after Build; safe to read from several threads.
#pragma once

#include <cstdint>
#include <vector>

#include "flat_map.hpp"

namespace feedloop::taxonomy {

class Automaton {
 public:
  // `patterns[p]` is the stem-id sequence of pattern p (ids in 1..stem_count, none empty).
  void Build(const std::vector<std::vector<uint32_t>>& patterns, uint32_t stem_count);

  static constexpr uint32_t kRoot = 0;

  // The state after reading `stem` in `state` (stem 0, an unknown word, returns to the root).
  uint32_t Next(uint32_t state, uint32_t stem) const {
    if (stem == 0) return kRoot;
    while (state != kRoot) {
      if (uint32_t n = edges_.Find(Key(state, stem))) return n;
      state = fail_[state];
    }
    return root_next_[stem];
  }

  // Calls fn(pattern) for every pattern that ends in `state`.
  template <class Fn>
  void ForEachOutput(uint32_t state, Fn&& fn) const {
    uint32_t s = out_begin_[state] != out_begin_[state + 1] ? state : dict_[state];
    while (s != kRoot) {
      for (uint32_t i = out_begin_[s]; i < out_begin_[s + 1]; ++i) fn(outputs_[i]);
      s = dict_[s];
    }
  }
  bool HasOutput(uint32_t state) const { return has_output_[state] != 0; }

  size_t state_count() const { return fail_.size(); }

 private:
  static uint64_t Key(uint32_t state, uint32_t stem) {
    return (static_cast<uint64_t>(state) << 32) | stem;
  }

  std::vector<uint32_t> root_next_;  // stem id -> state (0: stay at the root)
  FlatU64Map edges_;                 // (state, stem) -> state, for states other than the root
  std::vector<uint32_t> fail_;       // longest proper suffix that is a state
  std::vector<uint32_t> dict_;       // nearest state on the fail chain that ends a pattern
  std::vector<uint32_t> out_begin_;  // outputs of state s: outputs_[out_begin_[s], out_begin_[s+1])
  std::vector<uint32_t> outputs_;
  std::vector<uint8_t> has_output_;  // a pattern ends here or on the fail chain
};

}  // namespace feedloop::taxonomy
