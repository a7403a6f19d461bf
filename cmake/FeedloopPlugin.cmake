# feedloop_add_plugin(<name> SOURCES <files>... [LIBRARIES <libs>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds a feedloop plugin as a loadable module named feedloop-<name>.so against the SDK only:
# hidden visibility, no undefined symbols, and a version script so that the library exports
# exactly its two ABI functions (check with `nm -D --defined-only`).
include_guard(GLOBAL)

function(feedloop_add_plugin name)
  # The version script sits next to this file, in the source tree and in the installed package.
  set(_FEEDLOOP_PLUGIN_MAP ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/feedloop-plugin.map)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "feedloop_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE feedloop::sdk ${ARG_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "feedloop-${name}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(NOT CMAKE_CXX_STANDARD)
    target_compile_features(${name} PRIVATE cxx_std_17)
  endif()
  target_link_options(${name} PRIVATE
    "LINKER:--no-undefined" "LINKER:--version-script=${_FEEDLOOP_PLUGIN_MAP}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${_FEEDLOOP_PLUGIN_MAP})
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED FEEDLOOP_PLUGIN_OUTPUT_DIR)
    # A built-in plugin of feedloop's own tree: next to the command in the build tree, and in
    # the plugin folder of the install, where `feedloop` looks by default.
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FEEDLOOP_PLUGIN_OUTPUT_DIR})
    if(FEEDLOOP_INSTALL)
      install(TARGETS ${name} LIBRARY DESTINATION ${FEEDLOOP_PLUGIN_INSTALL_DIR})
    endif()
  endif()
endfunction()
