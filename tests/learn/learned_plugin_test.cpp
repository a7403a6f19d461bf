// The `learned` plugin, loaded from its shared library by the engine's plugin host.
#ifdef FEEDLOOP_LEARNED_PLUGIN

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "feedloop/learn/trainer.hpp"
#include "feedloop/plugins/host.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "learn_test_util.hpp"
#include "test_util.hpp"

namespace feedloop::learn {
namespace {

struct Emitted {
  std::string kind;  // "root_cause", "tag" or the custom annotation's name
  std::string label;
  double confidence;
  size_t item;
};

std::string S(feedloop_str s) {
  return std::string(s.data, s.size);
}

// A sink that records what the plugin emits.
feedloop_sink RecordingSink(std::vector<Emitted>* out) {
  feedloop_sink s{};
  s.struct_size = sizeof(s);
  s.context = out;
  s.set_sentiment = [](void*, size_t, double) {};
  s.add_sentence_sentiment = [](void*, size_t, feedloop_span, double) {};
  s.add_turn_sentiment = [](void*, size_t, size_t, double) {};
  s.add_tag = [](void* c, size_t item, feedloop_str tag, double conf, const feedloop_span*,
                 size_t) {
    static_cast<std::vector<Emitted>*>(c)->push_back({"tag", S(tag), conf, item});
  };
  s.set_root_cause = [](void* c, size_t item, feedloop_str cause, double conf, const feedloop_span*,
                        size_t) {
    static_cast<std::vector<Emitted>*>(c)->push_back({"root_cause", S(cause), conf, item});
  };
  s.add_label = [](void* c, size_t item, feedloop_str annotation, feedloop_str label, double conf,
                   const feedloop_span*, size_t) {
    static_cast<std::vector<Emitted>*>(c)->push_back({S(annotation), S(label), conf, item});
  };
  s.set_annotation_json = [](void*, size_t, feedloop_str, feedloop_str) {};
  s.fail_item = [](void* c, size_t item, feedloop_str message) {
    static_cast<std::vector<Emitted>*>(c)->push_back({"fail", S(message), 0, item});
  };
  return s;
}

class LearnedPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Model> m = Train(testing::MakeSet(testing::ComplaintRows()), nullptr, TrainOptions{});
    ASSERT_TRUE(m.ok());
    model_path_ = dir_.File("causes.flm");
    ASSERT_TRUE(m.value().Save(model_path_).ok());
    Result<std::shared_ptr<plugins::PluginLibrary>> lib =
        plugins::PluginLibrary::Load(FEEDLOOP_LEARNED_PLUGIN);
    ASSERT_TRUE(lib.ok()) << lib.status().message();
    library_ = lib.value();
  }

  std::string Config(const std::string& extra) const {
    return "{\"model\": \"" + model_path_ + "\"" + extra + "}";
  }

  // Analyzes `texts` with a new instance made from `config`.
  std::vector<Emitted> Run(const std::string& config, const std::vector<std::string>& texts) {
    Result<std::unique_ptr<plugins::PluginInstance>> inst = library_->CreateInstance(config);
    EXPECT_TRUE(inst.ok()) << inst.status().message();
    if (!inst.ok()) return {};
    text::Tokenizer tokenizer;
    std::vector<text::TokenBuffer> tokens(texts.size());
    std::vector<feedloop_item_view> views(texts.size());
    std::vector<const feedloop_item_view*> pointers;
    for (size_t i = 0; i < texts.size(); ++i) {
      tokenizer.Tokenize(texts[i], &tokens[i]);
      feedloop_item_view& v = views[i];
      v.struct_size = sizeof(v);
      v.text = {texts[i].data(), texts[i].size()};
      v.tokens = tokens[i].tokens().data();
      v.token_count = tokens[i].size();
      pointers.push_back(&v);
    }
    std::vector<Emitted> out;
    Status st = inst.value()->AnalyzeBatch(pointers.data(), pointers.size(), RecordingSink(&out));
    EXPECT_TRUE(st.ok()) << st.message();
    return out;
  }

