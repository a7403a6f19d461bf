#include "feedloop/text/normalize.hpp"

#include <feedloop/bytes.hpp>

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "feedloop/text/utf8.hpp"

namespace feedloop::text {
namespace {

// Characters dropped from customer text: C0/C1 controls other than tab and newline, and format
// characters that carry no meaning in feedback (BOM/ZWNBSP, bidi overrides). ZWJ (U+200D) and
// variation selectors stay: emoji sequences need them.
bool Dropped(UChar32 c) {
  if (c == '\t' || c == '\n') return false;
  if (c < 0x20 || c == 0x7F) return true;
  if (c >= 0x80 && c <= 0x9F) return true;
  if (c == 0xFEFF || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return true;
  return false;
}

// Strips dropped characters and turns CRLF / CR into LF. Returns true if anything changed.
bool CleanControls(std::string_view in, std::string* out) {
  bool changed = false;
  out->clear();
  out->reserve(in.size());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(in.size());
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c == '\r') {
      out->push_back('\n');
      if (i < n && s[i] == '\n') ++i;
      changed = true;
      continue;
    }
    if (c < 0 || Dropped(c)) {
      changed = true;
      continue;
    }
    out->append(in.data() + start, static_cast<size_t>(i - start));
  }
  return changed;
}

bool NeedsNoWorkByte(unsigned char c) {
  return !(c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F);
}

// True when `s` is ASCII without controls other than tab and newline: nothing to clean or
// normalize, the case of nearly every field. Sixteen bytes at a time where there is SSE2 (every
// x86-64), then eight: a word with no byte >= 0x80, none below 0x20 and none equal to 0x7F is
// clean; a word with one is checked byte by byte (tabs and newlines are allowed).
bool NeedsNoWork(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  // Whether the eight bytes of `w` are clean. The high bit of a byte is set in `below` when the
  // byte is < 0x20 (for bytes < 0x80; larger bytes are caught by `w & kHigh`), and in `del`
  // when it is 0x7F.
  auto clean = [](uint64_t w) {
    const uint64_t below = (w - kOnes * 0x20) & ~w;
    const uint64_t x = w ^ (kOnes * 0x7F);
    const uint64_t del = (x - kOnes) & ~x;
    return ((w | below | del) & kHigh) == 0;
  };
  // A word with a flagged byte is checked byte by byte (tabs and newlines are allowed).
  auto bytes_clean = [](const char* p, size_t n) {
    for (size_t k = 0; k < n; ++k) {
      if (!NeedsNoWorkByte(static_cast<unsigned char>(p[k]))) return false;
    }
    return true;
  };
  const char* p = s.data();
  size_t n = s.size(), i = 0;
#if defined(__SSE2__)
  // Long texts sixteen bytes at a time, exactly: a byte needs work when, read as a signed byte,
  // it is below 0x20 (the controls, and every byte >= 0x80) and is not a tab or newline, or when
  // it is DEL.
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const __m128i kept = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    const __m128i work =
        _mm_or_si128(_mm_andnot_si128(kept, low), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    if (_mm_movemask_epi8(work) != 0) return false;
  }
#endif
  for (; i + 8 <= n; i += 8) {
    if (!clean(bytes::Load8(p + i)) && !bytes_clean(p + i, 8)) return false;
  }
  if (i == n) return true;
  // The last 1..7 bytes in one word, the bytes past the end read as spaces (most fields are
  // shorter than eight bytes: ids, kinds, channels).
  const size_t r = n - i;
  const uint64_t w = bytes::LoadTail(p + i, r) | ((kOnes * ' ') << (8 * r));
  return clean(w) || bytes_clean(p + i, r);
}

// The work for a text that NeedsNoWork refused: controls out, then NFC.
std::string CleanAndNormalize(std::string_view in) {
  std::string cleaned;
  CleanControls(in, &cleaned);
  if (IsAscii(cleaned)) return cleaned;

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return cleaned;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(cleaned);
  if (nfc->isNormalized(u, status) && U_SUCCESS(status)) return cleaned;
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(u, status);
  if (U_FAILURE(status)) return cleaned;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

}  // namespace

std::string NormalizeText(std::string_view in) {
  return NeedsNoWork(in) ? std::string(in) : CleanAndNormalize(in);
}

void AppendNormalizedText(std::string_view in, std::string* out) {
  if (NeedsNoWork(in)) {
    out->append(in);
  } else {
    out->append(CleanAndNormalize(in));
  }
}

void AppendCollapsedSpaces(std::string_view s, std::string* out) {
  // Written through a pointer into room for all of `s`, then cut to what was written: one
  // allocation at most, and no capacity check per byte.
  const size_t at = out->size();
  out->resize(at + s.size());
  char* const first = out->data() + at;
  char* w = first;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = w != first;
      continue;
    }
    if (space) *w++ = ' ';
    space = false;
    *w++ = c;
  }
  out->resize(at + static_cast<size_t>(w - first));
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  AppendCollapsedSpaces(s, &out);
  return out;
}

std::string Excerpt(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes >= 3 ? max_bytes - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string DisplayExcerpt(std::string_view raw, size_t max_bytes) {
  std::string_view head = raw.substr(0, max_bytes + kDisplayExcerptSlack);
  size_t replaced = 0;
  std::string valid = FindInvalidUtf8(head) ? RepairUtf8(head, &replaced) : std::string(head);
  std::string shown = CollapseSpaces(NormalizeText(valid));
  if (head.size() == raw.size() || shown.size() > max_bytes) return Excerpt(shown, max_bytes);
  // The record goes on, though collapsed spaces made its head short enough to show whole: say so.
  return Excerpt(shown + "...", max_bytes);
}

}  // namespace feedloop::text
