#include "blockedport.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace iotc::sim {

namespace {

[[noreturn]] void fail(const char* what)
{
    throw std::runtime_error(
        std::string("the simulator cannot set up a blocked port: ") + what + ": " + std::strerror(errno));
}

sockaddr_in loopback(quint16 port)
{
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

} // namespace

BlockedPort::BlockedPort(PortBlock how)
    : m_how(how)
{
    if (how == PortBlock::Open)
        throw std::runtime_error("an open port is not a blocked port");
    m_socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_socket < 0)
        fail("socket");
    sockaddr_in address = loopback(0);
    if (::bind(m_socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(m_socket);
        fail("bind");
    }
    socklen_t length = sizeof address;
    if (::getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(m_socket);
        fail("getsockname");
    }
    m_port = ntohs(address.sin_port);
    if (how == PortBlock::Refuse)
        return; // bound, never listening: the kernel refuses
    if (::listen(m_socket, 0) != 0) {
        ::close(m_socket);
        fail("listen");
    }
    // Fill the accept queue (a backlog of 0 holds one connection); the second filler's own attempt
    // is already dropped, which keeps the queue full should the first one go.
    for (int i = 0; i < 2; ++i) {
        const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (filler < 0)
            break;
        m_fillers.push_back(filler);
        sockaddr_in target = loopback(m_port);
        ::connect(filler, reinterpret_cast<sockaddr*>(&target), sizeof target); // EINPROGRESS
    }
    if (m_fillers.empty()) {
        ::close(m_socket);
        fail("socket");
    }
    // The first filler must be connected (in the queue), or the port would still take connections.
    pollfd first { m_fillers.front(), POLLOUT, 0 };
    int ready = 0;
    do
        ready = ::poll(&first, 1, 2000);
    while (ready < 0 && errno == EINTR);
    int error = ready == 1 ? 0 : ready < 0 ? errno : ETIMEDOUT;
    socklen_t size = sizeof error;
    if (ready == 1
        && (!(first.revents & POLLOUT) || ::getsockopt(first.fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0
            || error != 0)) {
        if (error == 0)
            error = ECONNREFUSED;
    }
    if (error != 0) {
        for (int f : m_fillers)
            ::close(f);
        ::close(m_socket);
        errno = error;
        fail("filling the queue");
    }
}

BlockedPort::~BlockedPort()
{
    for (int f : m_fillers)
        ::close(f);
    if (m_socket >= 0)
        ::close(m_socket);
}

} // namespace iotc::sim
