#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the samples.

    tests/fuzz/make_seeds.py [--feedloop build/bin/feedloop] [--model FILE.flm]...

Each seed is a few KB at most: slices of samples/data and samples/bad, the default taxonomy cut
into one file per category, the sample config and variations of it, hand-picked dates, texts and
plugin descriptors. Targets that read option bytes first (see each *_fuzz.cpp) get the seed under
several options. The model seeds come from tiny models that `feedloop train` (--feedloop) fits on
the labelled files in tests/fuzz/labelled (training is deterministic, so the same binary format
gives the same bytes), plus any --model, and from those models truncated and corrupted block by
block; without either option the model corpus is left as it is. Re-running it rewrites the
generated seeds (files named s-*); hand-added files are kept.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX_SEED = 6000


def read(path, limit=None):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read() if limit is None else f.read(limit)


def head_lines(path, n):
    return b"".join(read(path).splitlines(keepends=True)[:n])


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(CORPUS, target)
        os.makedirs(self.dir, exist_ok=True)
        for name in os.listdir(self.dir):
            if name.startswith("s-"):
                os.remove(os.path.join(self.dir, name))
        self.count = 0

    def add(self, name, data, opts=None):
        if isinstance(data, str):
            data = data.encode()
        if opts is not None:
            data = bytes([opts]) + data
        data = data[:MAX_SEED]
        self.count += 1
        with open(os.path.join(self.dir, "s-%02d-%s" % (self.count, name)), "wb") as f:
            f.write(data)


def json_reader():
    c = Corpus("json_reader")
    lines = {
        "app_reviews": head_lines("samples/data/app_reviews.jsonl", 4),
        "csat": head_lines("samples/data/csat_survey.jsonl", 4),
        "bad_reviews": read("samples/bad/bad_reviews.jsonl"),
        "bad_transcripts": read("samples/bad/bad_transcripts.jsonl"),
        "bad_utf8": read("samples/bad/bad_utf8.jsonl"),
        "truncated": read("samples/bad/truncated.jsonl"),
    }
    for name, data in lines.items():
        c.add(name + ".jsonl", data, 0)
    c.add("app_reviews_repair.jsonl", lines["bad_utf8"], 4)
    c.add("app_reviews_small.jsonl", lines["app_reviews"], 8)
    c.add("app_reviews_shallow.jsonl", lines["app_reviews"], 16)
    elements = b",\n".join(lines["app_reviews"].splitlines())
    c.add("array_body.json", elements, 1)
    c.add("wrapped_body.json", elements, 2)
    c.add("wrapped_member_body.json", elements, 3)
    tickets = json.loads(read("samples/data/tickets_zendesk.json"))["tickets"][:2]
    c.add("zendesk.json", json.dumps({"tickets": tickets}, indent=2), 0)
    c.add("zendesk_compact.json", json.dumps({"count": 2, "tickets": tickets}), 0)
    c.add("array.json", json.dumps(tickets), 0)
    c.add("bom_crlf.jsonl", b"\xef\xbb\xbf" + lines["csat"].replace(b"\n", b"\r\n"), 0)
    c.add("blank_lines.jsonl", b"\n \n" + lines["csat"] + b"\n\t\n", 0)


def csv_reader():
    c = Corpus("csv_reader")
    files = {
        "trustpilot": head_lines("samples/data/reviews_trustpilot.csv", 5),
        "delighted": head_lines("samples/data/nps_delighted.csv", 5),
        "ces": head_lines("samples/data/ces_survey.csv", 5),
        "chats": head_lines("samples/data/chats.csv", 6),
        "bad_surveys": read("samples/bad/bad_surveys.csv"),
        "bad_utf8": read("samples/bad/bad_utf8.csv"),
        "ragged": read("samples/bad/ragged.csv"),
        "unterminated": read("samples/bad/unterminated_quote.csv"),
    }
    for name, data in files.items():
        c.add(name + ".csv", data, 0)
    ces = files["ces"]
    c.add("ces_semicolon.csv", ces.replace(b",", b";"), 2)
    c.add("ces_detect_semicolon.csv", ces.replace(b",", b";"), 0)
    tsv = b"id\tscore\ttext\n1\t5\tfine, thanks\n2\t1\tlate \"again\"\n"
    c.add("plain.tsv", tsv, 3 | 4)
    c.add("plain_detect.tsv", tsv, 4)
    c.add("no_header.csv", b"1,5,fine\n2,1,\"late, again\"\n", 8)
    c.add("crlf.csv", ces.replace(b"\n", b"\r\n"), 1)
    c.add("repair.csv", files["bad_utf8"], 16)
    c.add("small.csv", files["trustpilot"], 32)
    c.add("pipes.csv", b"id|score|text\n1|5|ok\n", 0)


