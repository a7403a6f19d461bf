// sdk::Shared: what a plugin builds from its config, built once per process and key.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <feedloop/sdk.hpp>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace feedloop::sdk {
namespace {

struct Built {
  explicit Built(int v) : value(v) {}
  int value;
};

TEST(SdkShared, OneKeyIsBuiltOnceWhileItIsHeld) {
  int builds = 0;
  auto build = [&] {
    ++builds;
    return std::make_unique<Built>(builds);
  };
  std::shared_ptr<const Built> a = Shared<Built>::Get("held", build);
  std::shared_ptr<const Built> b = Shared<Built>::Get("held", build);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(builds, 1);
  std::shared_ptr<const Built> other = Shared<Built>::Get("other", build);
  EXPECT_NE(other.get(), a.get());
  EXPECT_EQ(builds, 2);
  // Once nobody holds it, the next call builds it again (a changed file is read again).
  a.reset();
  b.reset();
  std::shared_ptr<const Built> c = Shared<Built>::Get("held", build);
  EXPECT_EQ(builds, 3);
  EXPECT_EQ(c->value, 3);
}

TEST(SdkShared, ConcurrentCallsForOneKeyBuildOnce) {
  std::atomic<int> builds{0};
  std::vector<std::shared_ptr<const Built>> got(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      got[i] = Shared<Built>::Get("concurrent", [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return std::make_unique<Built>(++builds);
      });
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(builds.load(), 1);
  for (const auto& p : got) EXPECT_EQ(p.get(), got[0].get());
}

TEST(SdkShared, AFailedBuildKeepsNothing) {
  int builds = 0;
  EXPECT_THROW(Shared<Built>::Get("fails once",
                                  [&]() -> std::unique_ptr<Built> {
                                    ++builds;
                                    throw ConfigError("bad lexicon");
                                  }),
               ConfigError);
  std::shared_ptr<const Built> ok = Shared<Built>::Get("fails once", [&] {
    ++builds;
    return std::make_unique<Built>(7);
  });
  EXPECT_EQ(builds, 2);
  EXPECT_EQ(ok->value, 7);
}

}  // namespace
}  // namespace feedloop::sdk
