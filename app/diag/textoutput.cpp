#include "textoutput.h"

#include <algorithm>

#include <unistd.h>

namespace iotc::cli {

namespace {

void appendEscape(std::string& out, const char* prefix, unsigned value, int digits)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += prefix;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        out += hex[(value >> shift) & 15];
}

// The code point of the well-formed UTF-8 sequence at text[i] (its length in length), or -1.
long decodeUtf8(std::string_view text, size_t i, size_t& length)
{
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned lead = byte(i);
    unsigned long cp = 0;
    unsigned long min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, cp = lead & 0x1F, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, cp = lead & 0x0F, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, cp = lead & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (i + length > text.size())
        return -1;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return static_cast<long>(cp);
}

bool isBidiControl(long cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string printable(std::string_view utf8, bool keepNewlines)
{
    std::string out;
    out.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && !(keepNewlines && c == '\n')) || c == 0x7F)
                appendEscape(out, "\\x", c, 2);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        size_t length = 1;
        const long cp = decodeUtf8(utf8, i, length);
        if (cp < 0) {
            appendEscape(out, "\\x", c, 2); // not UTF-8: a raw 0x9b is CSI to some terminals
            ++i;
        } else if (cp <= 0x9F || isBidiControl(cp)) {
            appendEscape(out, "\\u", static_cast<unsigned>(cp), 4);
            i += length;
        } else {
            out.append(utf8.substr(i, length));
            i += length;
        }
    }
    return out;
}

QString printable(const QString& text, bool keepNewlines)
{
    return QString::fromStdString(printable(text.toStdString(), keepNewlines));
}

bool isTerminal(FILE* stream)
{
    return ::isatty(fileno(stream)) == 1 && std::getenv("NO_COLOR") == nullptr;
}

std::string formatIssueText(const Issue& issue, bool colour)
{
    const char* symbol = "i";
    const char* tint = "\033[36m";
    switch (issue.severity) {
    case Severity::Error:
        symbol = "x";
        tint = "\033[31;1m";
        break;
    case Severity::Warning:
        symbol = "!";
        tint = "\033[33;1m";
        break;
    case Severity::Info:
        break;
    }
    const char* reset = colour ? "\033[0m" : "";
    const char* dim = colour ? "\033[2m" : "";
    std::string out;
    if (colour)
        out += tint;
    out += "[";
    out += symbol;
    out += "] ";
    out += severityName(issue.severity);
    out += reset;
    out += " ";
    // Names, values and server text inside an issue come from outside.
    out += printable(issue.code);
    if (!issue.path.empty()) {
        out += " at ";
        out += printable(issue.path);
    }
    out += ": ";
    out += printable(issue.message);
    if (issue.expected || issue.actual) {
        out += dim;
        out += " (";
        if (issue.expected)
            out += "expected " + printable(*issue.expected);
        if (issue.expected && issue.actual)
            out += "; ";
        if (issue.actual)
            out += "sent " + printable(*issue.actual);
        out += ")";
        out += reset;
    }
    if (issue.suggestion)
        out += " -> " + printable(*issue.suggestion);
    out += "\n";
    return out;
}

size_t textWidth(std::string_view utf8)
{
    size_t n = 0;
    for (const char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80; // continuation bytes add nothing
    return n;
}

std::string alignedRows(const std::vector<std::vector<std::string>>& rows, size_t indent)
{
    std::vector<size_t> widths;
    for (const auto& row : rows)
        for (size_t c = 0; c + 1 < row.size(); ++c) {
            if (widths.size() <= c)
                widths.resize(c + 1, 0);
            widths[c] = std::max(widths[c], textWidth(row[c]));
        }
    std::string out;
    for (const auto& row : rows) {
        std::string line(indent, ' ');
        for (size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size())
                line += std::string(widths[c] - textWidth(row[c]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

void writeAll(FILE* stream, const std::string& text)
{
    if (!text.empty())
        std::fwrite(text.data(), 1, text.size(), stream);
}

} // namespace iotc::cli
