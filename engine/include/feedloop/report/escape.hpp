// Making customer text inert in each output format. Customer text is data: in HTML it is escaped
// (also inside attributes), in Markdown every significant character is escaped so a quote cannot
// add links, images or HTML, and in CSV it is quoted per RFC 4180 with spreadsheet formulas
// neutralized. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace feedloop::report {

// & < > " ' as character references; safe in element content and in quoted attributes.
std::string EscapeHtml(std::string_view text);
void AppendEscapedHtml(std::string& out, std::string_view text);

// Backslash-escapes ASCII punctuation Markdown gives meaning to, writes < > & as character
// references, flattens line breaks to spaces, and breaks URL and e-mail autolinks with a
// zero-width space, so the text renders as written and nothing in it becomes markup.
std::string EscapeMarkdown(std::string_view text);

// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled). A text value
// starting with = + - @, a tab or a CR is prefixed with ' so spreadsheets do not run it.
std::string CsvText(std::string_view text);
// A number as written (never prefixed).
std::string CsvRaw(std::string_view text);

}  // namespace feedloop::report
