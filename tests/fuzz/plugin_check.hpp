// For the fuzz targets that drive a plugin directly: item views made the way the engine makes them
// (text tokenized by the engine's tokenizer), and a sink that checks everything the plugin hands
// back against the ABI's rules instead of quietly dropping what is wrong.
#pragma once

#include <feedloop/plugin.h>

#include <cmath>
#include <string>
#include <vector>

#include "feedloop/plugins/host.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {

// Owns the texts and tokens behind a batch of item views.
class ItemBatch {
 public:
  explicit ItemBatch(const std::vector<std::string>& texts) : texts_(texts) {
    tokens_.resize(texts_.size());
    views_.resize(texts_.size());
    for (size_t i = 0; i < texts_.size(); ++i) {
      tokenizer_.Tokenize(texts_[i], &tokens_[i]);
      feedloop_item_view& v = views_[i];
      v = feedloop_item_view{};
      v.struct_size = sizeof(v);
      v.id = Str(ids_[i % 4]);
      v.kind = Str("review");
      v.source = Str("fuzz");
      v.attrs_json = Str("{}");
      v.has_score = 1;
      v.score = static_cast<double>(1 + i % 5);
      v.text = Str(texts_[i]);
      v.tokens = tokens_[i].tokens().data();
      v.token_count = tokens_[i].size();
    }
    for (const feedloop_item_view& v : views_) pointers_.push_back(&v);
  }

  const feedloop_item_view* const* items() const { return pointers_.data(); }
  size_t size() const { return views_.size(); }
  const std::string& text(size_t i) const { return texts_[i]; }

 private:
  static feedloop_str Str(std::string_view s) { return feedloop_str{s.data(), s.size()}; }
  static constexpr const char* ids_[4] = {"a", "b", "c", "d"};
  std::vector<std::string> texts_;
  text::Tokenizer tokenizer_;
  std::vector<text::TokenBuffer> tokens_;
  std::vector<feedloop_item_view> views_;
  std::vector<const feedloop_item_view*> pointers_;
};

// A sink that fails the fuzz run on anything a well-behaved plugin must not send.
class CheckingSink {
 public:
  explicit CheckingSink(const ItemBatch& batch) : batch_(batch) {
    sink_.struct_size = sizeof(sink_);
    sink_.context = this;
    sink_.set_sentiment = [](void* c, size_t item, double score) {
      Self(c)->Item(item);
      FUZZ_CHECK(std::isfinite(score) && score >= -1 && score <= 1, std::to_string(score));
    };
    sink_.add_sentence_sentiment = [](void* c, size_t item, feedloop_span s, double score) {
      Self(c)->Span(item, s);
      FUZZ_CHECK(std::isfinite(score), std::to_string(score));
    };
    sink_.add_turn_sentiment = [](void* c, size_t item, size_t, double score) {
      Self(c)->Item(item);
      FUZZ_CHECK(std::isfinite(score), std::to_string(score));
    };
    sink_.add_tag = [](void* c, size_t item, feedloop_str tag, double confidence,
                       const feedloop_span* spans, size_t n) {
      Self(c)->Label(item, tag, confidence, spans, n);
      ++Self(c)->tags_;
    };
    sink_.set_root_cause = [](void* c, size_t item, feedloop_str cause, double confidence,
                              const feedloop_span* spans,
                              size_t n) { Self(c)->Label(item, cause, confidence, spans, n); };
    sink_.add_label = [](void* c, size_t item, feedloop_str annotation, feedloop_str label,
                         double confidence, const feedloop_span* spans, size_t n) {
      Self(c)->Text(annotation);
      Self(c)->Label(item, label, confidence, spans, n);
    };
    sink_.set_annotation_json = [](void* c, size_t item, feedloop_str annotation,
                                   feedloop_str value) {
      Self(c)->Item(item);
      Self(c)->Text(annotation);
      json::Value v;
      std::string why;
      const std::string_view text(value.data, value.size);
      FUZZ_CHECK(ParsesAsJson(text, &v, &why), why + ": " + Show(text));
    };
    sink_.fail_item = [](void* c, size_t item, feedloop_str message) {
      Self(c)->Item(item);
      ++Self(c)->failures_;
      Self(c)->last_failure_.assign(message.data ? message.data : "",
                                    message.data ? message.size : 0);
    };
  }

  const feedloop_sink& sink() const { return sink_; }
  size_t tags() const { return tags_; }
  size_t failures() const { return failures_; }
  const std::string& last_failure() const { return last_failure_; }

 private:
  static CheckingSink* Self(void* c) { return static_cast<CheckingSink*>(c); }
  void Item(size_t item) const { FUZZ_CHECK(item < batch_.size(), "item " + std::to_string(item)); }
  void Span(size_t item, feedloop_span s) const {
    Item(item);
    FUZZ_CHECK(s.begin <= s.end && s.end <= batch_.text(item).size(),
               "span [" + std::to_string(s.begin) + ", " + std::to_string(s.end) +
                   ") in a text of " + std::to_string(batch_.text(item).size()) + " bytes");
  }
  void Text(feedloop_str s) const {
    FUZZ_CHECK(s.data != nullptr && s.size > 0 && ValidUtf8(std::string_view(s.data, s.size)),
               "a label that is empty or not UTF-8");
  }
  void Label(size_t item, feedloop_str label, double confidence, const feedloop_span* spans,
             size_t n) {
    Item(item);
    Text(label);
    FUZZ_CHECK(std::isfinite(confidence) && confidence >= 0 && confidence <= 1,
               "confidence " + std::to_string(confidence));
    FUZZ_CHECK(n == 0 || spans != nullptr, "span count without spans");
    for (size_t i = 0; i < n; ++i) Span(item, spans[i]);
  }

  const ItemBatch& batch_;
  feedloop_sink sink_{};
  size_t tags_ = 0;
  size_t failures_ = 0;
  std::string last_failure_;
};

}  // namespace feedloop::fuzz
