// safety: flags product-safety complaints that a CX team must escalate to the product-safety
// owner within a day (allergic reactions, burns, electrical faults, choking hazards, spoiled
// food), with the evidence and a severity. A sample of a custom classifier plugin: one class,
// one macro, a config, and golden cases (tests/golden.jsonl).
#include <feedloop/sdk.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A hazard: a family name, a severity, and the token sequences that signal it.
struct Hazard {
  std::string_view name;
  double severity;
  std::vector<std::vector<std::string_view>> phrases;
};

const std::vector<Hazard>& Hazards() {
  static const std::vector<Hazard> kHazards = {
      {"allergy",
       0.95,
       {{"allergic", "reaction"},
        {"anaphylaxis"},
        {"anaphylactic"},
        {"hives"},
        {"epipen"},
        {"undeclared", "allergen"},
        {"contains", "nuts"},
        {"allergy", "attack"}}},
      {"burn",
       0.9,
       {{"burned", "my"},
        {"burnt", "my"},
        {"burned", "me"},
        {"scalded"},
        {"blister"},
        {"blisters"}}},
      {"electrical",
       0.9,
       {{"sparks"},
        {"sparked"},
        {"electric", "shock"},
        {"caught", "fire"},
        {"on", "fire"},
        {"smoke", "came"},
        {"started", "smoking"},
        {"melted"},
        {"short", "circuit"}}},
      {"choking",
       0.85,
       {{"choking", "hazard"}, {"choked"}, {"small", "parts", "came", "off"}, {"swallowed"}}},
      {"contamination",
       0.8,
       {{"food", "poisoning"},
        {"mould"},
        {"mold"},
        {"moldy"},
        {"mouldy"},
        {"glass", "in"},
        {"metal", "in"},
        {"maggots"},
        {"expired"}}},
      {"injury",
       0.8,
       {{"cut", "my"}, {"sharp", "edge"}, {"injured"}, {"hospital"}, {"a&e"}, {"er", "visit"}}},
  };
  return kHazards;
}

bool IsNegator(std::string_view w) {
  return w == "no" || w == "not" || w == "never" || w == "without" || w == "zero" ||
         (w.size() > 3 && w.substr(w.size() - 3) == "n't");
}

}  // namespace

class Safety : public feedloop::sdk::Plugin {
 public:
  static constexpr const char* kConfigSchema =
      R"({"type": "object", "properties": {"min_severity": {"type": "number", "minimum": 0, "maximum": 1}}})";
  static constexpr const char* kDefaultConfig = R"({"min_severity": 0.5})";

  void Configure(const feedloop::sdk::Config& config) override {
    min_severity_ = config.get_number("min_severity", 0.5);
    if (min_severity_ < 0 || min_severity_ > 1) {
      throw feedloop::sdk::ConfigError("min_severity must be between 0 and 1");
    }
  }

  void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
    const size_t n = item.token_count();
    for (const Hazard& hazard : Hazards()) {
      if (hazard.severity < min_severity_) continue;
      std::vector<feedloop_span> evidence;
      for (const auto& phrase : hazard.phrases) {
        for (size_t i = 0; i + phrase.size() <= n; ++i) {
          bool match = true;
          for (size_t k = 0; k < phrase.size() && match; ++k) {
            match = item.norm(item.token(i + k)) == phrase[k];
          }
          if (!match || Negated(item, i)) continue;
          evidence.push_back({item.token(i).begin, item.token(i + phrase.size() - 1).end});
        }
      }
      if (evidence.empty()) continue;
      std::sort(evidence.begin(), evidence.end(),
                [](const feedloop_span& a, const feedloop_span& b) { return a.begin < b.begin; });
      out.AddTag("safety/" + std::string(hazard.name), hazard.severity, evidence);
      out.AddLabel("safety", hazard.name, hazard.severity, evidence);
    }
  }

 private:
  // A negator among the three words before the match, within the same sentence.
  static bool Negated(const feedloop::sdk::Item& item, size_t at) {
    for (size_t back = 1; back <= 3 && back <= at; ++back) {
      const feedloop_token& t = item.token(at - back);
      if (t.flags & FEEDLOOP_TOKEN_SENTENCE_END) return false;
      if (IsNegator(item.norm(t))) return true;
    }
    return false;
  }

  double min_severity_ = 0.5;
};

FEEDLOOP_PLUGIN(
    Safety, "safety", "1.0.0",
    "Flags product-safety complaints (allergy, burn, electrical, choking, contamination, injury)",
    "MIT", "tags,safety", "")
