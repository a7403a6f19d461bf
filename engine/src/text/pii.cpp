#include "feedloop/text/pii.hpp"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::text {
namespace {

struct Match {
  size_t begin;
  size_t end;
  PiiKind kind;
};

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAlnum(char c) {
  return IsDigit(c) || IsAlpha(c);
}
bool IsEmailLocal(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomain(char c) {
  return IsAlnum(c) || c == '.' || c == '-';
}
// ASCII only, as std::tolower in the "C" locale the engine runs in, without its call per byte.
char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

void FindEmails(std::string_view s, std::vector<Match>* out) {
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && IsEmailLocal(s[b - 1])) --b;
    while (b < at && (s[b] == '.' || s[b] == '-')) ++b;
    size_t e = at + 1;
    while (e < s.size() && IsDomain(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
    if (b == at || e == at + 1) continue;
    std::string_view domain = s.substr(at + 1, e - at - 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || domain.size() - dot - 1 < 2) continue;
    bool tld_alpha =
        std::all_of(domain.begin() + static_cast<long>(dot) + 1, domain.end(), IsAlpha);
    if (!tld_alpha) continue;
    out->push_back({b, e, PiiKind::kEmail});
  }
}

// Phone numbers and card numbers: runs of digits with the separators people type.
void FindNumbers(std::string_view s, const PiiOptions& o, std::vector<Match>* out) {
  size_t i = 0;
  while (i < s.size()) {
    bool plus = s[i] == '+' && i + 1 < s.size() && IsDigit(s[i + 1]);
    bool paren = s[i] == '(' && i + 1 < s.size() && IsDigit(s[i + 1]);
    if (!IsDigit(s[i]) && !plus && !paren) {
      ++i;
      continue;
    }
    if (i > 0 && (IsAlnum(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == '#')) {
      // Inside a word or an id ("o-55120", "#123"): skip the rest of it. The first step is
      // unconditional: a '+' or '(' ("1E+2", "a(1") is not part of the run and would not move.
      ++i;
      while (i < s.size() && (IsAlnum(s[i]) || s[i] == '-' || s[i] == '/')) ++i;
      continue;
    }
    size_t b = i, e = i;
    std::string digits;
    bool separated = false;
    if (plus || paren) ++e;
    while (e < s.size()) {
      char c = s[e];
      if (IsDigit(c)) {
        digits += c;
        ++e;
        continue;
      }
      bool sep = c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
      // A separator counts only when a digit (or an opening parenthesis) follows it.
      if (sep && e + 1 < s.size() && (IsDigit(s[e + 1]) || (c != '(' && s[e + 1] == '('))) {
        separated = true;
        ++e;
        continue;
      }
      if (c == ')' && e + 1 < s.size() && s[e + 1] == ' ' && e + 2 < s.size() &&
          IsDigit(s[e + 2])) {
        e += 2;
        separated = true;
        continue;
      }
      break;
    }
    i = e;
    if (e < s.size() && IsAlpha(s[e])) continue;  // "12345abc" is an id, not a number
    size_t n = digits.size();
    // "0044 20 7946 0958": the international prefix dialled as 00 instead of '+'. No payment card
    // number starts with 0, so such a run is a phone number before it could be a card.
    const bool dialled_00 =
        !plus && n > 2 && digits[0] == '0' && digits[1] == '0' && digits[2] != '0';
    if (dialled_00 && n - 2 >= 8 && n - 2 <= 15) {
      if (o.phone) out->push_back({b, e, PiiKind::kPhone});
      continue;
    }
    if (o.card && n >= 13 && n <= 19 && LuhnValid(digits)) {
      out->push_back({b, e, PiiKind::kCard});
      continue;
    }
    if (!o.phone) continue;
    bool phone =
        (plus && n >= 8 && n <= 15) || (n >= 10 && n <= 13) || (separated && n >= 9 && n <= 13);
    if (phone) out->push_back({b, e, PiiKind::kPhone});
  }
}

void FindIbans(std::string_view s, std::vector<Match>* out) {
  for (size_t i = 0; i + 15 <= s.size(); ++i) {
    if (!IsAlpha(s[i]) || !IsAlpha(s[i + 1]) || !IsDigit(s[i + 2]) || !IsDigit(s[i + 3])) continue;
    if (i > 0 && IsAlnum(s[i - 1])) continue;
    std::string compact;
    size_t e = i;
    while (e < s.size() && compact.size() < 34) {
      if (IsAlnum(s[e])) {
        compact += static_cast<char>(std::toupper(static_cast<unsigned char>(s[e])));
        ++e;
      } else if (s[e] == ' ' && e + 1 < s.size() && IsAlnum(s[e + 1]) && compact.size() % 4 == 0) {
        ++e;
      } else {
        break;
      }
    }
    // Try the longest valid prefix (a word may follow the IBAN after a space).
    for (size_t len = compact.size(); len >= 15; --len) {
      if (IbanValid(std::string_view(compact).substr(0, len))) {
        size_t end = i, taken = 0;
        while (taken < len) {
          if (IsAlnum(s[end])) ++taken;
          ++end;
        }
        out->push_back({i, end, PiiKind::kIban});
        i = end;
        break;
      }
    }
  }
}

// Whether `w` equals the lower-case ASCII `lower` whatever the case of its letters.
bool EqualsCaseless(std::string_view w, std::string_view lower) {
  if (w.size() != lower.size()) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    if (Lower(w[i]) != lower[i]) return false;
  }
  return true;
}

bool StreetWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "street",  "st",        "road",   "rd",  "avenue",  "ave",     "lane",    "ln",    "drive",
      "dr",      "boulevard", "blvd",   "way", "close",   "court",   "ct",      "place", "pl",
      "terrace", "crescent",  "square", "sq",  "gardens", "parkway", "highway", "hwy"};
  if (!w.empty() && w.back() == '.') w.remove_suffix(1);
  for (std::string_view k : kWords) {
    if (EqualsCaseless(w, k)) return true;
  }
  return false;
}