  std::string CreateError(const std::string& config) {
    Result<std::unique_ptr<plugins::PluginInstance>> inst = library_->CreateInstance(config);
    return inst.ok() ? "" : inst.status().message();
  }

  feedloop::testing::TempDir dir_;
  std::string model_path_;
  std::shared_ptr<plugins::PluginLibrary> library_;
};

TEST_F(LearnedPlugin, DeclaresWhatItCanProvide) {
  const std::vector<std::string>& p = library_->info().provides;
  EXPECT_NE(std::find(p.begin(), p.end(), "root_cause"), p.end());
  EXPECT_NE(std::find(p.begin(), p.end(), "tags"), p.end());
  EXPECT_NE(std::find(p.begin(), p.end(), "learned"), p.end());
}

TEST_F(LearnedPlugin, RootCauseByDefaultAndNothingForAnEmptyText) {
  std::vector<Emitted> out = Run(Config(""), {"my parcel is two weeks late", "", "crushed box"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, "root_cause");
  EXPECT_EQ(out[0].label, "delivery");
  EXPECT_EQ(out[0].item, 0u);
  EXPECT_GT(out[0].confidence, 0.34);
  EXPECT_LE(out[0].confidence, 1.0);
  EXPECT_EQ(out[1].label, "damage");
  EXPECT_EQ(out[1].item, 2u);
}

TEST_F(LearnedPlugin, TagsAndCustomAnnotationsWithTopKAndThreshold) {
  std::vector<Emitted> tags =
      Run(Config(", \"provides\": \"tags\", \"top_k\": 2"), {"late refund"});
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].kind, "tag");
  EXPECT_GE(tags[0].confidence, tags[1].confidence);

  std::vector<Emitted> labels =
      Run(Config(", \"provides\": \"cause\", \"top_k\": 0, \"threshold\": 0"), {"late refund"});
  ASSERT_EQ(labels.size(), 3u);  // every label when top_k is 0
  EXPECT_EQ(labels[0].kind, "cause");

  EXPECT_TRUE(Run(Config(", \"provides\": \"tags\", \"threshold\": 1"), {"late refund"}).empty());
}

TEST_F(LearnedPlugin, RefusesBadConfigsWithClearMessages) {
  EXPECT_NE(CreateError("{}").find("'model'"), std::string::npos);
  EXPECT_NE(CreateError("{\"model\": 3}").find("must be a string"), std::string::npos);
  EXPECT_NE(CreateError("{\"model\": \"/nonexistent.flm\"}").find("cannot open"),
            std::string::npos);
  EXPECT_NE(CreateError(Config(", \"provides\": \"sentiment\"")).find("provides"),
            std::string::npos);
  EXPECT_NE(CreateError(Config(", \"provides\": \"Root Cause\"")).find("provides"),
            std::string::npos);
  EXPECT_NE(CreateError(Config(", \"top_k\": -2")).find("top_k"), std::string::npos);
  EXPECT_NE(CreateError(Config(", \"top_k\": \"3\"")).find("top_k"), std::string::npos);
  EXPECT_NE(CreateError(Config(", \"threshold\": 1.5")).find("threshold"), std::string::npos);
  EXPECT_NE(CreateError(Config(", \"modle\": 1")).find("unknown config key 'modle'"),
            std::string::npos);
  EXPECT_NE(CreateError("[1, 2]"), "");
  EXPECT_NE(CreateError("{\"model\": "), "");  // not JSON

  const std::string cut = dir_.Write("cut.flm", "");
  {
    std::ifstream in(model_path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    dir_.Write("cut.flm", bytes.substr(0, 100));
    const std::string error = CreateError("{\"model\": \"" + cut + "\"}");
    EXPECT_NE(
        error.find("truncated (expected " + std::to_string(bytes.size()) + " bytes, found 100)"),
        std::string::npos)
        << error;
  }
  EXPECT_NE(CreateError("{\"model\": \"" + dir_.Write("text.flm", "hello") + "\"}")
                .find("not a feedloop model"),
            std::string::npos);
}

}  // namespace
}  // namespace feedloop::learn

#endif  // FEEDLOOP_LEARNED_PLUGIN
