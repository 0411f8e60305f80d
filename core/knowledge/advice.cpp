#include "advice.h"

#include "knowledgebase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>

static void initAdviceResources()
{
    Q_INIT_RESOURCE(knowledge);
}

namespace iotc {

namespace {

// The data is ours, but it is parsed like any input: bounded.
constexpr qsizetype MaxJsonBytes = 1 << 20;
constexpr qsizetype MaxEntriesPerKind = 1000;
constexpr qsizetype MaxTextChars = 4096;

constexpr std::array<const char*, 3> SectionNames { "causes", "issues", "findings" };

size_t slot(AdviceKind kind)
{
    return static_cast<size_t>(kind);
}

std::string text(const QJsonObject& o, const char* key, const std::string& where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isUndefined() && !v.isString())
        throw std::runtime_error("advice: " + where + ": \"" + key + "\" is not a string");
    const QString s = v.toString();
    if (s.size() > MaxTextChars)
        throw std::runtime_error("advice: " + where + ": \"" + key + "\" is too long");
    return s.toStdString();
}

Advice entry(const QJsonValue& v, const std::string& section, qsizetype index)
{
    const std::string where = section + "[" + std::to_string(index) + "]";
    if (!v.isObject())
        throw std::runtime_error("advice: " + where + " is not an object");
    const QJsonObject o = v.toObject();
    Advice a;
    a.code = text(o, "code", where);
    if (a.code.empty())
        throw std::runtime_error("advice: " + where + " has no code");
    const std::string named = section + " " + a.code;
    a.title = text(o, "title", named);
    a.meaning = text(o, "meaning", named);
    a.whatToDo = text(o, "whatToDo", named);
    a.docs = text(o, "docs", named);
    if (a.whatToDo.empty())
        throw std::runtime_error("advice: " + named + " says nothing to do");
    if (a.title.empty() && a.meaning.empty())
        throw std::runtime_error("advice: " + named + " has neither title nor meaning");
    return a;
}

} // namespace

AdviceBook AdviceBook::fromJson(const QByteArray& json)
{
    if (json.size() > MaxJsonBytes)
        throw std::runtime_error("advice: the data is larger than " + std::to_string(MaxJsonBytes) + " bytes");
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        throw std::runtime_error("advice: the data is not a JSON object: " + error.errorString().toStdString());
    AdviceBook book;
    for (size_t k = 0; k < SectionNames.size(); ++k) {
        const std::string section = SectionNames[k];
        const QJsonValue v = doc.object().value(QLatin1String(SectionNames[k]));
        if (!v.isUndefined() && !v.isArray())
            throw std::runtime_error("advice: \"" + section + "\" is not a list");
        const QJsonArray list = v.toArray();
        if (list.size() > MaxEntriesPerKind)
            throw std::runtime_error("advice: \"" + section + "\" has too many entries");
        auto& entries = book.m_entries[k];
        entries.reserve(static_cast<size_t>(list.size()));
        for (qsizetype i = 0; i < list.size(); ++i) {
            Advice a = entry(list.at(i), section, i);
            for (const auto& seen : entries) {
                if (seen.code == a.code)
                    throw std::runtime_error("advice: " + section + " " + a.code + " is there twice");
            }
            entries.push_back(std::move(a));
        }
    }
    return book;
}

const AdviceBook& AdviceBook::builtIn()
{
    static const AdviceBook book = [] {
        initAdviceResources();
        QFile f(QStringLiteral(":/knowledge/advice.json"));
        AdviceBook loaded;
        if (!f.open(QIODevice::ReadOnly)) {
            loaded.m_error = "advice: the built-in advice is missing from this build";
            return loaded;
        }
        try {
            return fromJson(f.read(MaxJsonBytes + 1));
        } catch (const std::exception& e) {
            loaded.m_error = e.what();
            return loaded;
        }
    }();
    return book;
}

const Advice* AdviceBook::find(AdviceKind kind, std::string_view code) const
{
    for (const auto& a : entries(kind)) {
        if (a.code == code)
            return &a;
    }
    return nullptr;
}

const std::vector<Advice>& AdviceBook::entries(AdviceKind kind) const
{
    return m_entries.at(slot(kind));
}

const Advice* adviceFor(AdviceKind kind, std::string_view code)
{
    return AdviceBook::builtIn().find(kind, code);
}

std::string issueAdviceText(std::string_view code)
{
    if (const auto* a = adviceFor(AdviceKind::Issue, code))
        return a->meaning + " What to do: " + a->whatToDo;
    if (const auto* e = KnowledgeBase::builtIn().byCode(std::string(code)))
        return e->description + " What to do: " + e->mitigation;
    return {};
}

} // namespace iotc
