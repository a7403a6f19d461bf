#include "feedloop/pipeline/analyze.hpp"

#include <feedloop/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "feedloop/core/fault.hpp"
#include "feedloop/core/json_writer.hpp"

namespace feedloop::pipeline {
namespace {

void WriteSpans(JsonWriter& w, const std::vector<feedloop_span>& spans) {
  w.BeginArray();
  for (const feedloop_span& s : spans) w.BeginArray().Int(s.begin).Int(s.end).EndArray();
  w.EndArray();
}

void WriteLabel(JsonWriter& w, const Label& l) {
  w.BeginObject().Field("label", l.label).Key("confidence").Number(l.confidence).Key("spans");
  WriteSpans(w, l.spans);
  w.EndObject();
}

Label ReadLabel(const json::Value& v) {
  Label l;
  l.label = v.get_string("label");
  l.confidence = v.get_number("confidence", 0);
  if (const json::Value* spans = v.find("spans")) {
    for (const json::Value& s : spans->as_array()) {
      const auto& pair = s.as_array();
      if (pair.size() == 2) {
        l.spans.push_back({static_cast<uint32_t>(pair[0].as_number()),
                           static_cast<uint32_t>(pair[1].as_number())});
      }
    }
  }
  return l;
}

// A fixed-size pool running tasks; Wait returns when all submitted tasks finished.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Loop(i); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  // `task` receives the worker index (to pick that worker's plugin instances).
  void Submit(std::function<void(int)> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
      ++pending_;
    }
    cv_.notify_one();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  void Loop(int index) {
    while (true) {
      std::function<void(int)> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
        if (stop_ && tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task(index);
      {
        std::lock_guard<std::mutex> lock(mu_);
        --pending_;
      }
      done_cv_.notify_all();
    }
  }
  std::vector<std::thread> threads_;
  std::deque<std::function<void(int)>> tasks_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  int pending_ = 0;
  bool stop_ = false;
};

// One unit of work: a batch of stored items and what to run on them.
struct Batch {
  std::vector<int64_t> rows;
  std::vector<Item> items;
  std::vector<uint64_t> masks;
  std::vector<std::vector<PluginOutput>> outputs;
  // Bit p: the item has a stored annotation of plugin p (of any version), whose labels a new
  // result replaces. New items have none, and cost no DELETE.
  std::vector<uint64_t> annotated;

  // What the writer stores for an item, encoded by the worker that analysed it so that the one
  // writer thread only binds and inserts.
  struct Row {
    std::vector<std::string> detail;  // per plugin that ran: its output as stored JSON
    bool any = false;                 // some plugin ran for the item
    MergedAnalysis merged;
    std::optional<double> first_turn, last_turn;
    std::string tags, evidence;
  };
  std::vector<Row> encoded;

  void Encode(const AnalysisPlan& plan) {
    encoded.assign(items.size(), Row());
    for (size_t i = 0; i < items.size(); ++i) {
      Row& r = encoded[i];
      r.detail.resize(plan.size());
      for (size_t p = 0; p < plan.size(); ++p) {
        if ((masks[i] >> p & 1) == 0) continue;
        r.any = true;
        r.detail[p] = OutputToJson(outputs[i][p]);
      }
      if (!r.any) continue;
      r.merged = Merge(plan, outputs[i]);
      // How the conversation began and ended: the sentiment of its first and last turn.
      const auto& turns = r.merged.turns;
      if (!turns.empty()) {
        r.first_turn = std::min_element(turns.begin(), turns.end())->second;
        r.last_turn = std::max_element(turns.begin(), turns.end())->second;
      }
      JsonWriter tw(r.tags);
      tw.BeginArray();
      for (const Label& t : r.merged.tags) WriteLabel(tw, t);
      tw.EndArray();
      JsonWriter ew(r.evidence);
      WriteSpans(ew,
                 r.merged.root_cause ? r.merged.root_cause->spans : std::vector<feedloop_span>{});
    }
  }
};

class StoreAccess {
 public:
  explicit StoreAccess(store::Database& db) : db_(db) {}

