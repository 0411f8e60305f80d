#include "canonicaljson.h"

#include "jsonreader.h"
#include "textdecode.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace iotc {

namespace {

// Objects deeper than this are left to the full parser: each level reads its members twice.
constexpr int MaxObjectLevels = 8;

struct Member {
    size_t keyOffset;
    size_t keyLength;
    std::string_view raw;
};

struct Scratch {
    std::vector<Member> members;
    std::string keys;
};

// Valid UTF-8 (the reader checked it): escapes only.
void appendEscaped(std::string& out, std::string_view utf8)
{
    out += '"';
    size_t i = 0;
    while (i < utf8.size()) {
        const size_t plain = plainJsonRun(utf8, i);
        out.append(utf8.data() + i, plain - i);
        i = plain;
        if (i == utf8.size())
            break;
        const auto c = static_cast<unsigned char>(utf8[i++]);
        if (c >= 0x80)
            out += static_cast<char>(c); // a byte of a multi-byte character
        else
            appendEscapedAscii(out, c);
    }
    out += '"';
}

void appendNumber(std::string& out, const JsonReader::Number& n)
{
    std::array<char, 64> buffer {};
    char* end = buffer.data();
    switch (n.type) {
    case JsonReader::Number::Type::Unsigned:
        end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n.unsignedValue).ptr;
        break;
    case JsonReader::Number::Type::Integer:
        end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n.integerValue).ptr;
        break;
    case JsonReader::Number::Type::Float:
        // The reader gives finite values only; nlohmann's own shortest form (Grisu2).
        end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), n.floatValue);
        break;
    }
    out.append(buffer.data(), end);
}

// Stable, without the buffer std::stable_sort allocates for the few members most objects have.
template <typename It, typename Less> void stableSort(It first, It last, Less less)
{
    if (last - first > 16) {
        std::stable_sort(first, last, less);
        return;
    }
    for (It i = first + (first != last); i < last; ++i) {
        auto value = std::move(*i);
        It j = i;
        for (; j != first && less(value, *(j - 1)); --j)
            *j = std::move(*(j - 1));
        *j = std::move(value);
    }
}

bool writeValue(std::string& out, JsonReader& r, Scratch& s, int objectLevels)
{
    switch (r.peek()) {
    case JsonReader::Kind::String: {
        std::string_view text;
        if (!r.string(text))
            return false;
        appendEscaped(out, text);
        return true;
    }
    case JsonReader::Kind::Number: {
        JsonReader::Number n;
        if (!r.number(n))
            return false;
        appendNumber(out, n);
        return true;
    }
    case JsonReader::Kind::True:
    case JsonReader::Kind::False:
    case JsonReader::Kind::Null: {
        std::string_view raw;
        if (!r.skip(&raw))
            return false;
        out += raw;
        return true;
    }
    case JsonReader::Kind::Array: {
        if (!r.arrayBegin())
            return false;
        out += '[';
        bool first = true;
        while (r.nextElement()) {
            if (!first)
                out += ',';
            first = false;
            if (!writeValue(out, r, s, objectLevels))
                return false;
        }
        out += ']';
        return r.ok();
    }
    case JsonReader::Kind::Object:
        break;
    case JsonReader::Kind::None:
        return false;
    }
    if (objectLevels >= MaxObjectLevels || !r.objectBegin())
        return false;
    // The members first (names and where their values are), then in the order of their names.
    const size_t base = s.members.size();
    const size_t keysBase = s.keys.size();
    bool sorted = true;
    std::string_view key;
    while (r.nextMember(key)) {
        const Member m { s.keys.size(), key.size(), {} };
        s.keys += key;
        if (sorted && s.members.size() > base) {
            const Member& last = s.members.back();
            sorted = std::string_view(s.keys).substr(last.keyOffset, last.keyLength)
                < std::string_view(s.keys).substr(m.keyOffset, m.keyLength);
        }
        s.members.push_back(m);
        if (!r.skip(&s.members.back().raw))
            return false;
    }
    if (!r.ok())
        return false;
    auto name = [&s](const Member& m) { return std::string_view(s.keys).substr(m.keyOffset, m.keyLength); };
    const auto first = s.members.begin() + static_cast<std::ptrdiff_t>(base);
    if (!sorted)
        stableSort(first, s.members.end(), [&](const Member& a, const Member& b) { return name(a) < name(b); });
    out += '{';
    bool any = false;
    for (size_t i = base; i < s.members.size(); ++i) {
        // A repeated name: the last one given wins (the sort kept their order).
        if (!sorted && i + 1 < s.members.size() && name(s.members[i + 1]) == name(s.members[i]))
            continue;
        if (any)
            out += ',';
        any = true;
        appendEscaped(out, name(s.members[i]));
        out += ':';
        JsonReader value(s.members[i].raw, MaxJsonDepth);
        if (!writeValue(out, value, s, objectLevels + 1))
            return false;
    }
    out += '}';
    s.members.resize(base);
    s.keys.resize(keysBase);
    return true;
}

} // namespace

void appendEscapedAscii(std::string& out, unsigned char c)
{
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        out += "\\\"";
        break;
    case '\\':
        out += "\\\\";
        break;
    case '\b':
        out += "\\b";
        break;
    case '\t':
        out += "\\t";
        break;
    case '\n':
        out += "\\n";
        break;
    case '\f':
        out += "\\f";
        break;
    case '\r':
        out += "\\r";
        break;
    default:
        if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
}

void appendDumpedString(std::string& out, std::string_view utf8)
{
    if (findInvalidUtf8(utf8) != std::string_view::npos) {
        // nlohmann's own replacement of what is not UTF-8.
        out += nlohmann::json(std::string(utf8)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    appendEscaped(out, utf8);
}

bool appendCanonicalJson(std::string& out, std::string_view text)
{
    thread_local Scratch scratch;
    scratch.members.clear();
    scratch.keys.clear();
    const size_t start = out.size();
    JsonReader reader(text, MaxJsonDepth);
    if (writeValue(out, reader, scratch, 0) && reader.end())
        return true;
    out.resize(start);
    return false;
}

} // namespace iotc
