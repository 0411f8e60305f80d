#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iotc {

// A template or model that cannot be understood: the message says what and where.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads a JSON document from bytes in UTF-8 (with or without BOM) or UTF-16 with BOM.
// Throws TemplateError with line and column when it is not JSON.
nlohmann::json parseJsonDocument(std::string_view bytes, const std::string& source);
// The same from a file of at most MaxDocumentBytes; a directory, a device such as /dev/zero or a
// larger file is a TemplateError that says so.
nlohmann::json readJsonFile(const std::filesystem::path& path);

// DTDL's own DTMI grammar: "dtmi:" then segments separated by ':' (a user segment
// [A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?, or a system segment _+[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?),
// then optionally ';' and a version of 1-9 digits without a leading zero, with an optional
// ".minor" (DTDL v3, 1-6 digits, no leading zero); at most 2048 characters. Only such an id is
// ever turned into a file path: no '.', '/' or '\\' can reach one.
bool isValidDtmi(std::string_view id);

// DTDL definitions (interfaces and reusable schemas) by DTMI. Filled from documents, from a
// directory, or looked up lazily in a models-repository layout (dtmi/com/example/thermostat-1.json).
class ModelRepository {
public:
    // Registers every element with an "@id" in the document (a single interface or an array).
    // With replace, its definitions win over ones already loaded (a template's own definitions
    // must not be shadowed by an older copy in a models folder).
    void addDocument(const nlohmann::json& document, bool replace = false);
    // Loads every *.json below dir; returns how many files were read. Files that are not JSON
    // are listed in errors() instead of stopping the load.
    size_t loadDirectory(const std::filesystem::path& dir);
    // A models repository root (the folder that holds "dtmi/"): unknown DTMIs are looked up there.
    void addRepositoryRoot(const std::filesystem::path& root);

    // The definition with this id, or null. Throws TemplateError for an id that starts with
    // "dtmi:" but is not a valid DTMI and is not defined by a loaded document: such an id is never
    // looked up on disk (dtmi:..:..:x;1 would name a file outside the models folder).
    const nlohmann::json* find(std::string_view dtmi);

    const std::vector<std::string>& errors() const { return m_errors; }
    size_t size() const { return m_byId.size(); }

    // dtmi:com:example:Thermostat;1 -> dtmi/com/example/thermostat-1.json (for a valid DTMI).
    static std::string repositoryPath(std::string_view dtmi);

private:
    void registerIds(const nlohmann::json& node, bool replace);

    std::vector<std::shared_ptr<const nlohmann::json>> m_documents;
    std::unordered_map<std::string, const nlohmann::json*> m_byId;
    std::vector<std::filesystem::path> m_roots;
    std::vector<std::string> m_errors;
};

} // namespace iotc
