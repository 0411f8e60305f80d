#pragma once

#include <QString>

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

namespace iotc {

// Shares one QString per distinct text among the values that recur on every event (device and
// module ids, components, model ids, content types, property names): a lookup instead of an
// allocation and a UTF-8 decode, and the copies the pipeline and the views keep cost nothing.
// Bounded: past `capacity` distinct texts it starts again (a stream of ever-new ids cannot grow
// it without limit). One thread only.
class TextInterner {
public:
    explicit TextInterner(size_t capacity = 16384)
        : m_capacity(capacity)
    {
    }

    // Fields that usually repeat the previous event's value (content type, message source, a
    // single device's id) name a slot: the same bytes as last time cost one comparison.
    enum Slot { DeviceId, ModuleId, Component, ModelId, Interface, Source, AuthMethod, ContentType, Encoding, Slots };

    QString operator()(std::string_view utf8, Slot slot)
    {
        auto& last = m_last[slot];
        if (last.seen && last.bytes == utf8)
            return last.text;
        QString text = (*this)(utf8);
        last.seen = true;
        last.bytes.assign(utf8);
        last.text = text;
        return text;
    }

    QString operator()(std::string_view utf8)
    {
        if (utf8.size() > MaxLength)
            return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
        if (auto it = m_texts.find(utf8); it != m_texts.end())
            return it->second;
        if (m_texts.size() >= m_capacity)
            m_texts.clear();
        QString text = QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
        m_texts.emplace(std::string(utf8), text);
        return text;
    }

    size_t size() const { return m_texts.size(); }

private:
    static constexpr size_t MaxLength = 256; // longer texts are not identifiers: not kept

    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
    };
    struct Last {
        bool seen = false;
        std::string bytes;
        QString text;
    };
    std::array<Last, Slots> m_last;
    size_t m_capacity;
    std::unordered_map<std::string, QString, Hash, std::equal_to<>> m_texts;
};

} // namespace iotc
