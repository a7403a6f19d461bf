#include "allocator.hpp"

#ifdef FEEDLOOP_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>

#include <cstdint>
#include <cstdlib>

// jemalloc reads this before main. A run touches tens of megabytes of fresh heap (batches of
// items, tokens, the plugins' tables), and on virtual machines each first touch of a 4 KB page
// can cost microseconds: backing the heap with 2 MB pages where the kernel allows it
// (transparent huge pages in "madvise" mode, the common default) takes most of those faults
// away. MALLOC_CONF in the environment still overrides it (MALLOC_CONF=thp:default turns it off).
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:always";
}
#endif

namespace feedloop::cli {

std::string DescribeAllocator() {
#ifdef FEEDLOOP_WITH_JEMALLOC
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr)
    return "jemalloc (its version unreadable)";
  std::string text = "jemalloc " + std::string(version);
  if (size_t dash = text.find('-'); dash != std::string::npos) text.resize(dash);
  // Whether malloc really is jemalloc's: this thread's allocation counter must move.
  uint64_t* allocated = nullptr;
  size = sizeof(allocated);
  if (mallctl("thread.allocatedp", &allocated, &size, nullptr, 0) == 0 && allocated != nullptr) {
    // Read through volatile: the compiler may assume that malloc writes no memory of ours.
    const volatile uint64_t* counter = allocated;
    const uint64_t before = *counter;
    void* volatile p = std::malloc(4096);
    const bool moved = *counter != before;
    std::free(p);
    if (!moved) return text + ", linked but not in use (another allocator answers malloc)";
  }
  const char* thp = nullptr;
  size = sizeof(thp);
  if (mallctl("opt.thp", &thp, &size, nullptr, 0) == 0 && thp != nullptr)
    text += " (transparent huge pages: " + std::string(thp) + ")";
  return text;
#else
  return "the C library's malloc";
#endif
}

}  // namespace feedloop::cli
