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

// The message of a refused config, or "" when it loads.
std::string Refusal(const testing::TempDir& dir, const std::string& json) {
  Result<WorkspaceConfig> c = Load(dir, json);
  return c.ok() ? "" : c.status().message();
}

TEST(Config, UnknownSourceSettingsAreRefusedWithTheirLine) {
  testing::TempDir dir;
  const std::string msg = Refusal(dir, R"({"sources": [
  {"name": "nps", "path": "a.csv",
   "mapp": {"text": "Comment"}}]})");
  EXPECT_NE(msg.find("line 3: unknown setting 'mapp' in source 'nps'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("map"), std::string::npos) << msg;
  // Every documented source setting is accepted.
  EXPECT_EQ(Refusal(dir, R"({"sources": [{"name": "a", "description": "NPS export",
      "path": ["a/*.csv"], "kind": "nps", "format": "csv", "delimiter": "tab",
      "date_order": "dmy", "max_text_bytes": 1000, "repair_utf8": true, "records": "items",
      "map": {"text": "Comment"}, "roles": {"u": "customer"}, "scores": {"good": 5},
      "extra_fields_to_attrs": false}, {"name": "b", "path": "b.csv", "preset": "delighted"}]})"),
            "");
  EXPECT_NE(Refusal(dir, R"({"colour": "blue"})").find("line 1: unknown setting 'colour'"),
            std::string::npos);
}

TEST(Config, UnknownPeriodAndReportSettingsAreRefusedWithTheirLine) {
  testing::TempDir dir;
  std::string msg = Refusal(dir, R"({"period": {"granularity": "week",
  "timezone": "Europe/Berlin"}})");
  EXPECT_NE(msg.find("line 2: unknown setting 'timezone' in period"), std::string::npos) << msg;
  EXPECT_NE(msg.find("time_zone"), std::string::npos) << msg;
  msg = Refusal(dir, R"({"report": {"min-n": 50}})");
  EXPECT_NE(msg.find("line 1: unknown setting 'min-n' in report"), std::string::npos) << msg;
  // Every documented period and report setting is accepted.
  EXPECT_EQ(Refusal(dir, R"({"period": {"granularity": "month", "time_zone": "UTC"},
      "report": {"formats": ["md"], "out": "r", "min_n": 10, "segments": ["region"],
                 "compare": 4, "taxonomy": ""}})"),
            "");
}

TEST(Config, DateOrderIsReadInAnyCaseAndUnknownOnesAreRefused) {
  testing::TempDir dir;
  for (const char* order : {"DMY", "dmy", "Day-First"}) {
    Result<WorkspaceConfig> c =
        Load(dir, std::string(R"({"sources": [{"name": "a", "path": "a.csv", "date_order": ")") +
                      order + R"("}]})");
    ASSERT_TRUE(c.ok()) << order << ": " << c.status().message();
    EXPECT_EQ(c->sources[0].options.dates.slashed, DateOrder::kDayFirst) << order;
  }
  Result<WorkspaceConfig> mdy =
      Load(dir, R"({"sources": [{"name": "a", "path": "a.csv", "date_order": "MDY"}]})");
  ASSERT_TRUE(mdy.ok());
  EXPECT_EQ(mdy->sources[0].options.dates.slashed, DateOrder::kMonthFirst);
  const std::string msg =
      Refusal(dir, R"({"sources": [{"name": "a", "path": "a.csv", "date_order": "ymd"}]})");
  EXPECT_NE(msg.find("line 1: date_order 'ymd' is not mdy"), std::string::npos) << msg;
  EXPECT_EQ(ParseDateOrder("Month-First"), DateOrder::kMonthFirst);
  EXPECT_EQ(ParseDateOrder(""), std::nullopt);
}

// `feedloop run --help` says "isolate_plugins": true works in the config: it must.
TEST(Config, PluginIsolationSettingsAreRead) {
  testing::TempDir dir;
  Result<WorkspaceConfig> c = Load(dir, R"({"isolate_plugins": true, "plugin_timeout": 5.5})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->isolate_plugins);
  EXPECT_EQ(c->plugin_timeout, 5.5);
  Result<WorkspaceConfig> defaults = Load(dir, "{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->isolate_plugins);
  EXPECT_EQ(defaults->plugin_timeout, 60);
  for (const char* bad :
       {R"({"plugin_timeout": 0})", R"({"plugin_timeout": -1})", R"({"plugin_timeout": 1e9})",
        R"({"plugin_timeout": "60"})", R"({"isolate_plugins": "yes"})"}) {
    EXPECT_NE(Refusal(dir, bad), "") << bad;
  }
  EXPECT_NE(Refusal(dir, R"({"plugin_timeout": 0})").find("plugin_timeout must be"),
            std::string::npos);
}

TEST(Config, PiiFieldsAreConfigurable) {
  testing::TempDir dir;
  Result<WorkspaceConfig> all = Load(dir, R"({"sources": [{"name": "a", "path": "a.csv"}]})");
  ASSERT_TRUE(all.ok());
  const ingest::RedactedFields& d = all->pii.fields;
  EXPECT_TRUE(d.text && d.turns && d.attrs && d.order_id && d.sku && d.channel && d.region &&
              d.source && d.language);
  EXPECT_TRUE(all->sources[0].options.redacted_fields.sku);

  Result<WorkspaceConfig> some = Load(dir, R"({"sources": [{"name": "a", "path": "a.csv"}],
      "pii": {"fields": ["text", "turns", "sku"]}})");
  ASSERT_TRUE(some.ok()) << some.status().message();
  const ingest::RedactedFields& f = some->sources[0].options.redacted_fields;
  EXPECT_TRUE(f.text && f.turns && f.sku);
  EXPECT_FALSE(f.attrs || f.order_id || f.channel || f.region || f.source || f.language);

  // The older "attrs": false still takes attrs out.
  Result<WorkspaceConfig> no_attrs = Load(dir, R"({"pii": {"attrs": false}})");
  ASSERT_TRUE(no_attrs.ok());
  EXPECT_FALSE(no_attrs->pii.fields.attrs);
  EXPECT_TRUE(no_attrs->pii.fields.sku);

  std::string msg = Refusal(dir, R"({"pii": {
      "fields": ["text", "customer_id"]}})");
  EXPECT_NE(msg.find("line 2: pii fields: 'customer_id' is never redacted"), std::string::npos)
      << msg;
  msg = Refusal(dir, R"({"pii": {"feilds": ["text"]}})");
  EXPECT_NE(msg.find("unknown setting 'feilds' in pii"), std::string::npos) << msg;
}

}  // namespace
}  // namespace feedloop::config