  Status Prepare(const AnalysisPlan& plan) {
    FEEDLOOP_RETURN_IF_ERROR(db_.Exec(
        "CREATE TEMP TABLE IF NOT EXISTS plan_plugins(plugin TEXT PRIMARY KEY, version TEXT)"));
    FEEDLOOP_RETURN_IF_ERROR(db_.Exec("DELETE FROM temp.plan_plugins"));
    store::Statement ins = db_.MustPrepare("INSERT INTO temp.plan_plugins VALUES (?, ?)");
    for (const PlannedPlugin& p : plan.plugins()) {
      ins.Bind(1, p.library->name()).Bind(2, p.library->info().version);
      FEEDLOOP_RETURN_IF_ERROR(ins.Run());
    }
    next_ = db_.MustPrepare(
        "SELECT i.id FROM items i WHERE i.id > ?1 AND (?2 IS NULL OR i.created_at >= ?2) AND "
        "(SELECT count(*) FROM annotations a JOIN temp.plan_plugins p ON a.plugin = p.plugin "
        "AND a.version = p.version WHERE a.item_id = i.id) < (SELECT count(*) FROM "
        "temp.plan_plugins) ORDER BY i.id LIMIT ?3");
    complete_ = db_.MustPrepare(
        "SELECT (SELECT count(*) FROM items) * (SELECT count(*) FROM temp.plan_plugins) = "
        "(SELECT count(*) FROM annotations a JOIN temp.plan_plugins p ON a.plugin = p.plugin "
        "AND a.version = p.version)");
    count_ = db_.MustPrepare(
        "SELECT count(*) FROM items i WHERE (?1 IS NULL OR i.created_at >= ?1) AND "
        "(SELECT count(*) FROM annotations a JOIN temp.plan_plugins p ON a.plugin = p.plugin "
        "AND a.version = p.version WHERE a.item_id = i.id) < (SELECT count(*) FROM "
        "temp.plan_plugins)");
    items_ = db_.MustPrepare(
        "SELECT id, source, ext_id, kind, created_at, score, text, coalesce(customer_id, ''), "
        "coalesce(order_id, ''), coalesce(sku, ''), coalesce(channel, ''), "
        "coalesce(region, ''), coalesce(language, ''), attrs FROM items WHERE id BETWEEN ? AND ? "
        "ORDER BY id");
    turns_ = db_.MustPrepare(
        "SELECT item_id, role, at, text FROM turns WHERE item_id BETWEEN ? AND ? "
        "ORDER BY item_id, seq");
    annotations_ = db_.MustPrepare(
        "SELECT item_id, plugin, version, status, error, detail FROM annotations "
        "WHERE item_id BETWEEN ? AND ?");
    write_annotation_ = db_.MustPrepare(
        "INSERT OR REPLACE INTO annotations(item_id, plugin, version, run_id, status, error, "
        "sentiment, root_cause, root_confidence, detail) VALUES (?,?,?,?,?,?,?,?,?,?)");
    delete_labels_ = db_.MustPrepare("DELETE FROM labels WHERE item_id = ? AND plugin = ?");
    write_label_ = db_.MustPrepare(
        "INSERT OR REPLACE INTO labels(item_id, plugin, annotation, label, confidence) "
        "VALUES (?,?,?,?,?)");
    write_analysis_ = db_.MustPrepare(
        "INSERT OR REPLACE INTO analysis(item_id, sentiment, root_cause, root_confidence, "
        "first_turn_sentiment, last_turn_sentiment, tags, evidence, run_id) VALUES "
        "(?,?,?,?,?,?,?,?,?)");
    return Status::Ok();
  }

