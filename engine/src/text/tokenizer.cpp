#include "feedloop/text/tokenizer.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace feedloop::text {
namespace {

// Character classes. ASCII bytes are looked up in a table; other code points go through ICU.
enum Class : uint8_t {
  kSpace,
  kUpper,
  kLower,
  kDigit,
  kApostrophe,
  kHyphen,
  kSentencePunct,  // . ! ?
  kPunct,
  kSymbol,
  kEmoji,
  kIdeograph,  // a letter of a script written without spaces: one token per character
  kMark,       // combining mark: continues the current word
  kJoiner,     // ZWJ, variation selectors, skin tones: continue an emoji
  kNewline,
};

constexpr std::array<Class, 128> MakeAsciiTable() {
  std::array<Class, 128> t{};
  for (int c = 0; c < 128; ++c) {
    Class k = kSymbol;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
      k = kSpace;
    else if (c == '\n')
      k = kNewline;
    else if (c >= 'A' && c <= 'Z')
      k = kUpper;
    else if (c >= 'a' && c <= 'z')
      k = kLower;
    else if (c >= '0' && c <= '9')
      k = kDigit;
    else if (c == '\'')
      k = kApostrophe;
    else if (c == '-')
      k = kHyphen;
    else if (c == '.' || c == '!' || c == '?')
      k = kSentencePunct;
    else if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' ||
             c == '{' || c == '}' || c == '"' || c == '/' || c == '\\' || c == '_' || c == '*')
      k = kPunct;
    else if (c < 0x20 || c == 0x7F)
      k = kSpace;
    t[static_cast<size_t>(c)] = k;
  }
  return t;
}
constexpr std::array<Class, 128> kAscii = MakeAsciiTable();

// ASCII letters and digits, for the tight loop of a word's common bytes: bit 0 a letter, bit 1
// upper case, bit 2 a digit; 0 for every other byte (and all bytes >= 0x80).
constexpr uint8_t kWordLetter = 1, kWordUpper = 2, kWordDigit = 4;
constexpr std::array<uint8_t, 256> MakeWordBytes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    Class k = kAscii[static_cast<size_t>(c)];
    if (k == kLower) t[static_cast<size_t>(c)] = kWordLetter;
    if (k == kUpper) t[static_cast<size_t>(c)] = kWordLetter | kWordUpper;
    if (k == kDigit) t[static_cast<size_t>(c)] = kWordDigit;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kWordBytes = MakeWordBytes();

bool IsSpacelessScript(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &status);
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN:
      return true;
    default:
      return false;
  }
}

Class ClassifyUnicode(UChar32 c) {
  if (c < 0) return kSymbol;
  if (c < 0x80) {
    // The reference path: classify ASCII with ICU too, and check it agrees with the table.
    if (c == '\n') return kNewline;
    if (c == '\'') return kApostrophe;
    if (c == '-') return kHyphen;
    if (c == '.' || c == '!' || c == '?') return kSentencePunct;
    if (u_isUWhiteSpace(c) || u_iscntrl(c)) return kSpace;
    if (u_isupper(c)) return kUpper;
    if (u_islower(c)) return kLower;
    if (u_isdigit(c)) return kDigit;
    return kAscii[static_cast<size_t>(c)];
  }
  if (c == 0x2019 || c == 0x02BC) return kApostrophe;  // ’ and modifier apostrophe
  if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
      c == 0x20E3 || (c >= 0xE0020 && c <= 0xE007F))
    return kJoiner;
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || (c >= 0x1F1E6 && c <= 0x1F1FF))
    return kEmoji;
  if (u_isUWhiteSpace(c)) return (c == 0x2028 || c == 0x2029 || c == 0x85) ? kNewline : kSpace;
  int8_t type = u_charType(c);
  switch (type) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER:
      return IsSpacelessScript(c) ? kIdeograph : kUpper;
    case U_LOWERCASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return IsSpacelessScript(c) ? kIdeograph : kLower;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return kMark;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return kDigit;
    case U_DASH_PUNCTUATION:
      return kPunct;
    case U_CONNECTOR_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
      // Sentence-final marks of other scripts: 。！？ ‼ ⁉ ؟ । ¡ ¿ are punctuation.
      if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x203C || c == 0x2049 || c == 0x061F ||
          c == 0x0964 || c == 0x2026)
        return kSentencePunct;
      return kPunct;
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
      return kSpace;
    default:
      return kSymbol;
  }
}

