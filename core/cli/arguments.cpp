#include "arguments.h"

namespace iotc::cli {

std::optional<std::string> Arguments::value(const std::string& name) const
{
    if (auto it = values.find(name); it != values.end())
        return it->second;
    return std::nullopt;
}

Arguments parseArguments(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
    const std::set<std::string>& flagOptions)
{
    Arguments args;
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "-" || w.size() < 2 || w.rfind("--", 0) != 0) {
            args.positional.push_back(w);
            continue;
        }
        if (w == "--") {
            for (++i; i < words.size(); ++i)
                args.positional.push_back(words[i]);
            break;
        }
        std::string name = w.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (valueOptions.count(name)) {
            if (inlineValue) {
                args.values[name] = *inlineValue;
            } else if (i + 1 < words.size()) {
                args.values[name] = words[++i];
            } else {
                args.error = "--" + name + " needs a value";
                return args;
            }
        } else if (flagOptions.count(name)) {
            if (inlineValue) {
                args.error = "--" + name + " takes no value";
                return args;
            }
            args.flags.insert(name);
        } else {
            args.error = "unknown option --" + name;
            return args;
        }
    }
    return args;
}

} // namespace iotc::cli
