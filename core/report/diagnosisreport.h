#pragma once

#include "diagnose/diagnosis.h"

#include <QJsonObject>
#include <QString>

namespace iotc {

// One diagnosis, three renderings; every string passes through redactSecrets.
QJsonObject diagnosisToJson(const Diagnosis& d);
QString diagnosisToMarkdown(const Diagnosis& d);
QString diagnosisToHtml(const Diagnosis& d);
QString diagnosisToText(const Diagnosis& d);

// Writes by the file's extension (.md, .html, .json); false with error on failure.
bool writeDiagnosisReport(const Diagnosis& d, const QString& path, QString& error);

} // namespace iotc
