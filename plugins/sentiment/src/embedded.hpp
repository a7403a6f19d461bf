// The default lexicon files, embedded into the plugin at build time (cmake/embed_lexicon.cmake).
#pragma once

#include <cstddef>

namespace feedloop_sentiment {

struct EmbeddedFile {
  const char* name;           // the file's name, for error messages
  const unsigned char* data;  // its bytes (followed by a NUL that `size` does not count)
  size_t size;
};

extern const EmbeddedFile kEmbeddedLexicon[];
extern const size_t kEmbeddedLexiconCount;

}  // namespace feedloop_sentiment
