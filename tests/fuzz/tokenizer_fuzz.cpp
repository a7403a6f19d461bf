// Fuzz target: the engine's tokenizer on any bytes: valid UTF-8 (the contract; the input repaired
// first) and raw bytes, invalid sequences included (it must stay inside the text).
//
// Input: one option byte, then the text.
//   bit 0  tokenize the raw bytes as they are, without repairing invalid UTF-8
//
// Invariants: tokens are non-empty, inside the text, in order and never overlap; kinds are known;
// the non-ASCII flag says whether the token's bytes are ASCII. On valid UTF-8, tokens start and end
// on character boundaries, their case-folded forms are valid UTF-8, and the ASCII fast path gives
// exactly the tokens of the ICU reference path.
#include <cstdint>
#include <string>

#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/utf8.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {
namespace {

bool Continuation(std::string_view s, size_t i) {
  return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
}

void CheckTokens(std::string_view text, const text::TokenBuffer& tokens, bool valid) {
  uint32_t previous_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const feedloop_token& t = tokens[i];
    const std::string where = "token " + std::to_string(i) + " [" + std::to_string(t.begin) + ", " +
                              std::to_string(t.end) + ") of " + std::to_string(text.size());
    FUZZ_CHECK(t.begin < t.end && t.end <= text.size(), where);
    FUZZ_CHECK(t.begin >= previous_end, where + " overlaps the one before");
    previous_end = t.end;
    FUZZ_CHECK(t.kind <= FEEDLOOP_TOKEN_SYMBOL, where + " kind " + std::to_string(t.kind));
    FUZZ_CHECK(t.norm.size == 0 || t.norm.data != nullptr, where + " norm");
    const std::string_view bytes = text.substr(t.begin, t.end - t.begin);
    FUZZ_CHECK(((t.flags & FEEDLOOP_TOKEN_NON_ASCII) != 0) == !text::IsAscii(bytes),
               where + " non-ASCII flag: " + Show(bytes));
    if (!valid) continue;
    FUZZ_CHECK(!Continuation(text, t.begin) && !Continuation(text, t.end),
               where + " cuts a character: " + Show(bytes));
    FUZZ_CHECK(ValidUtf8(text::TokenBuffer::Norm(t)),
               where + " norm " + Show(text::TokenBuffer::Norm(t)));
  }
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  static const text::Tokenizer fast;
  static const text::Tokenizer reference(text::TokenizerOptions{true});
  static text::TokenBuffer a, b;
  Input in(data, size);
  const uint8_t opts = in.Byte();
  std::string input(in.Rest());
  if ((opts & 1) == 0) {
    size_t replaced = 0;
    input = text::RepairUtf8(input, &replaced);
  }
  const bool valid = ValidUtf8(input);
  fast.Tokenize(input, &a);
  CheckTokens(input, a, valid);
  if (!valid) return 0;
  reference.Tokenize(input, &b);
  CheckTokens(input, b, valid);
  FUZZ_CHECK(a.size() == b.size(), std::to_string(a.size()) + " tokens on the fast path, " +
                                       std::to_string(b.size()) +
                                       " on the ICU path: " + Show(input));
  for (size_t i = 0; i < a.size(); ++i) {
    const feedloop_token& x = a[i];
    const feedloop_token& y = b[i];
    FUZZ_CHECK(x.begin == y.begin && x.end == y.end && x.kind == y.kind && x.flags == y.flags &&
                   text::TokenBuffer::Norm(x) == text::TokenBuffer::Norm(y),
               "token " + std::to_string(i) +
                   " differs between the paths: " + Show(input.substr(x.begin, x.end - x.begin)) +
                   " kind " + std::to_string(x.kind) + "/" + std::to_string(y.kind) + " flags " +
                   std::to_string(x.flags) + "/" + std::to_string(y.flags) + " in " + Show(input));
  }
  return 0;
}
