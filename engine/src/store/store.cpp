#include "feedloop/store/store.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

#include "feedloop/core/hash.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/text/normalize.hpp"

namespace feedloop::store {
namespace {

// Forward migrations: kMigrations[i] takes a database from version i to i + 1. Never edit a
// migration that has shipped; append a new one.
const char* const kMigrations[] = {
    // 1: items, turns, rejects, files, runs.
    R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  pid INTEGER,
  config_hash TEXT NOT NULL DEFAULT '',
  read INTEGER NOT NULL DEFAULT 0,
  stored INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  analyzed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE files(
  id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  format TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id),
  completed INTEGER NOT NULL DEFAULT 0,
  read INTEGER NOT NULL DEFAULT 0,
  stored INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE items(
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  ext_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('review','nps','csat','ces','transcript')),
  created_at INTEGER,
  score REAL,
  text TEXT NOT NULL,
  customer_id TEXT,
  order_id TEXT,
  sku TEXT,
  channel TEXT,
  region TEXT,
  language TEXT,
  attrs TEXT NOT NULL DEFAULT '{}',
  dedupe_key INTEGER,
  file_id INTEGER REFERENCES files(id),
  run_id INTEGER REFERENCES runs(id),
  UNIQUE(source, ext_id)
);
CREATE UNIQUE INDEX items_dedupe ON items(dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX items_created ON items(created_at);
CREATE TABLE turns(
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  at INTEGER,
  text TEXT NOT NULL,
  PRIMARY KEY(item_id, seq)
) WITHOUT ROWID;
CREATE TABLE rejects(
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs(id),
  file TEXT NOT NULL,
  record INTEGER NOT NULL,
  reason TEXT NOT NULL,
  excerpt TEXT NOT NULL
);
CREATE INDEX rejects_run ON rejects(run_id);
)sql",
    // 2: annotations per (item, plugin), their labels, and the merged analysis reports read.
    R"sql(
CREATE TABLE annotations(
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  plugin TEXT NOT NULL,
  version TEXT NOT NULL,
  run_id INTEGER REFERENCES runs(id),
  status TEXT NOT NULL CHECK (status IN ('ok','failed')),
  error TEXT,
  sentiment REAL,
  root_cause TEXT,
  root_confidence REAL,
  detail TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY(item_id, plugin)
) WITHOUT ROWID;
CREATE TABLE labels(
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  plugin TEXT NOT NULL,
  annotation TEXT NOT NULL,
  label TEXT NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY(item_id, plugin, annotation, label)
) WITHOUT ROWID;
CREATE INDEX labels_by_label ON labels(annotation, label);
CREATE TABLE analysis(
  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  sentiment REAL,
  root_cause TEXT,
  root_confidence REAL,
  first_turn_sentiment REAL,
  last_turn_sentiment REAL,
  tags TEXT NOT NULL DEFAULT '[]',
  evidence TEXT NOT NULL DEFAULT '[]',
  run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX analysis_cause ON analysis(root_cause);
)sql",
    // 3: rejects remember their file, so an interrupted reading's rejects can be replaced.
    R"sql(
ALTER TABLE rejects ADD COLUMN file_id INTEGER REFERENCES files(id);
CREATE INDEX rejects_file ON rejects(file_id);
)sql",
    // 4: how many PII items were redacted from each item before it was stored.
    R"sql(
ALTER TABLE items ADD COLUMN redactions INTEGER NOT NULL DEFAULT 0;
)sql",
    // 5: every plugin's result for an item in one row. `versions` lists ",name@version," of each
    // plugin whose result the row holds (names and semver versions have no ',' or '@'); `data`
    // is a JSON object by plugin name: {"version", "run_id", "status", "error", "output"}. One
    // row instead of one per plugin and one per label makes analyze's writer about twice as
    // fast; `annotations` and `labels` become views of the same rows, with the same columns (JSON
    // writes 0.0 as 0: "+ 0.0" keeps the real columns real).
    R"sql(
