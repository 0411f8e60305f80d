#include "scenariocatalog.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QStringConverter>

#include <cmath>
#include <stdexcept>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initSimResources()
{
    Q_INIT_RESOURCE(sim);
}

namespace iotc::sim {

namespace {

SimMessage messageFrom(const QJsonObject& o)
{
    SimMessage m;
    m.component = o.value(QStringLiteral("component")).toString();
    m.module = o.value(QStringLiteral("module")).toString();
    if (o.contains(QStringLiteral("contentType")))
        m.contentType = o.value(QStringLiteral("contentType")).toString();
    if (o.contains(QStringLiteral("contentEncoding")))
        m.contentEncoding = o.value(QStringLiteral("contentEncoding")).toString();
    m.body = o.value(QStringLiteral("body")).toString();
    m.bodyEncoding = o.value(QStringLiteral("bodyEncoding")).toString(QStringLiteral("utf-8"));
    m.source = o.value(QStringLiteral("source")).toString(QStringLiteral("Telemetry"));
    return m;
}

SimDevice deviceFrom(const QJsonObject& o)
{
    SimDevice d;
    d.id = o.value(QStringLiteral("id")).toString();
    d.displayName = o.value(QStringLiteral("displayName")).toString(d.id);
    d.templateId = o.value(QStringLiteral("template")).toString();
    d.modelId = o.value(QStringLiteral("modelId")).toString();
    d.scenario = o.value(QStringLiteral("scenario")).toString();
    d.description = o.value(QStringLiteral("description")).toString();
    d.enabled = o.value(QStringLiteral("enabled")).toBool(true);
    d.provisioned = o.value(QStringLiteral("provisioned")).toBool(true);
    d.simulated = o.value(QStringLiteral("simulated")).toBool(false);
    for (const auto& m : o.value(QStringLiteral("messages")).toArray())
        d.messages.push_back(messageFrom(m.toObject()));
    d.reported = o.value(QStringLiteral("reported")).toObject();
    d.desired = o.value(QStringLiteral("desired")).toObject();
    d.cloud = o.value(QStringLiteral("cloud")).toObject();
    d.dps = o.value(QStringLiteral("dps")).toString(QStringLiteral("assigned"));
    for (const auto& l : o.value(QStringLiteral("log")).toArray())
        d.log.push_back(l.toString());
    d.edgeRuntimeVersion = o.value(QStringLiteral("edgeRuntimeVersion")).toString();
    d.silentAfterSeconds = o.value(QStringLiteral("silentAfterSeconds")).toInt(-1);
    if (const auto h = o.value(QStringLiteral("history")).toObject(); !h.isEmpty()) {
        d.history.count = h.value(QStringLiteral("count")).toInt(0);
        d.history.intervalSeconds = h.value(QStringLiteral("intervalSeconds")).toDouble(1);
        d.history.endedSecondsAgo = h.value(QStringLiteral("endedSecondsAgo")).toDouble(0);
        if (d.history.count < 0 || d.history.count > SimHistory::MaxHistory || !(d.history.intervalSeconds > 0)
            || !(d.history.endedSecondsAgo >= 0) || d.history.endedSecondsAgo > 7 * 24 * 3600.0
            || d.history.intervalSeconds > 24 * 3600.0)
            throw std::runtime_error("scenario device " + d.id.toStdString()
                + ": history needs a count of 0 to 100000, an intervalSeconds above 0 (at most a day) and an "
                  "endedSecondsAgo of 0 to a week");
    }
    d.primaryKey = deviceKey(d.id, "primary");
    d.secondaryKey = deviceKey(d.id, "secondary");
    return d;
}

QString number(double v)
{
    return QString::number(v, 'f', 2);
}

} // namespace

ScenarioCatalog ScenarioCatalog::fromJson(const QByteArray& json)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(json, &error);
    if (doc.isNull())
        throw std::runtime_error("scenario catalogue is not JSON: " + error.errorString().toStdString() + " at offset "
            + std::to_string(error.offset));
    const auto root = doc.object();
    ScenarioCatalog c;
    const auto app = root.value(QStringLiteral("app")).toObject();
    c.appName = app.value(QStringLiteral("name")).toString(QStringLiteral("Simulated app"));
    c.subdomain = app.value(QStringLiteral("subdomain")).toString(QStringLiteral("simulated"));
    c.idScope = app.value(QStringLiteral("idScope")).toString(QStringLiteral("0ne00SIM001"));
    for (const auto& h : app.value(QStringLiteral("hubs")).toArray()) {
        const auto o = h.toObject();
        SimHub hub { o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("entityPath")).toString(),
            o.value(QStringLiteral("partitions")).toInt(4) };
        if (hub.name.isEmpty() || hub.entityPath.isEmpty() || hub.partitions < 1 || hub.partitions > 32)
            throw std::runtime_error("scenario catalogue: each hub needs a name, an entityPath and 1-32 partitions");
        c.hubs.push_back(hub);
    }
    if (c.hubs.empty())
        c.hubs.push_back({ QStringLiteral("iotc-sim"), QStringLiteral("iothub-ehub-iotc-sim"), 4 });
    for (const auto& t : root.value(QStringLiteral("templates")).toArray())
        c.templates.push_back(t.toObject());
    for (const auto& d : root.value(QStringLiteral("devices")).toArray()) {
        auto device = deviceFrom(d.toObject());
        if (device.id.isEmpty())
            throw std::runtime_error("scenario catalogue: a device has no id");
        c.devices.push_back(std::move(device));
    }
    const auto extra = root.value(QStringLiteral("extraDevices")).toObject();
    c.extraIdPrefix = extra.value(QStringLiteral("idPrefix")).toString(QStringLiteral("sim-device-"));
    QJsonObject recipe = extra;
    recipe.insert(QStringLiteral("id"), c.extraIdPrefix);
    c.extraDevice = deviceFrom(recipe);
    c.extraDevice.displayName
        = extra.value(QStringLiteral("displayName")).toString(QStringLiteral("Simulated device {n}"));
    c.extraDevice.scenario = QStringLiteral("healthy");
    c.extraDevice.simulated = true;
    c.extraDevice.modelId = c.extraDevice.templateId;
    const QJsonValue network = root.value(QStringLiteral("network"));
    if (!network.isUndefined() && !network.isObject())
        throw std::runtime_error("scenario catalogue: network must be an object ({\"mqtt\": \"refuse\", ...})");
    c.network = ScenarioNetwork::fromJson(network.toObject());
    return c;
}

