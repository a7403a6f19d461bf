#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::text {
namespace {

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_FALSE(FindInvalidUtf8("plain ascii"));
  EXPECT_FALSE(FindInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\xA1"));
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xE0\x80\xAF"), 1u);      // overlong, 3 bytes
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);      // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);        // truncated at the end
}

TEST(Utf8, RepairReplacesEachBadSequenceOnce) {
  size_t n = 0;
  EXPECT_EQ(RepairUtf8("a\xFF"
                       "b\xE2\x82",
                       &n),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(n, 2u);
}

// Names and keywords are compared ignoring ASCII case only: other bytes, UTF-8 included, stay.
TEST(Ascii, LowerTrimAndCompare) {
  EXPECT_EQ(AsciiLower("Plan-ID \xC3\x89t\xC3\xA9"), "plan-id \xC3\x89t\xC3\xA9");
  EXPECT_TRUE(EqualsIgnoringAsciiCase("Positive", "positive"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("positive ", "positive"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("\xC3\x89", "\xC3\xA9"));  // É is not é here
  EXPECT_EQ(TrimAsciiSpace(" \t\r\n neutral \v\f"), "neutral");
  // NBSP, "a" (written \x61: "\xA0a" would be one escape), NBSP: not ASCII space.
  EXPECT_EQ(TrimAsciiSpace("\xC2\xA0\x61\xC2\xA0"), "\xC2\xA0\x61\xC2\xA0");
  EXPECT_EQ(TrimAsciiSpace("   "), "");
}

TEST(Normalize, NfcAndControls) {
  // e + combining acute becomes the precomposed é.
  EXPECT_EQ(NormalizeText("cafe\xCC\x81"), "caf\xC3\xA9");
  EXPECT_EQ(NormalizeText("a\r\nb\rc"), "a\nb\nc");
  EXPECT_EQ(NormalizeText(std::string("a\0b\x07"
                                      "c",
                                      5)),
            "abc");
  EXPECT_EQ(NormalizeText("x\xEF\xBB\xBFy"), "xy");  // a BOM in the middle
  EXPECT_EQ(NormalizeText("tab\tkept"), "tab\tkept");
  // ZWJ stays: it joins emoji.
  std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9";
  EXPECT_EQ(NormalizeText(family), family);
}

// Clean text is recognised sixteen and eight bytes at a time, a short tail in one word too: a
// control, DEL or a decomposed character is found at any position of a text of any length (short
// fields and long texts), and tabs and newlines anywhere are kept.
TEST(Normalize, EveryPositionOfATextOfAnyLengthIsChecked) {
  const std::string whole = "The parcel arrived two weeks late, box crushed!";
  for (size_t length :
       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 23, 24, 31, 32, 33, 47}) {
    const std::string clean = whole.substr(0, length);
    for (size_t at = 0; at <= clean.size(); ++at) {
      auto with = [&](std::string_view inserted) {
        std::string s = clean.substr(0, at);  // (not insert: a GCC 12 -Wrestrict false alarm)
        s += inserted;
        s += clean.substr(at);
        return s;
      };
      EXPECT_EQ(NormalizeText(with(std::string_view("\0", 1))), clean) << at;
      EXPECT_EQ(NormalizeText(with("\x7F")), clean) << at;
      EXPECT_EQ(NormalizeText(with("\r")), with("\n")) << at;
      EXPECT_EQ(NormalizeText(with("\t")), with("\t")) << at;
      EXPECT_EQ(NormalizeText(with("\n")), with("\n")) << at;
      EXPECT_EQ(NormalizeText(with("e\xCC\x81")), with("\xC3\xA9")) << at;
    }
    EXPECT_EQ(NormalizeText(clean), clean);
  }
}

TEST(Normalize, CollapseSpaces) {
  EXPECT_EQ(CollapseSpaces(""), "");
  EXPECT_EQ(CollapseSpaces(" \t\r\n "), "");
  EXPECT_EQ(CollapseSpaces("  a \t b\r\n\nc  "), "a b c");
  EXPECT_EQ(CollapseSpaces("a\xC2\xA0"
                           "b"),
            "a\xC2\xA0"
            "b");  // only ASCII whitespace
  std::string out = "key|";
  AppendCollapsedSpaces("  box   crushed ", &out);
  EXPECT_EQ(out, "key|box crushed");
  AppendCollapsedSpaces("   ", &out);
  EXPECT_EQ(out, "key|box crushed");
}

TEST(Normalize, Excerpt) {
  EXPECT_EQ(Excerpt("short", 10), "short");
  EXPECT_EQ(Excerpt("0123456789abc", 10), "0123456...");
  // Never cuts inside a character.
  std::string e = Excerpt("aaaaaa\xC3\xA9\xC3\xA9\xC3\xA9", 9);
  EXPECT_EQ(e, "aaaaaa...");
  EXPECT_EQ(DisplayExcerpt("a\xFF  b\n\nc"), "a\xEF\xBF\xBD b c");
}

// An excerpt that does not reach the end of its record ends in "...", even when collapsing the
// spaces of its head made it short: a redactor must know the last number may be cut in two.
TEST(Normalize, ADisplayExcerptSaysWhenTheRecordGoesOn) {
  const std::string spaced = "card" + std::string(300, ' ') + "4111 1111 1111 1111";
  EXPECT_EQ(DisplayExcerpt(spaced), "card...");
  EXPECT_EQ(DisplayExcerpt(spaced, 5), "ca...");
  const std::string whole = "card" + std::string(100, ' ') + "4111";
  EXPECT_EQ(DisplayExcerpt(whole), "card 4111");
  // What DisplayExcerptHead keeps of a record shows the same.
  EXPECT_EQ(DisplayExcerpt(DisplayExcerptHead(spaced)), "card...");
  const std::string long_word(500, 'x');
  EXPECT_EQ(DisplayExcerpt(DisplayExcerptHead(long_word)), DisplayExcerpt(long_word));
  EXPECT_LE(DisplayExcerpt(long_word).size(), 200u);
}

struct Tok {
  std::string norm;
  std::string kind;
  uint16_t flags;
  uint32_t begin;
  uint32_t end;
};

std::vector<Tok> Tokens(std::string_view text, bool force_unicode = false) {
  TokenizerOptions o;
  o.force_unicode_path = force_unicode;
  Tokenizer t(o);
  TokenBuffer buf;
  t.Tokenize(text, &buf);
  std::vector<Tok> out;
  for (const feedloop_token& tok : buf.tokens()) {
    out.push_back({std::string(TokenBuffer::Norm(tok)), std::string(TokenKindName(tok.kind)),
                   tok.flags, tok.begin, tok.end});
    EXPECT_LE(tok.end, text.size());
    EXPECT_LT(tok.begin, tok.end);
  }
  return out;
}

std::vector<std::string> Norms(std::string_view text) {
  std::vector<std::string> out;
  for (const Tok& t : Tokens(text)) out.push_back(t.norm);
  return out;
}

TEST(Tokenizer, WordsPunctuationAndCase) {
  auto t = Tokens("The box was CRUSHED!!! Never again.");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].norm, "the");
  EXPECT_TRUE(t[0].flags & FEEDLOOP_TOKEN_CAPITALIZED);
  EXPECT_EQ(t[3].norm, "crushed");
  EXPECT_TRUE(t[3].flags & FEEDLOOP_TOKEN_ALL_CAPS);
  EXPECT_EQ(t[4].norm, "!!!");
  EXPECT_EQ(t[4].kind, "punct");
  EXPECT_TRUE(t[4].flags & FEEDLOOP_TOKEN_SENTENCE_END);
  EXPECT_EQ(t[7].norm, ".");
}