bool IsWordClass(Class k) {
  return k == kUpper || k == kLower || k == kDigit || k == kMark;
}

// Emoticons recognised as whole tokens; the longest match wins. Ambiguous ones ("8)", "B)",
// "D:") are left out: "step 8)" and "Plan D:" are far more common in feedback than the faces.
constexpr std::string_view kEmoticons[] = {
    ":)",  ":-)", ":))", ":-))", ":)))", ":(",  ":-(", ":((", ":-((", ":D",  ":-D",  ";)",
    ";-)", ";D",  ":P",  ":-P",  ":p",   ":-p", ":/",  ":-/", ":\\",  ":'(", ":'-(", ":')",
    ":|",  ":-|", ":O",  ":-O",  ":o",   ":-o", "=)",  "=(",  "=D",   "<3",  "</3",  "<33",
    ":*",  ":-*", "xD",  "XD",   "xd",   ":]",  ":[",  ":S",  ":s",   "^^",  "^_^",  "^.^",
    "-_-", "T_T", ";_;", ">:(",  ">:-(", ":3",  "8-)", ":@",  ":$",   "o_O", "O_o",  "o.O",
    "O.o", ":-$", ";P",  ";p",   "B-)",  ">_<", "=/",  "=|",  ":c"};

// The first characters of the emoticons: only these positions are worth trying.
constexpr std::array<bool, 128> MakeEmoticonStarts() {
  std::array<bool, 128> t{};
  for (std::string_view e : kEmoticons) t[static_cast<unsigned char>(e.front())] = true;
  return t;
}
constexpr std::array<bool, 128> kEmoticonStart = MakeEmoticonStarts();

// The emoticons grouped by their first character, so a position is compared only with the few
// that could start there.
const std::array<std::vector<std::string_view>, 128>& EmoticonsByFirst() {
  static const auto* table = [] {
    auto* t = new std::array<std::vector<std::string_view>, 128>();
    for (std::string_view e : kEmoticons) (*t)[static_cast<unsigned char>(e.front())].push_back(e);
    return t;
  }();
  return *table;
}

size_t MatchEmoticon(std::string_view rest, bool prev_is_word) {
  size_t best = 0;
  for (std::string_view e : EmoticonsByFirst()[static_cast<unsigned char>(rest.front())]) {
    if (e.size() <= best || rest.size() < e.size()) continue;
    bool same = true;
    for (size_t k = 1; k < e.size() && same; ++k) same = rest[k] == e[k];
    if (!same) continue;
    // Emoticons that start or end with a letter or digit need word boundaries ("xD" in "xDrive"
    // is not one).
    unsigned char first = static_cast<unsigned char>(e.front());
    unsigned char last = static_cast<unsigned char>(e.back());
    bool alnum_first = std::isalnum(first) != 0;
    bool alnum_last = std::isalnum(last) != 0;
    if (alnum_first && prev_is_word) continue;
    if (rest.size() > e.size()) {
      unsigned char next = static_cast<unsigned char>(rest[e.size()]);
      if ((alnum_last || alnum_first) && (std::isalnum(next) || next >= 0x80)) continue;
    }
    best = e.size();
  }
  return best;
}

bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Length of a URL starting at `rest`, or 0.
size_t MatchUrl(std::string_view rest) {
  if (!StartsWithCaseless(rest, "http://") && !StartsWithCaseless(rest, "https://") &&
      !StartsWithCaseless(rest, "www.")) {
    return 0;
  }
  size_t n = 0;
  while (n < rest.size()) {
    unsigned char c = static_cast<unsigned char>(rest[n]);
    if (c <= ' ' || c == '"' || c == '<' || c == '>') break;
    ++n;
  }
  // Trailing sentence punctuation belongs to the sentence, not the URL.
  while (n > 0 && (rest[n - 1] == '.' || rest[n - 1] == ',' || rest[n - 1] == ')' ||
                   rest[n - 1] == '!' || rest[n - 1] == '?' || rest[n - 1] == ';'))
    --n;
  return n > 4 ? n : 0;
}

bool IsEmailChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+';
}

