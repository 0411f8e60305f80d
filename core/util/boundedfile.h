#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace iotc {

// Reading files named on the command line (payloads, templates, models, logs, secrets) with a
// size cap: a directory, /dev/zero or a huge file must end in a clear message, never in an abort,
// an endless read or memory exhaustion. Messages are for people and name the file:
// "X is a directory", "X is larger than N MiB", "cannot open X: reason", "cannot read X: reason".

inline constexpr size_t MiB = size_t(1) << 20;
// A payload, a template or one model file: far beyond any real one (IoT Hub messages are 256 KiB).
inline constexpr size_t MaxDocumentBytes = 64 * MiB;
// A device log (scan-log, diagnose --device-log, the workbench's log pane): may be long, but one that
// does not fit in memory twice over is not read.
inline constexpr size_t MaxLogBytes = 128 * MiB;

inline std::string sizeText(size_t bytes)
{
    return bytes >= MiB ? std::to_string(bytes / MiB) + " MiB" : std::to_string(bytes) + " bytes";
}

// Reads what the descriptor holds, up to maxBytes; false (with error naming `name`) when there is
// more or reading fails. Stops at maxBytes + 1, so an endless source (/dev/zero) ends.
inline bool readBoundedDescriptor(
    int fd, const std::string& name, size_t maxBytes, std::string& out, std::string& error)
{
    out.clear();
    struct stat info { };
    if (::fstat(fd, &info) == 0) {
        if (S_ISDIR(info.st_mode)) {
            error = name + " is a directory";
            return false;
        }
        if (S_ISREG(info.st_mode) && static_cast<unsigned long long>(info.st_size) > maxBytes) {
            error = name + " is larger than " + sizeText(maxBytes);
            return false;
        }
        if (S_ISREG(info.st_mode))
            out.reserve(static_cast<size_t>(info.st_size));
    }
    char chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = "cannot read " + name + ": " + std::strerror(errno);
            return false;
        }
        if (n == 0)
            return true;
        if (out.size() + static_cast<size_t>(n) > maxBytes) {
            error = name + " is larger than " + sizeText(maxBytes);
            out.clear();
            return false;
        }
        out.append(chunk, static_cast<size_t>(n));
    }
}

// The same for a file by name ("-" is not special here).
inline bool readBoundedFile(const std::string& path, size_t maxBytes, std::string& out, std::string& error)
{
    int fd = -1;
    do
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        error = "cannot open " + path + ": " + std::strerror(errno);
        return false;
    }
    const bool ok = readBoundedDescriptor(fd, path, maxBytes, out, error);
    ::close(fd);
    return ok;
}

} // namespace iotc
