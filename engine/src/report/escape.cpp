#include "feedloop/report/escape.hpp"

namespace feedloop::report {
namespace {

constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";

bool StartsWithCi(std::string_view s, size_t pos, std::string_view word) {
  if (pos + word.size() > s.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = s[pos + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return false;
  }
  return true;
}

std::string Quoted(std::string_view text) {
  bool needs = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!needs) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

void AppendEscapedHtml(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  AppendEscapedHtml(out, text);
  return out;
}

std::string EscapeMarkdown(std::string_view text) {
  // Inline markup anywhere: code, emphasis, links and images, tables, strikethrough, escapes.
  static constexpr std::string_view kInline = "\\`*_[]|~!";
  // Block markup only matters at the start: headings, lists, quotes, thematic breaks.
  static constexpr std::string_view kLeading = "#+-=.)";
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t first = text.find_first_not_of(' ');
  // "12. " or "12) " at the start would open an ordered list: escape the delimiter.
  size_t list_delimiter = std::string_view::npos;
  if (first != std::string_view::npos) {
    size_t d = first;
    while (d < text.size() && text[d] >= '0' && text[d] <= '9') ++d;
    if (d > first && d < text.size() && (text[d] == '.' || text[d] == ')')) list_delimiter = d;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // Autolinks (GFM links bare www., http://, https://, ftp:// and e-mail addresses after
    // parsing): a zero-width space makes them plain text.
    if (StartsWithCi(text, i, "www.") || StartsWithCi(text, i, "http") ||
        StartsWithCi(text, i, "ftp") || StartsWithCi(text, i, "mailto")) {
      out += c;
      out += kZeroWidthSpace;
      continue;
    }
    if (c == '@') {
      out += "&#64;";
      out += kZeroWidthSpace;
      continue;
    }
    bool leading = i == first || i == list_delimiter;
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (kInline.find(c) != std::string_view::npos ||
               (leading && kLeading.find(c) != std::string_view::npos)) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string CsvText(std::string_view text) {
  if (!text.empty()) {
    char c = text.front();
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
      std::string prefixed;
      prefixed.reserve(text.size() + 1);
      prefixed.push_back('\'');
      prefixed.append(text);
      return Quoted(prefixed);
    }
  }
  return Quoted(text);
}

std::string CsvRaw(std::string_view text) {
  return Quoted(text);
}

}  // namespace feedloop::report
