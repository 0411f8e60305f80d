#include "deviceidsuggest.h"

#include "centralclient.h"
#include "validate/suggest.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace iotc {

QStringList similarDeviceIds(const QString& id, const QStringList& known, int max)
{
    const std::string wanted = id.toStdString();
    const size_t limit = suggestionDistance(wanted);
    std::vector<std::pair<size_t, QString>> near;
    for (const QString& k : known) {
        if (k == id)
            continue;
        const std::string candidate = k.toStdString();
        const size_t d = editDistance(wanted, candidate, std::max<size_t>(limit, 1));
        const bool caseOnly = d == 0; // editDistance ignores ASCII case
        if (caseOnly || d <= limit)
            near.emplace_back(d, k);
    }
    std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QStringList out;
    for (const auto& [d, k] : near) {
        if (out.size() >= max)
            break;
        if (!out.contains(k))
            out << k;
    }
    return out;
}

QStringList similarDeviceIdsInApp(CentralClient& client, const QString& id, int maxPages)
{
    auto known = std::make_shared<QStringList>();
    auto guard = std::make_shared<std::mutex>();
    auto listing = client.listDevices(
        [known, guard](const QList<Device>& page) {
            std::lock_guard lock(*guard);
            for (const auto& d : page)
                known->append(d.id);
            return true;
        },
        maxPages);
    listing.waitForFinished();
    std::lock_guard lock(*guard);
    return similarDeviceIds(id, *known);
}

namespace {

QString unknownText(QString text, const QStringList& similar)
{
    if (similar.isEmpty())
        return text;
    QString names;
    for (qsizetype i = 0; i < similar.size(); ++i) {
        if (i > 0)
            names += i + 1 == similar.size() ? QStringLiteral(" or ") : QStringLiteral(", ");
        names += similar[i];
    }
    return text + QStringLiteral("; did you mean ") + names + QLatin1Char('?');
}

} // namespace

QString unknownDeviceText(const QString& id, const QStringList& similar)
{
    return unknownText(QStringLiteral("no device %1 in this application").arg(id), similar);
}

QStringList similarTemplateIdsInApp(CentralClient& client, const QString& id)
{
    auto listing = client.getJson(QStringLiteral("/deviceTemplates"), QStringLiteral("List device templates"));
    listing.waitForFinished();
    const auto r = listing.result();
    if (!r.ok())
        return {};
    QStringList known;
    for (const auto& t : r.value->value(QStringLiteral("value")).toArray())
        known << t.toObject().value(QStringLiteral("@id")).toString();
    known.removeAll(QString());
    return similarDeviceIds(id, known);
}

QString unknownTemplateText(const QString& id, const QStringList& similar)
{
    return unknownText(QStringLiteral("no device template %1 in this application").arg(id), similar);
}

} // namespace iotc
