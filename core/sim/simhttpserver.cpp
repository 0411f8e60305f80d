#include "simhttpserver.h"

#include "simresources.h"
#include "simstate.h"
#include "util/sas.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QThread>
#include <QUrlQuery>
#include <QUuid>

namespace iotc::sim {

namespace {

bool isComponentName(const QJsonObject& capabilityModel, const QString& name)
{
    for (const auto& v : componentsJson(capabilityModel).value(QStringLiteral("value")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return true;
    return false;
}

constexpr auto ApiVersion = "2022-07-31";

QString rfc1123Now()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
}

QString utcNow()
{
    return isoTime(QDateTime::currentMSecsSinceEpoch());
}

QByteArray bearerAuthority(const QString& appId)
{
    return QByteArray("{\"aud\":\"https://apps.azureiotcentral.com\",\"app\":\"") + appId.toUtf8() + "\"}";
}

} // namespace

SimHttpServer::SimHttpServer(std::shared_ptr<SimState> state, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_state(std::move(state))
{
    // An API token as IoT Central issues them (se in milliseconds), and a JWT-shaped bearer token.
    const qint64 expiryMs = QDateTime::currentMSecsSinceEpoch() + 365LL * 24 * 3600 * 1000;
    const QByteArray sig
        = QCryptographicHash::hash(QByteArray(m_state->appId().toUtf8() + "sim-api-token"), QCryptographicHash::Sha256)
              .toBase64();
    m_apiToken = QStringLiteral("SharedAccessSignature sr=") + m_state->appId() + QStringLiteral("&sig=")
        + sasUrlEncode(QString::fromLatin1(sig)) + QStringLiteral("&skn=sim-operator&se=") + QString::number(expiryMs);
    auto b64 = [](const QByteArray& b) {
        return QString::fromLatin1(b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    m_bearerToken = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + QLatin1Char('.')
        + b64(bearerAuthority(m_state->appId())) + QLatin1Char('.') + b64(sig.left(16));
}

SimHttpServer::Reply SimHttpServer::json(const QJsonObject& body, int status)
{
    Reply r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

SimHttpServer::Reply SimHttpServer::error(int status, const QString& code, const QString& message)
{
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString time = rfc1123Now();
    Reply r = json({ { QStringLiteral("error"),
                       QJsonObject { { QStringLiteral("code"), code },
                           { QStringLiteral("message"),
                               QString(message + QStringLiteral(" Request ID: ") + requestId
                                   + QStringLiteral(", Time: ") + time + QLatin1Char('.')) },
                           { QStringLiteral("requestId"), requestId }, { QStringLiteral("time"), time } } } },
        status);
    r.headers.append({ "x-ms-error-code", code.toUtf8() });
    return r;
}

SimHttpServer::Reply SimHttpServer::dpsError(int status, int errorCode, const QString& message)
{
    Reply r = json({ { QStringLiteral("errorCode"), errorCode },
                       { QStringLiteral("trackingId"), QUuid::createUuid().toString(QUuid::WithoutBraces) },
                       { QStringLiteral("message"), message }, { QStringLiteral("timestampUtc"), utcNow() } },
        status);
    r.headers.append({ "x-ms-error-code", QByteArray::number(errorCode) });
    return r;
}

bool SimHttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // A slow server is simulated by holding this (the simulator's own HTTP) thread: the answer
    // leaves late on the same socket, and nothing can outlive a client that gave up.
    if (const int delay = m_faults.delayMs.load(); delay > 0)
        QThread::msleep(static_cast<unsigned long>(delay));
    const Reply reply = route(request);
    auto responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
    if (!reply.body.isEmpty())
        responder.writeHeader("Content-Type", "application/json; charset=utf-8");
    // Every Azure answer has a Date (IMF-fixdate); netcheck compares a device's clock with it.
    const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(m_faults.clockOffsetSeconds.load());
    responder.writeHeader(
        "Date", QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1());
    for (const auto& h : reply.headers)
        responder.writeHeader(h.first, h.second);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
    responder.writeBody(reply.body);
    return true;
}

void SimHttpServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}

std::optional<SimHttpServer::Reply> SimHttpServer::authorize(const QHttpServerRequest& request)
{
    const QString auth = QString::fromUtf8(request.value("Authorization"));
    if (auth.isEmpty())
        return error(401, QStringLiteral("Unauthorized"), QStringLiteral("The request has no Authorization header."));
    if (auth == m_apiToken || auth == QStringLiteral("Bearer ") + m_bearerToken)
        return std::nullopt;
    if (auth.startsWith(QStringLiteral("SharedAccessSignature "))) {
        const auto sr = QUrlQuery(auth.mid(22)).queryItemValue(QStringLiteral("sr"));
        const auto se = QUrlQuery(auth.mid(22)).queryItemValue(QStringLiteral("se")).toLongLong();
        if (!sr.isEmpty() && sr != m_state->appId())
            return error(403, QStringLiteral("403.043.004.001"),
                QStringLiteral("The API token belongs to another application; it has no access to this one."));
        if (se > 0 && se < QDateTime::currentMSecsSinceEpoch())
            return error(401, QStringLiteral("Unauthorized"), QStringLiteral("The API token has expired."));
        return error(
            401, QStringLiteral("Unauthorized"), QStringLiteral("The API token is not valid for this application."));
    }
    if (auth.startsWith(QStringLiteral("Bearer ")))
        return error(403, QStringLiteral("403.043.004.002"),
            QStringLiteral("The user is not a member of this application, or the token is for another tenant."));
    return error(401, QStringLiteral("Unauthorized"), QStringLiteral("The Authorization header is not understood."));
}

SimHttpServer::Reply SimHttpServer::route(const QHttpServerRequest& request)
{
    ++m_requestCounter;
    const QStringList path = request.url().path(QUrl::FullyDecoded).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (path.isEmpty())
        return error(404, QStringLiteral("NotFound"), QStringLiteral("Nothing here."));
    if (path.size() >= 2 && path[1] == QLatin1String("registrations"))
        return dps(request, path);
    if (int n = m_faults.throttleNext.load();
        n > 0 && m_faults.throttleNext.compare_exchange_strong(n, n - 1, std::memory_order_relaxed)) {
        Reply r = error(429, QStringLiteral("TooManyRequests"),
            QStringLiteral("The request count exceeded the application's threshold. Retry later."));
        r.headers.append({ "Retry-After", QByteArray::number(m_faults.retryAfterSeconds.load()) });
        return r;
    }
    if (int n = m_faults.failNext.load();
        n > 0 && m_faults.failNext.compare_exchange_strong(n, n - 1, std::memory_order_relaxed))
        return error(
            500, QStringLiteral("InternalServerError"), QStringLiteral("An internal error occurred (simulated)."));
    if (int n = m_faults.malformedNext.load();
        n > 0 && m_faults.malformedNext.compare_exchange_strong(n, n - 1, std::memory_order_relaxed)) {
        Reply r;
        r.body = "{\"value\": [{\"id\": \"broken";
        return r;
    }
    if (auto denied = authorize(request))
        return *denied;
    if (path[0] == QLatin1String("system") && path.size() == 3 && path[1] == QLatin1String("iothubs")
        && path[2] == QLatin1String("generateEventSasTokens")) {
        if (request.method() != QHttpServerRequest::Method::Post)
            return error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("Use POST."));
        return eventSasTokens();
    }
    if (path[0] == QLatin1String("system") && path.size() == 5 && path[1] == QLatin1String("iotedge")
        && path[2] == QLatin1String("devices") && path[4] == QLatin1String("modules"))
        return edgeModules(path[3]);
    if (path[0] == QLatin1String("api"))
        return api(request, path.mid(1));
    return error(404, QStringLiteral("NotFound"), QStringLiteral("No such resource."));
}

SimHttpServer::Reply SimHttpServer::edgeModules(const QString& deviceId)
{
    // The shape of the az CLI's endpoint (fixtures/azcli/edge_modules.json), trimmed to what matters.
    const auto device = m_state->device(deviceId);
    if (!device)
        return error(404, QStringLiteral("NotFound"),
            QString(QStringLiteral("Device ") + deviceId + QStringLiteral(" not found.")));
    QJsonArray modules;
    if (!device->edgeRuntimeVersion.isEmpty()) {
        auto system = [&](const QString& id, const QString& image) {
            return QJsonObject { { QStringLiteral("deviceId"), deviceId }, { QStringLiteral("moduleId"), id },
                { QStringLiteral("isSystemModule"), true },
                { QStringLiteral("runtimeStatus"), QStringLiteral("running") },
                { QStringLiteral("settings"),
                    QJsonObject { { QStringLiteral("image"),
                        QString(QStringLiteral("mcr.microsoft.com/") + image + QLatin1Char(':')
                            + device->edgeRuntimeVersion) } } },
                { QStringLiteral("type"), QStringLiteral("docker") } };
        };
        modules.append(system(QStringLiteral("$edgeAgent"), QStringLiteral("azureiotedge-agent")));
        modules.append(system(QStringLiteral("$edgeHub"), QStringLiteral("azureiotedge-hub")));
        QStringList custom;
        for (const auto& m : device->messages)
            if (!m.module.isEmpty() && !custom.contains(m.module))
                custom << m.module;
        for (const auto& id : custom)
            modules.append(QJsonObject { { QStringLiteral("deviceId"), deviceId }, { QStringLiteral("moduleId"), id },
                { QStringLiteral("isSystemModule"), false },
                { QStringLiteral("runtimeStatus"), QStringLiteral("running") },
                { QStringLiteral("type"), QStringLiteral("docker") } });
    }
    return json({ { QStringLiteral("modules"), modules } });
}

SimHttpServer::Reply SimHttpServer::eventSasTokens()
{
    QJsonObject out;
    const qint64 expiry = secondsFromNow(std::chrono::seconds(m_eventHub.tokenLifetimeSeconds));
    int n = 0;
    for (const auto& hub : m_state->catalog().hubs) {
        const QString host = m_eventHub.host + QLatin1Char(':') + QString::number(m_eventHub.port);
        const QString token = makeSasToken(QStringLiteral("sb://") + host + QLatin1Char('/') + hub.entityPath,
            m_eventHub.hubKey, SasKeyKind::RawText, expiry, m_eventHub.keyName);
        out.insert(QStringLiteral("hub-%1").arg(n++),
            QJsonObject {
                { QStringLiteral("eventhubSasToken"),
                    QJsonObject { { QStringLiteral("sasToken"), token },
                        { QStringLiteral("entityPath"), hub.entityPath },
                        { QStringLiteral("hostname"),
                            QString(m_eventHub.scheme + QStringLiteral("://") + host + QLatin1Char('/')) } } },
                { QStringLiteral("expiry"), expiry } });
    }
    return json(out);
}

SimHttpServer::Reply SimHttpServer::api(const QHttpServerRequest& request, const QStringList& path)
{
    const QUrlQuery query = request.query();
    const QString version = query.queryItemValue(QStringLiteral("api-version"));
    if (version.isEmpty())
        return error(400, QStringLiteral("MissingApiVersionParameter"),
            QStringLiteral("The api-version query parameter is required."));
    if (version != QLatin1String(ApiVersion) && version != QLatin1String("2022-10-31-preview")
        && version != QLatin1String("2022-06-30-preview"))
        return error(400, QStringLiteral("InvalidApiVersionParameter"),
            QStringLiteral("The api-version '") + version + QStringLiteral("' is not supported."));
    const auto method = request.method();
    const bool get = method == QHttpServerRequest::Method::Get;

    if (path.value(0) == QLatin1String("deviceTemplates")) {
        if (path.size() == 1 && get) {
            QJsonArray list;
            for (const auto& t : m_state->catalog().templates)
                list.append(t);
            return json({ { QStringLiteral("value"), list } });
        }
        if (path.size() == 2 && get) {
            if (auto t = m_state->deviceTemplate(path[1]))
                return json(*t);
            return error(404, QStringLiteral("NotFound"),
                QStringLiteral("Device template ") + path[1] + QStringLiteral(" not found."));
        }
        return error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("Not supported by the simulated app."));
    }
    if (path.value(0) != QLatin1String("devices"))
        return error(404, QStringLiteral("NotFound"), QStringLiteral("No such resource."));

    if (path.size() == 1 && get) {
        size_t skip = 0;
        QString token;
        for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == QLatin1String("$skiptoken"))
                token = value; // sent as %24skiptoken, byte-exact from nextLink
        }
        if (!token.isEmpty()) {
            const auto decoded
                = QJsonDocument::fromJson(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding));
            skip = static_cast<size_t>(decoded.object().value(QStringLiteral("skip")).toInteger(-1));
            if (decoded.isNull() || skip > m_state->deviceCount())
                return error(400, QStringLiteral("InvalidSkipToken"), QStringLiteral("The $skiptoken is not valid."));
        }
        const size_t top = static_cast<size_t>(std::max(1, m_pageSize));
        QJsonArray list;
        for (const auto& d : m_state->devices(skip, top))
            list.append(deviceJson(d));
        QJsonObject out { { QStringLiteral("value"), list } };
        if (skip + top < m_state->deviceCount()) {
            const QByteArray next
                = QJsonDocument(QJsonObject { { QStringLiteral("skip"), static_cast<qint64>(skip + top) } })
                      .toJson(QJsonDocument::Compact)
                      .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
            out.insert(QStringLiteral("nextLink"),
                QString(m_baseUrl + QStringLiteral("/api/devices?api-version=") + version
                    + QStringLiteral("&%24skiptoken=") + QString::fromLatin1(next)));
        }
        return json(out);
    }

    const QString id = path.value(1);
    auto device = m_state->device(id);
    if (!device)
        return error(404, QStringLiteral("NotFound"), QStringLiteral("Device ") + id + QStringLiteral(" not found."));
    const QJsonObject tpl = m_state->deviceTemplate(device->templateId).value_or(QJsonObject {});
    const QJsonObject model = tpl.value(QStringLiteral("capabilityModel")).toObject();

    if (path.size() == 2) {
        if (get)
            return json(deviceJson(*device));
        if (method == QHttpServerRequest::Method::Patch || method == QHttpServerRequest::Method::Put) {
            const auto body = QJsonDocument::fromJson(request.body());
            if (!body.isObject())
                return error(
                    400, QStringLiteral("InvalidRequestBody"), QStringLiteral("The body is not a JSON object."));
            return json(deviceJson(*m_state->patchDevice(id, body.object())));
        }
        return error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("Not supported by the simulated app."));
    }
    const QString what = path.value(2);
    const bool patch = method == QHttpServerRequest::Method::Patch;
    // PATCH .../properties and .../components/{c}/properties: writable property values.
    const bool rootProperties = path.size() == 3 && what == QLatin1String("properties");
    const bool componentProperties
        = path.size() == 5 && what == QLatin1String("components") && path[4] == QLatin1String("properties");
    if (patch && (rootProperties || componentProperties)) {
        const auto body = QJsonDocument::fromJson(request.body());
        if (!body.isObject())
            return error(400, QStringLiteral("InvalidRequestBody"), QStringLiteral("The body is not a JSON object."));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QString component = componentProperties ? path[3] : QString();
        QJsonObject root, sections;
        const QJsonObject values = body.object();
        for (auto it = values.begin(); it != values.end(); ++it) {
            // At the root, an object value that names a component holds that component's values.
            if (!componentProperties && it.value().isObject() && isComponentName(model, it.key()))
                sections.insert(it.key(), it.value());
            else
                root.insert(it.key(), it.value());
        }
        if (!root.isEmpty())
            m_state->setDesired(id, component, root, now);
        for (auto it = sections.begin(); it != sections.end(); ++it)
            m_state->setDesired(id, it.key(), it.value().toObject(), now);
        m_state->acknowledgeDue(id, now);
        return json(propertiesJson(*m_state->device(id), component));
    }
    if (!get)
        return error(405, QStringLiteral("MethodNotAllowed"), QStringLiteral("Only GET is simulated here."));
    m_state->acknowledgeDue(id, QDateTime::currentMSecsSinceEpoch());
    if (auto fresh = m_state->device(id))
        device = fresh;
    if (path.size() == 3 && what == QLatin1String("credentials"))
        return json(credentialsJson(*device, m_state->catalog().idScope));
    if (path.size() == 3 && what == QLatin1String("attestation"))
        return json(attestationJson(*device));
    if (path.size() == 3 && what == QLatin1String("components"))
        return json(componentsJson(model));
    if (path.size() == 3 && what == QLatin1String("modules"))
        return json(modulesJson(model));
    if (path.size() == 3 && what == QLatin1String("properties"))
        return json(propertiesJson(*device));
    // .../telemetry/{name}, .../components/{c}/properties|telemetry/{name}, .../modules/{m}/...
    QString module, component;
    QStringList rest = path.mid(2);
    if (rest.value(0) == QLatin1String("modules") && rest.size() >= 3) {
        module = rest[1];
        rest = rest.mid(2);
        if (rest.value(0) == QLatin1String("components") && rest.size() == 1)
            return json(componentsJson(QJsonObject {}));
    }
    if (rest.value(0) == QLatin1String("components") && rest.size() >= 3) {
        component = rest[1];
        rest = rest.mid(2);
    }
    if (rest.size() == 1 && rest[0] == QLatin1String("properties"))
        return json(module.isEmpty() ? propertiesJson(*device, component) : QJsonObject {});
    if (rest.size() == 2 && rest[0] == QLatin1String("telemetry")) {
        if (auto last = m_state->lastTelemetry(id, module, component, rest[1]))
            return json(
                { { QStringLiteral("value"), last->first }, { QStringLiteral("timestamp"), isoTime(last->second) } });
        return error(
            404, QStringLiteral("NotFound"), QStringLiteral("No telemetry value ") + rest[1] + QStringLiteral(" yet."));
    }
    return error(404, QStringLiteral("NotFound"), QStringLiteral("No such resource."));
}

