#include "redact.h"

#include <QByteArray>
#include <QStringView>

#include <algorithm>
#include <string>
#include <string_view>

namespace iotc {

namespace {

using namespace std::string_view_literals;

const QLatin1String Marker("<redacted>");

// How sure a key name is to hold a secret, which decides what value shape is enough.
enum class Strength {
    None,
    Loose, // "key", AccountKey, partitionKey: only a value that looks like a credential (or was cut short)
    Weak, // token, signature, authorization: any value given with = or quotes; after a bare colon
          // ("token: expired" in prose) only one that looks like a credential
    Strong, // password, sig, primaryKey ...: any value at all
};

// Lower case, no separators: primary_key, Primary-Key and primaryKey are one name. A name that
// ends in one of these (mqtt_password, SecretAccessKey, Ocp-Apim-Subscription-Key, a storage
// connection string's AccountKey, an ODBC Pwd, x-functions-key) holds a secret.
constexpr std::string_view StrongSuffixes[] = { "password"sv, "passwd"sv, "pwd"sv, "passphrase"sv, "secret"sv,
    "apikey"sv, "accesskey"sv, "accountkey"sv, "functionskey"sv, "primarykey"sv, "secondarykey"sv, "symmetrickey"sv,
    "devicekey"sv, "privatekey"sv, "subscriptionkey"sv, "sharedaccesssignature"sv, "apitoken"sv, "accesstoken"sv,
    "bearertoken"sv, "sastoken"sv, "refreshtoken"sv, "authtoken"sv, "idtoken"sv };

// Authorization schemes whose credential follows after a space.
constexpr std::string_view Schemes[] = { "bearer"sv, "basic"sv, "sharedaccesssignature"sv };

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Strength classify(std::string_view name)
{
    if (name == "sig"sv)
        return Strength::Strong;
    for (auto suffix : StrongSuffixes)
        if (endsWith(name, suffix))
            return Strength::Strong;
    if (name == "authorization"sv || endsWith(name, "token"sv) || endsWith(name, "signature"sv))
        return Strength::Weak;
    if (endsWith(name, "key"sv)) // any other key may be one: its value decides
        return Strength::Loose;
    return Strength::None;
}

bool isAlnum(char16_t c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

// Key names and the base64url of JWTs.
bool isWordChar(char16_t c)
{
    return isAlnum(c) || c == u'_' || c == u'-';
}

char16_t lower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + (u'a' - u'A')) : c;
}

int hexDigit(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    c = lower(c);
    return c >= u'a' && c <= u'f' ? c - u'a' + 10 : -1;
}

bool isSpace(char16_t c)
{
    return c == u' ' || c == u'\t';
}

// Where an unquoted value ends: white space, quotes, brackets and list separators. Not '=', ':',
// '+', '/' or '.', which base64, JWTs and passwords hold.
bool isTerminator(char16_t c)
{
    if (c <= 0x20 || c == 0x7F)
        return true;
    if (c >= 0x80)
        return QChar::isSpace(c);
    return u"\"'`;&,<>()[]{}|\\"sv.find(c) != std::u16string_view::npos;
}

bool equalsIgnoringCase(QStringView text, std::string_view word)
{
    if (text.size() != static_cast<qsizetype>(word.size()))
        return false;
    for (qsizetype i = 0; i < text.size(); ++i)
        if (lower(text[i].unicode()) != char16_t(word[static_cast<size_t>(i)]))
            return false;
    return true;
}

// A credential, not a word of prose: long, or letters and digits mixed.
bool credentialLike(QStringView v)
{
    if (v.size() >= 16)
        return true;
    bool digit = false;
    bool letter = false;
    for (QChar c : v) {
        digit = digit || (c >= u'0' && c <= u'9');
        letter = letter || c.isLetter();
    }
    return v.size() >= 8 && digit && letter;
}

// "token", "Expired": what follows "Bearer" or "Basic" in prose.
bool plainWord(QStringView v)
{
    if (v.size() >= 16)
        return false;
    for (qsizetype i = 0; i < v.size(); ++i) {
        const char16_t c = v[i].unicode();
        if (!(c >= u'a' && c <= u'z') && !(i == 0 && c >= u'A' && c <= u'Z'))
            return false;
    }
    return true;
}

// What follows "basic" outside an Authorization header is a credential only when it is base64 that
// looks like one: "basic S1 tier", "Basic MQTT", "Basic 2.0" and "basic auth:" are prose. base64 of
// user:pass, the one thing Basic carries, is a credential however plain it looks.
bool basicCredential(QStringView v)
{
    qsizetype n = v.size();
    while (n > 0 && v[n - 1] == u'=')
        --n;
    const qsizetype padding = v.size() - n;
    if (n == 0 || padding > 2 || (padding > 0 && v.size() % 4 != 0))
        return false;
    for (qsizetype i = 0; i < n; ++i)
        if (!isAlnum(v[i].unicode()) && v[i] != u'+' && v[i] != u'/')
            return false;
    if (v.size() >= 8 && (padding > 0 || credentialLike(v)))
        return true;
    const auto decoded = QByteArray::fromBase64Encoding(v.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.contains(':'))
        return false;
    for (char c : decoded.decoded)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return false;
    return true;
}

// One character as written, decoded where URL, JSON or HTML escaping spells it differently (%3D,
// %253D, \u003d, &quot;). Only ASCII is decoded: every delimiter is ASCII.
struct Unit {
    char16_t c;
    qsizetype len;
};

struct Entity {
    QLatin1String name;
    char16_t c;
};

const Entity Entities[]
    = { { QLatin1String("&quot;"), u'"' }, { QLatin1String("&#34;"), u'"' }, { QLatin1String("&#x22;"), u'"' },
          { QLatin1String("&apos;"), u'\'' }, { QLatin1String("&#39;"), u'\'' }, { QLatin1String("&#x27;"), u'\'' },
          { QLatin1String("&amp;"), u'&' }, { QLatin1String("&lt;"), u'<' }, { QLatin1String("&gt;"), u'>' } };

class Redactor {
public:
    explicit Redactor(QStringView text)
        : m_s(text)
        , m_n(text.size())
    {
    }

