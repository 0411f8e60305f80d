#include "secretstore.h"

#include <QEventLoop>
#include <qt6keychain/keychain.h>

namespace iotc {

namespace {

    // Runs a keychain job to completion; returns its error text, empty on success.
    QString run(QKeychain::Job& job)
    {
        job.setAutoDelete(false);
        job.setInsecureFallback(false); // never a plain-text file
        QEventLoop loop;
        QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
        job.start();
        loop.exec();
        return job.error() == QKeychain::NoError ? QString() : job.errorString();
    }

} // namespace

SecretStore::SecretStore(QString service)
    : m_service(std::move(service))
{
}

void SecretStore::fallBack(const QString& why)
{
    m_persistent = false;
    m_notice = QStringLiteral("No usable OS keyring (") + why
        + QStringLiteral("): secrets are kept in memory for this run only and must be entered again next time.");
}

bool SecretStore::store(const QString& key, const QString& secret)
{
    std::lock_guard lock(m_mutex);
    m_memory[key] = secret;
    if (!m_persistent)
        return false;
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(key);
    job.setTextData(secret);
    const QString error = run(job);
    if (!error.isEmpty()) {
        fallBack(error);
        return false;
    }
    return true;
}

std::optional<QString> SecretStore::load(const QString& key)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_memory.find(key); it != m_memory.end())
        return it->second;
    if (!m_persistent)
        return std::nullopt;
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(key);
    const QString error = run(job);
    if (!error.isEmpty()) {
        if (job.error() != QKeychain::EntryNotFound)
            fallBack(error);
        return std::nullopt;
    }
    m_memory[key] = job.textData();
    return job.textData();
}

void SecretStore::remove(const QString& key)
{
    std::lock_guard lock(m_mutex);
    m_memory.erase(key);
    if (!m_persistent)
        return;
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(key);
    run(job);
}

} // namespace iotc
