#include "feedloop/pipeline/analyzer.hpp"

#include <feedloop/json.hpp>
#include <feedloop/sdk.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <thread>

#include "feedloop/plugins/registry.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::pipeline {
namespace {

constexpr size_t kMaxLabelBytes = 256;
constexpr size_t kMaxLabelsPerItem = 128;
constexpr size_t kMaxSpansPerLabel = 64;
constexpr size_t kMaxJsonBytes = 64 * 1024;

bool Provides(const PlannedPlugin& p, const std::string& name) {
  const auto& prov = p.provides.empty() ? p.library->info().provides : p.provides;
  return std::find(prov.begin(), prov.end(), name) != prov.end();
}

// A config as compared for the version key: its canonical JSON (whitespace does not count).
std::string CanonicalConfig(const std::string& config) {
  try {
    return json::Dump(json::Parse(config));
  } catch (const json::Error&) {
    return config;
  }
}

// The version a plugin's results are stored under (see PlannedPlugin::version).
std::string VersionKey(const PlannedPlugin& p, const std::string& fingerprint) {
  const plugins::PluginInfo& info = p.library->info();
  const std::string config = CanonicalConfig(p.config.empty() ? info.default_config : p.config);
  if (config == CanonicalConfig(info.default_config) && fingerprint.empty()) return info.version;
  return info.version + "+cfg." + sdk::HashHex(config + '\n' + fingerprint).substr(0, 12);
}

// ---- The sink: validates and copies everything a plugin hands back.

struct SinkContext {
  std::vector<PluginOutput*> outs;  // by index within the call's batch
  std::vector<uint32_t> text_sizes;
  std::vector<uint32_t> turn_counts;
};

PluginOutput* At(void* ctx, size_t item) {
  auto* c = static_cast<SinkContext*>(ctx);
  return item < c->outs.size() ? c->outs[item] : nullptr;
}

bool GoodScore(double s) {
  return std::isfinite(s);
}
double Clamp(double s) {
  return std::clamp(s, -1.0, 1.0);
}

bool GoodLabel(feedloop_str s) {
  if (s.data == nullptr || s.size == 0 || s.size > kMaxLabelBytes) return false;
  return !text::FindInvalidUtf8(std::string_view(s.data, s.size));
}

std::vector<feedloop_span> CopySpans(void* ctx, size_t item, const feedloop_span* spans, size_t n) {
  std::vector<feedloop_span> out;
  if (spans == nullptr) return out;
  uint32_t size = static_cast<SinkContext*>(ctx)->text_sizes[item];
  for (size_t i = 0; i < n && out.size() < kMaxSpansPerLabel; ++i) {
    if (spans[i].begin <= spans[i].end && spans[i].end <= size) out.push_back(spans[i]);
  }
  return out;
}

Label MakeLabel(void* ctx, size_t item, feedloop_str label, double confidence,
                const feedloop_span* spans, size_t n) {
  Label l;
  l.label.assign(label.data, label.size);
  l.confidence = std::isfinite(confidence) ? std::clamp(confidence, 0.0, 1.0) : 0.0;
  l.spans = CopySpans(ctx, item, spans, n);
  return l;
}

void SinkSetSentiment(void* ctx, size_t item, double score) {
  if (PluginOutput* o = At(ctx, item); o != nullptr && GoodScore(score))
    o->sentiment = Clamp(score);
}

void SinkAddSentence(void* ctx, size_t item, feedloop_span s, double score) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodScore(score) || o->sentences.size() >= 4096) return;
  if (s.begin > s.end || s.end > static_cast<SinkContext*>(ctx)->text_sizes[item]) return;
  o->sentences.emplace_back(s, Clamp(score));
}

void SinkAddTurn(void* ctx, size_t item, size_t turn, double score) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodScore(score)) return;
  if (turn >= static_cast<SinkContext*>(ctx)->turn_counts[item]) return;
  o->turns.emplace_back(static_cast<uint32_t>(turn), Clamp(score));
}