  Result<int64_t> CountPending(int64_t since) {
    if (since == kNoTime) {
      // Fast path of the common case, a store already analysed by this plan: when every item has
      // an annotation of every planned plugin's current version, nothing is pending. Two counts
      // over the tables' keys, instead of a correlated count per item (seconds at a million).
      Result<bool> row = complete_.Step();
      if (!row.ok()) return row.status();
      const bool complete = complete_.Int(0) != 0;
      complete_.Reset();
      if (complete) return int64_t{0};
      count_.BindNull(1);
    } else {
      count_.Bind(1, since);
    }
    Result<bool> row = count_.Step();
    if (!row.ok()) return row.status();
    int64_t n = count_.Int(0);
    count_.Reset();
    return n;
  }

  Result<std::vector<int64_t>> NextIds(int64_t after, int64_t since, int limit) {
    next_.Bind(1, after);
    if (since == kNoTime) {
      next_.BindNull(2);
    } else {
      next_.Bind(2, since);
    }
    next_.Bind(3, static_cast<int64_t>(limit));
    std::vector<int64_t> ids;
    while (true) {
      Result<bool> row = next_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      ids.push_back(next_.Int(0));
    }
    next_.Reset();
    return ids;
  }

  // Loads the items with these (sorted) row ids, their turns, and their stored annotations.
  Status Load(const std::vector<int64_t>& ids, Batch* b,
              std::map<int64_t, std::vector<std::pair<std::string, std::string>>>* versions,
              std::map<std::pair<int64_t, std::string>, PluginOutput>* stored) {
    int64_t lo = ids.front(), hi = ids.back();
    std::map<int64_t, size_t> index;
    for (size_t i = 0; i < ids.size(); ++i) index[ids[i]] = i;
    b->rows = ids;
    b->items.assign(ids.size(), Item());
    items_.Bind(1, lo).Bind(2, hi);
    while (true) {
      Result<bool> row = items_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      auto it = index.find(items_.Int(0));
      if (it == index.end()) continue;
      Item& item = b->items[it->second];
      item.source = items_.String(1);
      item.id = items_.String(2);
      item.kind = ParseKind(items_.Text(3)).value_or(Kind::kReview);
      item.created_at = items_.IsNull(4) ? kNoTime : items_.Int(4);
      if (!items_.IsNull(5)) item.score = items_.Double(5);
      item.text = items_.String(6);
      item.customer_id = items_.String(7);
      item.order_id = items_.String(8);
      item.sku = items_.String(9);
      item.channel = items_.String(10);
      item.region = items_.String(11);
      item.language = items_.String(12);
      item.attrs_json = items_.String(13);
    }
    items_.Reset();
    turns_.Bind(1, lo).Bind(2, hi);
    while (true) {
      Result<bool> row = turns_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      auto it = index.find(turns_.Int(0));
      if (it == index.end()) continue;
      Turn t;
      t.role = turns_.String(1);
      t.at = turns_.IsNull(2) ? kNoTime : turns_.Int(2);
      t.text = turns_.String(3);
      b->items[it->second].turns.push_back(std::move(t));
    }
    turns_.Reset();
    annotations_.Bind(1, lo).Bind(2, hi);
    while (true) {
      Result<bool> row = annotations_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      int64_t id = annotations_.Int(0);
      if (index.count(id) == 0) continue;
      std::string plugin = annotations_.String(1);
      (*versions)[id].emplace_back(plugin, annotations_.String(2));
      PluginOutput out = OutputFromJson(annotations_.Text(5));
      out.ran = true;
      out.failed = annotations_.Text(3) == "failed";
      out.error = annotations_.String(4);
      (*stored)[{id, plugin}] = std::move(out);
    }
    annotations_.Reset();
    return Status::Ok();
  }