bool GermanStreet(std::string_view w) {
  for (std::string_view suffix : {"strasse",
                                  "stra\xc3\x9f"
                                  "e",
                                  "str.", "weg", "gasse", "allee", "platz"}) {
    if (w.size() > suffix.size() + 2 && EqualsCaseless(w.substr(w.size() - suffix.size()), suffix))
      return true;
  }
  return false;
}

// "221B Baker Street", "12 rue de la Paix", "Hauptstraße 12".
void FindAddresses(std::string_view s, std::vector<Match>* out) {
  // Split into words with offsets.
  struct Word {
    size_t b, e;
  };
  // Kept by each thread: this runs for every text and field with a digit in it.
  thread_local std::vector<Word> words;
  words.clear();
  for (size_t i = 0; i < s.size();) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\n' || s[i] == '\t')) ++i;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '\n' && s[i] != '\t') ++i;
    if (i > b) words.push_back({b, i});
  }
  auto text = [&](const Word& w) { return s.substr(w.b, w.e - w.b); };
  auto house_number = [&](std::string_view w) {
    if (w.empty() || w.size() > 6 || !IsDigit(w[0])) return false;
    size_t d = 0;
    while (d < w.size() && IsDigit(w[d])) ++d;
    return d <= 5 && (d == w.size() || (d + 1 == w.size() && IsAlpha(w[d])));
  };
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = text(words[i]);
    if (house_number(w)) {
      // English: up to four capitalized words, then a street word.
      for (size_t k = i + 1; k < words.size() && k <= i + 5; ++k) {
        std::string_view x = text(words[k]);
        if (k > i + 1 && StreetWord(x)) {
          out->push_back({words[i].b, words[k].e, PiiKind::kAddress});
          i = k;
          break;
        }
        if (x.empty() || !std::isupper(static_cast<unsigned char>(x[0]))) break;
      }
      // French: "12 rue ...", "5 avenue ...": the number, the street word and what follows.
      if (i + 2 < words.size()) {
        const std::string_view l = text(words[i + 1]);
        if (EqualsCaseless(l, "rue") || EqualsCaseless(l, "boulevard") ||
            EqualsCaseless(l, "avenue") || EqualsCaseless(l, "chemin") ||
            EqualsCaseless(l, "impasse") || EqualsCaseless(l, "calle")) {
          size_t end = i + 2;
          while (end + 1 < words.size() && end < i + 5 && !text(words[end + 1]).empty() &&
                 (std::isupper(static_cast<unsigned char>(text(words[end + 1])[0])) ||
                  text(words[end + 1]) == "de" || text(words[end + 1]) == "la" ||
                  text(words[end + 1]) == "du")) {
            ++end;
          }
          out->push_back({words[i].b, words[end].e, PiiKind::kAddress});
          i = end;
        }
      }
      continue;
    }
    // German: "Hauptstraße 12".
    if (i + 1 < words.size() && house_number(text(words[i + 1])) && GermanStreet(w)) {
      out->push_back({words[i].b, words[i + 1].e, PiiKind::kAddress});
      ++i;
    }
  }
}

}  // namespace

const char* PiiKindName(PiiKind kind) {
  static const char* const kNames[] = {"email", "phone", "card", "iban", "address", "custom"};
  return kNames[static_cast<int>(kind)];
}

const char* PiiPlaceholder(PiiKind kind) {
  static const char* const kText[] = {"[email]", "[phone]",   "[card]",
                                      "[iban]",  "[address]", "[redacted]"};
  return kText[static_cast<int>(kind)];
}

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (d < 0 || d > 9) return false;
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

