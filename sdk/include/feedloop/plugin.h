/*
 * feedloop plugin ABI: the C boundary between the feedloop engine (the host) and a plugin.
 *
 * A plugin is a shared library that exports exactly two functions:
 *
 *   void feedloop_plugin_abi(uint32_t* major, uint32_t* minor);
 *   const feedloop_plugin_descriptor* feedloop_plugin_get_descriptor(void);
 *
 * Rules (see docs/plugins.md for the tutorial):
 *  - Every struct starts with its own size in bytes (`struct_size`). Fields are only ever appended.
 *    A reader copies min(struct_size, sizeof) into a zeroed struct, so an old plugin works on a
 *    newer engine and the other way round within one ABI major.
 *  - Arrays of such structs (turns, annotations, labels) are laid out `struct_size` bytes apart:
 *    element i is at (const char*)array + i * array[0].struct_size, never array + i, so that
 *    their structs can grow too. Items are passed as an array of pointers. `feedloop_token` and
 *    `feedloop_span` have no size field: their layout is fixed for ABI major 1 (ABI 1.2 named
 *    four bytes of the token's padding `word`).
 *  - The host refuses a plugin whose ABI major differs from its own, or whose minor is newer.
 *  - Strings are UTF-8, pointer + length, never NUL-terminated unless stated.
 *  - Everything the host hands a plugin (item views, tokens, annotations, the sink) is owned by
 *    the host and valid only during the call. Everything a plugin hands back goes through sink
 *    callbacks that copy it, so no memory allocated by a plugin ever crosses the boundary.
 *  - Nothing throws across this boundary. Failures are a status plus a message written into the
 *    host's error buffer.
 *  - The host creates one instance per worker thread and never calls one instance from two
 *    threads at once. `create` and `destroy` may run on any thread, at the same time as other
 *    instances' (of this plugin or another) are created, used or destroyed.
 */
#ifndef FEEDLOOP_PLUGIN_H_
#define FEEDLOOP_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FEEDLOOP_ABI_MAJOR 1
#define FEEDLOOP_ABI_MINOR 2

#if defined(_WIN32)
#define FEEDLOOP_PLUGIN_EXPORT __declspec(dllexport)
#else
#define FEEDLOOP_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* The two exported symbol names, for hosts that look them up. */
#define FEEDLOOP_PLUGIN_ABI_SYMBOL "feedloop_plugin_abi"
#define FEEDLOOP_PLUGIN_DESCRIPTOR_SYMBOL "feedloop_plugin_get_descriptor"

typedef enum feedloop_status {
  FEEDLOOP_OK = 0,
  FEEDLOOP_ERROR = 1,          /* generic failure; the message says why */
  FEEDLOOP_INVALID_CONFIG = 2, /* create: the configuration is not acceptable */
  FEEDLOOP_INVALID_INPUT = 3,  /* analyze: the input cannot be analyzed */
  FEEDLOOP_NO_MEMORY = 4
} feedloop_status;

/* A UTF-8 string view: `data` may be NULL when `size` is 0. */
typedef struct feedloop_str {
  const char* data;
  size_t size;
} feedloop_str;

/* A half-open byte range [begin, end) into the text the plugin was given. */
typedef struct feedloop_span {
  uint32_t begin;
  uint32_t end;
} feedloop_span;

/* Where a plugin writes why it failed. The host owns the buffer; the plugin copies at most
 * `capacity - 1` bytes into `message` and NUL-terminates it. */
typedef struct feedloop_error {
  uint32_t struct_size;
  char* message;
  size_t capacity;
} feedloop_error;

/* ---- Tokens --------------------------------------------------------------------------------- */

typedef enum feedloop_token_kind {
  FEEDLOOP_TOKEN_WORD = 0,     /* letters, digits inside words, inner apostrophes: "don't" */
  FEEDLOOP_TOKEN_NUMBER = 1,   /* 12, 3.5, 1,000 */
  FEEDLOOP_TOKEN_PUNCT = 2,    /* one punctuation run: "!", "!!!", "?!", "...", "," */
  FEEDLOOP_TOKEN_EMOJI = 3,    /* one emoji, with its modifiers and ZWJ sequence */
  FEEDLOOP_TOKEN_EMOTICON = 4, /* :) :-( :D <3 ;) */
  FEEDLOOP_TOKEN_URL = 5,
  FEEDLOOP_TOKEN_EMAIL = 6,
  FEEDLOOP_TOKEN_MENTION = 7, /* @name */
  FEEDLOOP_TOKEN_HASHTAG = 8, /* #name */
  FEEDLOOP_TOKEN_SYMBOL = 9   /* anything else: currency signs, math symbols */
} feedloop_token_kind;

enum {
  FEEDLOOP_TOKEN_ALL_CAPS = 1u << 0,     /* a word of two or more letters, all upper case */
  FEEDLOOP_TOKEN_CAPITALIZED = 1u << 1,  /* first letter upper case */
  FEEDLOOP_TOKEN_SENTENCE_END = 1u << 2, /* the last token of a sentence */
  FEEDLOOP_TOKEN_NON_ASCII = 1u << 3     /* the token's bytes are not all ASCII */
};