void SinkAddTag(void* ctx, size_t item, feedloop_str tag, double confidence,
                const feedloop_span* spans, size_t n) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodLabel(tag)) return;
  Label label = MakeLabel(ctx, item, tag, confidence, spans, n);
  // The same tag twice (two pieces of evidence) is one tag with both spans.
  for (Label& existing : o->tags) {
    if (existing.label != label.label) continue;
    existing.confidence = std::max(existing.confidence, label.confidence);
    for (const feedloop_span& s : label.spans) {
      if (existing.spans.size() < kMaxSpansPerLabel) existing.spans.push_back(s);
    }
    return;
  }
  if (o->tags.size() < kMaxLabelsPerItem) o->tags.push_back(std::move(label));
}

void SinkSetRootCause(void* ctx, size_t item, feedloop_str cause, double confidence,
                      const feedloop_span* spans, size_t n) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodLabel(cause)) return;
  o->root_cause = MakeLabel(ctx, item, cause, confidence, spans, n);
}

void SinkAddLabel(void* ctx, size_t item, feedloop_str annotation, feedloop_str label,
                  double confidence, const feedloop_span* spans, size_t n) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodLabel(annotation) || !GoodLabel(label) ||
      o->labels.size() >= kMaxLabelsPerItem)
    return;
  o->labels.emplace_back(std::string(annotation.data, annotation.size),
                         MakeLabel(ctx, item, label, confidence, spans, n));
}

void SinkSetJson(void* ctx, size_t item, feedloop_str annotation, feedloop_str value) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr || !GoodLabel(annotation) || value.data == nullptr || value.size > kMaxJsonBytes)
    return;
  std::string_view v(value.data, value.size);
  if (text::FindInvalidUtf8(v)) return;
  try {
    json::Parse(v);  // only well-formed JSON is kept: it is copied verbatim into outputs
  } catch (const json::Error&) {
    return;
  }
  // Set, not add: a second call for the same annotation replaces the first, so the annotation
  // stays one member of the output's JSON object.
  std::string name(annotation.data, annotation.size);
  for (auto& entry : o->json) {
    if (entry.first == name) {
      entry.second.assign(v);
      return;
    }
  }
  o->json.emplace_back(std::move(name), std::string(v));
}

void SinkFail(void* ctx, size_t item, feedloop_str message) {
  PluginOutput* o = At(ctx, item);
  if (o == nullptr) return;
  std::string m(message.data ? message.data : "",
                message.data ? std::min<size_t>(message.size, 1024) : 0);
  if (text::FindInvalidUtf8(m)) {
    size_t n = 0;
    m = text::RepairUtf8(m, &n);
  }
  o->failed = true;
  o->error = m.empty() ? "failed without a message" : m;
}

feedloop_sink MakeSink(SinkContext* ctx) {
  feedloop_sink s{};
  s.struct_size = sizeof(s);
  s.context = ctx;
  s.set_sentiment = &SinkSetSentiment;
  s.add_sentence_sentiment = &SinkAddSentence;
  s.add_turn_sentiment = &SinkAddTurn;
  s.add_tag = &SinkAddTag;
  s.set_root_cause = &SinkSetRootCause;
  s.add_label = &SinkAddLabel;
  s.set_annotation_json = &SinkSetJson;
  s.fail_item = &SinkFail;
  return s;
}

feedloop_str Str(std::string_view s) {
  return feedloop_str{s.data(), s.size()};
}

// Storage for the annotation views of one item and one plugin call.
struct AnnotationViews {
  std::vector<feedloop_annotation_view> views;
  std::vector<std::vector<feedloop_label_view>> labels;
};

void AppendLabelView(std::vector<feedloop_label_view>* out, const Label& l) {
  feedloop_label_view v{};
  v.struct_size = sizeof(v);
  v.label = Str(l.label);
  v.confidence = l.confidence;
  v.spans = l.spans.data();
  v.span_count = l.spans.size();
  out->push_back(v);
}

}  // namespace

const char* SentimentLabel(double score) {
  if (score >= 0.05) return "positive";
  if (score <= -0.05) return "negative";
  return "neutral";
}

struct AnalysisPlan::Started {
  std::mutex mu;
  std::vector<std::unique_ptr<plugins::PluginInstance>> instances;  // by plugin index
};

