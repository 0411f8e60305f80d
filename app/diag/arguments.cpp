#include "arguments.h"

#include "inputfile.h"
#include "textoutput.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace iotc::cli {

std::optional<std::string> Arguments::value(const std::string& name) const
{
    if (auto it = values.find(name); it != values.end())
        return it->second;
    return std::nullopt;
}

Arguments parseArguments(const std::vector<std::string>& words, const std::set<std::string>& valueOptions,
    const std::set<std::string>& flagOptions, const AliasMap& aliases)
{
    Arguments args;
    std::map<std::string, std::string> spelledAs; // option name -> how it was typed, for messages
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        const bool longOption = w.size() > 2 && w.starts_with("--");
        const bool shortOption = w.size() >= 2 && w[0] == '-' && w[1] != '-'
            && ((w[1] >= 'a' && w[1] <= 'z') || (w[1] >= 'A' && w[1] <= 'Z'));
        if (w == "--") {
            for (++i; i < words.size(); ++i)
                args.positional.push_back(words[i]);
            break;
        }
        if (!longOption && !shortOption) {
            args.positional.push_back(w);
            continue;
        }
        std::string spelled = w;
        std::optional<std::string> inlineValue;
        if (auto eq = spelled.find('='); longOption && eq != std::string::npos) {
            inlineValue = spelled.substr(eq + 1);
            spelled = spelled.substr(0, eq);
        }
        std::string name;
        if (auto alias = aliases.find(spelled); alias != aliases.end())
            name = alias->second;
        else if (longOption)
            name = spelled.substr(2);
        if (valueOptions.count(name)) {
            std::string value;
            if (inlineValue) {
                value = *inlineValue;
            } else if (i + 1 < words.size()) {
                value = words[++i];
            } else {
                args.error = spelled + " needs a value";
                return args;
            }
            if (auto it = args.values.find(name); it != args.values.end() && it->second != value) {
                args.error = spelled + " " + printable(value) + " contradicts " + spelledAs[name] + " "
                    + printable(it->second) + ": give it once";
                return args;
            }
            args.values[name] = value;
            spelledAs[name] = spelled;
        } else if (flagOptions.count(name)) {
            if (inlineValue) {
                args.error = spelled + " takes no value";
                return args;
            }
            args.flags.insert(name);
        } else {
            args.error = "unknown option " + printable(spelled);
            return args;
        }
    }
    return args;
}

std::string invalidValue(const std::string& name, std::string_view value, const std::string& expected)
{
    return "invalid value for --" + name + ": " + (value.empty() ? std::string("(empty)") : printable(value))
        + " (expected " + expected + ")";
}

namespace {

std::string numberText(double v)
{
    char buffer[48];
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        std::snprintf(buffer, sizeof buffer, "%.0f", v); // 31536000, not 3.1536e+07
    else
        std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

} // namespace

void OptionReader::problem(std::string text)
{
    if (m_error.empty())
        m_error = std::move(text);
}

long long OptionReader::integer(const std::string& name, long long fallback, long long min, long long max)
{
    const auto text = m_args.value(name);
    if (!text)
        return fallback;
    const auto v = parseInteger(*text);
    if (!v || *v < min || *v > max) {
        problem(invalidValue(name, *text, "an integer from " + std::to_string(min) + " to " + std::to_string(max)));
        return fallback;
    }
    return *v;
}

double OptionReader::number(const std::string& name, double fallback, double min, double max, const char* unit)
{
    const auto text = m_args.value(name);
    if (!text)
        return fallback;
    const auto v = parseNumber(*text);
    if (!v || *v < min || *v > max) {
        problem(invalidValue(name, *text,
            "a number from " + numberText(min) + " to " + numberText(max) + (unit ? std::string(" ") + unit : "")));
        return fallback;
    }
    return *v;
}

std::string OptionReader::choice(
    const std::string& name, const std::string& fallback, std::initializer_list<const char*> allowed)
{
    const auto text = m_args.value(name);
    if (!text)
        return fallback;
    std::string list;
    for (const char* a : allowed) {
        if (*text == a)
            return *text;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    problem(invalidValue(name, *text, "one of " + list));
    return fallback;
}

int OptionReader::fail(const char* command) const
{
    std::fprintf(stderr, "iotc-diag %s: %s\n", command, m_error.c_str());
    return ExitUsage;
}

std::optional<QString> secretFromFile(const std::string& path, QString* error)
{
    std::string bytes;
    std::string why;
    if (!readInputFile(path, bytes, why, MaxSecretBytes)) {
        if (error)
            *error = QString::fromStdString(why);
        return std::nullopt;
    }
    while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r'))
        bytes.pop_back();
    if (bytes.empty()) {
        if (error)
            *error = QString::fromStdString((path == "-" ? std::string("standard input") : path) + " is empty");
        return std::nullopt;
    }
    return QString::fromStdString(bytes);
}

std::optional<QString> secretArgument(const std::string& value, QString* error)
{
    if (value == "-")
        return secretFromFile(value, error);
    if (value.starts_with('@'))
        return secretFromFile(value.substr(1), error);
    if (value.empty()) {
        if (error)
            *error = QStringLiteral("the value is empty");
        return std::nullopt;
    }
    return QString::fromStdString(value);
}

} // namespace iotc::cli
