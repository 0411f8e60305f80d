#pragma once

#include "scenarionetwork.h"

#include <QtGlobal>

#include <memory>
#include <vector>

namespace iotc::sim {

// A loopback port that acts out a firewall (PortBlock::Refuse or BlackHole) for as long as the
// object lives.
// - Refuse: the port is bound and not listening, so the kernel answers a connection with a reset.
// - BlackHole: the port listens with its one-place queue already taken by a connection nobody
//   accepts, so the kernel drops further connection attempts unanswered, as a dropping firewall
//   does: clients wait until their own timeout.
class BlockedPort {
public:
    // Throws std::runtime_error when the sockets cannot be set up; Open is not a block.
    explicit BlockedPort(PortBlock how);
    ~BlockedPort();
    BlockedPort(const BlockedPort&) = delete;
    BlockedPort& operator=(const BlockedPort&) = delete;

    quint16 port() const { return m_port; }
    PortBlock how() const { return m_how; }

private:
    PortBlock m_how;
    int m_socket = -1;
    std::vector<int> m_fillers; // the connections that fill a black hole's queue
    quint16 m_port = 0;
};

} // namespace iotc::sim
