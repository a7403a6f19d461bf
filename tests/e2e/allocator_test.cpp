// End-to-end: `feedloop --version` names the allocator the command runs on, and the default build
// really allocates through jemalloc with transparent huge pages (docs/performance.md, "Memory
// allocator"); MALLOC_CONF in the environment overrides the built-in setting. Its last line says
// whether the build is profile-guided.
#include <gtest/gtest.h>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

// The line `feedloop --version` gives the allocator, or "" when it has none.
std::string AllocatorLine(const std::string& out) {
  std::vector<std::string> lines = Lines(out);
  return lines.size() > 1 ? lines[1] : "";
}

TEST(Allocator, TheVersionNamesTheAllocatorInUse) {
  Output o = Feedloop({"--version"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out.rfind(std::string("feedloop ") + FEEDLOOP_VERSION + "\n", 0), 0u) << o.out;
  if (FEEDLOOP_JEMALLOC_BUILT) {
    // "in use" is checked by the command itself: its thread's jemalloc counter must move when it
    // calls malloc, which fails if the C library's malloc came first in the link.
    EXPECT_EQ(AllocatorLine(o.out).rfind("allocator: jemalloc 5.", 0), 0u) << o.out;
    EXPECT_NE(o.out.find("(transparent huge pages: always)"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("not in use"), std::string::npos) << o.out;
  } else {
    EXPECT_EQ(AllocatorLine(o.out), "allocator: the C library's malloc") << o.out;
  }
}

TEST(Allocator, MallocConfInTheEnvironmentOverridesTheBuiltInSetting) {
  Output o = Feedloop({"--version"}, ".", {"MALLOC_CONF=thp:never"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  if (FEEDLOOP_JEMALLOC_BUILT) {
    EXPECT_NE(o.out.find("(transparent huge pages: never)"), std::string::npos) << o.out;
  } else {
    EXPECT_EQ(AllocatorLine(o.out), "allocator: the C library's malloc") << o.out;
  }
}

// The third line says whether the command was compiled after the training run's profiles
// (scripts/setup; docs/performance.md, "Profile-guided build"), as this build was configured.
TEST(Allocator, TheVersionSaysWhetherTheBuildIsProfileGuided) {
  Output o = Feedloop({"--version"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<std::string> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 3u) << o.out;
  EXPECT_EQ(lines[2], std::string("build: ") + FEEDLOOP_BUILD_KIND) << o.out;
  const std::string kind = FEEDLOOP_BUILD_KIND;
  EXPECT_TRUE(kind == "profile-guided" || kind == "without profiles") << kind;
}

}  // namespace
}  // namespace feedloop::e2e