TEST(Tokenizer, Contractions) {
  EXPECT_EQ(Norms("I don't know, it's fine"),
            (std::vector<std::string>{"i", "don't", "know", ",", "it's", "fine"}));
  // A curly apostrophe folds to a straight one.
  EXPECT_EQ(Norms("don\xE2\x80\x99t"), (std::vector<std::string>{"don't"}));
  // Quotes are not apostrophes.
  EXPECT_EQ(Norms("'great'"), (std::vector<std::string>{"'", "great", "'"}));
}

TEST(Tokenizer, HyphenatedWordsSplitNumbersStayWhole) {
  EXPECT_EQ(Norms("out-of-stock again - 3.5 stars, 1,000 reviews"),
            (std::vector<std::string>{"out", "of", "stock", "again", "-", "3.5", "stars", ",",
                                      "1,000", "reviews"}));
}

TEST(Tokenizer, UrlsEmailsMentionsHashtags) {
  auto t = Tokens("see https://example.com/a?b=1. mail me@x.co @shop #fail");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[1].kind, "url");
  EXPECT_EQ(t[1].norm, "https://example.com/a?b=1");
  EXPECT_EQ(t[2].norm, ".");
  EXPECT_EQ(t[4].kind, "email");
  EXPECT_EQ(t[5].kind, "mention");
  EXPECT_EQ(t[6].kind, "hashtag");
  EXPECT_EQ(t[6].norm, "#fail");
}

TEST(Tokenizer, EmojiAndEmoticons) {
  auto t = Tokens("late again :( \xF0\x9F\x98\xA1\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok :-)");
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t[2].kind, "emoticon");
  EXPECT_EQ(t[2].norm, ":(");
  EXPECT_EQ(t[3].kind, "emoji");
  EXPECT_EQ(t[4].kind, "emoji");  // thumbs up with its skin tone is one token
  EXPECT_EQ(t[4].norm, "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD");
  EXPECT_EQ(t[5].kind, "word");
  EXPECT_EQ(t[6].kind, "emoticon");
  // A ZWJ family is one emoji; a flag is one emoji.
  EXPECT_EQ(
      Tokens("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7").size(),
      1u);
  EXPECT_EQ(Tokens("\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7").size(), 1u);
  // Not emoticons inside ordinary text.
  EXPECT_EQ(Norms("page 8) and xDrive"),
            (std::vector<std::string>{"page", "8", ")", "and", "xdrive"}));
}