def date():
    c = Corpus("date")
    for i, d in enumerate([
            "2026-11-16T09:12:00Z", "2026-11-16T09:12:00.123456+01:00", "2026-11-16T09:12:00+0100",
            "2026-11-16 09:12:00", "2026-11-16", "2026/11/16", "11/16/2026", "16/11/2026 21:05",
            "03/04/2026 9:05 PM", "16.11.2026", "1763284320", "2026-02-29", "2024-02-29T24:00:00Z",
            "2026-06-30T23:59:60Z", "0000-01-01", "9999-12-31T23:59:59-18:00", "2026-W47",
            "2026-W53", "2020-W53", "2026-11", " 2026-11-16t09:12z ", "12:00 2026-11-16"]):
        c.add("date%02d" % i, d)


def mapper():
    c = Corpus("mapper")
    app = head_lines("samples/data/app_reviews.jsonl", 1).strip()
    csat = head_lines("samples/data/csat_survey.jsonl", 1).strip()
    c.add("review", app, 0)
    c.add("review_redact", app.replace(b"Great buy.", b"Mail me at jo@example.com or +44 20 7946 0958."), 8)
    c.add("csat_no_kind", csat, 2)
    c.add("nps_kind", b'{"id": "n1", "score": "9", "comment": "fast", "date": "03/04/2026"}', 1)
    c.add("nps_dmy", b'{"id": "n1", "score": 10, "comment": "ok", "date": "03/04/2026"}', 1 | 16)
    c.add("small_text", app, 32)
    trust = {"Review ID": "6a94", "Review Created (UTC)": "2026-08-31T00:45:01Z", "Review Stars": "1",
             "Review Title": "Wrong item!", "Review Content": "The packing slip says 2 items.",
             "Reviewer ID": "c-9913", "Reference ID": "o-59719", "Product SKU": "MUG-SET-6",
             "Review Language": "en", "Reviewer Country": "DE", "Source": "web"}
    c.add("trustpilot", json.dumps(trust), 3)
    delighted = {"Response ID": "41822013", "Score": "3", "Comment": "Out of stock again.",
                 "Created At": "2026-08-31T06:37:22Z", "Customer ID": "c-9550", "Plan": "none"}
    c.add("delighted", json.dumps(delighted), 4)
    ticket = json.loads(read("samples/data/tickets_zendesk.json"))["tickets"][0]
    c.add("zendesk", json.dumps(ticket), 5)
    custom = {"Ref": "x-1", "Title": "Late", "Body": "Box crushed", "Rating": "good", "plan": "monthly",
              "Submitted": "2026-11-16", "thread": [{"from": "end-user", "says": "hi", "when": "2026-11-16"}]}
    c.add("custom", json.dumps(custom), 6)
    chat = {"conversation_id": "chat-1", "at": "2026-08-31T11:43:39Z", "role": "user",
            "text": "The tracking link says not found", "customer_id": "c-2608"}
    c.add("chat_row", json.dumps(chat), 7)
    c.add("transcript", json.dumps({"id": "t1", "kind": "transcript", "turns": [
        {"role": "customer", "text": "Where is my parcel?", "at": "2026-11-16T09:00:00Z"},
        {"role": "agent", "text": "On its way.", "at": "2026-11-16T09:05:00Z"}], "score": 4}), 2)
    for i, line in enumerate(read("samples/bad/bad_reviews.jsonl").splitlines()[:12]):
        c.add("bad%02d" % i, line, 2)