bool IbanValid(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  // Move the first four characters to the end, letters to numbers (A = 10), mod 97 must be 1.
  std::string rearranged(iban.substr(4));
  rearranged += iban.substr(0, 4);
  int rem = 0;
  for (char c : rearranged) {
    if (IsDigit(c)) {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

struct Redactor::Impl {
  std::vector<std::unique_ptr<icu::RegexPattern>> patterns;
};

Redactor::~Redactor() = default;

Result<std::shared_ptr<const Redactor>> Redactor::Create(const PiiOptions& options) {
  std::shared_ptr<Redactor> r(new Redactor());
  r->impl_ = std::make_unique<Impl>();
  r->options_ = options;
  for (const std::string& p : options.patterns) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where{};
    std::unique_ptr<icu::RegexPattern> pattern(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), where, status));
    if (U_FAILURE(status)) {
      return Status::Usage("PII pattern '" + p + "' is not a valid regular expression (" +
                           u_errorName(status) + " at offset " + std::to_string(where.offset) +
                           ")");
    }
    r->impl_->patterns.push_back(std::move(pattern));
  }
  return std::shared_ptr<const Redactor>(std::move(r));
}

std::string Redactor::PseudonymizeId(std::string_view id) const {
  const std::string& key = options_.customer_id_secret;
  if (key.empty() || id.empty()) return std::string(id);
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(id.data()), id.size(), mac, sizeof(mac),
                &size) == nullptr) {
    // OpenSSL without HMAC-SHA-256 is broken beyond recovery; never fall back to the clear id.
    std::abort();
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "h-";
  for (size_t i = 0; i < 10 && i < size; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

bool Redactor::RedactTo(std::string_view s, PiiCounts* counts, std::string* out) const {
  const PiiOptions& o = options_;
  bool has_at = s.find('@') != std::string_view::npos;
  bool has_digit = std::any_of(s.begin(), s.end(), IsDigit);
  if (!has_at && !has_digit && impl_->patterns.empty()) return false;

  std::vector<Match> matches;
  if (o.email && has_at) FindEmails(s, &matches);
  if (has_digit) {
    if (o.iban) FindIbans(s, &matches);
    if (o.phone || o.card) FindNumbers(s, o, &matches);
    if (o.address) FindAddresses(s, &matches);
  }
  // Custom patterns match through UTF-16, whose offsets map back to bytes exactly only for valid
  // UTF-8 (what the engine redacts); other bytes would turn into offsets past the text.
  const bool valid = impl_->patterns.empty() || !FindInvalidUtf8(s).has_value();
  for (const auto& pattern : impl_->patterns) {
    if (!valid) break;
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(u, status));
    if (U_FAILURE(status)) continue;
    while (m->find(status) && U_SUCCESS(status)) {
      int32_t b16 = m->start(status), e16 = m->end(status);
      if (e16 <= b16) continue;
      // UTF-16 offsets to UTF-8 offsets.
      std::string prefix, middle;
      u.tempSubString(0, b16).toUTF8String(prefix);
      u.tempSubString(b16, e16 - b16).toUTF8String(middle);
      matches.push_back({prefix.size(), prefix.size() + middle.size(), PiiKind::kCustom});
    }
  }
  if (matches.empty()) return false;
  // Keep the earliest, then longest, of overlapping matches.
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  out->clear();
  out->reserve(s.size());
  size_t pos = 0;
  for (const Match& m : matches) {
    if (m.begin < pos) continue;
    out->append(s.substr(pos, m.begin - pos));
    *out += PiiPlaceholder(m.kind);
    if (counts != nullptr) ++counts->by_kind[static_cast<size_t>(m.kind)];
    pos = m.end;
  }
  out->append(s.substr(pos));
  return true;
}

std::string Redactor::Redact(std::string_view s, PiiCounts* counts) const {
  std::string out;
  if (!RedactTo(s, counts, &out)) return std::string(s);
  return out;
}

bool Redactor::RedactInPlace(std::string* s, PiiCounts* counts) const {
  std::string out;
  if (!RedactTo(*s, counts, &out)) return false;
  *s = std::move(out);
  return true;
}

std::string Redactor::RedactExcerpt(std::string_view excerpt, PiiCounts* counts) const {
  constexpr std::string_view kCut = "...";
  const bool cut = excerpt.size() >= kCut.size() &&
                   excerpt.compare(excerpt.size() - kCut.size(), kCut.size(), kCut) == 0;
  std::string_view kept = excerpt;
  if (cut) {
    kept.remove_suffix(kCut.size());
    // The word the cut went through (an e-mail address is one word), then what a number or an
    // IBAN is made of.
    while (!kept.empty() && (IsEmailLocal(kept.back()) || kept.back() == '@'))
      kept.remove_suffix(1);
    auto in_number = [](char c) {
      return IsDigit(c) || c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')';
    };
    while (!kept.empty() && in_number(kept.back())) kept.remove_suffix(1);
  }
  std::string out = Redact(kept, counts);
  if (cut) out += kCut;
  // A placeholder can be longer than what it replaced ("a@b.io" is "[email]").
  return out.size() <= excerpt.size() ? out : Excerpt(out, excerpt.size());
}

}  // namespace feedloop::text
