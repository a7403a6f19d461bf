// Helpers shared by the learn tests: featurize made-up texts with the engine's tokenizer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "feedloop/learn/features.hpp"
#include "feedloop/learn/trainer.hpp"
#include "feedloop/text/tokenizer.hpp"

namespace feedloop::learn::testing {

// Features of `text` as `feedloop train` and the plugin compute them.
inline std::vector<Feature> FeaturesOf(const std::string& text,
                                       const FeatureOptions& options = {}) {
  text::Tokenizer tokenizer;
  text::TokenBuffer tokens;
  tokenizer.Tokenize(text, &tokens);
  FeatureExtractor extractor(options);
  std::vector<Feature> features;
  extractor.Extract(tokens.tokens(), &features);
  return features;
}

// (text, labels) pairs; several labels are separated by '|'.
inline ExampleSet MakeSet(const std::vector<std::pair<std::string, std::string>>& rows,
                          const FeatureOptions& options = {}) {
  ExampleSet set;
  for (const auto& [text, labels] : rows) {
    std::vector<std::string_view> names;
    std::string_view rest = labels;
    while (!rest.empty()) {
      size_t cut = rest.find('|');
      names.push_back(rest.substr(0, cut));
      if (cut == std::string_view::npos) break;
      rest.remove_prefix(cut + 1);
    }
    set.Add(FeaturesOf(text, options), names);
  }
  return set;
}

// Operational complaints in three causes, linearly separable by their words.
inline std::vector<std::pair<std::string, std::string>> ComplaintRows() {
  return {
      {"my parcel arrived two weeks late", "delivery"},
      {"the delivery was late again", "delivery"},
      {"courier never delivered my order, still waiting", "delivery"},
      {"tracking says delayed for ten days", "delivery"},
      {"the box was crushed and the kettle dented", "damage"},
      {"package arrived damaged, glass broken", "damage"},
      {"crushed box, broken lid", "damage"},
      {"item arrived smashed in a torn package", "damage"},
      {"still no refund after I returned it", "refund"},
      {"refund never came back to my card", "refund"},
      {"I want my money back, refund please", "refund"},
      {"returned the item a month ago and no refund yet", "refund"},
  };
}

}  // namespace feedloop::learn::testing
