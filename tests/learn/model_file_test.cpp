#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "feedloop/learn/model.hpp"
#include "feedloop/learn/trainer.hpp"
#include "learn_test_util.hpp"
#include "test_util.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace feedloop::learn {
namespace {

using testing::ComplaintRows;
using testing::FeaturesOf;
using testing::MakeSet;

// One trained model, shared by the tests (training is the slow part).
const std::string& ModelBytes() {
  static const std::string bytes = [] {
    ExampleSet all = MakeSet(ComplaintRows()), train, holdout;
    all.Split(0.25, 1, &train, &holdout);
    Result<Model> m = Train(train, &holdout, TrainOptions{});
    return m.ok() ? m.value().Serialize() : std::string();
  }();
  return bytes;
}

std::string ErrorOf(std::string_view bytes) {
  Result<Model> m = Model::Parse(bytes, "m.flm");
  return m.ok() ? "" : m.status().message();
}

// Rewrites the checksum, as a forger would, so that the checks after it are exercised.
void Reseal(std::string* bytes) {
  uint64_t seed = XXH3_64bits(bytes->data(), 24);
  uint64_t sum = XXH3_64bits_withSeed(bytes->data() + 32, bytes->size() - 32, seed);
  std::memcpy(bytes->data() + 24, &sum, 8);
}

TEST(LearnModelFile, RoundTripPredictsTheSame) {
  ASSERT_FALSE(ModelBytes().empty());
  Result<Model> parsed = Model::Parse(ModelBytes(), "m.flm");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed.value().Serialize(), ModelBytes());  // a load loses nothing

  feedloop::testing::TempDir dir;
  const std::string path = dir.File("model.flm");
  ASSERT_TRUE(parsed.value().Save(path).ok());
  Result<Model> loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();

  auto a = std::make_shared<const Model>(std::move(parsed).value());
  auto b = std::make_shared<const Model>(std::move(loaded).value());
  EXPECT_EQ(a->labels(), b->labels());
  EXPECT_EQ(a->temperature(), b->temperature());
  EXPECT_EQ(a->info(), b->info());
  Classifier ca(a), cb(b);
  for (const char* text : {"parcel late", "crushed box", "refund", "something else entirely", ""}) {
    const std::vector<Feature> f = FeaturesOf(text);
    std::vector<Prediction> pa = ca.PredictFeatures(f, 0), pb = cb.PredictFeatures(f, 0);
    ASSERT_EQ(pa.size(), pb.size()) << text;
    for (size_t i = 0; i < pa.size(); ++i) {
      EXPECT_EQ(pa[i].label, pb[i].label);
      EXPECT_EQ(pa[i].probability, pb[i].probability);
    }
  }
}

TEST(LearnModelFile, RefusesAnEmptyFile) {
  EXPECT_NE(ErrorOf("").find("empty file"), std::string::npos);
  feedloop::testing::TempDir dir;
  Result<Model> m = Model::Load(dir.Write("empty.flm", ""));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("empty.flm: empty file"), std::string::npos)
      << m.status().message();
}

TEST(LearnModelFile, RefusesWrongMagic) {
  std::string bytes = ModelBytes();
  bytes[1] = 'X';
  EXPECT_NE(ErrorOf(bytes).find("not a feedloop model file"), std::string::npos);
  EXPECT_NE(ErrorOf("__label__x hello\n").find("not a feedloop model file"), std::string::npos);
}

TEST(LearnModelFile, RefusesATruncatedFileSayingHowMuchIsMissing) {
  const std::string& bytes = ModelBytes();
  const std::string cut = bytes.substr(0, 1000);
  EXPECT_EQ(ErrorOf(cut), "model m.flm: truncated (expected " + std::to_string(bytes.size()) +
                              " bytes, found 1000)");
  // Every length short of the whole file is refused, and none crashes.
  for (size_t n = 0; n < bytes.size(); n += (n < 256 ? 1 : 97)) {
    EXPECT_NE(ErrorOf(std::string_view(bytes).substr(0, n)), "") << n;
  }
  EXPECT_NE(ErrorOf(bytes + "x").find("size mismatch"), std::string::npos);
}

TEST(LearnModelFile, RefusesAFlippedByteAnywhere) {
  const std::string& bytes = ModelBytes();
  for (size_t at = 0; at < bytes.size(); at += (at < 512 ? 1 : 61)) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
    EXPECT_NE(ErrorOf(flipped), "") << "byte " << at;
  }
  std::string body = bytes;
  body[body.size() / 2] ^= 1;
  EXPECT_EQ(ErrorOf(body), "model m.flm: checksum mismatch: the file is corrupt");
}

