#pragma once

#include "jsondepth.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace iotc {

// Where the run of bytes from `from` on that a JSON string holds as they are (printable ASCII other
// than '"' and '\\') ends: the first byte that needs a look of its own, or text.size().
size_t plainJsonRun(std::string_view text, size_t from);

// A strict pull reader of JSON text for hot paths (a JSON Lines batch, a capture), where building a
// DOM of every line costs more than the work done with it. It allocates only to unescape strings.
//
// It accepts a subset of what nlohmann::json::parse accepts and reads every value the same way, so
// a caller can use it as a fast path and fall back to the full parser whenever it says no. It says
// no (ok() false) on any syntax error and also on what it leaves to the full parser: a byte-order
// mark, a number out of a double's range (over- or underflowing), nesting deeper than maxDepth, and
// (when unicodeEscapes is false) any \uXXXX escape. Strings are checked as nlohmann checks them
// (UTF-8 well-formed, no raw control characters, escapes valid, surrogates paired).
//
// Usage: objectBegin(), then while (nextMember(key)) read or skip the value; end() at the end.
class JsonReader {
public:
    enum class Kind : uint8_t { None, String, Number, True, False, Null, Object, Array };

    explicit JsonReader(std::string_view text, size_t maxDepth = MaxJsonDepth, bool unicodeEscapes = true);

    // What the next value is (after whitespace), judged by its first byte; None when nothing can
    // start a value there (and at the end of the text).
    Kind peek()
    {
        skipWhitespace();
        if (m_failed || m_pos >= m_text.size())
            return Kind::None;
        return FirstByte[static_cast<unsigned char>(m_text[m_pos])];
    }

    // '{': enters an object. False (and failed) when the next value is not one.
    bool objectBegin();
    // The next member's name (unescaped; valid until the next name is read), positioned at its value.
    // False at the object's closing brace (consumed) and on error: tell them apart with ok().
    bool nextMember(std::string_view& key);

    // '[': enters an array. Then while (nextElement()) read or skip each element.
    bool arrayBegin();
    // True when an element follows (positioned at it); false at the closing bracket (consumed) and on error.
    bool nextElement();

    // A string value, unescaped; valid until the next string value is read.
    bool string(std::string_view& out);
    // A number as written (JSON's grammar, checked).
    bool number(std::string_view& out);
    // A number converted as nlohmann's lexer converts it: an integer without fraction or exponent
    // into an unsigned (signed when negative) 64-bit integer when it fits, anything else into a double.
    struct Number {
        enum class Type : uint8_t { Unsigned, Integer, Float } type = Type::Unsigned;
        uint64_t unsignedValue = 0;
        int64_t integerValue = 0;
        double floatValue = 0;
    };
    bool number(Number& out);
    // true or false.
    bool boolean(bool& out);
    // Any value, checked and passed over; raw (when given) is its text as written.
    bool skip(std::string_view* raw = nullptr);

    // True when only whitespace is left and nothing failed.
    bool end();
    bool ok() const { return !m_failed; }

private:
    static constexpr auto FirstByte = [] {
        std::array<Kind, 256> t {};
        t['"'] = Kind::String;
        t['{'] = Kind::Object;
        t['['] = Kind::Array;
        t['t'] = Kind::True;
        t['f'] = Kind::False;
        t['n'] = Kind::Null;
        t['-'] = Kind::Number;
        for (char c = '0'; c <= '9'; ++c)
            t[static_cast<unsigned char>(c)] = Kind::Number;
        return t;
    }();

    bool fail();
    void skipWhitespace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_pos;
        }
    }
    bool readString(bool keep, std::string& scratch, std::string_view& out);
    bool readNumber(std::string_view& out);
    bool readLiteral(std::string_view word);
    bool skipContainer();
    bool open();
    bool close();

    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_depth = 0;
    size_t m_maxDepth;
    bool m_unicodeEscapes;
    bool m_failed = false;
    bool m_first = false; // right after '{': no comma before the first member
    std::string m_keyScratch;
    std::string m_valueScratch;
    std::string m_stack; // the brackets open inside skip()
};

// Reads the next value into a nlohmann::basic_json as Json::parse builds it: members in the order
// the object type keeps them, a repeated name holding its last value. False (out unspecified) when
// the reader says no; the caller then parses the text with Json::parse.
template <typename Json> bool readJsonValue(JsonReader& reader, Json& out)
{
    using Kind = JsonReader::Kind;
    switch (reader.peek()) {
    case Kind::String: {
        std::string_view text;
        if (!reader.string(text))
            return false;
        out = typename Json::string_t(text);
        return true;
    }
    case Kind::Number: {
        JsonReader::Number n;
        if (!reader.number(n))
            return false;
        if (n.type == JsonReader::Number::Type::Unsigned)
            out = static_cast<typename Json::number_unsigned_t>(n.unsignedValue);
        else if (n.type == JsonReader::Number::Type::Integer)
            out = static_cast<typename Json::number_integer_t>(n.integerValue);
        else
            out = static_cast<typename Json::number_float_t>(n.floatValue);
        return true;
    }
    case Kind::True:
    case Kind::False: {
        bool b = false;
        if (!reader.boolean(b))
            return false;
        out = b;
        return true;
    }
    case Kind::Null:
        if (!reader.skip())
            return false;
        out = nullptr;
        return true;
    case Kind::Object: {
        if (!reader.objectBegin())
            return false;
        out = Json(Json::value_t::object);
        auto& object = *out.template get_ptr<typename Json::object_t*>();
        std::string_view key;
        while (reader.nextMember(key)) {
            // The parser's own step: the member's slot (the first one, for a repeated name), then its value.
            auto slot = object.emplace(typename Json::string_t(key), Json()).first;
            if (!readJsonValue(reader, slot->second))
                return false;
        }
        return reader.ok();
    }
    case Kind::Array: {
        if (!reader.arrayBegin())
            return false;
        out = Json(Json::value_t::array);
        auto& array = *out.template get_ptr<typename Json::array_t*>();
        while (reader.nextElement()) {
            array.emplace_back();
            if (!readJsonValue(reader, array.back()))
                return false;
        }
        return reader.ok();
    }
    case Kind::None:
        break;
    }
    reader.skip(); // fails, and says so
    return false;
}

} // namespace iotc
