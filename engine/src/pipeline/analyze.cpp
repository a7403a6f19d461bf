#include "feedloop/pipeline/analyze.hpp"

#include <feedloop/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "feedloop/core/fault.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/store/checkpointer.hpp"

namespace feedloop::pipeline {

PluginOutput OutputFromValue(const json::Value& v);

namespace {

// The JSON of results and analysis rows, appended directly: their keys are literals and they hold
// no nesting a writer would have to track (JsonWriter writes the same bytes, more slowly).
// Appends an array of arrays: `[[...],[...]]`, each inner array's members written by `members`.
template <typename T, typename Members>
void AppendTuples(std::string& out, const std::vector<T>& items, Members members) {
  AppendJsonList(
      out, '[', items,
      [&](const T& item) {
        out += '[';
        members(item);
        out += ']';
      },
      ']');
}

void AppendLabel(std::string& out, const Label& l) {
  AppendLabelJson(out, "\"label\":", l);
}

void AppendLabels(std::string& out, const std::vector<Label>& labels) {
  AppendJsonList(
      out, '[', labels, [&](const Label& l) { AppendLabel(out, l); }, ']');
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

// The output of a stored results entry: {"version", "run_id", "status", "error", "output"}.
PluginOutput StoredOutput(const json::Value& e) {
  PluginOutput out;
  try {
    if (const json::Value* o = e.find("output")) out = OutputFromValue(*o);
    out.failed = e.get_string("status") == "failed";
    if (const json::Value* err = e.find("error"); err != nullptr && err->is_string())
      out.error = err->as_string();
  } catch (const std::exception&) {
  }
  out.ran = true;
  return out;
}

// A fixed-size pool running tasks; the calling thread can run them too (RunOne, HelpAndWait).
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
  // Runs queued tasks on the calling thread, as worker `index`, until none is left to start;
  // then waits for the ones still running.
  void HelpAndWait(int index) {
    while (RunNext(index, false)) {
    }
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_ == 0; });
  }
  // Runs one queued task on the calling thread as worker `index`; false when none is queued.
  bool RunOne(int index) { return RunNext(index, false); }
  // Tasks submitted and not yet started.
  size_t Queued() {
    std::lock_guard<std::mutex> lock(mu_);
    return tasks_.size();
  }

 private:
  void Loop(int index) {
    while (RunNext(index, true)) {
    }
  }
  // Takes the next task and runs it as worker `index`; false when there is none (`block`: waits
  // for one until the pool stops).
  bool RunNext(int index, bool block) {
    std::function<void(int)> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (block) cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return false;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task(index);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --pending_;
    }
    done_cv_.notify_all();
    return true;
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
  // Per item, the stored result of each plugin (of any version, planned or not): its JSON entry
  // as text and parsed, by plugin name. A new result replaces its plugin's entry, the others are
  // written back as they were.
  struct Stored {
    std::string plugin, version, entry;
    json::Value parsed;
  };
  std::vector<std::vector<Stored>> stored;
  // Per item, whether the store had a results row for it (damaged or not).
  std::vector<char> had_results;
  // Set by the worker that analysed and encoded the batch (under the analyse loop's mutex).
  bool analysed = false;

  // What the writer stores for an item, encoded by the worker that analysed it so that the one
  // writer thread only binds and inserts.
  struct Row {
    bool any = false;  // some plugin ran for the item
    std::string versions, results;
    MergedAnalysis merged;
    std::optional<double> first_turn, last_turn;
    std::string tags, evidence;
  };
  std::vector<Row> encoded;