  Status Write(const AnalysisPlan& plan, const Batch& b, int64_t run_id, AnalyzeCounts* counts) {
    for (size_t i = 0; i < b.items.size(); ++i) {
      int64_t row = b.rows[i];
      const Batch::Row& encoded = b.encoded[i];
      for (size_t p = 0; p < plan.size(); ++p) {
        if ((b.masks[i] >> p & 1) == 0) continue;
        ++counts->plugin_runs;
        const PluginOutput& o = b.outputs[i][p];
        if (o.failed) ++counts->failed;
        const plugins::PluginInfo& info = plan.plugins()[p].library->info();
        // Everything bound lives in the batch or the plan until the statement has run.
        write_annotation_.Bind(1, row).BindRef(2, info.name).BindRef(3, info.version);
        write_annotation_.Bind(4, run_id).BindRef(5, o.failed ? "failed" : "ok");
        write_annotation_.BindOptionalRef(6, o.error);
        write_annotation_.Bind(7, o.sentiment);
        if (o.root_cause) {
          write_annotation_.BindRef(8, o.root_cause->label).Bind(9, o.root_cause->confidence);
        } else {
          write_annotation_.BindNull(8).BindNull(9);
        }
        write_annotation_.BindRef(10, encoded.detail[p]);
        FEEDLOOP_RETURN_IF_ERROR(write_annotation_.Run());
        if ((b.annotated[i] >> p & 1) != 0) {
          delete_labels_.Bind(1, row).Bind(2, info.name);
          FEEDLOOP_RETURN_IF_ERROR(delete_labels_.Run());
        }
        for (const Label& t : o.tags) {
          write_label_.Bind(1, row)
              .BindRef(2, info.name)
              .BindRef(3, "tags")
              .BindRef(4, t.label)
              .Bind(5, t.confidence);
          FEEDLOOP_RETURN_IF_ERROR(write_label_.Run());
        }
        for (const auto& [name, l] : o.labels) {
          write_label_.Bind(1, row)
              .BindRef(2, info.name)
              .BindRef(3, name)
              .BindRef(4, l.label)
              .Bind(5, l.confidence);
          FEEDLOOP_RETURN_IF_ERROR(write_label_.Run());
        }
      }
      if (!encoded.any) continue;
      ++counts->items;
      const MergedAnalysis& m = encoded.merged;
      write_analysis_.Bind(1, row).Bind(2, m.sentiment);
      if (m.root_cause) {
        write_analysis_.BindRef(3, m.root_cause->label).Bind(4, m.root_cause->confidence);
      } else {
        write_analysis_.BindNull(3).BindNull(4);
      }
      write_analysis_.Bind(5, encoded.first_turn).Bind(6, encoded.last_turn);
      write_analysis_.BindRef(7, encoded.tags).BindRef(8, encoded.evidence).Bind(9, run_id);
      FEEDLOOP_RETURN_IF_ERROR(write_analysis_.Run());
    }
    return Status::Ok();
  }

 private:
  store::Database& db_;
  store::Statement complete_, next_, count_, items_, turns_, annotations_, write_annotation_,
      delete_labels_, write_label_, write_analysis_;
};

}  // namespace

std::string OutputToJson(const PluginOutput& o) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  // Full precision: the worker process of --isolate-plugins hands results back this way.
  if (o.sentiment) w.Key("sentiment").Number(*o.sentiment);
  if (!o.sentences.empty()) {
    w.Key("sentences").BeginArray();
    for (const auto& [span, score] : o.sentences) {
      w.BeginArray().Int(span.begin).Int(span.end).Number(score).EndArray();
    }
    w.EndArray();
  }
  if (!o.turns.empty()) {
    w.Key("turns").BeginArray();
    for (const auto& [turn, score] : o.turns) w.BeginArray().Int(turn).Number(score).EndArray();
    w.EndArray();
  }
  if (!o.tags.empty()) {
    w.Key("tags").BeginArray();
    for (const Label& l : o.tags) WriteLabel(w, l);
    w.EndArray();
  }
  if (o.root_cause) {
    w.Key("root_cause");
    WriteLabel(w, *o.root_cause);
  }
  if (!o.labels.empty()) {
    w.Key("labels").BeginArray();
    for (const auto& [name, l] : o.labels) {
      w.BeginArray().String(name);
      WriteLabel(w, l);
      w.EndArray();
    }
    w.EndArray();
  }
  if (!o.json.empty()) {
    w.Key("json").BeginArray();
    for (const auto& [name, j] : o.json) w.BeginArray().String(name).Raw(j).EndArray();
    w.EndArray();
  }
  w.EndObject();
  return out;
}

