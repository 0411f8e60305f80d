#include "modelrepository.h"

#include "util/boundedfile.h"
#include "util/jsondepth.h"
#include "util/textdecode.h"

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
    std::string bytes;
    std::string error;
    if (!readBoundedFile(path.string(), MaxDocumentBytes, bytes, error))
        throw TemplateError(error);
    return parseJsonDocument(bytes, path.string());
}

bool isValidDtmi(std::string_view id)
{
    constexpr std::string_view scheme = "dtmi:";
    constexpr size_t maxLength = 2048; // DTDL's limit for user DTMIs (v2: 128)
    if (id.size() > maxLength || !id.starts_with(scheme))
        return false;
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    size_t i = scheme.size();
    // path: segments separated by ':'. A user segment starts with a letter, a system segment
    // (IoT Central generates them: dtmi:sampleApp:_rpgcmdpo;4) with '_'; neither ends with '_'.
    for (;;) {
        if (i >= id.size() || !(letter(id[i]) || id[i] == '_'))
            return false;
        const size_t start = i;
        while (i < id.size() && (letter(id[i]) || digit(id[i]) || id[i] == '_'))
            ++i;
        if (id[i - 1] == '_' || (id[start] == '_' && i - start < 2))
            return false;
        if (i < id.size() && id[i] == ':') {
            ++i;
            continue;
        }
        break;
    }
    if (i == id.size())
        return true; // the version may be left out (IoT Central template ids: dtmi:myTemplate)
    // version: [1-9][0-9]{0,8}, then optionally .[1-9][0-9]{0,5} (DTDL v3)
    auto number = [&](size_t maxDigits) {
        const size_t start = i;
        if (i >= id.size() || id[i] < '1' || id[i] > '9')
            return false;
        while (i < id.size() && digit(id[i]))
            ++i;
        return i - start <= maxDigits;
    };
    if (id[i] != ';')
        return false;
    ++i;
    if (!number(9))
        return false;
    if (i < id.size() && id[i] == '.') {
        ++i;
        if (!number(6))
            return false;
    }
    return i == id.size();
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

namespace {

// Whether path, with symbolic links resolved, lies below root.
bool isInside(const std::filesystem::path& path, const std::filesystem::path& root)
{
    std::error_code ec;
    const auto base = std::filesystem::weakly_canonical(root, ec);
    if (ec)
        return false;
    const auto full = std::filesystem::weakly_canonical(path, ec);
    if (ec)
        return false;
    const auto relative = full.lexically_relative(base);
    return !relative.empty() && *relative.begin() != "..";
}

} // namespace

const nlohmann::json* ModelRepository::find(std::string_view dtmi)
{
    if (auto it = m_byId.find(std::string(dtmi)); it != m_byId.end())
        return it->second;
    if (!dtmi.starts_with("dtmi:"))
        return nullptr;
    if (!isValidDtmi(dtmi)) {
        // Shown as given (cut, controls escaped by nlohmann's dump) so the message names it.
        const auto shown = nlohmann::json(std::string(dtmi.substr(0, 200)))
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        throw TemplateError("invalid DTMI " + shown
            + ": a model id is dtmi:<segment>(:<segment>)*;<version> with segments of letters, digits and _ "
              "(not starting with a digit) and a version such as 1 or 2.1; it is not looked up in the models folder");
    }
    const auto relative = repositoryPath(dtmi);
    for (const auto& root : m_roots) {
        const auto file = root / relative;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
            continue;
        if (!isInside(file, root)) {
            m_errors.push_back(file.string() + " (for " + std::string(dtmi) + ") lies outside " + root.string()
                + " through a symbolic link; not read");
            continue;
        }
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
