#include "devicestatus.h"

#include "knowledge/knowledgebase.h"

#include <stdexcept>

namespace iotc {

const KnowledgeEntry& statusKnowledge(DeviceStatus s)
{
    const auto* e = KnowledgeBase::builtIn().byCode(statusName(s));
    if (!e)
        throw std::logic_error(std::string("knowledge base lacks the status ") + statusName(s));
    return *e;
}

} // namespace iotc
