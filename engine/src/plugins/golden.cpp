#include "feedloop/plugins/golden.hpp"

#include <feedloop/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"

namespace feedloop::plugins {
namespace {

std::string Fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", v);
  return buf;
}

std::string SpansText(const std::vector<feedloop_span>& spans) {
  std::string s = "[";
  for (size_t i = 0; i < spans.size(); ++i) {
    s += (i ? ", [" : "[") + std::to_string(spans[i].begin) + ", " + std::to_string(spans[i].end) +
         "]";
  }
  return s + "]";
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

void CheckSentiment(const json::Value& want, const pipeline::PluginOutput& got,
                    std::vector<std::string>* diffs) {
  if (!got.sentiment) {
    diffs->push_back("sentiment: expected a score, the plugin gave none");
    return;
  }
  double s = *got.sentiment;
  std::string label = pipeline::SentimentLabel(s);
  if (want.is_string()) {
    if (want.as_string() != label)
      diffs->push_back("sentiment: expected " + want.as_string() + ", got " + label + " (" +
                       Fmt(s) + ")");
    return;
  }
  if (want.is_number()) {
    if (std::fabs(s - want.as_number()) > 0.1) {
      diffs->push_back("sentiment: expected " + Fmt(want.as_number()) + " +/- 0.1, got " + Fmt(s));
    }
    return;
  }
  if (const json::Value* l = want.find("label"); l != nullptr && l->as_string() != label) {
    diffs->push_back("sentiment: expected " + l->as_string() + ", got " + label + " (" + Fmt(s) +
                     ")");
  }
  if (const json::Value* score = want.find("score")) {
    double tol = want.get_number("tolerance", 0.1);
    if (std::fabs(s - score->as_number()) > tol) {
      diffs->push_back("sentiment: expected " + Fmt(score->as_number()) + " +/- " + Fmt(tol) +
                       ", got " + Fmt(s));
    }
  }
  if (const json::Value* lo = want.find("min"); lo != nullptr && s < lo->as_number()) {
    diffs->push_back("sentiment: expected at least " + Fmt(lo->as_number()) + ", got " + Fmt(s));
  }
  if (const json::Value* hi = want.find("max"); hi != nullptr && s > hi->as_number()) {
    diffs->push_back("sentiment: expected at most " + Fmt(hi->as_number()) + ", got " + Fmt(s));
  }
}

std::set<std::string> Strings(const json::Value& v) {
  std::set<std::string> out;
  for (const json::Value& e : v.as_array()) out.insert(e.as_string());
  return out;
}

void CheckTags(const json::Value& expect, const pipeline::PluginOutput& got,
               std::vector<std::string>* diffs) {
  std::set<std::string> have;
  for (const pipeline::Label& t : got.tags) have.insert(t.label);
  if (const json::Value* exact = expect.find("tags")) {
    std::set<std::string> want = Strings(*exact);
    if (want != have)
      diffs->push_back("tags: expected {" + Join(want) + "}, got {" + Join(have) + "}");
  }
  if (const json::Value* include = expect.find("tags_include")) {
    for (const std::string& t : Strings(*include)) {
      if (have.count(t) == 0)
        diffs->push_back("tags: expected " + t + ", missing (got {" + Join(have) + "})");
    }
  }
  if (const json::Value* exclude = expect.find("tags_exclude")) {
    for (const std::string& t : Strings(*exclude)) {
      if (have.count(t) != 0) diffs->push_back("tags: " + t + " must not be tagged, but was");
    }
  }
  if (const json::Value* spans = expect.find("spans")) {
    for (const auto& [tag, want] : spans->as_object()) {
      // An init-capture: clang before 16 cannot capture a structured binding.
      auto it = std::find_if(got.tags.begin(), got.tags.end(),
                             [&tag = tag](const pipeline::Label& l) { return l.label == tag; });
      std::vector<feedloop_span> expected;
      for (const json::Value& s : want.as_array()) {
        const auto& pair = s.as_array();
        if (pair.size() != 2) throw json::Error(s.line(), "a span is [begin, end]");
        expected.push_back({static_cast<uint32_t>(pair[0].as_number()),
                            static_cast<uint32_t>(pair[1].as_number())});
      }
      std::vector<feedloop_span> actual =
          it == got.tags.end() ? std::vector<feedloop_span>{} : it->spans;
      auto same = [](const std::vector<feedloop_span>& a, const std::vector<feedloop_span>& b) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i) {
          if (a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
        }
        return true;
      };
      if (!same(expected, actual)) {
        diffs->push_back("spans of " + tag + ": expected " + SpansText(expected) + ", got " +
                         SpansText(actual));
      }
    }
  }
}

void CheckRootCause(const json::Value& want, const pipeline::PluginOutput& got,
                    std::vector<std::string>* diffs) {
  std::string have = got.root_cause ? got.root_cause->label : "null";
  std::string expected = want.is_null()     ? "null"
                         : want.is_string() ? want.as_string()
                                            : want.get_string("label");
  if (have != expected) diffs->push_back("root_cause: expected " + expected + ", got " + have);
  if (want.is_object() && got.root_cause) {
    if (const json::Value* min = want.find("min_confidence");
        min != nullptr && got.root_cause->confidence < min->as_number()) {
      diffs->push_back("root_cause confidence: expected at least " + Fmt(min->as_number()) +
                       ", got " + Fmt(got.root_cause->confidence));
    }
  }
}

void CheckLabels(const json::Value& want, const pipeline::PluginOutput& got,
                 std::vector<std::string>* diffs) {
  for (const auto& [annotation, labels] : want.as_object()) {
    std::set<std::string> expected = Strings(labels);
    std::set<std::string> have;
    for (const auto& [name, l] : got.labels) {
      if (name == annotation) have.insert(l.label);
    }
    if (expected != have) {
      diffs->push_back(annotation + ": expected {" + Join(expected) + "}, got {" + Join(have) +
                       "}");
    }
  }
}

}  // namespace

