#include "feedloop/text/pii.hpp"

#include <gtest/gtest.h>

namespace feedloop::text {
namespace {

std::string Redact(std::string_view s, PiiOptions o = {}, PiiCounts* counts = nullptr) {
  auto r = Redactor::Create(o);
  EXPECT_TRUE(r.ok());
  return r.value()->Redact(s, counts);
}

TEST(Pii, Emails) {
  PiiCounts c;
  EXPECT_EQ(Redact("mail jane.doe+shop@example.co.uk or x@y.io.", {}, &c),
            "mail [email] or [email].");
  EXPECT_EQ(c.by_kind[static_cast<int>(PiiKind::kEmail)], 2);
  EXPECT_EQ(Redact("ping @shop, price 5@home"), "ping @shop, price 5@home");
}

TEST(Pii, PhonesInInternationalForms) {
  EXPECT_EQ(Redact("call +44 20 7946 0958 now"), "call [phone] now");
  EXPECT_EQ(Redact("call (555) 123-4567"), "call [phone]");
  EXPECT_EQ(Redact("mobile 07700 900123."), "mobile [phone].");
  EXPECT_EQ(Redact("ring +49-30-1234567"), "ring [phone]");
  EXPECT_EQ(Redact("tel 0612345678"), "tel [phone]");
}

// The international prefix dialled as 00 instead of '+'.
TEST(Pii, PhonesDialledWithZeroZero) {
  EXPECT_EQ(Redact("call 0044 20 7946 0958 now"), "call [phone] now");
  EXPECT_EQ(Redact("appelez le 0033 1 23 45 67 89."), "appelez le [phone].");
  EXPECT_EQ(Redact("ring 00442079460958"), "ring [phone]");
  EXPECT_EQ(Redact("tel (0049) 30 1234567"), "tel [phone]");
  PiiCounts c;
  Redact("0044 20 7946 0958", {}, &c);
  EXPECT_EQ(c.by_kind[static_cast<int>(PiiKind::kPhone)], 1);
  EXPECT_EQ(c.by_kind[static_cast<int>(PiiKind::kCard)], 0);
  PiiOptions no_phone;
  no_phone.phone = false;
  EXPECT_EQ(Redact("call 0044 20 7946 0958", no_phone), "call 0044 20 7946 0958");
}

TEST(Pii, LeavesOrdinaryNumbersAlone) {
  for (const char* s :
       {"arrived 2026-11-16 at 09:12", "order o-55120 and #1234567", "3 days late, 49.99 GBP",
        "rated 4.5 out of 5", "ticket 81234", "SKU KETTLE-2L", "1,000 reviews", "batch 00123456",
        "paid 00.99 extra", "order 0012 3456"}) {
    EXPECT_EQ(Redact(s), s);
  }
}

TEST(Pii, CardsAreLuhnChecked) {
  EXPECT_EQ(Redact("card 4111 1111 1111 1111 charged twice"), "card [card] charged twice");
  EXPECT_EQ(Redact("card 4111-1111-1111-1111"), "card [card]");
  EXPECT_EQ(Redact("ref 4111 1111 1111 1112"), "ref 4111 1111 1111 1112");
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
}

TEST(Pii, Ibans) {
  EXPECT_EQ(Redact("refund to GB82 WEST 1234 5698 7654 32 please"), "refund to [iban] please");
  EXPECT_EQ(Redact("IBAN DE89370400440532013000."), "IBAN [iban].");
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_FALSE(IbanValid("GB82WEST12345698765433"));
}

TEST(Pii, Addresses) {
  EXPECT_EQ(Redact("deliver to 221B Baker Street, London"), "deliver to [address], London");
  EXPECT_EQ(Redact("livré au 12 rue de la Paix hier"), "livré au [address] hier");
  EXPECT_EQ(Redact("an Hauptstraße 12 geliefert"), "an [address] geliefert");
  EXPECT_EQ(Redact("waited 3 days for support"), "waited 3 days for support");
  // Street words in any case, a trailing period, the German suffixes on a longer word only.
  EXPECT_EQ(Redact("at 10 Downing ST. today"), "at [address] today");
  EXPECT_EQ(Redact("at 10 Downing Streets today"), "at 10 Downing Streets today");
  EXPECT_EQ(Redact("le 5 AVENUE Foch"), "le [address]");
  EXPECT_EQ(Redact("in der BAHNHOFSTRASSE 7"), "in der [address]");
  EXPECT_EQ(Redact("am Weg 7"), "am Weg 7");
}

TEST(Pii, RedactInPlaceLeavesATextWithNothingFoundAsItIs) {
  auto r = Redactor::Create({});
  ASSERT_TRUE(r.ok());
  PiiCounts c;
  std::string text = "order o-55120 arrived 3 days late";
  const char* const before = text.data();
  EXPECT_FALSE(r.value()->RedactInPlace(&text, &c));
  EXPECT_EQ(text, "order o-55120 arrived 3 days late");
  EXPECT_EQ(text.data(), before);
  text = "call me on +44 20 7946 0958 or at jane@example.com";
  EXPECT_TRUE(r.value()->RedactInPlace(&text, &c));
  EXPECT_EQ(text, "call me on [phone] or at [email]");
  EXPECT_EQ(c.total(), 2);
}

TEST(Pii, OptionsAndCustomPatterns) {
  PiiOptions o;
  o.email = false;
  o.patterns = {"ORD-[0-9]{6}"};
  PiiCounts c;
  EXPECT_EQ(Redact("a@b.com ORD-123456 Café", o, &c), "a@b.com [redacted] Café");
  EXPECT_EQ(c.total(), 1);
  o.patterns = {"(unclosed"};
  EXPECT_FALSE(Redactor::Create(o).ok());
}

TEST(Pii, CustomerIdsArePseudonymizedWithTheSecret) {
  PiiOptions o;
  o.customer_id_secret = "a workspace secret of 32 bytes..";
  auto r = Redactor::Create(o).value();
  EXPECT_TRUE(r->pseudonymizes_ids());
  const std::string a = r->PseudonymizeId("c-1029");
  EXPECT_EQ(a.size(), 22u);
  EXPECT_EQ(a.rfind("h-", 0), 0u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef", 2), std::string::npos) << a;
  EXPECT_EQ(r->PseudonymizeId("c-1029"), a);  // the same customer groups
  EXPECT_NE(r->PseudonymizeId("c-1030"), a);
  o.customer_id_secret = "another workspace secret, 32 b..";
  EXPECT_NE(Redactor::Create(o).value()->PseudonymizeId("c-1029"), a);
  // HMAC-SHA-256("key", "c-1029"), computed with openssl dgst -sha256 -hmac key.
  o.customer_id_secret = "key";
  EXPECT_EQ(Redactor::Create(o).value()->PseudonymizeId("c-1029"),
            "h-" + std::string("82c7249dda9312b9cd75"));
  // Without a secret, ids are kept.
  EXPECT_FALSE(Redactor::Create(PiiOptions{}).value()->pseudonymizes_ids());
  EXPECT_EQ(Redactor::Create(PiiOptions{}).value()->PseudonymizeId("c-1029"), "c-1029");
}

TEST(Pii, ExcerptsAreRedactedAndACutNumberIsDropped) {
  auto r = Redactor::Create(PiiOptions{}).value();
  EXPECT_EQ(r->RedactExcerpt("mail jane@example.com card 4111 1111 1111 1111", nullptr),
            "mail [email] card [card]");
  // Cut through: what is left of the card, the phone or the address would not be recognised.
  EXPECT_EQ(r->RedactExcerpt("late again, card 4111 1111 1111 11...", nullptr),
            "late again, card...");
  EXPECT_EQ(r->RedactExcerpt("call +44 20 79...", nullptr), "call...");
  EXPECT_EQ(r->RedactExcerpt("write to jane.doe@exam...", nullptr), "write to...");
  EXPECT_EQ(r->RedactExcerpt(R"({"id":"r1","text":"mail a@b.com at 0044 20 7...)", nullptr),
            R"({"id":"r1","text":"mail [email] at...)");
  // Never longer than the excerpt it was given: "[email]" is longer than "a@b.io".
  EXPECT_EQ(r->RedactExcerpt("a@b.io", nullptr).size(), 6u);
  EXPECT_EQ(r->RedactExcerpt("nothing to hide...", nullptr), "nothing to...");
}

TEST(Pii, UnicodeTextIsUntouched) {
  std::string s = "Доставка опоздала 😡 配送が遅い";
  EXPECT_EQ(Redact(s), s);
}

}  // namespace
}  // namespace feedloop::text
