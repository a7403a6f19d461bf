#include "feedloop/plugins/host.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/plugins/golden.hpp"
#include "feedloop/plugins/registry.hpp"

namespace feedloop::plugins {
namespace {

std::string LoadError(const std::string& path) {
  Result<std::shared_ptr<PluginLibrary>> lib = PluginLibrary::Load(path);
  EXPECT_FALSE(lib.ok()) << path;
  return lib.ok() ? "" : lib.status().message();
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

class TempFolder {
 public:
  TempFolder() {
    std::string p = (std::filesystem::temp_directory_path() / "feedloop-plugin-XXXXXX").string();
    path_ = ::mkdtemp(p.data());
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string f = path_ + "/" + name;
    std::ofstream(f, std::ios::binary) << bytes;
    return f;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(PluginLoader, LoadsAPluginWrittenInC) {
  Result<std::shared_ptr<PluginLibrary>> lib = PluginLibrary::Load(FIXTURE_GOOD);
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  const PluginInfo& i = lib.value()->info();
  EXPECT_EQ(i.name, "c-fixture");
  EXPECT_EQ(i.version, "1.0.0");
  EXPECT_EQ(i.provides, (std::vector<std::string>{"sentiment", "tags"}));
  EXPECT_TRUE(i.requires_.empty());
  EXPECT_EQ(i.config_schema, "{\"type\": \"object\"}");
  EXPECT_EQ(i.default_config, "{}");
  EXPECT_EQ(i.abi_major, kAbiMajor);
}

TEST(PluginLoader, RefusesEveryBrokenFixtureWithAClearMessage) {
  std::string e = LoadError(FIXTURE_WRONG_MAJOR);
  EXPECT_TRUE(Contains(e, "plugin ABI 2.2 is incompatible with this feedloop's ABI 1.2")) << e;
  e = LoadError(FIXTURE_NEWER_MINOR);
  EXPECT_TRUE(Contains(e, "needs ABI 1.7 but this feedloop offers ABI 1.2")) << e;
  e = LoadError(FIXTURE_SHORT_STRUCT);
  EXPECT_TRUE(Contains(e, "struct_size 16 is smaller")) << e;
  e = LoadError(FIXTURE_MISSING_FUNCTION);
  EXPECT_TRUE(Contains(e, "has no analyze_batch function")) << e;
  e = LoadError(FIXTURE_NOT_A_PLUGIN);
  EXPECT_TRUE(Contains(e, "without the feedloop plugin exports")) << e;
}

TEST(PluginLoader, NeverCrashesOnHostileFiles) {
  TempFolder dir;
  EXPECT_TRUE(Contains(LoadError(dir.Write("empty.so", "")), "not a shared library"));
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  EXPECT_TRUE(Contains(LoadError(dir.Write("random.so", noise)), "not a shared library"));
  // An ELF header followed by garbage, and a real library cut short.
  std::ifstream good(FIXTURE_GOOD, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(good)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 200u);
  EXPECT_FALSE(LoadError(dir.Write("cut.so", bytes.substr(0, 200))).empty());
  EXPECT_FALSE(LoadError(dir.Write("half.so", bytes.substr(0, bytes.size() / 2))).empty());
  std::string corrupt = bytes;
  for (size_t i = 64; i < corrupt.size(); i += 7) corrupt[i] = static_cast<char>(rng());
  EXPECT_FALSE(LoadError(dir.Write("corrupt.so", corrupt)).empty());
  EXPECT_FALSE(LoadError(dir.path()).empty());  // a directory
  EXPECT_FALSE(LoadError(dir.path() + "/missing.so").empty());
}

TEST(PluginLoader, CreateFailureNamesThePlugin) {
  Result<std::shared_ptr<PluginLibrary>> lib = PluginLibrary::Load(FIXTURE_CREATE_FAILS);
  ASSERT_TRUE(lib.ok());
  auto instance = lib.value()->CreateInstance("");
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.status().message(),
            "plugin create-fails refused to start: this fixture never starts: missing 'model'");
  auto good = PluginLibrary::Load(FIXTURE_GOOD);
  auto refused = good.value()->CreateInstance("{\"x\": 1}");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Contains(refused.status().message(), "config must not contain x"));
}

// ---- Descriptors in memory

const feedloop_plugin_descriptor* g_descriptor = nullptr;
uint32_t g_major = FEEDLOOP_ABI_MAJOR, g_minor = FEEDLOOP_ABI_MINOR;
void TestAbi(uint32_t* major, uint32_t* minor) {
  *major = g_major;
  *minor = g_minor;
}
const feedloop_plugin_descriptor* TestDescriptor() {
  return g_descriptor;
}

feedloop_status NoCreate(const feedloop_host_api*, feedloop_str, feedloop_instance* i,
                         feedloop_error*) {
  static int token;
  *i = &token;
  return FEEDLOOP_OK;
}
void NoDestroy(feedloop_instance) {}
feedloop_status NoAnalyze(feedloop_instance, const feedloop_item_view* const*, size_t,
                          const feedloop_sink*, feedloop_error*) {
  return FEEDLOOP_OK;
}

feedloop_plugin_descriptor Valid(const char* name, const char* provides, const char* requirements) {
  return {sizeof(feedloop_plugin_descriptor),
          name,
          "1.2.3",
          "d",
          "MIT",
          provides,
          requirements,
          nullptr,
          nullptr,
          NoCreate,
          NoDestroy,
          NoAnalyze,
          nullptr};
}

Status FromMemory(const feedloop_plugin_descriptor& d,
                  std::shared_ptr<PluginLibrary>* out = nullptr) {
  g_descriptor = &d;
  auto lib = PluginLibrary::FromEntryPoints(TestAbi, TestDescriptor, "<memory>");
  if (lib.ok() && out != nullptr) *out = lib.value();
  return lib.ok() ? Status::Ok() : lib.status();
}

TEST(DescriptorValidation, ChecksEveryField) {
  EXPECT_TRUE(FromMemory(Valid("ok", "tags", "")).ok());
  auto d = Valid(nullptr, "tags", "");
  EXPECT_TRUE(Contains(FromMemory(d).message(), "descriptor has no name"));
  d = Valid("Bad Name", "tags", "");
  EXPECT_TRUE(Contains(FromMemory(d).message(), "must be 1-64 characters"));
  d = Valid("ok", "tags", "");
  d.version = "1.0";
  EXPECT_TRUE(Contains(FromMemory(d).message(), "is not a semantic version"));
  d.version = "1.0.0-beta+7";
  EXPECT_TRUE(FromMemory(d).ok());
  d.version = "1.0.0-rc.1+build.5-x";
  EXPECT_TRUE(FromMemory(d).ok());
  // Outside semver's characters: the store keys results by ",name@version,".
  for (const char* v : {"1.0.0-a,b", "1.0.0+x@y", "1.0.0-a b", "1.0.0+a+b", "1.0.0x"}) {
    d.version = v;
    EXPECT_TRUE(Contains(FromMemory(d).message(), "is not a semantic version")) << v;
  }
  d = Valid("ok", "tags", "");
  d.description = "\xff\xfe";
  EXPECT_TRUE(Contains(FromMemory(d).message(), "not valid UTF-8"));
  d = Valid("ok", "Tags!", "");
  EXPECT_TRUE(Contains(FromMemory(d).message(), "not a valid annotation name"));
  d = Valid("ok", "tags", "");
  d.config_schema = R"({"type": "object", "properties": {"model": {"type": "string"})";
  EXPECT_TRUE(Contains(FromMemory(d).message(), "plugin ok config_schema is not JSON"))
      << FromMemory(d).message();
  d = Valid("ok", "tags", "");
  d.default_config = "{model: 1}";
  EXPECT_TRUE(Contains(FromMemory(d).message(), "plugin ok default_config is not JSON"))
      << FromMemory(d).message();
  d = Valid("ok", "tags", "");
  d.create = nullptr;
  EXPECT_TRUE(Contains(FromMemory(d).message(), "has no create function"));
  d = Valid("ok", "tags", "");
  d.destroy = nullptr;
  EXPECT_TRUE(Contains(FromMemory(d).message(), "has no destroy function"));
  d = Valid("ok", "tags", "");
  d.struct_size = 4;
  EXPECT_TRUE(Contains(FromMemory(d).message(), "smaller than ABI 1.0"));
  g_major = 0;
  EXPECT_TRUE(Contains(FromMemory(Valid("ok", "tags", "")).message(), "incompatible"));
  g_major = FEEDLOOP_ABI_MAJOR;
}

TEST(DescriptorValidation, AcceptsALongerStructFromANewerMinorBuild) {
  // A struct with fields this engine does not know: only the known prefix is copied.
  struct Longer {
    feedloop_plugin_descriptor base;
    void* future_field;
  } longer{Valid("ok", "tags", ""), nullptr};
  longer.base.struct_size = sizeof(Longer);
  EXPECT_TRUE(FromMemory(longer.base).ok());
}

TEST(DescriptorValidation, RandomSizesAndStrings) {
  std::mt19937 rng(11);
  std::vector<std::string> pool = {"",
                                   "a",
                                   "ok-name",
                                   "UPPER",
                                   "x.y.z",
                                   "1.0.0",
                                   "\xc3\x28",
                                   "sentiment,tags",
                                   std::string(70, 'n'),
                                   "root_cause",
                                   ",,",
                                   " tags , sentiment "};
  for (int i = 0; i < 2000; ++i) {
    auto pick = [&] { return rng() % 5 == 0 ? nullptr : pool[rng() % pool.size()].c_str(); };
    feedloop_plugin_descriptor d = Valid(pick(), pick(), pick());
    d.version = pick();
    d.description = pick();
    d.struct_size = static_cast<uint32_t>(rng() % (sizeof(d) + 16));
    if (rng() % 4 == 0) d.analyze_batch = nullptr;
    PluginInfo info;
    feedloop_plugin_descriptor out;
    Status st = ValidateDescriptor(1, 0, &d, "<random>", &info, &out);
    if (st.ok()) {
      EXPECT_FALSE(info.name.empty());
      EXPECT_NE(out.analyze_batch, nullptr);
    } else {
      EXPECT_FALSE(st.message().empty());
    }
  }
}

// ---- Running plugins through the host

std::shared_ptr<PluginLibrary> MustLoad(const char* path) {
  auto lib = PluginLibrary::Load(path);
  EXPECT_TRUE(lib.ok()) << (lib.ok() ? "" : lib.status().message());
  return lib.ok() ? lib.value() : nullptr;
}

std::vector<Item> Items(std::initializer_list<const char*> texts) {
  std::vector<Item> items;
  int n = 0;
  for (const char* t : texts) {
    Item item;
    item.id = std::to_string(++n);
    item.text = t;
    items.push_back(item);
  }
  return items;
}

TEST(PluginHost, CopiesResultsAndDropsHostileOutput) {
  auto plan = pipeline::AnalysisPlan::Create({{MustLoad(FIXTURE_GOOD), ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok());
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  ASSERT_TRUE(analyzer.ok());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"late parcel", "fail", ""}), nullptr, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0][0].sentiment, 0.5);
  ASSERT_EQ(out[0][0].tags.size(), 2u);
  EXPECT_EQ(out[0][0].tags[0].label, "has-word");
  ASSERT_EQ(out[0][0].tags[0].spans.size(), 1u);
  EXPECT_EQ(out[0][0].tags[0].spans[0].end, 4u);
  EXPECT_TRUE(out[0][0].tags[1].spans.empty());  // its span ran past the text
  EXPECT_TRUE(out[1][0].failed);
  EXPECT_EQ(out[1][0].error, "refused this text");
  EXPECT_FALSE(out[2][0].failed);
}

int g_creates = 0, g_destroys = 0;
feedloop_status CountingCreate(const feedloop_host_api*, feedloop_str, feedloop_instance* i,
                               feedloop_error*) {
  static int tokens[8];
  *i = &tokens[g_creates++ % 8];
  return FEEDLOOP_OK;
}
void CountingDestroy(feedloop_instance) {
  ++g_destroys;
}

// Checking a plan starts each plugin once; the first analyzer keeps that instance instead of
// starting the plugin again (a taxonomy compiles at start), and every instance is destroyed.
TEST(PluginHost, TheFirstAnalyzerUsesTheInstanceStartedToCheckThePlan) {
  feedloop_plugin_descriptor d = Valid("counted", "tags", "");
  d.create = CountingCreate;
  d.destroy = CountingDestroy;
  std::shared_ptr<PluginLibrary> lib;
  ASSERT_TRUE(FromMemory(d, &lib).ok());
  g_creates = g_destroys = 0;
  {
    auto plan = pipeline::AnalysisPlan::Create({{lib, ""}}, false, nullptr);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(g_creates, 1);
    auto first = pipeline::BatchAnalyzer::Create(plan.value());
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(g_creates, 1);
    auto second = pipeline::BatchAnalyzer::Create(plan.value());
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(g_creates, 2);
    EXPECT_EQ(plan->TakeStarted(0), nullptr);
    std::vector<std::vector<pipeline::PluginOutput>> out;
    (*first)->Analyze(Items({"late parcel"}), nullptr, &out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0][0].ran);
    EXPECT_FALSE(out[0][0].failed);
  }
  EXPECT_EQ(g_destroys, 2);
}

