#include "feedloop/learn/trainer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "feedloop/learn/model.hpp"
#include "learn_test_util.hpp"

namespace feedloop::learn {
namespace {

using testing::ComplaintRows;
using testing::FeaturesOf;
using testing::MakeSet;

Model TrainOk(const ExampleSet& train, const ExampleSet* validation, const TrainOptions& o,
              TrainSummary* summary = nullptr) {
  Result<Model> m = Train(train, validation, o, summary);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? std::move(m).value() : Model();
}

std::string Top(Classifier& c, const std::string& text) {
  const std::vector<Prediction>& p =
      c.PredictFeatures(FeaturesOf(text, c.model().feature_options()), 1);
  return p.empty() ? "" : c.model().labels()[p[0].label];
}

TEST(LearnTrainer, SeparableProblemReachesFullTrainingAccuracy) {
  const ExampleSet train = MakeSet(ComplaintRows());
  auto model = std::make_shared<const Model>(TrainOk(train, nullptr, TrainOptions{}));
  ASSERT_EQ(model->labels(), (std::vector<std::string>{"damage", "delivery", "refund"}));
  Classifier c(model);
  for (const auto& [text, label] : ComplaintRows()) EXPECT_EQ(Top(c, text), label) << text;
  // And it generalizes to close paraphrases.
  EXPECT_EQ(Top(c, "my refund still has not arrived"), "refund");
  EXPECT_EQ(Top(c, "box crushed, kettle broken"), "damage");
}

TEST(LearnTrainer, ProbabilitiesAreADistribution) {
  auto model = std::make_shared<const Model>(TrainOk(MakeSet(ComplaintRows()), nullptr, {}));
  Classifier c(model);
  const std::vector<Prediction>& p = c.PredictFeatures(FeaturesOf("late parcel"), 0);
  ASSERT_EQ(p.size(), 3u);
  float total = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    total += p[i].probability;
    if (i > 0) {
      EXPECT_GE(p[i - 1].probability, p[i].probability);
    }
  }
  EXPECT_NEAR(total, 1.0f, 1e-4);
  EXPECT_EQ(model->labels()[p[0].label], "delivery");
  // top-k and the minimum probability cut the list.
  EXPECT_EQ(c.PredictFeatures(FeaturesOf("late parcel"), 2).size(), 2u);
  EXPECT_EQ(c.PredictFeatures(FeaturesOf("late parcel"), 0, 1.01f).size(), 0u);
  // No features (an empty text): no prediction at all.
  EXPECT_TRUE(c.PredictFeatures({}, 1).empty());
}

TEST(LearnTrainer, SameInputGivesByteIdenticalModels) {
  const ExampleSet all = MakeSet(ComplaintRows());
  ExampleSet train, holdout;
  all.Split(0.25, 7, &train, &holdout);
  TrainOptions o;
  o.threads = 1;
  const std::string first = TrainOk(train, &holdout, o).Serialize();
  o.threads = 4;  // threads evaluate and featurize; they never change the model
  const std::string second = TrainOk(train, &holdout, o).Serialize();
  EXPECT_EQ(first, second);
  o.seed = 2;
  EXPECT_NE(TrainOk(train, &holdout, o).Serialize(), first);  // and the seed does matter
}

TEST(LearnTrainer, InputOrderOfLabelsDoesNotMatter) {
  std::vector<std::pair<std::string, std::string>> rows = ComplaintRows();
  std::swap(rows[0], rows[8]);  // "refund" is now the first label seen
  std::swap(rows[0], rows[4]);
  auto model = TrainOk(MakeSet(rows), nullptr, {});
  EXPECT_EQ(model.labels(), (std::vector<std::string>{"damage", "delivery", "refund"}));
}

TEST(LearnTrainer, SplitIsStratifiedAndSeeded) {
  const ExampleSet all = MakeSet(ComplaintRows());
  ExampleSet train, holdout;
  all.Split(0.25, 1, &train, &holdout);
  ASSERT_EQ(holdout.size(), 3u);  // one of the four examples of each label
  EXPECT_EQ(train.size(), 9u);
  std::set<std::string> held_labels;
  for (size_t i = 0; i < holdout.size(); ++i) {
    held_labels.insert(holdout.label_names()[holdout.label_ids(i)[0]]);
  }
  EXPECT_EQ(held_labels.size(), 3u);
  ExampleSet train2, holdout2;
  all.Split(0.25, 1, &train2, &holdout2);
  for (size_t i = 0; i < holdout.size(); ++i) {
    ASSERT_EQ(holdout.features(i).size(), holdout2.features(i).size());
  }
  // A label with a single example stays in training.
  ExampleSet tiny = MakeSet({{"late parcel", "delivery"}, {"crushed box", "damage"}});
  ExampleSet t3, h3;
  tiny.Split(0.9, 1, &t3, &h3);
  EXPECT_EQ(t3.size(), 2u);
  EXPECT_EQ(h3.size(), 0u);
}

TEST(LearnTrainer, ReportsEveryEpochAndCalibrates) {
  const ExampleSet all = MakeSet(ComplaintRows());
  ExampleSet train, holdout;
  all.Split(0.25, 3, &train, &holdout);
  TrainOptions o;
  o.epochs = 4;
  std::vector<EpochReport> reports;
  o.on_epoch = [&](const EpochReport& r) { reports.push_back(r); };
  TrainSummary summary;
  Model m = TrainOk(train, &holdout, o, &summary);
  ASSERT_EQ(reports.size(), 4u);
  for (size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].epoch, i + 1);
    EXPECT_TRUE(reports[i].has_validation);
    EXPECT_GE(reports[i].validation_accuracy, 0.0);
    EXPECT_LE(reports[i].validation_accuracy, 1.0);
  }
  EXPECT_LT(reports.back().train_loss, reports.front().train_loss);
  EXPECT_EQ(summary.examples, 9u);
  EXPECT_GE(summary.validation_accuracy, 0.0);
  EXPECT_GE(m.temperature(), 0.25f);
  EXPECT_LE(m.temperature(), 4.0f);
  EXPECT_NE(m.info().find("\"validation_examples\": 3"), std::string::npos) << m.info();
}

