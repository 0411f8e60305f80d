#include "sample.h"

#include "util/redact.h"

#include <QDateTime>

namespace iotc {

SampleMessage reportSample(const Observation& o, qsizetype maxBodyChars)
{
    SampleMessage s;
    s.enqueuedTime = QDateTime::fromMSecsSinceEpoch(o.event.enqueuedMs, Qt::UTC).toString(Qt::ISODateWithMs);
    s.component = o.event.component;
    s.module = o.event.moduleId;
    s.body = redactedSample(QString::fromUtf8(o.event.body), maxBodyChars);
    for (const auto& i : o.issues)
        s.issues << QString::fromStdString(i.code);
    return s;
}

} // namespace iotc
