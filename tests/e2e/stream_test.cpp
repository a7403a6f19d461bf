// End-to-end: what `feedloop stream` writes for each line (docs/schema.md, "The annotated line"),
// and that it answers a producer that writes one line at a time without waiting for more.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <chrono>
#include <feedloop/json.hpp>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

std::vector<json::Value> Lines(const std::string& out) {
  std::vector<json::Value> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::Parse(line));
  return lines;
}

// The text the spans of `line` refer to: its "text" member, else the input's text.
std::string SpanText(const json::Value& line, const std::string& input_text) {
  const json::Value* text = line.find("text");
  return text != nullptr ? text->as_string() : input_text;
}

// The first tag's first span of `line`, cut out of `text`.
std::string FirstSpan(const json::Value& line, const std::string& text) {
  const json::Value* tags = line.find("tags");
  if (tags == nullptr || tags->as_array().empty()) return "(no tag)";
  const json::Value& span = tags->as_array()[0].find("spans")->as_array()[0];
  size_t begin = static_cast<size_t>(span.as_array()[0].as_number());
  size_t end = static_cast<size_t>(span.as_array()[1].as_number());
  if (begin > end || end > text.size()) return "(span past the text)";
  return text.substr(begin, end - begin);
}

// Spans are byte offsets into the text that was analysed: NFC, CRLF as LF, control characters
// dropped, a transcript's customer turns joined by "\n". When that is not the input's text, the
// line carries it, so the spans can be read; when it is, the line does not repeat it.
TEST(Stream, SpansReferToTheTextTheLineCarriesWhenItDiffersFromTheInput) {
  const std::string nfd = "Cafe\xCC\x81 cre\xCC\x80me: box crushed";  // as the JSON escapes give
  const std::string input =
      "{\"id\": \"nfd\", \"text\": \"Cafe\\u0301 cre\\u0300me: box crushed\"}\n"
      "{\"id\": \"crlf\", \"text\": \"Hi.\\r\\nThe box crushed\"}\n"
      "{\"id\": \"ascii\", \"text\": \"The box crushed\"}\n"
      "{\"id\": \"nfc\", \"text\": \"Caf\\u00e9: the box crushed\"}\n"
      "{\"id\": \"chat\", \"kind\": \"transcript\", \"turns\": ["
      "{\"role\": \"customer\", \"text\": \"Hello\"}, {\"role\": \"agent\", \"text\": \"Hi!\"}, "
      "{\"role\": \"customer\", \"text\": \"The box crushed\"}]}\n";
  Output o = Feedloop({"stream", "--threads", "2"}, ".", {}, input);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<json::Value> lines = Lines(o.out);
  ASSERT_EQ(lines.size(), 5u) << o.out;

  // Normalized to NFC: "box crushed" is at byte 14 of the analysed text, 16 of the input's.
  ASSERT_NE(lines[0].find("text"), nullptr) << o.out;
  EXPECT_EQ(lines[0].find("text")->as_string(), "Caf\xC3\xA9 cr\xC3\xA8me: box crushed");
  EXPECT_EQ(FirstSpan(lines[0], SpanText(lines[0], nfd)), "box crushed") << o.out;
  // CRLF became LF: [8, 19] in the analysed text, 9 in the input's.
  ASSERT_NE(lines[1].find("text"), nullptr) << o.out;
  EXPECT_EQ(lines[1].find("text")->as_string(), "Hi.\nThe box crushed");
  EXPECT_EQ(FirstSpan(lines[1], SpanText(lines[1], "Hi.\r\nThe box crushed")), "box crushed");
  // Unchanged texts are not repeated: the spans refer to the input's text.
  EXPECT_EQ(lines[2].find("text"), nullptr) << o.out;
  EXPECT_EQ(FirstSpan(lines[2], SpanText(lines[2], "The box crushed")), "box crushed");
  EXPECT_EQ(lines[3].find("text"), nullptr) << o.out;
  EXPECT_EQ(FirstSpan(lines[3], SpanText(lines[3], "Caf\xC3\xA9: the box crushed")), "box crushed");
  // A transcript's analysed text is its customer turns, always carried.
  ASSERT_NE(lines[4].find("text"), nullptr) << o.out;
  EXPECT_EQ(lines[4].find("text")->as_string(), "Hello\nThe box crushed");
  EXPECT_EQ(FirstSpan(lines[4], lines[4].find("text")->as_string()), "box crushed");
}

