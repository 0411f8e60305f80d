#include "logscanner.h"

#include "template/capabilityindex.h"
#include "util/textdecode.h"

#include <algorithm>
#include <regex>

namespace iotc {

namespace {

// UTF-8 with anything undecodable replaced, so one bad byte does not hide a whole log.
std::string lossyUtf8(std::string_view bytes)
{
    const auto decoded = decodeText(bytes);
    if (decoded.encoding != TextEncoding::Invalid)
        return decoded.utf8;
    std::string out;
    out.reserve(bytes.size());
    while (!bytes.empty()) {
        const size_t bad = findInvalidUtf8(bytes);
        if (bad == std::string_view::npos) {
            out.append(bytes);
            break;
        }
        out.append(bytes.substr(0, bad));
        out += "\xEF\xBF\xBD";
        bytes.remove_prefix(bad + 1);
    }
    return out;
}

std::string cut(std::string_view line, size_t max = 400)
{
    if (line.size() <= max)
        return std::string(line);
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80)
        --n;
    return std::string(line.substr(0, n)) + "…";
}

// std::regex (libstdc++) recurses once per character a repetition consumes, a few hundred bytes of
// stack each: a 40,000-character line of one word overflows an 8 MB stack. A regex therefore never
// sees more than Window bytes. Windows overlap by Overlap bytes, so a match of up to Overlap - Margin
// bytes lies whole inside one window wherever it is; a match ending within Margin bytes of a
// window's cut (where \b or a look-ahead would see a false end of line) is left to the next window,
// unless that window cannot see its start (a long run such as X509_V_ERR_\w+: taken as cut).
constexpr size_t Window = 1024;
constexpr size_t Overlap = 256;
constexpr size_t Margin = 64;

bool searchBounded(std::string_view line, const std::regex& pattern, std::string& matched)
{
    using Iterator = std::string_view::const_iterator;
    for (size_t from = 0;; from += Window - Overlap) {
        const size_t to = std::min(line.size(), from + Window);
        const bool last = to == line.size();
        // Past the line's start, \b must see the character before the window (not a line start).
        const auto flags = from > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
        std::match_results<Iterator> m;
        const auto begin = line.begin() + static_cast<std::ptrdiff_t>(from);
        const auto end = line.begin() + static_cast<std::ptrdiff_t>(to);
        if (std::regex_search(begin, end, m, pattern, flags)
            && (last || m[0].second + static_cast<std::ptrdiff_t>(Margin) <= end
                || m[0].first < begin + static_cast<std::ptrdiff_t>(Window - Overlap))) {
            matched = m.str();
            return true;
        }
        if (last)
            return false;
    }
}

} // namespace

LogScan scanLog(std::string_view bytes, const KnowledgeBase& kb, size_t cap)
{
    LogScan scan;
    const std::string text = lossyUtf8(bytes);
    size_t start = 0;
    std::vector<LogFinding> onLine;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        ++scan.lines;
        onLine.clear();
        const std::string lower = asciiLower(line);
        for (const auto& entry : kb.entries()) {
            if (!entry.anchors.empty()
                && std::none_of(entry.anchors.begin(), entry.anchors.end(),
                    [&](const std::string& a) { return lower.find(a) != std::string::npos; }))
                continue;
            for (const auto& pattern : entry.patterns) {
                std::string matched;
                if (searchBounded(line, pattern, matched)) {
                    onLine.push_back({ scan.lines, {}, std::move(matched), &entry });
                    break;
                }
            }
        }
        // Drop general codes a specific one on the same line explains.
        for (const auto& f : onLine) {
            const bool superseded = std::any_of(onLine.begin(), onLine.end(), [&](const LogFinding& other) {
                return std::find(other.entry->supersedes.begin(), other.entry->supersedes.end(), f.entry->code)
                    != other.entry->supersedes.end();
            });
            if (superseded)
                continue;
            if (scan.findings.size() >= cap) {
                ++scan.dropped;
                continue;
            }
            LogFinding kept = f;
            kept.text = cut(line);
            scan.findings.push_back(std::move(kept));
        }
        if (end == text.size())
            break;
        start = end + 1;
    }
    std::stable_sort(scan.findings.begin(), scan.findings.end(),
        [](const LogFinding& a, const LogFinding& b) { return a.entry->severity > b.entry->severity; });
    return scan;
}

} // namespace iotc
