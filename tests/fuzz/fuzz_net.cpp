// The network settings' parsers and the simulator's frame padder on any input: a proxy setting is
// accepted or refused in words (never both, and the words never repeat a password); the padder
// returns every byte it was given in order (only padded), whatever pieces they come in.
#include "fuzzinput.h"

#include "net/networksettings.h"
#include "sim/amqpframepad.h"

#include <QByteArray>
#include <QNetworkProxy>
#include <QString>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    iotc::fuzz::FuzzInput in(data, size);
    const uint8_t mode = in.pick();
    if (mode % 2 == 0) {
        const std::string_view body = in.rest();
        const QString text = QString::fromUtf8(body.data(), static_cast<qsizetype>(body.size()));
        QNetworkProxy proxy;
        QString error;
        if (iotc::parseProxySetting(text, proxy, error)) {
            if (!error.isEmpty())
                __builtin_trap();
            if (proxy.type() == QNetworkProxy::HttpProxy) {
                if (proxy.hostName().isEmpty() || proxy.port() == 0)
                    __builtin_trap();
                // Shown as host:port and nothing else (never the user or the password).
                const QString host = proxy.hostName().contains(QLatin1Char(':'))
                    ? QLatin1Char('[') + proxy.hostName() + QLatin1Char(']')
                    : proxy.hostName();
                if (iotc::proxyDisplay(proxy) != host + QLatin1Char(':') + QString::number(proxy.port()))
                    __builtin_trap();
            }
        } else if (error.isEmpty()) {
            __builtin_trap(); // refused without saying why
        }
        return 0;
    }
    // The padder: pieces of the sizes the next bytes say; the output keeps every input frame's
    // bytes (a padded frame only grows), so it is never shorter than the input.
    iotc::sim::AmqpFramePadder padder;
    QByteArray out;
    size_t given = 0;
    while (true) {
        const size_t piece = 1 + in.pick() % 64;
        const std::string_view bytes = in.take(piece);
        if (bytes.empty())
            break;
        given += bytes.size();
        out += padder.feed(QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())));
        if (static_cast<size_t>(out.size()) > given * 64 + 1024)
            __builtin_trap(); // padding cannot grow a stream without bound
    }
    return 0;
}
