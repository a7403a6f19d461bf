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

TEST(Pii, LeavesOrdinaryNumbersAlone) {
  for (const char* s :
       {"arrived 2026-11-16 at 09:12", "order o-55120 and #1234567", "3 days late, 49.99 GBP",
        "rated 4.5 out of 5", "ticket 81234", "SKU KETTLE-2L", "1,000 reviews"}) {
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

TEST(Pii, UnicodeTextIsUntouched) {
  std::string s = "Доставка опоздала 😡 配送が遅い";
  EXPECT_EQ(Redact(s), s);
}

}  // namespace
}  // namespace feedloop::text