    QString run()
    {
        qsizetype i = 0;
        while (i < m_n) {
            const char16_t c = at(i);
            if (isWordChar(c)) {
                qsizetype j = i + 1;
                while (j < m_n && isWordChar(at(j)))
                    ++j;
                i = word(i, j);
                continue;
            }
            // An escape (%22, \u0022, \n, &quot;) is one step, so the letters after it start a word.
            const qsizetype len = unit(i).len;
            i += c == u'\\' && len == 1 && u"nrtbf"sv.find(at(i + 1)) != std::u16string_view::npos ? 2 : len;
        }
        if (!m_redacted)
            return m_s.toString();
        m_out.append(m_s.mid(m_copied));
        return m_out;
    }

private:
    struct Quote {
        qsizetype end = 0;
        char16_t kind = 0; // 0: no quote
        qsizetype len = 0; // of the quote character as written (", %22, &quot;)
        qsizetype backslashes = 0; // before it: \" opens a string inside a JSON string
    };

    struct Value {
        qsizetype end;
        bool closed;
    };

    char16_t at(qsizetype p) const { return p < m_n ? m_s[p].unicode() : char16_t(0); }

    int hexPair(qsizetype p) const
    {
        if (p + 1 >= m_n)
            return -1;
        const int hi = hexDigit(at(p));
        const int lo = hexDigit(at(p + 1));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    Unit unit(qsizetype p) const
    {
        const char16_t c = at(p);
        if (c == u'%') {
            const int v = hexPair(p + 1);
            if (v == 0x25) {
                const int twice = hexPair(p + 3); // %253D: encoded twice
                if (twice >= 0 && twice < 0x80)
                    return { char16_t(twice), 5 };
            }
            if (v >= 0 && v < 0x80)
                return { char16_t(v), 3 };
        } else if (c == u'\\' && lower(at(p + 1)) == u'u') {
            const int hi = hexPair(p + 2);
            const int lo = hexPair(p + 4);
            if (hi == 0 && lo >= 0 && lo < 0x80)
                return { char16_t(lo), 6 };
        } else if (c == u'&') {
            for (const auto& e : Entities)
                if (m_s.mid(p, e.name.size()).compare(e.name, Qt::CaseInsensitive) == 0)
                    return { e.c, e.name.size() };
        }
        return { c, 1 };
    }

    qsizetype skipSpace(qsizetype p) const
    {
        while (p < m_n) {
            const Unit u = unit(p);
            if (!isSpace(u.c))
                break;
            p += u.len;
        }
        return p;
    }

    // Spaces and line breaks, as between the fields of pretty-printed JSON.
    qsizetype skipBlank(qsizetype p) const
    {
        while (p < m_n && (isSpace(at(p)) || at(p) == u'\n' || at(p) == u'\r'))
            ++p;
        return skipSpace(p);
    }

    // One quote as written: ", ', \", \\\", %22, \u0022, &quot;.
    Quote quoteAt(qsizetype p) const
    {
        qsizetype q = p;
        while (at(q) == u'\\' && unit(q).len == 1)
            ++q;
        const Unit u = unit(q);
        if (q < m_n && (u.c == u'"' || u.c == u'\''))
            return { q + u.len, u.c, u.len, q - p };
        return { p, 0, 0, 0 };
    }

    qsizetype word(qsizetype from, qsizetype to)
    {
        // A JWT, wherever it starts in the word. A later "eyJ" in the same word has the same first
        // segment end, so it fails the same way.
        for (qsizetype k = from; k + 2 < to; ++k) {
            if (at(k) == u'e' && at(k + 1) == u'y' && at(k + 2) == u'J') {
                const qsizetype end = jwtEnd(k, to);
                if (end < 0)
                    break;
                redact(k, end);
                return end;
            }
        }
        std::string name;
        for (QChar c : m_s.mid(from, to - from).right(64))
            if (isAlnum(c.unicode()))
                name.push_back(static_cast<char>(lower(c.unicode())));
        if (name == "bearer"sv || name == "basic"sv)
            return credentialAfterScheme(to, name == "basic"sv, false);
        if (name == "name"sv)
            return namedValue(to);
        if (name == "begin"sv) {
            const qsizetype body = pemBodyStart(from);
            if (body >= 0)
                return pemBlock(body);
        }
        const Strength strength = classify(name);
        return strength == Strength::None ? to : keyValue(to, strength);
    }

    // eyJ... . ... . ...: header and payload (base64url JSON, at least 4 characters) and signature.
    qsizetype jwtEnd(qsizetype from, qsizetype headerEnd) const
    {
        if (headerEnd - from < 7 || at(headerEnd) != u'.')
            return -1;
        qsizetype p = headerEnd + 1;
        while (isWordChar(at(p)))
            ++p;
        if (p - headerEnd - 1 < 4 || at(p) != u'.')
            return -1;
        ++p;
        while (isWordChar(at(p)))
            ++p;
        return p;
    }

    // "Bearer xyz", "basic xyz" anywhere (a header, a log line, an exception text); "Bearer token"
    // in prose is left alone. After an Authorization key anything but a plain word is the
    // credential; elsewhere "basic" is a common word and takes only what looks like base64.
    qsizetype credentialAfterScheme(qsizetype wordEnd, bool basic, bool header)
    {
        const qsizetype start = skipSpace(wordEnd);
        if (start == wordEnd)
            return wordEnd;
        const qsizetype end = unquotedEnd(start);
        const QStringView credential = m_s.mid(start, end - start);
        if (end == start || plainWord(credential))
            return wordEnd;
        if (credential.endsWith(u'=') && at(end) == u'"' && plainWord(credential.chopped(1)))
            return wordEnd; // Basic realm="iot": a parameter, not a credential
        if (basic && !header && !basicCredential(credential))
            return wordEnd;
        redact(start, end);
        return end;
    }

    // The value after a secret-named key: key=value, key: value, "key":"value", 'key': 'value',
    // \"key\":\"value\", key%3Dvalue, &quot;key&quot;: ...
    qsizetype keyValue(qsizetype keyEnd, Strength strength)
    {
        qsizetype p = skipSpace(quoteAt(keyEnd).end);
        const Unit separator = unit(p);
        if (p >= m_n || (separator.c != u'=' && separator.c != u':'))
            return keyEnd;
        if (separator.len == 1 && separator.c == u':' && at(p + 1) == u':')
            return keyEnd; // Token::parse: a C++ name, not a value
        const bool equals = separator.c == u'=';
        p += separator.len;
        if (equals && at(p) == u'>')
            ++p; // "key" => "value"
        p = skipSpace(p);
        const Quote open = quoteAt(p);
        qsizetype from = p;
        qsizetype to = p;
        bool cut = false;
        if (open.kind) {
            from = open.end;
            const Value v = quotedEnd(from, open);
            to = v.end;
            cut = !v.closed;
            from += schemeLength(from, to); // "Bearer <redacted>" says which kind of credential it was
        } else {
            to = unquotedEnd(p);
            const QStringView v = m_s.mid(from, to - from);
            if (equalsIgnoringCase(v, "null"sv) || equalsIgnoringCase(v, "true"sv) || equalsIgnoringCase(v, "false"sv)
                || equalsIgnoringCase(v, "none"sv))
                return to;
            for (auto scheme : Schemes)
                if (equalsIgnoringCase(v, scheme) && to < m_n && isSpace(unit(to).c))
                    // Authorization: Bearer xyz: the scheme's own rule takes the credential.
                    return scheme == "sharedaccesssignature"sv
                        ? from
                        : credentialAfterScheme(to, scheme == "basic"sv, strength != Strength::Loose);
        }
        if (pemBodyStart(from) >= 0)
            return from; // "privateKey": "-----BEGIN ...": masked line by line, every line of it
        if (to <= from)
            return keyEnd;
        const QStringView value = m_s.mid(from, to - from);
        // A value cut short (the end of the text inside quotes, or the scanner's "…") may be the
        // first half of anything.
        cut = cut || value.contains(QChar(0x2026));
        const bool secret = strength == Strength::Strong || cut || credentialLike(value)
            || (strength == Strength::Weak && (equals || open.kind));
        if (!secret)
            return keyEnd;
        redact(from, to);
        return to;
    }

    // The end of a quoted value: the closing quote written as the opening one was. A raw line
    // break ends it too, even after a backslash (no string spans one, and a mask that did would
    // join lines the diagnoser reads one by one): the value was cut short.
    Value quotedEnd(qsizetype p, const Quote& open, qsizetype limit = -1) const
    {
        const qsizetype end = limit < 0 ? m_n : std::min(limit, m_n);
        auto lineBreak = [this](qsizetype q) { return at(q) == u'\n' || at(q) == u'\r'; };
        while (p < end) {
            const char16_t c = at(p);
            if (lineBreak(p))
                return { p, false };
            if (c == u'\\' && open.backslashes > 0) {
                // Inside a string inside a string: \" closes, \\\" is a quote within the value.
                qsizetype r = p;
                while (at(r) == u'\\')
                    ++r;
                if (at(r) == open.kind && r - p <= open.backslashes)
                    return { p, true };
                if (lineBreak(r))
                    return { r, false };
                p = r + 1;
                continue;
            }
            const Unit u = unit(p);
            if (u.c == open.kind && (u.len > 1) == (open.len > 1))
                return { p, true };
            if (c == u'\\' && lineBreak(p + 1))
                return { p + 1, false };
            p += c == u'\\' ? 2 : u.len; // \" \\ \u0022 inside the value
        }
        return { std::min(p, end), false };
    }

    // {"name": "SharedAccessKey", "value": "..."}: app settings, ARM templates and Kubernetes env
    // name the secret in one field and hold it in the next. The name decides as a key's would.
    qsizetype namedValue(qsizetype nameEnd)
    {
        qsizetype p = skipSpace(quoteAt(nameEnd).end);
        const Unit separator = unit(p);
        if (p >= m_n || (separator.c != u':' && separator.c != u'='))
            return nameEnd;
        const Quote open = quoteAt(skipSpace(p + separator.len));
        if (!open.kind)
            return nameEnd;
        const Value named = quotedEnd(open.end, open, open.end + 128); // a name, not a body
        if (!named.closed)
            return nameEnd;
        std::string name;
        for (QChar c : m_s.mid(open.end, named.end - open.end))
            if (isAlnum(c.unicode()))
                name.push_back(static_cast<char>(lower(c.unicode())));
        const Strength strength = classify(name);
        if (strength == Strength::None)
            return nameEnd;
        p = skipBlank(quoteAt(named.end).end);
        if (unit(p).c != u',')
            return nameEnd;
        const qsizetype valueWord = quoteAt(skipBlank(p + unit(p).len)).end;
        qsizetype valueEnd = valueWord;
        while (isWordChar(at(valueEnd)))
            ++valueEnd;
        if (!equalsIgnoringCase(m_s.mid(valueWord, valueEnd - valueWord), "value"sv))
            return nameEnd;
        const qsizetype copied = m_copied;
        const qsizetype end = keyValue(valueEnd, strength);
        return m_copied != copied ? end : nameEnd; // nothing masked: scan the pair as any text
    }

    // "-----BEGIN RSA PRIVATE KEY-----" at p: where the key's body starts, or -1. Certificates and
    // public keys are not secrets.
    qsizetype pemBodyStart(qsizetype p) const
    {
        const QLatin1String begin("-----BEGIN ");
        const QLatin1String dashes("-----");
        if (m_s.mid(p, begin.size()) != begin)
            return -1;
        const qsizetype label = p + begin.size();
        qsizetype q = label;
        while (q < m_n && q - label < 64 && (isAlnum(at(q)) || at(q) == u' '))
            ++q;
        if (m_s.mid(q, dashes.size()) != dashes || !m_s.mid(label, q - label).contains(QLatin1String("PRIVATE KEY")))
            return -1;
        return q + dashes.size();
    }

    // Everything up to the END line, or to the end of the text when there is none. Each line is
    // masked on its own, so the text keeps its lines; \n escapes (a key inside a JSON string) and
    // blanks at either end of a line stay as they were.
    qsizetype pemBlock(qsizetype body)
    {
        qsizetype end = m_s.indexOf(QLatin1String("-----END "), body);
        if (end < 0)
            end = m_n;
        for (qsizetype p = body; p < end;) {
            qsizetype from = p;
            qsizetype to = p;
            while (to < end && at(to) != u'\n' && at(to) != u'\r')
                ++to;
            p = to + 1;
            auto escape = [this](qsizetype q) {
                return at(q) == u'\\' && u"nrt"sv.find(at(q + 1)) != std::u16string_view::npos;
            };
            for (;;) {
                if (from < to && isSpace(at(from)))
                    ++from;
                else if (to - from >= 2 && escape(from))
                    from += 2;
                else if (to > from && isSpace(at(to - 1)))
                    --to;
                else if (to - from >= 2 && escape(to - 2))
                    to -= 2;
                else
                    break;
            }
            if (to > from)
                redact(from, to);
        }
        return end;
    }

    qsizetype unquotedEnd(qsizetype p) const
    {
        while (p < m_n) {
            const Unit u = unit(p);
            if (u.len == 1 && u.c == u'\\') {
                if (at(p + 1) == u'/') {
                    p += 2; // JSON's escaped slash, part of base64
                    continue;
                }
                break;
            }
            if (isTerminator(u.c))
                break;
            p += u.len;
        }
        return p;
    }

    // "Bearer " at the start of a quoted value: its length with the spaces, or 0.
    qsizetype schemeLength(qsizetype from, qsizetype to) const
    {
        for (auto scheme : Schemes) {
            const qsizetype end = from + static_cast<qsizetype>(scheme.size());
            if (end < to && equalsIgnoringCase(m_s.mid(from, end - from), scheme) && isSpace(unit(end).c))
                return std::min(skipSpace(end), to) - from;
        }
        return 0;
    }

    void redact(qsizetype from, qsizetype to)
    {
        if (!m_redacted)
            m_out.reserve(m_n);
        m_redacted = true;
        m_out.append(m_s.mid(m_copied, from - m_copied));
        m_out.append(Marker);
        m_copied = to;
    }

    QStringView m_s;
    qsizetype m_n;
    qsizetype m_copied = 0; // m_s before this is in m_out
    bool m_redacted = false;
    QString m_out;
};

} // namespace

QString redactSecrets(const QString& text)
{
    return Redactor(text).run();
}

QString redactedSample(const QString& text, qsizetype maxChars)
{
    QString out = redactSecrets(text);
    if (out.size() > maxChars) {
        qsizetype cut = std::max<qsizetype>(maxChars, 0);
        if (cut > 0 && out.at(cut - 1).isHighSurrogate())
            --cut; // never half a character
        // Nor half a marker: "<reda" would read as the body's own text.
        for (qsizetype m = std::max<qsizetype>(cut - Marker.size() + 1, 0); m < cut; ++m) {
            if (QStringView(out).mid(m, Marker.size()) == Marker) {
                cut = m;
                break;
            }
        }
        out.truncate(cut);
    }
    return out;
}

} // namespace iotc
