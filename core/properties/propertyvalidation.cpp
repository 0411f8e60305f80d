#include "propertyvalidation.h"

#include <QJsonDocument>

namespace iotc {

QStringList componentNamesOf(const PayloadValidator* validator)
{
    QStringList names;
    if (validator) {
        for (const auto& c : validator->deviceTemplate().model.components)
            names << QString::fromStdString(c.name);
    }
    return names;
}

std::vector<Issue> validateReportedProperties(const PropertySnapshot& snapshot, const PayloadValidator& validator)
{
    MessageContext context;
    context.kind = PayloadKind::ReportedProperties;
    const QByteArray json = QJsonDocument(snapshot.reportedPayload()).toJson(QJsonDocument::Compact);
    return validator.validate(std::string_view(json.constData(), static_cast<size_t>(json.size())), context);
}

} // namespace iotc
