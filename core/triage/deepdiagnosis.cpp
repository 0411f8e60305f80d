#include "deepdiagnosis.h"

#include "diagnose/diagnoser.h"

namespace iotc {

std::vector<DeepDiagnosis> diagnoseWorst(
    ConnectionProfile profile, const TriageResult& triage, const DeepDiagnosisOptions& options)
{
    std::vector<DeepDiagnosis> out;
    std::vector<const TriageDevice*> worst;
    for (const auto& d : triage.devices) {
        if (static_cast<int>(worst.size()) >= options.count || d.cause == QLatin1String(HealthyCause))
            break; // (ranked: the healthy come last)
        worst.push_back(&d);
    }
    if (worst.empty())
        return out;
    profile.pacer = options.pacer ? options.pacer : std::make_shared<RequestPacer>(options.requestsPerSecond);
    for (const auto* d : worst) {
        if (options.stop && options.stop->load())
            break;
        if (options.progress)
            options.progress(
                QStringLiteral("Diagnosing %1 (%2 of %3)…").arg(d->deviceId).arg(out.size() + 1).arg(worst.size()));
        DiagnoseOptions o;
        o.deviceId = d->deviceId;
        o.listenSeconds = options.listenSeconds;
        o.lookbackMinutes = options.lookbackMinutes;
        o.eventHub = options.eventHub;
        o.stopListening = options.stop;
        const Diagnosis diagnosis = Diagnoser(profile, o).run();
        DeepDiagnosis deep { d->deviceId, {} };
        for (const auto& c : diagnosis.causes)
            deep.causes << c.code;
        out.push_back(std::move(deep));
    }
    return out;
}

} // namespace iotc
