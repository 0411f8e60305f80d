#include "logscanner.h"

#include "advice.h"
#include "util/asciistrings.h"
#include "util/textdecode.h"

#include <algorithm>
#include <regex>
#include <utility>

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

// Where one entry's anchors occur in a line. Every match of the entry's patterns holds one of them,
// so a window of a long line without one cannot hold a match and is not searched: a long line costs
// the regexes only around its anchors, not over its whole length.
class Anchors {
public:
    // first: where each anchor first occurs in lower (npos: nowhere).
    Anchors(const std::string& lower, const std::vector<std::string>& anchors, std::vector<size_t> first)
        : m_lower(lower)
        , m_anchors(anchors)
        , m_next(std::move(first))
    {
    }

    // Whether an anchor lies whole in [from, to) of the line; from never decreases between calls, so
    // each anchor's occurrences are looked for once over the line.
    bool within(size_t from, size_t to)
    {
        if (m_anchors.empty())
            return true;
        for (size_t i = 0; i < m_anchors.size(); ++i) {
            size_t& at = m_next[i];
            if (at != std::string::npos && at < from)
                at = m_lower.find(m_anchors[i], from);
            if (at != std::string::npos && at + m_anchors[i].size() <= to)
                return true;
        }
        return false;
    }

private:
    const std::string& m_lower;
    const std::vector<std::string>& m_anchors;
    std::vector<size_t> m_next;
};

bool searchBounded(std::string_view line, const std::regex& pattern, Anchors anchors, std::string& matched)
{
    using Iterator = std::string_view::const_iterator;
    for (size_t from = 0;; from += Window - Overlap) {
        const size_t to = std::min(line.size(), from + Window);
        const bool last = to == line.size();
        if (!anchors.within(from, to)) {
            if (last)
                return false;
            continue;
        }
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
    // A line ends at "\n" (or "\r\n"); the last line needs none, and a final one starts no new line.
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        const bool last = end == std::string::npos;
        if (last)
            end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        ++scan.lines;
        onLine.clear();
        const std::string lower = asciiLower(line);
        std::vector<size_t> first;
        for (const auto& entry : kb.entries()) {
            first.clear();
            for (const auto& a : entry.anchors)
                first.push_back(lower.find(a));
            if (!entry.anchors.empty()
                && std::all_of(first.begin(), first.end(), [](size_t at) { return at == std::string::npos; }))
                continue;
            for (const auto& pattern : entry.patterns) {
                std::string matched;
                if (searchBounded(line, pattern, Anchors(lower, entry.anchors, first), matched)) {
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
        if (last)
            break;
        start = end + 1;
    }
    std::stable_sort(scan.findings.begin(), scan.findings.end(),
        [](const LogFinding& a, const LogFinding& b) { return a.entry->severity > b.entry->severity; });
    return scan;
}

std::string_view logCause(const KnowledgeEntry& entry)
{
    if (!entry.cause.empty())
        return entry.cause;
    return entry.severity == Severity::Error ? GenericLogCause : std::string_view();
}

std::optional<LogHeadline> logHeadline(const LogScan& scan)
{
    const auto& findings = scan.findings;
    auto shown = std::find_if(
        findings.begin(), findings.end(), [](const LogFinding& f) { return f.entry && !f.entry->cause.empty(); });
    if (shown == findings.end())
        shown = std::find_if(findings.begin(), findings.end(),
            [](const LogFinding& f) { return f.entry && !logCause(*f.entry).empty(); });
    if (shown == findings.end())
        return std::nullopt;
    LogHeadline headline;
    headline.cause = std::string(logCause(*shown->entry));
    headline.advice = adviceFor(AdviceKind::Cause, headline.cause);
    headline.finding = static_cast<size_t>(shown - findings.begin());
    headline.occurrences = static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
        [&](const LogFinding& f) { return f.entry && logCause(*f.entry) == headline.cause; }));
    return headline;
}

} // namespace iotc
