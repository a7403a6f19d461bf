#include "feedloop/store/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "feedloop/core/item.hpp"

namespace feedloop::store {

namespace {

// What a user can do about an SQLite failure.
const char* Hint(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL:
      return " (the disk is full, or the database reached its size limit)";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return " (another process is writing to it; try again when it has finished)";
    case SQLITE_READONLY:
      return " (it cannot be written: check the file's and its folder's permissions)";
    case SQLITE_IOERR:
      return " (the disk reported an error)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return " (the file is damaged or not a database)";
    case SQLITE_CANTOPEN:
      return " (the file or its folder cannot be opened)";
    default:
      return "";
  }
}

}  // namespace

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data() == nullptr ? "" : text.data(), text.size(),
                      SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindRef(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data() == nullptr ? "" : text.data(), text.size(),
                      SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindTime(int index, int64_t unix_seconds) {
  return unix_seconds == kNoTime ? BindNull(index) : Bind(index, unix_seconds);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = db_->ErrorStatus("query failed");
  sqlite3_reset(stmt_);
  return st;
}

Status Statement::Run() {
  Result<bool> r = Step();
  while (r.ok() && r.value()) r = Step();
  Reset();
  return r.ok() ? Status::Ok() : r.status();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  // Once per process, before SQLite initializes: no global memory statistics, whose mutex every
  // SQLite allocation would otherwise take (a few percent of an ingest).
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if initialized already
    return true;
  }();
  (void)configured;
  std::unique_ptr<Database> db(new Database());
  db->path_ = path;
  db->vfs_ = options.vfs;
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode))
    return Status::IoError(path + " is a directory, not a database");
  if (!exists && !options.create_if_missing) {
    return Status::NotFound("no database at " + path +
                            " (run `feedloop ingest` or `feedloop init` first, or pass --db)");
  }
  if (!exists && !options.read_only) {
    // Customer feedback is personal data: the database is readable by its owner only.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 && errno != EEXIST) {
      return Status::IoError("cannot create database " + path + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = db->db_ ? sqlite3_errmsg(db->db_) : sqlite3_errstr(rc);
    return Status::IoError("cannot open database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db->db_, 1);
  sqlite3_busy_timeout(db->db_, options.busy_timeout_ms);
  // A corrupt or non-SQLite file shows up on the first read.
  if (!options.read_only) {
    FEEDLOOP_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
    FEEDLOOP_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  }
  FEEDLOOP_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  FEEDLOOP_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=MEMORY"));
  FEEDLOOP_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-32768"));
  return db;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Status::Storage("database " + path_ + ": " + msg + Hint(rc));
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus("cannot prepare statement");
  return Statement(this, stmt);
}

Statement Database::MustPrepare(std::string_view sql) {
  Result<Statement> st = Prepare(sql);
  if (!st.ok()) throw std::runtime_error(st.status().message());
  return std::move(st).value();
}

void Database::Rollback() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::string Database::ErrorMessage() const {
  return sqlite3_errmsg(db_);
}

Status Database::ErrorStatus(std::string_view what) const {
  return Status::Storage("database " + path_ + ": " + std::string(what) + ": " + ErrorMessage() +
                         Hint(sqlite3_extended_errcode(db_)));
}

}  // namespace feedloop::store