// The layout docs/learned.md documents: the meta size m counts its own four bytes, the labels
// start at 32 + m in name order, and a reader skips meta fields appended after the ones it knows.
TEST(LearnModelFile, LabelsStartAfterTheMetaBlockAndAppendedMetaFieldsAreSkipped) {
  const std::string& bytes = ModelBytes();
  ASSERT_GT(bytes.size(), 80u);
  uint32_t meta = 0, label_count = 0, first_size = 0;
  std::memcpy(&meta, bytes.data() + 32, 4);
  std::memcpy(&label_count, bytes.data() + 56, 4);
  std::memcpy(&first_size, bytes.data() + 32 + meta, 4);
  EXPECT_EQ(meta, 40u);
  Result<Model> parsed = Model::Parse(bytes, "m.flm");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const std::vector<std::string>& labels = parsed.value().labels();
  ASSERT_EQ(labels.size(), label_count);
  EXPECT_EQ(bytes.substr(32 + meta + 4, first_size), labels[0]);

  // A later writer appends 8 bytes to the meta block: this reader loads the same model.
  std::string grown = bytes.substr(0, 32 + meta) + std::string(8, '\x7f') + bytes.substr(32 + meta);
  const uint32_t bigger = meta + 8;
  std::memcpy(grown.data() + 32, &bigger, 4);
  const uint64_t size = grown.size();
  std::memcpy(grown.data() + 16, &size, 8);
  Reseal(&grown);
  Result<Model> reread = Model::Parse(grown, "m.flm");
  ASSERT_TRUE(reread.ok()) << reread.status().message();
  EXPECT_EQ(reread.value().Serialize(), bytes);
}

TEST(LearnModelFile, RefusesANewerFormatVersion) {
  std::string bytes = ModelBytes();
  const uint32_t version = kModelFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &version, 4);
  Reseal(&bytes);
  EXPECT_NE(ErrorOf(bytes).find("is newer than the version this feedloop reads"), std::string::npos)
      << ErrorOf(bytes);
}

TEST(LearnModelFile, RefusesForgedCountsEvenWithAValidChecksum) {
  // Offsets in the meta block (after the 32-byte header and the 4-byte meta size).
  constexpr size_t kMeta = 36;
  struct Forgery {
    size_t offset;
    uint32_t value;
    const char* expect;
  };
  const Forgery forgeries[] = {
      {kMeta + 0, 7, "label mode"},           // mode byte (+ encoding, reserved)
      {kMeta + 4, 0, "buckets"},              // zero buckets
      {kMeta + 8, 1000, "word n-grams"},      // absurd n-gram order
      {kMeta + 20, 0, "0 labels"},            // no labels
      {kMeta + 20, 0xFFFFFFFF, "labels"},     // billions of labels
      {kMeta + 24, 0xFFFFFFF0, "row count"},  // rows the file cannot hold
      {kMeta + 32, 0xFFFFFFF0, "info"},       // info larger than the file
  };
  for (const Forgery& f : forgeries) {
    std::string bytes = ModelBytes();
    std::memcpy(bytes.data() + f.offset, &f.value, 4);
    Reseal(&bytes);
    const std::string error = ErrorOf(bytes);
    EXPECT_NE(error.find("corrupt"), std::string::npos) << f.expect << ": " << error;
    EXPECT_NE(error.find(f.expect), std::string::npos) << f.expect << ": " << error;
  }
  // A NaN temperature.
  std::string bytes = ModelBytes();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(bytes.data() + kMeta + 28, &nan, 4);
  Reseal(&bytes);
  EXPECT_NE(ErrorOf(bytes).find("temperature"), std::string::npos);
}

TEST(LearnModelFile, SurvivesRandomDamage) {
  // Random multi-byte damage, resealed so the parser (not the checksum) has to cope.
  const std::string& original = ModelBytes();
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int round = 0; round < 300; ++round) {
    std::string bytes = original;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      bytes[32 + next() % (bytes.size() - 32)] = static_cast<char>(next());
    }
    Reseal(&bytes);
    Result<Model> m = Model::Parse(bytes, "fuzz");
    if (!m.ok()) continue;
    // Whatever parses must be usable.
    auto model = std::make_shared<const Model>(std::move(m).value());
    Classifier c(model);
    (void)c.PredictFeatures(FeaturesOf("late crushed refund", model->feature_options()), 0);
  }
}

TEST(LearnModelFile, LoadNamesTheProblem) {
  Result<Model> missing = Model::Load("/nonexistent/dir/m.flm");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/dir/m.flm"), std::string::npos);
  feedloop::testing::TempDir dir;
  Result<Model> directory = Model::Load(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace feedloop::learn