std::unique_ptr<plugins::PluginInstance> AnalysisPlan::TakeStarted(size_t i) const {
  if (!started_) return nullptr;
  std::lock_guard<std::mutex> lock(started_->mu);
  if (i >= started_->instances.size()) return nullptr;
  return std::move(started_->instances[i]);
}

Result<AnalysisPlan> AnalysisPlan::Create(std::vector<PlannedPlugin> plugins, bool skip_failing,
                                          std::vector<std::string>* skipped, int start_threads) {
  // Check that each plugin starts with its config; keep the instances for the first analyzer.
  // Starting is most of a short run's time (a taxonomy compiles its phrases, a lexicon loads),
  // so with `start_threads` > 1 the plugins start that many at a time: `create` may run on any
  // thread (plugin.h). The outcomes are taken in the plugins' order whatever the timing.
  using Outcome = Result<std::unique_ptr<plugins::PluginInstance>>;
  std::vector<std::optional<Outcome>> outcomes(plugins.size());
  std::atomic<size_t> next{0};
  auto start = [&] {
    for (size_t i; (i = next.fetch_add(1)) < plugins.size();) {
      try {
        outcomes[i].emplace(plugins[i].library->CreateInstance(plugins[i].config));
      } catch (const std::exception& e) {
        outcomes[i].emplace(Status::Plugin("plugin " + plugins[i].library->name() +
                                           " failed to start: " + e.what()));
      }
    }
  };
  {
    std::vector<std::thread> helpers;
    const size_t at_once =
        std::min(plugins.size(), static_cast<size_t>(std::max(start_threads, 1)));
    for (size_t t = 1; t < at_once; ++t) helpers.emplace_back(start);
    start();
    for (std::thread& t : helpers) t.join();
  }
  std::vector<PlannedPlugin> started;
  std::vector<std::unique_ptr<plugins::PluginInstance>> instances;  // parallel to `started`
  for (size_t i = 0; i < plugins.size(); ++i) {
    PlannedPlugin& p = plugins[i];
    Outcome& instance = *outcomes[i];
    Result<plugins::PluginInstance::Description> described =
        instance.ok() ? (*instance)->Describe()
                      : Result<plugins::PluginInstance::Description>(instance.status());
    if (!described.ok()) {
      if (!skip_failing) return described.status();
      if (skipped != nullptr) skipped->push_back(described.status().message());
      continue;
    }
    p.provides = described->provides;
    p.version = VersionKey(p, described->fingerprint);
    started.push_back(std::move(p));
    instances.push_back(std::move(instance).value());
  }
  // Order them; with skip_failing, drop plugins whose requirements went missing.
  while (true) {
    std::vector<std::shared_ptr<plugins::PluginLibrary>> libs;
    std::vector<std::vector<std::string>> provides;
    for (const PlannedPlugin& p : started) {
      libs.push_back(p.library);
      provides.push_back(p.provides);
    }
    Result<std::vector<std::shared_ptr<plugins::PluginLibrary>>> ordered =
        plugins::OrderByRequirements(libs, &provides);
    if (ordered.ok()) {
      AnalysisPlan plan;
      plan.started_ = std::make_shared<Started>();
      for (const auto& lib : ordered.value()) {
        auto it = std::find_if(started.begin(), started.end(),
                               [&](const PlannedPlugin& p) { return p.library == lib; });
        plan.plugins_.push_back(*it);
        plan.started_->instances.push_back(
            std::move(instances[static_cast<size_t>(std::distance(started.begin(), it))]));
      }
      for (size_t i = 0; i < plan.plugins_.size(); ++i) {
        std::vector<std::vector<int>>& of = plan.providers_.emplace_back();
        for (const std::string& name : plan.plugins_[i].library->info().requires_) {
          std::vector<int>& providers = of.emplace_back();
          for (size_t j = 0; j < i; ++j) {
            if (Provides(plan.plugins_[j], name)) providers.push_back(static_cast<int>(j));
          }
        }
      }
      return plan;
    }
    if (!skip_failing) return ordered.status();
    // Remove the first plugin with an unmet requirement and try again.
    bool removed = false;
    for (size_t i = 0; i < started.size() && !removed; ++i) {
      for (const std::string& r : started[i].library->info().requires_) {
        bool provided = std::any_of(started.begin(), started.end(), [&](const PlannedPlugin& q) {
          return q.library != started[i].library && Provides(q, r);
        });
        if (!provided) {
          if (skipped != nullptr) {
            skipped->push_back("plugin " + started[i].library->name() + " skipped: it requires '" +
                               r + "', which no running plugin provides");
          }
          started.erase(started.begin() + static_cast<long>(i));
          instances.erase(instances.begin() + static_cast<long>(i));
          removed = true;
          break;
        }
      }
    }
    if (!removed) return ordered.status();  // a cycle: nothing to drop that would help
  }
}