TEST(Tokenizer, NonLatinScripts) {
  EXPECT_EQ(Norms("Lieferung VERSPÄTET, Größe"),
            (std::vector<std::string>{"lieferung", "verspätet", ",", "größe"}));
  EXPECT_EQ(Norms("Доставка опоздала"), (std::vector<std::string>{"доставка", "опоздала"}));
  EXPECT_EQ(Norms("التوصيل متأخر"), (std::vector<std::string>{"التوصيل", "متأخر"}));
  // Scripts written without spaces give one token per character.
  EXPECT_EQ(Norms("配送が遅い。"), (std::vector<std::string>{"配", "送", "が", "遅", "い", "。"}));
  auto greek = Tokens("ΠΟΛΥ ΚΑΛΟ");
  EXPECT_TRUE(greek[0].flags & FEEDLOOP_TOKEN_ALL_CAPS);
  EXPECT_EQ(greek[0].norm, "πολυ");
}

TEST(Tokenizer, SentenceEnds) {
  auto t = Tokens("Late. Box ok\nSupport slow");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_TRUE(t[1].flags & FEEDLOOP_TOKEN_SENTENCE_END);  // "."
  EXPECT_TRUE(t[3].flags & FEEDLOOP_TOKEN_SENTENCE_END);  // "ok" before the line break
  EXPECT_TRUE(t[5].flags & FEEDLOOP_TOKEN_SENTENCE_END);  // the last token
  EXPECT_FALSE(t[4].flags & FEEDLOOP_TOKEN_SENTENCE_END);
}

TEST(Tokenizer, FastPathMatchesTheUnicodePath) {
  const char* texts[] = {
      "The box was CRUSHED!!! Never again :( 3.5/5 stars, don't buy.",
      "great kettle but it's out-of-stock @shop #fail www.example.com me@x.io",
      "Ça marche très bien 👍🏽 - merci!",
      "I'm NOT happy... at ALL?!",
      "",
      "   \n\n  ",
      "a",
      "x-y-z 1,2,3 4.5.6",
      // Words that leave the ASCII loop midway, and case that changes inside a word.
      "naïve CAFÉ Straße déjà-vu ÜBER mIxEd O'Brien’s ÀB 2ème x²",
      // Words read eight bytes at a time: longer than eight, mixed case and digits, a non-ASCII
      // letter or an apostrophe past the eighth byte, the text ending inside a word.
      "Extraordinarily UNACCEPTABLE customerservice123abc MiXeDcAsEwOrDs 12345678901234567890 "
      "a1b2c3d4e5f6g7h8 superlongwordétail abcdefgh'ijk ABCDEFGH@x ZZZZZZZZZZZZZZZZZ",
      "abcdefghijklmnop",
      // Commas, tabs and letters that start emoticons, between words and at their edges.
      "late,again ,  so\tsad,xD x ok,:( 1,5 a,b,c, XD,T_T o.O B-) ,",
  };
  std::vector<std::string> all(std::begin(texts), std::end(texts));
  // And every line of the shipped samples, as it is in the files.
  size_t sample_lines = 0;
  for (const auto& e : std::filesystem::directory_iterator(FEEDLOOP_SAMPLES_DIR "/data")) {
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) {
      if (!FindInvalidUtf8(line)) all.push_back(line), ++sample_lines;
    }
  }
  EXPECT_GT(sample_lines, 4000u);
  for (const std::string& text : all) {
    auto fast = Tokens(text, false);
    auto slow = Tokens(text, true);
    ASSERT_EQ(fast.size(), slow.size()) << text;
    for (size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].norm, slow[i].norm) << text;
      EXPECT_EQ(fast[i].kind, slow[i].kind) << text;
      EXPECT_EQ(fast[i].flags, slow[i].flags) << text;
      EXPECT_EQ(fast[i].begin, slow[i].begin) << text;
      EXPECT_EQ(fast[i].end, slow[i].end) << text;
    }
  }
}

TEST(Tokenizer, OffsetsPointAtTheOriginalBytes) {
  std::string text = "Box ARRIVED crushed";
  Tokenizer t;
  TokenBuffer buf;
  t.Tokenize(text, &buf);
  ASSERT_EQ(buf.size(), 3u);
  EXPECT_EQ(text.substr(buf[1].begin, buf[1].end - buf[1].begin), "ARRIVED");
  EXPECT_EQ(TokenBuffer::Norm(buf[1]), "arrived");
}

}  // namespace
}  // namespace feedloop::text