// Plugins may start on several threads at once; the plan, its order and the skipped plugins are
// the same as when they start one at a time.
TEST(PluginHost, StartingPluginsOnSeveralThreadsGivesTheSamePlan) {
  auto names = [](const pipeline::AnalysisPlan& plan) {
    std::vector<std::string> out;
    for (const auto& p : plan.plugins()) out.push_back(p.library->name());
    return out;
  };
  std::vector<std::string> skipped_one, skipped_three;
  auto one = pipeline::AnalysisPlan::Create({{MustLoad(FIXTURE_READER), ""},
                                             {MustLoad(FIXTURE_CREATE_FAILS), ""},
                                             {MustLoad(FIXTURE_GOOD), ""},
                                             {MustLoad(FIXTURE_THROWER), ""}},
                                            true, &skipped_one, 1);
  auto three = pipeline::AnalysisPlan::Create({{MustLoad(FIXTURE_READER), ""},
                                               {MustLoad(FIXTURE_CREATE_FAILS), ""},
                                               {MustLoad(FIXTURE_GOOD), ""},
                                               {MustLoad(FIXTURE_THROWER), ""}},
                                              true, &skipped_three, 3);
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_TRUE(three.ok()) << three.status().message();
  EXPECT_EQ(names(*one), names(*three));
  EXPECT_EQ(names(*three).size(), 3u);
  EXPECT_EQ(skipped_one, skipped_three);
  ASSERT_EQ(skipped_three.size(), 1u);
  EXPECT_TRUE(Contains(skipped_three[0], "plugin create-fails refused to start"));
  for (size_t i = 0; i < three->size(); ++i) EXPECT_NE(three->TakeStarted(i), nullptr);
}