ScenarioCatalog ScenarioCatalog::builtIn()
{
    initSimResources();
    QFile f(QStringLiteral(":/sim/scenarios.json"));
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("the built-in scenario catalogue is missing from this build");
    return fromJson(f.readAll());
}

ScenarioCatalog ScenarioCatalog::fromFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot open the scenario file " + path.toStdString());
    return fromJson(f.readAll());
}

QByteArray deviceKey(const QString& deviceId, const char* which)
{
    // Stable per device, so tests and screenshots are repeatable; 32 bytes like real keys.
    return QCryptographicHash::hash(QByteArray(deviceId.toUtf8() + which), QCryptographicHash::Sha256).toBase64();
}

QByteArray renderBody(const SimMessage& message, const QString& deviceId, quint64 counter)
{
    // Plausible, slowly varying readings; deterministic for a device and counter.
    const double phase = static_cast<double>(counter) / 10.0 + static_cast<double>(qHash(deviceId) % 100);
    QString text = message.body;
    text.replace(QStringLiteral("{t1}"), number(21.0 + 2.0 * std::sin(phase)));
    text.replace(QStringLiteral("{t2}"), number(19.0 + 1.5 * std::cos(phase)));
    text.replace(QStringLiteral("{ws}"), number(18000.0 + 250.0 * std::sin(phase / 3.0)));
    text.replace(QStringLiteral("{id}"), deviceId);
    if (message.bodyEncoding == QLatin1String("latin1"))
        return text.toLatin1();
    if (message.bodyEncoding == QLatin1String("utf-16le-bom")) {
        QByteArray out("\xFF\xFE", 2);
        for (const QChar c : text) {
            out.append(static_cast<char>(c.unicode() & 0xFF));
            out.append(static_cast<char>(c.unicode() >> 8));
        }
        return out;
    }
    return text.toUtf8();
}

} // namespace iotc::sim
