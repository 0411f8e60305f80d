#pragma once

#include <random>
#include <string>

namespace iotc::test {

// text with one byte changed, inserted or deleted, the new byte drawn from alphabet: for tests that
// hold a fast reader to the definition on inputs near the well-formed ones.
inline std::string mutated(const std::string& text, std::mt19937& random, const std::string& alphabet)
{
    std::string changed = text;
    if (text.empty())
        return changed;
    const size_t at = random() % text.size();
    switch (random() % 3) {
    case 0:
        changed[at] = alphabet[random() % alphabet.size()];
        break;
    case 1:
        changed.insert(at, 1, alphabet[random() % alphabet.size()]);
        break;
    default:
        changed.erase(at, 1);
    }
    return changed;
}

} // namespace iotc::test
