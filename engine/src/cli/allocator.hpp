// The memory allocator behind the `feedloop` command, as `feedloop --version` describes it.
#pragma once

#include <string>

namespace feedloop::cli {

// "jemalloc 5.3.0 (transparent huge pages: always)" when the command allocates through jemalloc
// (FEEDLOOP_JEMALLOC, the default build), "the C library's malloc" otherwise (the sanitizer build
// too, whose runtime then answers malloc), and says so when jemalloc is linked but another
// allocator answers malloc (one preloaded with LD_PRELOAD).
std::string DescribeAllocator();

}  // namespace feedloop::cli
