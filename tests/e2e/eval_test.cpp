// End-to-end: `feedloop eval` on small labelled files: sentiment against class labels and numbers,
// a file without usable labels, --map keys that match nothing, and the per-class table's layout.
#include <gtest/gtest.h>

#include <feedloop/json.hpp>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

const char* const kTexts[] = {
    "I love it, great product and fast delivery!",
    "Terrible. The box was crushed and late.",
    "The parcel arrived on Tuesday.",
    "Awful service, never again.",
    "Great, thank you so much!",
    "Still waiting for my refund, very annoying.",
};

// A CSV of the texts above with the given labels.
std::string WriteCsv(const Scratch& ws, const std::string& name,
                     const std::vector<std::string>& labels) {
  std::string path = ws / name;
  std::ofstream out(path);
  out << "text,label\n";
  for (size_t i = 0; i < labels.size(); ++i) out << '"' << kTexts[i] << "\"," << labels[i] << "\n";
  return path;
}

Output Eval(const std::string& csv, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"eval",      "--input",   csv,        "--annotation",
                                   "sentiment", "--plugins", "sentiment"};
  args.insert(args.end(), extra.begin(), extra.end());
  return Feedloop(args);
}

TEST(Eval, SentimentScoresClassLabelsWithoutAPearsonR) {
  Scratch ws;
  std::string csv = WriteCsv(
      ws, "classes.csv", {"positive", "NEGATIVE", "neutral", "Negative", " positive", "negative"});
  Output text = Eval(csv, {});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Pearson r: not computed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("three classes: accuracy"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(6 examples)"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("skipped"), std::string::npos) << text.out;

  Output j = Eval(csv, {"--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json::Value v = json::Parse(j.out);
  EXPECT_TRUE(v.find("pearson_r")->is_null()) << j.out;
  EXPECT_EQ(v.find("class_labels")->as_number(), 6) << j.out;
  EXPECT_EQ(v.find("numeric_labels")->as_number(), 0) << j.out;
  // The built-in plugin gets these plain cases right: the figures are computed, not zero.
  EXPECT_GE(v.find("three_class_accuracy")->as_number(), 0.8) << j.out;
  EXPECT_GE(v.find("f1")->as_number(), 0.8) << j.out;
  size_t classes = v.find("per_class")->as_array().size();
  EXPECT_EQ(classes, 3u) << j.out;
}

TEST(Eval, SentimentStillCorrelatesNumericLabels) {
  Scratch ws;
  std::string csv = WriteCsv(ws, "numbers.csv", {"3.1", "-2.8", "0", "-3", "2.5", "-1.9"});
  Output j = Eval(csv, {"--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json::Value v = json::Parse(j.out);
  ASSERT_TRUE(v.find("pearson_r")->is_number()) << j.out;
  EXPECT_GT(v.find("pearson_r")->as_number(), 0.7) << j.out;
  EXPECT_EQ(v.find("numeric_labels")->as_number(), 6) << j.out;
}

TEST(Eval, SentimentRefusesAFileWithoutAUsableLabel) {
  Scratch ws;
  std::string csv = WriteCsv(ws, "words.csv", {"good", "bad", "meh", "bad", "good", "bad"});
  Output o = Eval(csv, {});
  EXPECT_EQ(o.exit_code, 2) << o.out;
  EXPECT_NE(o.err.find("no row has a usable sentiment label in 'label'"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("'good' (line"), std::string::npos) << o.err;
  EXPECT_EQ(o.out.find("Pearson"), std::string::npos) << o.out;
}

// --map renames the data's labels; a key that matches neither the data nor what the plugins gave
// is named on stderr (it was not used: most likely misspelt).
TEST(Eval, MapRenamesLabelsAndNamesTheKeysThatMatchNothing) {
  Scratch ws;
  std::string csv = WriteCsv(ws, "short.csv", {"pos", "neg", "neu", "neg", "pos", "neg"});
  std::ofstream(ws / "map.json")
      << R"({"pos": "positive", "neg": "negative", "neu": "neutral", "nuetral": "neutral"})";
  Output o = Eval(csv, {"--map", ws / "map.json", "--json"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  json::Value v = json::Parse(o.out);
  EXPECT_EQ(v.find("class_labels")->as_number(), 6) << o.out;
  EXPECT_EQ(v.find("skipped")->as_number(), 0) << o.out;
  EXPECT_NE(o.err.find("--map: 1 key is neither a label of"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'nuetral'"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("'pos'"), std::string::npos) << o.err;

  // A key naming a label the plugins gave is used (root causes map gold onto the plugin's).
  std::ofstream(ws / "causes.csv") << "text,label\n"
                                   << "\"The box arrived crushed\",PACKAGING\n"
                                   << "\"Two weeks late, awful\",DELIVERY\n";
  std::ofstream(ws / "causes.json")
      << R"({"PACKAGING": "packaging", "DELIVERY": "delivery", "REFUNDS": "returns"})";
  Output rc = Feedloop({"eval", "--input", ws / "causes.csv", "--map", ws / "causes.json"});
  ASSERT_EQ(rc.exit_code, 0) << rc.err;
  EXPECT_NE(rc.err.find("'REFUNDS'"), std::string::npos) << rc.err;
  EXPECT_EQ(rc.err.find("'PACKAGING'"), std::string::npos) << rc.err;
}

// The per-class table is as wide as its longest class name: every row lines up.
TEST(Eval, ThePerClassTableFitsLongClassNames) {
  Scratch ws;
  const std::string long_name = "packaging-and-damage-in-transit-including-crushed-boxes";
  std::ofstream(ws / "long.csv") << "text,label\n"
                                 << "\"The box arrived crushed\"," << long_name << "\n"
                                 << "\"Two weeks late, awful\",delivery\n"
                                 << "\"Lovely, thanks\",none\n";
  Output o = Feedloop({"eval", "--input", ws / "long.csv"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::istringstream in(o.out);
  std::vector<std::string> table;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  class ", 0) == 0) inside = true;
    if (inside && line.empty()) break;
    if (inside) table.push_back(line);
  }
  ASSERT_GE(table.size(), 4u) << o.out;  // the header and a row per class
  for (const std::string& row : table) {
    EXPECT_EQ(row.size(), table[0].size()) << "misaligned:\n" << o.out;
  }
  EXPECT_NE(o.out.find("  " + long_name + " "), std::string::npos) << o.out;
}

}  // namespace
}  // namespace feedloop::e2e
