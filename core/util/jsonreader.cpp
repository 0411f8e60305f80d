#include "jsonreader.h"

#include <array>
#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <charconv>
#include <cmath>

namespace iotc {

namespace {

// 0: a byte that stands for itself inside a string; 1: '"' or '\\'; 2: a control byte; 3: not ASCII.
constexpr std::array<uint8_t, 256> StringClass = [] {
    std::array<uint8_t, 256> t {};
    for (int c = 0; c < 0x20; ++c)
        t[c] = 2;
    t['"'] = 1;
    t['\\'] = 1;
    for (int c = 0x80; c < 0x100; ++c)
        t[c] = 3;
    return t;
}();

// Eight bytes at a time: a mask with the high bit set in each byte that needs a look of its own in
// a JSON string (a control byte, '"', '\\' or a byte of a multi-byte character). Exact for the
// lowest such byte, which is all that is asked of it (bytes above one may be flagged too).
uint64_t specialBytes(const unsigned char* p)
{
    uint64_t x;
    __builtin_memcpy(&x, p, 8);
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    auto hasZero = [](uint64_t v) { return (v - ones) & ~v & highs; };
    const uint64_t control = (x - ones * 0x20) & ~x & highs;
    return control | (x & highs) | hasZero(x ^ (ones * '"')) | hasZero(x ^ (ones * '\\'));
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629, as nlohmann's lexer checks it),
// 0 when there is none.
size_t utf8Sequence(std::string_view text, size_t i)
{
    auto at = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    const unsigned c = at(0);
    if (in(c, 0xC2, 0xDF))
        return in(at(1), 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0)
        return in(at(1), 0xA0, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (in(c, 0xE1, 0xEC) || c == 0xEE || c == 0xEF)
        return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (c == 0xED)
        return in(at(1), 0x80, 0x9F) && in(at(2), 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0)
        return in(at(1), 0x90, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    if (in(c, 0xF1, 0xF3))
        return in(at(1), 0x80, 0xBF) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    if (c == 0xF4)
        return in(at(1), 0x80, 0x8F) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace

size_t plainJsonRun(std::string_view text, size_t from)
{
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    size_t i = from;
#if defined(__SSE2__)
    // Sixteen bytes at a time: '"', '\\', and (signed) below 0x20, which takes in every byte from 0x80.
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    for (; i + 16 <= size; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
        const __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
        if (const int mask = _mm_movemask_epi8(special))
            return i + static_cast<size_t>(std::countr_zero(static_cast<unsigned>(mask)));
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        for (; i + 8 <= size; i += 8) {
            if (const uint64_t special = specialBytes(bytes + i))
                return i + static_cast<size_t>(std::countr_zero(special)) / 8;
        }
    }
    while (i < size && StringClass[bytes[i]] == 0)
        ++i;
    return i;
}

JsonReader::JsonReader(std::string_view text, size_t maxDepth, bool unicodeEscapes)
    : m_text(text)
    , m_maxDepth(maxDepth)
    , m_unicodeEscapes(unicodeEscapes)
{
}

bool JsonReader::fail()
{
    m_failed = true;
    return false;
}

bool JsonReader::open()
{
    if (++m_depth > m_maxDepth)
        return fail();
    ++m_pos;
    return true;
}

bool JsonReader::close()
{
    --m_depth;
    ++m_pos;
    return true;
}

bool JsonReader::objectBegin()
{
    if (peek() != Kind::Object)
        return fail();
    m_first = true;
    return open();
}

bool JsonReader::nextMember(std::string_view& key)
{
    skipWhitespace();
    if (m_failed || m_pos >= m_text.size())
        return fail();
    const char c = m_text[m_pos];
    if (c == '}') {
        m_first = false; // the enclosing object (if any) has had its member
        close();
        return false;
    }
    if (!m_first) {
        if (c != ',')
            return fail();
        ++m_pos;
        skipWhitespace();
        if (m_pos >= m_text.size())
            return fail();
    }
    m_first = false;
    if (m_text[m_pos] != '"' || !readString(true, m_keyScratch, key))
        return fail();
    skipWhitespace();
    if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        return fail();
    ++m_pos;
    return true;
}

bool JsonReader::arrayBegin()
{
    if (peek() != Kind::Array)
        return fail();
    m_first = true;
    return open();
}

bool JsonReader::nextElement()
{
    skipWhitespace();
    if (m_failed || m_pos >= m_text.size())
        return fail();
    if (m_text[m_pos] == ']') {
        m_first = false;
        close();
        return false;
    }
    if (!m_first) {
        if (m_text[m_pos] != ',')
            return fail();
        ++m_pos;
    }
    m_first = false;
    return true;
}

bool JsonReader::string(std::string_view& out)
{
    if (peek() != Kind::String)
        return fail();
    return readString(true, m_valueScratch, out);
}

bool JsonReader::number(std::string_view& out)
{
    if (peek() != Kind::Number)
        return fail();
    return readNumber(out);
}

bool JsonReader::number(Number& out)
{
    std::string_view text;
    if (!number(text))
        return false;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
        // As nlohmann: strtoull for a non-negative integer, strtoll for a negative one; on overflow a double.
        if (text[0] != '-') {
            const auto [end, error] = std::from_chars(first, last, out.unsignedValue);
            if (error == std::errc() && end == last) {
                out.type = Number::Type::Unsigned;
                return true;
            }
        } else {
            const auto [end, error] = std::from_chars(first, last, out.integerValue);
            if (error == std::errc() && end == last) {
                out.type = Number::Type::Integer;
                return true;
            }
        }
    }
    const auto [end, error] = std::from_chars(first, last, out.floatValue);
    if (error != std::errc() || end != last || !std::isfinite(out.floatValue))
        return fail();
    out.type = Number::Type::Float;
    return true;
}

bool JsonReader::boolean(bool& out)
{
    const Kind k = peek();
    out = k == Kind::True;
    if (k == Kind::True)
        return readLiteral("true");
    if (k == Kind::False)
        return readLiteral("false");
    return fail();
}

bool JsonReader::skip(std::string_view* raw)
{
    const Kind k = peek();
    const size_t start = m_pos;
    std::string_view ignored;
    bool read = false;
    switch (k) {
    case Kind::String:
        read = readString(false, m_valueScratch, ignored);
        break;
    case Kind::Number:
        read = readNumber(ignored);
        break;
    case Kind::True:
        read = readLiteral("true");
        break;
    case Kind::False:
        read = readLiteral("false");
        break;
    case Kind::Null:
        read = readLiteral("null");
        break;
    case Kind::Object:
    case Kind::Array:
        read = skipContainer();
        break;
    case Kind::None:
        break;
    }
    if (!read)
        return fail();
    if (raw)
        *raw = m_text.substr(start, m_pos - start);
    return true;
}

bool JsonReader::end()
{
    skipWhitespace();
    return !m_failed && m_pos == m_text.size();
}

bool JsonReader::readString(bool keep, std::string& scratch, std::string_view& out)
{
    // At the opening quote. The common case, plain ASCII up to the closing quote, is a view of the text.
    const size_t start = ++m_pos;
    const size_t size = m_text.size();
    const auto* bytes = reinterpret_cast<const unsigned char*>(m_text.data());
    m_pos = plainJsonRun(m_text, m_pos);
    if (m_pos >= size)
        return fail();
    if (bytes[m_pos] == '"') {
        out = m_text.substr(start, m_pos - start);
        ++m_pos;
        return true;
    }
    // Escapes, UTF-8 or a control byte: byte by byte from here, into scratch.
    if (keep)
        scratch.assign(m_text.data() + start, m_pos - start);
    while (m_pos < size) {
        const unsigned char c = bytes[m_pos];
        switch (StringClass[c]) {
        case 0:
            if (keep)
                scratch += static_cast<char>(c);
            ++m_pos;
            continue;
        case 2:
            return fail();
        case 3: {
            const size_t n = utf8Sequence(m_text, m_pos);
            if (n == 0)
                return fail();
            if (keep)
                scratch.append(m_text.data() + m_pos, n);
            m_pos += n;
            continue;
        }
        default:
            break;
        }
        if (c == '"') {
            ++m_pos;
            out = keep ? std::string_view(scratch) : std::string_view();
            return true;
        }
        // A backslash.
        if (m_pos + 1 >= size)
            return fail();
        const char e = m_text[m_pos + 1];
        m_pos += 2;
        char plain = 0;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            plain = e;
            break;
        case 'b':
            plain = '\b';
            break;
        case 'f':
            plain = '\f';
            break;
        case 'n':
            plain = '\n';
            break;
        case 'r':
            plain = '\r';
            break;
        case 't':
            plain = '\t';
            break;
        case 'u':
            break;
        default:
            return fail();
        }
        if (e != 'u') {
            if (keep)
                scratch += plain;
            continue;
        }
        if (!m_unicodeEscapes)
            return fail();
        auto hex4 = [&](uint32_t& value) {
            if (m_pos + 4 > size)
                return false;
            value = 0;
            for (int k = 0; k < 4; ++k) {
                const int h = hexValue(m_text[m_pos + static_cast<size_t>(k)]);
                if (h < 0)
                    return false;
                value = (value << 4) | static_cast<uint32_t>(h);
            }
            m_pos += 4;
            return true;
        };
        uint32_t cp = 0;
        if (!hex4(cp))
            return fail();
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail(); // a low surrogate alone
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (m_pos + 2 > size || m_text[m_pos] != '\\' || m_text[m_pos + 1] != 'u')
                return fail();
            m_pos += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF)
                return fail();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (keep)
            appendUtf8(scratch, cp);
    }
    return fail();
}

bool JsonReader::readNumber(std::string_view& out)
{
    const size_t start = m_pos;
    const size_t size = m_text.size();
    auto digit = [&] { return m_pos < size && m_text[m_pos] >= '0' && m_text[m_pos] <= '9'; };
    if (m_text[m_pos] == '-')
        ++m_pos;
    if (!digit())
        return fail();
    if (m_text[m_pos] == '0') {
        ++m_pos;
    } else {
        while (digit())
            ++m_pos;
    }
    if (m_pos < size && m_text[m_pos] == '.') {
        ++m_pos;
        if (!digit())
            return fail();
        while (digit())
            ++m_pos;
    }
    bool exponent = false;
    if (m_pos < size && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
        exponent = true;
        ++m_pos;
        if (m_pos < size && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
            ++m_pos;
        if (!digit())
            return fail();
        while (digit())
            ++m_pos;
    }
    out = m_text.substr(start, m_pos - start);
    // nlohmann refuses a number that overflows a double. Only an exponent or some 300 digits can:
    // those are converted, and any that is out of range (over- or underflowing) is left to the full
    // parser to judge.
    if (exponent || out.size() > 300) {
        double value = 0;
        const auto [end, error] = std::from_chars(out.data(), out.data() + out.size(), value);
        if (error != std::errc() || end != out.data() + out.size() || !std::isfinite(value))
            return fail();
    }
    return true;
}

bool JsonReader::readLiteral(std::string_view word)
{
    if (m_text.substr(m_pos, word.size()) != word)
        return fail();
    m_pos += word.size();
    return true;
}

bool JsonReader::skipContainer()
{
    // Iterative: the depth is bounded by maxDepth, not by the stack.
    m_stack.clear();
    std::string_view ignored;
    auto value = [&]() -> int { // 1: a scalar was read, 2: a container opened, 0: failed
        switch (peek()) {
        case Kind::String:
            return readString(false, m_valueScratch, ignored) ? 1 : 0;
        case Kind::Number:
            return readNumber(ignored) ? 1 : 0;
        case Kind::True:
            return readLiteral("true") ? 1 : 0;
        case Kind::False:
            return readLiteral("false") ? 1 : 0;
        case Kind::Null:
            return readLiteral("null") ? 1 : 0;
        case Kind::Object:
        case Kind::Array:
            return 2;
        case Kind::None:
            break;
        }
        return 0;
    };
    auto key = [&] {
        skipWhitespace();
        if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !readString(false, m_valueScratch, ignored))
            return false;
        skipWhitespace();
        if (m_pos >= m_text.size() || m_text[m_pos] != ':')
            return false;
        ++m_pos;
        return true;
    };
    int next = 2; // at an opening bracket
    for (;;) {
        if (next == 0)
            return fail();
        if (next == 2) {
            const char bracket = m_text[m_pos];
            if (!open())
                return false;
            m_stack += bracket;
            skipWhitespace();
            if (m_pos < m_text.size() && m_text[m_pos] == (bracket == '{' ? '}' : ']')) {
                close();
                m_stack.pop_back();
            } else {
                if (bracket == '{' && !key())
                    return fail();
                next = value();
                continue;
            }
        }
        // After a value: a comma and the next, or the closing bracket.
        for (;;) {
            if (m_stack.empty())
                return true;
            skipWhitespace();
            if (m_pos >= m_text.size())
                return fail();
            const char top = m_stack.back();
            const char c = m_text[m_pos];
            if (c == (top == '{' ? '}' : ']')) {
                close();
                m_stack.pop_back();
                continue;
            }
            if (c != ',')
                return fail();
            ++m_pos;
            if (top == '{' && !key())
                return fail();
            break;
        }
        next = value();
    }
}

} // namespace iotc