int AnalysisPlan::LastProvider(const std::string& name) const {
  for (size_t j = plugins_.size(); j-- > 0;) {
    if (Provides(plugins_[j], name)) return static_cast<int>(j);
  }
  return -1;
}

MergedAnalysis Merge(const AnalysisPlan& plan, const std::vector<PluginOutput>& outputs) {
  MergedAnalysis m;
  int sentiment = plan.LastProvider("sentiment");
  int root = plan.LastProvider("root_cause");
  for (size_t p = 0; p < outputs.size(); ++p) {
    const PluginOutput& o = outputs[p];
    if (o.failed) m.errors.emplace_back(plan.plugins()[p].library->name(), o.error);
    for (const Label& t : o.tags) {
      auto it = std::find_if(m.tags.begin(), m.tags.end(),
                             [&](const Label& x) { return x.label == t.label; });
      if (it == m.tags.end()) {
        m.tags.push_back(t);
      } else if (t.confidence > it->confidence) {
        *it = t;
      }
    }
    m.labels.insert(m.labels.end(), o.labels.begin(), o.labels.end());
    // A later plugin's annotation of the same name replaces an earlier one's: one member each.
    for (const auto& entry : o.json) {
      auto same = [&entry](const std::pair<std::string, std::string>& e) {
        return e.first == entry.first;
      };
      auto it = std::find_if(m.json.begin(), m.json.end(), same);
      if (it == m.json.end()) {
        m.json.push_back(entry);
      } else {
        it->second = entry.second;
      }
    }
  }
  if (sentiment >= 0) {
    m.sentiment = outputs[static_cast<size_t>(sentiment)].sentiment;
    m.turns = outputs[static_cast<size_t>(sentiment)].turns;
  }
  if (root >= 0) m.root_cause = outputs[static_cast<size_t>(root)].root_cause;
  std::sort(m.tags.begin(), m.tags.end(), [](const Label& a, const Label& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.label < b.label;
  });
  return m;
}

Result<std::unique_ptr<BatchAnalyzer>> BatchAnalyzer::Create(const AnalysisPlan& plan) {
  std::unique_ptr<BatchAnalyzer> a(new BatchAnalyzer(plan));
  if (plan.isolation().enabled) {
    Result<std::unique_ptr<ChildAnalyzer>> child = ChildAnalyzer::Start(plan, plan.isolation());
    if (!child.ok()) return child.status();
    a->child_ = std::move(child).value();
    return a;
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    if (std::unique_ptr<plugins::PluginInstance> started = plan.TakeStarted(i)) {
      a->instances_.push_back(std::move(started));
      continue;
    }
    const PlannedPlugin& p = plan.plugins()[i];
    Result<std::unique_ptr<plugins::PluginInstance>> instance = p.library->CreateInstance(p.config);
    if (!instance.ok()) return instance.status();
    a->instances_.push_back(std::move(instance).value());
  }
  return a;
}

struct BatchAnalyzer::Scratch {
  std::vector<feedloop_item_view> views;
  std::vector<std::vector<feedloop_turn_view>> turns;
  SinkContext ctx;
  std::vector<const feedloop_item_view*> batch;
  std::vector<size_t> indices;
  std::vector<AnnotationViews> annotations;
  std::vector<feedloop_item_view> per_call;
};

