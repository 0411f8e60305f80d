#include "knowledgebase.h"

#include "util/asciistrings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sstream>
#include <stdexcept>

static void initKnowledgeResources()
{
    Q_INIT_RESOURCE(knowledge);
}

namespace iotc {

namespace {

std::vector<std::string> strings(const QJsonValue& v)
{
    std::vector<std::string> out;
    for (const auto& s : v.toArray())
        out.push_back(s.toString().toStdString());
    return out;
}

std::regex compile(const std::string& pattern, const std::string& code)
{
    // The data may start a pattern with (?i), which std::regex does not know: it means icase.
    auto flags = std::regex::ECMAScript | std::regex::optimize;
    std::string body = pattern;
    if (body.rfind("(?i)", 0) == 0) {
        body = body.substr(4);
        flags |= std::regex::icase;
    }
    try {
        return std::regex(body, flags);
    } catch (const std::regex_error& e) {
        throw std::runtime_error("knowledge base: pattern of " + code + " is not a valid regex: " + pattern);
    }
}

} // namespace

KnowledgeBase KnowledgeBase::fromJson(const QByteArray& json)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        throw std::runtime_error("knowledge base is not JSON: " + error.errorString().toStdString());
    KnowledgeBase kb;
    for (const auto& v : doc.object().value(QStringLiteral("entries")).toArray()) {
        const auto o = v.toObject();
        KnowledgeEntry e;
        e.code = o.value(QStringLiteral("code")).toString().toStdString();
        if (e.code.empty())
            throw std::runtime_error("knowledge base: an entry has no code");
        e.kind = o.value(QStringLiteral("kind")).toString().toStdString();
        e.title = o.value(QStringLiteral("title")).toString().toStdString();
        e.description = o.value(QStringLiteral("description")).toString().toStdString();
        e.mitigation = o.value(QStringLiteral("mitigation")).toString().toStdString();
        e.source = o.value(QStringLiteral("source")).toString().toStdString();
        e.severity = parseSeverity(o.value(QStringLiteral("severity")).toString(QStringLiteral("error")).toStdString())
                         .value_or(Severity::Error);
        if (o.contains(QStringLiteral("httpStatus")))
            e.httpStatus = o.value(QStringLiteral("httpStatus")).toInt();
        e.aliases = strings(o.value(QStringLiteral("aliases")));
        e.supersedes = strings(o.value(QStringLiteral("supersedes")));
        const QJsonValue cause = o.value(QStringLiteral("cause"));
        if (!cause.isUndefined() && (!cause.isString() || cause.toString().isEmpty()))
            throw std::runtime_error("knowledge base: the cause of " + e.code + " is not a cause code");
        e.cause = cause.toString().toStdString();
        for (const auto& p : strings(o.value(QStringLiteral("patterns"))))
            e.patterns.push_back(compile(p, e.code));
        for (const auto& a : strings(o.value(QStringLiteral("anchors"))))
            e.anchors.push_back(asciiLower(a));
        kb.m_entries.push_back(std::move(e));
    }
    return kb;
}

const KnowledgeBase& KnowledgeBase::builtIn()
{
    static const KnowledgeBase kb = [] {
        initKnowledgeResources();
        QFile f(QStringLiteral(":/knowledge/codes.json"));
        if (!f.open(QIODevice::ReadOnly))
            throw std::runtime_error("the built-in knowledge base is missing from this build");
        return fromJson(f.readAll());
    }();
    return kb;
}

namespace {

bool named(const KnowledgeEntry& e, std::string_view code)
{
    if (equalsIgnoringCase(e.code, code))
        return true;
    for (const auto& a : e.aliases) {
        if (equalsIgnoringCase(a, code))
            return true;
    }
    return false;
}

} // namespace

const KnowledgeEntry* KnowledgeBase::byCode(std::string_view code) const
{
    for (const auto& e : m_entries) {
        if (named(e, code))
            return &e;
    }
    return nullptr;
}

const KnowledgeEntry* KnowledgeBase::byCode(std::string_view code, std::string_view kind) const
{
    for (const auto& e : m_entries) {
        if (e.kind == kind && named(e, code))
            return &e;
    }
    return nullptr;
}

std::vector<const KnowledgeEntry*> KnowledgeBase::search(std::string_view text) const
{
    std::string trimmed(text);
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
    trimmed.erase(trimmed.find_last_not_of(" \t\r\n") + 1);
    if (const auto* exact = byCode(trimmed))
        return { exact };
    std::vector<std::string> words;
    std::istringstream in(asciiLower(trimmed));
    for (std::string w; in >> w;)
        words.push_back(w);
    std::vector<const KnowledgeEntry*> out;
    if (words.empty())
        return out;
    for (const auto& e : m_entries) {
        std::string hay = asciiLower(e.code + " " + e.title + " " + e.description);
        for (const auto& a : e.aliases)
            hay += " " + asciiLower(a);
        bool all = true;
        for (const auto& w : words)
            all = all && hay.find(w) != std::string::npos;
        if (all)
            out.push_back(&e);
    }
    return out;
}

} // namespace iotc