/* One token of a text. `norm` is the case-folded form (lower case, NFC); for punctuation and
 * emoji it is the token's own bytes. `begin`/`end` are byte offsets into the text.
 *
 * `word` (ABI 1.2, in what was padding): the token's id in the vocabulary of the worker that
 * calls this instance. Two tokens an instance is given have the same nonzero id exactly when
 * they have the same kind and norm; ids are dense, 1, 2, ... in order of first appearance (at
 * most 65,535), so a plugin can keep what it computes per word in an array indexed by id. 0
 * means no id: URLs, e-mail addresses and mentions, norms over 32 bytes, words that come once
 * the vocabulary is full, tokens from the host's `tokenize`, and every token of a host older
 * than ABI 1.2. A plugin must give the same results with and without ids. */
typedef struct feedloop_token {
  uint32_t begin;
  uint32_t end;
  feedloop_str norm;
  uint16_t kind;  /* feedloop_token_kind */
  uint16_t flags; /* FEEDLOOP_TOKEN_* bits */
  uint32_t word;  /* vocabulary id of (kind, norm) in this worker, 0 if none (ABI 1.2) */
} feedloop_token;

/* ---- What a plugin reads -------------------------------------------------------------------- */

/* One label with its confidence and evidence (a tag, a root cause, a class). */
typedef struct feedloop_label_view {
  uint32_t struct_size;
  feedloop_str label;
  double confidence;
  const feedloop_span* spans;
  size_t span_count;
} feedloop_label_view;

/* An annotation another plugin produced for this item, given to plugins that require it. */
typedef struct feedloop_annotation_view {
  uint32_t struct_size;
  feedloop_str name;   /* what was provided: "sentiment", "tags", "root_cause" or a custom name */
  feedloop_str plugin; /* the plugin that produced it */
  int has_score;
  double score; /* sentiment in [-1, 1] */
  const feedloop_label_view* labels;
  size_t label_count;
  feedloop_str json; /* custom annotations: the JSON the plugin gave */
} feedloop_annotation_view;

typedef struct feedloop_turn_view {
  uint32_t struct_size;
  feedloop_str role; /* "customer", "agent" or "bot" */
  feedloop_str at;   /* ISO 8601 UTC, may be empty */
  /* Where this turn's text sits inside the item's `text` when it is a customer turn (customer
   * turns are joined with "\n" to make the item text); begin == end == 0 otherwise. */
  feedloop_span in_text;
  feedloop_str text;
} feedloop_turn_view;

typedef struct feedloop_item_view {
  uint32_t struct_size;
  feedloop_str id;
  feedloop_str kind; /* "review", "nps", "csat", "ces", "transcript" */
  feedloop_str source;
  feedloop_str language; /* BCP 47 code when known, else empty */
  feedloop_str sku;
  feedloop_str attrs_json; /* a JSON object, "{}" when there are none */
  int has_score;
  double score;
  /* The text to classify: the feedback text, or the customer turns of a transcript. */
  feedloop_str text;
  const feedloop_token* tokens; /* `text` tokenized by the engine */
  size_t token_count;
  const feedloop_turn_view* turns;
  size_t turn_count;
  const feedloop_annotation_view* annotations; /* what this plugin requires, when available */
  size_t annotation_count;
} feedloop_item_view;

/* ---- What a plugin writes ------------------------------------------------------------------- */

/* Result callbacks. `item` is the index of the item in the batch. Every callback copies what it is
 * given before it returns. */
typedef struct feedloop_sink {
  uint32_t struct_size;
  void* context;
  /* The item's sentiment in [-1, 1]. */
  void (*set_sentiment)(void* context, size_t item, double score);
  /* The sentiment of one sentence, given by its span in the text. */
  void (*add_sentence_sentiment)(void* context, size_t item, feedloop_span sentence, double score);
  /* The sentiment of one turn of a transcript (index into the item's turns). */
  void (*add_turn_sentiment)(void* context, size_t item, size_t turn, double score);
  void (*add_tag)(void* context, size_t item, feedloop_str tag, double confidence,
                  const feedloop_span* spans, size_t span_count);
  void (*set_root_cause)(void* context, size_t item, feedloop_str cause, double confidence,
                         const feedloop_span* spans, size_t span_count);
  /* A label of a custom annotation (the plugin's own `provides` name). */
  void (*add_label)(void* context, size_t item, feedloop_str annotation, feedloop_str label,
                    double confidence, const feedloop_span* spans, size_t span_count);
  /* A custom annotation as a JSON value. */
  void (*set_annotation_json)(void* context, size_t item, feedloop_str annotation,
                              feedloop_str json);
  /* This item could not be analyzed; the other items of the batch go on. */
  void (*fail_item)(void* context, size_t item, feedloop_str message);
} feedloop_sink;

