#pragma once
// A SQLite store in a fresh temporary directory for the analytics tests, removed afterwards.

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store_config.h"

namespace envmon::analytics::testing {

class TempStore {
 public:
  explicit TempStore(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() /
             ("envmon-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::sqlite::SqliteStoreConfig cfg;
    cfg.path = (dir_ / "envmon.db").string();
    store_ = store::sqlite::make_sqlite_store(cfg);
    EXPECT_TRUE(store_->open().ok());
  }
  ~TempStore() {
    store_->close();
    std::filesystem::remove_all(dir_);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  store::Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace envmon::analytics::testing
