// sentiment: the built-in sentiment plugin. Scores each sentence, each item and each customer
// turn of a transcript in [-1, 1] with the project's lexicon (embedded at build time, VADER's tab
// format) and rules for negation, contrast, boosters, ALL-CAPS, punctuation, emoji and
// emoticons, phrases and the operational words of commerce and support. See docs/sentiment.md.
#include <feedloop/sdk.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "embedded.hpp"
#include "grammar.hpp"
#include "lexicon.hpp"
#include "scorer.hpp"

namespace feedloop_sentiment {
namespace {

using feedloop::sdk::ConfigError;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read lexicon " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The language part of a BCP 47 tag, lower case: "en-GB" -> "en".
std::string PrimaryLanguage(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

}  // namespace

class SentimentPlugin : public feedloop::sdk::Plugin {
 public:
  static constexpr const char* kConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "lexicon": {"description": "Path(s) of lexicons in VADER's tab format (token, mean valence -4..+4, std dev), added to the default one or replacing it", "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "replace_default": {"type": "boolean", "description": "Use only the given lexicon(s), not the built-in one (the grammar of negators, boosters and contrast words stays)"},
    "alpha": {"type": "number", "exclusiveMinimum": 0, "description": "Normalization constant: score = x / sqrt(x^2 + alpha)"},
    "language": {"type": "string", "description": "Language of the lexicon (BCP 47); items known to be in another language are scored on emoji and emoticons only"}
  }
})json";
  static constexpr const char* kDefaultConfig =
      R"({"replace_default": false, "alpha": 15, "language": "en"})";

  void Configure(const feedloop::sdk::Config& config) override {
    for (const auto& [key, value] :
         config.root().is_object() ? config.root().as_object()
                                   : std::vector<std::pair<std::string, feedloop::json::Value>>{}) {
      if (key != "lexicon" && key != "replace_default" && key != "alpha" && key != "language") {
        throw ConfigError("unknown config key '" + key +
                          "' (expected lexicon, replace_default, alpha, language)");
      }
    }
    std::vector<std::string> paths;
    if (const feedloop::json::Value* v = config.find("lexicon")) {
      if (v->is_string()) {
        paths.push_back(v->as_string());
      } else if (v->is_array()) {
        for (const feedloop::json::Value& p : v->as_array()) {
          if (!p.is_string()) throw ConfigError("lexicon: expected a path or a list of paths");
          paths.push_back(p.as_string());
        }
      } else if (!v->is_null()) {
        throw ConfigError("lexicon: expected a path or a list of paths");
      }
    }
    bool replace = config.get_bool("replace_default", false);
    if (replace && paths.empty()) {
      throw ConfigError("replace_default is true but no lexicon is given");
    }
    Rules rules;
    double alpha = config.get_number("alpha", rules.alpha);
    if (!(alpha > 0) || alpha > 1e6) throw ConfigError("alpha must be a number above 0");
    rules.alpha = static_cast<float>(alpha);
    language_ = PrimaryLanguage(config.get_string("language", "en"));

    // Every worker's instance reads the same lexicon: it is built once, keyed by what it is
    // built from (a third of a stream's start-up per instance).
    std::vector<std::string> texts;
    std::string key = replace ? "replace" : "default";
    std::string contents;
    for (const std::string& path : paths) {
      texts.push_back(ReadFile(path));
      key += '\0' + path + '\0' + texts.back();
      contents += texts.back() + '\0';
    }
    // Edited lexicon files analyse stored items again (their paths alone are in the config).
    fingerprint_ = paths.empty() ? "" : "lexicon:" + feedloop::sdk::HashHex(contents);
    lexicon_ = feedloop::sdk::Shared<Lexicon>::Get(key, [&] {
      LexiconBuilder builder;
      AddGrammar(builder);
      KeyTokenizer tokenize = [this](std::string_view k, std::vector<std::string>* norms) {
        TokenizeKey(k, norms);
      };
      try {
        if (!replace) {
          for (size_t f = 0; f < kEmbeddedLexiconCount; ++f) {
            const EmbeddedFile& file = kEmbeddedLexicon[f];
            LoadTsv({reinterpret_cast<const char*>(file.data), file.size}, file.name, tokenize,
                    builder);
          }
        }
        for (size_t i = 0; i < paths.size(); ++i) LoadTsv(texts[i], paths[i], tokenize, builder);
      } catch (const LexiconError& e) {
        throw ConfigError(e.what());
      }
      return std::make_unique<Lexicon>(std::move(builder));
    });
    scorer_ = std::make_unique<Scorer>(lexicon_.get(), rules);
  }