CREATE TABLE results(
  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  versions TEXT NOT NULL,
  data TEXT NOT NULL
);
INSERT INTO results(item_id, versions, data)
SELECT item_id, ',' || group_concat(plugin || '@' || version, ',') || ',',
       json_group_object(plugin, json_object('version', version, 'run_id', run_id,
                                             'status', status, 'error', error,
                                             'output', CASE WHEN json_valid(detail)
                                                       THEN json(detail) ELSE json('{}') END))
FROM (SELECT * FROM annotations ORDER BY item_id, plugin) GROUP BY item_id;
DROP INDEX labels_by_label;
DROP TABLE labels;
DROP TABLE annotations;
CREATE VIEW annotations(item_id, plugin, version, run_id, status, error, sentiment, root_cause,
                        root_confidence, detail) AS
SELECT r.item_id, p.key, json_extract(p.value, '$.version'), json_extract(p.value, '$.run_id'),
       json_extract(p.value, '$.status'), json_extract(p.value, '$.error'),
       json_extract(p.value, '$.output.sentiment') + 0.0,
       json_extract(p.value, '$.output.root_cause.label'),
       json_extract(p.value, '$.output.root_cause.confidence') + 0.0,
       json_extract(p.value, '$.output')
FROM results r, json_each(r.data) p;
CREATE VIEW labels(item_id, plugin, annotation, label, confidence) AS
SELECT r.item_id, p.key, 'tags', json_extract(t.value, '$.label'),
       json_extract(t.value, '$.confidence') + 0.0
FROM results r, json_each(r.data) p, json_each(p.value, '$.output.tags') t
UNION ALL
SELECT r.item_id, p.key, json_extract(l.value, '$[0]'), json_extract(l.value, '$[1].label'),
       json_extract(l.value, '$[1].confidence') + 0.0
FROM results r, json_each(r.data) p, json_each(p.value, '$.output.labels') l;
)sql",
    // 6: the content key is indexed after the day it holds. Its hash alone put every insert on a
    // random page of the index, so each commit rewrote most of the index's pages (at 1M items,
    // half of ingest's time); items arrive roughly in time order, so the day keeps inserts
    // together. Same rows conflict as before: the key already covers the day (the floor of
    // created_at / 86400; items without a time are day 0).
    R"sql(
DROP INDEX items_dedupe;
CREATE UNIQUE INDEX items_dedupe
  ON items(coalesce((created_at - (created_at < 0) * 86399) / 86400, 0), dedupe_key)
  WHERE dedupe_key IS NOT NULL;
)sql",
    // 7: the kind CHECK as equalities. SQLite evaluates an IN list of more than two constants by
    // building a temporary b-tree of the list, for every row inserted: two fifths of ingest's
    // writer time went into it. A CHECK cannot be altered; SQLite documents editing the table's
    // text in sqlite_schema for such a change (Migrate then bumps the schema cookie so every
    // connection re-reads it). The same kinds are allowed as before, and rows are not touched.
    R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (kind IN (''review'',''nps'',''csat'',''ces'',''transcript''))',
                  'CHECK (kind = ''review'' OR kind = ''nps'' OR kind = ''csat'' OR ' ||
                  'kind = ''ces'' OR kind = ''transcript'')')
WHERE type = 'table' AND name = 'items';
PRAGMA writable_schema=OFF;
)sql",
};

// Whether migration `sql` edits table definitions in place (see migration 7).
bool EditsSchemaText(const char* sql) {
  return std::string_view(sql).find("PRAGMA writable_schema=ON") != std::string_view::npos;
}

constexpr int kMigrationCount = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

std::string NowIso() {
  return FormatIsoUtc(static_cast<int64_t>(std::time(nullptr)));
}

}  // namespace

int LatestSchemaVersion() {
  return kMigrationCount;
}

