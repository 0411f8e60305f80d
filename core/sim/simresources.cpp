#include "simresources.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

namespace iotc::sim {

namespace {

const qint64 PropertyTime = 1764000000000; // a fixed, recent lastUpdateTime keeps output stable

bool isAck(const QJsonValue& v)
{
    const auto o = v.toObject();
    return v.isObject() && o.contains(QStringLiteral("value"))
        && (o.contains(QStringLiteral("ac")) || o.contains(QStringLiteral("av")));
}

bool isComponentSection(const QJsonValue& v)
{
    return v.isObject() && v.toObject().value(QStringLiteral("__t")) == QLatin1String("c");
}

QJsonObject level(const QJsonObject& reported, const QJsonObject& desired)
{
    QJsonObject out, meta;
    for (auto it = reported.begin(); it != reported.end(); ++it) {
        if (it.key() == QLatin1String("__t") || isComponentSection(it.value()))
            continue;
        QJsonObject m { { QStringLiteral("lastUpdateTime"), isoTime(PropertyTime) } };
        if (isAck(it.value())) {
            const auto ack = it.value().toObject();
            out.insert(it.key(), ack.value(QStringLiteral("value")));
            if (ack.contains(QStringLiteral("ac")))
                m.insert(QStringLiteral("ackCode"), ack.value(QStringLiteral("ac")));
            if (ack.contains(QStringLiteral("av")))
                m.insert(QStringLiteral("ackVersion"), ack.value(QStringLiteral("av")));
            if (ack.contains(QStringLiteral("ad")))
                m.insert(QStringLiteral("ackDescription"), ack.value(QStringLiteral("ad")));
        } else {
            out.insert(it.key(), it.value());
        }
        meta.insert(it.key(), m);
    }
    for (auto it = desired.begin(); it != desired.end(); ++it) {
        const auto d = it.value().toObject();
        if (!d.contains(QStringLiteral("version")))
            continue; // a component section, handled by the caller
        QJsonObject m = meta.value(it.key()).toObject();
        m.insert(QStringLiteral("desiredValue"), d.value(QStringLiteral("value")));
        m.insert(QStringLiteral("desiredVersion"), d.value(QStringLiteral("version")));
        if (!m.contains(QStringLiteral("lastUpdateTime")))
            m.insert(QStringLiteral("lastUpdateTime"), isoTime(PropertyTime));
        meta.insert(it.key(), m);
    }
    if (!meta.isEmpty())
        out.insert(QStringLiteral("$metadata"), meta);
    return out;
}

QString etagFor(const SimDevice& d)
{
    const QByteArray state = d.id.toUtf8() + (d.enabled ? "1" : "0") + d.displayName.toUtf8() + d.templateId.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(state, QCryptographicHash::Md5)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject deviceJson(const SimDevice& d)
{
    QJsonObject o {
        { QStringLiteral("id"), d.id },
        { QStringLiteral("etag"), etagFor(d) },
        { QStringLiteral("displayName"), d.displayName },
        { QStringLiteral("simulated"), d.simulated },
        { QStringLiteral("provisioned"), d.provisioned },
        { QStringLiteral("enabled"), d.enabled },
    };
    if (!d.templateId.isEmpty())
        o.insert(QStringLiteral("template"), d.templateId);
    return o;
}

QJsonObject credentialsJson(const SimDevice& d, const QString& idScope)
{
    return { { QStringLiteral("idScope"), idScope },
        { QStringLiteral("symmetricKey"),
            QJsonObject { { QStringLiteral("primaryKey"), QString::fromLatin1(d.primaryKey) },
                { QStringLiteral("secondaryKey"), QString::fromLatin1(d.secondaryKey) } } } };
}

QJsonObject attestationJson(const SimDevice& d)
{
    return { { QStringLiteral("type"), QStringLiteral("symmetricKey") },
        { QStringLiteral("symmetricKey"),
            QJsonObject { { QStringLiteral("primaryKey"), QString::fromLatin1(d.primaryKey) },
                { QStringLiteral("secondaryKey"), QString::fromLatin1(d.secondaryKey) } } } };
}

QJsonObject propertiesJson(const SimDevice& d, const QString& component)
{
    QJsonObject out = level(d.reported, d.desired);
    // The application's cloud property values come at the root, beside the device's, each with its
    // lastUpdateTime (GET /devices/{id}/properties of a template with cloud properties).
    if (!d.cloud.isEmpty()) {
        QJsonObject meta = out.value(QStringLiteral("$metadata")).toObject();
        for (auto it = d.cloud.begin(); it != d.cloud.end(); ++it) {
            out.insert(it.key(), it.value());
            meta.insert(it.key(), QJsonObject { { QStringLiteral("lastUpdateTime"), isoTime(PropertyTime) } });
        }
        out.insert(QStringLiteral("$metadata"), meta);
    }
    QStringList components;
    for (auto it = d.reported.begin(); it != d.reported.end(); ++it) {
        if (isComponentSection(it.value()))
            components << it.key();
    }
    for (auto it = d.desired.begin(); it != d.desired.end(); ++it) {
        if (!it.value().toObject().contains(QStringLiteral("version")) && !components.contains(it.key()))
            components << it.key();
    }
    for (const auto& c : components) {
        const auto section = level(d.reported.value(c).toObject(), d.desired.value(c).toObject());
        if (!component.isEmpty() && c == component)
            return section;
        out.insert(c, section);
    }
    return component.isEmpty() ? out : QJsonObject {};
}

QJsonObject componentsJson(const QJsonObject& capabilityModel)
{
    QJsonArray list;
    for (const auto& v : capabilityModel.value(QStringLiteral("contents")).toArray()) {
        const auto c = v.toObject();
        const auto type = c.value(QStringLiteral("@type"));
        if (type == QLatin1String("Component") || type.toArray().contains(QStringLiteral("Component"))) {
            QJsonObject item { { QStringLiteral("@type"), QJsonArray { QStringLiteral("Component") } },
                { QStringLiteral("name"), c.value(QStringLiteral("name")) } };
            item.insert(QStringLiteral("@id"),
                c.value(QStringLiteral("@id"))
                    .toString(capabilityModel.value(QStringLiteral("@id")).toString() + QLatin1Char(':')
                        + c.value(QStringLiteral("name")).toString()));
            if (c.contains(QStringLiteral("displayName")))
                item.insert(QStringLiteral("displayName"), c.value(QStringLiteral("displayName")));
            list.append(item);
        }
    }
    return { { QStringLiteral("value"), list } };
}

QJsonObject modulesJson(const QJsonObject& capabilityModel)
{
    QJsonArray list;
    for (const auto& v : capabilityModel.value(QStringLiteral("contents")).toArray()) {
        const auto c = v.toObject();
        bool module = false;
        for (const auto& t : c.value(QStringLiteral("@type")).toArray())
            module = module || t.toString().contains(QStringLiteral("EdgeModule"));
        if (module) {
            const QString id = capabilityModel.value(QStringLiteral("@id")).toString() + QLatin1Char(':')
                + c.value(QStringLiteral("name")).toString();
            list.append(QJsonObject { { QStringLiteral("@id"), id },
                { QStringLiteral("@type"),
                    QJsonArray { QStringLiteral("Relationship"), QStringLiteral("SemanticType/EdgeModule") } },
                { QStringLiteral("name"), c.value(QStringLiteral("name")) } });
        }
    }
    return { { QStringLiteral("value"), list } };
}

} // namespace iotc::sim