/* ---- What the host offers ------------------------------------------------------------------- */

typedef enum feedloop_log_level {
  FEEDLOOP_LOG_DEBUG = 0,
  FEEDLOOP_LOG_INFO = 1,
  FEEDLOOP_LOG_WARNING = 2,
  FEEDLOOP_LOG_ERROR = 3
} feedloop_log_level;

/* Receives the tokens of a text given to `tokenize`; valid only during the callback. */
typedef void (*feedloop_token_callback)(void* context, const feedloop_token* tokens, size_t count);

typedef struct feedloop_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  void* host_context;
  void (*log)(void* host_context, feedloop_log_level level, feedloop_str message);
  /* Tokenizes `text` exactly as the engine tokenizes item texts, so a plugin can compile its
   * patterns with the same rules it will see at analysis time. */
  void (*tokenize)(void* host_context, feedloop_str text, feedloop_token_callback callback,
                   void* callback_context);
} feedloop_host_api;

/* ---- The plugin ----------------------------------------------------------------------------- */

typedef void* feedloop_instance;

/* Since ABI 1.1: what one instance, with its config, does (filled by `describe`). The host zeroes
 * it and sets `struct_size`; a plugin writes only the fields that `struct_size` covers. The
 * strings belong to the instance and must stay valid while it lives. */
typedef struct feedloop_instance_info {
  uint32_t struct_size;
  /* Comma-separated: what this instance, with its config, really provides; it replaces the
   * descriptor's `provides` (which says what the plugin can provide) for ordering the plugins and
   * routing their annotations. A classifier told to give a root cause says "root_cause" here.
   * Empty: the descriptor's list. */
  feedloop_str provides;
  /* What the results depend on besides the plugin's version and config text: e.g. a hash of the
   * files the config names (a taxonomy, a lexicon, a model). Empty: nothing. When it changes, the
   * host analyses stored items again, as it does for a new version. */
  feedloop_str fingerprint;
} feedloop_instance_info;

typedef struct feedloop_plugin_descriptor {
  uint32_t struct_size;
  const char* name;         /* NUL-terminated; [a-z0-9_-]+ */
  const char* version;      /* semantic version, "1.2.0" */
  const char* description;  /* one line */
  const char* license;      /* SPDX identifier */
  const char* provides;     /* comma-separated: "sentiment", "tags", "root_cause" or custom names */
  const char* requirements; /* comma-separated annotation names it reads, or "" */
  const char* config_schema;  /* JSON schema of the config object, or NULL */
  const char* default_config; /* JSON object used when the user gives none, or NULL for "{}" */
  /* Required. `config` is a JSON object. On failure returns a status and fills `error`. */
  feedloop_status (*create)(const feedloop_host_api* host, feedloop_str config,
                            feedloop_instance* instance, feedloop_error* error);
  /* Required. */
  void (*destroy)(feedloop_instance instance);
  /* Required. Analyzes `count` items; results go to `sink`. Returning an error fails the whole
   * batch; use sink->fail_item to fail one item. `items` is an array of pointers so that the view
   * struct can grow. */
  feedloop_status (*analyze_batch)(feedloop_instance instance,
                                   const feedloop_item_view* const* items, size_t count,
                                   const feedloop_sink* sink, feedloop_error* error);
  /* Since ABI 1.1, optional (NULL: the instance provides all of `provides` and its results depend
   * only on version and config). Called once after `create`. */
  feedloop_status (*describe)(feedloop_instance instance, feedloop_instance_info* info);
} feedloop_plugin_descriptor;

typedef void (*feedloop_plugin_abi_fn)(uint32_t* major, uint32_t* minor);
typedef const feedloop_plugin_descriptor* (*feedloop_plugin_get_descriptor_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* Pin the layout on the platforms we build for: an accidental change breaks every plugin. */
#if defined(__x86_64__) || defined(__aarch64__)
#ifdef __cplusplus
#define FEEDLOOP_STATIC_ASSERT static_assert
#else
#define FEEDLOOP_STATIC_ASSERT _Static_assert
#endif
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_str) == 16, "feedloop_str layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_span) == 8, "feedloop_span layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_error) == 24, "feedloop_error layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_token) == 32, "feedloop_token layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_label_view) == 48, "feedloop_label_view layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_annotation_view) == 88, "feedloop_annotation_view layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_turn_view) == 64, "feedloop_turn_view layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_item_view) == 184, "feedloop_item_view layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_sink) == 80, "feedloop_sink layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_host_api) == 40, "feedloop_host_api layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_instance_info) == 40, "feedloop_instance_info layout");
FEEDLOOP_STATIC_ASSERT(sizeof(feedloop_plugin_descriptor) == 104,
                       "feedloop_plugin_descriptor layout");
#undef FEEDLOOP_STATIC_ASSERT
#endif

#endif /* FEEDLOOP_PLUGIN_H_ */
