#include "feedloop/config/config.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace feedloop::config {
namespace {

Result<WorkspaceConfig> Load(const testing::TempDir& dir, const std::string& json) {
  return LoadConfig(dir.Write("feedloop.json", json));
}

TEST(Config, ASourceWithAnEmptyPathIsRefused) {
  testing::TempDir dir;
  Result<WorkspaceConfig> c = Load(dir, R"({"sources": [{"name": "x", "path": ""}]})");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("source 'x' has no path"), std::string::npos)
      << c.status().message();
  EXPECT_FALSE(Load(dir, R"({"sources": [{"name": "x", "path": ["a/*.csv", ""]}]})").ok());
}

TEST(Config, CustomerIdsHashedWithTheWorkspaceSecret) {
  testing::TempDir dir;
  dir.Write("secret.key", "0123456789abcdef0123456789abcdef");
  Result<WorkspaceConfig> c =
      Load(dir, R"({"pii": {"customer_ids": "hash", "secret_file": "secret.key"}})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->pii.hash_customer_ids);
  Result<std::shared_ptr<const text::Redactor>> r = MakeRedactor(c->pii);
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.value(), nullptr);
  EXPECT_EQ(r.value()->PseudonymizeId("c-1").rfind("h-", 0), 0u);

  // Hashing also works with text redaction off, and then leaves the text alone.
  c = Load(dir,
           R"({"pii": {"redact": false, "customer_ids": "hash", "secret_file": "secret.key"}})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  r = MakeRedactor(c->pii);
  ASSERT_TRUE(r.ok() && r.value() != nullptr);
  EXPECT_EQ(r.value()->Redact("mail me at a@b.com", nullptr), "mail me at a@b.com");
  EXPECT_TRUE(r.value()->pseudonymizes_ids());
}

TEST(Config, HashingNeedsAReadableSecretOfSixteenBytes) {
  testing::TempDir dir;
  Result<WorkspaceConfig> none = Load(dir, R"({"pii": {"customer_ids": "hash"}})");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("needs a secret_file"), std::string::npos);
  dir.Write("short.key", "too short");
  Result<WorkspaceConfig> shortkey =
      Load(dir, R"({"pii": {"customer_ids": "hash", "secret_file": "short.key"}})");
  ASSERT_FALSE(shortkey.ok());
  EXPECT_NE(shortkey.status().message().find("fewer than 16 bytes"), std::string::npos);
  EXPECT_FALSE(
      Load(dir, R"({"pii": {"customer_ids": "hash", "secret_file": "missing.key"}})").ok());
  Result<WorkspaceConfig> bad = Load(dir, R"({"pii": {"customer_ids": "encrypt"}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("must be \"keep\" or \"hash\""), std::string::npos);
}

TEST(Config, RedactionIsOnByDefault) {
  testing::TempDir dir;
  Result<WorkspaceConfig> c = Load(dir, "{}");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->pii.redact);
  EXPECT_FALSE(c->pii.hash_customer_ids);
  Result<std::shared_ptr<const text::Redactor>> r = MakeRedactor(c->pii);
  ASSERT_TRUE(r.ok() && r.value() != nullptr);
  EXPECT_EQ(r.value()->Redact("mail me at a@b.com", nullptr), "mail me at [email]");
}

}  // namespace
}  // namespace feedloop::config
