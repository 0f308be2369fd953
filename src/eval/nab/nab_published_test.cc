#include "eval/nab/nab_published.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace envmon::eval::nab {
namespace {

namespace fs = std::filesystem;

const std::string kTiny = std::string(ENVMON_SOURCE_DIR) + "/src/eval/nab/testdata/tiny";

const Profile& profile(const Corpus& c, const std::string& name) {
  for (const auto& p : c.profiles) {
    if (p.name == name) return p;
  }
  throw std::logic_error("no profile " + name);
}

// The fixture's published file scores spike.csv 0.75 and quiet.csv -0.11 (and a file outside the
// corpus, ignored): raw 0.64 over one window, null -1, perfect 1 -> 82.
TEST(NabPublishedTest, RestrictsThePublishedPerFileScoresToTheCorpus) {
  auto corpus = load_corpus(kTiny);
  ASSERT_TRUE(corpus.ok()) << corpus.error().to_string();
  auto standard = published_score(*corpus, kTiny, "numenta", profile(*corpus, "standard"));
  ASSERT_TRUE(standard.ok()) << standard.error().to_string();
  ASSERT_TRUE(standard->has_value());
  EXPECT_NEAR(**standard, 82.0, 1e-9);
  // No published file for this profile: nothing, not an error.
  auto low_fp = published_score(*corpus, kTiny, "numenta", profile(*corpus, "reward_low_FP_rate"));
  ASSERT_TRUE(low_fp.ok());
  EXPECT_FALSE(low_fp->has_value());
}

TEST(NabPublishedTest, AMalformedOrIncompleteFileIsAnErrorNamingIt) {
  auto corpus = load_corpus(kTiny);
  ASSERT_TRUE(corpus.ok());
  const fs::path dir = fs::temp_directory_path() / ("envmon-nab-pub-" + std::to_string(getpid()));
  fs::create_directories(dir / "results/numenta");
  const fs::path file = dir / "results/numenta/numenta_standard_scores.csv";
  std::ofstream(file) << "Detector,Profile,File,Threshold,Score\n"
                      << "numenta,standard,synthetic/spike.csv,0.5,x\n";
  auto bad = published_score(*corpus, dir.string(), "numenta", profile(*corpus, "standard"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("numenta_standard_scores.csv:2: Score 'x'"),
            std::string::npos)
      << bad.error().message();
  std::ofstream(file, std::ios::trunc) << "Detector,Profile,File,Threshold,Score\n"
                                       << "numenta,standard,synthetic/spike.csv,0.5,0.75\n";
  auto missing = published_score(*corpus, dir.string(), "numenta", profile(*corpus, "standard"));
  fs::remove_all(dir);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("no row for synthetic/quiet.csv"), std::string::npos)
      << missing.error().message();
}

}  // namespace
}  // namespace envmon::eval::nab