def config():
    c = Corpus("config")
    sample = read("samples/feedloop.json")
    c.add("sample.json", sample)
    c.add("full.json", json.dumps({
        "database": "x.db", "description": "all settings",
        "sources": [{"name": "a", "path": ["data/*.csv", "more/**.csv"], "kind": "nps", "delimiter": "tab",
                     "date_order": "dmy", "max_text_bytes": 1000, "repair_utf8": True, "records": "items",
                     "map": {"text": ["Title", "Body"], "score": "Score"}, "roles": {"u": "customer"},
                     "scores": {"good": 5, "meh": None}}],
        "plugins": ["sentiment", {"name": "taxonomy", "config": {"explain": True}},
                    {"name": "learned", "enabled": False}],
        "plugin_paths": ["plugins"],
        "period": {"granularity": "month", "time_zone": "Europe/London"},
        "report": {"formats": ["html", "csv"], "out": "out", "min_n": 10, "segments": ["region"],
                   "compare": 4, "taxonomy": "t.json"},
        "pii": {"redact": True, "email": False, "patterns": ["ORD-[0-9]+"], "attrs": False}}, indent=1))
    c.add("bad_key.json", b'{"sources": [], "colour": "blue"}')
    c.add("bad_pattern.json", b'{"pii": {"patterns": ["(unclosed"]}}')
    c.add("bad_preset.json", b'{"sources": [{"name": "x", "path": "a.csv", "preset": "nope"}]}')
    c.add("numbers.json", b'{"report": {"min_n": 30, "compare": "previous"}, "sources": '
                          b'[{"name": "n", "path": "a.csv", "max_text_bytes": 65536}]}')


def taxonomy():
    c = Corpus("taxonomy")
    default = json.loads(read("plugins/taxonomy/default.json"))
    head = {k: v for k, v in default.items() if k != "categories"}
    for cat in default["categories"]:
        one = dict(head, categories=[cat])
        text = json.dumps(one, indent=1, ensure_ascii=False)
        keep = 8
        while len(text.encode()) > MAX_SEED and keep > 1:
            # Fewer subcategories and phrases until the category fits in a seed.
            keep -= 1
            subs = [{k: (v[:keep] if isinstance(v, list) else v) for k, v in sub.items()}
                    for sub in cat.get("subcategories", [])[:keep]]
            small = {k: (v[:keep] if isinstance(v, list) else v) for k, v in cat.items()}
            small["subcategories"] = subs
            text = json.dumps(dict(head, categories=[small]), indent=1, ensure_ascii=False)
        c.add("default-%s.json" % cat["id"], text)
    c.add("airline.json", read("plugins/taxonomy/examples/airline.json"))
    c.add("bad_taxonomy.json", read("plugins/taxonomy/tests/bad_taxonomy.json"))
    c.add("tiny.json", json.dumps({"name": "t", "version": "1.0.0", "categories": [
        {"id": "late", "phrases": ["late", "still waiting"], "negated_phrases": ["has not arrived"],
         "proximity": [{"near": ["box|parcel", "crushed"], "within": 2, "ordered": True}],
         "exclude": ["late husband"]}]}))


# The labelled files the model seeds are trained on (--feedloop), and how: a single-label model of
# word unigrams, one with bigrams, character n-grams and a fitted temperature, and a multi-label
# model with per-label thresholds. Tiny hash spaces and texts keep each model under 2 KB.
MODEL_TRAINING = [
    ("single", "tiny.csv", ["--word-ngrams", "1", "--char-ngrams", "0", "--buckets", "4096"]),
    ("char_calibrated", "tiny.csv",
     ["--word-ngrams", "2", "--char-ngrams", "3-3", "--buckets", "1024", "--holdout", "0.34"]),
    ("multi", "tiny_multi.csv",
     ["--multi-label", "--label", "labels", "--word-ngrams", "1", "--char-ngrams", "0", "--buckets",
      "512"]),
]


def train_models(feedloop, out_dir):
    labelled = os.path.join(ROOT, "tests", "fuzz", "labelled")
    paths = []
    for name, data, options in MODEL_TRAINING:
        out = os.path.join(out_dir, name + ".flm")
        subprocess.run([feedloop, "train", "--input", os.path.join(labelled, data), "--out", out,
                        "--threads", "1"] + options, check=True, stdout=subprocess.DEVNULL)
        paths.append(out)
    return paths