SimHttpServer::Reply SimHttpServer::dps(const QHttpServerRequest& request, const QStringList& path)
{
    // /{idScope}/registrations/{registrationId}[/register | /operations/{operationId}]
    const QString idScope = path[0];
    const QString registrationId = path.value(2);
    if (idScope != m_state->catalog().idScope)
        return dpsError(404, 404001, QStringLiteral("The ID scope was not found."));
    const auto device = m_state->device(registrationId);
    const QString auth = QString::fromUtf8(request.value("Authorization"));
    const bool keyOk = device
        && (verifySasSignature(auth, device->primaryKey, SasKeyKind::Base64Decoded)
            || verifySasSignature(auth, device->secondaryKey, SasKeyKind::Base64Decoded));
    const auto token = parseSasToken(auth);
    const bool audienceOk = token
        && token->resource.compare(idScope + QStringLiteral("/registrations/") + registrationId, Qt::CaseInsensitive)
            == 0;
    const bool fresh = token && token->expiry > QDateTime::currentSecsSinceEpoch();
    if (!device || !keyOk || !audienceOk || !fresh || device->dps == QLatin1String("401002"))
        return dpsError(401, 401002, QStringLiteral("Unauthorized"));
    if (!device->enabled || device->dps == QLatin1String("400209"))
        return dpsError(401, 400209,
            QStringLiteral("Device is blocked from connecting to IoT Central application or is waiting for approval."));
    if (device->dps == QLatin1String("429")) {
        Reply r = dpsError(429, 429001, QStringLiteral("Operations are being throttled for this tenant."));
        r.headers.append({ QByteArray("Retry-After"), QByteArray("3") });
        return r;
    }
    if (device->dps == QLatin1String("500"))
        return dpsError(500, 500000, QStringLiteral("Internal server error."));

    const QString hub = m_deviceHubHost.isEmpty()
        ? m_state->catalog().hubs.front().name + QStringLiteral(".azure-devices.net")
        : m_deviceHubHost;
    const QString now = utcNow();
    QJsonObject state { { QStringLiteral("registrationId"), registrationId },
        { QStringLiteral("createdDateTimeUtc"), now }, { QStringLiteral("assignedHub"), hub },
        { QStringLiteral("deviceId"), registrationId }, { QStringLiteral("status"), QStringLiteral("assigned") },
        { QStringLiteral("substatus"), QStringLiteral("initialAssignment") },
        { QStringLiteral("lastUpdatedDateTimeUtc"), now },
        { QStringLiteral("etag"), QStringLiteral("\"0b00a2f1-0000-0300-0000-5f7c8f3a0000\"") } };
    const QString operationId
        = QStringLiteral("4.") + QString::number(qHash(registrationId), 16) + QStringLiteral(".sim");
    const auto method = request.method();
    if (path.size() == 3 && method == QHttpServerRequest::Method::Post) {
        // Registration status lookup: only a device that has registered has a record.
        if (device->dps == QLatin1String("404") || !device->provisioned)
            return dpsError(404, 404201, QStringLiteral("Registration not found: the device has not registered yet."));
        return json(state);
    }
    if (path.size() == 4 && path[3] == QLatin1String("register") && method == QHttpServerRequest::Method::Put) {
        Reply r = json({ { QStringLiteral("operationId"), operationId },
                           { QStringLiteral("status"), QStringLiteral("assigning") } },
            202);
        r.headers.append({ QByteArray("Retry-After"), QByteArray("1") });
        return r;
    }
    if (path.size() == 5 && path[3] == QLatin1String("operations") && method == QHttpServerRequest::Method::Get)
        return json({ { QStringLiteral("operationId"), path[4] },
            { QStringLiteral("status"), QStringLiteral("assigned") }, { QStringLiteral("registrationState"), state } });
    return dpsError(404, 404000, QStringLiteral("Unknown DPS operation."));
}

} // namespace iotc::sim