PluginOutput OutputFromJson(std::string_view text) {
  PluginOutput o;
  try {
    json::Value v = json::Parse(text);
    if (const json::Value* s = v.find("sentiment")) o.sentiment = s->as_number();
    if (const json::Value* s = v.find("sentences")) {
      for (const json::Value& e : s->as_array()) {
        const auto& a = e.as_array();
        o.sentences.push_back({{static_cast<uint32_t>(a.at(0).as_number()),
                                static_cast<uint32_t>(a.at(1).as_number())},
                               a.at(2).as_number()});
      }
    }
    if (const json::Value* t = v.find("turns")) {
      for (const json::Value& e : t->as_array()) {
        const auto& a = e.as_array();
        o.turns.emplace_back(static_cast<uint32_t>(a.at(0).as_number()), a.at(1).as_number());
      }
    }
    if (const json::Value* t = v.find("tags")) {
      for (const json::Value& e : t->as_array()) o.tags.push_back(ReadLabel(e));
    }
    if (const json::Value* r = v.find("root_cause")) o.root_cause = ReadLabel(*r);
    if (const json::Value* l = v.find("labels")) {
      for (const json::Value& e : l->as_array()) {
        const auto& a = e.as_array();
        o.labels.emplace_back(a.at(0).as_string(), ReadLabel(a.at(1)));
      }
    }
    if (const json::Value* j = v.find("json")) {
      for (const json::Value& e : j->as_array()) {
        const auto& a = e.as_array();
        o.json.emplace_back(a.at(0).as_string(), json::Dump(a.at(1)));
      }
    }
  } catch (const std::exception&) {
    // A damaged detail is treated as empty output; the next version bump rewrites it.
  }
  return o;
}

Result<int64_t> CountPendingItems(store::Store& store, const AnalysisPlan& plan, int64_t since) {
  if (plan.size() == 0) return int64_t{0};
  StoreAccess access(store.db());
  FEEDLOOP_RETURN_IF_ERROR(access.Prepare(plan));
  return access.CountPending(since);
}

