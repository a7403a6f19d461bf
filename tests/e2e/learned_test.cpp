// End-to-end: train a classifier on labelled feedback, evaluate it, and use it in the analysis.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

const std::string kLabelled = std::string(FEEDLOOP_SAMPLES_DIR) + "/labelled/";

double Figure(const std::string& text, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(name + " ([0-9.]+)"))) return -1;
  return std::stod(m[1]);
}

TEST(Learned, TrainEvaluateAndDeployInThreeCommands) {
  Scratch ws;
  std::string model = ws / "causes.flm";
  Output train = Feedloop({"train", "--input", kLabelled + "root_causes_train.csv", "--text",
                           "text", "--label", "label", "--out", model, "--holdout", "0.1"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("held-out accuracy"), std::string::npos);
  // The same input gives the same model, byte for byte.
  Output again = Feedloop({"train", "--input", kLabelled + "root_causes_train.csv", "--text",
                           "text", "--label", "label", "--out", ws / "again.flm", "--holdout",
                           "0.1", "--threads", "1"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(ReadFile(model), ReadFile(ws / "again.flm"));

  Output eval = Feedloop({"eval", "--input", kLabelled + "root_causes_test.csv", "--text", "text",
                          "--label", "label", "--model", model});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_GT(Figure(eval.out, "accuracy"), 0.85) << eval.out;
  EXPECT_NE(eval.out.find("confusion matrix"), std::string::npos);

  // Deployed as a plugin: it gives the root cause in stream.
  std::ofstream(ws / "feedloop.json")
      << "{\"plugins\": [{\"name\": \"sentiment\"}, {\"name\": \"learned\", "
         "\"config\": {\"model\": \""
      << model << "\", \"provides\": \"root_cause\"}}]}";
  Output stream = Feedloop({"stream", "--config", ws / "feedloop.json"}, ".", {},
                           "{\"text\": \"I was charged twice for my subscription this month\"}\n"
                           "{\"text\": \"The parcel arrived a week late\"}\n");
  ASSERT_EQ(stream.exit_code, 0) << stream.err;
  EXPECT_NE(stream.out.find("\"root_cause\":{\"label\":\"subscription\""), std::string::npos)
      << stream.out;
  EXPECT_NE(stream.out.find("\"root_cause\":{\"label\":\"delivery\""), std::string::npos)
      << stream.out;

  // A damaged model is refused with a clear message, and the plugin is named.
  std::string bytes = ReadFile(model);
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(ws / "broken.flm", std::ios::binary) << bytes;
  Output broken = Feedloop({"eval", "--input", kLabelled + "root_causes_test.csv", "--text", "text",
                            "--label", "label", "--model", ws / "broken.flm"});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_NE(broken.err.find("learned"), std::string::npos) << broken.err;
}

// The classifier runs beside the taxonomy and the root-cause plugin. Giving tags, it adds to the
// taxonomy's tags and the root-cause plugin reads both; giving the root cause, it decides it, and
// its "none" label means no complaint.
TEST(Learned, RunsBesideTheTaxonomyAndTheRootCausePlugin) {
  Scratch ws;
  const std::string model = ws / "causes.flm";
  ASSERT_EQ(Feedloop({"train", "--input", kLabelled + "root_causes_train.csv", "--text", "text",
                      "--label", "label", "--out", model})
                .exit_code,
            0);
  const std::string lines =
      "{\"text\": \"I was charged twice for my subscription this month\"}\n"
      "{\"text\": \"The parcel arrived a week late\"}\n"
      "{\"text\": \"Lovely kettle, works great, would buy again\"}\n";
  auto stream = [&](const std::string& provides) {
    std::ofstream(ws / "feedloop.json", std::ios::trunc)
        << "{\"plugins\": [{\"name\": \"sentiment\"}, {\"name\": \"taxonomy\"}, "
           "{\"name\": \"root-cause\"}, {\"name\": \"learned\", \"config\": {\"model\": \""
        << model << "\", \"provides\": \"" << provides << "\"}}]}";
    Output r = Feedloop({"stream", "--config", ws / "feedloop.json"}, ".", {}, lines);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out = Lines(r.out);
    EXPECT_EQ(out.size(), 3u) << r.out;
    out.resize(3);
    return out;
  };
  std::vector<std::string> as_cause = stream("root_cause");
  EXPECT_NE(as_cause[0].find("\"root_cause\":{\"label\":\"subscription\""), std::string::npos)
      << as_cause[0];
  EXPECT_NE(as_cause[1].find("\"root_cause\":{\"label\":\"delivery\""), std::string::npos)
      << as_cause[1];
  EXPECT_NE(as_cause[2].find("\"root_cause\":null"), std::string::npos) << as_cause[2];
  // The taxonomy still tags: its tags are not lost to the classifier.
  EXPECT_NE(as_cause[1].find("\"tag\":\"delivery/"), std::string::npos) << as_cause[1];

  std::vector<std::string> as_tags = stream("tags");
  EXPECT_NE(as_tags[0].find("\"root_cause\":{\"label\":\"subscription\""), std::string::npos)
      << as_tags[0];
  EXPECT_NE(as_tags[0].find("\"tag\":\"subscription\""), std::string::npos) << as_tags[0];
  EXPECT_NE(as_tags[1].find("\"root_cause\":{\"label\":"), std::string::npos) << as_tags[1];
  EXPECT_NE(as_tags[1].find("\"tag\":\"delivery/"), std::string::npos) << as_tags[1];
  EXPECT_NE(as_tags[2].find("\"root_cause\":null"), std::string::npos) << as_tags[2];
  EXPECT_EQ(as_tags[2].find("\"tag\":\"none\""), std::string::npos) << as_tags[2];
}

TEST(Learned, TrainsFromLabelsStoredWithTheItems) {
  Scratch ws;
  std::string input = ws / "labelled.jsonl";
  {
    std::ofstream out(input);
    const char* kinds[][2] = {{"my parcel never arrived and tracking is stuck", "delivery"},
                              {"box was crushed and the mug broken", "packaging"},
                              {"charged twice for the same order", "billing"}};
    for (int i = 0; i < 90; ++i) {
      out << "{\"id\": \"" << i << "\", \"kind\": \"review\", \"text\": \"" << kinds[i % 3][0]
          << " " << i << "\", \"attrs\": {\"cause\": \"" << kinds[i % 3][1] << "\"}}\n";
    }
  }
  ASSERT_EQ(Feedloop({"--db", ws / "f.db", "ingest", input}).exit_code, 0);
  Output train = Feedloop(
      {"--db", ws / "f.db", "train", "--from-db", "--label-field", "cause", "--out", ws / "m.flm"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("3 labels"), std::string::npos) << train.out;
  Output missing = Feedloop(
      {"--db", ws / "f.db", "train", "--from-db", "--label-field", "nope", "--out", ws / "x.flm"});
  EXPECT_EQ(missing.exit_code, 2);
}

// The learned plugin's results depend on the model file's content (its fingerprint is the file's
// checksum): the same bytes written again analyse nothing, a retrained model analyses every
// stored item again for the classifier only.
TEST(Learned, ARetrainedModelAnalysesStoredItemsAgain) {
  Scratch ws;
  const std::string model = ws / "causes.flm", db = ws / "f.db";
  auto train = [&](const char* epochs) {
    return Feedloop({"train", "--input", kLabelled + "root_causes_train.csv", "--text", "text",
                     "--label", "label", "--out", model, "--epochs", epochs})
        .exit_code;
  };
  ASSERT_EQ(train("10"), 0);
  ASSERT_EQ(Feedloop({"--db", db, "ingest",
                      std::string(FEEDLOOP_SAMPLES_DIR) + "/data/app_reviews.jsonl"})
                .exit_code,
            0);
  std::ofstream(ws / "feedloop.json")
      << "{\"plugins\": [{\"name\": \"sentiment\"}, {\"name\": \"learned\", "
         "\"config\": {\"model\": \""
      << model << "\", \"provides\": \"root_cause\"}}]}";
  auto analyze = [&] {
    Output r = Feedloop({"--db", db, "analyze", "--config", ws / "feedloop.json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::smatch m;
  const std::string first = analyze();
  ASSERT_TRUE(std::regex_search(first, m, std::regex(": ([0-9]+) items analyzed"))) << first;
  const std::string items = m[1];
  ASSERT_GT(std::stoi(items), 0);
  EXPECT_NE(first.find(items + " items analyzed (" + std::to_string(2 * std::stoi(items)) +
                       " plugin runs"),
            std::string::npos)
      << first;
  EXPECT_NE(analyze().find(": 0 items analyzed"), std::string::npos);
  // The same bytes, written again: nothing to do.
  const std::string bytes = ReadFile(model);
  std::ofstream(model, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_NE(analyze().find(": 0 items analyzed"), std::string::npos);
  // Retrained with other options: every item again, for the classifier alone.
  ASSERT_EQ(train("3"), 0);
  ASSERT_NE(ReadFile(model), bytes);
  EXPECT_NE(analyze().find(": " + items + " items analyzed (" + items + " plugin runs"),
            std::string::npos);
}

}  // namespace
}  // namespace feedloop::e2e