TEST(PluginHost, ABatchErrorFailsOnlyTheCulprit) {
  auto plan =
      pipeline::AnalysisPlan::Create({{MustLoad(FIXTURE_ANALYZE_ERROR), ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok());
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"a", "boom", "c"}), nullptr, &out);
  EXPECT_FALSE(out[0][0].failed);
  EXPECT_TRUE(out[1][0].failed);
  EXPECT_EQ(out[1][0].error, "cannot analyze boom");
  EXPECT_FALSE(out[2][0].failed);
  EXPECT_EQ(out[2][0].sentiment, 0.5);
}

TEST(PluginHost, ExceptionsBecomeItemFailures) {
  auto plan = pipeline::AnalysisPlan::Create({{MustLoad(FIXTURE_THROWER), ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok());
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"ok", "throw", "batch"}), nullptr, &out);
  EXPECT_EQ(out[0][0].sentiment, -0.25);
  ASSERT_TRUE(out[0][0].root_cause.has_value());
  EXPECT_EQ(out[0][0].root_cause->label, "delivery");
  EXPECT_EQ(out[1][0].error, "thrown for this item");
  EXPECT_EQ(out[2][0].error, "batch item alone");
  auto refused = MustLoad(FIXTURE_THROWER)->CreateInstance("{\"refuse\": true}");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Contains(refused.status().message(), "refused by config"));
}