// Length of an e-mail address starting at `rest`, or 0 (ASCII addresses only).
size_t MatchEmail(std::string_view rest) {
  size_t at = 0;
  while (at < rest.size() && IsEmailChar(static_cast<unsigned char>(rest[at]))) ++at;
  if (at == 0 || at >= rest.size() || rest[at] != '@') return 0;
  size_t end = at + 1;
  bool dot = false;
  while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) ||
                               rest[end] == '.' || rest[end] == '-')) {
    if (rest[end] == '.') dot = true;
    ++end;
  }
  while (end > at + 1 && rest[end - 1] == '.') --end;
  if (!dot || end == at + 1 || rest[end - 1] == '.' || rest[end - 1] == '-') return 0;
  return end;
}

class Scanner {
 public:
  Scanner(std::string_view text, bool force_unicode, std::vector<feedloop_token>* tokens,
          std::string* norms, std::vector<size_t>* folded)
      : s_(text), force_unicode_(force_unicode), tokens_(tokens), norms_(norms), folded_(folded) {
    // Most texts hold no address at all: look once, not at every word.
    may_have_email_ = text.find('@') != std::string_view::npos;
    may_have_url_ = text.find("://") != std::string_view::npos ||
                    text.find("www.") != std::string_view::npos ||
                    text.find("WWW.") != std::string_view::npos;
  }

  void Run() {
    // The bytes most text is made of take a shortcut to what Step would do with them: spaces,
    // letters that cannot begin an emoticon, and commas. Addresses are looked for at every word,
    // so a text that may hold one always takes Step.
    const bool shortcuts = !force_unicode_ && !may_have_url_ && !may_have_email_;
    while (pos_ < s_.size()) {
      const unsigned char b = static_cast<unsigned char>(s_[pos_]);
      if (shortcuts && b < 0x80) {
        const Class k = kAscii[b];
        if (k == kSpace) {
          ++pos_;
          continue;
        }
        if ((k == kLower || k == kUpper) && !kEmoticonStart[b]) {
          Word();
          continue;
        }
        if (b == ',') {
          Emit(pos_, pos_ + 1, FEEDLOOP_TOKEN_PUNCT, false);
          continue;
        }
      }
      Step();
    }
    if (!tokens_->empty()) tokens_->back().flags |= FEEDLOOP_TOKEN_SENTENCE_END;
  }

 private:
  struct Char {
    UChar32 cp;
    Class cls;
    uint32_t len;
  };

  // The character at byte i: a table lookup for ASCII (inlined), ICU for the rest.
  inline __attribute__((always_inline)) Char At(size_t i) const {
    unsigned char b = static_cast<unsigned char>(s_[i]);
    if (b < 0x80 && !force_unicode_) return {b, kAscii[b], 1};
    return AtSlow(i);
  }