Result<std::vector<CaseResult>> RunGoldenCases(const pipeline::AnalysisPlan& plan,
                                               const std::string& tested,
                                               const std::string& cases_path) {
  int index = -1;
  for (size_t p = 0; p < plan.size(); ++p) {
    if (plan.plugins()[p].library->name() == tested) index = static_cast<int>(p);
  }
  if (index < 0) return Status::Usage("plugin " + tested + " is not in the plan");
  std::ifstream in(cases_path);
  if (!in) return Status::NotFound("cannot read cases file " + cases_path);
  Result<std::unique_ptr<pipeline::BatchAnalyzer>> analyzer = pipeline::BatchAnalyzer::Create(plan);
  if (!analyzer.ok()) return analyzer.status();
  ingest::ValidationOptions vo;
  vo.kind = Kind::kReview;
  vo.source = "golden";
  ingest::Mapper mapper(ingest::Mapping(), vo);
  ingest::JsonObjectParser parser;
  std::vector<CaseResult> results;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos ||
        line[line.find_first_not_of(" \t")] == '#')
      continue;
    CaseResult r;
    r.line = number;
    auto where = [&](const std::string& m) {
      return cases_path + ":" + std::to_string(number) + ": " + m;
    };
    try {
      json::Value c = json::Parse(line);
      r.name = c.get_string("name", "line " + std::to_string(number));
      const json::Value* item_json = c.find("item");
      const json::Value* expect = c.find("expect");
      if (item_json == nullptr || expect == nullptr) {
        return Status::InvalidInput(where("a case needs \"item\" and \"expect\""));
      }
      ingest::FlatRecord record;
      std::string err = parser.Parse(json::Dump(*item_json), &record);
      Item item;
      if (err.empty()) err = mapper.Map(record, &item, std::to_string(number));
      if (!err.empty()) return Status::InvalidInput(where("invalid item: " + err));
      std::vector<Item> items{item};
      std::vector<std::vector<pipeline::PluginOutput>> outputs;
      (*analyzer)->Analyze(items, nullptr, &outputs);
      const pipeline::PluginOutput& got = outputs[0][static_cast<size_t>(index)];
      if (got.failed) r.differences.push_back("the plugin failed: " + got.error);
      if (const json::Value* s = expect->find("sentiment")) CheckSentiment(*s, got, &r.differences);
      CheckTags(*expect, got, &r.differences);
      if (const json::Value* rc = expect->find("root_cause"))
        CheckRootCause(*rc, got, &r.differences);
      if (const json::Value* l = expect->find("labels")) CheckLabels(*l, got, &r.differences);
    } catch (const json::Error& e) {
      return Status::InvalidInput(where(e.what()));
    }
    r.passed = r.differences.empty();
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace feedloop::plugins
