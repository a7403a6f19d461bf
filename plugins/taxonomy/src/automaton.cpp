#include "automaton.hpp"

#include <unordered_map>

namespace feedloop::taxonomy {

void Automaton::Build(const std::vector<std::vector<uint32_t>>& patterns, uint32_t stem_count) {
  // The trie, with children kept per state for the breadth-first pass.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> children(1);  // state -> (stem, child)
  std::unordered_map<uint64_t, uint32_t> edges;
  std::vector<std::vector<uint32_t>> own(1);  // state -> patterns ending there
  for (uint32_t p = 0; p < patterns.size(); ++p) {
    uint32_t state = kRoot;
    for (uint32_t stem : patterns[p]) {
      uint64_t key = Key(state, stem);
      auto it = edges.find(key);
      if (it != edges.end()) {
        state = it->second;
        continue;
      }
      uint32_t child = static_cast<uint32_t>(children.size());
      children.emplace_back();
      own.emplace_back();
      children[state].emplace_back(stem, child);
      edges.emplace(key, child);
      state = child;
    }
    own[state].push_back(p);
  }

  size_t n = children.size();
  root_next_.assign(stem_count + 1, kRoot);
  for (const auto& [stem, child] : children[kRoot]) root_next_[stem] = child;
  std::vector<std::pair<uint64_t, uint32_t>> deep;
  for (const auto& [key, child] : edges) {
    if ((key >> 32) != kRoot) deep.emplace_back(key, child);
  }
  edges_.Build(deep);

  // Failure and dictionary links, breadth first so a state's fail target is done before it.
  fail_.assign(n, kRoot);
  dict_.assign(n, kRoot);
  std::vector<uint32_t> queue;
  queue.reserve(n);
  for (const auto& [stem, child] : children[kRoot]) queue.push_back(child);
  for (size_t head = 0; head < queue.size(); ++head) {
    uint32_t u = queue[head];
    for (const auto& [stem, v] : children[u]) {
      fail_[v] = Next(fail_[u], stem);
      dict_[v] = !own[fail_[v]].empty() ? fail_[v] : dict_[fail_[v]];
      queue.push_back(v);
    }
  }

  out_begin_.assign(n + 1, 0);
  outputs_.clear();
  for (size_t s = 0; s < n; ++s) {
    out_begin_[s] = static_cast<uint32_t>(outputs_.size());
    outputs_.insert(outputs_.end(), own[s].begin(), own[s].end());
  }
  out_begin_[n] = static_cast<uint32_t>(outputs_.size());
  has_output_.assign(n, 0);
  for (size_t s = 0; s < n; ++s) has_output_[s] = !own[s].empty() || dict_[s] != kRoot;
}

}  // namespace feedloop::taxonomy