BatchAnalyzer::BatchAnalyzer(const AnalysisPlan& plan)
    : plan_(plan), scratch_(std::make_unique<Scratch>()) {}

BatchAnalyzer::~BatchAnalyzer() = default;

void BatchAnalyzer::Analyze(const std::vector<Item>& items, const std::vector<uint64_t>* run_masks,
                            std::vector<std::vector<PluginOutput>>* outputs) {
  if (child_) {
    child_->Analyze(items, run_masks, outputs);
    return;
  }
  const size_t n = items.size();
  const size_t plugin_count = plan_.size();
  outputs->resize(n);
  for (auto& row : *outputs) row.resize(plugin_count);
  if (tokens_.size() < n) tokens_.resize(n);

  // Views of every item: text, tokens and turns.
  Scratch& sc = *scratch_;
  std::vector<feedloop_item_view>& views = sc.views;
  views.assign(n, feedloop_item_view{});
  std::vector<std::vector<feedloop_turn_view>>& turns = sc.turns;
  if (turns.size() < n) turns.resize(n);
  for (size_t i = 0; i < n; ++i) {
    turns[i].clear();
    const Item& item = items[i];
    tokenizer_.Tokenize(item.text, &tokens_[i]);
    if (word_ids_) vocabulary_.Assign(&tokens_[i]);
    feedloop_item_view& v = views[i];
    v.struct_size = sizeof(v);
    v.id = Str(item.id);
    v.kind = Str(KindName(item.kind));
    v.source = Str(item.source);
    v.language = Str(item.language);
    v.sku = Str(item.sku);
    v.attrs_json = Str(item.attrs_json);
    v.has_score = item.score.has_value();
    v.score = item.score.value_or(0);
    v.text = Str(item.text);
    v.tokens = tokens_[i].tokens().data();
    v.token_count = tokens_[i].size();
    // Customer turns sit in the text joined by "\n"; find each one's span.
    uint32_t offset = 0;
    for (const Turn& t : item.turns) {
      feedloop_turn_view tv{};
      tv.struct_size = sizeof(tv);
      tv.role = Str(t.role);
      tv.text = Str(t.text);
      if (IsCustomerRole(t.role) && offset + t.text.size() <= item.text.size() &&
          item.text.compare(offset, t.text.size(), t.text) == 0) {
        tv.in_text = {offset, static_cast<uint32_t>(offset + t.text.size())};
        offset += static_cast<uint32_t>(t.text.size()) + 1;
      }
      turns[i].push_back(tv);
    }
    v.turns = turns[i].data();
    v.turn_count = turns[i].size();
  }

  SinkContext& ctx = sc.ctx;
  feedloop_sink sink = MakeSink(&ctx);
  std::vector<const feedloop_item_view*>& batch = sc.batch;
  std::vector<size_t>& indices = sc.indices;
  std::vector<AnnotationViews>& annotations = sc.annotations;
  if (annotations.size() < n) annotations.resize(n);
  std::vector<feedloop_item_view>& per_call = sc.per_call;
  per_call.assign(n, feedloop_item_view{});

  auto prepare = [&](size_t p, size_t i, feedloop_item_view* view) {
    *view = views[i];
    AnnotationViews& av = annotations[i];
    av.views.clear();
    for (auto& l : av.labels) l.clear();  // keeps their memory for the next call
    const auto& reqs = plan_.plugins()[p].library->info().requires_;
    av.labels.resize(reqs.size());
    for (size_t r = 0; r < reqs.size(); ++r) {
      // Every plugin before this one that provides the annotation contributes, in plan order:
      // labels (tags, custom labels) add up; a score, a root cause or a JSON value comes from the
      // last one that gave it. `plugin` names the last contributor.
      feedloop_annotation_view a{};
      a.struct_size = sizeof(a);
      a.name = Str(reqs[r]);
      bool any = false;
      for (int provider : plan_.ProvidersOf(p, r)) {
        const PluginOutput& src = (*outputs)[i][static_cast<size_t>(provider)];
        if (!src.ran || src.failed) continue;
        any = true;
        a.plugin = Str(plan_.plugins()[static_cast<size_t>(provider)].library->name());
        if (reqs[r] == "sentiment") {
          if (src.sentiment) {
            a.has_score = 1;
            a.score = *src.sentiment;
          }
        } else if (reqs[r] == "tags") {
          for (const Label& l : src.tags) AppendLabelView(&av.labels[r], l);
        } else if (reqs[r] == "root_cause") {
          if (src.root_cause) {
            av.labels[r].clear();
            AppendLabelView(&av.labels[r], *src.root_cause);
          }
        } else {
          for (const auto& [name, l] : src.labels) {
            if (name == reqs[r]) AppendLabelView(&av.labels[r], l);
          }
          for (const auto& [name, j] : src.json) {
            if (name == reqs[r]) a.json = Str(j);
          }
        }
      }
      if (!any) continue;
      // av.labels[r] is complete now and the outer vector never grows: the pointer stays valid.
      a.labels = av.labels[r].data();
      a.label_count = av.labels[r].size();
      av.views.push_back(a);
    }
    view->annotations = av.views.data();
    view->annotation_count = av.views.size();
  };

  auto call = [&](size_t p, const std::vector<size_t>& which) -> Status {
    batch.clear();
    ctx.outs.clear();
    ctx.text_sizes.clear();
    ctx.turn_counts.clear();
    for (size_t i : which) {
      batch.push_back(&per_call[i]);
      ctx.outs.push_back(&(*outputs)[i][p]);
      ctx.text_sizes.push_back(static_cast<uint32_t>(items[i].text.size()));
      ctx.turn_counts.push_back(static_cast<uint32_t>(items[i].turns.size()));
    }
    return instances_[p]->AnalyzeBatch(batch.data(), batch.size(), sink);
  };

  for (size_t p = 0; p < plugin_count; ++p) {
    indices.clear();
    for (size_t i = 0; i < n; ++i) {
      if (run_masks != nullptr && ((*run_masks)[i] >> p & 1) == 0) continue;
      (*outputs)[i][p].Clear();
      (*outputs)[i][p].ran = true;
      prepare(p, i, &per_call[i]);
      indices.push_back(i);
    }
    if (indices.empty()) continue;
    Status st = call(p, indices);
    if (st.ok()) continue;
    // The batch failed as a whole: retry item by item so only the culprit fails.
    for (size_t i : indices) {
      (*outputs)[i][p].Clear();
      (*outputs)[i][p].ran = true;
      Status one = call(p, {i});
      if (!one.ok()) {
        (*outputs)[i][p].Clear();
        (*outputs)[i][p].ran = true;
        (*outputs)[i][p].failed = true;
        (*outputs)[i][p].error = one.message();
      }
    }
  }
}

