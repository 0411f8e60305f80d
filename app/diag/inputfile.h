#pragma once

#include "util/boundedfile.h"

#include <string>

namespace iotc::cli {

// Reads a whole file as bytes, or standard input when path is "-", refusing more than maxBytes.
// False with error set for people ("X is a directory", "X is larger than 64 MiB",
// "cannot open X: No such file or directory").
bool readInputFile(const std::string& path, std::string& out, std::string& error, size_t maxBytes = MaxDocumentBytes);

// Reads a file (or standard input for "-") line by line without holding all of it: a JSON Lines
// batch may be any length, but one line longer than maxLine is an error, so a source without
// newlines (/dev/zero) ends instead of filling memory.
class LineReader {
public:
    explicit LineReader(size_t maxLine = MaxDocumentBytes);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    bool open(const std::string& path, std::string& error);

    enum class Result { Line, End, Error };
    // The next line without its '\n' (a last line without one counts too).
    Result next(std::string& line, std::string& error);

private:
    int m_fd = -1;
    bool m_ownsFd = false;
    bool m_eof = false;
    std::string m_name;
    std::string m_buffer;
    size_t m_start = 0; // where the current line begins in m_buffer
    size_t m_scanned = 0; // bytes from m_start already known to hold no '\n'
    size_t m_lines = 0;
    size_t m_maxLine;
};

} // namespace iotc::cli
