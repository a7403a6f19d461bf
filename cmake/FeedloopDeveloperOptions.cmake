# Warnings and sanitizers for feedloop's own targets (not applied to consumers of the package).
add_library(feedloop_warnings INTERFACE)
target_compile_options(feedloop_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

if(FEEDLOOP_SANITIZE)
  set(_feedloop_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_feedloop_san})
  add_link_options(${_feedloop_san})
endif()
