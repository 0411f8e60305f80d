#include "inputfile.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace iotc::cli {

namespace {

const std::string StandardInput = "standard input";

} // namespace

bool readInputFile(const std::string& path, std::string& out, std::string& error, size_t maxBytes)
{
    if (path == "-")
        return readBoundedDescriptor(STDIN_FILENO, StandardInput, maxBytes, out, error);
    return readBoundedFile(path, maxBytes, out, error);
}

LineReader::LineReader(size_t maxLine)
    : m_maxLine(maxLine)
{
}

LineReader::~LineReader()
{
    if (m_ownsFd && m_fd >= 0)
        ::close(m_fd);
}

bool LineReader::open(const std::string& path, std::string& error)
{
    if (path == "-") {
        m_fd = STDIN_FILENO;
        m_name = StandardInput;
    } else {
        do
            m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        while (m_fd < 0 && errno == EINTR);
        if (m_fd < 0) {
            error = "cannot open " + path + ": " + std::strerror(errno);
            return false;
        }
        m_ownsFd = true;
        m_name = path;
    }
    struct stat info { };
    if (::fstat(m_fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        error = m_name + " is a directory";
        return false;
    }
    return true;
}

LineReader::Result LineReader::next(std::string& line, std::string& error)
{
    for (;;) {
        const char* begin = m_buffer.data() + m_start;
        const size_t pending = m_buffer.size() - m_start;
        if (const void* nl = std::memchr(begin + m_scanned, '\n', pending - m_scanned)) {
            const auto length = static_cast<size_t>(static_cast<const char*>(nl) - begin);
            line.assign(begin, length);
            m_start += length + 1;
            m_scanned = 0;
            ++m_lines;
            return Result::Line;
        }
        m_scanned = pending;
        if (pending > m_maxLine) {
            error = "line " + std::to_string(m_lines + 1) + " of " + m_name + " is longer than " + sizeText(m_maxLine);
            return Result::Error;
        }
        if (m_eof) {
            if (pending == 0)
                return Result::End;
            line.assign(begin, pending);
            m_start = m_buffer.size();
            m_scanned = 0;
            ++m_lines;
            return Result::Line;
        }
        // Keep only the unfinished line, then read more after it.
        m_buffer.erase(0, m_start);
        m_start = 0;
        const size_t chunk = 1 << 16;
        const size_t old = m_buffer.size();
        m_buffer.resize(old + chunk);
        ssize_t n = -1;
        do
            n = ::read(m_fd, m_buffer.data() + old, chunk);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            error = "cannot read " + m_name + ": " + std::strerror(errno);
            m_buffer.resize(old);
            return Result::Error;
        }
        m_buffer.resize(old + static_cast<size_t>(n));
        m_eof = n == 0;
    }
}

} // namespace iotc::cli