int ResolveThreads(int requested) {
  if (requested > 0) return std::min(requested, 64);
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

Result<AnalyzeCounts> AnalyzeStore(store::Store& store, const AnalysisPlan& plan,
                                   const AnalyzeOptions& options, int64_t run_id,
                                   const std::function<void(int64_t, int64_t)>& progress) {
  AnalyzeCounts counts;
  if (plan.size() == 0) return counts;
  if (plan.size() > 64) return Status::Usage("at most 64 plugins can run together");
  StoreAccess access(store.db());
  FEEDLOOP_RETURN_IF_ERROR(access.Prepare(plan));
  Result<int64_t> total = access.CountPending(options.since);
  if (!total.ok()) return total.status();
  if (total.value() == 0) return counts;

  const int threads = ResolveThreads(options.threads);
  std::vector<std::unique_ptr<BatchAnalyzer>> analyzers;
  for (int i = 0; i < threads; ++i) {
    Result<std::unique_ptr<BatchAnalyzer>> a = BatchAnalyzer::Create(plan);
    if (!a.ok()) return a.status();
    analyzers.push_back(std::move(a).value());
  }
  // Which plugins each plugin reads from (to re-run dependents of a re-run plugin).
  std::vector<std::vector<int>> providers(plan.size());
  for (size_t p = 0; p < plan.size(); ++p) {
    for (const std::string& r : plan.plugins()[p].library->info().requires_) {
      int q = plan.ProviderOf(p, r);
      if (q >= 0) providers[p].push_back(q);
    }
  }

  // The writer inserts only rows of items it has just read and of this run, and feedloop never
  // deletes items: the parent lookups of foreign-key enforcement (about ten per item) cannot
  // fail, and they cost a quarter of the writer's time. They are off while this loop writes and
  // back on after it; the analyze tests check the store with PRAGMA foreign_key_check.
  struct ForeignKeysOff {
    store::Database& db;
    explicit ForeignKeysOff(store::Database& d) : db(d) {
      (void)db.Exec("PRAGMA foreign_keys=OFF");
    }
    ~ForeignKeysOff() { (void)db.Exec("PRAGMA foreign_keys=ON"); }
  } foreign_keys_off(store.db());
  WorkerPool pool(threads);
  int64_t after = 0, done = 0;
  const int per_round = options.batch_size * threads * 2;
  // Rounds overlap: while the workers analyse round k+1, this thread writes round k (SQLite has
  // one writer; the plugins' work and the store's no longer wait for each other).
  std::vector<Batch> analysed;
  while (true) {
    Result<std::vector<int64_t>> ids = access.NextIds(after, options.since, per_round);
    if (!ids.ok()) return ids.status();
    if (!ids->empty()) after = ids->back();
    std::vector<Batch> batches;
    for (size_t start = 0; start < ids->size(); start += static_cast<size_t>(options.batch_size)) {
      size_t end = std::min(ids->size(), start + static_cast<size_t>(options.batch_size));
      std::vector<int64_t> chunk(ids->begin() + static_cast<long>(start),
                                 ids->begin() + static_cast<long>(end));
      Batch b;
      std::map<int64_t, std::vector<std::pair<std::string, std::string>>> versions;
      std::map<std::pair<int64_t, std::string>, PluginOutput> stored;
      FEEDLOOP_RETURN_IF_ERROR(access.Load(chunk, &b, &versions, &stored));
      b.masks.assign(b.items.size(), 0);
      b.annotated.assign(b.items.size(), 0);
      b.outputs.assign(b.items.size(), std::vector<PluginOutput>(plan.size()));
      for (size_t i = 0; i < b.items.size(); ++i) {
        const auto& have = versions[b.rows[i]];
        for (size_t p = 0; p < plan.size(); ++p) {
          const plugins::PluginInfo& info = plan.plugins()[p].library->info();
          if (std::any_of(have.begin(), have.end(),
                          [&](const auto& pv) { return pv.first == info.name; })) {
            b.annotated[i] |= uint64_t{1} << p;
          }
          bool current = std::any_of(have.begin(), have.end(), [&](const auto& pv) {
            return pv.first == info.name && pv.second == info.version;
          });
          bool input_changed = std::any_of(providers[p].begin(), providers[p].end(),
                                           [&](int q) { return (b.masks[i] >> q & 1) != 0; });
          if (!current || input_changed) {
            b.masks[i] |= uint64_t{1} << p;
          } else {
            b.outputs[i][p] = stored[{b.rows[i], info.name}];
          }
        }
      }
      batches.push_back(std::move(b));
    }
    for (Batch& b : batches) {
      Batch* bp = &b;
      pool.Submit([bp, &analyzers, &plan](int worker) {
        analyzers[static_cast<size_t>(worker)]->Analyze(bp->items, &bp->masks, &bp->outputs);
        bp->Encode(plan);
      });
    }
    if (!analysed.empty()) {
      Status st = store::InTransaction(store.db(), [&] {
        for (const Batch& b : analysed)
          FEEDLOOP_RETURN_IF_ERROR(access.Write(plan, b, run_id, &counts));
        return Status::Ok();
      });
      if (!st.ok()) {
        pool.Wait();
        return st;
      }
      CrashPoint("analyze.round");
      for (const Batch& b : analysed) done += static_cast<int64_t>(b.items.size());
      if (progress) progress(done, total.value());
    }
    pool.Wait();
    if (batches.empty()) break;
    analysed = std::move(batches);
  }
  return counts;
}

}  // namespace feedloop::pipeline
