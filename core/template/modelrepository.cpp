#include "modelrepository.h"

#include "util/jsondepth.h"
#include "util/textdecode.h"

#include <fstream>
#include <sstream>

namespace iotc {

namespace {

std::pair<size_t, size_t> lineColumn(std::string_view text, size_t offset)
{
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return { line, column };
}

} // namespace

nlohmann::json parseJsonDocument(std::string_view bytes, const std::string& source)
{
    const auto decoded = decodeText(bytes);
    if (decoded.encoding == TextEncoding::Invalid)
        throw TemplateError(source + ": cannot read the text: " + decoded.error);
    if (jsonNestingDepth(decoded.utf8, MaxJsonDepth) > MaxJsonDepth)
        throw TemplateError(source + ": JSON nested more than " + std::to_string(MaxJsonDepth) + " levels deep");
    try {
        return nlohmann::json::parse(decoded.utf8);
    } catch (const nlohmann::json::out_of_range& e) {
        throw TemplateError(source + ": a number is out of range: " + e.what());
    } catch (const nlohmann::json::parse_error& e) {
        const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        const auto [line, column] = lineColumn(decoded.utf8, offset);
        std::string what = e.what();
        if (auto p = what.find("syntax error"); p != std::string::npos)
            what = what.substr(p);
        throw TemplateError(source + ": not valid JSON at line " + std::to_string(line) + ", column "
            + std::to_string(column) + ": " + what);
    }
}

nlohmann::json readJsonFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw TemplateError(path.string() + ": cannot open the file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parseJsonDocument(buffer.str(), path.string());
}

std::string ModelRepository::repositoryPath(std::string_view dtmi)
{
    std::string out;
    out.reserve(dtmi.size() + 5);
    for (char c : dtmi) {
        if (c == ':')
            out.push_back('/');
        else if (c == ';')
            out.push_back('-');
        else if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else
            out.push_back(c);
    }
    out += ".json";
    return out;
}

void ModelRepository::registerIds(const nlohmann::json& node, bool replace)
{
    if (node.is_object()) {
        auto id = node.find("@id");
        if (id != node.end() && id->is_string() && node.contains("@type")) {
            if (replace)
                m_byId.insert_or_assign(id->get<std::string>(), &node);
            else
                m_byId.emplace(id->get<std::string>(), &node);
        }
        for (const auto& [key, value] : node.items()) {
            if (value.is_structured())
                registerIds(value, replace);
        }
    } else if (node.is_array()) {
        for (const auto& v : node)
            registerIds(v, replace);
    }
}

void ModelRepository::addDocument(const nlohmann::json& document, bool replace)
{
    auto owned = std::make_shared<const nlohmann::json>(document);
    registerIds(*owned, replace);
    m_documents.push_back(std::move(owned));
}

size_t ModelRepository::loadDirectory(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw TemplateError(dir.string() + ": not a directory");
    size_t count = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || it->path().extension() != ".json")
            continue;
        try {
            addDocument(readJsonFile(it->path()));
            ++count;
        } catch (const TemplateError& e) {
            m_errors.emplace_back(e.what());
        }
    }
    return count;
}

void ModelRepository::addRepositoryRoot(const std::filesystem::path& root)
{
    m_roots.push_back(root);
}

const nlohmann::json* ModelRepository::find(std::string_view dtmi)
{
    if (auto it = m_byId.find(std::string(dtmi)); it != m_byId.end())
        return it->second;
    if (!dtmi.starts_with("dtmi:"))
        return nullptr;
    const auto relative = repositoryPath(dtmi);
    for (const auto& root : m_roots) {
        const auto file = root / relative;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
            continue;
        try {
            addDocument(readJsonFile(file));
        } catch (const TemplateError& e) {
            m_errors.emplace_back(e.what());
            continue;
        }
        if (auto it = m_byId.find(std::string(dtmi)); it != m_byId.end())
            return it->second;
    }
    return nullptr;
}

} // namespace iotc
