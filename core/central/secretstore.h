#pragma once

#include <QString>

#include <map>
#include <mutex>
#include <optional>

namespace iotc {

// Where API tokens and connection strings live between runs: the OS keyring through QtKeychain.
// Without a keyring (a headless box, no Secret Service on D-Bus) secrets are kept in memory for
// this run only and notice() says so; they are never written to disk in plain text. Calls block
// on a D-Bus round trip: use it off the GUI thread. A keyring that does not answer within
// keyringTimeoutMs counts as none for the rest of the run (a locked or hung Secret Service must
// not hang the caller). Thread-safe.
class SecretStore {
public:
    static constexpr int DefaultKeyringTimeoutMs = 10000;

    explicit SecretStore(
        QString service = QStringLiteral("iotc-workbench"), int keyringTimeoutMs = DefaultKeyringTimeoutMs);

    bool store(const QString& key, const QString& secret);
    std::optional<QString> load(const QString& key);
    void remove(const QString& key);

    bool persistent() const
    {
        std::lock_guard lock(m_mutex);
        return m_persistent;
    }
    QString notice() const
    {
        std::lock_guard lock(m_mutex);
        return m_notice;
    }

private:
    void fallBack(const QString& why);

    QString m_service;
    int m_keyringTimeoutMs;
    mutable std::mutex m_mutex; // one store may serve several worker threads
    std::map<QString, QString> m_memory;
    bool m_persistent = true;
    QString m_notice;
};

} // namespace iotc
