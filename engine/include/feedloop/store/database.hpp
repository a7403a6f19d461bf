// Thin RAII layer over SQLite: a connection and prepared statements with typed binds. Every SQL
// statement in feedloop goes through Prepare with bound parameters; nothing is built from data.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "feedloop/core/status.hpp"

namespace feedloop::store {

class Database;

// A prepared statement. Owned by its creator; must not outlive the Database. Not thread-safe.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  // Binds text without copying it: `text` must stay valid until the statement is Run or Reset.
  Statement& BindRef(int index, std::string_view text);
  Statement& BindOptionalRef(int index, std::string_view text) {
    return text.empty() ? BindNull(index) : BindRef(index, text);
  }
  Statement& BindNull(int index);
  Statement& Bind(int index, std::optional<double> value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  // Binds NULL for an empty string (optional text columns).
  Statement& BindOptional(int index, std::string_view text) {
    return text.empty() ? BindNull(index) : Bind(index, text);
  }
  // Binds NULL for kNoTime-style sentinels.
  Statement& BindTime(int index, int64_t unix_seconds);

  // Returns true while a row is available, false when done; an error becomes a Status.
  [[nodiscard]] Result<bool> Step();
  // Runs to completion (for statements that return no rows).
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const;
  std::string String(int col) const { return std::string(Text(col)); }
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct OpenOptions {
  bool create_if_missing = true;
  bool read_only = false;
  int busy_timeout_ms = 5000;
  std::string vfs;  // an SQLite VFS name (fault-injection tests); empty: the default
};

// One SQLite connection in WAL mode with foreign keys on. Owned by one thread at a time.
class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL with no parameters (schema, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // Prepares or throws std::runtime_error: for statements fixed at compile time on a database
  // whose schema has been checked, where failure means the operation cannot go on.
  Statement MustPrepare(std::string_view sql);

  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  void Rollback();

  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  std::string ErrorMessage() const;
  Status ErrorStatus(std::string_view what) const;
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }
  const std::string& vfs() const { return vfs_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::string vfs_;
};

// Runs `fn` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it returns an error.
template <class Fn>
Status InTransaction(Database& db, Fn&& fn) {
  FEEDLOOP_RETURN_IF_ERROR(db.Begin());
  Status st = fn();
  if (!st.ok()) {
    db.Rollback();
    return st;
  }
  st = db.Commit();
  if (!st.ok()) db.Rollback();
  return st;
}

}  // namespace feedloop::store