int64_t DedupeKey(const Item& item) {
  // Anonymous texts are different people; score-only answers (no text) are different answers.
  if (item.customer_id.empty() || item.text.empty()) return 0;
  // Built in a buffer each thread keeps: one key per stored item, and no allocation once the
  // longest text has been seen.
  thread_local std::string key;
  key.assign(KindName(item.kind));
  key += '\0';
  key += item.customer_id;
  key += '\0';
  if (item.created_at != kNoTime) {
    int64_t day =
        item.created_at >= 0 ? item.created_at / 86400 : (item.created_at - 86399) / 86400;
    char digits[24];
    key.append(digits, std::to_chars(digits, digits + sizeof(digits), day).ptr);
  }
  key += '\0';
  if (item.kind != Kind::kTranscript || item.turns.empty()) {
    text::AppendCollapsedSpaces(item.text, &key);
  } else {
    text::AppendCollapsedSpaces(AnalysisText(item), &key);
  }
  int64_t h = static_cast<int64_t>(Hash64(key));
  return h == 0 ? 1 : h;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const OpenOptions& options) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, options);
  if (!db.ok()) return db.status();
  std::unique_ptr<Store> store(new Store(std::move(db).value()));
  Status st = store->Migrate();
  if (!st.ok()) return st;
  if (store->schema_text_edited_) {
    OpenOptions again = options;
    again.create_if_missing = false;
    db = Database::Open(path, again);
    if (!db.ok()) return db.status();
    store->db_ = std::move(db).value();
  }
  FEEDLOOP_RETURN_IF_ERROR(store->PrepareStatements());
  return store;
}

