// root-cause: picks the primary operational cause of a complaint (the top-level category of the
// taxonomy, which names the team that can fix it) from the item's tags, its sentiment and its
// score. Praise that mentions a category is not a complaint, and a complaint with no tag gets no
// guess. See docs/root-cause.md.
#include <feedloop/sdk.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop::root_cause {
namespace {

// How sure we are that an item is a complaint at all.
enum class Verdict {
  kPraise,     // a promoter, a 5-star review, or clearly positive text: no root cause
  kContact,    // neutral text (a question, a support contact): a cause if tagged
  kComplaint,  // negative text, or a middling score with negative text
  kDetractor,  // the score itself says so (NPS 0-6, 1-2 stars, CES 1-3): a mild tag counts
};

struct Settings {
  double min_confidence = 0.35;            // a category must be at least this strong...
  double detractor_min_confidence = 0.15;  // ...or this strong when the score says complaint
  double negative_sentiment = -0.05;       // at or below: negative text
  double positive_sentiment = 0.3;         // at or above: praise unless the score disagrees
  bool neutral_is_complaint = true;        // neutral text with tags (a contact) gets a cause
  double position_weight = 0.15;           // bonus for the category mentioned first
  double first_turn_weight = 0.3;          // transcripts: bonus for evidence in the opening turn
  double evidence_weight = 0.05;           // bonus per extra piece of evidence (up to 3)
  std::map<std::string, double, std::less<>> priority = {{"support", 0.9},
                                                         {"price", 0.85}};  // others: 1.0
};

struct CategoryScore {
  std::string_view id;
  double miss = 1;  // prod(1 - tag confidence)
  size_t spans = 0;
  uint32_t first = UINT32_MAX;
  double strength = 0;
  double score = 0;
};

class RootCause : public sdk::Plugin {
 public:
  static constexpr const char* kConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "min_confidence": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.35, "description": "Combined tag confidence a category needs to be the cause"},
    "detractor_min_confidence": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.15, "description": "The same, when the score says the customer is unhappy (NPS 0-6, 1-2 stars, CSAT 1-2, CES 1-3)"},
    "negative_sentiment": {"type": "number", "minimum": -1, "maximum": 1, "default": -0.05, "description": "Sentiment at or below which a text is negative"},
    "positive_sentiment": {"type": "number", "minimum": -1, "maximum": 1, "default": 0.3, "description": "Sentiment at or above which a text is praise, so it gets no root cause, where the text decides (no score, or a middling one: NPS 7-8, 3 stars, CES 4); must be above negative_sentiment"},
    "neutral_is_complaint": {"type": "boolean", "default": true, "description": "A neutral text with tags (a question, a support contact) gets a root cause"},
    "position_weight": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.15, "description": "Bonus for the category whose evidence comes first"},
    "first_turn_weight": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.3, "description": "Transcripts: bonus for a category with evidence in the customer's first turn, which states why they got in touch"},
    "evidence_weight": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05, "description": "Bonus per extra piece of evidence, up to three"},
    "priority": {"type": "object", "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 10}, "description": "Multiplier per category (default 1; support 0.9, price 0.85)"}
  }
})json";

  void Configure(const sdk::Config& config) override {
    const json::Value& root = config.root();
    if (!root.is_object()) return;
    static constexpr std::string_view kKeys[] = {
        "min_confidence",     "detractor_min_confidence", "negative_sentiment",
        "positive_sentiment", "neutral_is_complaint",     "position_weight",
        "first_turn_weight",  "evidence_weight",          "priority"};
    for (const auto& [key, value] : root.as_object()) {
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
        throw sdk::ConfigError("line " + std::to_string(value.line()) + ": unknown key \"" + key +
                               "\" (known: min_confidence, detractor_min_confidence, "
                               "negative_sentiment, positive_sentiment, neutral_is_complaint, "
                               "position_weight, first_turn_weight, evidence_weight, priority)");
      }
    }
    s_.min_confidence = Number(config, "min_confidence", s_.min_confidence, 0, 1);
    s_.detractor_min_confidence =
        Number(config, "detractor_min_confidence", s_.detractor_min_confidence, 0, 1);
    s_.negative_sentiment = Number(config, "negative_sentiment", s_.negative_sentiment, -1, 1);
    s_.positive_sentiment = Number(config, "positive_sentiment", s_.positive_sentiment, -1, 1);
    if (s_.negative_sentiment >= s_.positive_sentiment) {
      throw sdk::ConfigError("negative_sentiment must be below positive_sentiment");
    }
    s_.neutral_is_complaint = config.get_bool("neutral_is_complaint", s_.neutral_is_complaint);
    s_.position_weight = Number(config, "position_weight", s_.position_weight, 0, 1);
    s_.first_turn_weight = Number(config, "first_turn_weight", s_.first_turn_weight, 0, 1);
    s_.evidence_weight = Number(config, "evidence_weight", s_.evidence_weight, 0, 1);
    if (const json::Value* p = config.find("priority"); p != nullptr && !p->is_null()) {
      if (!p->is_object()) {
        throw sdk::ConfigError(
            "line " + std::to_string(p->line()) +
            ": \"priority\" maps categories to multipliers: {\"delivery\": 1.2}");
      }
      for (const auto& [category, weight] : p->as_object()) {
        double w = weight.as_number();
        if (!(w > 0 && w <= 10)) {
          throw sdk::ConfigError("line " + std::to_string(weight.line()) + ": priority of \"" +
                                 category + "\" must be in (0, 10]");
        }
        s_.priority[category] = w;
      }
    }
  }

  void Analyze(const sdk::Item& item, sdk::Annotations& out) override {
    const feedloop_annotation_view* tags = item.annotation("tags");
    if (tags == nullptr || tags->label_count == 0) return;  // no evidence: no guess
    Verdict verdict = Judge(item);
    if (verdict == Verdict::kPraise) return;
    if (verdict == Verdict::kContact && !s_.neutral_is_complaint) return;

    Score(*tags, item.text().size(), OpeningTurnEnd(item));
    double threshold =
        verdict == Verdict::kDetractor ? s_.detractor_min_confidence : s_.min_confidence;
    const CategoryScore* best = nullptr;
    const CategoryScore* second = nullptr;
    for (const CategoryScore& c : categories_) {
      if (c.strength < threshold) continue;
      if (best == nullptr || c.score > best->score) {
        second = best;
        best = &c;
      } else if (second == nullptr || c.score > second->score) {
        second = &c;
      }
    }
    if (best == nullptr) return;

    // Confidence: how strong the evidence is, how sure we are it is a complaint, and how clearly
    // this category beats the next one.
    double certainty = verdict == Verdict::kDetractor   ? 1.0
                       : verdict == Verdict::kComplaint ? 0.9
                                                        : 0.75;
    double dominance = second == nullptr ? 1.0 : best->score / (best->score + 0.5 * second->score);
    double confidence = std::clamp(best->strength * certainty * dominance, 0.01, 0.99);

    spans_.clear();
    for (size_t i = 0; i < tags->label_count; ++i) {
      const feedloop_label_view& l = sdk::Label(*tags, i);
      if (CategoryOf(sdk::View(l.label)) != best->id) continue;
      spans_.insert(spans_.end(), l.spans, l.spans + l.span_count);
    }
    std::sort(spans_.begin(), spans_.end(), [](const feedloop_span& a, const feedloop_span& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    spans_.erase(std::unique(spans_.begin(), spans_.end(),
                             [](const feedloop_span& a, const feedloop_span& b) {
                               return a.begin == b.begin && a.end == b.end;
                             }),
                 spans_.end());
    out.SetRootCause(best->id, confidence, spans_);
  }

 private:
  static double Number(const sdk::Config& config, const char* key, double fallback, double low,
                       double high) {
    double v = config.get_number(key, fallback);
    if (!(v >= low && v <= high)) {
      throw sdk::ConfigError(std::string(key) + " must be in [" + std::to_string(low) + ", " +
                             std::to_string(high) + "]");
    }
    return v;
  }

  // "delivery/late" -> "delivery"; a category's own tag is its category.
  static std::string_view CategoryOf(std::string_view tag) {
    size_t slash = tag.find('/');
    return slash == std::string_view::npos ? tag : tag.substr(0, slash);
  }

  // Is this a complaint? The score decides at its ends; in the middle, the text's sentiment.
  Verdict Judge(const sdk::Item& item) const {
    const feedloop_annotation_view* sentiment = item.annotation("sentiment");
    Verdict by_text = Verdict::kContact;
    if (sentiment != nullptr && sentiment->has_score) {
      if (sentiment->score <= s_.negative_sentiment) {
        by_text = Verdict::kComplaint;
      } else if (sentiment->score >= s_.positive_sentiment) {
        by_text = Verdict::kPraise;
      }
    }
    std::string_view kind = item.kind();
    if (kind == "transcript") {
      // A support contact always has a reason, whatever the mood at its end; its score is the
      // post-chat CSAT of the conversation, so only a low one says more.
      if (item.has_score() && item.score() <= 2) return Verdict::kDetractor;
      return by_text == Verdict::kPraise ? Verdict::kContact : by_text;
    }
    if (!item.has_score()) return by_text;
    double score = item.score();
    // [detractor at or below, text decides at or below, negative text needed at or below]; above
    // the last: praise.
    double low, middle, high;
    if (kind == "nps") {
      low = 6, middle = 8, high = 8;
    } else if (kind == "ces") {
      low = 3, middle = 4, high = 5;
    } else {  // review, csat: 1-5
      low = 2, middle = 3, high = 4;
    }
    if (score <= low) return Verdict::kDetractor;
    if (score <= middle) return by_text;
    if (score <= high) return by_text == Verdict::kComplaint ? by_text : Verdict::kPraise;
    return Verdict::kPraise;
  }

  // Where the customer's first turn ends in the text of a transcript (0 for other items): the
  // opening message says why they got in touch; later ones chase.
  static uint32_t OpeningTurnEnd(const sdk::Item& item) {
    for (size_t i = 0; i < item.turn_count(); ++i) {
      const feedloop_turn_view& t = item.turn(i);
      if (t.in_text.end > t.in_text.begin) return t.in_text.end;
    }
    return 0;
  }

  // Per category: the combined confidence of its tags, its evidence, and where it first appears.
  void Score(const feedloop_annotation_view& tags, size_t text_size, uint32_t opening_end) {
    categories_.clear();
    for (size_t i = 0; i < tags.label_count; ++i) {
      const feedloop_label_view& l = sdk::Label(tags, i);
      std::string_view id = CategoryOf(sdk::View(l.label));
      if (id.empty() || !(l.confidence > 0)) continue;
      auto it = std::find_if(categories_.begin(), categories_.end(),
                             [&](const CategoryScore& c) { return c.id == id; });
      if (it == categories_.end()) {
        categories_.push_back(CategoryScore{id});
        it = categories_.end() - 1;
      }
      it->miss *= 1 - std::min(l.confidence, 0.99);
      it->spans += l.span_count;
      for (size_t s = 0; s < l.span_count; ++s) it->first = std::min(it->first, l.spans[s].begin);
    }
    double size = static_cast<double>(std::max<size_t>(text_size, 1));
    for (CategoryScore& c : categories_) {
      c.strength = 1 - c.miss;
      double extra = static_cast<double>(std::min<size_t>(c.spans > 0 ? c.spans - 1 : 0, 3));
      double position = c.first == UINT32_MAX ? 0 : 1 - std::min(1.0, c.first / size);
      auto p = s_.priority.find(c.id);
      double priority = p == s_.priority.end() ? 1.0 : p->second;
      double opening = c.first < opening_end ? s_.first_turn_weight : 0;
      c.score = priority *
                (c.strength + s_.evidence_weight * extra + s_.position_weight * position + opening);
    }
  }

  Settings s_;
  std::vector<CategoryScore> categories_;
  std::vector<feedloop_span> spans_;
};

}  // namespace
}  // namespace feedloop::root_cause

FEEDLOOP_PLUGIN(feedloop::root_cause::RootCause, "root-cause", "1.0.0",
                "Picks the primary operational cause of a complaint from its tags, sentiment and "
                "score",
                "MIT", "root_cause", "tags,sentiment")