  void Encode(const AnalysisPlan& plan, int64_t run_id) {
    // The rows of a reused batch keep their strings' memory.
    encoded.resize(items.size());
    for (Row& r : encoded) {
      r.versions.clear();
      r.results.clear();
      r.tags.clear();
      r.evidence.clear();
      r.first_turn.reset();
      r.last_turn.reset();
    }
    std::vector<Stored> entries;
    std::vector<const Stored*> order;
    for (size_t i = 0; i < items.size(); ++i) {
      Row& r = encoded[i];
      r.any = masks[i] != 0;
      if (!r.any) continue;
      entries = std::move(stored[i]);  // read only here
      for (size_t p = 0; p < plan.size(); ++p) {
        if ((masks[i] >> p & 1) == 0) continue;
        const PlannedPlugin& planned = plan.plugins()[p];
        const plugins::PluginInfo& info = planned.library->info();
        const PluginOutput& o = outputs[i][p];
        Stored e{info.name, planned.version, {}, {}};
        // What JsonWriter would write for {"version", "run_id", "status", "error", "output"},
        // its fixed keys as literals and the output written in place.
        std::string& out = e.entry;
        out.reserve(256);
        out += "{\"version\":";
        AppendJsonString(out, planned.version);
        out += ",\"run_id\":";
        out += std::to_string(run_id);
        out += o.failed ? ",\"status\":\"failed\"" : ",\"status\":\"ok\"";
        if (!o.error.empty()) {
          out += ",\"error\":";
          AppendJsonString(out, o.error);
        }
        out += ",\"output\":";
        AppendOutputJson(out, o);
        out += '}';
        auto same = std::find_if(entries.begin(), entries.end(),
                                 [&](const Stored& s) { return s.plugin == info.name; });
        if (same == entries.end()) {
          entries.push_back(std::move(e));
        } else {
          *same = std::move(e);
        }
      }
      // By plugin name; the entries themselves stay where they are (they are large to move).
      order.clear();
      for (const Stored& e : entries) order.push_back(&e);
      std::sort(order.begin(), order.end(),
                [](const Stored* a, const Stored* b) { return a->plugin < b->plugin; });
      r.versions = ",";
      size_t size = 2;
      for (const Stored& e : entries) size += e.plugin.size() + e.entry.size() + 4;
      r.results.reserve(size);
      JsonWriter rw(r.results);
      rw.BeginObject();
      for (const Stored* e : order) {
        r.versions.append(e->plugin).append(1, '@').append(e->version).append(1, ',');
        rw.Key(e->plugin).Raw(e->entry);
      }
      rw.EndObject();
      r.merged = Merge(plan, outputs[i]);
      // How the conversation began and ended: the sentiment of its first and last turn.
      const auto& turns = r.merged.turns;
      if (!turns.empty()) {
        r.first_turn = std::min_element(turns.begin(), turns.end())->second;
        r.last_turn = std::max_element(turns.begin(), turns.end())->second;
      }
      AppendLabels(r.tags, r.merged.tags);
      AppendSpansJson(r.evidence, r.merged.root_cause ? r.merged.root_cause->spans
                                                      : std::vector<feedloop_span>{});
    }
  }
};

class StoreAccess {
 public:
  explicit StoreAccess(store::Database& db) : db_(db) {}

