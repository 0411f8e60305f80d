#pragma once

#include <QString>
#include <QStringList>

namespace iotc {

class CentralClient;

// "Did you mean" for a device id that the application does not know: the one place that words it.

// The ids among known closest to id (ASCII case ignored, edit distance within what
// suggestionDistance allows for id's length; an id differing only in case always qualifies),
// best first, at most max.
QStringList similarDeviceIds(const QString& id, const QStringList& known, int max = 3);

// Reads at most maxPages pages of the application's device list and returns the ids similar to
// id (empty when the list cannot be read). Blocking: call it off the GUI thread.
QStringList similarDeviceIdsInApp(CentralClient& client, const QString& id, int maxPages = 20);

// "no device ID in this application; did you mean A?" (or "A or B?"), without the question when
// nothing is similar.
QString unknownDeviceText(const QString& id, const QStringList& similar);

// The same for a device template: the ids of the application's templates similar to id (from the
// first page of its template list; empty when it cannot be read), and "no device template ID in
// this application; did you mean A?". Blocking: call it off the GUI thread.
QStringList similarTemplateIdsInApp(CentralClient& client, const QString& id);
QString unknownTemplateText(const QString& id, const QStringList& similar);

} // namespace iotc
