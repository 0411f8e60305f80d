#pragma once

#include "issue.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace iotc {

// {"code","severity","path","message","expected","actual","suggestion"} with absent values as
// null, plus "position" for invalid-json.
nlohmann::json issueToJson(const Issue& issue);
nlohmann::json issuesToJson(const std::vector<Issue>& issues);

// The same, appended as text: the batch path writes many lines and must not be dominated by
// building JSON trees. Invalid UTF-8 is replaced, never thrown on.
void appendJsonString(std::string& out, std::string_view text);
void appendIssueJson(std::string& out, const Issue& issue);
// [issue, ...]
void appendIssuesJson(std::string& out, const std::vector<Issue>& issues);

} // namespace iotc