  __attribute__((noinline)) Char AtSlow(size_t i) const {
    int32_t j = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s_.data()), j, static_cast<int32_t>(s_.size()), c);
    // An invalid sequence (outside the contract, but it must not index the ASCII tables with a
    // negative code point) reads as U+FFFD.
    if (c < 0) c = 0xFFFD;
    return {c, ClassifyUnicode(c), static_cast<uint32_t>(j - static_cast<int32_t>(i))};
  }

  bool PrevIsWord() const {
    if (tokens_->empty()) return false;
    const feedloop_token& t = tokens_->back();
    return t.end == pos_ && (t.kind == FEEDLOOP_TOKEN_WORD || t.kind == FEEDLOOP_TOKEN_NUMBER);
  }

  void MarkSentenceEnd() {
    if (!tokens_->empty()) tokens_->back().flags |= FEEDLOOP_TOKEN_SENTENCE_END;
  }

  void Step() {
    std::string_view rest = s_.substr(pos_);
    Char c = At(pos_);
    switch (c.cls) {
      case kSpace:
        pos_ += c.len;
        return;
      case kNewline:
        MarkSentenceEnd();
        pos_ += c.len;
        return;
      default:
        break;
    }
    if (c.cp < 0x80) {
      if (may_have_url_) {
        if (size_t n = MatchUrl(rest)) return Emit(pos_, pos_ + n, FEEDLOOP_TOKEN_URL, false);
      }
      if (kEmoticonStart[static_cast<size_t>(c.cp)]) {
        if (size_t n = MatchEmoticon(rest, PrevIsWord()))
          return Emit(pos_, pos_ + n, FEEDLOOP_TOKEN_EMOTICON, false);
      }
      if (may_have_email_ &&
          (std::isalnum(static_cast<unsigned char>(c.cp)) || c.cp == '.' || c.cp == '_')) {
        if (size_t n = MatchEmail(rest)) return Emit(pos_, pos_ + n, FEEDLOOP_TOKEN_EMAIL, true);
      }
      if ((c.cp == '@' || c.cp == '#') && rest.size() > 1) {
        Char next = At(pos_ + 1);
        if (next.cls == kLower || next.cls == kUpper || next.cls == kDigit) {
          size_t end = pos_ + 1;
          while (end < s_.size()) {
            Char w = At(end);
            if (!IsWordClass(w.cls) && w.cp != '_') break;
            end += w.len;
          }
          return Emit(pos_, end, c.cp == '@' ? FEEDLOOP_TOKEN_MENTION : FEEDLOOP_TOKEN_HASHTAG,
                      true);
        }
      }
    }
    switch (c.cls) {
      case kUpper:
      case kLower:
      case kDigit:
      case kMark:
        return Word();
      case kIdeograph:
        return Emit(pos_, pos_ + c.len, FEEDLOOP_TOKEN_WORD, true);
      case kEmoji:
        return Emoji();
      case kSentencePunct:
        return PunctRun();
      case kApostrophe:
      case kHyphen:
        return Dash(c);
      case kPunct:
        return Emit(pos_, pos_ + c.len, FEEDLOOP_TOKEN_PUNCT, false);
      case kJoiner:
        pos_ += c.len;
        return;  // a stray joiner outside an emoji
      default:
        return Emit(pos_, pos_ + c.len, FEEDLOOP_TOKEN_SYMBOL, false);
    }
  }

  // Letters and digits, with inner apostrophes ("don't", "customer’s") and inner decimal points
  // or thousands separators in numbers ("3.5", "1,000").
  void Word() {
    size_t begin = pos_;
    size_t end = pos_;
    bool letters = false;
    // What Emit needs to know of the word, counted on the way.
    Shape shape;
    while (end < s_.size()) {
      if (!force_unicode_) {
        // The bulk of a word: ASCII letters and digits, in a loop of table lookups that only
        // counts; the first letter's case is read afterwards.
        const auto* bytes = reinterpret_cast<const unsigned char*>(s_.data());
        const size_t run = end;
        int run_letters = 0, run_uppers = 0;
        while (end < s_.size()) {
          const uint8_t f = kWordBytes[bytes[end]];
          if (f == 0) break;
          run_letters += f & kWordLetter;
          run_uppers += (f & kWordUpper) >> 1;
          ++end;
        }
        if (run_letters > 0) {
          if (shape.letters == 0) {
            size_t first = run;
            while ((kWordBytes[bytes[first]] & kWordLetter) == 0) ++first;
            shape.first_upper = (kWordBytes[bytes[first]] & kWordUpper) != 0;
          }
          shape.letters += run_letters;
          shape.uppers += run_uppers;
          letters = true;
        }
        if (end >= s_.size()) break;
      }
      Char c = At(end);
      if (c.cls == kLower || c.cls == kUpper || c.cls == kMark) {
        letters = true;
        shape.Add(c);
        end += c.len;
        continue;
      }
      if (c.cls == kDigit) {
        shape.ascii = shape.ascii && c.cp < 0x80;
        end += c.len;
        continue;
      }
      // An apostrophe inside a word, a decimal point or separator inside a number: only these
      // look at the character after them.
      const bool inner = c.cls == kApostrophe ? letters : (c.cp == '.' || c.cp == ',') && !letters;
      if (inner && end + c.len < s_.size()) {
        Char next = At(end + c.len);
        if (c.cls == kApostrophe && letters && (next.cls == kLower || next.cls == kUpper)) {
          shape.ascii = shape.ascii && c.cp < 0x80;
          end += c.len;
          continue;
        }
        if ((c.cp == '.' || c.cp == ',') && !letters && next.cls == kDigit) {
          end += c.len;
          continue;
        }
      }
      break;
    }
    EmitWord(begin, end, letters, shape);
  }

  // One emoji with its modifiers, variation selectors and ZWJ continuations; a pair of regional
  // indicators is one flag.
  void Emoji() {
    size_t begin = pos_;
    Char first = At(pos_);
    size_t end = pos_ + first.len;
    bool flag = first.cp >= 0x1F1E6 && first.cp <= 0x1F1FF;
    if (flag && end < s_.size()) {
      Char second = At(end);
      if (second.cp >= 0x1F1E6 && second.cp <= 0x1F1FF) end += second.len;
    }
    while (end < s_.size()) {
      Char c = At(end);
      if (c.cls != kJoiner) break;
      end += c.len;
      if (c.cp == 0x200D && end < s_.size()) {
        Char joined = At(end);
        if (joined.cls == kEmoji) end += joined.len;
      }
    }
    Emit(begin, end, FEEDLOOP_TOKEN_EMOJI, false);
  }

  // "!", "!!!", "?!", "..." as one token each; they end a sentence unless a decimal point.
  void PunctRun() {
    size_t begin = pos_;
    size_t end = pos_;
    while (end < s_.size()) {
      Char c = At(end);
      if (c.cls != kSentencePunct) break;
      end += c.len;
    }
    Emit(begin, end, FEEDLOOP_TOKEN_PUNCT, false);
    tokens_->back().flags |= FEEDLOOP_TOKEN_SENTENCE_END;
  }

  // A hyphen or apostrophe outside a word: inside "well-made" it only separates the words; a dash
  // between spaces or a run of them is punctuation; a quote is punctuation.
  void Dash(const Char& c) {
    bool inner = PrevIsWord() && pos_ + c.len < s_.size() && IsWordClass(At(pos_ + c.len).cls) &&
                 c.cls == kHyphen;
    if (inner) {
      pos_ += c.len;
      return;
    }
    size_t end = pos_ + c.len;
    while (end < s_.size() && At(end).cp == c.cp) end += c.len;
    Emit(pos_, end, FEEDLOOP_TOKEN_PUNCT, false);
  }

  // The letters of a token: how many, how many upper case, whether the first is, and whether
  // every character is ASCII.
  struct Shape {
    int letters = 0;
    int uppers = 0;
    bool first_upper = false;
    bool ascii = true;
    void Add(const Char& c) {
      ascii = ascii && c.cp < 0x80;
      if (c.cls == kUpper || c.cls == kLower) Letter(c.cls == kUpper);
    }
    void Letter(bool upper) {
      if (letters == 0) first_upper = upper;
      ++letters;
      uppers += upper;
    }
  };

  // Emit for a word or number whose shape Word counted: what Emit does with it, without the
  // branches for the other kinds (most tokens are words).
  void EmitWord(size_t begin, size_t end, bool letters, const Shape& shape) {
    feedloop_token& t = tokens_->emplace_back();  // zeroed
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.kind = static_cast<uint16_t>(letters ? FEEDLOOP_TOKEN_WORD : FEEDLOOP_TOKEN_NUMBER);
    if (!shape.ascii) t.flags |= FEEDLOOP_TOKEN_NON_ASCII;
    if (letters) {
      if (shape.letters >= 2 && shape.uppers == shape.letters) t.flags |= FEEDLOOP_TOKEN_ALL_CAPS;
      if (shape.first_upper) t.flags |= FEEDLOOP_TOKEN_CAPITALIZED;
    }
    pos_ = end;
    if (!letters || (shape.uppers == 0 && shape.ascii)) {
      t.norm = {s_.data() + begin, end - begin};
      return;
    }
    const size_t at = norms_->size();
    if (shape.ascii) {
      norms_->resize(at + (end - begin));
      char* out = norms_->data() + at;
      for (size_t i = begin; i < end; ++i) {
        const char c = s_[i];
        *out++ = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      }
    } else {
      FoldInto(begin, end);
    }
    // The folded form's offset until the buffer stops growing (see Emit).
    t.norm = {nullptr, norms_->size() - at};
    folded_->push_back(tokens_->size() - 1);
    folded_->push_back(at);
  }

  // Any token but those of Word (EmitWord): classified here from its bytes.
  void Emit(size_t begin, size_t end, feedloop_token_kind kind, bool fold) {
    feedloop_token t{};
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.kind = static_cast<uint16_t>(kind);
    std::string_view bytes = s_.substr(begin, end - begin);
    bool ascii = !force_unicode_;
    int letters = 0, uppers = 0;
    bool first_upper = false;
    // ASCII tokens (nearly all) are classified from the table; others go through ICU. Only
    // tokens whose case matters (words, and the folded kinds) need their letters counted.
    const bool count_letters = fold || kind == FEEDLOOP_TOKEN_WORD;
    for (size_t i = 0; ascii && i < bytes.size(); ++i) {
      unsigned char b = static_cast<unsigned char>(bytes[i]);
      if (b >= 0x80) {
        ascii = false;
        break;
      }
      if (!count_letters) continue;
      Class k = kAscii[b];
      if (k == kUpper || k == kLower) {
        if (letters == 0) first_upper = k == kUpper;
        ++letters;
        uppers += k == kUpper;
      }
    }
    if (!ascii) {
      letters = uppers = 0;
      first_upper = false;
      for (size_t i = 0; i < bytes.size();) {
        Char c = At(begin + i);
        if (c.cls == kUpper || c.cls == kLower) {
          if (letters == 0) first_upper = c.cls == kUpper;
          ++letters;
          if (c.cls == kUpper) ++uppers;
        }
        i += c.len;
      }
      ascii = std::all_of(bytes.begin(), bytes.end(),
                          [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    }
    if (!ascii) t.flags |= FEEDLOOP_TOKEN_NON_ASCII;
    if (kind == FEEDLOOP_TOKEN_WORD) {
      if (letters >= 2 && uppers == letters) t.flags |= FEEDLOOP_TOKEN_ALL_CAPS;
      if (first_upper) t.flags |= FEEDLOOP_TOKEN_CAPITALIZED;
    }
    bool needs_copy = fold && (uppers > 0 || !ascii);
    if (!needs_copy) {
      t.norm = {s_.data() + begin, end - begin};
    } else {
      // The folded form's offset goes in `norm.size`'s place until the buffer stops growing;
      // Tokenize turns it into a pointer at the end.
      size_t at = norms_->size();
      FoldInto(begin, end);
      t.norm = {nullptr, norms_->size() - at};
      folded_->push_back(tokens_->size());
      folded_->push_back(at);
    }
    tokens_->push_back(t);
    pos_ = end;
  }

  // Appends the simple case folding of s_[begin, end); curly apostrophes become "'".
  void FoldInto(size_t begin, size_t end) {
    bool ascii = true;
    for (size_t i = begin; i < end && ascii; ++i) ascii = static_cast<unsigned char>(s_[i]) < 0x80;
    if (ascii) {
      for (size_t i = begin; i < end; ++i) {
        char c = s_[i];
        norms_->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
      }
      return;
    }
    for (size_t i = begin; i < end;) {
      Char c = At(i);
      i += c.len;
      UChar32 f = c.cls == kApostrophe ? '\'' : u_foldCase(c.cp, U_FOLD_CASE_DEFAULT);
      if (f < 0) continue;
      char buf[4];
      int32_t n = 0;
      UBool err = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, f, err);
      if (!err) norms_->append(buf, static_cast<size_t>(n));
    }
  }

  std::string_view s_;
  bool force_unicode_;
  std::vector<feedloop_token>* tokens_;
  std::string* norms_;
  std::vector<size_t>* folded_;  // pairs: token index, offset of its folded form in norms_
  size_t pos_ = 0;
  bool may_have_email_ = false;
  bool may_have_url_ = false;
};

}  // namespace