class ModelLayout:
    """Offsets of the blocks of a version 1 .flm file (engine/src/learn/model_file.cpp)."""

    def __init__(self, data):
        self.meta = 32
        meta_size, = struct.unpack_from("<I", data, self.meta)
        self.labels_count, self.rows_count = struct.unpack_from("<II", data, self.meta + 24)
        self.temperature = self.meta + 32
        info_size, = struct.unpack_from("<I", data, self.meta + 36)
        pos = self.meta + meta_size  # the size counts its own four bytes
        self.labels = pos
        for _ in range(self.labels_count):
            size, = struct.unpack_from("<I", data, pos)
            pos += 4 + size
        self.info = pos
        self.thresholds = self.info + info_size
        self.bias = self.thresholds + 4 * self.labels_count
        self.rows = self.bias + 4 * self.labels_count
        self.scales = self.rows + 4 * self.rows_count
        self.weights = self.scales + 4 * self.rows_count
        assert self.weights + self.rows_count * self.labels_count == len(data), "not a v1 model"


def patched(data, offset, fmt, *values):
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, *values)
    return bytes(out)


def model(paths):
    """Seeds from models written by `feedloop train`, and that damaged in the ways a disk, a
    transfer or a hostile author would: option byte 1 repairs the header's size and checksum
    first, so the damage behind them reaches the block readers; 0 and 2 read the file as it is."""
    c = Corpus("model")
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        data = open(path, "rb").read()
        if len(data) > MAX_SEED:
            sys.exit("%s: %d bytes is too big for a seed (train a smaller model)" % (path, len(data)))
        c.add(name + ".flm", data, 0)
        c.add(name + "_file.flm", data, 2)
        c.add(name + "_repair.flm", data, 1)
    data = open(paths[0], "rb").read()
    lay = ModelLayout(data)
    nan, inf = float("nan"), float("inf")
    c.add("truncated.flm", data[:len(data) // 2], 0)
    c.add("truncated_repair.flm", data[:len(data) // 2], 1)
    c.add("truncated_file.flm", data[:len(data) - 1], 2)
    c.add("header_only.flm", data[:32], 0)
    c.add("magic_only.flm", data[:8], 1)
    c.add("empty.flm", b"", 0)
    c.add("trailing_bytes.flm", data + b"\0" * 16, 0)
    c.add("trailing_bytes_repair.flm", data + b"\0" * 16, 1)
    c.add("text_mode_crlf.flm", data.replace(b"\n", b"\r\n"), 0)
    c.add("flipped_bit.flm", patched(data, lay.weights, "<B", data[lay.weights] ^ 0x40), 0)
    c.add("weight_min_repair.flm", patched(data, lay.weights, "<b", -128), 1)
    c.add("version_2.flm", patched(data, 8, "<I", 2), 1)
    c.add("header_size_64.flm", patched(data, 12, "<I", 64), 1)
    c.add("meta_size_0.flm", patched(data, lay.meta, "<I", 0), 1)
    c.add("meta_size_huge.flm", patched(data, lay.meta, "<I", 0xFFFFFFF0), 1)
    c.add("mode_7.flm", patched(data, lay.meta + 4, "<B", 7), 1)
    c.add("weights_float.flm", patched(data, lay.meta + 5, "<B", 0), 1)
    c.add("buckets_0.flm", patched(data, lay.meta + 8, "<I", 0), 1)
    c.add("word_ngrams_huge.flm", patched(data, lay.meta + 12, "<I", 0xFFFFFFFF), 1)
    c.add("char_ngrams_reversed.flm", patched(data, lay.meta + 16, "<II", 5, 3), 1)
    c.add("labels_0.flm", patched(data, lay.meta + 24, "<I", 0), 1)
    c.add("labels_huge.flm", patched(data, lay.meta + 24, "<I", 0xFFFFFFFF), 1)
    c.add("rows_huge.flm", patched(data, lay.meta + 28, "<I", 0x7FFFFFFF), 1)
    c.add("temperature_nan.flm", patched(data, lay.temperature, "<f", nan), 1)
    c.add("temperature_0.flm", patched(data, lay.temperature, "<f", 0.0), 1)
    c.add("info_size_huge.flm", patched(data, lay.meta + 36, "<I", 0xFFFFFFFF), 1)
    c.add("label_size_huge.flm", patched(data, lay.labels, "<I", 0xFFFFFFFF), 1)
    c.add("label_empty.flm", patched(data, lay.labels, "<I", 0), 1)
    c.add("label_invalid_utf8.flm", patched(data, lay.labels + 4, "<B", 0xFF), 1)
    first, = struct.unpack_from("<I", data, lay.labels)
    second, = struct.unpack_from("<I", data, lay.labels + 4 + first)
    c.add("labels_duplicate.flm", data[:lay.labels + 4 + first] +
          data[lay.labels:lay.labels + 4 + first] + data[lay.labels + 8 + first + second:], 1)
    c.add("info_invalid_json.flm", patched(data, lay.info, "<B", ord("]")), 1)
    c.add("threshold_nan.flm", patched(data, lay.thresholds, "<f", nan), 1)
    c.add("threshold_2.flm", patched(data, lay.thresholds, "<f", 2.0), 1)
    c.add("bias_inf.flm", patched(data, lay.bias, "<f", inf), 1)
    if lay.rows_count >= 2:
        r0, r1 = struct.unpack_from("<II", data, lay.rows)
        c.add("rows_out_of_order.flm", patched(data, lay.rows, "<II", r1, r0), 1)
        c.add("rows_repeated.flm", patched(data, lay.rows, "<II", r0, r0), 1)
    c.add("row_past_buckets.flm", patched(data, lay.scales - 4, "<I", 0xFFFFFFFF), 1)
    c.add("scale_nan.flm", patched(data, lay.scales, "<f", nan), 1)
    c.add("scale_negative.flm", patched(data, lay.scales, "<f", -1.0), 1)
    c.add("scale_huge.flm", patched(data, lay.scales, "<f", 3e38), 1)


def descriptor():
    c = Corpus("descriptor")

    def d(size, major, minor, strings, missing_strings=0, missing_functions=0):
        return struct.pack("<III", size, major, minor) + bytes([missing_strings, missing_functions]) + \
            b"\0".join(s.encode() for s in strings)

    good = ["taxonomy", "1.0.0", "Tags complaints", "MIT", "tags,taxonomy_explain", "", '{"type": "object"}', "{}"]
    c.add("good", d(96, 1, 0, good))
    c.add("old_minor", d(96, 1, 0, ["root-cause", "2.1.0-rc.1+build", "", "", "root_cause", "sentiment, tags"]))
    c.add("newer_minor", d(96, 1, 7, good))
    c.add("other_major", d(96, 2, 0, good))
    c.add("short", d(40, 1, 0, good))
    c.add("long", d(4096, 1, 0, good))
    c.add("no_name", d(96, 1, 0, good, missing_strings=1))
    c.add("no_create", d(96, 1, 0, good, missing_functions=1))
    c.add("bad_name", d(96, 1, 0, ["Bad Name"] + good[1:]))
    c.add("bad_version", d(96, 1, 0, ["x", "1.0"] + good[2:]))
    c.add("bad_provides", d(96, 1, 0, ["x", "1.0.0", "", "", "tags,,Bad!"]))
    c.add("utf8_name", d(96, 1, 0, ["caf\u00e9-" + "x" * 62, "1.0.0"]))
    c.add("utf8_long_name", d(96, 1, 0, ["x" * 63 + "\u00e9", "1.0.0"]))
    c.add("utf8_long_version", d(96, 1, 0, ["x", "1.0" + "\u00e9" * 20]))


def stream():
    c = Corpus("stream")
    c.add("reviews.jsonl", head_lines("samples/data/app_reviews.jsonl", 3), 0)
    c.add("csat_batches_of_one.jsonl", head_lines("samples/data/csat_survey.jsonl", 3), 1)
    c.add("bad_reviews.jsonl", read("samples/bad/bad_reviews.jsonl"), 0)
    c.add("bad_transcripts.jsonl", read("samples/bad/bad_transcripts.jsonl"), 1)
    c.add("bad_utf8.jsonl", read("samples/bad/bad_utf8.jsonl"), 0)
    c.add("short_lines.jsonl", head_lines("samples/data/app_reviews.jsonl", 2), 4)
    c.add("whole_reviews.jsonl", head_lines("samples/data/app_reviews.jsonl", 2), 8)
    c.add("whole_bad_reviews.jsonl", read("samples/bad/bad_reviews.jsonl"), 8 | 1)
    c.add("whole_short_lines.jsonl", read("samples/bad/truncated.jsonl"), 8 | 4)
    c.add("dmy.jsonl", b'{"id": "1", "text": "late", "created_at": "03/04/2026"}\n\n{"id": "2"}', 2)
    c.add("transcript.jsonl", json.dumps({"id": "t1", "kind": "transcript", "turns": [
        {"role": "customer", "text": "My box arrived crushed, I want a refund.", "at": "2026-11-16T09:00:00Z"},
        {"role": "agent", "text": "Sorry! Refund issued.", "at": "2026-11-16T09:05:00Z"}]}) + "\n", 0)


TEXTS = [
    "Box arrived crushed and a week late. Still waiting for my refund!!! :( #fail @support",
    "Not bad at all \U0001F44D\U0001F3FD \u2014 l'\u00e9quipe \u00e9tait g\u00e9niale. https://example.com/o?id=1",
    "Call me on +44 20 7946 0958 or (555) 123-4567, mail jo.doe+x@mail.example.co.uk",
    "Card 4111 1111 1111 1111 exp 12/27, IBAN GB82 WEST 1234 5698 7654 32, ORD-123456, member # 42",
    "I live at 221B Baker Street, London NW1 6XE. 10 Downing St.",
    "\u9000\u6b3e\u8fd8\u6ca1\u5230\u3002\u30c0\u30f3\u30dc\u30fc\u30eb\u304c\u6f70\u308c\u3066\u3044\u305f\u3002 "
    "\u0627\u0644\u0637\u0644\u0628 \u0645\u062a\u0623\u062e\u0631",
    "e\u0301 \ufb01 \u212b \u2126 \u00c5 A\u030a I\u0307 \u0130 \u00df \u1e9e \u03a3\u03a3\u03c2",
    "ZWJ \U0001F468\u200D\U0001F469\u200D\U0001F467 flags \U0001F1EC\U0001F1E7 keycap 1\ufe0f\u20e3 <3 :-D ;)",
    "tabs\tand\r\nCRLF\rCR \u202eRTL override\u202c \ufeffBOM\u0000NUL\u0085NEL",
    "1,000.50 3.5 12 -7 1e9 v2.0 don't can't rock'n'roll U.S.A. e-mail C++ $5 \u20ac10 50%",
]


def texts(target, opts_values):
    c = Corpus(target)
    for i, t in enumerate(TEXTS):
        for o in opts_values:
            c.add("text%02d-%d" % (i, o), t, o)
    c.add("invalid", b"caf\xe9 \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf trunc\xe2\x82", 1)
    c.add("review_sample", head_lines("samples/data/app_reviews.jsonl", 1), 0)


def text_raw():
    c = Corpus("text")
    for i, t in enumerate(TEXTS):
        c.add("text%02d" % i, t)
    c.add("invalid", b"caf\xe9 \xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf trunc\xe2\x82")
    c.add("overlong", b"\xe0\x80\xaf \xf0\x80\x80\xaf \xf8\x88\x80\x80\x80 \xfe\xff")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feedloop",
                        help="a feedloop binary: trains the model seeds on tests/fuzz/labelled")
    parser.add_argument("--model", action="append", default=[],
                        help="a model written by `feedloop train` to seed from as well (repeatable)")
    args = parser.parse_args()
    json_reader()
    csv_reader()
    date()
    mapper()
    config()
    taxonomy()
    descriptor()
    stream()
    texts("tokenizer", [0, 1])
    texts("pii", [0])
    text_raw()
    with tempfile.TemporaryDirectory() as scratch:
        models = (train_models(args.feedloop, scratch) if args.feedloop else []) + args.model
        if models:
            model(models)
    total = 0
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
        total += size
        print("%-12s %3d files %7d bytes" % (target, len(files), size))
    print("total %d bytes" % total)


if __name__ == "__main__":
    sys.exit(main())