TEST(PluginHost, RequirementsOrderAndFeedPlugins) {
  auto reader = MustLoad(FIXTURE_READER);
  auto good = MustLoad(FIXTURE_GOOD);
  auto plan = pipeline::AnalysisPlan::Create({{reader, ""}, {good, ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->plugins()[0].library->name(), "c-fixture");  // the provider first
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"late parcel"}), nullptr, &out);
  const auto& labels = out[0][1].labels;
  ASSERT_EQ(labels.size(), 3u);  // sentiment, has-word, odd
  EXPECT_EQ(labels[0].second.label, "sentiment");
  EXPECT_EQ(labels[0].second.confidence, 1.0);
  EXPECT_EQ(labels[1].second.label, "has-word");

  auto missing = pipeline::AnalysisPlan::Create({{reader, ""}}, false, nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(
      Contains(missing.status().message(), "requires 'tags', which no selected plugin provides"));
  std::vector<std::string> skipped;
  auto lenient = pipeline::AnalysisPlan::Create({{reader, ""}}, true, &skipped);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->size(), 0u);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_TRUE(Contains(skipped[0], "plugin reader skipped"));
}

// ---- ABI 1.1: what an instance provides, and what its results depend on

std::string g_described_provides, g_fingerprint;
feedloop_status DescribeFromGlobals(feedloop_instance, feedloop_instance_info* info) {
  info->provides = {g_described_provides.data(), g_described_provides.size()};
  info->fingerprint = {g_fingerprint.data(), g_fingerprint.size()};
  return FEEDLOOP_OK;
}
feedloop_status TagMemTag(feedloop_instance, const feedloop_item_view* const*, size_t count,
                          const feedloop_sink* sink, feedloop_error*) {
  static const char kTag[] = "mem-tag";
  for (size_t i = 0; i < count; ++i) {
    sink->add_tag(sink->context, i, {kTag, sizeof(kTag) - 1}, 0.7, nullptr, 0);
  }
  return FEEDLOOP_OK;
}

