# Generates a C++ source holding a file's bytes, so the default taxonomy is part of the plugin
# binary. Run as: cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -P EmbedTaxonomy.cmake
# Uses CMake only (file(READ ... HEX)), no external tools.
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "EmbedTaxonomy.cmake needs -DINPUT=... and -DOUTPUT=...")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Two hex digits per byte; 16 bytes per line.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n    " bytes "${bytes}")
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${name} by EmbedTaxonomy.cmake at build time. Do not edit.
#include <cstddef>
#include <string_view>

namespace feedloop::taxonomy {
namespace {
const char kDefaultTaxonomy[] = {
    ${bytes}'\\0'};
}  // namespace

std::string_view DefaultTaxonomyJson() { return std::string_view(kDefaultTaxonomy, ${size}); }

}  // namespace feedloop::taxonomy
")
# Only touch the output when it changes, so an unchanged taxonomy does not rebuild the plugin.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
