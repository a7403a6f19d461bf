// Helpers shared by the unit tests that open SQLite stores.
#pragma once

#include "feedloop/store/database.hpp"

namespace feedloop::testing {

// Whether SQLite's own consistency check of the whole file passes.
inline bool IntegrityOk(store::Database& db) {
  auto q = db.Prepare("PRAGMA integrity_check");
  return q.ok() && q->Step().value() && q->Text(0) == "ok";
}

}  // namespace feedloop::testing
