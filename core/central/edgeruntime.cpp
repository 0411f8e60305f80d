#include "edgeruntime.h"

#include "validate/edgeruntimerule.h"

#include <QJsonArray>
#include <QStringList>

namespace iotc {

namespace {

// "mcr.microsoft.com/azureiotedge-agent:1.2.0" -> "1.2.0"; no tag -> "".
QString tagOf(const QString& image)
{
    const int slash = image.lastIndexOf(QLatin1Char('/'));
    const int colon = image.indexOf(QLatin1Char(':'), slash + 1);
    if (colon < 0)
        return {};
    QString tag = image.mid(colon + 1);
    const int at = tag.indexOf(QLatin1Char('@'));
    return at >= 0 ? tag.left(at) : tag;
}

} // namespace

std::optional<std::string> EdgeRuntime::comparableVersion() const
{
    if (verdict == Verdict::Unknown)
        return std::nullopt;
    return version.toStdString();
}

std::optional<EdgeRuntime> edgeRuntimeFromModules(const QJsonObject& response)
{
    // The az CLI's endpoint answers {"modules": [...]}; accept a {"value": [...]} list as well.
    QJsonArray modules = response.value(QStringLiteral("modules")).toArray();
    if (modules.isEmpty())
        modules = response.value(QStringLiteral("value")).toArray();
    EdgeRuntime r;
    for (const auto& m : modules) {
        const QJsonObject o = m.toObject();
        const QString id = o.value(QStringLiteral("moduleId")).toString();
        const QString image = o.value(QStringLiteral("settings")).toObject().value(QStringLiteral("image")).toString();
        if (id == QLatin1String("$edgeAgent"))
            r.agentImage = image;
        else if (id == QLatin1String("$edgeHub"))
            r.hubImage = image;
    }
    if (r.agentImage.isEmpty() && r.hubImage.isEmpty())
        return std::nullopt;
    // The lower of the two decides: edgeHub routes module messages, edgeAgent deploys it.
    int worst = 2;
    for (const QString& image : { r.agentImage, r.hubImage }) {
        if (image.isEmpty())
            continue;
        const QString tag = tagOf(image);
        const int j = judgeEdgeRuntimeTag(tag.toStdString());
        if (j < worst || (j == worst && r.version.isEmpty())) {
            worst = j;
            r.version = tag;
        }
    }
    const QString minimum = QString::fromUtf8(MinimumEdgeRuntime.data(), qsizetype(MinimumEdgeRuntime.size()));
    if (worst < 0) {
        r.verdict = EdgeRuntime::Verdict::Older;
        r.explanation = QStringLiteral("IoT Edge runtime %1 is older than %2: module component telemetry arrives in "
                                       "IoT Central as _unmodeleddata.")
                            .arg(r.version, minimum);
    } else if (worst > 0) {
        r.verdict = EdgeRuntime::Verdict::Supported;
        r.explanation = QStringLiteral("IoT Edge runtime %1 (%2 or later is needed for modeled module components).")
                            .arg(r.version, minimum);
    } else {
        r.explanation = QStringLiteral("IoT Edge runtime image tag \"%1\" does not say whether it is %2 or later "
                                       "(a rolling or custom tag); check `iotedge version` on the device.")
                            .arg(r.version.isEmpty() ? QStringLiteral("(none)") : r.version, minimum);
    }
    return r;
}

} // namespace iotc
