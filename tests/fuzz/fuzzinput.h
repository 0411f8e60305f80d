// Splits a fuzzer's bytes into the pieces a target needs: a few selector bytes first, the rest as
// the body. Deterministic, so a saved crash input replays the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace iotc::fuzz {

class FuzzInput {
public:
    FuzzInput(const uint8_t* data, size_t size)
        : m_data(reinterpret_cast<const char*>(data))
        , m_size(size)
    {
    }

    // The next byte (0 when none is left).
    uint8_t pick()
    {
        if (m_pos >= m_size)
            return 0;
        return static_cast<uint8_t>(m_data[m_pos++]);
    }
    // Up to n bytes.
    std::string_view take(size_t n)
    {
        const size_t k = n < m_size - m_pos ? n : m_size - m_pos;
        std::string_view out(m_data + m_pos, k);
        m_pos += k;
        return out;
    }
    std::string_view rest()
    {
        std::string_view out(m_data + m_pos, m_size - m_pos);
        m_pos = m_size;
        return out;
    }

private:
    const char* m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace iotc::fuzz
