#pragma once

#include <QString>
#include <QUrl>

namespace iotc {

// Where credentials (an API token, a bearer token, a device's SAS token) may be sent. One rule for
// the command line, the connect dialog, the DPS check and the HTTP worker itself: https, or plain
// http to a loopback host only (the simulator); a host; no user-info (http://127.0.0.1@evil.com
// goes to evil.com).

// 127.0.0.0/8, ::1 (and IPv4-mapped loopback), or exactly "localhost". QUrl has already
// normalised the host (127.1, 0x7f.1 and %31%32%37.0.0.1 all read as 127.0.0.1).
bool isLoopbackHost(const QString& host);

// Why url must not carry credentials; empty when it may. Queries and paths are allowed (a
// request's URL), so this is what the HTTP worker checks on every request with credentials.
QString credentialUrlProblem(const QUrl& url);

// A base URL the user gives (the application, a DPS endpoint): credentialUrlProblem plus no
// query or fragment, since paths are appended to it. why (when given) says what is wrong.
bool isAllowedServiceUrl(const QUrl& url, QString* why = nullptr);
// The same for the text as typed: also refuses text whose origin changes once a path is
// appended to it, which is how the clients use it.
bool isAllowedServiceUrl(const QString& url, QString* why = nullptr);

// Same scheme, host and port (a missing port is the scheme's default).
bool isSameOrigin(const QUrl& a, const QUrl& b);

// "scheme://host:port", for messages: never a path, a query or user-info, which may hold secrets.
QString originOf(const QUrl& url);

} // namespace iotc