std::vector<std::string> PlanOrder(const pipeline::AnalysisPlan& plan) {
  std::vector<std::string> names;
  for (const auto& p : plan.plugins()) names.push_back(p.library->name());
  return names;
}

// A plugin built against ABI 1.0 (no `describe`) loads, runs, and keeps its version key.
TEST(PluginHost, AnAbi10PluginRunsOnThisHost) {
  auto lib = MustLoad(FIXTURE_ABI_1_0);
  ASSERT_NE(lib, nullptr);
  EXPECT_EQ(lib->info().abi_minor, 0u);
  auto plan = pipeline::AnalysisPlan::Create({{lib, ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->plugins()[0].provides, (std::vector<std::string>{"sentiment", "tags"}));
  EXPECT_EQ(plan->plugins()[0].version, "1.0.0");
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  ASSERT_TRUE(analyzer.ok());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"late parcel"}), nullptr, &out);
  EXPECT_EQ(out[0][0].sentiment, 0.5);
}

// A classifier configured to give a root cause says so: it is not taken for a tag provider, so a
// plugin requiring tags reads the taxonomy's, not an empty set from the classifier.
TEST(PluginHost, AnInstanceSaysWhatItProvidesWithItsConfig) {
  static auto classifier = Valid("classifier", "root_cause,tags", "");
  classifier.describe = DescribeFromGlobals;
  std::shared_ptr<PluginLibrary> lib;
  ASSERT_TRUE(FromMemory(classifier, &lib).ok());
  g_described_provides = "root_cause";
  g_fingerprint.clear();
  auto reader = MustLoad(FIXTURE_READER);
  auto good = MustLoad(FIXTURE_GOOD);
  // Given after the taxonomy-like fixture, a tags provider would be placed before the reader.
  auto plan = pipeline::AnalysisPlan::Create({{good, ""}, {lib, ""}, {reader, ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->plugins()[1].provides, (std::vector<std::string>{"root_cause"}));
  ASSERT_EQ(plan->plugins()[2].library->name(), "reader");  // requires tags, then sentiment
  EXPECT_EQ(plan->ProvidersOf(2, 0), (std::vector<int>{0}));
  EXPECT_EQ(plan->LastProvider("root_cause"), 1);

  g_described_provides = "not a name";
  auto bad = pipeline::AnalysisPlan::Create({{lib, ""}}, false, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(bad.status().message(), "not a valid annotation name"))
      << bad.status().message();
}

// A plugin requiring tags reads every tag provider before it, not only the last.
TEST(PluginHost, ARequirementReadsEveryProviderBeforeIt) {
  static auto second = Valid("second-tagger", "tags", "");
  second.analyze_batch = TagMemTag;
  std::shared_ptr<PluginLibrary> lib;
  ASSERT_TRUE(FromMemory(second, &lib).ok());
  auto plan = pipeline::AnalysisPlan::Create(
      {{MustLoad(FIXTURE_GOOD), ""}, {lib, ""}, {MustLoad(FIXTURE_READER), ""}}, false, nullptr);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(PlanOrder(*plan), (std::vector<std::string>{"c-fixture", "second-tagger", "reader"}));
  auto analyzer = pipeline::BatchAnalyzer::Create(plan.value());
  ASSERT_TRUE(analyzer.ok());
  std::vector<std::vector<pipeline::PluginOutput>> out;
  (*analyzer)->Analyze(Items({"late parcel"}), nullptr, &out);
  std::vector<std::string> seen;
  for (const auto& [annotation, label] : out[0][2].labels) seen.push_back(label.label);
  EXPECT_NE(std::find(seen.begin(), seen.end(), "has-word"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "mem-tag"), seen.end());
}

// Results are stored under the version plus a hash of a non-default config and of the
// instance's fingerprint: a changed taxonomy or a retrained model analyses items again.
TEST(PluginHost, ConfigAndFingerprintMakeTheVersionKey) {
  static auto d = Valid("keyed", "tags", "");
  d.describe = DescribeFromGlobals;
  std::shared_ptr<PluginLibrary> lib;
  ASSERT_TRUE(FromMemory(d, &lib).ok());
  g_described_provides.clear();
  auto key = [&](const std::string& config, const std::string& fingerprint) {
    g_fingerprint = fingerprint;
    auto plan = pipeline::AnalysisPlan::Create({{lib, config}}, false, nullptr);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    return plan.ok() ? plan->plugins()[0].version : std::string();
  };
  EXPECT_EQ(key("", ""), "1.2.3");
  EXPECT_EQ(key("{ }", ""), "1.2.3");  // the default config, written otherwise
  const std::string configured = key("{\"taxonomy\": \"airline.json\"}", "");
  EXPECT_EQ(configured.rfind("1.2.3+cfg.", 0), 0u) << configured;
  EXPECT_EQ(key("{\"taxonomy\":  \"airline.json\"}", ""), configured);  // whitespace aside
  const std::string edited = key("{\"taxonomy\": \"airline.json\"}", "taxonomy:0123");
  EXPECT_NE(edited, configured);
  EXPECT_NE(key("", "model:abcd"), "1.2.3");
}

TEST(PluginHost, RefusesACycle) {
  static auto a = Valid("a", "x", "y");
  static auto b = Valid("b", "y", "x");
  std::shared_ptr<PluginLibrary> la, lb;
  ASSERT_TRUE(FromMemory(a, &la).ok());
  ASSERT_TRUE(FromMemory(b, &lb).ok());
  auto ordered = OrderByRequirements({la, lb});
  ASSERT_FALSE(ordered.ok());
  EXPECT_TRUE(Contains(ordered.status().message(), "cycle: a, b"));
}

TEST(PluginHost, TheLibraryOutlivesItsInstances) {
  std::unique_ptr<PluginInstance> instance;
  {
    auto lib = MustLoad(FIXTURE_GOOD);
    auto created = lib->CreateInstance("");
    ASSERT_TRUE(created.ok());
    instance = std::move(created).value();
  }  // the registry's and our references are gone; the instance keeps the code mapped
  feedloop_sink sink{};
  EXPECT_TRUE(instance->AnalyzeBatch(nullptr, 0, sink).ok());
  EXPECT_EQ(instance->info().name, "c-fixture");
}

TEST(PluginRegistry, DiscoversAFolderAndKeepsFailures) {
  TempFolder dir;
  std::filesystem::copy_file(FIXTURE_GOOD, dir.path() + "/good.so");
  std::filesystem::copy_file(FIXTURE_WRONG_MAJOR, dir.path() + "/wrong.so");
  dir.Write("junk.so", "not a library");
  dir.Write("notes.txt", "ignored");
  PluginRegistry registry({dir.path()});
  registry.Discover();
  EXPECT_EQ(registry.entries().size(), 3u);
  EXPECT_TRUE(registry.Find("c-fixture").ok());
  Result<std::shared_ptr<PluginLibrary>> missing = registry.Find("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Contains(missing.status().message(), "no plugin named 'nope'"));
}

// ---- The command

// Runs `feedloop ARGS` through the shell (`env`: assignments put before the command).
int RunFeedloop(const std::string& args, std::string* output, const std::string& env = "") {
  std::string cmd =
      (env.empty() ? "" : env + " ") + std::string(FEEDLOOP_BIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  output->clear();
  while (size_t n = std::fread(buf, 1, sizeof(buf), p)) output->append(buf, n);
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The first column of the first row of `sql` on the database at `db`, as an integer (-1: none).
int64_t CountIn(const std::string& db, const char* sql) {
  sqlite3* h = nullptr;
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

TEST(PluginsCheckCommand, OkForAGoodPluginExit2WithOneLineOtherwise) {
  std::string out;
  EXPECT_EQ(RunFeedloop(std::string("plugins check ") + FIXTURE_GOOD, &out), 0);
  EXPECT_EQ(out.rfind("OK c-fixture 1.0.0", 0), 0u) << out;
  for (const char* bad : {FIXTURE_WRONG_MAJOR, FIXTURE_NEWER_MINOR, FIXTURE_SHORT_STRUCT,
                          FIXTURE_MISSING_FUNCTION, FIXTURE_CREATE_FAILS, FIXTURE_NOT_A_PLUGIN}) {
    EXPECT_EQ(RunFeedloop(std::string("plugins check ") + bad, &out), 2) << bad;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_EQ(out.rfind("feedloop: error: ", 0), 0u) << out;
  }
  EXPECT_EQ(RunFeedloop("plugins check /nonexistent.so", &out), 2);
  EXPECT_EQ(RunFeedloop("plugins check /tmp", &out), 2);
}

// A library that crashes as it loads, in its ABI function, or through a wild descriptor pointer
// is checked in a child process: one line naming the crash, exit 2, never a crash of feedloop.
TEST(PluginsCheckCommand, AHostileLibraryThatCrashesIsReportedNotFatal) {
  std::string out;
  for (const char* hostile :
       {FIXTURE_CRASH_ON_LOAD, FIXTURE_CRASH_IN_ABI, FIXTURE_WILD_DESCRIPTOR}) {
    EXPECT_EQ(RunFeedloop(std::string("plugins check ") + hostile, &out), 2) << hostile;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_TRUE(Contains(out, "the plugin crashed while loading or starting (signal 11")) << out;
  }
}

TEST(PluginsTestCommand, ReportsPassesAndDifferences) {
  TempFolder dir;
  std::string cases = dir.Write("cases.jsonl",
                                "{\"name\": \"good\", \"item\": {\"text\": \"ok\"}, \"expect\": "
                                "{\"sentiment\": {\"label\": \"negative\"}, "
                                "\"root_cause\": \"delivery\"}}\n"
                                "# a comment\n"
                                "{\"name\": \"wrong\", \"item\": {\"text\": \"ok\"}, \"expect\": "
                                "{\"root_cause\": \"billing\"}}\n");
  std::string out;
  EXPECT_EQ(RunFeedloop(std::string("plugins test ") + FIXTURE_THROWER + " --cases " + cases, &out),
            1);
  EXPECT_TRUE(Contains(out, "PASS  good")) << out;
  EXPECT_TRUE(Contains(out, "FAIL  wrong")) << out;
  EXPECT_TRUE(Contains(out, "root_cause: expected billing, got delivery")) << out;
  EXPECT_TRUE(Contains(out, "2 cases: 1 passed, 1 failed")) << out;
}

TEST(AnalyzeCommand, BumpingAVersionReanalyzesThatPluginOnly) {
  TempFolder dir;
  std::filesystem::create_directories(dir.path() + "/v1");
  std::filesystem::create_directories(dir.path() + "/v2");
  std::filesystem::copy_file(FIXTURE_GOOD, dir.path() + "/v1/good.so");
  std::filesystem::copy_file(FIXTURE_GOOD_V2, dir.path() + "/v2/good.so");
  std::filesystem::copy_file(FIXTURE_THROWER, dir.path() + "/v1/thrower.so");
  std::filesystem::copy_file(FIXTURE_THROWER, dir.path() + "/v2/thrower.so");
  std::string items = dir.Write("items.jsonl",
                                "{\"id\": \"1\", \"kind\": \"review\", \"text\": \"late parcel\"}\n"
                                "{\"id\": \"2\", \"kind\": \"review\", \"text\": \"fine\"}\n"
                                "{\"id\": \"3\", \"kind\": \"review\", \"text\": \"ok\"}\n");
  std::string db = dir.path() + "/f.db", out;
  ASSERT_EQ(RunFeedloop("--db " + db + " ingest " + items, &out), 0) << out;
  auto analyze = [&](const std::string& folder) {
    EXPECT_EQ(RunFeedloop("--db " + db + " analyze --plugins c-fixture,thrower --plugin-path " +
                              dir.path() + "/" + folder,
                          &out),
              0)
        << out;
    return out;
  };
  EXPECT_TRUE(Contains(analyze("v1"), "3 items analyzed (6 plugin runs")) << out;
  EXPECT_TRUE(Contains(analyze("v1"), "0 items analyzed (0 plugin runs")) << out;
  // c-fixture 1.1.0: its three items again, and nothing for thrower.
  EXPECT_TRUE(Contains(analyze("v2"), "3 items analyzed (3 plugin runs")) << out;
  EXPECT_TRUE(Contains(out, "c-fixture 1.1.0")) << out;
  EXPECT_TRUE(Contains(analyze("v2"), "0 items analyzed")) << out;
  // One results row per item holds both plugins: the new version's, and thrower's as the first
  // run wrote it.
  auto count = [&](const char* sql) { return CountIn(db, sql); };
  EXPECT_EQ(count("SELECT count(*) FROM results"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE plugin = 'c-fixture' AND version = "
                  "'1.1.0'"),
            3);
  EXPECT_EQ(count("SELECT count(DISTINCT run_id) FROM annotations WHERE plugin = 'c-fixture'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE plugin = 'thrower' AND run_id = (SELECT "
                  "min(run_id) FROM annotations)"),
            3);
  // A plan of one plugin rewrites its results and keeps the other's.
  ASSERT_EQ(
      RunFeedloop("--db " + db + " analyze --plugins c-fixture --plugin-path " + dir.path() + "/v1",
                  &out),
      0)
      << out;
  EXPECT_TRUE(Contains(out, "3 items analyzed (3 plugin runs")) << out;
  EXPECT_EQ(count("SELECT count(*) FROM annotations"), 6);
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE plugin = 'c-fixture' AND version = "
                  "'1.0.0'"),
            3);
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE plugin = 'thrower'"), 3);
}

TEST(IsolatePlugins, ACrashingOrHangingPluginFailsItsItemAndTheStreamGoesOn) {
  TempFolder dir;
  std::filesystem::copy_file(FIXTURE_CRASHER, dir.path() + "/crasher.so");
  std::string input =
      dir.Write("in.jsonl",
                "{\"text\": \"fine\"}\n{\"text\": \"crash\"}\n{\"text\": \"also fine\"}\n"
                "{\"text\": \"hang\"}\n{\"text\": \"last\"}\n");
  std::string out;
  // handle_segv=0: under AddressSanitizer the worker would first print a symbolized report of
  // the crash, which takes longer than the timeout; what is under test is the signal.
  int code = RunFeedloop(
      "stream --plugin-path " + dir.path() +
          " --plugins crasher --isolate-plugins --plugin-timeout 2 --threads 1 < " + input,
      &out, "ASAN_OPTIONS=handle_segv=0");
  EXPECT_EQ(code, 0) << out;
  std::vector<std::string> lines;
  std::stringstream ss(out);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line[0] == '{') lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 5u) << out;
  EXPECT_TRUE(Contains(lines[0], "\"score\":0.5")) << lines[0];
  EXPECT_TRUE(Contains(lines[1], "crashed (signal 11")) << lines[1];
  EXPECT_TRUE(Contains(lines[2], "\"score\":0.5")) << lines[2];
  EXPECT_TRUE(Contains(lines[3], "did not answer within 2 s")) << lines[3];
  EXPECT_TRUE(Contains(lines[4], "\"score\":0.5")) << lines[4];
  // Without isolation the crash takes the process down.
  std::string crashed;
  int direct = RunFeedloop(
      "stream --plugin-path " + dir.path() + " --plugins crasher --threads 1 < " + input, &crashed);
  EXPECT_NE(direct, 0);
}

// A plugin that segfaults in the middle of `analyze` takes the process down, but what the earlier
// rounds analysed is committed and stays; with --isolate-plugins the next run finishes the rest
// and records the crash on the culprit alone.
TEST(IsolatePlugins, ACrashMidAnalyzeKeepsTheWorkDoneAndIsolationFinishesIt) {
  TempFolder dir;
  std::filesystem::copy_file(FIXTURE_CRASHER, dir.path() + "/crasher.so");
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    lines += "{\"id\": \"r-" + std::to_string(i) + "\", \"kind\": \"review\", \"text\": \"" +
             (i == 2500 ? std::string("crash") : "fine " + std::to_string(i)) + "\"}\n";
  }
  std::string input = dir.Write("in.jsonl", lines);
  const std::string db = dir.path() + "/crash.db";
  const std::string common = "--db " + db + " ";
  std::string out;
  ASSERT_EQ(RunFeedloop(common + "-q ingest " + input, &out), 0) << out;
  const std::string analyze =
      common + "analyze --plugin-path " + dir.path() + " --plugins crasher --threads 1";
  EXPECT_NE(RunFeedloop(analyze, &out, "ASAN_OPTIONS=handle_segv=0"), 0) << out;
  auto count = [&](const char* sql) { return CountIn(db, sql); };
  // Rounds of 512 items: at least the three before the crashing one were committed.
  const int64_t kept = count("SELECT count(*) FROM annotations WHERE plugin = 'crasher'");
  EXPECT_GE(kept, 1536);
  EXPECT_LT(kept, 3000);
  EXPECT_EQ(RunFeedloop(analyze + " --isolate-plugins --plugin-timeout 5", &out,
                        "ASAN_OPTIONS=handle_segv=0"),
            0)
      << out;
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE plugin = 'crasher'"), 3000);
  EXPECT_EQ(count("SELECT count(*) FROM annotations WHERE status = 'failed' AND error LIKE "
                  "'%crashed (signal 11%'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM analysis WHERE sentiment = 0.5"), 2999);
}

}  // namespace
}  // namespace feedloop::plugins
