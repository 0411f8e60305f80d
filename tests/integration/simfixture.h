#pragma once

// Shared helpers of the integration suites: a running simulated app and blocking HTTP calls
// through QNetworkAccessManager (the simulator serves on its own thread).
#include "central/connection.h"
#include "net/networksettings.h"
#include "sim/simulatedapp.h"
#include "util/sas.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrlQuery>

#include <gtest/gtest.h>

#include <memory>

namespace iotc::test {

// A suite-wide simulated app with extraDevices healthy devices beyond the scenario ones, its
// scenario devices sending RateHz messages per second (0: nothing on its own; tests inject what
// they need). Suite is the deriving class (CRTP), so each suite has its own app. With Tls, the
// app serves over TLS too (SimOptions::tls) and ca holds its throwaway CA.
template <class Suite, int ExtraDevices = 0, int RateHz = 0, bool Tls = false> class SimSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        sim::SimOptions o;
        o.extraDevices = ExtraDevices;
        o.rateHz = RateHz;
        o.extraRateHz = 0;
        o.tls = Tls;
        app = new sim::SimulatedApp(o);
        e = app->start();
        if (Tls) {
            QString error;
            loadCaFile(e.caFile, ca, error);
        }
    }
    static void TearDownTestSuite()
    {
        delete app;
        app = nullptr;
    }
    // The app's REST, with its API token and its DPS.
    static ConnectionProfile profile()
    {
        auto p = ConnectionProfile::forBaseUrl(e.baseUrl);
        p.authorization = e.apiToken;
        p.dpsEndpoint = e.dpsEndpoint;
        if (Tls) {
            p.network.extraCaCertificates = ca;
            p.network.caFile = e.caFile;
            p.network.proxy = QStringLiteral("direct");
        }
        return p;
    }
    static inline QList<QSslCertificate> ca;
    static inline sim::SimulatedApp* app = nullptr;
    static inline sim::SimEndpoints e;
};

template <class Suite, int ExtraDevices = 0> using QuietSimSuite = SimSuite<Suite, ExtraDevices, 0>;

struct HttpResult {
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QMap<QByteArray, QByteArray> headers;
};

inline HttpResult http(const QByteArray& method, const QUrl& url, const QString& authorization = {},
    const QByteArray& body = {}, int timeoutMs = 10000)
{
    static QNetworkAccessManager* nam = new QNetworkAccessManager;
    QNetworkRequest request(url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = nam->sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(timeoutMs + 1000);
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.error = reply->error();
    for (const auto& [k, v] : reply->rawHeaderPairs())
        r.headers.insert(k.toLower(), v);
    r.json = QJsonDocument::fromJson(r.body).object();
    reply->deleteLater();
    return r;
}

inline QUrl apiUrl(const sim::SimEndpoints& e, const QString& path)
{
    QUrl url(e.baseUrl + QStringLiteral("/api") + path);
    QUrlQuery q(url);
    q.addQueryItem(QStringLiteral("api-version"), QStringLiteral("2022-07-31"));
    url.setQuery(q);
    return url;
}

struct SimHubAccess {
    QString hostPort;
    QString entityPath;
    QByteArray key;
};

inline SimHubAccess eventHubOf(const sim::SimEndpoints& e)
{
    SimHubAccess t;
    t.hostPort = e.eventHubHost;
    for (const auto& part : e.eventHubConnectionString.split(QLatin1Char(';'))) {
        if (part.startsWith(QStringLiteral("SharedAccessKey=")))
            t.key = part.mid(16).toUtf8();
        else if (part.startsWith(QStringLiteral("EntityPath=")))
            t.entityPath = part.mid(11);
    }
    return t;
}

inline std::string audienceOf(const SimHubAccess& t)
{
    return QString(QStringLiteral("sb://") + t.hostPort + QLatin1Char('/') + t.entityPath).toStdString();
}

inline std::string tokenFor(const SimHubAccess& t, qint64 expiry, const QByteArray& key = {})
{
    return makeSasToken(QString::fromStdString(audienceOf(t)), key.isEmpty() ? t.key : key, SasKeyKind::RawText, expiry,
        QStringLiteral("service"))
        .toStdString();
}

inline std::string partitionAddress(const SimHubAccess& t, int partition)
{
    return QString(t.entityPath + QStringLiteral("/ConsumerGroups/$Default/Partitions/") + QString::number(partition))
        .toStdString();
}

} // namespace iotc::test
