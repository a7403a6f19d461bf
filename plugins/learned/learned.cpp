// learned: classifies each item with a linear model trained by `feedloop train` (see
// docs/learned.md), and reports the result as the item's root cause, as tags, or as the labels
// of a custom annotation.
//
//   {"name": "learned", "config": {"model": "models/causes.flm", "provides": "root_cause"}}
//
// The descriptor declares every annotation the plugin can emit ("root_cause,tags,learned"); the
// config picks the one it does emit, and the instance says so to the host (Provides), which
// orders the plugins by it: a classifier giving tags runs before the root-cause plugin and adds
// to the taxonomy's tags. Its fingerprint is the model file's hash, so a retrained model analyses
// stored items again. The model is loaded once per process and shared by the instances of every
// worker thread.
#include <feedloop/learn/model.hpp>
#include <feedloop/sdk.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

namespace {

using feedloop::sdk::ConfigError;
namespace json = feedloop::json;
namespace learn = feedloop::learn;

// Loaded models by path, size and modification time: the workers' instances share one copy,
// and a model retrained in place is picked up by the next run's instances.
class ModelCache {
 public:
  static std::shared_ptr<const learn::Model> Get(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      throw ConfigError("model " + path + ": cannot open it (" + std::strerror(errno) +
                        "); train one with `feedloop train`");
    }
    const Key key{path, static_cast<int64_t>(st.st_size), static_cast<int64_t>(st.st_mtime)};
    static std::mutex mu;
    static std::map<Key, std::weak_ptr<const learn::Model>> cache;
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end()) {
      if (std::shared_ptr<const learn::Model> model = it->second.lock()) return model;
    }
    feedloop::Result<learn::Model> loaded = learn::Model::Load(path);
    if (!loaded.ok()) throw ConfigError(loaded.status().message());
    auto model = std::make_shared<const learn::Model>(std::move(loaded).value());
    cache[key] = model;
    return model;
  }

 private:
  using Key = std::tuple<std::string, int64_t, int64_t>;
};

enum class Output { kRootCause, kTags, kLabels };

bool ValidAnnotationName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

class Learned : public feedloop::sdk::Plugin {
 public:
  static constexpr const char* kConfigSchema = R"({
  "type": "object",
  "required": ["model"],
  "additionalProperties": false,
  "properties": {
    "model": {"type": "string", "description": "path of a .flm model written by feedloop train"},
    "provides": {"type": "string", "default": "root_cause",
                 "description": "root_cause (the top label), tags, or a custom annotation name"},
    "top_k": {"type": "integer", "minimum": 0,
              "description": "labels per item; default 1, or every label above its threshold for a multi-label model; 0: no limit"},
    "threshold": {"type": "number", "minimum": 0, "maximum": 1, "default": 0,
                  "description": "minimum probability of a label to be emitted"},
    "none_label": {"type": "string", "default": "none",
                   "description": "the label that means no complaint: predicting it emits nothing, so the root cause is null"}
  }
})";

  void Configure(const feedloop::sdk::Config& config) override {
    const json::Value& root = config.root();
    if (root.is_object()) {
      for (const auto& [key, value] : root.as_object()) {
        if (key != "model" && key != "provides" && key != "top_k" && key != "threshold" &&
            key != "none_label") {
          throw ConfigError("unknown config key '" + key +
                            "' (known: model, provides, top_k, threshold, none_label)");
        }
      }
    }
    const std::string path = String(config, "model", "");
    if (path.empty()) {
      throw ConfigError(
          "config: 'model' (the path of a model written by `feedloop train`) is "
          "required");
    }
    provides_ = String(config, "provides", "root_cause");
    if (provides_ == "root_cause") {
      output_ = Output::kRootCause;
    } else if (provides_ == "tags") {
      output_ = Output::kTags;
    } else if (provides_ == "sentiment" || !ValidAnnotationName(provides_)) {
      throw ConfigError("config: provides '" + provides_.substr(0, 64) +
                        "' must be root_cause, tags, or a custom annotation name ([a-z0-9_-], at "
                        "most 64 characters, not sentiment)");
    } else {
      output_ = Output::kLabels;
    }
    none_label_ = String(config, "none_label", "none");
    const std::shared_ptr<const learn::Model> model = ModelCache::Get(path);
    const bool multi = model->mode() == learn::LabelMode::kMulti;
    top_k_ = static_cast<size_t>(Number(config, "top_k", multi ? 0 : 1, 0, 1e6, true));
    threshold_ = static_cast<float>(Number(config, "threshold", 0, 0, 1, false));
    classifier_ = std::make_unique<learn::Classifier>(model);
  }

  std::string Provides() const override { return provides_; }
  // The model file's own checksum, verified when it was loaded: a retrained model has another.
  std::string Fingerprint() const override {
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx",
                  static_cast<unsigned long long>(classifier_->model().file_checksum()));
    return std::string("model:") + hex;
  }

  void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
    if (item.token_count() == 0) return;  // an empty text gives no label
    const std::span<const feedloop_token> tokens(item.tokens_begin(), item.token_count());
    // A root cause is one label: the most probable.
    const size_t k = output_ == Output::kRootCause ? 1 : top_k_;
    const std::vector<learn::Prediction>& predictions = classifier_->Predict(tokens, k, threshold_);
    const std::vector<std::string>& labels = classifier_->model().labels();
    for (const learn::Prediction& p : predictions) {
      const std::string& label = labels[p.label];
      if (label == none_label_) continue;  // "no complaint": no root cause, no tag
      switch (output_) {
        case Output::kRootCause:
          out.SetRootCause(label, p.probability);
          break;
        case Output::kTags:
          out.AddTag(label, p.probability);
          break;
        case Output::kLabels:
          out.AddLabel(provides_, label, p.probability);
          break;
      }
    }
  }

 private:
  // Typed lookups whose errors name the key, whatever the user wrote there.
  static std::string String(const feedloop::sdk::Config& config, const char* key,
                            const char* fallback) {
    const json::Value* v = config.find(key);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_string()) {
      throw ConfigError(std::string("config: '") + key + "' must be a string, not " +
                        json::Value::TypeName(v->type()));
    }
    return v->as_string();
  }
  static double Number(const feedloop::sdk::Config& config, const char* key, double fallback,
                       double lo, double hi, bool integer) {
    const json::Value* v = config.find(key);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_number()) {
      throw ConfigError(std::string("config: '") + key + "' must be a number, not " +
                        json::Value::TypeName(v->type()));
    }
    const double x = v->as_number();
    if (!(x >= lo && x <= hi) || (integer && x != std::floor(x))) {
      throw ConfigError(std::string("config: '") + key + "' must be " +
                        (integer ? "a whole number" : "a number") + " between " +
                        std::to_string(static_cast<int64_t>(lo)) + " and " +
                        std::to_string(static_cast<int64_t>(hi)));
    }
    return x;
  }

  Output output_ = Output::kRootCause;
  std::string provides_;
  std::string none_label_;
  size_t top_k_ = 1;
  float threshold_ = 0;
  std::unique_ptr<learn::Classifier> classifier_;
};

FEEDLOOP_PLUGIN(Learned, "learned", "1.0.0",
                "Classifies feedback with a model trained by `feedloop train` (root cause, tags or "
                "a custom annotation)",
                "MIT", "root_cause,tags,learned", "")
