#!/usr/bin/env python3
"""Writes the committed files of the bad-input corpus (tests/corpus/bad/).

    tests/corpus/make_bad.py

Each file breaks parsers in one way (see tests/corpus/bad/EXPECTED.json for what the engine must
do with each, and docs/reliability.md for the classes). Most records are canonical JSON Lines or
CSV with the kind in the record, so no mapping is needed. Inputs too big to commit (a 10 MB line,
100,000 columns, a field of megabytes) and those that are not plain files (a directory, an
unreadable file, a symlink loop) are made by tests/corpus/corpus_test.cpp at test time.

Writes bytes exactly as given: CRLF, NUL, BOMs and invalid UTF-8 are the point.
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad")


def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def rec(i, **fields):
    """A valid review record with overrides, as one JSON line (bytes)."""
    r = {"id": "r-%d" % i, "kind": "review", "created_at": "2026-11-16T09:12:00Z", "score": 4,
         "text": "Arrived on time, box intact (%d)." % i}
    r.update(fields)
    return json.dumps(r, ensure_ascii=False).encode()


def lines(*items):
    return b"\n".join(items) + b"\n"


GOOD = rec(1)


def invalid_utf8():
    # One file per field, each: a good record, the field with a bad byte, a good record.
    cases = {
        "id": b'{"id": "r-\xff2", "kind": "review", "score": 4, "text": "fine"}',
        "text": b'{"id": "r-2", "kind": "review", "score": 4, "text": "caf\xe9 late"}',
        "score": b'{"id": "r-2", "kind": "review", "score": "4\xc3", "text": "fine"}',
        "date": b'{"id": "r-2", "kind": "review", "created_at": "2026-11-16\xa0", "score": 4, "text": "fine"}',
        "attrs": b'{"id": "r-2", "kind": "review", "score": 4, "text": "fine", "attrs": {"pl\xe2n": "monthly"}}',
        "turn_role": b'{"id": "t-2", "kind": "transcript", "turns": [{"role": "cust\xf0mer", "text": "late"}]}',
        "turn_text": b'{"id": "t-2", "kind": "transcript", "turns": [{"role": "customer", "text": "late \xed\xa0\x80"}]}',
        "turn_at": b'{"id": "t-2", "kind": "transcript", "turns": [{"role": "customer", "text": "late", "at": "2026\xc0\xaf11"}]}',
    }
    for field, bad in cases.items():
        write("invalid_utf8_%s.jsonl" % field, lines(rec(1), bad, rec(3)))
    # Overlong forms, surrogates, above U+10FFFF, truncated sequences, stray continuation bytes.
    write("invalid_utf8_forms.jsonl", lines(
        rec(1),
        b'{"id": "r-2", "kind": "review", "text": "overlong \xc0\xaf slash"}',
        b'{"id": "r-3", "kind": "review", "text": "surrogate \xed\xb2\x80"}',
        b'{"id": "r-4", "kind": "review", "text": "too big \xf4\x90\x80\x80"}',
        b'{"id": "r-5", "kind": "review", "text": "truncated \xe2\x82"}',
        b'{"id": "r-6", "kind": "review", "text": "stray \x80\x80 continuation"}',
        b'{"id": "r-7", "kind": "review", "text": "five bytes \xf8\x88\x80\x80\x80"}',
        rec(8)))
    write("invalid_utf8.csv", b"id,kind,score,text\nc-1,review,5,fine\nc-2,review,4,caf\xe9\n"
                              b"c-3,review,3,\"quoted \xff field\"\nc-\xfe4,review,2,bad id\nc-5,review,1,ok\n")
    # CSV: one file per remaining column, each a good row, the column with a bad byte, a good row.
    header = b"id,kind,source,created_at,score,text,customer_id,sku,channel,region\n"
    good = {"kind": b"review", "source": b"shop", "created_at": b"2026-11-16T09:12:00Z", "score": b"4",
            "customer_id": b"c-10", "sku": b"MUG-1", "channel": b"web", "region": b"UK"}
    bad = {"kind": b"revi\xe9w", "source": b"sh\xc3op", "created_at": b"2026-11-16\xa009:12",
           "score": b"\xef\xbc4", "customer_id": b"c-\xed\xa0\x80", "sku": b"MUG\xff1",
           "channel": b"\x80web", "region": b"U\xf8\x88\x80\x80\x80K"}

    def csv_row(i, values):
        return b"c-%d,%s,%s,%s,%s,fine %d,%s,%s,%s,%s\n" % (
            i, values["kind"], values["source"], values["created_at"], values["score"], i,
            values["customer_id"], values["sku"], values["channel"], values["region"])

    for field, value in bad.items():
        write("invalid_utf8_%s.csv" % field,
              header + csv_row(1, good) + csv_row(2, dict(good, **{field: value})) + csv_row(3, good))
    write("invalid_utf8_header.csv", b"id,kind,sc\xf6re,text\nc-1,review,5,fine\n")
    write("invalid_utf8_header.tsv", b"id\tkind\tscore\ttext\xff\nt-1\treview\t5\tfine\n")


def structure():
    write("empty.jsonl", b"")
    write("empty.json", b"")
    write("empty.csv", b"")
    write("whitespace_only.jsonl", b"  \n\t\n\r\n   \n")
    write("whitespace_only.json", b" \n\n\t ")
    write("whitespace_only.csv", b"   \n\n \t\n")
    write("header_only.csv", b"id,kind,score,text\n")
    write("header_only_no_newline.csv", b"id,kind,score,text")
    write("header_only.tsv", b"id\tkind\tscore\ttext\r\n")
    # Truncated files: inside a string, inside an escape, inside an object of an array.
    write("truncated_string.jsonl", lines(rec(1), rec(2))
          + b'{"id": "r-3", "kind": "review", "score": 4, "text": "the file was cut her')
    write("truncated_escape.jsonl", lines(rec(1)) + b'{"id": "r-2", "kind": "review", "text": "cut \\u00')
    write("truncated_array.json", b"[" + rec(1) + b",\n" + rec(2) + b",\n" + rec(3)[:40])
    write("truncated_bracket.json", b"[" + rec(1) + b",\n" + rec(2) + b"\n")
    write("truncated_wrapper.json", b'{"tickets": [' + rec(1) + b",\n" + rec(2)[:30])
    write("truncated_member.json", b'{"count": 2, "tick')
    write("truncated_row.csv", b"id,kind,score,text\nc-1,review,5,fine\nc-2,rev")
    write("truncated_quote.csv", b"id,kind,score,text\nc-1,review,5,fine\nc-2,review,4,\"cut inside quo")
    # Byte-order marks in the middle (one at the very start is allowed and ignored).
    write("bom_middle.jsonl", b"\xef\xbb\xbf" + rec(1) + b"\n\xef\xbb\xbf" + rec(2) + b"\n"
          + rec(3, text="a \ufeffzero-width no-break space inside") + b"\n")
    write("bom_middle.csv", b"\xef\xbb\xbfid,kind,score,text\nc-1,review,5,fine\n"
                            b"\xef\xbb\xbfc-2,review,4,bom before the id\nc-3,review,3,\xef\xbb\xbfbom in text\n")
    write("bom_before_array.json", b"\xef\xbb\xbf  [" + rec(1) + b", \xef\xbb\xbf" + rec(2) + b"]")
    # NUL bytes: raw (not JSON), escaped (valid JSON, dropped from the text), in CSV fields.
    write("nul_bytes.jsonl", lines(
        rec(1),
        b'{"id": "r-2", "kind": "review", "score": 4, "text": "raw \x00 nul"}',
        b'{"id": "r-3", "kind": "review", "score": 4, "text": "escaped \\u0000 nul"}',
        b'{"id": "r-4", "kind": "review", "score": 4, "text": "fine"}\x00',
        b'\x00\x00\x00',
        rec(6)))
    write("nul_bytes.csv", b"id,kind,score,text\nc-1,review,5,nul \x00 in text\nc-\x002,review,4,nul in id\n"
                           b"c-3,review,3,fine\n")
    # Nesting: 1,000 levels of arrays and of objects (the reader's limit is 32).
    deep_array = b"[" * 1000 + b"]" * 1000
    deep_object = b'{"a": ' * 1000 + b"1" + b"}" * 1000
    write("deep_nesting.jsonl", lines(
        rec(1),
        b'{"id": "r-2", "kind": "review", "score": 4, "text": "deep", "attrs": ' + deep_array + b"}",
        b'{"id": "r-3", "kind": "review", "score": 4, "text": "deep", "x": ' + deep_object + b"}",
        b'{"id": "r-4", "kind": "review", "score": 4, "text": "31 levels", "x": ' + b"[" * 30 + b"]" * 30 + b"}",
        rec(5)))
    write("deep_nesting.json", b"[" + rec(1) + b", " + deep_array + b", " + rec(3) + b"]")
    write("deep_nesting_unclosed.json", b"[" * 5000)
    # Values of the wrong type.
    write("numbers_as_strings.jsonl", lines(
        rec(1, score="4"), rec(2, score=" 5 "), rec(3, score="4.0"), rec(4, score="+3"),
        rec(5, score="0x4"), rec(6, score="4,5"), rec(7, score="\uff15"), rec(8, score=""),
        rec(9, created_at="1763284320"), rec(10, id="0010")))
    write("strings_as_numbers.jsonl", lines(
        rec(1, id=12345), rec(2, text=42), rec(3, text=True), rec(4, created_at=1763284320),
        rec(5, kind=1), rec(6, score=[4]), rec(7, score={"value": 4}), rec(8, id=None),
        rec(9, id=12345678901234567890123456789), rec(10, text=["a", "b"]), rec(11, sku=7)))
    write("nan_scores.jsonl", lines(
        rec(1),
        b'{"id": "r-2", "kind": "review", "score": NaN, "text": "bare NaN"}',
        b'{"id": "r-3", "kind": "review", "score": Infinity, "text": "bare Infinity"}',
        b'{"id": "r-4", "kind": "review", "score": -Infinity, "text": "bare -Infinity"}',
        rec(5, score="NaN"), rec(6, score="Infinity"), rec(7, score="-inf"), rec(8, score="nan"),
        b'{"id": "r-9", "kind": "review", "score": 1e400, "text": "overflows a double"}',
        b'{"id": "r-10", "kind": "review", "score": -0, "text": "minus zero"}',
        rec(11)))
    write("nan_scores.csv", b"id,kind,score,text\nc-1,nps,10,fine\nc-2,nps,NaN,x\nc-3,nps,Infinity,x\n"
                            b"c-4,nps,-inf,x\nc-5,nps,1e999,x\nc-6,nps,\"NaN\",x\nc-7,nps,inf,x\n")
    write("dates_extreme.jsonl", lines(
        rec(1, created_at="0000-01-01"), rec(2, created_at="9999-12-31T23:59:59Z"),
        rec(3, created_at="0000-00-00"), rec(4, created_at="-0001-01-01"),
        rec(5, created_at="1990-01-01T00:00:00Z"), rec(6, created_at="2100-12-31T23:59:59Z"),
        rec(7, created_at="2026-02-29"), rec(8, created_at="2024-02-29T24:00:00Z"),
        rec(9, created_at="99999999999999999999"), rec(10, created_at="2026-11-16T09:12:00+25:00"),
        rec(11, created_at="1")))
    write("dates_extreme.csv", b"id,kind,score,text,created_at\nc-1,review,5,x,0000-01-01\n"
                               b"c-2,review,5,x,9999-12-31\nc-3,review,5,x,12/31/9999\nc-4,review,5,x,31.12.0000\n"
                               b"c-5,review,5,x,2026-11-16\n")
    write("duplicate_ids.jsonl", lines(rec(1), rec(2), rec(1, text="same id, other text"), rec(2), rec(3)))
    write("duplicate_ids.csv", b"id,kind,score,text\nc-1,review,5,a\nc-1,review,5,a\nc-2,review,4,b\n"
                               b"C-1,review,3,case differs\n")
    write("duplicate_keys.jsonl", lines(
        b'{"id": "r-1", "id": "r-other", "kind": "review", "score": 4, "text": "two ids"}',
        b'{"id": "r-2", "kind": "review", "score": 4, "text": "first", "text": "second"}',
        b'{"id": "r-3", "kind": "review", "score": 4, "score": 99, "text": "two scores"}',
        b'{"id": "r-4", "kind": "review", "kind": "tweet", "score": 4, "text": "two kinds"}'))
    write("duplicate_keys_wrapper.json", b'{"tickets": [' + rec(1) + b'], "tickets": [' + rec(2) + b"]}")
    write("duplicate_header.csv", b"id,kind,score,text,text,,\nc-1,review,5,first,second,,\n")
    write("crlf_mixed.jsonl", rec(1) + b"\r\n" + rec(2) + b"\n" + rec(3) + b"\r\n\r\n" + rec(4)
          + b"\r" + rec(5) + b"\n")
    write("crlf_mixed.csv", b"id,kind,score,text\r\nc-1,review,5,crlf\nc-2,review,4,lf\r\nc-3,review,3,"
                            b"\"quoted\r\nline break\"\rc-4,review,2,after a bare cr\n")
    write("not_objects.jsonl", lines(rec(1), b"[1, 2]", b'"a string"', b"42", b"null", b"true", rec(7)))
    write("trailing_garbage.jsonl", lines(rec(1), rec(2) + b" trailing", rec(3) + rec(4),
                                          rec(5) + b" // comment", b"# comment", b"// comment", rec(8)))
    write("lone_surrogates.jsonl", lines(
        rec(1), b'{"id": "r-2", "kind": "review", "score": 4, "text": "lone \\ud800 high"}',
        b'{"id": "r-3", "kind": "review", "score": 4, "text": "lone \\udc00 low"}',
        b'{"id": "r-4", "kind": "review", "score": 4, "text": "pair \\ud83d\\ude00 ok"}',
        b'{"id": "r-5", "kind": "review", "score": 4, "text": "bad escape \\x41"}'))
    write("control_chars.jsonl", lines(
        rec(1), b'{"id": "r-2", "kind": "review", "score": 4, "text": "raw\ttab"}',
        rec(3, text="bell \u0007 escape \u001b[31m del \u007f c1 \u0085"),
        rec(4, text="bidi \u202eevil\u202c and isolates \u2066x\u2069")))
    write("empty_records.jsonl", lines(b"{}", b'{"id": ""}', b'{"id": "r-3", "kind": "review"}',
                                       b'{"id": "r-4", "kind": "review", "text": "   "}',
                                       b'{"id": "  ", "kind": "review", "score": 3}'))
    # JSON arrays and wrappers.
    write("empty_array.json", b"[]")
    write("array_non_objects.json", b"[1, \"x\", null, [], " + rec(5) + b", true]")
    write("array_commas.json", b"[," + rec(1) + b",," + rec(3) + b",]")
    write("wrapper_object.json", b'{\n  "tickets": {"id": "r-1", "kind": "review", "text": "not a list"}\n}\n')
    write("wrapper_string.json", b'{\n  "tickets": "none",\n  "count": 0\n}\n')
    write("wrapper_null.json", b'{\n  "count": 0,\n  "tickets": null\n}\n')
    write("wrapper_empty_object.json", b"{\n}\n")
    write("wrapper_one_line.json", b'{"count": 3, "tickets": [' + rec(1) + b", " + rec(2) + b", " + rec(3) + b"]}")
    tickets = json.load(open(os.path.join(OUT, "..", "..", "..", "samples", "data", "tickets_zendesk.json")))
    write("zendesk_minified.json", json.dumps({"tickets": tickets["tickets"][:3]}, separators=(",", ":")))
    write("arrays_concatenated.json", b"[" + rec(1) + b"]\n[" + rec(2) + b"]\n")
    write("wrapper_no_array.json", b'{"id": "r-1", "kind": "review", "score": 4,\n "text": "one record over\\n two lines"}')
    write("wrapper_two_arrays.json", b'{"meta": {"pages": [1, 2]}, "ids": ["a", "b"],\n "tickets": ['
          + rec(1) + b"]}")
    write("wrapper_garbage_after.json", b'{"tickets": [' + rec(1) + b"]} and then some")
    write("wrapper_escaped_key.json", b'{"tick\\"ets": 1, "tickets": [' + rec(1) + b"]}")
    # CSV shapes.
    write("ragged_rows.csv", b"id,kind,score,text\nc-1,review,5,ok\nc-2,review,4\nc-3,review,3,too,many\n"
                             b"c-4\n\nc-5,review,1,ok\n")
    write("unbalanced_quotes.csv", b"id,kind,score,text\nc-1,review,5,\"ok\"\nc-2,review,4,in\"side\n"
                                   b"c-3,review,3,\"closed\"then text\nc-4,review,2,\"never closed\nc-5,review,1,x\n")
    write("quoted_newlines.csv", b"id,kind,score,text\nc-1,review,5,\"two\nlines\"\nc-2,review,4,\"three\n\nlines\"\n"
                                 b"c-3,review,9,bad score after the quoted lines\n")
    write("only_delimiters.csv", b",,,\n,,,\n,,,\n")
    write("semicolons.csv", b"id;kind;score;text\nc-1;review;5;commas, inside, text\nc-2;review;4;\"semi;colon\"\n"
                            b"c-3;review;3\n")
    write("tabs.tsv", b"id\tkind\tscore\ttext\nt-1\treview\t5\t\"quotes\" kept as written\nt-2\treview\t4\ttab\there\n"
                      b"t-3\treview\t3\tok\n")
    write("no_header.csv", b"c-1,review,5,no header row\nc-2,review,4,second\n")
    write("chat_interleaved.csv", b"conversation_id,at,role,text\nch-1,2026-11-16T09:00:00Z,user,where is it\n"
                                  b"ch-2,2026-11-16T09:01:00Z,user,box crushed\nch-1,2026-11-16T09:02:00Z,agent,on its way\n"
                                  b"ch-3,2026-11-16T09:03:00Z,operator,hello\n,2026-11-16T09:04:00Z,user,no id\n"
                                  b"ch-4,yesterday,user,bad time\n")
    write("long_fields.jsonl", lines(
        rec(1, text="x" * 65536), rec(2, text="y" * 65537), rec(3, id="i" * 513), rec(4, id="i" * 512),
        rec(5, sku="s" * 20000, customer_id="c" * 20000), rec(6, language="e" * 36)))


def main():
    os.makedirs(OUT, exist_ok=True)
    invalid_utf8()
    structure()
    names = sorted(n for n in os.listdir(OUT) if n != "EXPECTED.json")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in names)
    print("%d files, %d bytes" % (len(names), total))


if __name__ == "__main__":
    main()
