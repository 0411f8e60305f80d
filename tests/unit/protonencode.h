#pragma once

// Test helper: the bytes of an AMQP message built with Proton's C API, where any type may go
// anywhere (what a hostile or unusual sender could put on the wire).
#include <proton/message.h>

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace iotc::test {

inline std::vector<char> encodeC(const std::function<void(pn_message_t*)>& fill)
{
    pn_message_t* c = pn_message();
    fill(c);
    std::vector<char> bytes(4096);
    for (;;) {
        size_t size = bytes.size();
        const int rc = pn_message_encode(c, bytes.data(), &size);
        if (rc == PN_OVERFLOW) {
            bytes.resize(bytes.size() * 4);
            continue;
        }
        EXPECT_EQ(rc, 0);
        bytes.resize(size);
        break;
    }
    pn_message_free(c);
    return bytes;
}

} // namespace iotc::test
