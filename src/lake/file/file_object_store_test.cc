#include "lake/file/file_object_store.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

namespace envmon::lake {
namespace {

class FileObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("envmon_fos_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    store_ = make_file_object_store(root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(FileObjectStoreTest, PutGetAndSha256) {
  auto sha = store_->put("a/b/c.txt", "abc", false);
  ASSERT_TRUE(sha.ok()) << sha.error().to_string();
  EXPECT_EQ(*sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto got = store_->get("a/b/c.txt");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "abc");
  EXPECT_TRUE(store_->exists("a/b/c.txt").value_or(false));
  EXPECT_FALSE(store_->exists("a/b/d.txt").value_or(true));
  EXPECT_EQ(store_->get("missing").error().code(), Errc::not_found);
}

TEST_F(FileObjectStoreTest, IfAbsentIsWriteOnce) {
  ASSERT_TRUE(store_->put("k/x", "one", true).ok());
  auto again = store_->put("k/x", "two", true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Errc::lake_exists);
  EXPECT_EQ(store_->get("k/x").value_or(""), "one");
  ASSERT_TRUE(store_->put("k/x", "three", false).ok());  // plain put overwrites
  EXPECT_EQ(store_->get("k/x").value_or(""), "three");
  // No temporary file is left behind.
  auto all = store_->list("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(FileObjectStoreTest, ListByPrefixIsRecursiveAndSorted) {
  for (const char* k : {"raw/s=a/2/x", "raw/s=a/1/y", "raw/s=b/z", "other/w"}) {
    ASSERT_TRUE(store_->put(k, k, true).ok());
  }
  auto a = store_->list("raw/s=a/");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].key, "raw/s=a/1/y");
  EXPECT_EQ((*a)[1].size, 11);
  auto raw = store_->list("raw/s=");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 3u);
  auto none = store_->list("nothing/");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(FileObjectStoreTest, BadKeysAreRejected) {
  for (const char* k :
       {"", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "a/", "a\\b", "x.tmp-1"}) {
    auto r = store_->put(k, "x", false);
    ASSERT_FALSE(r.ok()) << k;
    EXPECT_EQ(r.error().code(), Errc::invalid_argument) << k;
  }
  EXPECT_FALSE(store_->get("../secret").ok());
  EXPECT_FALSE(std::filesystem::exists(root_.parent_path() / "x"));
}

}  // namespace
}  // namespace envmon::lake