TEST(LearnTrainer, UnknownValidationLabelsCountAsMisses) {
  const ExampleSet train = MakeSet(ComplaintRows());
  const ExampleSet validation =
      MakeSet({{"parcel late", "delivery"}, {"wrong colour sent", "wrong_item"}});
  TrainSummary summary;
  TrainOk(train, &validation, TrainOptions{}, &summary);
  EXPECT_DOUBLE_EQ(summary.validation_accuracy, 0.5);
}

TEST(LearnTrainer, MultiLabel) {
  const ExampleSet train = MakeSet({
      {"parcel late and the box crushed", "delivery|damage"},
      {"arrived late with a broken lid", "delivery|damage"},
      {"very late delivery", "delivery"},
      {"courier late again", "delivery"},
      {"box crushed", "damage"},
      {"broken glass inside", "damage"},
      {"refund please, it came late", "refund|delivery"},
      {"no refund yet", "refund"},
      {"where is my refund", "refund"},
      {"lovely kettle, works well", ""},  // no label: a valid multi-label example with no label
  });
  TrainOptions o;
  o.mode = LabelMode::kMulti;
  o.epochs = 30;
  auto model = std::make_shared<const Model>(TrainOk(train, nullptr, o));
  ASSERT_EQ(model->mode(), LabelMode::kMulti);
  Classifier c(model);
  auto labels_of = [&](const std::string& text) {
    std::set<std::string> out;
    for (const Prediction& p : c.PredictFeatures(FeaturesOf(text), 0)) {
      out.insert(model->labels()[p.label]);
    }
    return out;
  };
  EXPECT_EQ(labels_of("parcel late and the box crushed"),
            (std::set<std::string>{"damage", "delivery"}));
  EXPECT_EQ(labels_of("very late delivery"), (std::set<std::string>{"delivery"}));
  EXPECT_EQ(labels_of("no refund yet"), (std::set<std::string>{"refund"}));
  EXPECT_EQ(labels_of("refund please, it came late"),
            (std::set<std::string>{"delivery", "refund"}));
}

TEST(LearnTrainer, MultiLabelTunesThresholdsOnValidation) {
  const ExampleSet train = MakeSet({{"late parcel", "delivery"},
                                    {"crushed box", "damage"},
                                    {"late and crushed", "delivery|damage"},
                                    {"very late", "delivery"}});
  const ExampleSet validation = MakeSet({{"late", "delivery"}, {"crushed", "damage"}});
  TrainOptions o;
  o.mode = LabelMode::kMulti;
  Model m = TrainOk(train, &validation, o);
  ASSERT_EQ(m.thresholds().size(), 2u);
  for (float t : m.thresholds()) {
    EXPECT_GE(t, 0.05f);
    EXPECT_LE(t, 0.95f);
  }
}

TEST(LearnTrainer, BalancedClassWeights) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (int i = 0; i < 30; ++i) rows.push_back({"parcel late day " + std::to_string(i), "delivery"});
  rows.push_back({"box crushed", "damage"});
  rows.push_back({"crushed lid", "damage"});
  TrainOptions o;
  o.class_weights = ClassWeights::kBalanced;
  auto model = std::make_shared<const Model>(TrainOk(MakeSet(rows), nullptr, o));
  Classifier c(model);
  EXPECT_EQ(Top(c, "crushed"), "damage");
  EXPECT_NE(model->info().find("\"class_weights\": \"balanced\""), std::string::npos);
}

TEST(LearnTrainer, RefusesWhatItCannotLearn) {
  Result<Model> empty = Train(ExampleSet{}, nullptr, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no training example"), std::string::npos);

  Result<Model> one = Train(MakeSet({{"late", "delivery"}, {"later", "delivery"}}), nullptr, {});
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().message().find("at least two"), std::string::npos);

  TrainOptions bad;
  bad.epochs = 0;
  Result<Model> no_epochs = Train(MakeSet(ComplaintRows()), nullptr, bad);
  ASSERT_FALSE(no_epochs.ok());
  EXPECT_EQ(no_epochs.status().code(), Status::Code::kUsage);
  bad = TrainOptions{};
  bad.learning_rate = -1;
  EXPECT_FALSE(Train(MakeSet(ComplaintRows()), nullptr, bad).ok());
}

}  // namespace
}  // namespace feedloop::learn