Status Store::Migrate() {
  Result<Statement> q = db_->Prepare("PRAGMA user_version");
  if (!q.ok()) {
    return Status::IoError(db_->path() + " is not a feedloop database (" + q.status().message() +
                           ")");
  }
  Result<bool> row = q->Step();
  if (!row.ok()) {
    return Status::IoError(db_->path() + " is not a feedloop database (" + row.status().message() +
                           ")");
  }
  int version = static_cast<int>(q->Int(0));
  q->Reset();
  if (version > kMigrationCount) {
    return Status::IoError("database " + db_->path() + " has schema version " +
                           std::to_string(version) + ", newer than this feedloop supports (" +
                           std::to_string(kMigrationCount) + "); upgrade feedloop");
  }
  if (version == 0) {
    // A fresh file must be empty; refuse to write our schema into someone else's database.
    Result<Statement> tables = db_->Prepare("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    Result<bool> r = tables->Step();
    if (!r.ok()) return r.status();
    if (tables->Int(0) != 0) {
      return Status::IoError(db_->path() + " is an SQLite database but not a feedloop one");
    }
  }
  for (int v = version; v < kMigrationCount; ++v) {
    Status st = InTransaction(*db_, [&] {
      FEEDLOOP_RETURN_IF_ERROR(db_->Exec(kMigrations[v]));
      if (EditsSchemaText(kMigrations[v])) {
        schema_text_edited_ = true;
        Result<Statement> cookie = db_->Prepare("PRAGMA schema_version");
        if (!cookie.ok()) return cookie.status();
        Result<bool> has = cookie->Step();
        if (!has.ok()) return has.status();
        int64_t next = cookie->Int(0) + 1;
        cookie->Reset();
        // PRAGMA takes no bound parameters; the cookie is an integer from the file's header.
        FEEDLOOP_RETURN_IF_ERROR(
            db_->Exec("PRAGMA schema_version=" + std::to_string(next)));  // sql-from-constant
      }
      // PRAGMA takes no bound parameters; the version is this build's constant, never data.
      return db_->Exec("PRAGMA user_version=" + std::to_string(v + 1));  // sql-from-constant
    });
    if (!st.ok()) {
      return Status::IoError("cannot migrate database " + db_->path() + " to schema version " +
                             std::to_string(v + 1) + ": " + st.message());
    }
  }
  schema_version_ = kMigrationCount;
  return Status::Ok();
}

Status Store::PrepareStatements() {
  auto prepare = [&](Statement* out, std::string_view sql) {
    Result<Statement> st = db_->Prepare(sql);
    if (!st.ok()) return st.status();
    *out = std::move(st).value();
    return Status::Ok();
  };
  FEEDLOOP_RETURN_IF_ERROR(
      prepare(&insert_item_,
              "INSERT OR IGNORE INTO items(source, ext_id, kind, created_at, "
              "score, text, customer_id, order_id, sku, channel, region, "
              "language, attrs, dedupe_key, file_id, run_id, redactions) VALUES "
              "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  FEEDLOOP_RETURN_IF_ERROR(prepare(
      &find_conflict_, "SELECT run_id, file_id FROM items WHERE source = ? AND ext_id = ?"));
  FEEDLOOP_RETURN_IF_ERROR(
      prepare(&insert_turn_, "INSERT INTO turns(item_id, seq, role, at, text) VALUES (?,?,?,?,?)"));
  FEEDLOOP_RETURN_IF_ERROR(prepare(
      &insert_reject_,
      "INSERT INTO rejects(run_id, file, record, reason, excerpt, file_id) VALUES (?,?,?,?,?,?)"));
  FEEDLOOP_RETURN_IF_ERROR(
      prepare(&record_run_progress_,
              "UPDATE runs SET read = ?, stored = ?, duplicates = ?, rejected = ?, analyzed = ?, "
              "failed = ?, details = coalesce(?, details) WHERE id = ?"));
  return Status::Ok();
}

Result<int64_t> Store::StartRun(std::string_view command, std::string_view config_hash) {
  Result<Statement> st = db_->Prepare(
      "INSERT INTO runs(command, started_at, status, pid, config_hash) VALUES (?,?,'running',?,?)");
  if (!st.ok()) return st.status();
  st->Bind(1, command)
      .Bind(2, NowIso())
      .Bind(3, static_cast<int64_t>(::getpid()))
      .Bind(4, config_hash);
  FEEDLOOP_RETURN_IF_ERROR(st->Run());
  return db_->LastInsertId();
}

Status Store::FinishRun(int64_t run_id, std::string_view status, const IngestCounts& counts,
                        int64_t analyzed, int64_t failed, std::string_view details_json) {
  Result<Statement> st = db_->Prepare(
      "UPDATE runs SET finished_at = ?, status = ?, read = ?, stored = ?, duplicates = ?, "
      "rejected = ?, analyzed = ?, failed = ?, details = ? WHERE id = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, NowIso())
      .Bind(2, status)
      .Bind(3, counts.read)
      .Bind(4, counts.stored)
      .Bind(5, counts.duplicates)
      .Bind(6, counts.rejected)
      .Bind(7, analyzed)
      .Bind(8, failed)
      .Bind(9, details_json.empty() ? std::string_view("{}") : details_json)
      .Bind(10, run_id);
  return st->Run();
}

Status Store::RecordRunProgress(int64_t run_id, const IngestCounts& counts, int64_t analyzed,
                                int64_t failed, std::string_view details_json) {
  Statement& st = record_run_progress_;
  st.Bind(1, counts.read)
      .Bind(2, counts.stored)
      .Bind(3, counts.duplicates)
      .Bind(4, counts.rejected)
      .Bind(5, analyzed)
      .Bind(6, failed);
  if (details_json.empty()) {
    st.BindNull(7);
  } else {
    st.Bind(7, details_json);
  }
  st.Bind(8, run_id);
  return st.Run();
}

Result<int> Store::RecoverInterruptedRuns() {
  Result<Statement> q = db_->Prepare("SELECT id, pid FROM runs WHERE status = 'running'");
  if (!q.ok()) return q.status();
  std::vector<int64_t> dead;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    pid_t pid = static_cast<pid_t>(q->Int(1));
    bool alive = pid > 0 && pid != ::getpid() && (::kill(pid, 0) == 0 || errno == EPERM);
    if (!alive) dead.push_back(q->Int(0));
  }
  q->Reset();
  if (dead.empty()) return 0;
  Result<Statement> up = db_->Prepare(
      "UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE id = "
      "?");
  if (!up.ok()) return up.status();
  for (int64_t id : dead) {
    up->Bind(1, NowIso()).Bind(2, id);
    FEEDLOOP_RETURN_IF_ERROR(up->Run());
  }
  return static_cast<int>(dead.size());
}

Result<std::vector<RunRow>> Store::ListRuns(int limit) {
  Result<Statement> q = db_->Prepare(
      "SELECT id, command, started_at, coalesce(finished_at, ''), status, config_hash, read, "
      "stored, duplicates, rejected, analyzed, failed, details FROM runs ORDER BY id DESC LIMIT ?");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(limit));
  std::vector<RunRow> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    RunRow r;
    r.id = q->Int(0);
    r.command = q->String(1);
    r.started_at = q->String(2);
    r.finished_at = q->String(3);
    r.status = q->String(4);
    r.config_hash = q->String(5);
    r.counts.read = q->Int(6);
    r.counts.stored = q->Int(7);
    r.counts.duplicates = q->Int(8);
    r.counts.rejected = q->Int(9);
    r.analyzed = q->Int(10);
    r.failed = q->Int(11);
    r.details_json = q->String(12);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<FileRow>> Store::FindFile(std::string_view content_hash) {
  Result<Statement> q = db_->Prepare(
      "SELECT id, path, completed, coalesce(run_id, 0) FROM files WHERE content_hash = ?");
  if (!q.ok()) return q.status();
  q->Bind(1, content_hash);
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<FileRow>();
  FileRow f;
  f.id = q->Int(0);
  f.content_hash = std::string(content_hash);
  f.path = q->String(1);
  f.completed = q->Int(2) != 0;
  f.run_id = q->Int(3);
  return std::optional<FileRow>(std::move(f));
}

Result<int64_t> Store::RegisterFile(std::string_view content_hash, std::string_view path,
                                    int64_t size, std::string_view source, std::string_view kind,
                                    std::string_view format, int64_t run_id) {
  Result<std::optional<FileRow>> existing = FindFile(content_hash);
  if (!existing.ok()) return existing.status();
  if (existing.value()) {
    Result<Statement> up = db_->Prepare("UPDATE files SET path = ?, run_id = ? WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, path).Bind(2, run_id).Bind(3, existing.value()->id);
    FEEDLOOP_RETURN_IF_ERROR(up->Run());
    return existing.value()->id;
  }
  Result<Statement> ins = db_->Prepare(
      "INSERT INTO files(content_hash, path, size, source, kind, format, run_id) VALUES "
      "(?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, content_hash)
      .Bind(2, path)
      .Bind(3, size)
      .Bind(4, source)
      .Bind(5, kind)
      .Bind(6, format);
  ins->Bind(7, run_id);
  FEEDLOOP_RETURN_IF_ERROR(ins->Run());
  return db_->LastInsertId();
}

Status Store::CompleteFile(int64_t file_id, const IngestCounts& counts) {
  Result<Statement> up = db_->Prepare(
      "UPDATE files SET completed = 1, read = ?, stored = ?, duplicates = ?, rejected = ? "
      "WHERE id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, counts.read)
      .Bind(2, counts.stored)
      .Bind(3, counts.duplicates)
      .Bind(4, counts.rejected)
      .Bind(5, file_id);
  return up->Run();
}

Result<InsertOutcome> Store::InsertItem(const Item& item, int64_t run_id, int64_t file_id) {
  return InsertItem(item, run_id, file_id, DedupeKey(item));
}

Result<InsertOutcome> Store::InsertItem(const Item& item, int64_t run_id, int64_t file_id,
                                        int64_t dedupe) {
  Statement& st = insert_item_;
  // The item outlives the statement's run: its text is bound, not copied.
  st.BindRef(1, item.source)
      .BindRef(2, item.id)
      .BindRef(3, KindName(item.kind))
      .BindTime(4, item.created_at)
      .Bind(5, item.score)
      .BindRef(6, item.text)
      .BindOptionalRef(7, item.customer_id)
      .BindOptionalRef(8, item.order_id)
      .BindOptionalRef(9, item.sku)
      .BindOptionalRef(10, item.channel)
      .BindOptionalRef(11, item.region)
      .BindOptionalRef(12, item.language)
      .BindRef(13, item.attrs_json);
  if (dedupe != 0) {
    st.Bind(14, dedupe);
  } else {
    st.BindNull(14);
  }
  if (file_id > 0) {
    st.Bind(15, file_id);
  } else {
    st.BindNull(15);
  }
  st.Bind(16, run_id).Bind(17, static_cast<int64_t>(item.redactions));
  FEEDLOOP_RETURN_IF_ERROR(st.Run());
  if (db_->Changes() == 0) {
    // Ignored: either (source, id) exists, or the same content does.
    find_conflict_.Bind(1, item.source).Bind(2, item.id);
    Result<bool> row = find_conflict_.Step();
    if (!row.ok()) return row.status();
    bool same_file = row.value() && find_conflict_.Int(0) == run_id && file_id > 0 &&
                     find_conflict_.Int(1) == file_id;
    find_conflict_.Reset();
    return same_file ? InsertOutcome::kDuplicateInFile : InsertOutcome::kDuplicate;
  }
  if (!item.turns.empty()) {
    int64_t item_row = db_->LastInsertId();
    int64_t seq = 0;
    for (const Turn& turn : item.turns) {
      insert_turn_.Bind(1, item_row)
          .Bind(2, seq++)
          .BindRef(3, turn.role)
          .BindTime(4, turn.at)
          .BindRef(5, turn.text);
      FEEDLOOP_RETURN_IF_ERROR(insert_turn_.Run());
    }
  }
  return InsertOutcome::kStored;
}

Status Store::AddReject(int64_t run_id, std::string_view file, int64_t record,
                        std::string_view reason, std::string_view excerpt, int64_t file_id) {
  insert_reject_.Bind(1, run_id).Bind(2, file).Bind(3, record).Bind(4, reason).Bind(5, excerpt);
  if (file_id > 0) {
    insert_reject_.Bind(6, file_id);
  } else {
    insert_reject_.BindNull(6);
  }
  return insert_reject_.Run();
}

Status Store::ForgetRejectsOfFile(int64_t file_id) {
  Result<Statement> del = db_->Prepare("DELETE FROM rejects WHERE file_id = ?");
  if (!del.ok()) return del.status();
  del->Bind(1, file_id);
  return del->Run();
}

Result<std::vector<RejectRow>> Store::ListRejects(std::optional<int64_t> run_id, int limit) {
  // Without a run, the rejects of the latest run that had any.
  Result<Statement> q = db_->Prepare(
      "SELECT run_id, file, record, reason, excerpt FROM rejects WHERE run_id = "
      "coalesce(?, (SELECT max(run_id) FROM rejects)) ORDER BY id LIMIT ?");
  if (!q.ok()) return q.status();
  if (run_id) {
    q->Bind(1, *run_id);
  } else {
    q->BindNull(1);
  }
  q->Bind(2, static_cast<int64_t>(limit));
  std::vector<RejectRow> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    RejectRow r;
    r.run_id = q->Int(0);
    r.file = q->String(1);
    r.record = q->Int(2);
    r.reason = q->String(3);
    r.excerpt = q->String(4);
    out.push_back(std::move(r));
  }
  return out;
}

Result<int64_t> Store::CountItems() {
  Result<Statement> q = db_->Prepare("SELECT count(*) FROM items");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return q->Int(0);
}

}  // namespace feedloop::store