Result<std::vector<MergedAnalysis>> AnalyzeAll(const AnalysisPlan& plan,
                                               const std::vector<Item>& items, int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(items.size() / 64 + 1)));
  std::vector<std::unique_ptr<BatchAnalyzer>> analyzers;
  for (int t = 0; t < threads; ++t) {
    Result<std::unique_ptr<BatchAnalyzer>> a = BatchAnalyzer::Create(plan);
    if (!a.ok()) return a.status();
    analyzers.push_back(std::move(a).value());
  }
  std::vector<MergedAnalysis> results(items.size());
  constexpr size_t kBatch = 256;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<Item> batch;
      std::vector<std::vector<PluginOutput>> outputs;
      // Worker t takes every threads-th batch: a fixed split, so results never depend on timing.
      for (size_t start = static_cast<size_t>(t) * kBatch; start < items.size();
           start += static_cast<size_t>(threads) * kBatch) {
        size_t end = std::min(items.size(), start + kBatch);
        batch.assign(items.begin() + static_cast<long>(start),
                     items.begin() + static_cast<long>(end));
        analyzers[static_cast<size_t>(t)]->Analyze(batch, nullptr, &outputs);
        for (size_t i = start; i < end; ++i) results[i] = Merge(plan, outputs[i - start]);
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return results;
}

}  // namespace feedloop::pipeline