  Status Prepare(const AnalysisPlan& plan) {
    FEEDLOOP_RETURN_IF_ERROR(
        db_.Exec("CREATE TEMP TABLE IF NOT EXISTS plan_plugins(plugin TEXT PRIMARY KEY, "
                 "version TEXT, tag TEXT)"));
    FEEDLOOP_RETURN_IF_ERROR(db_.Exec("DELETE FROM temp.plan_plugins"));
    store::Statement ins = db_.MustPrepare("INSERT INTO temp.plan_plugins VALUES (?, ?, ?)");
    for (const PlannedPlugin& p : plan.plugins()) {
      const plugins::PluginInfo& info = p.library->info();
      ins.Bind(1, info.name).Bind(2, p.version);
      ins.Bind(3, "," + info.name + "@" + p.version + ",");
      FEEDLOOP_RETURN_IF_ERROR(ins.Run());
    }
    // An item is pending when its results row lacks the current version of a planned plugin.
    const std::string pending =
        "(r.item_id IS NULL OR EXISTS (SELECT 1 FROM temp.plan_plugins p WHERE "
        "instr(r.versions, p.tag) = 0))";
    // sql-from-constant: `pending` is the literal above; every value is a bound parameter.
    next_ = db_.MustPrepare(
        "SELECT i.id FROM items i LEFT JOIN results r ON r.item_id = i.id WHERE i.id > ?1 AND "
        "(?2 IS NULL OR i.created_at >= ?2) AND " +
        pending + " ORDER BY i.id LIMIT ?3");
    complete_ = db_.MustPrepare(
        "SELECT (SELECT count(*) FROM items) = (SELECT count(*) FROM results r WHERE NOT EXISTS "
        "(SELECT 1 FROM temp.plan_plugins p WHERE instr(r.versions, p.tag) = 0))");
    // sql-from-constant: as above.
    count_ = db_.MustPrepare(
        "SELECT count(*) FROM items i LEFT JOIN results r ON r.item_id = i.id WHERE "
        "(?1 IS NULL OR i.created_at >= ?1) AND " +
        pending);
    items_ = db_.MustPrepare(
        "SELECT id, source, ext_id, kind, created_at, score, text, coalesce(customer_id, ''), "
        "coalesce(order_id, ''), coalesce(sku, ''), coalesce(channel, ''), "
        "coalesce(region, ''), coalesce(language, ''), attrs FROM items WHERE id BETWEEN ? AND ? "
        "ORDER BY id");
    turns_ = db_.MustPrepare(
        "SELECT item_id, role, at, text FROM turns WHERE item_id BETWEEN ? AND ? "
        "ORDER BY item_id, seq");
    results_ = db_.MustPrepare("SELECT item_id, data FROM results WHERE item_id BETWEEN ? AND ?");
    insert_results_ =
        db_.MustPrepare("INSERT INTO results(item_id, versions, data) VALUES (?,?,?)");
    replace_results_ =
        db_.MustPrepare("INSERT OR REPLACE INTO results(item_id, versions, data) VALUES (?,?,?)");
    insert_analysis_ = db_.MustPrepare(
        "INSERT INTO analysis(item_id, sentiment, root_cause, root_confidence, "
        "first_turn_sentiment, last_turn_sentiment, tags, evidence, run_id) VALUES "
        "(?,?,?,?,?,?,?,?,?)");
    replace_analysis_ = db_.MustPrepare(
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

  // Loads the items with these (sorted) row ids, their turns, and their stored results.
  Status Load(const std::vector<int64_t>& ids, Batch* b) {
    int64_t lo = ids.front(), hi = ids.back();
    std::map<int64_t, size_t> index;
    for (size_t i = 0; i < ids.size(); ++i) index[ids[i]] = i;
    b->rows = ids;
    b->items.assign(ids.size(), Item());
    b->stored.assign(ids.size(), {});
    b->had_results.assign(ids.size(), 0);
    items_.Bind(1, lo).Bind(2, hi);
    while (true) {
      Result<bool> row = items_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      auto it = index.find(items_.Int(0));
      if (it == index.end()) continue;
      // Into the strings of a reused batch: no allocation once their capacity suffices.
      Item& item = b->items[it->second];
      item.source.assign(items_.Text(1));
      item.id.assign(items_.Text(2));
      item.kind = ParseKind(items_.Text(3)).value_or(Kind::kReview);
      item.created_at = items_.IsNull(4) ? kNoTime : items_.Int(4);
      if (!items_.IsNull(5)) item.score = items_.Double(5);
      item.text.assign(items_.Text(6));
      item.customer_id.assign(items_.Text(7));
      item.order_id.assign(items_.Text(8));
      item.sku.assign(items_.Text(9));
      item.channel.assign(items_.Text(10));
      item.region.assign(items_.Text(11));
      item.language.assign(items_.Text(12));
      item.attrs_json.assign(items_.Text(13));
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
    results_.Bind(1, lo).Bind(2, hi);
    while (true) {
      Result<bool> row = results_.Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      auto it = index.find(results_.Int(0));
      if (it == index.end()) continue;
      b->had_results[it->second] = 1;
      try {
        json::Value data = json::Parse(results_.Text(1));
        for (const auto& [plugin, entry] : data.as_object()) {
          b->stored[it->second].push_back(
              {plugin, entry.get_string("version"), json::Dump(entry), entry});
        }
      } catch (const std::exception&) {
        // A damaged row holds no current result: every planned plugin runs again and rewrites it.
      }
    }
    results_.Reset();
    return Status::Ok();
  }

  Status Write(const AnalysisPlan& plan, const Batch& b, int64_t run_id, AnalyzeCounts* counts) {
    for (size_t i = 0; i < b.items.size(); ++i) {
      const Batch::Row& encoded = b.encoded[i];
      if (!encoded.any) continue;
      for (size_t p = 0; p < plan.size(); ++p) {
        if ((b.masks[i] >> p & 1) == 0) continue;
        ++counts->plugin_runs;
        if (b.outputs[i][p].failed) ++counts->failed;
      }
      ++counts->items;
      // Everything bound lives in the batch until the statement has run.
      const int64_t row = b.rows[i];
      const bool fresh = b.had_results[i] == 0;
      FEEDLOOP_RETURN_IF_ERROR(
          Insert(fresh, insert_results_, replace_results_, [&](store::Statement& s) {
            s.Bind(1, row).BindRef(2, encoded.versions).BindRef(3, encoded.results);
          }));
      const MergedAnalysis& m = encoded.merged;
      FEEDLOOP_RETURN_IF_ERROR(
          Insert(fresh, insert_analysis_, replace_analysis_, [&](store::Statement& s) {
            s.Bind(1, row).Bind(2, m.sentiment);
            if (m.root_cause) {
              s.BindRef(3, m.root_cause->label).Bind(4, m.root_cause->confidence);
            } else {
              s.BindNull(3).BindNull(4);
            }
            s.Bind(5, encoded.first_turn).Bind(6, encoded.last_turn);
            s.BindRef(7, encoded.tags).BindRef(8, encoded.evidence).Bind(9, run_id);
          }));
    }
    return Status::Ok();
  }

 private:
  // An item analysed for the first time gets a plain INSERT: an INSERT OR REPLACE may delete a
  // row, so SQLite wraps each one in a statement savepoint (a tenth of the writer's work). An
  // item with a row is replaced, and so is one whose INSERT finds a row after all (an analysis
  // row without its results row).
  template <typename BindFn>
  Status Insert(bool fresh, store::Statement& insert, store::Statement& replace, BindFn bind) {
    if (fresh) {
      bind(insert);
      Status st = insert.Run();
      if (st.ok() || (sqlite3_errcode(db_.raw()) & 0xff) != SQLITE_CONSTRAINT) return st;
    }
    bind(replace);
    return replace.Run();
  }

  store::Database& db_;
  store::Statement complete_, next_, count_, items_, turns_, results_, insert_results_,
      replace_results_, insert_analysis_, replace_analysis_;
};

}  // namespace

void AppendSpansJson(std::string& out, const std::vector<feedloop_span>& spans) {
  AppendTuples(out, spans, [&](const feedloop_span& s) {
    AppendJsonInt(out, s.begin);
    out += ',';
    AppendJsonInt(out, s.end);
  });
}

void AppendLabelJson(std::string& out, std::string_view quoted_key, const Label& l, int decimals) {
  out += '{';
  out += quoted_key;
  AppendJsonString(out, l.label);
  out += ",\"confidence\":";
  if (decimals < 0) {
    AppendJsonNumber(out, l.confidence);
  } else {
    AppendJsonFixed(out, l.confidence, decimals);
  }
  out += ",\"spans\":";
  AppendSpansJson(out, l.spans);
  out += '}';
}

std::string OutputToJson(const PluginOutput& o) {
  std::string out;
  AppendOutputJson(out, o);
  return out;
}

void AppendOutputJson(std::string& out, const PluginOutput& o) {
  // Each member after the first is preceded by a comma.
  bool first = true;
  auto key = [&](std::string_view quoted_key) {
    out += first ? "{" : ",";
    first = false;
    out += quoted_key;
  };
  // Full precision: the worker process of --isolate-plugins hands results back this way.
  if (o.sentiment) {
    key("\"sentiment\":");
    AppendJsonNumber(out, *o.sentiment);
  }
  if (!o.sentences.empty()) {
    key("\"sentences\":");
    AppendTuples(out, o.sentences, [&](const std::pair<feedloop_span, double>& sentence) {
      AppendJsonInt(out, sentence.first.begin);
      out += ',';
      AppendJsonInt(out, sentence.first.end);
      out += ',';
      AppendJsonNumber(out, sentence.second);
    });
  }
  if (!o.turns.empty()) {
    key("\"turns\":");
    AppendTuples(out, o.turns, [&](const std::pair<uint32_t, double>& turn) {
      AppendJsonInt(out, turn.first);
      out += ',';
      AppendJsonNumber(out, turn.second);
    });
  }
  if (!o.tags.empty()) {
    key("\"tags\":");
    AppendLabels(out, o.tags);
  }
  if (o.root_cause) {
    key("\"root_cause\":");
    AppendLabel(out, *o.root_cause);
  }
  if (!o.labels.empty()) {
    key("\"labels\":");
    AppendTuples(out, o.labels, [&](const std::pair<std::string, Label>& label) {
      AppendJsonString(out, label.first);
      out += ',';
      AppendLabel(out, label.second);
    });
  }
  if (!o.json.empty()) {
    key("\"json\":");
    AppendTuples(out, o.json, [&](const std::pair<std::string, std::string>& value) {
      AppendJsonString(out, value.first);
      out += ',';
      out += value.second;
    });
  }
  out += first ? "{}" : "}";
}

PluginOutput OutputFromValue(const json::Value& v) {
  PluginOutput o;
  try {
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
    // A damaged output is treated as empty; the next version bump rewrites it.
  }
  return o;
}

PluginOutput OutputFromJson(std::string_view text) {
  try {
    return OutputFromValue(json::Parse(text));
  } catch (const std::exception&) {
    return PluginOutput();
  }
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
    for (size_t r = 0; r < plan.plugins()[p].library->info().requires_.size(); ++r) {
      for (int q : plan.ProvidersOf(p, r)) providers[p].push_back(q);
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
  // The log's checkpoints run beside the writer, not in its commits (see checkpointer.hpp); if
  // the second connection cannot open, the commits checkpoint as usual.
  Result<std::unique_ptr<store::BackgroundCheckpointer>> checkpoints =
      store::BackgroundCheckpointer::Start(&store.db());
  // This thread is one of the N: it writes and reads the store, then analyses beside the pool's
  // N - 1 workers, so that N threads keep N cores busy and no more (with one, it does it all).
  WorkerPool pool(threads - 1);
  int64_t after = 0, done = 0;
  // Written batches, kept for the next ones to load into: their items' strings and vectors keep
  // their memory, so this thread neither frees a batch nor allocates the next one.
  std::vector<std::unique_ptr<Batch>> spare;
  // Loads the next batch of pending items and what to run on them; an empty batch at the end.
  auto load_batch = [&](Batch* b) -> Status {
    Result<std::vector<int64_t>> ids = access.NextIds(after, options.since, options.batch_size);
    if (!ids.ok()) return ids.status();
    if (!ids->empty()) after = ids->back();
    b->analysed = false;
    if (ids->empty()) {
      b->items.clear();
      return Status::Ok();
    }
    FEEDLOOP_RETURN_IF_ERROR(access.Load(*ids, b));
    b->masks.assign(b->items.size(), 0);
    b->outputs.assign(b->items.size(), std::vector<PluginOutput>(plan.size()));
    for (size_t i = 0; i < b->items.size(); ++i) {
      const std::vector<Batch::Stored>& have = b->stored[i];
      for (size_t p = 0; p < plan.size(); ++p) {
        const PlannedPlugin& planned = plan.plugins()[p];
        auto current = std::find_if(have.begin(), have.end(), [&](const Batch::Stored& s) {
          return s.plugin == planned.library->name() && s.version == planned.version;
        });
        bool input_changed = std::any_of(providers[p].begin(), providers[p].end(),
                                         [&](int q) { return (b->masks[i] >> q & 1) != 0; });
        if (current == have.end() || input_changed) {
          b->masks[i] |= uint64_t{1} << p;
        } else {
          b->outputs[i][p] = StoredOutput(current->parsed);
        }
      }
    }
    return Status::Ok();
  };

  // No rounds and no barrier: the workers analyse loaded batches as they come, and this thread,
  // the store's one reader and writer, does whatever is most urgent: read the next batch when
  // the workers are about to run dry, write the analysed batches at the front (in the order they
  // were read, `write_at` of them per transaction), read ahead, else analyse a batch itself. It
  // waits only at the end, for the last batches still being analysed.
  const size_t ahead = static_cast<size_t>(threads) * 2;     // read, not yet analysed
  const size_t write_at = static_cast<size_t>(threads) * 2;  // analysed batches per transaction
  const size_t most = ahead + write_at + static_cast<size_t>(threads) * 2;  // in memory at once
  std::deque<std::unique_ptr<Batch>> flight;  // in the order they were read
  std::mutex analysed_mu;
  std::condition_variable analysed_cv;
  size_t analysed_count = 0;  // batches analysed so far, for the wait below
  bool exhausted = false;
  const int self = threads - 1;  // this thread's analyzer
  auto write_front = [&](size_t n) -> Status {
    Status st = store::InTransaction(store.db(), [&] {
      for (size_t k = 0; k < n; ++k)
        FEEDLOOP_RETURN_IF_ERROR(access.Write(plan, *flight[k], run_id, &counts));
      return options.before_commit ? options.before_commit(counts) : Status::Ok();
    });
    FEEDLOOP_RETURN_IF_ERROR(st);
    CrashPoint("analyze.round");
    for (size_t k = 0; k < n; ++k) {
      done += static_cast<int64_t>(flight.front()->items.size());
      spare.push_back(std::move(flight.front()));
      flight.pop_front();
    }
    if (progress) progress(done, total.value());
    return Status::Ok();
  };
  auto read_next = [&]() -> Status {
    std::unique_ptr<Batch> b;
    if (!spare.empty()) {
      b = std::move(spare.back());
      spare.pop_back();
    } else {
      b = std::make_unique<Batch>();
    }
    FEEDLOOP_RETURN_IF_ERROR(load_batch(b.get()));
    if (b->items.empty()) {
      exhausted = true;
      spare.push_back(std::move(b));
      return Status::Ok();
    }
    Batch* bp = b.get();
    flight.push_back(std::move(b));
    pool.Submit(
        [bp, &analyzers, &plan, run_id, &analysed_mu, &analysed_cv, &analysed_count](int worker) {
          analyzers[static_cast<size_t>(worker)]->Analyze(bp->items, &bp->masks, &bp->outputs);
          bp->Encode(plan, run_id);
          {
            std::lock_guard<std::mutex> lock(analysed_mu);
            bp->analysed = true;
            ++analysed_count;
          }
          analysed_cv.notify_all();
        });
    return Status::Ok();
  };
  // On an error the pool's destructor still joins its workers, but they may be analysing
  // batches of `flight`: let them finish first.
  struct DrainOnExit {
    WorkerPool& pool;
    int self;
    ~DrainOnExit() { pool.HelpAndWait(self); }
  } drain{pool, self};
  while (true) {
    size_t ready = 0;
    size_t seen = 0;
    {
      std::lock_guard<std::mutex> lock(analysed_mu);
      while (ready < flight.size() && flight[ready]->analysed) ++ready;
      seen = analysed_count;
    }
    const size_t queued = pool.Queued();
    if (!exhausted && queued == 0 && flight.size() < most) {
      FEEDLOOP_RETURN_IF_ERROR(read_next());  // the workers are about to run dry
    } else if (ready >= write_at || (exhausted && ready > 0 && ready == flight.size())) {
      FEEDLOOP_RETURN_IF_ERROR(write_front(ready));
    } else if (!exhausted && queued < ahead && flight.size() < most) {
      FEEDLOOP_RETURN_IF_ERROR(read_next());
    } else if (pool.RunOne(self)) {
      // analysed a batch here
    } else if (ready > 0) {
      FEEDLOOP_RETURN_IF_ERROR(write_front(ready));  // nothing else to do meanwhile
    } else if (flight.empty()) {
      if (exhausted) break;
      FEEDLOOP_RETURN_IF_ERROR(read_next());
    } else {
      // The front batch is being analysed by a worker: wait until some batch is done.
      std::unique_lock<std::mutex> lock(analysed_mu);
      analysed_cv.wait(lock, [&] { return analysed_count != seen; });
    }
  }
  return counts;
}

}  // namespace feedloop::pipeline
