#include "secretstore.h"

#include <QEventLoop>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace iotc {

namespace {

// Runs a keychain job to its end or for timeoutMs; returns its error text, empty on success.
// A job still running at the timeout is abandoned (`job` is null then): its D-Bus call may
// still be answered, and must find the job alive, so it deletes itself whenever it ends.
template <class Job> QString run(std::unique_ptr<Job>& job, int timeoutMs)
{
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never a plain-text file
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
    if (!finished) {
        job.release()->setAutoDelete(true);
        return QStringLiteral("the keyring did not answer within %1 s").arg(timeoutMs / 1000.0);
    }
    return job->error() == QKeychain::NoError ? QString() : job->errorString();
}

} // namespace

SecretStore::SecretStore(QString service, int keyringTimeoutMs)
    : m_service(std::move(service))
    , m_keyringTimeoutMs(keyringTimeoutMs)
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
    auto job = std::make_unique<QKeychain::WritePasswordJob>(m_service);
    job->setKey(key);
    job->setTextData(secret);
    const QString error = run(job, m_keyringTimeoutMs);
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
    auto job = std::make_unique<QKeychain::ReadPasswordJob>(m_service);
    job->setKey(key);
    const QString error = run(job, m_keyringTimeoutMs);
    if (!error.isEmpty()) {
        if (!job || job->error() != QKeychain::EntryNotFound)
            fallBack(error);
        return std::nullopt;
    }
    m_memory[key] = job->textData();
    return job->textData();
}

void SecretStore::remove(const QString& key)
{
    std::lock_guard lock(m_mutex);
    m_memory.erase(key);
    if (!m_persistent)
        return;
    auto job = std::make_unique<QKeychain::DeletePasswordJob>(m_service);
    job->setKey(key);
    if (const QString error = run(job, m_keyringTimeoutMs); !job)
        fallBack(error); // only a keyring that does not answer; a missing entry is no failure
}

} // namespace iotc
