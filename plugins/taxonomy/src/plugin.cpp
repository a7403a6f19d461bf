// taxonomy: tags operational complaints (late delivery, crushed box, refund delays...) from an
// editable taxonomy file, with evidence spans and a confidence per tag. See docs/taxonomy.md.
#include <feedloop/sdk.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "matcher.hpp"
#include "taxonomy.hpp"

namespace feedloop::taxonomy {
namespace {

constexpr size_t kDefaultCacheEntries = 50000;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw sdk::ConfigError("cannot read taxonomy file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class TaxonomyPlugin : public sdk::Plugin {
 public:
  static constexpr const char* kConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "taxonomy": {"description": "Path of a taxonomy file (JSON), or the taxonomy itself as an object; default: the built-in taxonomy", "type": ["string", "object"]},
    "explain": {"description": "Also emit the taxonomy_explain annotation: every match and every suppressed match, and why", "type": "boolean", "default": false},
    "cache_size": {"description": "Distinct token forms whose stems are remembered per worker", "type": "integer", "minimum": 0, "default": 50000}
  }
})json";

  void Configure(const sdk::Config& config) override {
    const json::Value& root = config.root();
    if (root.is_object()) {
      for (const auto& [key, value] : root.as_object()) {
        if (key != "taxonomy" && key != "explain" && key != "cache_size") {
          throw sdk::ConfigError("unknown config key \"" + key +
                                 "\" (known: taxonomy, explain, cache_size)");
        }
      }
    }
    explain_ = config.get_bool("explain", false);
    double cache = config.get_number("cache_size", kDefaultCacheEntries);
    if (cache < 0 || cache > 1e7) throw sdk::ConfigError("cache_size must be in [0, 10000000]");
    const json::Value* t = config.find("taxonomy");
    std::string text, source;
    if (t == nullptr || t->is_null()) {
      text = DefaultTaxonomyJson();
      source = "default.json";
    } else if (t->is_string()) {
      text = ReadFile(t->as_string());
      source = t->as_string();
      // An edited taxonomy file analyses stored items again (its path alone is in the config).
      fingerprint_ = "taxonomy:" + sdk::HashHex(text);
    } else if (t->is_object()) {
      text = json::Dump(*t);
      source = "<config>";
    } else {
      throw sdk::ConfigError("\"taxonomy\" must be a file path or a taxonomy object");
    }
    // Every worker's instance reads the same taxonomy: it is compiled once (a third of a
    // stream's start-up per instance).
    taxonomy_ = sdk::Shared<Taxonomy>::Get(source + '\0' + text,
                                           [&] { return Taxonomy::Load(text, source, host()); });
    matcher_ = std::make_unique<Matcher>(*taxonomy_, static_cast<size_t>(cache));
  }

  std::string Provides() const override { return explain_ ? "tags,taxonomy_explain" : "tags"; }
  std::string Fingerprint() const override { return fingerprint_; }

  void Analyze(const sdk::Item& item, sdk::Annotations& out) override {
    matcher_->Match(item, explain_);
    const std::vector<feedloop_span>& spans = matcher_->spans();
    for (const TagResult& r : matcher_->results()) {
      spans_.assign(spans.begin() + r.span_begin, spans.begin() + r.span_begin + r.span_count);
      out.AddTag(taxonomy_->tags()[r.tag].name, r.confidence, spans_);
    }
    if (explain_) out.SetJson("taxonomy_explain", matcher_->explain_json());
  }

 private:
  std::shared_ptr<const Taxonomy> taxonomy_;
  std::unique_ptr<Matcher> matcher_;
  std::vector<feedloop_span> spans_;
  bool explain_ = false;
  std::string fingerprint_;
};

}  // namespace
}  // namespace feedloop::taxonomy

FEEDLOOP_PLUGIN(feedloop::taxonomy::TaxonomyPlugin, "taxonomy", "1.0.0",
                "Tags operational complaints from an editable taxonomy: phrases, stemming, "
                "proximity, negation, exclusions, evidence spans",
                "MIT", "tags,taxonomy_explain", "")