// A member is written only when a selected plugin provides its annotation; a provider that ran
// and found nothing still says so (`"root_cause": null`: not a complaint).
TEST(Stream, LeavesOutTheAnnotationsNoSelectedPluginProvides) {
  const std::string input = "{\"id\": \"a\", \"text\": \"The box arrived crushed\"}\n";
  Output sentiment = Feedloop({"stream", "--plugins", "sentiment"}, ".", {}, input);
  ASSERT_EQ(sentiment.exit_code, 0) << sentiment.err;
  json::Value line = json::Parse(sentiment.out);
  EXPECT_NE(line.find("sentiment"), nullptr) << sentiment.out;
  EXPECT_EQ(line.find("tags"), nullptr) << sentiment.out;
  EXPECT_EQ(line.find("root_cause"), nullptr) << sentiment.out;

  Output taxonomy = Feedloop({"stream", "--plugins", "taxonomy"}, ".", {}, input);
  ASSERT_EQ(taxonomy.exit_code, 0) << taxonomy.err;
  line = json::Parse(taxonomy.out);
  EXPECT_EQ(line.find("sentiment"), nullptr) << taxonomy.out;
  ASSERT_NE(line.find("tags"), nullptr) << taxonomy.out;
  EXPECT_FALSE(line.find("tags")->as_array().empty()) << taxonomy.out;
  EXPECT_EQ(line.find("root_cause"), nullptr) << taxonomy.out;

  // Every built-in plugin: praise has no tags and no root cause, and says so.
  Output all = Feedloop({"stream"}, ".", {},
                        "{\"id\": \"p\", \"kind\": \"nps\", \"score\": 10, \"text\": \"Great\"}\n");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("\"tags\":[],\"root_cause\":null"), std::string::npos) << all.out;
}

// `tail -f log | feedloop stream`: a line is answered while the input is still open, not when
// 512 lines have arrived or the input ends.
TEST(Stream, AnswersEachLineWithoutWaitingForAFullBatch) {
  int in[2], out[2];
  ASSERT_EQ(::pipe(in), 0);
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    ::close(in[1]);
    ::close(out[0]);
    std::string bin = FEEDLOOP_BIN;
    std::vector<std::string> args = {bin, "stream", "--threads", "2"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  // Reads what arrives on the output for up to `seconds`, until a whole line is there.
  auto read_line = [&](double seconds) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (got.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      ssize_t n = ::read(out[0], buf, sizeof(buf));
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  };
  const std::string first = "{\"id\": \"one\", \"text\": \"The parcel arrived a week late\"}\n";
  ASSERT_EQ(::write(in[1], first.data(), first.size()), static_cast<ssize_t>(first.size()));
  std::string answer = read_line(10);
  EXPECT_NE(answer.find("{\"id\":\"one\""), std::string::npos) << "no answer within 10 s";
  EXPECT_NE(answer.find("delivery/late"), std::string::npos) << answer;
  // And the next one, in two writes: half a line waits for its end.
  const std::string second = "{\"id\": \"two\", \"text\": \"Charged twice\"}\n";
  ASSERT_EQ(::write(in[1], second.data(), 10), 10);
  ::usleep(50 * 1000);
  ASSERT_EQ(::write(in[1], second.data() + 10, second.size() - 10),
            static_cast<ssize_t>(second.size() - 10));
  answer = read_line(10);
  EXPECT_EQ(answer.rfind("{\"id\":\"two\"", 0), 0u) << answer;
  ::close(in[1]);
  EXPECT_EQ(read_line(10), "");  // the end of the input ends the output
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out[0]);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Batches of any size, cut by the lines or by the pauses of the producer, give the same output.
TEST(Stream, TheOutputDoesNotDependOnTheBatches) {
  std::string input;
  for (int i = 0; i < 300; ++i) {
    input +=
        "{\"id\": \"" + std::to_string(i) + "\", \"text\": \"Order " + std::to_string(i) +
        (i % 3 == 0 ? " arrived late\\r\\nand the box was crushed\"}\n" : " was fine, thanks\"}\n");
  }
  Output one = Feedloop({"stream", "--threads", "1", "--batch", "512"}, ".", {}, input);
  Output many = Feedloop({"stream", "--threads", "2", "--batch", "7"}, ".", {}, input);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(std::count(one.out.begin(), one.out.end(), '\n'), 300);
  EXPECT_EQ(one.out, many.out);
}

}  // namespace
}  // namespace feedloop::e2e
