#pragma once

#include "fleettriage.h"

#include <QString>

namespace iotc {

// The fleet overview for a ticket or a spreadsheet: the counts line, the causes (devices, what to
// do) and the devices with problems (healthy ones too with includeHealthy). Every string passes
// through redactSecrets; at most maxDevices device rows (the rest counted), so 100,000 devices
// make a readable report.
QString triageCountsLine(const TriageResult& r); // "2,011 devices: 1,950 healthy, 38 no data, 12 invalid json, …"
QString triageToMarkdown(const TriageResult& r, const QString& application, int maxDevices = 1000);
QString triageToHtml(const TriageResult& r, const QString& application, int maxDevices = 1000);
QString triageToCsv(const TriageResult& r, bool includeHealthy);
// Writes by the file's extension (.md, .html/.htm, .csv); false with error set otherwise.
bool writeTriageReport(const TriageResult& r, const QString& application, const QString& path, QString& error);

// The advice book's headline for a cause ("The device sends no data"), or the code.
QString triageCauseTitle(const QString& cause);

} // namespace iotc