  std::string Fingerprint() const override { return fingerprint_; }

  void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
    const feedloop_token* tokens = item.tokens_begin();
    const size_t n = item.token_count();
    bool words = true;
    if (!item.language().empty() && !language_.empty()) {
      words = PrimaryLanguage(item.language()) == language_;
    }
    bool caps = false;
    bool lower = false;
    for (size_t i = 0; i < n; ++i) {
      if (tokens[i].kind != FEEDLOOP_TOKEN_WORD || tokens[i].end - tokens[i].begin < 2) continue;
      ((tokens[i].flags & FEEDLOOP_TOKEN_ALL_CAPS) != 0 ? caps : lower) = true;
    }
    const bool mixed_caps = caps && lower;

    // Sentences end at the tokens the engine marks; "But ..." opening a sentence plays down the
    // sentence before it.
    sentences_.clear();
    for (size_t begin = 0, i = 0; i < n; ++i) {
      if ((tokens[i].flags & FEEDLOOP_TOKEN_SENTENCE_END) == 0 && i + 1 < n) continue;
      SentenceSum s = scorer_->Score(tokens, begin, i + 1, mixed_caps, words);
      sentences_.push_back({begin, i + 1, s.sum, 1.0f});
      if (s.opens_with_contrast && sentences_.size() > 1) {
        sentences_[sentences_.size() - 2].weight *= scorer_->rules().before_but;
      }
      begin = i + 1;
    }
    float total = 0;
    for (const Sentence& s : sentences_) {
      total += s.sum * s.weight;
      feedloop_span span{tokens[s.begin].begin, tokens[s.end - 1].end};
      out.AddSentenceSentiment(span, scorer_->Normalize(s.sum));
    }
    out.SetSentiment(scorer_->Normalize(total));

    // Customer turns: the sentences inside each turn's span of the item text.
    for (size_t t = 0; t < item.turn_count(); ++t) {
      feedloop_span in = item.turn(t).in_text;
      if (in.end <= in.begin) continue;
      float sum = 0;
      for (const Sentence& s : sentences_) {
        if (tokens[s.begin].begin >= in.begin && tokens[s.end - 1].end <= in.end) {
          sum += s.sum * s.weight;
        }
      }
      out.AddTurnSentiment(t, scorer_->Normalize(sum));
    }
  }

 private:
  struct Sentence {
    size_t begin;
    size_t end;
    float sum;
    float weight;
  };

  // A lexicon key as the engine tokenizes item text, so that keys and texts meet: "well-made"
  // becomes the phrase "well made", "Don’t" becomes "don't", "👍🏽" becomes "👍".
  void TokenizeKey(std::string_view key, std::vector<std::string>* norms) const {
    try {
      host().Tokenize(key, [&](const feedloop_token* t, size_t count) {
        for (size_t i = 0; i < count; ++i) {
          std::string_view norm(t[i].norm.data, t[i].norm.size);
          if (t[i].kind == FEEDLOOP_TOKEN_EMOJI) {
            char buf[96];
            norm = StripEmojiModifiers(norm, buf, sizeof(buf));
            norms->emplace_back(norm);
          } else {
            norms->emplace_back(norm);
          }
        }
      });
      return;
    } catch (const std::runtime_error&) {
      // No tokenizer from the host: split on spaces and fold ASCII.
    }
    std::string word;
    auto flush = [&] {
      if (!word.empty()) norms->push_back(word);
      word.clear();
    };
    for (char c : key) {
      if (c == ' ') {
        flush();
      } else {
        word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
    }
    flush();
  }

  std::string language_;
  std::string fingerprint_;
  std::shared_ptr<const Lexicon> lexicon_;
  std::unique_ptr<Scorer> scorer_;
  std::vector<Sentence> sentences_;
};

}  // namespace feedloop_sentiment

FEEDLOOP_PLUGIN(feedloop_sentiment::SentimentPlugin, "sentiment", "1.0.0",
                "Sentiment of reviews, surveys and support text per sentence, item and turn", "MIT",
                "sentiment", "")
