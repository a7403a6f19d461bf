# Profile-guided optimization of the hot path (docs/performance.md, "Profile-guided build").
#
# scripts/setup builds feedloop twice: once with FEEDLOOP_PGO=generate into build-pgo/, whose
# instrumented command runs a training workload (written out in scripts/setup) and writes its
# profiles into FEEDLOOP_PGO_DIR; then with FEEDLOOP_PGO=use into build/, where GCC lays out and inlines the
# engine, the command and the built-in plugins after those profiles. Results are the same; only
# the code's speed changes. Empty (the default of a plain CMake configure): an ordinary build.
#
# The profiles name each object by its path under the build folder (-fprofile-prefix-path), so
# the two build folders share them. The training writes ${FEEDLOOP_PGO_DIR}/trained.stamp last;
# every object of a profiled target depends on it, so new profiles rebuild exactly those.
include_guard(GLOBAL)

set(FEEDLOOP_PGO "" CACHE STRING "Profile-guided optimization: empty (off), generate or use")
set_property(CACHE FEEDLOOP_PGO PROPERTY STRINGS "" generate use)
set(FEEDLOOP_PGO_DIR "${PROJECT_BINARY_DIR}/pgo-profile" CACHE PATH
    "Where FEEDLOOP_PGO=generate writes the profiles and FEEDLOOP_PGO=use reads them")

if(FEEDLOOP_PGO AND FEEDLOOP_SANITIZE)
  message(STATUS "feedloop: FEEDLOOP_PGO is off under the sanitizers")
  set(FEEDLOOP_PGO "")
endif()
if(FEEDLOOP_PGO AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  message(STATUS "feedloop: FEEDLOOP_PGO needs GCC; building without profiles")
  set(FEEDLOOP_PGO "")
endif()
if(FEEDLOOP_PGO AND NOT FEEDLOOP_PGO MATCHES "^(generate|use)$")
  message(FATAL_ERROR "FEEDLOOP_PGO is '${FEEDLOOP_PGO}': give generate, use or nothing")
endif()
if(FEEDLOOP_PGO STREQUAL "use" AND NOT EXISTS "${FEEDLOOP_PGO_DIR}/trained.stamp")
  message(FATAL_ERROR "FEEDLOOP_PGO=use reads the profiles of a training run, and "
                      "${FEEDLOOP_PGO_DIR} has none: scripts/setup makes them")
endif()

# What `feedloop --version` says of the build ("build: ...").
if(FEEDLOOP_PGO STREQUAL "use")
  set(FEEDLOOP_BUILD_KIND "profile-guided")
elseif(FEEDLOOP_PGO STREQUAL "generate")
  set(FEEDLOOP_BUILD_KIND "instrumented to write profiles")
else()
  set(FEEDLOOP_BUILD_KIND "without profiles")
endif()

# Applies the profile flags of FEEDLOOP_PGO to a target of feedloop's own hot path. Not for
# feedloop_learn: its target_clones resolvers run before the profiling runtime is ready.
function(feedloop_profile_guided target)
  set(_prefix "-fprofile-prefix-path=${PROJECT_BINARY_DIR}")
  if(FEEDLOOP_PGO STREQUAL "generate")
    # Atomic counters: the workers of a multi-threaded run update them at once.
    set(_flags "-fprofile-generate=${FEEDLOOP_PGO_DIR}" -fprofile-update=atomic ${_prefix})
    target_compile_options(${target} PRIVATE ${_flags})
    target_link_options(${target} PRIVATE ${_flags})
  elseif(FEEDLOOP_PGO STREQUAL "use")
    # Code the training did not run is optimized as in an ordinary build (partial training);
    # sources changed since the training build without their profile instead of failing.
    target_compile_options(${target} PRIVATE "-fprofile-use=${FEEDLOOP_PGO_DIR}"
      -fprofile-partial-training ${_prefix} -Wno-missing-profile -Wno-coverage-mismatch)
    get_target_property(_sources ${target} SOURCES)
    get_target_property(_dir ${target} SOURCE_DIR)
    set(_absolute "")
    foreach(_source IN LISTS _sources)
      if(NOT IS_ABSOLUTE "${_source}")
        set(_source "${_dir}/${_source}")
      endif()
      list(APPEND _absolute "${_source}")
    endforeach()
    set_source_files_properties(${_absolute} DIRECTORY "${_dir}"
      PROPERTIES OBJECT_DEPENDS "${FEEDLOOP_PGO_DIR}/trained.stamp")
  endif()
endfunction()
