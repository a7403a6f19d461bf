// A Snowball (libstemmer) stemmer for one language. Phrases are stemmed with it when the
// taxonomy is compiled and text tokens when they are matched, so both sides agree. Not
// thread-safe (libstemmer keeps its state in the stemmer object): one per plugin instance.
#pragma once

#include <libstemmer.h>

#include <string>
#include <string_view>
#include <vector>

namespace feedloop::taxonomy {

class Stemmer {
 public:
  // An empty language or "none" disables stemming: every word is its own stem.
  explicit Stemmer(const std::string& language) {
    if (!language.empty() && language != "none") {
      stemmer_ = sb_stemmer_new(language.c_str(), "UTF_8");
    }
  }
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  bool ok() const { return stemmer_ != nullptr; }

  // The stem of a case-folded word; valid until the next call. Falls back to the word itself.
  std::string_view Stem(std::string_view word) {
    if (stemmer_ == nullptr || word.empty()) return word;
    const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
    if (s == nullptr) return word;  // out of memory inside libstemmer: match unstemmed
    return std::string_view(reinterpret_cast<const char*>(s),
                            static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

  // Whether libstemmer knows `language` ("english", "french", ...), and the list it knows.
  static bool Known(const std::string& language) {
    if (language == "none") return true;
    for (const char** l = sb_stemmer_list(); *l != nullptr; ++l) {
      if (language == *l) return true;
    }
    return false;
  }
  static std::vector<std::string> Languages() {
    std::vector<std::string> out;
    for (const char** l = sb_stemmer_list(); *l != nullptr; ++l) out.emplace_back(*l);
    return out;
  }

 private:
  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace feedloop::taxonomy
