#pragma once

#include "testdata.h"
#include "validate/payloadvalidator.h"

#include <algorithm>

namespace iotc::test {

inline MessageContext jsonMessage(std::string component = {})
{
    MessageContext c;
    c.contentType = "application/json";
    c.contentEncoding = "utf-8";
    c.component = std::move(component);
    return c;
}

inline MessageContext propertiesMessage()
{
    MessageContext c;
    c.kind = PayloadKind::ReportedProperties;
    return c;
}

inline std::vector<std::string> codesOf(const std::vector<Issue>& issues)
{
    std::vector<std::string> out;
    for (const auto& i : issues)
        out.push_back(i.code);
    return out;
}

inline const Issue* findIssue(const std::vector<Issue>& issues, const std::string& code)
{
    auto it = std::find_if(issues.begin(), issues.end(), [&](const Issue& i) { return i.code == code; });
    return it == issues.end() ? nullptr : &*it;
}

} // namespace iotc::test