void Tokenizer::Tokenize(std::string_view text, TokenBuffer* out) const {
  out->tokens_.clear();
  out->norms_.clear();
  out->folded_.clear();
  Scanner(text, options_.force_unicode_path, &out->tokens_, &out->norms_, &out->folded_).Run();
  for (size_t i = 0; i + 1 < out->folded_.size(); i += 2) {
    out->tokens_[out->folded_[i]].norm.data = out->norms_.data() + out->folded_[i + 1];
  }
}

std::string_view TokenKindName(uint16_t kind) {
  switch (kind) {
    case FEEDLOOP_TOKEN_WORD:
      return "word";
    case FEEDLOOP_TOKEN_NUMBER:
      return "number";
    case FEEDLOOP_TOKEN_PUNCT:
      return "punct";
    case FEEDLOOP_TOKEN_EMOJI:
      return "emoji";
    case FEEDLOOP_TOKEN_EMOTICON:
      return "emoticon";
    case FEEDLOOP_TOKEN_URL:
      return "url";
    case FEEDLOOP_TOKEN_EMAIL:
      return "email";
    case FEEDLOOP_TOKEN_MENTION:
      return "mention";
    case FEEDLOOP_TOKEN_HASHTAG:
      return "hashtag";
    default:
      return "symbol";
  }
}

}  // namespace feedloop::text
